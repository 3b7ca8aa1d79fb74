//! Bad input: each case gives a clear diagnostic naming the file, line and column, exits
//! 1, and writes nothing. The expected positions are computed from the edited text.

mod common;
use common::*;

const Q3: &str = "data/lists/2026-q3-application.toml";

/// Applies an edit, runs `check` and `build`, and checks both fail with the needles and
/// that no site was written.
#[track_caller]
fn expect_error(f: &Fixture, needles: &[&str]) -> String {
    let o = f.check();
    assert_fails_with(&o, needles);
    let b = f.build();
    assert_fails_with(&b, needles);
    assert!(!f.path("public").exists(), "a failed build wrote a site");
    assert!(!stderr(&o).contains("panicked"));
    stderr(&o)
}

/// `file:line:col` of the first occurrence of `needle` in the fixture's file.
fn pos(f: &Fixture, file: &str, needle: &str) -> String {
    let text = f.read(file);
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {file}"));
    let line = text[..i].matches('\n').count() + 1;
    let col = text[..i].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{file}:{line}:{col}")
}

fn first_code(f: &Fixture) -> String {
    let t = f.read(Q3);
    t.split("credit_code = \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn missing_site_toml() {
    let f = Fixture::new();
    f.remove("data/site.toml");
    expect_error(
        &f,
        &[
            "data/site.toml",
            "缺少文件",
            "[file-missing]",
            "新建 data/site.toml",
        ],
    );
}

#[test]
fn malformed_toml_points_at_the_line() {
    let f = Fixture::new();
    f.edit(
        "data/districts.toml",
        "office = \"西岗区科工信局\"",
        "office = \"西岗区科工信局",
    );
    let at = pos(&f, "data/districts.toml", "office = \"西岗区科工信局");
    let line = at.rsplit(':').nth(1).unwrap().to_string();
    let err = expect_error(&f, &["data/districts.toml:"]);
    assert!(
        err.contains(&format!("data/districts.toml:{line}:")),
        "expected line {line}:\n{err}"
    );
}

#[test]
fn unclosed_front_matter() {
    let f = Fixture::new();
    let text = f.read("content/contacts.md");
    let closing = text.match_indices("\n+++").next().unwrap().0;
    f.write(
        "content/contacts.md",
        &format!("{}{}", &text[..closing], &text[closing + 4..]),
    );
    expect_error(
        &f,
        &[
            "content/contacts.md:1:1",
            "没有结束",
            "[front-matter]",
            "+++",
        ],
    );
}

#[test]
fn district_without_phone() {
    let f = Fixture::new();
    f.edit(
        "data/districts.toml",
        "phones = [\"83703562\"]",
        "phones = []",
    );
    let at = pos(&f, "data/districts.toml", "phones = []");
    let col: usize = at.rsplit(':').next().unwrap().parse().unwrap();
    let at = format!(
        "{}:{}",
        at.rsplit_once(':').unwrap().0,
        col + "phones = ".len()
    );
    expect_error(&f, &[&at, "没有电话号码", "[phone-none]", "至少写一个号码"]);
}

#[test]
fn district_with_bad_phone() {
    let f = Fixture::new();
    f.edit("data/districts.toml", "\"83703562\"", "\"8370356a\"");
    let at = pos(&f, "data/districts.toml", "\"8370356a\"");
    expect_error(&f, &[&at, "8370356a"]);
}

#[test]
fn unknown_keys_are_errors_everywhere() {
    let f = Fixture::new();
    f.edit(
        "data/site.toml",
        "area_code = ",
        "aera_code = \"0411\"\narea_code = ",
    );
    let at = pos(&f, "data/site.toml", "aera_code");
    expect_error(
        &f,
        &[
            &at,
            "不认识的键 aera_code",
            "[toml-unknown-key]",
            "检查拼写",
        ],
    );

    let f = Fixture::new();
    f.edit(
        "content/notices/innovative/2026/index.md",
        "weight = 1",
        "wieght = 1",
    );
    let at = pos(&f, "content/notices/innovative/2026/index.md", "wieght");
    expect_error(&f, &[&at, "不认识的键 wieght"]);

    let f = Fixture::new();
    f.edit(Q3, "industry = ", "industy = ");
    let at = pos(&f, Q3, "industy");
    expect_error(&f, &[&at, "不认识的键 industy"]);
}

#[test]
fn credit_code_wrong_length_characters_and_check_character() {
    let code = {
        let f = Fixture::new();
        first_code(&f)
    };
    let cases: Vec<(String, &str)> = vec![
        (code[..17].to_string(), "18"),
        (format!("{}I{}", &code[..10], &code[11..]), "I"),
        (format!("91ABCDEF{}", &code[8..]), "第3"),
    ];
    for (bad, needle) in cases {
        let f = Fixture::new();
        f.edit(Q3, &code, &bad);
        let at = pos(&f, Q3, &format!("\"{bad}\""));
        expect_error(&f, &[&at, "[credit-code]", needle]);
    }
    // A wrong check character names the expected one.
    let f = Fixture::new();
    let last = code.chars().last().unwrap();
    let wrong = if last == '0' { '1' } else { '0' };
    let bad = format!("{}{wrong}", &code[..17]);
    f.edit(Q3, &code, &bad);
    let at = pos(&f, Q3, &format!("\"{bad}\""));
    let err = expect_error(&f, &[&at, "校验位"]);
    assert!(
        err.contains(last),
        "should name the expected check character {last}:\n{err}"
    );
}

#[test]
fn credit_codes_are_normalised_before_checking() {
    let f = Fixture::new();
    let code = first_code(&f);
    let fullwidth: String = code
        .to_lowercase()
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect();
    f.edit(Q3, &code, &format!(" {fullwidth} "));
    assert_ok(&f.build());
    assert!(f
        .out("lists/2026-q3-application/index.html")
        .contains(&format!("<tr id=\"{code}\"")));
}

#[test]
fn unknown_district_suggests_the_closest_names() {
    let f = Fixture::new();
    let text = f.read(Q3);
    let d = text
        .split("district = \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let typo: String = d.chars().take(d.chars().count() - 1).collect::<String>() + "县";
    f.edit(
        Q3,
        &format!("district = \"{d}\""),
        &format!("district = \"{typo}\""),
    );
    let at = pos(&f, Q3, &format!("\"{typo}\""));
    expect_error(
        &f,
        &[
            &at,
            &format!("不认识的区县“{typo}”"),
            "[district-unknown]",
            &format!("您是不是要写“{d}”"),
        ],
    );
}

#[test]
fn aliases_are_accepted_and_written_canonical() {
    let f = Fixture::new();
    let text = f.read(Q3);
    let d = text
        .split("district = \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    f.edit(Q3, &format!("district = \"{d}\""), "district = \"金州区\"");
    assert_ok(&f.build());
    let json = f.out("lists/2026-q3-application/2026-q3-application.json");
    assert!(!json.contains("金州区"));
}

#[test]
fn duplicate_credit_code_in_one_list() {
    let f = Fixture::new();
    let text = f.read(Q3);
    let codes: Vec<&str> = text
        .split("credit_code = \"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let (a, b) = (codes[0].to_string(), codes[1].to_string());
    f.edit(Q3, &b, &a);
    let second = {
        let t = f.read(Q3);
        let i = t.match_indices(&a).nth(1).unwrap().0;
        let line = t[..i].matches('\n').count() + 1;
        format!("{Q3}:{line}:")
    };
    let first_line = line_of(&f.read(Q3), &a);
    let err = expect_error(
        &f,
        &[
            &second,
            "出现了两次",
            "[credit-code-twice]",
            "第一次",
            "第二次",
        ],
    );
    // The snippet shows the first occurrence's line too.
    assert!(
        err.contains(&format!("{first_line} │ credit_code = \"{a}\"")),
        "{err}"
    );
}

#[test]
fn missing_required_field() {
    let f = Fixture::new();
    let text = f.read(Q3);
    let d = text
        .split("district = \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    f.edit(Q3, &format!("district = \"{d}\"\n"), "");
    expect_error(
        &f,
        &[
            Q3,
            "缺少 district",
            "[toml-missing-key]",
            "加上 district = …",
        ],
    );
}

#[test]
fn quarter_kind_and_stage_values() {
    let f = Fixture::new();
    f.edit(Q3, "batch = 3", "batch = 5");
    let at = pos(&f, Q3, "5\n");
    expect_error(
        &f,
        &[
            &at,
            "batch = 5 不是创新型中小企业的批次",
            "[list-batch]",
            "应为 1 到 4",
        ],
    );

    let f = Fixture::new();
    f.edit(Q3, "kind = \"application\"", "kind = \"aplication\"");
    let at = pos(&f, Q3, "\"aplication\"");
    expect_error(
        &f,
        &[
            &at,
            "“aplication”不是创新型中小企业的名单类型",
            "[list-kind]",
            "application",
            "review",
        ],
    );

    let f = Fixture::new();
    f.edit(Q3, "stage = \"publicity\"", "stage = \"publicty\"");
    expect_error(&f, &[Q3, "“publicty”不是这里可以写的值"]);
}

#[test]
fn publicity_dates_must_agree() {
    // end before start
    let f = Fixture::new();
    f.edit(Q3, "working_days = 5", "end = 2026-11-20");
    let at = pos(&f, Q3, "2026-11-20");
    expect_error(&f, &[&at, "早于开始日", "[publicity-end]"]);

    // end disagreeing with working_days
    let f = Fixture::new();
    f.edit(Q3, "working_days = 5", "working_days = 5\nend = 2026-11-26");
    let at = pos(&f, Q3, "2026-11-26");
    expect_error(
        &f,
        &[&at, "与从 2026-11-23 起的5个工作日不符", "应为 2026-11-27"],
    );

    // both counts
    let f = Fixture::new();
    f.edit(
        Q3,
        "working_days = 5",
        "working_days = 5\ncalendar_days = 7",
    );
    expect_error(&f, &[Q3, "只能写一个", "[publicity-length]"]);

    // no length at all
    let f = Fixture::new();
    f.edit(Q3, "working_days = 5", "");
    expect_error(&f, &[Q3, "公示期没有长度", "working_days = 5"]);

    // a year without a holiday calendar
    let f = Fixture::new();
    f.edit(Q3, "start = 2026-11-23", "start = 2027-03-01");
    expect_error(&f, &[Q3, "data/calendar/2027.toml"]);

    // end given with calendar days that agree is fine
    let f = Fixture::new();
    f.edit(
        Q3,
        "working_days = 5",
        "calendar_days = 7\nend = 2026-11-29",
    );
    assert_ok(&f.check());
}

#[test]
fn announced_list_needs_an_announcement_date() {
    let f = Fixture::new();
    f.edit(Q3, "stage = \"publicity\"", "stage = \"announced\"");
    let at = pos(&f, Q3, "\"announced\"");
    expect_error(&f, &[&at, "[announcement-missing]"]);

    let f = Fixture::new();
    f.edit(
        "data/lists/2026-q2-review.toml",
        "date = 2026-08-25",
        "document = \"x\"",
    );
    expect_error(&f, &["data/lists/2026-q2-review.toml:", "公告没有日期"]);
}

#[test]
fn the_same_list_twice() {
    let f = Fixture::new();
    f.write("data/lists/copy.toml", &f.read(Q3));
    expect_error(&f, &["已经在", "定义过", "[list-twice]", "把两个文件合并"]);
}

#[test]
fn check_reports_every_problem_at_once() {
    let f = Fixture::new();
    f.edit(Q3, "batch = 3", "batch = 0");
    f.edit(
        "data/lists/2026-q2-review.toml",
        "kind = \"review\"",
        "kind = \"reveiw\"",
    );
    f.edit(
        "data/districts.toml",
        "phones = [\"83703562\"]",
        "phones = []",
    );
    f.edit(
        "content/notices/innovative/2026/index.md",
        "weight = 1",
        "wieght = 1",
    );
    let err = expect_error(
        &f,
        &[
            Q3,
            "data/lists/2026-q2-review.toml",
            "data/districts.toml",
            "content/notices/innovative/2026/index.md",
        ],
    );
    assert!(err.contains("4 个错误"), "{err}");
}

#[test]
fn template_errors_name_the_template_line() {
    let f = Fixture::new();
    f.edit(
        "themes/default/templates/districts.html",
        "{% for d in districts %}",
        "{% for d in districts %}{{ d.name | no_such_filter }}",
    );
    let err = expect_error(
        &f,
        &["themes/default/templates/districts.html:", "no_such_filter"],
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn broken_internal_link_fails_the_build_with_page_and_link() {
    let f = Fixture::new();
    f.edit(
        "content/contacts.md",
        "+++\n\n",
        "+++\n\n[失效链接](/no-such-page/)\n\n",
    );
    let text = f.read("content/contacts.md");
    if !text.contains("/no-such-page/") {
        // front matter closes differently: append the link to the body instead
        f.write(
            "content/contacts.md",
            &format!("{text}\n[失效链接](/no-such-page/)\n"),
        );
    }
    expect_error(
        &f,
        &[
            "/contacts/index.html",
            "断开的链接 /no-such-page/",
            "[link-broken]",
        ],
    );
}

#[test]
fn non_utf8_data_file() {
    let f = Fixture::new();
    std::fs::write(
        f.path("data/lists/bad.toml"),
        [0xb4u8, 0xf3, 0xc1, 0xac, b'\n'],
    )
    .unwrap();
    expect_error(&f, &["data/lists/bad.toml", "UTF-8"]);
}
