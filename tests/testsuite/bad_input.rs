//! Bad input: each case gives a clear diagnostic naming the file, line and column, exits
//! 1, and writes nothing. One table of cases on the minimal site (`tests/fixtures/minimal`),
//! driven by one loop that reports every failing case by name: adding a case is one row.
//! The expected positions are computed from the edited text.

use crate::support::*;

const SITE: &str = "data/site.toml";
const DIST: &str = "data/districts.toml";
const Q3: &str = "data/lists/2026-q3-application.toml";
const NOTICE: &str = "content/notices/innovative/2026/index.md";
const CONTACTS: &str = "content/contacts.md";

/// One change to the minimal site.
enum Edit {
    /// Replace the first occurrence of the text (which must occur) in the file.
    Replace(&'static str, &'static str, &'static str),
    /// Write these bytes to a file.
    Write(&'static str, &'static [u8]),
    /// Copy a file of the site to another name.
    Duplicate(&'static str, &'static str),
    /// Delete a file.
    Remove(&'static str),
}

use Edit::*;

impl Edit {
    /// The file the edit changes.
    fn path(&self) -> &'static str {
        match self {
            Replace(p, _, _) | Write(p, _) | Duplicate(_, p) | Remove(p) => p,
        }
    }
}

/// Where `check` and `build` must point: at this text inside the last edit's replacement.
enum At {
    /// No position in particular (`says` names the file).
    Anywhere,
    /// `file:line:col` of the text.
    Col(&'static str),
    /// `file:line:` of the text (the column is the parser's business).
    Line(&'static str),
}

use At::*;

struct Case {
    name: &'static str,
    edits: &'static [Edit],
    at: At,
    /// The diagnostic's code, e.g. `[credit-code]` (empty: several, named in `says`).
    code: &'static str,
    /// Further text the report must contain: file names, values, help.
    says: &'static [&'static str],
}

/// The minimal site's enterprises (tests/fixtures/minimal/data/lists/2026-q3-application.toml):
/// A and B in 中山区, A's credit code on line 15.
const A: &str = "\"91210202MATU8FKPXX\"";
const B: &str = "\"91210202MABT5PRMUT\"";

const CASES: &[Case] = &[
    Case {
        name: "missing site.toml",
        edits: &[Remove(SITE)],
        at: Anywhere,
        code: "[file-missing]",
        says: &["data/site.toml", "缺少文件", "新建 data/site.toml"],
    },
    Case {
        name: "malformed TOML points at the line",
        edits: &[Replace(
            DIST,
            "office = \"金普新区示例科工信局\"",
            "office = \"金普新区示例科工信局",
        )],
        at: Line("office"),
        code: "[toml-syntax]",
        says: &[],
    },
    Case {
        name: "unclosed front matter",
        edits: &[Replace(CONTACTS, "\n+++", "")],
        at: Anywhere,
        code: "[front-matter]",
        says: &["content/contacts.md:1:1", "没有结束", "+++"],
    },
    Case {
        name: "district without a phone",
        edits: &[Replace(DIST, "phones = [\"82000001\"]", "phones = []")],
        at: Col("[]"),
        code: "[phone-none]",
        says: &["没有电话号码", "至少写一个号码"],
    },
    Case {
        name: "district with a bad phone",
        edits: &[Replace(DIST, "\"82000001\"", "\"8200000a\"")],
        at: Col("\"8200000a\""),
        code: "[phone]",
        says: &["8200000a"],
    },
    Case {
        name: "site contact with a bad phone",
        edits: &[Replace(
            SITE,
            "person = \"示例联系人\"\nphones = [\"81234567\"]",
            "person = \"示例联系人\"\nphones = [\"8123456x\"]",
        )],
        at: Col("\"8123456x\""),
        code: "[phone]",
        says: &["[contact]", "8123456x"],
    },
    Case {
        name: "a list's own objection phone that is not a phone",
        edits: &[Replace(
            Q3,
            "[publicity]",
            "[objection]\nphones = [\"110x\"]\n\n[publicity]",
        )],
        at: Col("\"110x\""),
        code: "[phone]",
        says: &["[objection]"],
    },
    Case {
        name: "unknown key in site.toml",
        edits: &[Replace(
            SITE,
            "area_code = ",
            "aera_code = \"0411\"\narea_code = ",
        )],
        at: Col("aera_code"),
        code: "[toml-unknown-key]",
        says: &["不认识的键 aera_code", "检查拼写"],
    },
    Case {
        name: "unknown key in front matter",
        edits: &[Replace(NOTICE, "weight = 1", "wieght = 1")],
        at: Col("wieght"),
        code: "[toml-unknown-key]",
        says: &["不认识的键 wieght"],
    },
    Case {
        name: "unknown key in a list",
        edits: &[Replace(Q3, "industry = ", "industy = ")],
        at: Col("industy"),
        code: "[toml-unknown-key]",
        says: &["不认识的键 industy"],
    },
    Case {
        name: "credit code of 17 characters",
        edits: &[Replace(Q3, A, "\"91210202MATU8FKPX\"")],
        at: Col("\"91210202MATU8FKPX\""),
        code: "[credit-code]",
        says: &["18"],
    },
    Case {
        name: "credit code with a letter it never uses",
        edits: &[Replace(Q3, A, "\"91210202MAIU8FKPXX\"")],
        at: Col("\"91210202MAIU8FKPXX\""),
        code: "[credit-code]",
        says: &["I"],
    },
    Case {
        name: "credit code with letters where digits belong",
        edits: &[Replace(Q3, A, "\"91ABCDEFMATU8FKPXX\"")],
        at: Col("\"91ABCDEFMATU8FKPXX\""),
        code: "[credit-code]",
        says: &["第3"],
    },
    Case {
        name: "credit code with a wrong check character names the right one",
        edits: &[Replace(Q3, A, "\"91210202MATU8FKPX0\"")],
        at: Col("\"91210202MATU8FKPX0\""),
        code: "[credit-code]",
        says: &["校验位", "第18位应为“X”"],
    },
    Case {
        name: "unknown district suggests the closest name",
        edits: &[Replace(
            Q3,
            "district = \"中山区\"",
            "district = \"中山县\"",
        )],
        at: Col("\"中山县\""),
        code: "[district-unknown]",
        says: &["不认识的区县“中山县”", "您是不是要写“中山区”"],
    },
    Case {
        name: "the same credit code twice in one list",
        edits: &[Replace(Q3, B, A)],
        at: Line(A),
        code: "[credit-code-twice]",
        // The snippet shows the first occurrence's line too.
        says: &[
            "出现了两次",
            "第一次",
            "第二次",
            "15 │ credit_code = \"91210202MATU8FKPXX\"",
        ],
    },
    Case {
        name: "missing required field",
        edits: &[Replace(Q3, "district = \"中山区\"\n", "")],
        at: Anywhere,
        code: "[toml-missing-key]",
        says: &[Q3, "缺少 district", "加上 district = …"],
    },
    Case {
        name: "batch out of the programme's range",
        edits: &[Replace(Q3, "batch = 3", "batch = 5")],
        at: Col("5"),
        code: "[list-batch]",
        says: &["batch = 5 不是创新型中小企业的批次", "应为 1 到 4"],
    },
    Case {
        name: "kind not of the programme",
        edits: &[Replace(
            Q3,
            "kind = \"application\"",
            "kind = \"aplication\"",
        )],
        at: Col("\"aplication\""),
        code: "[list-kind]",
        says: &[
            "“aplication”不是创新型中小企业的名单类型",
            "application",
            "review",
        ],
    },
    Case {
        name: "misspelt stage",
        edits: &[Replace(Q3, "stage = \"publicity\"", "stage = \"publicty\"")],
        at: Anywhere,
        code: "[toml-value]",
        says: &[Q3, "“publicty”不是这里可以写的值"],
    },
    Case {
        name: "publicity ending before it starts",
        edits: &[Replace(Q3, "working_days = 5", "end = 2026-11-20")],
        at: Col("2026-11-20"),
        code: "[publicity-end]",
        says: &["早于开始日"],
    },
    Case {
        name: "publicity end disagreeing with its working days",
        edits: &[Replace(
            Q3,
            "working_days = 5",
            "working_days = 5\nend = 2026-11-26",
        )],
        at: Col("2026-11-26"),
        code: "[publicity-end]",
        says: &["与从 2026-11-23 起的5个工作日不符", "应为 2026-11-27"],
    },
    Case {
        name: "publicity with both counts",
        edits: &[Replace(
            Q3,
            "working_days = 5",
            "working_days = 5\ncalendar_days = 7",
        )],
        at: Anywhere,
        code: "[publicity-length]",
        says: &[Q3, "只能写一个"],
    },
    Case {
        name: "publicity without a length",
        edits: &[Replace(Q3, "working_days = 5", "")],
        at: Anywhere,
        code: "[publicity-length]",
        says: &[Q3, "公示期没有长度", "working_days = 5"],
    },
    Case {
        name: "publicity in a year without a holiday calendar",
        edits: &[Replace(Q3, "start = 2026-11-23", "start = 2027-03-01")],
        at: Anywhere,
        code: "[publicity-calendar]",
        says: &[Q3, "data/calendar/2027.toml"],
    },
    Case {
        name: "announced list without an announcement",
        edits: &[Replace(
            Q3,
            "stage = \"publicity\"",
            "stage = \"announced\"",
        )],
        at: Col("\"announced\""),
        code: "[announcement-missing]",
        says: &[],
    },
    Case {
        name: "announcement without a date",
        edits: &[
            Replace(Q3, "stage = \"publicity\"", "stage = \"announced\""),
            Replace(
                Q3,
                "[publicity]",
                "[announcement]\ndocument = \"x\"\n\n[publicity]",
            ),
        ],
        at: Anywhere,
        code: "[announcement-date]",
        says: &["data/lists/2026-q3-application.toml:", "公告没有日期"],
    },
    Case {
        name: "the same list twice",
        edits: &[Duplicate(Q3, "data/lists/copy.toml")],
        at: Anywhere,
        code: "[list-twice]",
        says: &["已经在", "定义过", "把两个文件合并"],
    },
    Case {
        name: "check reports every problem at once",
        edits: &[
            Replace(Q3, "batch = 3", "batch = 0"),
            Replace(CONTACTS, "weight = 3", "wieght = 3"),
            Replace(DIST, "phones = [\"82000001\"]", "phones = []"),
            Replace(NOTICE, "weight = 1", "wieght = 1"),
        ],
        at: Anywhere,
        code: "",
        says: &[
            Q3,
            CONTACTS,
            DIST,
            NOTICE,
            "[list-batch]",
            "[phone-none]",
            "[toml-unknown-key]",
            "4 个错误",
        ],
    },
    Case {
        name: "template errors name the template line",
        edits: &[Replace(
            "themes/default/templates/districts.html",
            "{% for d in districts %}",
            "{% for d in districts %}{{ d.name | no_such_filter }}",
        )],
        at: Col("no_such_filter"),
        code: "[template]",
        says: &["themes/default/templates/districts.html:", "no_such_filter"],
    },
    Case {
        name: "a broken internal link fails the build with page and link",
        edits: &[Replace(
            CONTACTS,
            "+++\n\n",
            "+++\n\n[失效链接](/no-such-page/)\n\n",
        )],
        at: Anywhere,
        code: "[link-broken]",
        says: &["/contacts/index.html", "断开的链接 /no-such-page/"],
    },
    Case {
        name: "a data file that is not UTF-8",
        edits: &[Write(
            "data/lists/bad.toml",
            &[0xb4, 0xf3, 0xc1, 0xac, b'\n'],
        )],
        at: Anywhere,
        code: "[file-unreadable]",
        says: &["data/lists/bad.toml", "UTF-8"],
    },
];

/// Applies a case's edits; returns the expected `file:line:col` (or `file:line:`) prefix.
fn apply(f: &Fixture, case: &Case) -> Result<Option<String>, String> {
    let mut last: Option<(&str, usize, &str)> = None;
    for edit in case.edits {
        match *edit {
            Replace(file, from, to) => {
                let text =
                    std::fs::read_to_string(f.path(file)).map_err(|e| format!("{file}: {e}"))?;
                let at = text
                    .find(from)
                    .ok_or_else(|| format!("{file} does not contain {from:?}"))?;
                f.write(file, &text.replacen(from, to, 1));
                last = Some((file, at, to));
            }
            Write(file, bytes) => f.write_bytes(file, bytes),
            Duplicate(from, to) => f.write(to, &f.read(from)),
            Remove(file) => f.remove(file),
        }
    }
    let (needle, col) = match case.at {
        Anywhere => return Ok(None),
        Col(needle) => (needle, true),
        Line(needle) => (needle, false),
    };
    let (file, edit_at, to) = last.ok_or("a position needs a Replace edit")?;
    let inside = to
        .find(needle)
        .ok_or_else(|| format!("{needle:?} is not in the replacement {to:?}"))?;
    let (line, column) = position_of(&f.read(file), edit_at + inside);
    Ok(Some(if col {
        format!("{file}:{line}:{column}")
    } else {
        format!("{file}:{line}:")
    }))
}

/// What is wrong with the outcome of one case (empty: it passes).
fn problems(case: &Case) -> Vec<String> {
    let f = Fixture::minimal();
    if case.edits.iter().any(|e| e.path().starts_with("themes/")) {
        f.export_theme();
    }
    let at = match apply(&f, case) {
        Ok(at) => at,
        Err(e) => return vec![format!("the case does not apply: {e}")],
    };
    let mut needles: Vec<&str> = case.says.to_vec();
    if !case.code.is_empty() {
        needles.push(case.code);
    }
    if let Some(at) = &at {
        needles.push(at);
    }
    let mut out = Vec::new();
    for (what, o) in [("check", f.check()), ("build", f.build())] {
        let err = stderr(&o);
        if o.status.code() != Some(1) {
            out.push(format!("{what} exited with {:?}, not 1", o.status.code()));
        }
        if err.contains("panicked") {
            out.push(format!("{what} panicked"));
        }
        let missing: Vec<&&str> = needles.iter().filter(|n| !err.contains(**n)).collect();
        if !missing.is_empty() {
            out.push(format!("{what} does not say {missing:?}:\n{err}"));
        }
    }
    if f.path("public").exists() {
        out.push("a failed build wrote a site".into());
    }
    out
}

#[test]
fn every_bad_input_is_refused_with_its_diagnostic() {
    let mut failures = Vec::new();
    for case in CASES {
        // A case that cannot even be set up is reported by name too.
        let p = std::panic::catch_unwind(|| problems(case))
            .unwrap_or_else(|_| vec!["the case panicked (message above)".into()]);
        if !p.is_empty() {
            failures.push(format!("● {}\n{}", case.name, p.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_minimal_site_itself_passes() {
    let f = Fixture::minimal();
    assert_ok(&f.check());
}

#[test]
fn credit_codes_are_normalised_before_checking() {
    let f = Fixture::minimal();
    let code = "91210202MATU8FKPXX";
    let fullwidth: String = code
        .to_lowercase()
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect();
    f.edit(Q3, code, &format!(" {fullwidth} "));
    assert_ok(&f.build());
    assert!(f
        .out("lists/2026-q3-application/index.html")
        .contains(&format!("<tr id=\"{code}\"")));
}

#[test]
fn aliases_are_accepted_and_written_canonical() {
    let f = Fixture::minimal();
    f.edit(Q3, "district = \"中山区\"", "district = \"金州区\"");
    assert_ok(&f.build());
    let json = f.out("lists/2026-q3-application/2026-q3-application.json");
    assert!(!json.contains("金州区"));
}

#[test]
fn an_end_given_with_calendar_days_that_agree_is_fine() {
    let f = Fixture::minimal();
    f.edit(
        Q3,
        "working_days = 5",
        "calendar_days = 7\nend = 2026-11-29",
    );
    assert_ok(&f.check());
}
