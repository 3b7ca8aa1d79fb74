//! Issue 27's "done when" on one site: tests/fixtures/monthly (an invented city with a
//! monthly programme whose key dates are `[[repeat]]` rules, a half-yearly one and a
//! numbered one in Chinese numerals with a programme-wide publicity length) carried into a
//! second year the way a clerk does it: `gazette new notice --year 2027`, the scaffold
//! filled in, the site built, and its whole output checked for words it did not ask for.
//! A rule's `from`/`until` moves as one range into the new year.

use crate::support::*;

const SCHEDULE_2026: &str = "data/notices/growth/2026/schedule.toml";
const SCHEDULE_2027: &str = "data/notices/growth/2027/schedule.toml";
const PAGE_2027: &str = "content/notices/growth/2027/index.md";

/// The clerk's 2027 notice: the scaffold's front matter with its date, `draft = true`
/// deleted, and the scaffold's note and last year's text replaced by this year's.
fn publish_2027(f: &Fixture) {
    let page = f.read(PAGE_2027);
    let front_end = page[3..].find("+++").expect("the scaffold's front matter") + 6;
    let front = page[..front_end]
        .replace("draft = true\n", "")
        .replace("weight = 1\n", "weight = 1\ndate = 2027-01-04\n");
    f.write(
        PAGE_2027,
        &format!(
            "{front}\n各区经济主管部门：\n\n2027年继续按月受理认定申请（2月除外）：每月1日至10日受理，月底前区里推荐。\n\n临江市经济和信息化局（示例）\n\n2027年1月4日\n"
        ),
    );
}

#[test]
fn next_years_notice_carries_the_repeating_key_dates_into_its_year() {
    let f = Fixture::site("monthly");
    let o = f.run(&["new", "notice", "--year", "2027"]);
    assert_ok(&o);
    assert!(stderr(&o).contains(SCHEDULE_2027), "{}", stderr(&o));

    // The rules are carried as they are: without from/until a rule covers its notice's
    // year, so in 2027's file it gives 2027's months. A plain key date moves a year.
    let old = f.read(SCHEDULE_2026);
    let new = f.read(SCHEDULE_2027);
    let (note, rest) = new.split_once('\n').unwrap();
    assert!(
        note.starts_with("# 由 gazette new notice 照2026年的通知生成"),
        "{new}"
    );
    assert_eq!(
        rest,
        old.replace("start = 2026-12-15", "start = 2027-12-15")
            .replace("end = 2026-12-31", "end = 2027-12-31"),
        "the scaffold changed more than the plain key date's year"
    );
    assert_eq!(new.matches("[[repeat]]").count(), 2);
    assert!(new.contains("title = \"{year}年{month}月区县推荐截止\""));

    // While it is a draft nothing of 2027 is built, and `check` says why.
    let o = f.run(&["check", "--today", "2026-12-01"]);
    assert_ok(&o);
    assert!(stderr(&o).contains("[draft]"), "{}", stderr(&o));
    build_on(&f, "2026-12-01");
    assert!(!f.path("public/notices/growth/2027").exists());
    assert!(!f.out("calendar.ics").contains("UID:2027-"));

    // Deleting `draft = true` alone is not enough: the scaffold's note is still there.
    f.edit(PAGE_2027, "draft = true\n", "");
    let at = pos(&f, PAGE_2027, "<!-- 由 gazette new notice 照");
    assert_fails_with(
        &f.run(&["check", "--today", "2027-03-12"]),
        &[&at, "[notice-scaffold]"],
    );
    f.edit(PAGE_2027, "weight = 1\n", "weight = 1\ndraft = true\n");
    publish_2027(&f);
    build_on(&f, "2027-03-12");

    // The 2027 notice lists 2027's months, February skipped, month ends right.
    let notice = f.out("notices/growth/2027/index.html");
    let all = rows_after(&notice, "id=\"key-dates\"");
    assert_eq!(all.len(), 23, "{all:?}");
    assert!(
        all.contains(&"2027年3月区县推荐截止".to_string()),
        "{all:?}"
    );
    assert!(!all.iter().any(|t| t.contains("2026")), "{all:?}");
    for cell in [
        "<td>2027年3月1日至3月10日</td>",
        "<td>2027年4月30日前</td>",
        "<th scope=\"row\">年度工作总结报送</th><td>2027年12月31日前</td>",
    ] {
        assert!(notice.contains(cell), "{cell} not in the 2027 notice");
    }
    assert!(!notice.contains("2027年2月"), "February is skipped");
    assert!(
        !notice.contains("2026年"),
        "nothing of 2026 in 2027's notice"
    );
    // The calendar carries both years' months, each under its own id.
    let ics = f.out("calendar.ics");
    for year in ["2026", "2027"] {
        for rule in ["window", "recommendation"] {
            let uid = format!("UID:{year}-{rule}-{year}-");
            assert_eq!(ics.matches(&uid).count(), 11, "{uid}");
        }
    }
    assert!(!ics.contains("UID:2027-window-2027-02@"));
    assert!(ics.contains("UID:2027-annual-summary@") && ics.contains("UID:2026-annual-summary@"));

    // The home page's next key dates are 2027's repeated ones (March's window is over).
    let home = f.out("index.html");
    assert_eq!(
        rows_after(&home, "id=\"dates-h\""),
        [
            "2027年3月区县推荐截止",
            "4月认定申请受理",
            "2027年4月区县推荐截止",
            "5月认定申请受理",
            "2027年5月区县推荐截止",
        ],
        "{home}"
    );
    assert!(home.contains(
        "全部23项关键日期见<a href=\"/lj/notices/growth/2027/#key-dates\">2027年成长型中小企业通知</a>"
    ));
    // The menu leads to each programme's latest notice: 2027 for the monthly programme,
    // 2026 (its only one) for the numbered one; 2026's monthly notice is under 往年通知和名单.
    let nav = &home[home.find("<nav class=\"site-nav\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("href=\"/lj/notices/growth/2027/\""), "{nav}");
    assert!(nav.contains("href=\"/lj/notices/giant/2026/\""), "{nav}");
    assert!(!nav.contains("href=\"/lj/notices/growth/2026/\""), "{nav}");
    let past = &home[home
        .find("往年通知和名单")
        .expect("a section of past years")..];
    assert!(past.contains("href=\"/lj/notices/growth/2026/\""), "{past}");
    assert!(!past.contains("notices/giant/"), "{past}");
    assert!(!past.contains("notices/growth/2027/"), "{past}");
    // Last year's notice keeps its address and its own year's dates.
    let old_notice = f.out("notices/growth/2026/index.html");
    assert!(old_notice.contains("<td>2026年3月1日至3月10日</td>"));
}

#[test]
fn the_site_over_two_years_says_only_its_own_words() {
    let f = Fixture::site("monthly");
    assert_ok(&f.run(&["new", "notice", "--year", "2027"]));
    publish_2027(&f);
    build_on(&f, "2027-03-12");
    let output = assert_only_its_own_words(&f);
    // Every kind of file the build writes for readers was among those read.
    for ext in ["html", "json", "xml", "txt", "csv", "ics"] {
        assert!(
            output
                .iter()
                .any(|(rel, _)| rel.ends_with(&format!(".{ext}"))),
            "no .{ext} file in the output"
        );
    }
    // Both years and all three programmes are in what was read.
    let has = |rel: &str| output.iter().any(|(r, _)| r == rel);
    for page in [
        "notices/growth/2026/index.html",
        "notices/growth/2027/index.html",
        "notices/giant/2026/index.html",
        "lists/2026-m06-recognition/index.html",
        "lists/specialised-2026-h1-recognition/index.html",
        "lists/giant-2026-b2-recognition/index.html",
    ] {
        assert!(has(page), "{page} was not built");
    }
    // The numbered programme's words are its own: 第二批 in Chinese numerals, and the
    // programme's seven working days for a list that gives none.
    let b2 = f.out("lists/giant-2026-b2-recognition/publicity/index.html");
    assert!(
        b2.contains("2026年第二批科技小巨人企业认定名单公示"),
        "{b2}"
    );
    assert!(
        b2.contains("7个工作日") && b2.contains("2026年9月30日"),
        "{b2}"
    );
    for (rel, text) in &output {
        assert!(
            !text.contains("第2批"),
            "{rel} names a batch in Arabic numerals"
        );
    }
}

#[test]
fn a_rules_range_from_the_year_before_keeps_its_length_in_next_years_notice() {
    let f = Fixture::site("monthly");
    // The 2026 windows run from December 2025 to November 2026 (a programme year that
    // starts in December).
    f.edit(
        SCHEDULE_2026,
        "skip_months = [2]                # 春节所在月份不受理",
        "from = 2025-12-01\nuntil = 2026-11-30\nskip_months = [2]",
    );
    assert_ok(&f.run(&["new", "notice", "--year", "2027"]));
    let new = f.read(SCHEDULE_2027);
    assert!(
        new.contains("from = 2026-12-01\nuntil = 2027-11-30\n"),
        "{new}"
    );
    publish_2027(&f);
    build_on(&f, "2027-03-12");
    let notice = f.out("notices/growth/2027/index.html");
    let windows: Vec<String> = rows_after(&notice, "id=\"key-dates\"")
        .into_iter()
        .filter(|t| t.ends_with("认定申请受理"))
        .collect();
    // December 2026 to November 2027, February skipped: eleven, as in 2026, not twenty-three.
    assert_eq!(windows.len(), 11, "{windows:?}");
    assert_eq!(windows[0], "12月认定申请受理");
    assert!(notice.contains("<td>2026年12月1日至12月10日</td>"));
    assert!(!notice.contains("2027年12月1日至12月10日"));

    // A schedule that does not parse is named, and nothing is written.
    let f = Fixture::site("monthly");
    f.edit(SCHEDULE_2026, "start_day = 1\n", "start_day = \n");
    assert_fails_with(
        &f.run(&["new", "notice", "--year", "2027"]),
        &["[notice-source]", SCHEDULE_2026, "无法照这个文件新建"],
    );
    assert!(!f.path("content/notices/growth/2027").exists());
    assert!(!f.path("data/notices/growth/2027").exists());
}

fn build_on(f: &Fixture, today: &str) {
    assert_ok(&f.run(&["build", "--today", today]));
}
