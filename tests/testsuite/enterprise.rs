//! The enterprise directory's records as commands (issue 22): `gazette enterprise rename`
//! and `revoke` append to `data/changes/<year>.toml` under the same rules as the list
//! commands (checked with every list before writing, refusals with their code, nothing
//! written then), and `gazette enterprise show` finds an enterprise by code or by a name
//! it bears or bore.

use std::process::Output;

use crate::support::*;

const CHANGES: &str = "data/changes/2026.toml";
const Q1: &str = "data/lists/2026-q1-application.toml";

const JIA: &str = "大连示例名录甲科技有限公司";
const YI: &str = "大连示例名录乙软件有限公司";
/// On the minimal fixture's list under publicity only: no title.
const ON_PUBLICITY: &str = "91210202MATU8FKPXX";

fn jia() -> String {
    credit_code("210202", 1)
}

fn yi() -> String {
    credit_code("210202", 2)
}

/// The minimal site with an announced list (announced 2026-05-20, valid three years) of
/// two enterprises besides its list under publicity.
fn site() -> Fixture {
    let f = Fixture::minimal();
    f.write(
        Q1,
        &format!(
            "# 示例数据 (SAMPLE DATA): invented enterprises.

year = 2026
batch = 1
kind = \"application\"
stage = \"announced\"
sample = true

[publicity]
start = 2026-04-20
working_days = 5

[announcement]
date = 2026-05-20
{}",
            enterprise_rows(&[(JIA, &jia(), "中山区"), (YI, &yi(), "中山区")])
        ),
    );
    f
}

/// Every file under `data/` but the lock file (which the first command creates) with its
/// bytes.
fn data(f: &Fixture) -> Vec<(String, Vec<u8>)> {
    let mut v = snapshot(&f.path("data"));
    v.retain(|(p, _)| !p.ends_with(".gazette.lock"));
    v
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn show(f: &Fixture, query: &str) -> Output {
    f.run(&["enterprise", "show", query, "--today", TODAY])
}

#[test]
fn a_rename_writes_the_year_file_and_the_page_shows_both_names() {
    let f = site();
    let new_name = "大连示例名录甲智能科技有限公司";
    let o = f.run(&[
        "enterprise",
        "rename",
        &jia(),
        "--to",
        new_name,
        "--date",
        "2026年6月1日",
        "--document",
        "大市监核变〔2026〕1号",
    ]);
    assert_ok(&o);
    assert!(stderr(&o).contains("新建"), "{}", stderr(&o));
    let text = f.read(CHANGES);
    assert!(text.starts_with("# 2026年企业更名和称号撤销记录"), "{text}");
    for needle in [
        "[[rename]]",
        &format!("credit_code = \"{}\"", jia()),
        &format!("from = \"{JIA}\""),
        &format!("to = \"{new_name}\""),
        "date = 2026-06-01",
        "document = \"大市监核变〔2026〕1号\"",
    ] {
        assert!(text.contains(needle), "{needle} not in:\n{text}");
    }

    assert_ok(&f.check());
    assert_ok(&f.build());
    let page = f.out(&format!("enterprises/{}/index.html", jia()));
    assert!(page.contains(&format!("<h1>{new_name}</h1>")), "{page}");
    assert!(page.contains(&format!("原名 {JIA}")), "{page}");

    // A second rename starts from the first one's new name, and is appended: the file as
    // it was (with a clerk's comment) stays byte for byte.
    f.write(CHANGES, &format!("{text}# 经办人：示例\n"));
    let before = f.read(CHANGES);
    let third = "大连示例名录甲集团有限公司";
    let o = f.run(&[
        "enterprise",
        "rename",
        &jia(),
        "--to",
        third,
        "--date",
        "2026-09-01",
    ]);
    assert_ok(&o);
    let after = f.read(CHANGES);
    assert!(after.starts_with(&before), "not appended:\n{after}");
    let added = &after[before.len()..];
    assert!(
        added.contains(&format!("from = \"{new_name}\"")) && added.contains(third),
        "{added}"
    );
    assert_ok(&f.check());

    // show, by a former name: the current name, every former name with its day.
    let o = show(&f, JIA);
    assert_ok(&o);
    let out = stdout(&o);
    for needle in [
        third,
        &format!("按曾用名“{JIA}”找到"),
        &jia(),
        &format!("曾用名：{JIA}（2026年6月1日更名）"),
        &format!("曾用名：{new_name}（2026年9月1日更名）"),
        "所属区县：中山区",
        "创新型中小企业",
        "有效（至2029年5月19日）",
        "2026年第一季度创新型中小企业申报公告名单",
        "公告  2026年5月20日  序号1",
        &format!("2026年6月1日：“{JIA}”更名为“{new_name}”（大市监核变〔2026〕1号）"),
    ] {
        assert!(out.contains(needle), "{needle} not in:\n{out}");
    }
}

#[test]
fn a_revocation_makes_the_page_and_the_json_say_revoked() {
    let f = site();
    let o = f.run(&[
        "enterprise",
        "revoke",
        &yi(),
        "--date",
        "2026-09-01",
        "--reason",
        "存在弄虚作假行为",
        "--document",
        "辽工信企业〔2026〕99号",
    ]);
    assert_ok(&o);
    let text = f.read(CHANGES);
    for needle in [
        "[[revocation]]",
        &format!("# {YI}：撤销创新型中小企业称号"),
        "programme = \"innovative\"",
        "date = 2026-09-01",
        "reason = \"存在弄虚作假行为\"",
    ] {
        assert!(text.contains(needle), "{needle} not in:\n{text}");
    }
    assert_ok(&f.check());
    assert_ok(&f.build());
    let json = f.out(&format!("enterprises/{}.json", yi()));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["programmes"][0]["status"], "revoked", "{json}");
    let page = f.out(&format!("enterprises/{}/index.html", yi()));
    assert!(page.contains("已撤销（2026年9月1日起）"), "{page}");
    assert!(page.contains("存在弄虚作假行为"), "{page}");
    // The other enterprise of the list keeps its title.
    let json = f.out(&format!("enterprises/{}.json", jia()));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["programmes"][0]["status"], "valid", "{json}");

    let out = stdout(&show(&f, &yi()));
    assert!(out.contains("已撤销（2026年9月1日起）"), "{out}");
    assert!(
        out.contains("撤销：2026年9月1日起，辽工信企业〔2026〕99号。原因：存在弄虚作假行为"),
        "{out}"
    );
    // Before its date the title was valid.
    let o = f.run(&["enterprise", "show", &yi(), "--today", "2026-08-31"]);
    assert!(
        stdout(&o).contains("有效（至2029年5月19日）"),
        "{}",
        stdout(&o)
    );

    // The same revocation again (or another of the same title) is refused.
    let before = data(&f);
    let o = f.run(&[
        "enterprise",
        "revoke",
        &yi(),
        "--date",
        "2026-09-01",
        "--reason",
        "存在弄虚作假行为",
    ]);
    assert_fails_with(&o, &["[revoke-twice]", "2026年9月1日"]);
    let o = f.run(&[
        "enterprise",
        "revoke",
        &yi(),
        "--date",
        "2026-10-01",
        "--reason",
        "另一个原因",
    ]);
    assert_fails_with(&o, &["[revoke-twice]"]);
    assert!(data(&f) == before, "a refusal wrote to data/");
}

#[test]
fn refusals_exit_1_with_their_code_and_write_nothing() {
    let f = site();
    // One earlier record, so that the file exists and must stay byte-identical too.
    assert_ok(&f.run(&[
        "enterprise",
        "rename",
        &yi(),
        "--to",
        "大连示例名录乙信息技术有限公司",
        "--date",
        "2026-06-01",
    ]));
    let before = data(&f);
    let unknown = credit_code("210202", 99);
    let code = jia();
    let wrong = if code.ends_with('0') { '1' } else { '0' };
    let bad_check = format!("{}{wrong}", &code[..17]);
    let (jia, yi) = (jia(), yi());
    let unknown_needles = ["[enterprise-unknown]", unknown.as_str()];
    let cases: Vec<(Vec<&str>, &[&str])> = vec![
        (
            vec!["rename", &unknown, "--to", "某公司", "--date", "2026-06-01"],
            &unknown_needles,
        ),
        (
            vec![
                "revoke",
                &bad_check,
                "--date",
                "2026-06-01",
                "--reason",
                "x",
            ],
            &["[credit-code]"],
        ),
        (
            vec![
                "rename",
                &jia,
                "--from",
                "大连示例名录丁有限公司",
                "--to",
                "新名称有限公司",
                "--date",
                "2026-06-01",
            ],
            &["[rename-from]", JIA],
        ),
        (
            vec!["rename", &jia, "--to", JIA, "--date", "2026-06-01"],
            &["[rename-same]"],
        ),
        (
            vec!["rename", &jia, "--to", "  ", "--date", "2026-06-01"],
            &["[rename-name]"],
        ),
        (
            vec![
                "rename",
                &jia,
                "--to",
                "大连示例名录甲有限公司",
                "--date",
                "2026-03-01",
            ],
            &["[changes-date]", "2026年5月20日"],
        ),
        (
            vec![
                "rename",
                &yi,
                "--to",
                "大连示例名录乙有限公司",
                "--date",
                "2026-06-01",
            ],
            &["[rename-twice]"],
        ),
        (
            vec![
                "rename",
                &yi,
                "--to",
                "大连示例名录乙有限公司",
                "--date",
                "2026-05-25",
            ],
            &["[rename-later]"],
        ),
        (
            vec![
                "revoke",
                &jia,
                "--date",
                "2026-05-19",
                "--reason",
                "存在弄虚作假行为",
            ],
            &["[revocation-date]", "2026年5月20日"],
        ),
        (
            vec![
                "revoke",
                ON_PUBLICITY,
                "--date",
                "2026-12-01",
                "--reason",
                "存在弄虚作假行为",
            ],
            &["[revocation-untitled]", "gazette list withdraw"],
        ),
        (
            vec!["revoke", &jia, "--date", "2026-09-01", "--reason", "   "],
            &["[revoke-reason]"],
        ),
        (
            vec![
                "revoke",
                &jia,
                "--date",
                "2026-09-01",
                "--reason",
                "x",
                "--programme",
                "specialised",
            ],
            &["[changes-programme]", "innovative"],
        ),
        (
            vec![
                "revoke",
                &jia,
                "--date",
                "2026-09-01",
                "--reason",
                "原因\u{202e}",
            ],
            &["[text-char]"],
        ),
    ];
    for (args, needles) in cases {
        let o = f.run(&with(&["enterprise"], &args));
        assert_fails_with(&o, needles);
        assert!(
            stderr(&o).contains("没有写入任何记录"),
            "{args:?}:\n{}",
            stderr(&o)
        );
        assert!(data(&f) == before, "{args:?} wrote to data/");
    }
    // A date that is no date is a usage error (exit 2).
    let o = f.run(&[
        "enterprise",
        "revoke",
        &jia,
        "--date",
        "2026-13-01",
        "--reason",
        "x",
    ]);
    assert_exit(&o, 2, &["不是日期"]);

    // A site whose changes do not check takes no more records until they are put right.
    f.write(
        "data/changes/2025.toml",
        &format!(
            "[[revocation]]\ncredit_code = \"{unknown}\"\ndate = 2025-06-01\nreason = \"x\"\n"
        ),
    );
    let before = data(&f);
    let o = f.run(&[
        "enterprise",
        "revoke",
        &jia,
        "--date",
        "2026-09-01",
        "--reason",
        "存在弄虚作假行为",
    ]);
    assert_fails_with(&o, &["[changes-unknown]", "[changes-has-errors]"]);
    assert!(data(&f) == before, "a refusal wrote to data/");
}

#[test]
fn show_finds_by_code_or_name_and_lists_an_ambiguous_name() {
    let f = site();
    // By code, typed in lower case.
    let o = show(&f, &yi().to_lowercase());
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.starts_with(YI), "{out}");
    assert!(out.contains("有效（至2029年5月19日）"), "{out}");
    // On a list under publicity only.
    let out = stdout(&show(&f, ON_PUBLICITY));
    assert!(out.contains("公示中（公示期到"), "{out}");

    // A unique part of a name; an exact name before the names that contain it.
    assert!(stdout(&show(&f, "名录乙")).starts_with(YI));
    assert_ok(&f.run(&[
        "enterprise",
        "rename",
        &yi(),
        "--to",
        "大连示例名录乙软件有限公司二部",
        "--date",
        "2026-06-01",
    ]));
    let o = show(&f, YI);
    assert_ok(&o);
    assert!(stdout(&o).contains("按曾用名"), "{}", stdout(&o));

    // Several: each listed with its code, exit 1.
    let o = show(&f, "大连示例名录");
    assert_fails_with(
        &o,
        &["[enterprise-ambiguous]", "有2家企业", &jia(), &yi(), JIA],
    );
    assert!(stdout(&o).is_empty());
    // None.
    let o = show(&f, "不存在的企业");
    assert_fails_with(&o, &["[enterprise-unknown]", "不存在的企业"]);
    let o = show(&f, &credit_code("210202", 99));
    assert_fails_with(&o, &["[enterprise-unknown]"]);
}
