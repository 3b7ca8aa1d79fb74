//! Programmes and years (issue 13): one binary publishes any programme of any city, and a
//! site keeps every year. Three sites: another city with a half-yearly 专精特新 programme
//! (tests/fixtures/shenyang), the minimal site with its 2027 notice beside 2026, and the
//! minimal site carrying both programmes. None needs a change to Rust.

use crate::support::*;

const NOTICE_2026: &str = "content/notices/innovative/2026/index.md";

/// The minimal site with what a year of its programme has beside the notice: the notice's
/// earlier address (`aliases`), its key dates, a criteria page with its conditions, an
/// announced list of the first quarter and a review list under publicity.
fn minimal_year() -> Fixture {
    let f = Fixture::minimal();
    f.edit(
        NOTICE_2026,
        "weight = 1\n",
        "weight = 1\naliases = [\"notice/\"]\n",
    );
    f.write(
        "data/notices/innovative/2026/schedule.toml",
        "# 示例 (SAMPLE)\n[[key_date]]\nid = \"q1-window\"\ntitle = \"第一季度申报和复核\"\nstart = 2026-01-01\nend = 2026-03-31\n\n[[key_date]]\nid = \"q4-window\"\ntitle = \"第四季度申报和复核\"\nstart = 2026-10-01\nend = 2026-12-31\n\n[[key_date]]\nid = \"q4-recommendation\"\ntitle = \"第四季度区县推荐截止\"\nstart = 2027-01-01\nend = 2027-01-10\ndeadline = true\n",
    );
    f.write(
        "data/notices/innovative/2026/criteria.toml",
        "# 示例 (SAMPLE): conditions only.\ntitle = \"创新型中小企业申报条件（示例）\"\nsource = \"示例文件\"\n\n[[condition]]\nmarker = \"（一）\"\ntext = \"在中华人民共和国境内工商注册登记、具有独立法人资格的中小企业（示例）。\"\n",
    );
    f.write(
        "content/notices/innovative/2026/criteria.md",
        "+++\ntitle = \"申报条件\"\ntemplate = \"criteria.html\"\nweight = 2\n+++\n\n示例：符合全部条件即可申报。\n",
    );
    let head = |batch: u32, kind: &str, stage: &str| {
        format!("# 示例数据 (SAMPLE DATA)\nyear = 2026\nbatch = {batch}\nkind = \"{kind}\"\nstage = \"{stage}\"\nsample = true\n")
    };
    f.write(
        "data/lists/2026-q1-application.toml",
        &format!(
            "{}\n[publicity]\nstart = 2026-04-20\nworking_days = 5\n\n[announcement]\ndate = 2026-05-20\n{}",
            head(1, "application", "announced"),
            enterprise_rows(&[("大连示例最小丁科技有限公司", &credit_code("210202", 11), "中山区")])
        ),
    );
    f.write(
        "data/lists/2026-q3-review.toml",
        &format!(
            "{}\n[publicity]\nstart = 2026-11-23\nworking_days = 5\n{}",
            head(3, "review", "publicity"),
            enterprise_rows(&[(
                "大连示例最小戊电子有限公司",
                &credit_code("210213", 12),
                "金普新区"
            )])
        ),
    );
    assert_ok(&f.check());
    f
}

#[test]
fn another_city_says_only_its_own_words() {
    let f = Fixture::site("shenyang");
    assert_ok(&f.run(&["build", "--today", "2026-11-27"]));
    let output = assert_only_its_own_words(&f);
    assert!(output.len() > 40, "only {} files", output.len());
    // Its own words instead: district_term from data/site.toml, the theme's neutral word
    // for applying (the programme names none), the platform by its address.
    let districts = f.out("districts/index.html");
    assert!(
        districts.contains("<th scope=\"col\">区、县（市）</th>"),
        "{districts}"
    );
    assert!(districts.contains("各区、县（市）的企业名单和咨询电话"));
    let criteria = f.out("notices/specialised/2026/criteria/index.html");
    assert!(
        criteria.contains("<h2 id=\"conditions\">申请条件</h2>"),
        "{criteria}"
    );
    assert!(criteria.contains("申请企业应同时符合以下条件：</p>"));
    let home = f.out("index.html");
    assert!(home.contains("<span>申请条件、时间、流程和工作要求</span>"));
    assert!(home.contains(
        "认定、复核和更新企业信息均在<a href=\"https://zjtx.miit.gov.cn\">https://zjtx.miit.gov.cn</a>线上办理"
    ), "{home}");
}

#[test]
fn another_city_with_half_yearly_batches_and_its_own_kinds() {
    let f = Fixture::site("shenyang");
    assert_ok(&f.run(&["build", "--today", "2026-11-27"]));
    // Titles, ids and words come from data/programmes/specialised.toml.
    let list = f.out("lists/2026-h2-recognition/index.html");
    assert!(
        list.contains("<h1>2026年下半年专精特新中小企业认定名单公示</h1>"),
        "{list}"
    );
    assert!(list.contains("<dt>批次</dt><dd>2026年下半年</dd>"));
    assert!(list.contains("<dt>类型</dt><dd>认定</dd>"));
    assert!(list.contains("10个工作日"));
    let review = f.out("lists/2026-h1-review/index.html");
    assert!(review.contains("2026年上半年专精特新中小企业复核名单"));
    assert!(review.contains("<dt>有效期</dt><dd>2026年6月30日至2029年6月29日</dd>"));
    // The notice's signature block (issuer and date) is found in any city's text.
    assert!(f.out("notices/specialised/2026/index.html").contains(
        "<div class=\"signature\"><p>沈阳市工业和信息化局（示例）</p>\n<p>2026年3月2日</p></div>"
    ));
    // A programme without scoring criteria shows its conditions only.
    let criteria = f.out("notices/specialised/2026/criteria/index.html");
    assert!(criteria.contains("在中华人民共和国境内工商注册登记"));
    assert!(!criteria.contains("id=\"selfassess\""));
    assert!(!criteria.contains("selfassess.js"));
    // Its own districts, with the city prefix understood.
    assert_eq!(
        std::fs::read_dir(f.path("public/districts"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count(),
        10
    );
    assert!(f.out("districts/和平区/index.html").contains("沈阳示例"));
    // The key dates of its notice, in the page and in the calendar file.
    assert!(f.out("index.html").contains("下半年区县推荐截止"));
    assert!(f
        .out("calendar.ics")
        .contains("UID:2026-h2-deadline@example.gov.cn"));
    // No page is required but the notice: a site without a contacts page links none.
    f.remove("content/contacts.md");
    assert_ok(&f.run(&["build", "--today", "2026-11-27"]));
    assert!(!f.out("index.html").contains("contacts/"));
    // Nothing of Dalian or of the other programme anywhere in the output.
    for (path, text) in all_output(&f) {
        for word in ["大连", "创新型", "申报和复核", "季度"] {
            assert!(!text.contains(word), "{path} says {word}");
        }
    }
}

#[test]
fn next_years_notice_joins_this_years_and_every_address_stays() {
    let f = minimal_year();
    let o = f.run(&["new", "notice", "--year", "2027"]);
    assert_ok(&o);
    let text = "content/notices/innovative/2027/index.md";
    assert!(f.read(text).contains("draft = true"));
    assert!(f
        .read("data/notices/innovative/2027/schedule.toml")
        .contains("start = 2027-01-01"));
    // A second run refuses to overwrite.
    let again = f.run(&["new", "notice", "--year", "2027"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("[notice-exists]"));
    // While a draft, the build leaves it (and its key dates) out.
    assert_ok(&f.run(&["build", "--today", "2026-11-27"]));
    assert!(!f.path("public/notices/innovative/2027").exists());
    assert!(!f.out("calendar.ics").contains("2027-q1-window"));

    // The clerk replaces the text, dates it and publishes it.
    finish_scaffold(&f, text, "\n（2027年通知的正文）\n");
    finish_scaffold(&f, "content/notices/innovative/2027/criteria.md", "");
    f.edit(text, "weight = 1\n", "weight = 1\ndate = 2027-02-01\n");
    // 2026's lists are announced (with the command), a 2027 list goes under publicity.
    for id in ["2026-q3-application", "2026-q3-review"] {
        assert_ok(&f.run(&["list", "announce", id, "--date", "2026-12-20", "--force"]));
    }
    f.write(
        "data/lists/2027-q1-application.toml",
        &format!(
            "# 示例数据 (SAMPLE DATA)\nyear = 2027\nbatch = 1\nkind = \"application\"\nstage = \"publicity\"\nsample = true\n\n[publicity]\nstart = 2027-02-22\ncalendar_days = 7\n{}",
            enterprise_rows(&[("大连示例二〇二七科技有限公司", &credit_code("210202", 2027), "中山区")])
        ),
    );
    assert_ok(&f.run(&["build", "--today", "2027-02-24"]));

    let home = f.out("index.html");
    // The home page leads with 2027 and keeps 2026 reachable.
    assert!(
        home.contains("<caption>2027年度近期关键日期</caption>"),
        "{home}"
    );
    assert!(home.contains("往年通知和名单"));
    assert!(home.contains("href=\"/notices/innovative/2026/\""));
    assert!(home.contains("href=\"/notices/innovative/2027/\""));
    assert!(home.contains("2027年第一季度创新型中小企业申报拟公告名单公示"));
    // The nav goes to this year's notice.
    assert!(home.contains("<li><a href=\"/notices/innovative/2027/\">通知原文</a></li>"));
    // Every address of 2026 is still there, the first edition's redirect too.
    for page in [
        "notices/innovative/2026/index.html",
        "notices/innovative/2026/criteria/index.html",
        "lists/2026-q3-application/index.html",
        "lists/2026-q3-application/2026-q3-application.csv",
        "lists/2026-q1-application/publicity/index.html",
    ] {
        assert!(f.path(&format!("public/{page}")).is_file(), "{page}");
    }
    assert!(f
        .out("notice/index.html")
        .contains("url=/notices/innovative/2026/"));
    assert!(f
        .out("lists/2026-q3-review/index.html")
        .contains("2026年第三季度创新型中小企业复核公告名单"));
    // Calendar entries of both years; feed ids that never change.
    let ics = f.out("calendar.ics");
    assert!(ics.contains("UID:2026-q1-window@") && ics.contains("UID:2027-q1-window@"));
    let feed = f.out("feed.xml");
    assert!(feed.contains("tag:example.gov.cn,2026:page/notice/</id>"));
    assert!(feed.contains("tag:example.gov.cn,2026:page/notices/innovative/2027/</id>"));
    assert!(f
        .out("sitemap.xml")
        .contains("/notices/innovative/2027/</loc>"));
}

#[test]
fn one_site_carries_both_programmes() {
    let f = minimal_year();
    let sy = repo().join("tests/fixtures/shenyang");
    let read = |rel: &str| std::fs::read_to_string(sy.join(rel)).unwrap();
    f.write(
        "data/programmes/specialised.toml",
        &read("data/programmes/specialised.toml"),
    );
    for rel in [
        "data/notices/specialised/2026/criteria.toml",
        "data/notices/specialised/2026/schedule.toml",
        "content/notices/specialised/2026/criteria.md",
    ] {
        f.write(rel, &read(rel));
    }
    f.write(
        "content/notices/specialised/2026/index.md",
        &read("content/notices/specialised/2026/index.md").replace("沈阳市", "大连市"),
    );
    // The other programme's list, in Dalian's districts.
    let list = read("data/lists/2026-h2-recognition.toml")
        .replace("year = 2026", "programme = \"specialised\"\nyear = 2026");
    // Shenyang's ten districts become the minimal site's two, in turn.
    let shenyang = [
        "和平区",
        "沈河区",
        "大东区",
        "皇姑区",
        "铁西区",
        "苏家屯区",
        "浑南区",
        "沈北新区",
        "于洪区",
        "辽中区",
    ];
    let list = shenyang
        .iter()
        .zip(["中山区", "金普新区"].iter().cycle())
        .fold(list, |t, (s, d)| {
            t.replace(&format!("\"{s}\""), &format!("\"{d}\""))
        });
    assert!(!shenyang.iter().any(|s| list.contains(s)), "{list}");
    f.write("data/lists/specialised-2026-h2-recognition.toml", &list);
    // The site's own keywords, which every page's come first in.
    f.edit(
        "data/site.toml",
        "site_domain = \"example.gov.cn\"\n",
        "site_domain = \"example.gov.cn\"\nkeywords = [\"大连\"]\n",
    );
    assert_ok(&f.run(&["build", "--today", "2026-11-27"]));

    // The default programme's ids are as before; the other's carry its id.
    let page = f.out("lists/specialised-2026-h2-recognition/index.html");
    assert!(page.contains("2026年下半年专精特新中小企业认定名单公示"));
    assert!(page.contains("<dt>批次</dt><dd>专精特新中小企业 · 2026年下半年</dd>"));
    assert!(f
        .path("public/lists/2026-q3-application/index.html")
        .is_file());
    let json = f.out("lists/specialised-2026-h2-recognition/specialised-2026-h2-recognition.json");
    assert!(
        json.contains("\"programme\": \"specialised\"")
            && json.contains("\"batch_name\": \"下半年\"")
    );
    assert!(!json.contains("\"quarter\""));
    assert!(f
        .out("lists/2026-q3-application/2026-q3-application.json")
        .contains("\"quarter\": 3"));
    // The lists page names the programme of each list; the home page both notices.
    let lists = f.out("lists/index.html");
    assert!(lists.contains("<th scope=\"col\">项目</th>"));
    assert!(
        lists.contains("<td>专精特新中小企业</td>") && lists.contains("<td>创新型中小企业</td>")
    );
    let home = f.out("index.html");
    assert!(
        home.contains("href=\"/notices/specialised/2026/\"")
            && home.contains("href=\"/notices/innovative/2026/\"")
    );
    assert!(home.contains("下半年区县推荐截止") && home.contains("第四季度区县推荐截止"));
    // District pages, feed and calendar across programmes.
    let zs = f.out("districts/中山区/index.html");
    assert!(zs.contains("沈阳示例") && zs.contains("大连示例"));
    assert!(f
        .out("feed.xml")
        .contains("2026年下半年专精特新中小企业认定名单公示"));
    let ics = f.out("calendar.ics");
    assert!(
        ics.contains("UID:specialised-2026-h2-deadline@") && ics.contains("UID:2026-q1-window@")
    );
    // Meta tags: the programme's own column and keywords.
    assert!(page.contains("<meta name=\"ColumnName\" content=\"专精特新中小企业\">"));
    assert!(page.contains("content=\"大连,专精特新中小企业,认定,复核,公示\""));
    // Import names the programme: a kind of the other programme is refused for the default.
    let csv = f.path("a.csv");
    std::fs::write(
        &csv,
        "企业名称,所属区县,统一社会信用代码\n大连示例某某科技有限公司,中山区,91210204MA83FQEFL4\n",
    )
    .unwrap();
    let o = f.run(&[
        "import",
        csv.to_str().unwrap(),
        "--year",
        "2026",
        "--batch",
        "4",
        "--kind",
        "认定",
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = f.run(&[
        "import",
        csv.to_str().unwrap(),
        "--programme",
        "specialised",
        "--year",
        "2026",
        "--batch",
        "1",
        "--kind",
        "认定",
    ]);
    assert_ok(&o);
    assert!(f
        .read("data/lists/specialised-2026-h1-recognition.toml")
        .contains("programme = \"specialised\""));
}

/// Issue 27, item 1: the objection deadline in `calendar.ics` ends at the site's
/// `deadline_time` (17:00 in the Shenyang sample), not at 24:00; a time that is no time of
/// day is refused where it stands.
#[test]
fn the_calendars_objection_deadline_keeps_its_time_of_day() {
    let f = Fixture::site("shenyang");
    assert_ok(&f.run(&["build", "--today", "2026-11-27"]));
    let ics = f.out("calendar.ics").replace("\r\n ", "");
    let event = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("UID:2026-h2-recognition-objection-deadline@"))
        .expect("the deadline event");
    let start = event.lines().find(|l| l.starts_with("DTSTART")).unwrap();
    let end = event.lines().find(|l| l.starts_with("DTEND")).unwrap();
    assert!(start.ends_with("T160000"), "{start}");
    assert!(end.ends_with("T170000"), "{end}");
    assert!(start[start.len() - 15..start.len() - 7] == end[end.len() - 15..end.len() - 7]);

    let f = Fixture::site("shenyang");
    f.edit(
        "data/site.toml",
        "deadline_time = \"17:00\"",
        "deadline_time = \"下午五点\"",
    );
    let at = pos(&f, "data/site.toml", "\"下午五点\"");
    refused(&f, &[&at, "[deadline-time]", "不是一天中的时刻"]);
}

/// Issue 27, item 2: a draft notice (`draft = true` in its text) is left out whole, its
/// criteria page too, and `check` says so; the build does not fail on the criteria page.
#[test]
fn a_draft_notice_leaves_out_its_criteria_page_and_check_says_so() {
    let f = Fixture::site("shenyang");
    let text = "content/notices/specialised/2026/index.md";
    f.edit(text, "weight = 1\n", "weight = 1\ndraft = true\n");
    let o = f.check();
    assert_ok(&o);
    assert!(
        stderr(&o).contains("[draft]") && stderr(&o).contains(text),
        "{}",
        stderr(&o)
    );
    assert_ok(&f.build());
    assert!(!f
        .path("public/notices/specialised/2026/index.html")
        .exists());
    assert!(!f
        .path("public/notices/specialised/2026/criteria/index.html")
        .exists());
    assert!(f.path("public/lists/index.html").exists());
}

/// Issue 27, item 3: the contacts page shows the district table once, where its Markdown's
/// `<!-- district-table -->` marker puts it (the Shenyang sample has one), or after the
/// text when there is no marker.
#[test]
fn the_district_table_is_shown_once_with_or_without_the_marker() {
    let text = "各区县的工作时间为工作日。";
    // (what replaces the marker, whether the table comes before the text)
    for (body, table_first) in [
        (format!("<!-- district-table -->\n\n{text}"), true),
        (text.to_string(), false),
    ] {
        let f = Fixture::site("shenyang");
        f.edit("content/contacts.md", "<!-- district-table -->", &body);
        assert_ok(&f.build());
        let page = f.out("contacts/index.html");
        assert_eq!(page.matches("<table").count(), 1, "{page}");
        assert_eq!(
            page.find("<table").unwrap() < page.find(text).unwrap(),
            table_first,
            "{page}"
        );
    }
}

/// Issue 27, item 4: a second programme's only notice, of a year before the build's, is
/// that programme's current notice: in the menu and at the head of the home page, not
/// under 往年通知和名单.
#[test]
fn each_programme_leads_with_its_own_latest_notice() {
    let f = Fixture::minimal();
    let sy = repo().join("tests/fixtures/shenyang");
    let read = |rel: &str| std::fs::read_to_string(sy.join(rel)).unwrap();
    f.write(
        "data/programmes/specialised.toml",
        &read("data/programmes/specialised.toml"),
    );
    f.write(
        "content/notices/specialised/2025/index.md",
        &read("content/notices/specialised/2026/index.md")
            .replace("2026", "2025")
            .replace("沈阳市", "大连市"),
    );
    assert_ok(&f.run(&["build", "--today", "2026-11-27"]));
    let home = f.out("index.html");
    let link = "href=\"/notices/specialised/2025/\"";
    let nav = &home[home.find("<nav class=\"site-nav\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains(link), "{nav}");
    assert!(nav.contains("href=\"/notices/innovative/2026/\""), "{nav}");
    let past = home.find("往年通知和名单").map_or("", |i| &home[i..]);
    assert!(!past.contains(link), "listed among earlier years");
    assert!(home.contains(link));
}

/// Issue 27, item 9: a scaffolded notice published without being rewritten is refused:
/// one still carrying the note of `gazette new notice`, or one whose text is last year's.
#[test]
fn a_scaffolded_notice_cannot_go_out_with_last_years_text() {
    let f = minimal_year();
    assert_ok(&f.run(&["new", "notice", "--year", "2027"]));
    let page = "content/notices/innovative/2027/index.md";
    assert_ok(&f.check());
    // The clerk deletes `draft = true` and nothing else.
    f.edit(page, "draft = true\n", "");
    let at = pos(&f, page, "<!-- 由 gazette new notice 照");
    assert_fails_with(&f.check(), &[&at, "[notice-scaffold]"]);
    // Deleting the note too still publishes last year's text.
    let text = f.read(page);
    let note = text.find("<!-- 由").unwrap();
    let end = note + text[note..].find("-->").unwrap() + 3;
    f.write(page, &format!("{}{}", &text[..note], &text[end..]));
    assert_fails_with(&f.check(), &[page, "[notice-scaffold]", "2026年"]);
    // Rewritten, and its criteria page checked (draft and note removed), it goes out.
    finish_scaffold(&f, "content/notices/innovative/2027/criteria.md", "");
    let text = f.read(page);
    let body_at = text[3..].find("+++").unwrap() + 6;
    f.write(page, &format!("{}\n大连市工业和信息化局关于做好2027年度创新型中小企业申报和复核工作的通知（正文）。\n", &text[..body_at]));
    assert_ok(&f.check());
}

/// What a clerk does to a page `gazette new notice` made: deletes `draft = true` and the
/// command's note, and adds `extra` to the text.
fn finish_scaffold(f: &Fixture, page: &str, extra: &str) {
    f.edit(page, "draft = true\n", "");
    let text = f.read(page);
    let note = text.find("<!-- 由").unwrap();
    let end = note + text[note..].find("-->").unwrap() + 3;
    f.write(page, &format!("{}{}{extra}", &text[..note], &text[end..]));
}
