//! Repeating key dates and lists of several programmes (issue 27, items 8 and 10), on
//! tests/fixtures/monthly: an invented city with a monthly programme whose key dates are two
//! `[[repeat]]` rules (each month's window, each month's deadline, February skipped), a
//! half-yearly second programme whose 上半年 list is published after the monthly June list
//! and a numbered third (第一批、第二批). Its second year: tests/testsuite/years.rs.

use crate::support::*;

const SCHEDULE: &str = "data/notices/growth/2026/schedule.toml";
const NOTICE: &str = "notices/growth/2026/index.html";

fn monthly() -> Fixture {
    Fixture::site("monthly")
}

fn build_on(f: &Fixture, today: &str) {
    assert_ok(&f.run(&["build", "--today", today]));
}

#[test]
fn a_monthly_rule_gives_every_month_but_the_skipped_one() {
    let f = monthly();
    build_on(&f, "2026-05-12");
    let notice = f.out(NOTICE);
    let all = rows_after(&notice, "id=\"key-dates\"");
    // 11 windows and 11 deadlines (February skipped) and one plain key date.
    assert_eq!(all.len(), 23, "{all:?}");
    assert!(all.contains(&"3月认定申请受理".to_string()));
    assert!(!all.iter().any(|t| t.starts_with("2月")), "{all:?}");
    assert!(!notice.contains("2026年2月"), "February is skipped");
    // end_day = 31 is each month's last day: 30 April, 30 June, 31 December.
    assert!(notice.contains("<td>2026年4月30日前</td>"), "{notice}");
    assert!(notice.contains("<td>2026年6月30日前</td>"));
    assert!(notice.contains("<td>2026年12月31日前</td>"));
    assert!(!notice.contains("4月31日"));
    assert!(notice.contains("<td>2026年3月1日至3月10日</td>"));
    // The calendar carries every one, each month under its own stable id.
    let ics = f.out("calendar.ics");
    assert_eq!(ics.matches("UID:2026-window-2026-").count(), 11, "{ics}");
    assert_eq!(ics.matches("UID:2026-recommendation-2026-").count(), 11);
    assert!(ics.contains("UID:2026-window-2026-03@"), "{ics}");
    assert!(ics.contains("UID:2026-recommendation-2026-12@"));
    assert!(!ics.contains("UID:2026-window-2026-02@"));
}

#[test]
fn the_home_page_shows_the_next_key_dates_not_the_whole_year() {
    let f = monthly();
    build_on(&f, "2026-05-12");
    let home = f.out("index.html");
    let shown = rows_after(&home, "id=\"dates-h\"");
    // May's window (1–10 May) has ended on the 12th; the next five follow in date order.
    assert_eq!(
        shown,
        [
            "2026年5月区县推荐截止",
            "6月认定申请受理",
            "2026年6月区县推荐截止",
            "7月认定申请受理",
            "2026年7月区县推荐截止",
        ],
        "{home}"
    );
    assert!(!home.contains("1月认定申请受理"));
    assert!(!home.contains("5月认定申请受理"));
    // The full list is one link away, and the count is the whole year's.
    assert!(
        home.contains("全部23项关键日期见<a href=\"/lj/notices/growth/2026/#key-dates\">2026年成长型中小企业通知</a>和<a href=\"/lj/calendar.ics\">日历文件</a>。"),
        "{home}"
    );

    // Without the calendar file (--skip feeds) the notice alone is named.
    assert_ok(&f.run(&["build", "--today", "2026-05-12", "--skip", "feeds"]));
    let home = f.out("index.html");
    assert!(
        home.contains("#key-dates\">2026年成长型中小企业通知</a>。</p>"),
        "{home}"
    );

    // An open window is shown first, with its state.
    build_on(&f, "2026-06-05");
    let home = f.out("index.html");
    let shown = rows_after(&home, "id=\"dates-h\"");
    assert_eq!(shown[0], "6月认定申请受理", "{shown:?}");
    assert!(home.contains("status-open"));

    // Late in December only what has not ended is left.
    build_on(&f, "2026-12-28");
    let shown = rows_after(&f.out("index.html"), "id=\"dates-h\"");
    // Both end on 31 December; the one that started earlier comes first.
    assert_eq!(shown, ["年度工作总结报送", "2026年12月区县推荐截止"]);

    // After the year, no table of ended dates: a sentence, and the links to all of them.
    build_on(&f, "2027-01-05");
    let home = f.out("index.html");
    // Only notices with key dates of their own are named (the numbered programme has none).
    assert!(
        home.contains("2026年度成长型中小企业的关键日期都已结束。"),
        "{home}"
    );
    assert!(!home.contains("aria-label=\"关键日期表\""));
    assert!(home.contains("#key-dates\">"));
}

#[test]
fn the_build_is_the_same_for_the_same_day() {
    let f = monthly();
    // The site, without Gazette's record of the files it wrote (their times and inodes).
    let site = |f: &Fixture| {
        let mut files = snapshot(&f.path("public"));
        files.retain(|(path, _)| path != ".gazette-output");
        files
    };
    build_on(&f, "2026-05-12");
    let first = site(&f);
    build_on(&f, "2026-05-12");
    assert!(first == site(&f), "two builds differ");
    // A day later the home page moves on (the first five change), so the test can fail.
    build_on(&f, "2026-06-01");
    assert!(first != site(&f));
}

#[test]
fn a_range_across_years_and_a_leap_february() {
    let f = monthly();
    f.edit(
        SCHEDULE,
        "skip_months = [2]                # 春节所在月份不受理",
        "from = 2027-11-05\nuntil = 2028-02-29",
    );
    build_on(&f, "2026-05-12");
    let notice = f.out(NOTICE);
    let all = rows_after(&notice, "id=\"key-dates\"");
    // November 2027's window (1–10) starts before the range: left out. December, January,
    // February 2028 (a leap year) are in.
    let windows: Vec<&String> = all.iter().filter(|t| t.ends_with("认定申请受理")).collect();
    assert_eq!(
        windows,
        ["12月认定申请受理", "1月认定申请受理", "2月认定申请受理"]
    );
    assert!(
        notice.contains("<td>2028年2月1日至2月10日</td>"),
        "{notice}"
    );
    // The other rule keeps the notice's year, its default range.
    assert!(notice.contains("<td>2026年12月31日前</td>"));
    assert!(!notice.contains("2027年12月31日前"));
}

#[test]
fn a_day_past_a_short_month_is_clamped_to_a_one_day_window() {
    let f = monthly();
    f.edit(SCHEDULE, "start_day = 25", "start_day = 30");
    f.edit(
        SCHEDULE,
        "skip_months = [2]\n",
        "from = 2028-02-01\nuntil = 2028-02-29\n",
    );
    build_on(&f, "2026-05-12");
    let notice = f.out(NOTICE);
    assert!(notice.contains("<td>2028年2月29日前</td>"), "{notice}");
    let ics = f.out("calendar.ics");
    assert!(ics.contains("UID:2026-recommendation-2028-02@"), "{ics}");
    assert!(ics.contains("20280229"), "{ics}");
}

#[test]
fn a_bad_rule_is_refused_at_its_value() {
    for (from, to, needle, message) in [
        (
            "end_day = 10",
            "end_day = 32",
            "32",
            "每月的日子要在 1 到 31 之间",
        ),
        (
            "start_day = 1\n",
            "start_day = 99\n",
            "99",
            "每月的日子要在 1 到 31 之间",
        ),
        (
            "end_day = 10",
            "end_day = -1",
            "-1",
            "每月的日子要在 1 到 31 之间",
        ),
        (
            "start_day = 1\n",
            "start_day = 11\n",
            "10",
            "end_day = 10 早于 start_day = 11",
        ),
        (
            "skip_months = [2]                # 春节",
            "skip_months = [13]                # 春节",
            "[13]",
            "skip_months 中的 13 不是月份",
        ),
        (
            "skip_months = [2]                # 春节",
            "from = 2026-06-01\nuntil = 2026-05-31\nskip_months = [2]                # 春节",
            "2026-05-31",
            "until 早于 from",
        ),
        (
            "skip_months = [2]                # 春节",
            "skip_months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]                # 春节",
            "\"{month}月认定申请受理\"",
            "一次也没有",
        ),
        (
            "{month}月认定申请受理",
            "{day}日认定申请受理",
            "\"{day}日认定申请受理\"",
            "title 中的 {day} 无法填写",
        ),
        (
            "id = \"window\"",
            "id = \"Window 1\"",
            "\"Window 1\"",
            "只能用小写英文字母、数字和 -",
        ),
        (
            "id = \"annual-summary\"",
            "id = \"window-2026-03\"",
            "\"window-2026-03\"",
            "关键日期的编号“window-2026-03”用了两次",
        ),
    ] {
        let f = monthly();
        f.edit(SCHEDULE, from, to);
        let err = refused(&f, &[&pos(&f, SCHEDULE, needle), message]);
        assert!(
            err.contains("[key-date-repeat]") || err.contains("[key-date-id]"),
            "{err}"
        );
    }
}

#[test]
fn the_latest_lists_are_by_date_across_programmes() {
    let f = monthly();
    build_on(&f, "2026-07-08");
    let home = f.out("index.html");
    let order: Vec<usize> = [
        "lists/giant-2026-b2-recognition/",
        "lists/specialised-2026-h1-recognition/",
        "lists/2026-m06-recognition/",
        "lists/giant-2026-b1-recognition/",
    ]
    .iter()
    .map(|id| {
        home.find(&format!("card-title\"><a href=\"/lj/{id}\""))
            .unwrap_or_else(|| panic!("{id} not on the home page:\n{home}"))
    })
    .collect();
    // The half-yearly batch 1 (published 6 July) comes before the monthly batch 6 (15 June),
    // and the numbered 第二批 (21 September) and 第一批 (13 April) take their places by date
    // around them: dates, not batch numbers, order different programmes.
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The home page shows the four latest; the monthly March list (20 March) is older.
    assert!(!home.contains("card-title\"><a href=\"/lj/lists/2026-m03-recognition/\""));
}

#[test]
fn the_lists_page_groups_several_programmes_within_a_year() {
    let f = monthly();
    build_on(&f, "2026-07-08");
    let lists = f.out("lists/index.html");
    let at = |s: &str| {
        lists
            .find(s)
            .unwrap_or_else(|| panic!("{s} not in the lists page:\n{lists}"))
    };
    let growth = at("<th scope=\"rowgroup\" colspan=\"7\">2026年成长型中小企业</th>");
    let m06 = at("href=\"/lj/lists/2026-m06-recognition/\"");
    let m03 = at("href=\"/lj/lists/2026-m03-recognition/\"");
    let specialised = at("<th scope=\"rowgroup\" colspan=\"7\">2026年专精特新中小企业</th>");
    let h1 = at("href=\"/lj/lists/specialised-2026-h1-recognition/\"");
    let giant = at("<th scope=\"rowgroup\" colspan=\"7\">2026年科技小巨人企业</th>");
    let b2 = at("href=\"/lj/lists/giant-2026-b2-recognition/\"");
    let b1 = at("href=\"/lj/lists/giant-2026-b1-recognition/\"");
    assert!(growth < m06 && m06 < m03 && m03 < specialised && specialised < h1);
    assert!(giant < b2 && b2 < b1, "{lists}");
    // Each group is its own row group (one a programme), and the year's anchor is on the first.
    assert_eq!(lists.matches("<tbody>").count(), 3, "{lists}");
    assert_eq!(lists.matches("id=\"year-2026\"").count(), 1);

    // A site of one programme has no group rows.
    let one = Fixture::minimal();
    assert_ok(&one.build());
    assert!(!one.out("lists/index.html").contains("rowgroup"));
}

#[test]
fn the_fixture_says_none_of_the_default_sites_words() {
    let f = monthly();
    build_on(&f, "2026-05-12");
    assert_only_its_own_words(&f);
}
