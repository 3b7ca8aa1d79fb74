//! Issue 27 items 6 and 7 on `tests/fixtures/numbered/` (an invented city's programme with
//! numbered batches): batches named in Chinese numerals (`batch_pattern = "第{cn}批"`)
//! wherever a batch's name appears, and a programme-wide publicity length (`[publicity]`
//! in its file) that lists, `list publish` and `import` use when they give none.

use crate::support::*;

const PROGRAMME: &str = "data/programmes/giant.toml";
const B2: &str = "data/lists/2026-b2-recognition.toml";

/// Every file of the built site, with its path under public/.
fn site_files(f: &Fixture) -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                out.push((rel, text));
            }
        }
    }
    let mut out = Vec::new();
    let base = f.path("public");
    walk(&base, &base, &mut out);
    out
}

#[test]
fn numbered_batches_are_named_in_chinese_numerals_wherever_a_batch_is_named() {
    let f = Fixture::site("numbered");
    // Batch 11: the boundary where 十一 (not 一十一) is written.
    f.write(
        "data/lists/2026-b11-recognition.toml",
        &format!(
            "year = 2026\nbatch = 11\nkind = \"recognition\"\nstage = \"publicity\"\nsample = true\n\n[publicity]\nstart = 2026-11-02\n\n{}",
            enterprise_rows(&[("青岚示例丁科技有限公司", "91210202MATU8FKPXX", "西山区")])
        ),
    );
    assert_ok(&f.build());
    let files = site_files(&f);
    for (batch, id) in [
        ("第二批", "2026-b2-recognition"),
        ("第十一批", "2026-b11-recognition"),
    ] {
        let title = format!("2026年{batch}科技小巨人企业认定名单公示");
        for page in [
            format!("lists/{id}/index.html"),
            format!("lists/{id}/publicity/index.html"),
            "lists/index.html".to_string(),
            "feed.xml".to_string(),
            "calendar.ics".to_string(),
        ] {
            let text = &files.iter().find(|(p, _)| *p == page).unwrap().1;
            // iCalendar folds long lines (RFC 5545 3.1): unfold before reading.
            let text = text.replace("\r\n ", "");
            assert!(text.contains(&title), "{page} lacks {title}");
        }
        // The details (批次) say the batch's name, not its number.
        assert!(f
            .out(&format!("lists/{id}/index.html"))
            .contains(&format!("2026年{batch}</dd>")));
        let json = f.out(&format!("lists/{id}/{id}.json"));
        assert!(
            json.contains(&format!("\"batch_name\": \"{batch}\"")),
            "{json}"
        );
        // The search index names the list by its title.
        assert!(
            files.iter().any(|(p, t)| p.starts_with("search/")
                && p.ends_with(".json")
                && t.contains(&title)),
            "no search file holds {title}"
        );
    }
    let announced = f.out("lists/2026-b1-recognition/index.html");
    assert!(announced.contains("2026年第一批科技小巨人企业认定名单"));
    // Nowhere the Arabic form the pattern no longer asks for.
    for (path, text) in &files {
        for arabic in ["第1批", "第2批", "第11批", "{cn}"] {
            assert!(!text.contains(arabic), "{path} holds {arabic}");
        }
    }

    // {n} still writes Arabic numerals, for programmes that do.
    f.edit(PROGRAMME, "第{cn}批", "第{n}批");
    assert_ok(&f.build());
    assert!(f
        .out("lists/2026-b11-recognition/index.html")
        .contains("2026年第11批科技小巨人企业认定名单公示"));
}

#[test]
fn a_batch_pattern_with_an_unknown_placeholder_or_none_is_refused_at_its_position() {
    let f = Fixture::site("numbered");
    f.edit(PROGRAMME, "第{cn}批", "第{CN}批");
    refused(
        &f,
        &[
            &pos(&f, PROGRAMME, "\"第{CN}批\""),
            "[programme-batches]",
            "批次名称格式中的“{CN}”不认识",
            "{cn}（汉字数字：第一批）",
        ],
    );
    f.edit(PROGRAMME, "第{CN}批", "批次");
    refused(
        &f,
        &[
            &pos(&f, PROGRAMME, "\"批次\""),
            "[programme-batches]",
            "其中用 {n} 或 {cn} 代表批次号",
        ],
    );
}

#[test]
fn a_list_without_a_length_takes_the_programmes_and_its_own_overrides_it() {
    let f = Fixture::site("numbered");
    assert_ok(&f.build());
    // 2026-09-21 plus seven working days over 中秋节 (25–27 September): the 30th.
    let page = f.out("lists/2026-b2-recognition/publicity/index.html");
    assert!(page.contains("7个工作日"), "{page}");
    assert!(page.contains("2026年9月30日"), "{page}");
    let json = f.out("lists/2026-b2-recognition/2026-b2-recognition.json");
    assert!(json.contains("\"working_days\": 7"), "{json}");
    // The announced list's own end wins over the programme's seven working days.
    let lists = f.run(&["lists", "--today", TODAY]);
    assert_ok(&lists);
    let text = String::from_utf8_lossy(&lists.stdout);
    assert!(text.contains("2026年6月1日至6月5日"), "{text}");
    assert!(text.contains("2026年9月21日至9月30日"), "{text}");

    // Calendar days from the programme.
    f.edit(PROGRAMME, "working_days = 7", "calendar_days = 3");
    assert_ok(&f.build());
    let page = f.out("lists/2026-b2-recognition/publicity/index.html");
    assert!(page.contains("2026年9月23日"), "{page}");
    assert!(!page.contains("2026年9月30日"), "{page}");

    // A list's own count overrides the programme's.
    f.edit(
        B2,
        "start = 2026-09-21",
        "start = 2026-09-21\nworking_days = 5",
    );
    assert_ok(&f.build());
    let page = f.out("lists/2026-b2-recognition/publicity/index.html");
    assert!(
        page.contains("5个工作日") && page.contains("2026年9月28日"),
        "{page}"
    );
}

#[test]
fn without_a_programme_default_a_list_without_a_length_is_still_refused() {
    let f = Fixture::site("numbered");
    f.edit(PROGRAMME, "[publicity]\nworking_days = 7\n", "");
    refused(
        &f,
        &[
            &pos(&f, B2, "[publicity]"),
            "[publicity-length]",
            "公示期没有长度",
            "[publicity] 中写一次",
        ],
    );
}

#[test]
fn a_programme_publicity_with_both_counts_none_or_a_bad_one_is_refused() {
    let f = Fixture::site("numbered");
    f.edit(
        PROGRAMME,
        "working_days = 7",
        "working_days = 7\ncalendar_days = 7",
    );
    refused(
        &f,
        &[
            &pos(&f, PROGRAMME, "7\ncalendar_days"),
            "[publicity-length]",
            "只能写一个",
        ],
    );
    f.edit(
        PROGRAMME,
        "working_days = 7\ncalendar_days = 7",
        "working_days = 0",
    );
    refused(
        &f,
        &[
            &pos(&f, PROGRAMME, "0"),
            "[publicity-days]",
            "0 不是可用的天数",
        ],
    );
    f.edit(PROGRAMME, "working_days = 0", "");
    refused(&f, &[PROGRAMME, "[publicity-length]", "没有写公示期的长度"]);
}

const BATCH3: [&str; 6] = ["--year", "2026", "--batch", "3", "--kind", "认定"];
const B3: &str = "data/lists/2026-b3-recognition.toml";

fn sheet(f: &Fixture) -> String {
    let path = f.path("第三批.csv");
    std::fs::write(
        &path,
        "企业名称,所属区县,统一社会信用代码\n青岚示例戊科技有限公司,东湖区,91210202MATU8FKPXX\n",
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn import_and_list_publish_write_the_programmes_length_when_none_is_given() {
    // import with a start and no length: the programme's seven working days, written out.
    let f = Fixture::site("numbered");
    let s = sheet(&f);
    let mut args = vec!["import", s.as_str()];
    args.extend(BATCH3);
    args.extend(["--start", "2026-11-02"]);
    assert_ok(&f.run(&args));
    let list = f.read(B3);
    // 2 November (a Monday) plus seven working days: the 10th.
    assert!(
        list.contains("working_days = 7") && list.contains("end = 2026-11-10"),
        "{list}"
    );
    assert_ok(&f.check());

    // list publish of a draft with a start only: the same.
    let f = Fixture::site("numbered");
    let s = sheet(&f);
    let mut args = vec!["import", s.as_str()];
    args.extend(BATCH3);
    assert_ok(&f.run(&args));
    assert!(f.read(B3).contains("draft = true"));
    let o = f.run(&[
        "list",
        "publish",
        "2026-b3-recognition",
        "--start",
        "2026-11-02",
    ]);
    assert_ok(&o);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("7个工作日")
            || String::from_utf8_lossy(&o.stderr).contains("7个工作日")
    );
    let list = f.read(B3);
    assert!(
        list.contains("working_days = 7") && list.contains("end = 2026-11-10"),
        "{list}"
    );
    assert!(!list.contains("draft = true"), "{list}");
    assert_ok(&f.check());

    // new list with a start only: the same.
    let f = Fixture::site("numbered");
    let mut args = vec!["new", "list"];
    args.extend(BATCH3);
    args.extend(["--start", "2026-11-02"]);
    assert_ok(&f.run(&args));
    let list = f.read(B3);
    assert!(
        list.contains("working_days = 7") && list.contains("end = 2026-11-10"),
        "{list}"
    );

    // A length on the command line still wins.
    let f = Fixture::site("numbered");
    let s = sheet(&f);
    let mut args = vec!["import", s.as_str()];
    args.extend(BATCH3);
    args.extend(["--start", "2026-11-02", "--calendar-days", "3"]);
    assert_ok(&f.run(&args));
    let list = f.read(B3);
    assert!(
        list.contains("calendar_days = 3") && list.contains("end = 2026-11-04"),
        "{list}"
    );
}

#[test]
fn without_a_programme_default_publish_and_import_ask_for_a_length() {
    let f = Fixture::site("numbered");
    f.edit(PROGRAMME, "[publicity]\nworking_days = 7\n", "");
    let s = sheet(&f);
    let mut args = vec!["import", s.as_str()];
    args.extend(BATCH3);
    let with_start: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--start", "2026-11-02"])
        .collect();
    let o = f.run(&with_start);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("没有写公示天数") && err.contains("[publicity]"),
        "{err}"
    );
    assert!(!f.path(B3).exists());

    assert_ok(&f.run(&args));
    let o = f.run(&[
        "list",
        "publish",
        "2026-b3-recognition",
        "--start",
        "2026-11-02",
    ]);
    assert_fails_with(
        &o,
        &["[publish-period]", "没有写公示天数", "--working-days 5"],
    );
    assert!(f.read(B3).contains("draft = true"));
}

#[test]
fn the_programmes_working_days_in_a_year_without_a_calendar_name_the_file_to_add() {
    let f = Fixture::site("numbered");
    f.edit(B2, "year = 2026", "year = 2027");
    f.edit(B2, "start = 2026-09-21", "start = 2027-09-21");
    std::fs::rename(f.path(B2), f.path("data/lists/2027-b2-recognition.toml")).unwrap();
    let file = "data/lists/2027-b2-recognition.toml";
    refused(
        &f,
        &[
            &pos(&f, file, "[publicity]"),
            "[publicity-calendar]",
            "项目默认的公示期：7个工作日",
            "data/calendar/2027.toml",
        ],
    );
}
