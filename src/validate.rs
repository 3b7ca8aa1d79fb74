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
            Diagnostic::err(
                "date",
                file,
                "这里要写日期，例如 2026-04-20 (expected a date)",
            )
            .at(span(value))
            .label("不是日期")
            .help("日期不加引号、不带时间：start = 2026-04-20"),
        );
        return None;
    }
    date
}

fn check_config(c: &crate::config::SiteConfig, diags: &mut Diagnostics) {
    let file = Path::new(load::SITE_FILE);
    if let Err(why) = crate::domain::url::check_base_url(&c.base_url) {
        diags.push(
            Diagnostic::err("base-url", file, format!("base_url “{}” 不能用作网站地址：{why}", crate::domain::text::escape_controls(&c.base_url)))
                .help("写网站的完整地址，例如 base_url = \"https://gxj.dl.gov.cn/\"（网站在子目录时带上路径，例如 https://gxj.dl.gov.cn/cxzx/）"),
        );
    }
    if c.page_size == 0 {
        diags.push(
            Diagnostic::err(
                "page-size",
                file,
                "page_size 至少是 1 (page_size must be at least 1)",
            )
            .help("每页显示的行数，默认 500"),
        );
    }
    if phone::parse("00000000", &c.area_code).is_err() && !c.area_code.starts_with('0') {
        diags.push(
            Diagnostic::err(
                "area-code",
                file,
                format!(
                    "area_code “{}” 不是长途区号 (not an area code)",
                    c.area_code
                ),
            )
            .help("写本地的长途区号，以 0 开头，例如大连是 area_code = \"0411\""),
        );
    }
    for p in &c.contact.phones {
        if let Err(e) = phone::parse(p, &c.area_code) {
            diags.push(Diagnostic::err(
                "phone",
                file,
                format!("[contact] 的电话号码不对：{e}"),
            ));
        }
    }
    for p in &c.objection.phones {
        if let Err(e) = phone::parse(p, &c.area_code) {
            diags.push(Diagnostic::err(
                "phone",
                file,
                format!("[objection] 的电话号码不对：{e}"),
            ));
        }
    }
}

/// What the site's data says about districts, holidays and objection rules.
pub struct SiteData {
    pub book: DistrictBook,
    pub calendar: Calendar,
    pub objection: ObjectionRules,
}

/// Reads `data/site.toml`, `data/districts.toml` and `data/calendar/*.toml` (not the lists
/// or pages: an unrelated problem elsewhere must not block an import).
pub fn load_site_data(root: &Path, diags: &mut Diagnostics) -> Option<SiteData> {
    if let Err(d) = crate::load::check_root(root) {
        diags.push(d);
        return None;
    }
    let config: Option<crate::config::SiteConfig> =
        crate::load::read_toml(root, Path::new(crate::load::SITE_FILE), true, diags);
    let districts: Option<data::DistrictsFile> =
        crate::load::read_toml(root, Path::new(crate::load::DISTRICTS_FILE), true, diags);
    let mut calendars: Vec<(PathBuf, data::CalendarFile)> = Vec::new();
    for rel in crate::load::list_files(root, Path::new(crate::load::CALENDAR_DIR), diags) {
        if rel.extension().is_some_and(|x| x == "toml")
            && rel.parent() == Some(Path::new(crate::load::CALENDAR_DIR))
        {
            if let Some(c) = crate::load::read_toml(root, &rel, true, diags) {
                calendars.push((rel, c));
            }
        }
    }
    let calendar = holiday_calendar(&calendars, diags);
    let (config, districts) = (config?, districts?);
    let book = district_book(&districts, &config.area_code, diags);
    if diags.has_errors() {
        return None;
    }
    Some(SiteData {
        book,
        calendar,
        objection: config.objection,
    })
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
                Diagnostic::err(
                    "calendar-name",
                    file,
                    format!("这是{year}年的节假日安排，但文件名不是 {year}.toml (the file name does not match the year)"),
                )
                .at(span(&cal.year))
                .help(format!("把文件改名为 data/calendar/{year}.toml")),
            );
            continue;
        }
        if cal.source.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::err("calendar-source", file, format!("{year}年的节假日安排还没有写明出处 (source is empty)"))
                    .at(span(&cal.source))
                    .help("写明国务院办公厅通知的名称和发布日期，例如 source = \"国务院办公厅关于2027年部分节假日安排的通知（2026年11月X日发布）\""),
            );
        }
        let missing: Vec<&str> = crate::domain::workdays::STATUTORY_HOLIDAYS
            .iter()
            .copied()
            .filter(|n| !cal.holiday.iter().any(|h| h.name.get_ref().contains(n)))
            .collect();
        if !missing.is_empty() {
            diags.push(
                Diagnostic::err("calendar-incomplete", file, format!("{year}年的节假日安排不完整：缺少{} (incomplete holiday calendar)", missing.join("、")))
                    .at(span(&cal.year))
                    .help("照国务院办公厅的通知为每个法定节假日写一段 [[holiday]]（name、start、end、makeup）；不完整的日历会算错工作日"),
            );
        }
        let mut holidays = Vec::new();
        for h in &cal.holiday {
            let name = h.name.get_ref();
            let (Some(start), Some(end)) = (&h.start, &h.end) else {
                diags.push(
                    Diagnostic::err("calendar-incomplete", file, format!("{name}的放假日期还没有填写 (start or end missing)"))
                        .at(span(&h.name))
                        .help("照国务院办公厅的通知填写放假首日和末日，例如 start = 2027-10-01 和 end = 2027-10-07"),
                );
                continue;
            };
            let (Some(start), Some(end)) = (to_date(file, start, diags), to_date(file, end, diags))
            else {
                continue;
            };
            if end < start {
                diags.push(
                    Diagnostic::err(
                        "holiday-order",
                        file,
                        format!("{name}的放假末日早于首日 (end is before start)"),
                    )
                    .at(h.end.as_ref().map(span).unwrap_or(0..0))
                    .help("放假从 start 到 end，两天都包括在内"),
                );
            }
            let makeup: Vec<NaiveDate> = h
                .makeup
                .iter()
                .filter_map(|m| to_date(file, m, diags))
                .collect();
            holidays.push(Holiday {
                name: name.clone(),
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
                Diagnostic::err("url-segment", file, format!("文件或文件夹名“{}”不能用作网址的一段：{why} (a name that cannot be a URL segment)", crate::domain::text::escape_controls(&name)))
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

    /// What to do about a district name that is not in the book: the closest names, or
    /// all of them.
    pub fn unknown_district_help(&self, name: &str) -> String {
        let suggestions = self.suggest(name);
        if suggestions.is_empty() {
            format!(
                "请用 data/districts.toml 中的区县名称：{}；新的写法可以作为别名（aliases）加进去",
                self.names().join("、")
            )
        } else {
            format!(
                "您是不是要写{}？（名称和别名见 data/districts.toml；新的写法可以作为别名加进去）",
                suggestions
                    .iter()
                    .map(|s| format!("“{s}”"))
                    .collect::<Vec<_>>()
                    .join("或")
            )
        }
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
            Diagnostic::err(
                "phone-none",
                file,
                format!("{what}没有电话号码 (no phone number)"),
            )
            .at(span(list))
            .label("空的")
            .help("至少写一个号码，例如 phones = [\"82565782\"]（本地号码不加区号）"),
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
                    Diagnostic::err("phone", file, e.to_string())
                        .at(span(p))
                        .label("不是电话号码"),
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
            Diagnostic::err("districts-none", file, "没有区县 (no [[district]] entries)")
                .help("每个区县（先导区）的主管部门写一段 [[district]]"),
        );
    }
    for (order, d) in file_data.district.iter().enumerate() {
        let name = d.name.get_ref().trim().to_string();
        if let Some(why) = path_segment_problem(&name) {
            diags.push(
                Diagnostic::err("url-segment", file, format!("区县名称“{}”不能用作网址的一段：{why} (the district name cannot be a URL segment)", crate::domain::text::escape_controls(&name)))
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
                diags.push(
                    Diagnostic::err(
                        "district-name",
                        file,
                        "区县名称或别名是空的 (empty district name or alias)",
                    )
                    .at(sp),
                );
                continue;
            }
            if let Some(prev) = lookup.insert(key, order) {
                if prev != order {
                    diags.push(
                        Diagnostic::err(
                            "district-name",
                            file,
                            format!("“{k}”同时是两个区县的名称或别名 (names two districts)"),
                        )
                        .at(sp)
                        .help("每个名称和别名只能属于一个区县"),
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
                Diagnostic::err(
                    "criteria-sum",
                    file,
                    format!(
                        "{}的各项指标合计{sum}分，但 max = {} (indicators do not add up)",
                        cat.name, cat.max
                    ),
                )
                .help("类别的 max 应等于其各项指标 max 之和"),
            );
        }
        if cat.min > cat.max {
            diags.push(Diagnostic::err(
                "criteria-sum",
                file,
                format!(
                    "{}的最低分 {} 高于满分 {} (min above max)",
                    cat.name, cat.min, cat.max
                ),
            ));
        }
        total += cat.max;
        for ind in &cat.indicator {
            if !ids.insert(ind.id.clone()) {
                diags.push(
                    Diagnostic::err(
                        "criteria-id",
                        file,
                        format!("指标编号“{}”用了两次 (indicator id used twice)", ind.id),
                    )
                    .help("每项指标用不同的 id"),
                );
            }
            if ind.band.is_empty() {
                diags.push(Diagnostic::err(
                    "criteria-band",
                    file,
                    format!(
                        "指标“{}”没有评分档次 (no [[category.indicator.band]])",
                        ind.name
                    ),
                ));
            }
            for b in &ind.band {
                if b.points > ind.max {
                    diags.push(Diagnostic::err(
                        "criteria-band",
                        file,
                        format!(
                            "指标“{}”的档次 {} 给 {} 分，超过该指标的满分 {} (band above max)",
                            ind.name, b.grade, b.points, ind.max
                        ),
                    ));
                }
            }
        }
    }
    if !c.category.is_empty() && total != 100 {
        diags.push(Diagnostic::err(
            "criteria-sum",
            file,
            format!("各类别合计 {total} 分，不是 100 分 (categories do not add up to 100)"),
        ));
    }
    if c.pass.total > total {
        diags.push(Diagnostic::err(
            "criteria-sum",
            file,
            format!(
                "[pass] 的 total = {} 高于满分 {total} (pass mark above the maximum)",
                c.pass.total
            ),
        ));
    }
}

fn check_schedule(s: &data::ScheduleFile, diags: &mut Diagnostics) -> Option<Schedule> {
    let file = Path::new(load::SCHEDULE_FILE);
    if let Err(why) = crate::domain::url::check_link(&s.platform_url) {
        diags.push(
            Diagnostic::err("link", file, format!("platform_url 不能用作链接：{why}"))
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
                        "这个页面的网址 /{path} 与 {} 相同 (two pages at one address)",
                        other.display()
                    ),
                )
                .code("page-address")
                .help("把两个文件中的一个改名或移到别的文件夹"),
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
                            Diagnostic::err("attachment-missing", &p.source, format!("附件{}的文件“{rel}”不在 static/ 中 (attachment file missing)", a.number))
                                .at(span(f))
                                .help(format!("把文件放到 static/{rel}；还没有文件时删去 file 这一行，页面会显示“尚未发布”")),
                        );
                    }
                    (Some(rel), true)
                }
                (None, Some(page)) => {
                    if let Err(why) = crate::domain::url::check_link(page) {
                        diags.push(
                            Diagnostic::err(
                                "link",
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
                Diagnostic::err("link", &p.source, why)
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
                Diagnostic::err(
                    "list-twice",
                    &list.source,
                    format!(
                        "名单 {} 已经在 {} 中定义过 (the list is defined twice)",
                        list.id,
                        other.display()
                    ),
                )
                .help("年份、季度和种类确定一份名单：把两个文件合并，或改正其中一个"),
            );
            continue;
        }
        if list.sample {
            diags.push(
                Diagnostic::warn(
                    "sample-list",
                    &list.source,
                    format!(
                        "名单 {} 是示例数据（sample = true），不是正式名单 (sample data)",
                        list.id
                    ),
                )
                .help(format!(
                    "正式发布前请删除 {}（网站上每一页都标明了“示例数据”）",
                    list.source.display()
                )),
            );
        }
        if draft {
            let (message, help) = if opts.include_drafts {
                (
                    format!(
                        "名单 {} 是草稿：gazette build 不会发布它 (a draft, not published)",
                        list.id
                    ),
                    "gazette serve 预览时显示它并标明“草稿”",
                )
            } else {
                (
                    format!("草稿名单 {} 没有发布 (a draft was left out)", list.id),
                    "gazette serve 可以预览草稿",
                )
            };
            diags.push(
                Diagnostic::warn("draft", &list.source, message).help(format!(
                    "{help}；企业导入齐全后运行 gazette list publish {}",
                    list.id
                )),
            );
            if !opts.include_drafts {
                continue;
            }
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
            Diagnostic::err(
                "list-quarter",
                file,
                format!("quarter = {quarter} 不是季度 (not a quarter)"),
            )
            .at(span(&raw.quarter))
            .label("应为 1、2、3 或 4")
            .help("quarter 是批次所在的季度：1（一季度）到 4（四季度）"),
        );
        ok = false;
    }
    let year = *raw.year.get_ref();
    if !(2000..=2100).contains(&year) {
        diags.push(
            Diagnostic::err(
                "list-year",
                file,
                format!("year = {year} 不像是批次的年份 (not plausible)"),
            )
            .at(span(&raw.year))
            .help("写批次所属的年份，例如 year = 2026"),
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
            Diagnostic::warn(
                "list-file-name",
                file,
                format!(
                    "这是名单 {id}，但文件名不是 {expected_name} (the file name does not match)"
                ),
            )
            .at(span(&raw.kind))
            .help(format!(
                "把文件改名为 data/lists/{expected_name}，以便按编号找到它"
            )),
        );
    }

    // Publicity period.
    let publicity = match &raw.publicity {
        Some(p) => check_publicity(file, p, calendar, raw.draft, diags),
        None => {
            if stage == Stage::Publicity && !raw.draft {
                diags.push(
                    Diagnostic::err("publicity-missing", file, "公示中的名单要有公示期 [publicity] (needs a [publicity] table)")
                        .at(span(&raw.stage))
                        .label("stage = \"publicity\"")
                        .help("用 gazette list publish <编号> --start 日期 --working-days 天数 写入公示期"),
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
                        Diagnostic::err(
                            "announcement-date",
                            file,
                            "公告没有日期 (the announcement has no date)",
                        )
                        .at(span(a))
                        .help("在 [announcement] 中写上公告日期，例如 date = 2026-05-10"),
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
                        Diagnostic::err(
                            "validity",
                            file,
                            "有效期截止日早于起始日 (valid_until is before the start of validity)",
                        )
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
                    Diagnostic::err(
                        "announcement-missing",
                        file,
                        "已公告的名单要有公告信息 [announcement] (needs an [announcement] table)",
                    )
                    .at(span(&raw.stage))
                    .help(
                        "用 gazette list announce <编号> --date 日期 --document 文号 写入公告信息",
                    ),
                );
                ok = false;
            }
            None
        }
    };

    let enterprises = check_enterprises(file, &raw.enterprise, book, diags);
    if raw.enterprise.is_empty() {
        diags.push(
            Diagnostic::warn(
                "list-empty",
                file,
                "这份名单中还没有企业 (no [[enterprise]] rows)",
            )
            .at(span(&raw.stage)),
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
        draft: raw.draft,
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
                    Diagnostic::err(
                        "publicity-start",
                        file,
                        "公示期没有开始日期 ([publicity] has no start date)",
                    )
                    .at(span(p))
                    .help("在 [publicity] 中写上公示的第一天，例如 start = 2026-04-20"),
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
                Diagnostic::err(
                    "publicity-days",
                    file,
                    format!("{n} 不是可用的天数 (not a usable number of days)"),
                )
                .at(span(v))
                .help("写 1 到 366 之间的数"),
            );
            return None;
        }
        Some(n as u32)
    };
    if let (Some(w), Some(_)) = (&pf.working_days, &pf.calendar_days) {
        diags.push(
            Diagnostic::err(
                "publicity-length",
                file,
                "working_days 和 calendar_days 只能写一个 (not both)",
            )
            .at(span(w))
            .help("公示期要么按工作日（working_days）计算，要么按自然日（calendar_days）计算"),
        );
        return None;
    }
    let mut working_days = None;
    let mut calendar_days = None;
    let computed = if let Some(w) = &pf.working_days {
        let n = positive(w, diags)?;
        working_days = Some(n);
        match calendar.add_working_days(start, n) {
            Ok(end) => Some((end, span(w), format!("{n}个工作日"))),
            Err(e) => {
                diags.push(
                    Diagnostic::err("publicity-calendar", file, e.to_string())
                        .at(span(w))
                        .label("无法计算工作日"),
                );
                return None;
            }
        }
    } else if let Some(c) = &pf.calendar_days {
        let n = positive(c, diags)?;
        calendar_days = Some(n);
        Some((add_calendar_days(start, n), span(c), format!("{n}天")))
    } else {
        None
    };
    let end = match (computed, end_given) {
        (Some((computed, _, what)), Some((given, end_span))) => {
            if computed != given {
                diags.push(
                    Diagnostic::err(
                        "publicity-end",
                        file,
                        format!("end = {given} 与从 {start} 起的{what}不符，应为 {computed} (end disagrees with the count)"),
                    )
                    .at(end_span)
                    .label(format!("应为 {computed}"))
                    .help(format!("把 end 改为 {computed}，或删去 end，由天数算出")),
                );
                return None;
            }
            given
        }
        (Some((computed, _, _)), None) => computed,
        (None, Some((given, _))) => given,
        (None, None) => {
            diags.push(
                Diagnostic::err(
                    "publicity-length",
                    file,
                    "公示期没有长度 (the publicity period has no length)",
                )
                .at(span(p))
                .help("写上 working_days = 5（或 calendar_days = 7，或 end = 2026-04-24）"),
            );
            return None;
        }
    };
    if end < start {
        diags.push(
            Diagnostic::err(
                "publicity-end",
                file,
                format!("公示截止日 {end} 早于开始日 {start} (end before start)"),
            )
            .at_opt(pf.end.as_ref().map(span))
            .help("公示期从 start 到 end，两天都包括在内"),
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
                Diagnostic::err("name-empty", file, "企业名称是空的 (empty enterprise name)")
                    .at(span(&row.name))
                    .help("写企业的登记全称"),
            );
            ok = false;
        } else if name.contains(['\t', '\n', '\r']) {
            // Other refused characters are reported by the loader, for every string.
            diags.push(
                Diagnostic::err(
                    "name-line",
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
                Diagnostic::err("name-long", file, format!("企业名称有{}个字，超过{MAX_NAME_CHARS}个字的上限 (the name is too long)", name.chars().count()))
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
                    Diagnostic::err(
                        "name-line",
                        file,
                        format!("{name}的{what}中有换行符或制表符"),
                    )
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
                    "最后一位是由前17位算出的校验位（GB 32100-2015）：多半是其中某一位抄错了，请与营业执照核对".to_string()
                }
                _ => "统一社会信用代码有18位：数字和大写字母（不含 I、O、S、V、Z），例如 91210202MAEW6A1C6R".to_string(),
            };
            diags.push(
                Diagnostic::err(
                    "credit-code",
                    file,
                    format!("{name}：{e} (invalid credit code)"),
                )
                .at(span(&row.credit_code))
                .label(e.to_string())
                .help(help),
            );
            ok = false;
        } else if let Some(first) = seen.get(code.as_str()) {
            diags.push(
                Diagnostic::err(
                    "credit-code-twice",
                    file,
                    format!("统一社会信用代码 {code} 在这份名单中出现了两次 (listed twice)"),
                )
                .at(span(&row.credit_code))
                .label("第二次")
                .also(first.clone(), "第一次")
                .help("一家企业在一份名单中只列一次：删除重复的那一段"),
            );
            ok = false;
        } else {
            seen.insert(code, span(&row.credit_code));
        }
        let district = match book.resolve(row.district.get_ref()) {
            Some(i) => i,
            None => {
                let help = book.unknown_district_help(row.district.get_ref());
                diags.push(
                    Diagnostic::err(
                        "district-unknown",
                        file,
                        format!(
                            "不认识的区县“{}” (unknown district)",
                            row.district.get_ref()
                        ),
                    )
                    .at(span(&row.district))
                    .label("不在 data/districts.toml 中")
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
