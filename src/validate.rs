//! Cross-file checks: raw `data` shapes in, the checked `model::Site` out. Every problem
//! becomes a diagnostic with its span; checking goes on after an error so that one run
//! reports everything.

#![allow(clippy::result_large_err)] // diagnostics are the cold path; boxing them buys nothing here

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use toml::value::Datetime;
use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

use crate::data::{self, ListFile, ObjectionOverride};
use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::workdays::{add_calendar_days, Calendar, Holiday, YearCalendar};
use crate::domain::{credit_code, phone};
use crate::load::{self, Loaded};
use crate::model::*;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep draft lists in the site (`check` validates them; `build` leaves them out).
    pub include_drafts: bool,
}

/// Checks everything; returns the site only when there is no error.
pub fn validate(
    root: &Path,
    loaded: Loaded,
    today: NaiveDate,
    opts: Options,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let Loaded {
        config,
        pages,
        districts,
        criteria,
        schedule,
        calendars,
        lists,
        static_files,
    } = loaded;

    let calendar = check_calendars(&calendars, diags);
    let book = districts
        .as_ref()
        .zip(config.as_ref())
        .map(|(d, c)| check_districts(d, &c.area_code, diags));
    let lines = districts
        .as_ref()
        .zip(config.as_ref())
        .map(|(d, c)| check_lines(d, &c.area_code, diags))
        .unwrap_or_default();
    if let Some(c) = &criteria {
        check_criteria(c, diags);
    }
    let schedule = schedule.and_then(|s| check_schedule(&s, diags));
    if let Some(c) = &config {
        check_config(c, diags);
    }
    let pages = check_pages(pages, &static_files, diags);

    let lists = match (&book, &config) {
        (Some(book), Some(config)) => {
            check_lists(lists, book, &calendar, &config.objection, opts, diags)
        }
        _ => Vec::new(),
    };

    if diags.has_errors() {
        return None;
    }
    Some(Site {
        root: root.to_path_buf(),
        config: config?,
        today,
        pages,
        districts: book?.districts,
        lines,
        criteria: criteria?,
        schedule: schedule?,
        calendar,
        lists,
        static_files,
    })
}

fn span<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

/// A TOML date (not a time, not a date-time with offset) as a calendar date.
fn to_date(file: &Path, value: &Spanned<Datetime>, diags: &mut Diagnostics) -> Option<NaiveDate> {
    let dt = value.get_ref();
    let date = dt
        .date
        .and_then(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32));
    if date.is_none() || dt.time.is_some() {
        diags.push(
            Diagnostic::error(file, "expected a date such as 2026-04-20")
                .at(span(value))
                .label("not a plain date")
                .help("write the date without quotes and without a time: start = 2026-04-20"),
        );
        return None;
    }
    date
}

fn check_config(c: &crate::config::SiteConfig, diags: &mut Diagnostics) {
    let file = Path::new(load::SITE_FILE);
    if let Err(why) = crate::domain::url::check_base_url(&c.base_url) {
        diags.push(
            Diagnostic::error(file, format!("base_url “{}” 不能用作网站地址：{why}", crate::domain::text::escape_controls(&c.base_url)))
                .help("写网站的完整地址，例如 base_url = \"https://gxj.dl.gov.cn/\"（网站在子目录时带上路径，例如 https://gxj.dl.gov.cn/cxzx/）"),
        );
    }
    if c.page_size == 0 {
        diags.push(
            Diagnostic::error(file, "page_size must be at least 1")
                .help("the default is 500 rows per page"),
        );
    }
    if phone::parse("00000000", &c.area_code).is_err() && !c.area_code.starts_with('0') {
        diags.push(
            Diagnostic::error(
                file,
                format!("area_code “{}” is not a Chinese area code", c.area_code),
            )
            .help("Dalian's area code is 0411"),
        );
    }
    for p in &c.contact.phones {
        if let Err(e) = phone::parse(p, &c.area_code) {
            diags.push(Diagnostic::error(file, format!("[contact] phones: {e}")));
        }
    }
    for p in &c.objection.phones {
        if let Err(e) = phone::parse(p, &c.area_code) {
            diags.push(Diagnostic::error(file, format!("[objection] phones: {e}")));
        }
    }
}

/// The holiday calendar alone, for tools that work outside a full build (`gazette import`).
pub fn holiday_calendar(
    calendars: &[(PathBuf, data::CalendarFile)],
    diags: &mut Diagnostics,
) -> Calendar {
    check_calendars(calendars, diags)
}

/// The district book alone (names and aliases of `data/districts.toml`), for `gazette import`.
pub fn district_book(
    file: &data::DistrictsFile,
    area_code: &str,
    diags: &mut Diagnostics,
) -> DistrictBook {
    check_districts(file, area_code, diags)
}

fn check_calendars(
    calendars: &[(PathBuf, data::CalendarFile)],
    diags: &mut Diagnostics,
) -> Calendar {
    let mut years = Vec::new();
    for (file, cal) in calendars {
        let year = *cal.year.get_ref();
        let stem_year = file
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse::<i32>().ok());
        if stem_year != Some(year) {
            diags.push(
                Diagnostic::error(
                    file,
                    format!("this file is for {year}, but its name says otherwise"),
                )
                .at(span(&cal.year))
                .help(format!("name the file data/calendar/{year}.toml")),
            );
            continue;
        }
        let mut holidays = Vec::new();
        for h in &cal.holiday {
            let (Some(start), Some(end)) =
                (to_date(file, &h.start, diags), to_date(file, &h.end, diags))
            else {
                continue;
            };
            if end < start {
                diags.push(
                    Diagnostic::error(file, format!("holiday {}: end is before start", h.name))
                        .at(span(&h.end))
                        .help("the days off run from start to end, both included"),
                );
            }
            let makeup: Vec<NaiveDate> = h
                .makeup
                .iter()
                .filter_map(|m| to_date(file, m, diags))
                .collect();
            holidays.push(Holiday {
                name: h.name.clone(),
                start,
                end,
                makeup,
            });
        }
        years.push(YearCalendar { year, holidays });
    }
    Calendar::new(years)
}

/// Why `name` cannot be one segment of a URL and of an output path, if it cannot: it
/// would climb out of its folder, split into several segments, be hidden, or be refused by
/// Windows (where staff may build the site).
pub fn path_segment_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("名称是空的 (empty)".into());
    }
    if name.len() > 100 {
        return Some(format!(
            "名称有{}字节，超过100字节 (longer than 100 bytes)",
            name.len()
        ));
    }
    if name.starts_with('.') {
        return Some("不能以“.”开头 (starts with a dot)".into());
    }
    if let Some(c) = name.chars().find(|c| r#"/\:*?"<>|"#.contains(*c)) {
        return Some(format!("不能含有“{c}” (reserved character)"));
    }
    if name.ends_with(' ') {
        return Some("不能以空格结尾 (ends with a space)".into());
    }
    crate::domain::text::problem(name, crate::domain::text::SINGLE_LINE)
}

/// Reports a file whose name (or a folder's) cannot be a URL segment of the site.
fn segment_problems(file: &Path, rel: &Path, diags: &mut Diagnostics) {
    for part in rel.components() {
        let name = part.as_os_str().to_string_lossy();
        if let Some(why) = path_segment_problem(&name) {
            diags.push(
                Diagnostic::error(file, format!("文件或文件夹名“{}”不能用作网址的一段：{why} (a name that cannot be a URL segment)", crate::domain::text::escape_controls(&name)))
                    .help("给这个文件（或文件夹）改个名字：用汉字、字母、数字和 - _ 即可"),
            );
            return;
        }
    }
}

/// Canonical districts plus a lookup by name or alias.
pub struct DistrictBook {
    pub districts: Vec<District>,
    lookup: ahash::AHashMap<String, usize>,
}

/// The form in which district names are compared: NFKC, no white space, no city prefix.
pub fn district_key(name: &str) -> String {
    let s: String = name.nfkc().filter(|c| !c.is_whitespace()).collect();
    let s = s
        .strip_prefix("大连市")
        .or_else(|| s.strip_prefix("大连"))
        .unwrap_or(&s);
    s.to_string()
}

impl DistrictBook {
    pub fn resolve(&self, name: &str) -> Option<usize> {
        // Most rows use the canonical name exactly: avoid normalising them.
        if let Some(&i) = self.lookup.get(name) {
            return Some(i);
        }
        self.lookup.get(&district_key(name)).copied()
    }

    /// The closest known names, for "did you mean" hints.
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let key = district_key(name);
        let mut scored: Vec<(usize, &str)> = self
            .lookup
            .iter()
            .map(|(k, &i)| {
                (
                    strsim::levenshtein(&key, k),
                    self.districts[i].name.as_str(),
                )
            })
            .collect();
        scored.sort();
        let mut out: Vec<String> = Vec::new();
        for (d, n) in scored {
            if d > 2 && !out.is_empty() {
                break;
            }
            if d <= 2 && !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    pub fn names(&self) -> Vec<&str> {
        self.districts.iter().map(|d| d.name.as_str()).collect()
    }
}

fn phones(
    file: &Path,
    list: &Spanned<Vec<Spanned<String>>>,
    area: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Vec<Phone> {
    if list.get_ref().is_empty() {
        diags.push(
            Diagnostic::error(file, format!("{what} has no phone number"))
                .at(span(list))
                .label("empty list")
                .help("add at least one number, e.g. phones = [\"82565782\"] (local Dalian numbers without 0411)"),
        );
    }
    list.get_ref()
        .iter()
        .filter_map(|p| match phone::parse(p.get_ref(), area) {
            Ok(ph) => Some(Phone {
                display: ph.display(),
                tel: ph.tel_uri(),
            }),
            Err(e) => {
                diags.push(
                    Diagnostic::error(file, e.to_string())
                        .at(span(p))
                        .label("not a phone number"),
                );
                None
            }
        })
        .collect()
}

fn check_districts(
    file_data: &data::DistrictsFile,
    area: &str,
    diags: &mut Diagnostics,
) -> DistrictBook {
    let file = Path::new(load::DISTRICTS_FILE);
    let mut districts = Vec::new();
    let mut lookup = ahash::AHashMap::new();
    if file_data.district.is_empty() {
        diags.push(
            Diagnostic::error(file, "no [[district]] entries")
                .help("list the district offices, one [[district]] table each"),
        );
    }
    for (order, d) in file_data.district.iter().enumerate() {
        let name = d.name.get_ref().trim().to_string();
        if let Some(why) = path_segment_problem(&name) {
            diags.push(
                Diagnostic::error(file, format!("区县名称“{}”不能用作网址的一段：{why} (the district name cannot be a URL segment)", crate::domain::text::escape_controls(&name)))
                    .at(span(&d.name))
                    .label("区县名称")
                    .help("区县名称会成为该区县页面的网址 /districts/<名称>/：请写区县的正式名称，例如 name = \"中山区\"，其他写法放进 aliases"),
            );
        }
        let phones = phones(file, &d.phones, area, &format!("district {name}"), diags);
        let mut keys = vec![(d.name.get_ref().clone(), span(&d.name))];
        keys.extend(d.aliases.iter().map(|a| (a.get_ref().clone(), span(a))));
        for (k, sp) in keys {
            let key = district_key(&k);
            if key.is_empty() {
                diags.push(Diagnostic::error(file, "empty district name or alias").at(sp));
                continue;
            }
            if let Some(prev) = lookup.insert(key, order) {
                if prev != order {
                    diags.push(
                        Diagnostic::error(file, format!("“{k}” names two districts"))
                            .at(sp)
                            .help("each name and alias may belong to one district only"),
                    );
                }
            }
        }
        districts.push(District {
            name,
            office: d.office.clone(),
            phones,
            aliases: d.aliases.iter().map(|a| a.get_ref().clone()).collect(),
            code: d.code.clone(),
            order,
        });
    }
    DistrictBook { districts, lookup }
}

fn check_lines(
    file_data: &data::DistrictsFile,
    area: &str,
    diags: &mut Diagnostics,
) -> Vec<ContactLine> {
    let file = Path::new(load::DISTRICTS_FILE);
    file_data
        .line
        .iter()
        .map(|l| ContactLine {
            name: l.name.clone(),
            office: l.office.clone(),
            phones: phones(file, &l.phones, area, &format!("line {}", l.name), diags),
            note: l.note.clone(),
        })
        .collect()
}

fn check_criteria(c: &data::CriteriaFile, diags: &mut Diagnostics) {
    let file = Path::new(load::CRITERIA_FILE);
    let mut total = 0;
    let mut ids = HashSet::new();
    for cat in &c.category {
        let sum: u32 = cat.indicator.iter().map(|i| i.max).sum();
        if sum != cat.max {
            diags.push(
                Diagnostic::error(
                    file,
                    format!(
                        "category {}: its indicators add up to {sum}, but max = {}",
                        cat.name, cat.max
                    ),
                )
                .help("make the category's max the sum of its indicators' max"),
            );
        }
        if cat.min > cat.max {
            diags.push(Diagnostic::error(
                file,
                format!(
                    "category {}: min {} is above max {}",
                    cat.name, cat.min, cat.max
                ),
            ));
        }
        total += cat.max;
        for ind in &cat.indicator {
            if !ids.insert(ind.id.clone()) {
                diags.push(
                    Diagnostic::error(file, format!("indicator id “{}” is used twice", ind.id))
                        .help("give every indicator its own id"),
                );
            }
            if ind.band.is_empty() {
                diags.push(Diagnostic::error(
                    file,
                    format!("indicator {} has no [[category.indicator.band]]", ind.name),
                ));
            }
            for b in &ind.band {
                if b.points > ind.max {
                    diags.push(Diagnostic::error(
                        file,
                        format!(
                            "indicator {}: band {} gives {} points, above the indicator's max {}",
                            ind.name, b.grade, b.points, ind.max
                        ),
                    ));
                }
            }
        }
    }
    if !c.category.is_empty() && total != 100 {
        diags.push(Diagnostic::error(
            file,
            format!("the categories add up to {total} points, not 100"),
        ));
    }
    if c.pass.total > total {
        diags.push(Diagnostic::error(
            file,
            format!(
                "[pass] total = {} is above the maximum score {total}",
                c.pass.total
            ),
        ));
    }
}

fn check_schedule(s: &data::ScheduleFile, diags: &mut Diagnostics) -> Option<Schedule> {
    let file = Path::new(load::SCHEDULE_FILE);
    if let Err(why) = crate::domain::url::check_link(&s.platform_url) {
        diags.push(
            Diagnostic::error(file, format!("platform_url 不能用作链接：{why}"))
                .help("写平台的完整网址，例如 platform_url = \"https://zjtx.miit.gov.cn\""),
        );
    }
    let update_deadline = to_date(file, &s.update_deadline, diags)?;
    Some(Schedule {
        year: s.year,
        update_deadline,
        recommendation_days: s.recommendation_days,
        platform_url: s.platform_url.clone(),
    })
}

/// The URL path of a content file: `content/_index.md` → ``, `content/notice.md` →
/// `notice/`, `content/guide/_index.md` → `guide/`, `content/guide/a.md` → `guide/a/`.
pub fn page_path(source: &Path) -> (String, bool) {
    let rel = source.strip_prefix("content").unwrap_or(source);
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let parent: Vec<String> = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut parts = parent;
    let is_section = stem == "_index";
    if !is_section && stem != "index" {
        parts.push(stem);
    }
    let mut path = parts.join("/");
    if !path.is_empty() {
        path.push('/');
    }
    (path, is_section)
}

fn check_pages(
    raw: Vec<load::RawPage>,
    static_files: &[PathBuf],
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let statics: HashSet<String> = static_files
        .iter()
        .filter_map(|p| p.strip_prefix("static").ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    // File and folder names become URL segments of pages and attachments.
    for f in static_files {
        segment_problems(f, f.strip_prefix("static").unwrap_or(f), diags);
    }
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut pages = Vec::new();
    for p in raw {
        if p.front.draft {
            continue;
        }
        segment_problems(
            &p.source,
            p.source.strip_prefix("content").unwrap_or(&p.source),
            diags,
        );
        let (path, is_section) = page_path(&p.source);
        if let Some(other) = seen.insert(path.clone(), p.source.clone()) {
            diags.push(
                Diagnostic::error(
                    &p.source,
                    format!(
                        "this page has the same address /{path} as {}",
                        other.display()
                    ),
                )
                .help("rename or move one of the two files"),
            );
        }
        let date = p
            .front
            .date
            .as_ref()
            .and_then(|d| to_date(&p.source, d, diags));
        let mut attachments = Vec::new();
        for a in &p.front.attachment {
            let (href, is_file) = match (&a.file, &a.page) {
                (Some(f), _) => {
                    let rel = f.get_ref().trim_start_matches('/').to_string();
                    if !statics.contains(&rel) {
                        diags.push(
                            Diagnostic::error(&p.source, format!("attachment {} file “{rel}” is not in static/", a.number))
                                .at(span(f))
                                .help(format!("put the file at static/{rel}, or remove the `file` key to show it as not yet published")),
                        );
                    }
                    (Some(rel), true)
                }
                (None, Some(page)) => {
                    if let Err(why) = crate::domain::url::check_link(page) {
                        diags.push(
                            Diagnostic::error(
                                &p.source,
                                format!("附件{}的 page 不能发布：{why}", a.number),
                            )
                            .help("page 写本网站的页面，例如 page = \"criteria/#self-assessment\""),
                        );
                    }
                    (Some(page.clone()), false)
                }
                (None, None) => (None, false),
            };
            attachments.push(Attachment {
                number: a.number,
                title: a.title.clone(),
                href,
                is_file,
            });
        }
        for (range, why) in crate::markdown::problems(&p.body) {
            diags.push(
                Diagnostic::error(&p.source, why)
                    .at(range.start + p.body_offset..range.end + p.body_offset)
                    .help("链接只能是 https://、http://、mailto:、tel: 或本网站的页面；页面中可以写 HTML，但不能有脚本"),
            );
        }
        let extra = p
            .front
            .extra
            .as_ref()
            .and_then(|t| serde_json::to_value(t).ok())
            .unwrap_or(serde_json::Value::Null);
        pages.push(Page {
            template: p.front.template.clone().unwrap_or_else(|| {
                if is_section {
                    "section.html".into()
                } else {
                    "page.html".into()
                }
            }),
            source: p.source,
            path,
            title: p.front.title,
            description: p.front.description,
            date,
            weight: p.front.weight,
            issuer: p.front.issuer,
            subject: p.front.subject,
            keywords: p.front.keywords,
            attachments,
            corrections: p.front.correction,
            extra,
            body_html: crate::markdown::to_html(&p.body),
            is_section,
        });
    }
    pages.sort_by(|a, b| (a.weight, &a.path).cmp(&(b.weight, &b.path)));
    pages
}

/// Longer than any registered company name: a longer one is a pasting slip (and would
/// bloat the search index).
pub const MAX_NAME_CHARS: usize = 200;

pub const QUARTER_ZH: [&str; 5] = ["", "一", "二", "三", "四"];

pub fn list_id(year: i32, quarter: u8, kind: ListKind) -> String {
    format!("{year}-q{quarter}-{}", kind.as_str())
}

/// The default title of a list, e.g. 2026年第一季度创新型中小企业申报拟公告名单公示.
pub fn default_title(year: i32, quarter: u8, kind: ListKind, stage: Stage) -> String {
    let q = QUARTER_ZH.get(quarter as usize).copied().unwrap_or("");
    match stage {
        Stage::Publicity => format!("{year}年第{q}季度创新型中小企业{}拟公告名单公示", kind.zh()),
        Stage::Announced => format!("{year}年第{q}季度创新型中小企业{}公告名单", kind.zh()),
    }
}

fn check_lists(
    lists: Vec<(PathBuf, ListFile)>,
    book: &DistrictBook,
    calendar: &Calendar,
    objection: &ObjectionRules,
    opts: Options,
    diags: &mut Diagnostics,
) -> Vec<EnterpriseList> {
    let checked: Vec<(Option<EnterpriseList>, bool, Diagnostics)> = lists
        .into_par_iter()
        .map(|(file, raw)| {
            let mut d = Diagnostics::new();
            let draft = raw.draft;
            let list = check_list(&file, raw, book, calendar, objection, &mut d);
            (list, draft, d)
        })
        .collect();
    let mut out: Vec<EnterpriseList> = Vec::new();
    let mut ids: HashMap<String, PathBuf> = HashMap::new();
    for (list, draft, d) in checked {
        diags.extend(d);
        let Some(list) = list else { continue };
        if let Some(other) = ids.insert(list.id.clone(), list.source.clone()) {
            diags.push(
                Diagnostic::error(&list.source, format!("list {} is already defined in {}", list.id, other.display()))
                    .help("(year, quarter, kind) identifies a list: merge the two files or correct one of them"),
            );
            continue;
        }
        if draft && !opts.include_drafts {
            continue;
        }
        out.push(list);
    }
    out.sort_by(|a, b| (b.year, b.quarter, a.kind).cmp(&(a.year, a.quarter, b.kind)));
    out
}

/// Checks one list file (also used by `gazette import`, so that it never writes a list
/// that `check` would reject).
pub fn check_list(
    file: &Path,
    raw: ListFile,
    book: &DistrictBook,
    calendar: &Calendar,
    defaults: &ObjectionRules,
    diags: &mut Diagnostics,
) -> Option<EnterpriseList> {
    let mut ok = true;
    let quarter = *raw.quarter.get_ref();
    if !(1..=4).contains(&quarter) {
        diags.push(
            Diagnostic::error(file, format!("quarter = {quarter} is not a quarter"))
                .at(span(&raw.quarter))
                .label("expected 1, 2, 3 or 4")
                .help("quarter is the batch's quarter: 1 (一季度) to 4 (四季度)"),
        );
        ok = false;
    }
    let year = *raw.year.get_ref();
    if !(2000..=2100).contains(&year) {
        diags.push(
            Diagnostic::error(file, format!("year = {year} is not plausible"))
                .at(span(&raw.year))
                .help("write the batch's year, e.g. year = 2026"),
        );
        ok = false;
    }
    let kind = *raw.kind.get_ref();
    let stage = *raw.stage.get_ref();
    let quarter = quarter.clamp(1, 4) as u8;
    let id = list_id(year, quarter, kind);
    let expected_name = format!("{id}.toml");
    if ok
        && file
            .file_name()
            .is_some_and(|n| n.to_string_lossy() != expected_name)
    {
        diags.push(
            Diagnostic::warning(
                file,
                format!("this list is {id}, but the file is not named {expected_name}"),
            )
            .at(span(&raw.kind))
            .help(format!(
                "rename the file to data/lists/{expected_name} so that staff can find it"
            )),
        );
    }

    // Publicity period.
    let publicity = match &raw.publicity {
        Some(p) => check_publicity(file, p, calendar, raw.draft, diags),
        None => {
            if stage == Stage::Publicity && !raw.draft {
                diags.push(
                    Diagnostic::error(file, "a list under publicity needs a [publicity] table")
                        .at(span(&raw.stage))
                        .label("stage = \"publicity\"")
                        .help("add:\n[publicity]\nstart = 2026-04-20\nworking_days = 5"),
                );
                ok = false;
            }
            None
        }
    };
    if raw.publicity.is_some() && publicity.is_none() && !raw.draft {
        ok = false;
    }

    // Announcement.
    let announcement = match &raw.announcement {
        Some(a) => {
            let date = a
                .get_ref()
                .date
                .as_ref()
                .and_then(|d| to_date(file, d, diags));
            if date.is_none() && a.get_ref().date.is_none() && stage == Stage::Announced {
                {
                    diags.push(
                        Diagnostic::error(file, "the announcement has no date")
                            .at(span(a))
                            .help("add `date = 2026-05-10` (the province's announcement date) to [announcement]"),
                    );
                    ok = false;
                }
            }
            let valid_from = a
                .get_ref()
                .valid_from
                .as_ref()
                .and_then(|d| to_date(file, d, diags));
            let valid_until = a
                .get_ref()
                .valid_until
                .as_ref()
                .and_then(|d| to_date(file, d, diags));
            if let (Some(f), Some(u)) = (valid_from.or(date), valid_until) {
                if u < f {
                    diags.push(
                        Diagnostic::error(file, "valid_until is before the start of validity")
                            .at_opt(a.get_ref().valid_until.as_ref().map(span)),
                    );
                    ok = false;
                }
            }
            date.map(|date| Announcement {
                date,
                document: a.get_ref().document.clone(),
                valid_from: valid_from.unwrap_or(date),
                valid_until,
            })
        }
        None => {
            if stage == Stage::Announced {
                diags.push(
                    Diagnostic::error(file, "stage = \"announced\" needs an [announcement] table with its date")
                        .at(span(&raw.stage))
                        .help("add:\n[announcement]\ndate = 2026-05-10\ndocument = \"辽工信…〔2026〕…号\""),
                );
                ok = false;
            }
            None
        }
    };

    let enterprises = check_enterprises(file, &raw.enterprise, book, diags);
    if raw.enterprise.is_empty() {
        diags.push(
            Diagnostic::warning(file, "this list has no [[enterprise]] rows").at(span(&raw.stage)),
        );
    }
    let enterprises = enterprises?;
    if !ok {
        return None;
    }
    Some(EnterpriseList {
        title: raw
            .title
            .clone()
            .unwrap_or_else(|| default_title(year, quarter, kind, stage)),
        id,
        source: file.to_path_buf(),
        year,
        quarter,
        kind,
        stage,
        sample: raw.sample,
        publicity,
        announcement,
        objection: merge_objection(defaults, raw.objection.as_ref()),
        enterprises,
    })
}

fn check_publicity(
    file: &Path,
    p: &Spanned<data::PublicityFile>,
    calendar: &Calendar,
    draft: bool,
    diags: &mut Diagnostics,
) -> Option<Publicity> {
    let pf = p.get_ref();
    let start = match &pf.start {
        Some(s) => to_date(file, s, diags)?,
        None => {
            if !draft {
                diags.push(
                    Diagnostic::error(file, "[publicity] has no start date")
                        .at(span(p))
                        .help("add `start = 2026-04-20` (the first day of the publicity period)"),
                );
            }
            return None;
        }
    };
    let end_given = match &pf.end {
        Some(e) => Some((to_date(file, e, diags)?, span(e))),
        None => None,
    };
    let positive = |v: &Spanned<i64>, diags: &mut Diagnostics| -> Option<u32> {
        let n = *v.get_ref();
        if !(1..=366).contains(&n) {
            diags.push(
                Diagnostic::error(file, format!("{n} is not a usable number of days"))
                    .at(span(v))
                    .help("give a number from 1 to 366"),
            );
            return None;
        }
        Some(n as u32)
    };
    if let (Some(w), Some(_)) = (&pf.working_days, &pf.calendar_days) {
        diags.push(
            Diagnostic::error(file, "give working_days or calendar_days, not both")
                .at(span(w))
                .help("a publicity period is counted either in working days (工作日) or in calendar days (天)"),
        );
        return None;
    }
    let mut working_days = None;
    let mut calendar_days = None;
    let computed = if let Some(w) = &pf.working_days {
        let n = positive(w, diags)?;
        working_days = Some(n);
        match calendar.add_working_days(start, n) {
            Ok(end) => Some((end, span(w), format!("{n} working days"))),
            Err(e) => {
                diags.push(
                    Diagnostic::error(file, e.to_string())
                        .at(span(w))
                        .label("cannot count working days"),
                );
                return None;
            }
        }
    } else if let Some(c) = &pf.calendar_days {
        let n = positive(c, diags)?;
        calendar_days = Some(n);
        Some((
            add_calendar_days(start, n),
            span(c),
            format!("{n} calendar days"),
        ))
    } else {
        None
    };
    let end = match (computed, end_given) {
        (Some((computed, _, what)), Some((given, end_span))) => {
            if computed != given {
                diags.push(
                    Diagnostic::error(
                        file,
                        format!("end = {given} disagrees with {what} from {start}, which end on {computed}"),
                    )
                    .at(end_span)
                    .label(format!("expected {computed}"))
                    .help(format!("correct end to {computed}, or remove `end` and let Gazette compute it from the count")),
                );
                return None;
            }
            given
        }
        (Some((computed, _, _)), None) => computed,
        (None, Some((given, _))) => given,
        (None, None) => {
            diags.push(
                Diagnostic::error(file, "the publicity period has no length")
                    .at(span(p))
                    .help("add `working_days = 5` (or `calendar_days = 7`, or `end = 2026-04-24`)"),
            );
            return None;
        }
    };
    if end < start {
        diags.push(
            Diagnostic::error(
                file,
                format!("publicity end {end} is before its start {start}"),
            )
            .at_opt(pf.end.as_ref().map(span))
            .help("the period runs from start to end, both included"),
        );
        return None;
    }
    if working_days.is_none()
        && calendar_days.is_none()
        && calendar.has_year(start.year_ce().1 as i32)
    {
        working_days = calendar.working_days_between(start, end).ok();
    }
    Some(Publicity {
        start,
        end,
        working_days,
        calendar_days,
    })
}

use chrono::Datelike;

fn check_enterprises(
    file: &Path,
    rows: &[data::EnterpriseFile],
    book: &DistrictBook,
    diags: &mut Diagnostics,
) -> Option<Vec<Enterprise>> {
    let mut ok = true;
    // Normalised codes first, so that duplicates can be found without copying them.
    let codes: Vec<String> = rows
        .iter()
        .map(|r| credit_code::normalize(r.credit_code.get_ref()))
        .collect();
    let mut seen: ahash::AHashMap<&str, Range<usize>> = ahash::AHashMap::with_capacity(rows.len());
    let mut out = Vec::with_capacity(rows.len());
    for (row, code) in rows.iter().zip(&codes) {
        let name = row.name.get_ref().trim().to_string();
        if name.is_empty() {
            diags.push(
                Diagnostic::error(file, "empty enterprise name")
                    .at(span(&row.name))
                    .help("write the enterprise's registered name"),
            );
            ok = false;
        } else if name.contains(['\t', '\n', '\r']) {
            // Other refused characters are reported by the loader, for every string.
            diags.push(
                Diagnostic::error(
                    file,
                    "企业名称中有换行符或制表符 (a line break or tab in the name)",
                )
                .at(span(&row.name))
                .label("企业名称")
                .help("企业名称只占一行：删掉其中的换行（\\n）或制表符（\\t）"),
            );
            ok = false;
        } else if name.chars().count() > MAX_NAME_CHARS {
            diags.push(
                Diagnostic::error(file, format!("企业名称有{}个字，超过{MAX_NAME_CHARS}个字的上限 (the name is too long)", name.chars().count()))
                    .at(span(&row.name))
                    .label("企业名称")
                    .help("这不像一家企业的登记名称：请核对这一行，常见原因是把几个单元格的内容粘在了一起"),
            );
            ok = false;
        }
        for (what, value) in [("行业", &row.industry), ("撤回原因", &row.withdrawn)] {
            if value
                .as_deref()
                .is_some_and(|v| v.contains(['\t', '\n', '\r']))
            {
                diags.push(
                    Diagnostic::error(file, format!("{name}的{what}中有换行符或制表符"))
                        .at(span(&row.name))
                        .label("这一家企业")
                        .help(format!("{what}只占一行：删掉其中的换行或制表符")),
                );
                ok = false;
            }
        }
        if let Err(e) = credit_code::validate(code) {
            let help = match &e {
                credit_code::CodeError::CheckChar { .. } => {
                    "the last character is a check character computed from the other 17 (GB 32100-2015): one of them is probably mistyped; compare with the business licence".to_string()
                }
                _ => "a unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z (e.g. 91210202MAEW6A1C6R)".to_string(),
            };
            diags.push(
                Diagnostic::error(file, format!("invalid credit code for {name}: {e}"))
                    .at(span(&row.credit_code))
                    .label(e.to_string())
                    .help(help),
            );
            ok = false;
        } else if let Some(first) = seen.get(code.as_str()) {
            diags.push(
                Diagnostic::error(
                    file,
                    format!("credit code {code} appears twice in this list"),
                )
                .at(span(&row.credit_code))
                .label("listed again here")
                .also(first.clone(), "first listed here")
                .help("an enterprise is listed once per list: remove the duplicate row"),
            );
            ok = false;
        } else {
            seen.insert(code, span(&row.credit_code));
        }
        let district = match book.resolve(row.district.get_ref()) {
            Some(i) => i,
            None => {
                let suggestions = book.suggest(row.district.get_ref());
                let help = if suggestions.is_empty() {
                    format!(
                        "use a district name from data/districts.toml: {}",
                        book.names().join("、")
                    )
                } else {
                    format!(
                        "did you mean {}? (names and aliases are listed in data/districts.toml)",
                        suggestions
                            .iter()
                            .map(|s| format!("“{s}”"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )
                };
                diags.push(
                    Diagnostic::error(
                        file,
                        format!("unknown district “{}”", row.district.get_ref()),
                    )
                    .at(span(&row.district))
                    .label("not in data/districts.toml")
                    .help(help),
                );
                ok = false;
                continue;
            }
        };
        out.push(Enterprise {
            name,
            credit_code: code.clone(),
            district: book.districts[district].name.clone(),
            district_order: district,
            industry: row.industry.clone().filter(|s| !s.trim().is_empty()),
            withdrawn: row.withdrawn.clone(),
        });
    }
    if !ok {
        return None;
    }
    // Stable: equal districts keep the order given.
    out.sort_by_key(|e| e.district_order);
    Some(out)
}

fn merge_objection(d: &ObjectionRules, o: Option<&ObjectionOverride>) -> ObjectionRules {
    let Some(o) = o else { return d.clone() };
    ObjectionRules {
        who: o.who.clone().unwrap_or_else(|| d.who.clone()),
        form: o.form.clone().unwrap_or_else(|| d.form.clone()),
        office: o.office.clone().unwrap_or_else(|| d.office.clone()),
        phones: o.phones.clone().unwrap_or_else(|| d.phones.clone()),
        address: o.address.clone().or_else(|| d.address.clone()),
        postcode: o.postcode.clone().or_else(|| d.postcode.clone()),
        email: o.email.clone().or_else(|| d.email.clone()),
        confidentiality: o
            .confidentiality
            .clone()
            .unwrap_or_else(|| d.confidentiality.clone()),
        not_accepted: o
            .not_accepted
            .clone()
            .unwrap_or_else(|| d.not_accepted.clone()),
        deadline_time: o
            .deadline_time
            .clone()
            .unwrap_or_else(|| d.deadline_time.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(page_path(Path::new("content/_index.md")), ("".into(), true));
        assert_eq!(
            page_path(Path::new("content/notice.md")),
            ("notice/".into(), false)
        );
        assert_eq!(
            page_path(Path::new("content/guide/_index.md")),
            ("guide/".into(), true)
        );
        assert_eq!(
            page_path(Path::new("content/guide/a.md")),
            ("guide/a/".into(), false)
        );
        assert_eq!(
            page_path(Path::new("content/b/index.md")),
            ("b/".into(), false)
        );
    }

    #[test]
    fn district_keys_ignore_width_space_and_city() {
        assert_eq!(district_key(" 大连市 中山区 "), "中山区");
        assert_eq!(district_key("中山区"), "中山区");
    }

    #[test]
    fn default_titles() {
        assert_eq!(
            default_title(2026, 1, ListKind::Application, Stage::Publicity),
            "2026年第一季度创新型中小企业申报拟公告名单公示"
        );
        assert_eq!(list_id(2026, 3, ListKind::Review), "2026-q3-review");
    }
}
