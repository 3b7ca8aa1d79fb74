//! Deterministic mutation testing of every loader: thousands of truncated, spliced and
//! corrupted versions of the repository's real data files go through the same parsing and
//! checking as `gazette check` (and the import path), and none may panic. A failed parse
//! must always come with an error diagnostic. Runs in plain `cargo test`; the cargo-fuzz
//! targets in fuzz/ explore the same code for longer (see docs/staff-workflow.md).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gazette::diag::Diagnostics;
use gazette::import::{columns, sheet};
use gazette::lists::write;
use gazette::progress::Progress;
use gazette::source::calendar::CalendarFile;
use gazette::source::districts::DistrictsFile;
use gazette::source::list::ListFile;
use gazette::source::notice::{CriteriaFile, ScheduleFile};
use gazette::validate::SiteData;

use crate::rng::Rng;

use crate::support::{cases, copy_dir, repo};

/// Fragments that break TOML, front matter and CSV in interesting ways.
const SPLICES: &[&str] = &[
    "\"",
    "'",
    "\"\"\"",
    "[",
    "]",
    "[[enterprise]]\n",
    "[publicity]\n",
    "[announcement]\n",
    "=",
    " = ",
    "\n",
    "\r\n",
    "#",
    "\\",
    "\\u",
    "\u{feff}",
    "\u{0}",
    "+++\n",
    "+++",
    "2026-02-30",
    "9999-12-31",
    "0000-01-01",
    "2026-04-20T10:00:00+08:00",
    "-1",
    "99999999999999999999",
    "1e400",
    "nan",
    "inf",
    "true",
    "{",
    "}",
    "{ a = 1 }",
    ",",
    "draft = true\n",
    "stage = \"announced\"\n",
    "working_days = 0\n",
    "calendar_days = 366\n",
    "working_days = 2147483647\n",
    "start = 2099-12-31\n",
    "credit_code = \"ＩＯＳＶＺ\"\n",
    "district = \"\"\n",
    "大连市",
    "中山区",
    "𝕏",
    "\u{202e}",
    "title = \"<script>alert(1)</script>\"\n",
];

fn char_floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One mutation of `text`.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let pos = char_floor(text, rng.below(text.len() + 1));
    let pos2 = char_floor(text, rng.below(text.len() + 1));
    let (a, b) = (pos.min(pos2), pos.max(pos2));
    match rng.below(8) {
        // Truncate (an interrupted save).
        0 => text[..pos].to_string(),
        // Insert a fragment.
        1 | 2 => {
            let s = SPLICES[rng.below(SPLICES.len())];
            format!("{}{s}{}", &text[..pos], &text[pos..])
        }
        // Delete a range.
        3 => format!("{}{}", &text[..a], &text[b..]),
        // Duplicate a range (a repeated table or key).
        4 => format!("{}{}", &text[..b], &text[a..]),
        // Delete or duplicate a whole line.
        5 => {
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if !lines.is_empty() {
                let i = rng.below(lines.len());
                if rng.below(2) == 0 {
                    lines.remove(i);
                } else {
                    lines.insert(i, lines[i]);
                }
            }
            lines.concat()
        }
        // Replace a character with a random one (ASCII or CJK).
        6 => {
            let c = if rng.below(2) == 0 {
                char::from(32 + rng.below(95) as u8)
            } else {
                char::from_u32(0x4E00 + rng.below(0x5000) as u32).unwrap_or('中')
            };
            let end = text[pos..]
                .chars()
                .next()
                .map(|ch| pos + ch.len_utf8())
                .unwrap_or(pos);
            format!("{}{c}{}", &text[..pos], &text[end..])
        }
        // Swap two halves (keys out of their tables).
        _ => format!("{}{}", &text[pos..], &text[..pos]),
    }
}

/// Several mutations on top of each other.
fn mutant(text: &str, rng: &mut Rng) -> String {
    let mut t = text.to_string();
    for _ in 0..1 + rng.below(3) {
        t = mutate(&t, rng);
    }
    t
}

fn site() -> SiteData {
    let mut d = Diagnostics::new();
    gazette::validate::load_site_data(&repo(), &mut d)
        .unwrap_or_else(|| panic!("the repository's data must load:\n{}", d.render(false)))
}

/// Runs `f` on every mutant; stops at the first panic and reports its case and input.
/// `full` cases in the full tier, a tenth in a plain `cargo test` (`support::cases`).
fn each_mutant(name: &str, seeds: &[String], full: usize, seed: u64, f: impl Fn(&str)) {
    let cases = cases(full);
    let mut rng = Rng::new(seed, 0);
    for case in 0..cases {
        let base = &seeds[case % seeds.len()];
        let input = mutant(base, &mut rng);
        if catch_unwind(AssertUnwindSafe(|| f(&input))).is_err() {
            panic!("{name}: mutant {case} of {cases} (seed {seed}) panicked (message above); its input:\n{input:?}");
        }
    }
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn files(dir: &str, ext: &str) -> Vec<String> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v.iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Parses; a failure must say why.
fn parse<T: serde::de::DeserializeOwned>(rel: &str, text: &str) -> Option<T> {
    let (v, d) = gazette::load::parse_toml::<T>(Path::new(rel), text.to_string());
    let rendered = d.render(false);
    if v.is_none() {
        assert!(d.has_errors(), "a failed parse without an error");
        assert!(rendered.contains(rel), "the error must name the file");
    }
    v
}

#[test]
fn mutated_list_files_never_panic_the_loader_or_the_checks() {
    let site = site();
    let seeds = files("data/lists", "toml");
    assert!(seeds.len() >= 3, "the sample lists are the seeds");
    let rel = Path::new("data/lists/2026-q1-application.toml");
    each_mutant("list files", &seeds, 3000, 1, |text| {
        let parsed = parse::<ListFile>("data/lists/2026-q1-application.toml", text);
        // The loader's fast path for list rows must read what the TOML parser reads, or decline.
        if let (Some(fast), Some(slow)) = (gazette::load::fastlist::parse(text), parsed.as_ref()) {
            assert_eq!(
                fast.enterprise.len(),
                slow.enterprise.len(),
                "fast path row count"
            );
            for (f, s) in fast.enterprise.iter().zip(&slow.enterprise) {
                assert_eq!(
                    (f.name.get_ref(), f.name.span()),
                    (s.name.get_ref(), s.name.span())
                );
                assert_eq!(
                    (f.credit_code.get_ref(), f.credit_code.span()),
                    (s.credit_code.get_ref(), s.credit_code.span())
                );
                assert_eq!(
                    (f.district.get_ref(), f.district.span()),
                    (s.district.get_ref(), s.district.span())
                );
                assert_eq!((&f.industry, &f.withdrawn), (&s.industry, &s.withdrawn));
            }
        }
        if let Some(raw) = parsed {
            let mut d = Diagnostics::new();
            d.add_source(rel, Arc::from(text));
            let list = gazette::validate::check_list(rel, raw, &site, &mut d);
            let _ = d.render(false);
            if list.is_none() {
                assert!(d.has_errors(), "a rejected list without an error");
            }
        }
    });
}

#[test]
fn mutated_data_files_never_panic() {
    #[allow(clippy::type_complexity)]
    let cases: [(&str, fn(&str)); 5] = [
        ("data/site.toml", |t| {
            parse::<gazette::source::site::SiteConfig>("data/site.toml", t);
        }),
        ("data/districts.toml", |t| {
            if let Some(f) = parse::<DistrictsFile>("data/districts.toml", t) {
                let mut d = Diagnostics::new();
                let config: gazette::source::site::SiteConfig =
                    toml::from_str(&read("data/site.toml")).unwrap();
                let book = gazette::validate::district_book(&f, &config, &mut d);
                let _ = book.resolve("大连市 中山区");
                let _ = book.unknown_district_help("中三区");
                let _ = d.render(false);
            }
        }),
        ("data/notices/innovative/2026/criteria.toml", |t| {
            parse::<CriteriaFile>("data/notices/innovative/2026/criteria.toml", t);
        }),
        ("data/notices/innovative/2026/schedule.toml", |t| {
            parse::<ScheduleFile>("data/notices/innovative/2026/schedule.toml", t);
        }),
        ("data/calendar/2026.toml", |t| {
            if let Some(c) = parse::<CalendarFile>("data/calendar/2026.toml", t) {
                let mut d = Diagnostics::new();
                let cal = gazette::validate::holiday_calendar(
                    &[("data/calendar/2026.toml".into(), c)],
                    &mut d,
                );
                let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 24).unwrap();
                let _ = cal.add_working_days(start, 400);
                let _ = d.render(false);
            }
        }),
    ];
    for (i, (rel, f)) in cases.iter().enumerate() {
        each_mutant(rel, &[read(rel)], 800, 100 + i as u64, f);
    }
}

#[test]
fn mutated_pages_never_panic_the_front_matter_splitter() {
    let mut seeds = Vec::new();
    for p in gazette::load::list_files(
        &repo(),
        Path::new("content"),
        &mut gazette::diag::Diagnostics::new(),
    ) {
        if p.extension().is_some_and(|x| x == "md") {
            seeds.push(read(&p.to_string_lossy()));
        }
    }
    assert!(!seeds.is_empty());
    each_mutant("pages", &seeds, 2000, 7, |text| {
        if let Ok(split) = gazette::load::split_front_matter(text) {
            assert!(split.front.end <= split.body.start && split.body.end <= text.len());
            let _ = (&text[split.front.clone()], &text[split.body.clone()]);
        }
        let mut d = Diagnostics::new();
        let page = gazette::load::parse_page(Path::new("content/x.md"), text.to_string(), &mut d);
        let _ = d.render(false);
        if page.is_none() {
            assert!(d.has_errors(), "a rejected page without an error");
        }
    });
}

#[test]
fn mutated_district_csv_never_panics_and_accepted_rows_round_trip() {
    let site = site();
    // A district sheet built from the sample lists' own rows.
    let mut csv = String::from(
        "附件3 推荐情况汇总表\n序号,企业名称,所属区（市、县）/先导区,统一社会信用代码,行业\n",
    );
    let mut n = 0;
    for text in files("data/lists", "toml") {
        let list: ListFile = toml::from_str(&text).unwrap();
        for e in &list.enterprise {
            n += 1;
            csv.push_str(&format!(
                "{n},\"{}\",{},{},{}\n",
                e.name.get_ref().replace('"', "\"\""),
                e.district.get_ref(),
                e.credit_code.get_ref(),
                e.industry.clone().unwrap_or_default()
            ));
        }
    }
    let batch = site
        .batch(&gazette::validate::BatchRef {
            programme: None,
            year: 2026,
            batch: 4,
            kind: "application".into(),
        })
        .expect("the repository's default programme has quarterly application lists");
    let mut accepted = 0usize;
    let counter = std::sync::atomic::AtomicUsize::new(0);
    each_mutant("district csv", &[csv], 1500, 42, |text| {
        // Also through the byte decoder, as a GB18030 file.
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let Ok((decoded, _)) = sheet::decode_text(&gb) else {
            return;
        };
        let Ok(grid) = sheet::parse_csv(&decoded) else {
            return;
        };
        let Ok(header) = columns::find_header(&grid, true) else {
            return;
        };
        let mut d = Diagnostics::new();
        let cx = gazette::import::RowContext {
            grid: &grid,
            header: &header,
            book: &site.book,
            fallback_district: None,
            kinds: &site.programmes[0].kinds,
            kind: 0,
            source: Path::new("x.csv"),
            progress: &Progress::hidden(),
        };
        let got = gazette::import::extract_rows(&cx, &mut Default::default(), &mut d);
        // Rendering is slow in debug builds; the row errors all share one shape.
        if d.items().len() <= 3 {
            let _ = d.render(false);
        }
        assert_eq!(got.errors > 0, d.has_errors());
        if got.errors > 0 || got.rows.is_empty() {
            return;
        }
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let rows: Vec<write::Row> = got.rows.iter().map(|r| r.row.clone()).collect();
        let toml_text = write::list_file(&site, &batch, &["来源：x.csv".into()], None, &rows);
        let back: ListFile = toml::from_str(&toml_text).expect("import output must parse");
        assert_eq!(back.enterprise.len(), rows.len());
        for (b, r) in back.enterprise.iter().zip(&rows) {
            assert_eq!(b.name.get_ref(), &r.name);
            assert_eq!(b.credit_code.get_ref(), &r.credit_code);
            assert_eq!(b.district.get_ref(), &r.district);
            assert_eq!(b.industry, r.industry);
        }
    });
    accepted += counter.load(std::sync::atomic::Ordering::Relaxed);
    // The property is only tested if some mutants are still importable (a thirtieth of
    // the cases: 50 of 1,500 in the full tier).
    assert!(
        accepted > cases(1500) / 30,
        "only {accepted} mutants were importable: the test would prove little"
    );
}

/// The programme, the notice's key dates and criteria, mutated in a copy of the whole site
/// and checked as `gazette check` checks them (load and every cross-file check): no
/// mutant may panic, and a site refused must say why.
#[test]
fn mutated_programme_and_notice_files_never_panic_the_whole_check() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["content", "data"] {
        copy_dir(&repo().join(sub), &dir.path().join(sub));
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    for (i, rel) in [
        "data/programmes/innovative.toml",
        "data/notices/innovative/2026/schedule.toml",
        "data/notices/innovative/2026/criteria.toml",
        "content/notices/innovative/2026/criteria.md",
    ]
    .iter()
    .enumerate()
    {
        let original = read(rel);
        each_mutant(
            rel,
            std::slice::from_ref(&original),
            150,
            300 + i as u64,
            |text| {
                std::fs::write(dir.path().join(rel), text).unwrap();
                let mut d = Diagnostics::new();
                let loaded = gazette::load::load(dir.path(), &mut d);
                let site = gazette::validate::validate(
                    dir.path(),
                    loaded,
                    today,
                    Default::default(),
                    &mut d,
                );
                if site.is_none() {
                    assert!(d.has_errors(), "a refused site without an error");
                }
            },
        );
        std::fs::write(dir.path().join(rel), original).unwrap();
    }
}
