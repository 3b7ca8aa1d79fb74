//! `gazette import` (a district spreadsheet → `data/lists/<year>-q<q>-<kind>.toml`) and
//! `gazette new list` (a list scaffold with its computed publicity end date).
//!
//! Import checks every row the way `check` does and reports every bad row at once, by
//! sheet, row and column as staff see them in Excel. It writes nothing unless all rows are
//! good, never replaces a file without `--force`, and re-reads what it wrote through the
//! real loader and validator before putting it in place.

// Errors here are diagnostics, built once on a path that ends the command: their size
// does not matter, and boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod columns;
pub mod limits;
pub mod sheet;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use unicode_normalization::UnicodeNormalization;

use crate::cli::RootArgs;
use crate::config::SiteConfig;
use crate::data::{CalendarFile, DistrictsFile, ListFile};
use crate::diag::{display_path, Diagnostic, Diagnostics};
use crate::domain::credit_code;
use crate::domain::workdays::{add_calendar_days, Calendar};
use crate::load;
use crate::model::{ListKind, ObjectionRules};
use crate::progress::Progress;
use crate::validate::{self, DistrictBook};

use columns::{describe_column, find_header, looks_like_header, Header, HeaderError, Role};
use sheet::{column_letters, Cell, Format, Grid, GridRow};
use write::{DayCount, Period, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// 申报: new applications
    #[value(alias = "申报")]
    Application,
    /// 复核: reviews of earlier batches
    #[value(alias = "复核")]
    Review,
}

impl From<KindArg> for ListKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Application => ListKind::Application,
            KindArg::Review => ListKind::Review,
        }
    }
}

/// The publicity period on the command line.
#[derive(Args, Debug, Clone, Default)]
pub struct PeriodArgs {
    /// First day of the publicity period (公示开始日期), e.g. 2026-09-24
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
    /// Length in working days (工作日), counted with data/calendar/<year>.toml
    #[arg(long, value_name = "N", conflicts_with = "calendar_days")]
    pub working_days: Option<u32>,
    /// Length in calendar days (天), start day = day 1 (instead of --working-days)
    #[arg(long, value_name = "N")]
    pub calendar_days: Option<u32>,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  gazette import 中山区.xlsx --year 2026 --quarter 3 --kind application --start 2026-09-24 --working-days 5
  gazette import 西岗区.xlsx --year 2026 --quarter 3 --kind application --append
  gazette import 汇总.csv --year 2026 --quarter 3 --kind review            (no dates: written as a draft)")]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xls, .ods or .csv (UTF-8 or GB18030)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The batch's year, e.g. 2026
    #[arg(long)]
    pub year: i32,
    /// The batch's quarter, 1 to 4
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub quarter: u8,
    /// application (申报) or review (复核)
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// The list's stage; an imported list is always under publicity (公示)
    #[arg(long, default_value = "publicity", value_parser = ["publicity", "公示"])]
    pub stage: String,
    /// The worksheet to read (needed when several sheets hold a list)
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// District for rows whose district cell is empty, or for a sheet without that column
    #[arg(long, value_name = "NAME")]
    pub district: Option<String>,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Replace an existing list file (everything in it is lost)
    #[arg(long, conflicts_with = "append")]
    pub force: bool,
    /// Add this sheet's rows to the existing list file (same rows are skipped)
    #[arg(long, conflicts_with_all = ["start", "working_days", "calendar_days"])]
    pub append: bool,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
#[command(after_help = "Example:
  gazette new list --year 2026 --quarter 3 --kind application --start 2026-09-24 --working-days 5")]
pub struct NewListArgs {
    /// The batch's year, e.g. 2026
    #[arg(long)]
    pub year: i32,
    /// The batch's quarter, 1 to 4
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub quarter: u8,
    /// application (申报) or review (复核)
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// The list's stage; a new list starts under publicity (公示)
    #[arg(long, default_value = "publicity", value_parser = ["publicity", "公示"])]
    pub stage: String,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Replace an existing list file (everything in it is lost)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub root: RootArgs,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("“{s}” is not a date: write it as YYYY-MM-DD, e.g. 2026-09-24"))
}

/// At most this many row errors are listed; the rest are counted.
const MAX_ROW_ERRORS: usize = 500;

/// What the site's data says about districts, holidays and objection rules.
pub struct SiteData {
    pub book: DistrictBook,
    pub calendar: Calendar,
    pub objection: ObjectionRules,
}

/// Reads `data/site.toml`, `data/districts.toml` and `data/calendar/*.toml` (not the lists
/// or pages: an unrelated problem elsewhere must not block an import).
pub fn load_site_data(root: &Path, diags: &mut Diagnostics) -> Option<SiteData> {
    let config: Option<SiteConfig> = load::read_toml(root, Path::new(load::SITE_FILE), true, diags);
    let districts: Option<DistrictsFile> =
        load::read_toml(root, Path::new(load::DISTRICTS_FILE), true, diags);
    let mut calendars: Vec<(PathBuf, CalendarFile)> = Vec::new();
    for rel in load::list_files(root, Path::new(load::CALENDAR_DIR), diags) {
        if rel.extension().is_some_and(|x| x == "toml")
            && rel.parent() == Some(Path::new(load::CALENDAR_DIR))
        {
            if let Some(c) = load::read_toml(root, &rel, true, diags) {
                calendars.push((rel, c));
            }
        }
    }
    let calendar = validate::holiday_calendar(&calendars, diags);
    let (config, districts) = (config?, districts?);
    let book = validate::district_book(&districts, &config.area_code, diags);
    if diags.has_errors() {
        return None;
    }
    Some(SiteData {
        book,
        calendar,
        objection: config.objection,
    })
}

/// Prints diagnostics and a closing line; returns the exit status.
fn fail(diags: &Diagnostics, closing: &str) -> i32 {
    eprint!("{}", diags.render(crate::cli::color()));
    eprintln!("{closing}");
    1
}

const NOTHING_WRITTEN: &str =
    "导入已取消，没有写入任何文件 (import cancelled: nothing was written)";

/// The period from `--start` and `--working-days`/`--calendar-days`, or `None` (a draft).
fn period_from_args(
    p: &PeriodArgs,
    calendar: &Calendar,
    required: bool,
) -> Result<Option<Period>, Diagnostic> {
    let cli = Path::new("(command line)");
    let count = match (p.working_days, p.calendar_days) {
        (Some(n), None) => Some(DayCount::Working(n)),
        (None, Some(n)) => Some(DayCount::Calendar(n)),
        (None, None) => None,
        (Some(_), Some(_)) => {
            return Err(Diagnostic::error(
                cli,
                "give --working-days or --calendar-days, not both",
            ))
        }
    };
    let (start, count) = match (p.start, count) {
        (Some(s), Some(c)) => (s, c),
        (None, None) if !required => return Ok(None),
        (None, _) => {
            return Err(
                Diagnostic::error(cli, "缺少公示开始日期 (--start is missing)")
                    .help("add --start 2026-09-24 (the first day of the publicity period)"),
            )
        }
        (Some(_), None) => return Err(Diagnostic::error(
            cli,
            "缺少公示天数 (--working-days is missing)",
        )
        .help("add --working-days 5 (or --calendar-days 7 when the notice counts calendar days)")),
    };
    let n = match count {
        DayCount::Working(n) | DayCount::Calendar(n) => n,
    };
    if !(1..=366).contains(&n) {
        return Err(
            Diagnostic::error(cli, format!("{n} is not a usable number of days"))
                .help("give a number from 1 to 366, e.g. --working-days 5"),
        );
    }
    let end = match count {
        DayCount::Working(n) => calendar.add_working_days(start, n).map_err(|e| {
            Diagnostic::error(cli, e.to_string())
                .help("working days are counted with the official holiday calendar of that year")
        })?,
        DayCount::Calendar(n) => add_calendar_days(start, n),
    };
    Ok(Some(Period { start, count, end }))
}

fn check_year(year: i32) -> Result<(), Diagnostic> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(
            Diagnostic::error("(command line)", format!("--year {year} is not plausible"))
                .help("give the batch's year, e.g. --year 2026"),
        )
    }
}

/// Where one cell is, as staff see it in their spreadsheet program.
#[derive(Debug, Clone)]
struct Loc<'a> {
    sheet: Option<&'a str>,
    row: u32,
    col: usize,
    header: &'a str,
}

impl std::fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cell = format!("{}{}", column_letters(self.col), self.row);
        match self.sheet {
            Some(s) => write!(f, "{s}!{cell}")?,
            None => write!(f, "{cell}")?,
        }
        write!(
            f,
            "（第{}行 {}）",
            self.row,
            describe_column(self.col, self.header)
        )
    }
}

/// A good row and where it came from.
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub row: Row,
    pub number: u32,
    code_col: usize,
}

/// The rows of a grid below its header, checked; bad rows become diagnostics.
pub struct Extracted {
    pub rows: Vec<SourceRow>,
    /// Row numbers skipped because they hold neither a name nor a credit code.
    pub skipped_empty: Vec<u32>,
    pub errors: usize,
}

/// Names as staff typed them, tidied: zero-width characters dropped, a line break inside a
/// cell removed (kept as one space between Latin letters or digits), runs of spaces collapsed.
pub fn clean_text(s: &str) -> String {
    let mut out = String::new();
    let mut pending_break = false;
    let mut pending_space = false;
    for c in s.trim().chars() {
        if matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
            || (c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            continue;
        }
        if c == '\n' || c == '\r' {
            pending_break = true;
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if !out.is_empty() {
            let prev_ascii = out
                .chars()
                .last()
                .is_some_and(|p| p.is_ascii_alphanumeric());
            if pending_space || (pending_break && prev_ascii && c.is_ascii_alphanumeric()) {
                out.push(' ');
            }
        }
        pending_break = false;
        pending_space = false;
        out.push(c);
    }
    out
}

/// The form in which names are compared (a full-width bracket is the same name).
fn name_key(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

fn cell(row: &GridRow, col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| row.cells.get(c))
}

/// Checks every row below the header. Every problem is reported, not just the first.
#[allow(clippy::too_many_arguments)]
pub fn extract_rows(
    grid: &Grid,
    header: &Header,
    book: &DistrictBook,
    fallback_district: Option<usize>,
    source: &Path,
    diags: &mut Diagnostics,
    progress: &Progress,
) -> Extracted {
    let sheet = grid.sheet.as_deref();
    let name_col = header.column(Role::Name);
    let code_col = header.column(Role::CreditCode);
    let district_col = header.column(Role::District);
    let industry_col = header.column(Role::Industry);
    let mut out = Extracted {
        rows: Vec::new(),
        skipped_empty: Vec::new(),
        errors: 0,
    };
    let mut seen: HashMap<String, (u32, usize)> = HashMap::new();
    let mut warnings = Vec::new();
    let mut report = |out: &mut Extracted, d: Diagnostic| {
        out.errors += 1;
        if out.errors <= MAX_ROW_ERRORS {
            diags.push(d);
        }
    };
    for row in grid.rows.iter().skip(header.row_index + 1) {
        progress.inc(1);
        let text = |c: Option<usize>| cell(row, c).map(|c| c.text.trim()).unwrap_or("");
        let (name_raw, code_raw) = (text(name_col), text(code_col));
        if name_raw.is_empty() && code_raw.is_empty() {
            if row.cells.iter().any(|c| !c.text.trim().is_empty()) {
                out.skipped_empty.push(row.number);
            }
            continue;
        }
        if looks_like_header(row) {
            // A header repeated on every printed page.
            continue;
        }
        let loc = |role: Role, col: Option<usize>| Loc {
            sheet,
            row: row.number,
            col: col.unwrap_or(0),
            header: header.header_text(role),
        };
        let mut ok = true;

        let name = clean_text(name_raw);
        if name.is_empty() {
            report(
                &mut out,
                Diagnostic::error(
                    source,
                    format!(
                        "{}：企业名称为空 (the enterprise name is empty)",
                        loc(Role::Name, name_col)
                    ),
                )
                .help("fill in the enterprise's registered name (企业全称), or delete the row"),
            );
            ok = false;
        }

        let code = match cell(row, code_col) {
            Some(Cell {
                problem: Some(p), ..
            }) => {
                report(
                    &mut out,
                    Diagnostic::error(source, format!("{}：{p}", loc(Role::CreditCode, code_col)))
                        .help("set the column's format to 文本 (Text) in Excel, type the 18-character code again, and import again"),
                );
                ok = false;
                String::new()
            }
            _ => {
                let code = credit_code::normalize(code_raw);
                if code.is_empty() {
                    report(
                        &mut out,
                        Diagnostic::error(
                            source,
                            format!("{}：{name} 的统一社会信用代码为空 (the credit code is empty)", loc(Role::CreditCode, code_col)),
                        )
                        .help("every enterprise in a list needs its 18-character unified social credit code; copy it from the business licence (营业执照)"),
                    );
                    ok = false;
                } else if let Err(e) = credit_code::validate(&code) {
                    let help = match &e {
                        credit_code::CodeError::CheckChar { .. } => "the last character is a check character computed from the other 17 (GB 32100-2015): one of them is probably mistyped; compare with the business licence (营业执照)",
                        _ => "a unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z (e.g. 91210202MAEW6A1C6R)",
                    };
                    report(
                        &mut out,
                        Diagnostic::error(
                            source,
                            format!("{}：“{code_raw}”：{e}", loc(Role::CreditCode, code_col)),
                        )
                        .help(help),
                    );
                    ok = false;
                } else if let Some(&(first, _)) = seen.get(&code) {
                    report(
                        &mut out,
                        Diagnostic::error(
                            source,
                            format!("{}：统一社会信用代码 {code} 与第{first}行重复 (duplicate credit code)", loc(Role::CreditCode, code_col)),
                        )
                        .help("an enterprise is listed once per list: delete one of the two rows"),
                    );
                    ok = false;
                } else {
                    seen.insert(code.clone(), (row.number, code_col.unwrap_or(0)));
                }
                code
            }
        };

        let district_cell = cell(row, district_col);
        let district_raw = district_cell.map(|c| c.text.trim()).unwrap_or("");
        let district = if let Some(Cell {
            problem: Some(p), ..
        }) = district_cell
        {
            report(
                &mut out,
                Diagnostic::error(
                    source,
                    format!("{}：{p}", loc(Role::District, district_col)),
                )
                .help("write the district's name, e.g. 中山区"),
            );
            None
        } else if district_raw.is_empty() {
            if fallback_district.is_none() {
                report(
                    &mut out,
                    Diagnostic::error(
                        source,
                        format!("{}：{name} 的所属区县为空 (the district is empty)", loc(Role::District, district_col)),
                    )
                    .help("fill in the district (e.g. 中山区), or give --district 中山区 when the whole sheet comes from one district"),
                );
            }
            fallback_district
        } else {
            match book.resolve(district_raw) {
                Some(i) => Some(i),
                None => {
                    let suggestions = book.suggest(district_raw);
                    let help = if suggestions.is_empty() {
                        format!(
                            "use a district name from data/districts.toml: {}; a new spelling can be added there as an alias",
                            book.names().join("、")
                        )
                    } else {
                        format!(
                            "did you mean {}? (names and aliases are listed in data/districts.toml; a new spelling can be added there as an alias)",
                            suggestions.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join(" or ")
                        )
                    };
                    report(
                        &mut out,
                        Diagnostic::error(
                            source,
                            format!(
                                "{}：不认识的区县“{district_raw}” (unknown district)",
                                loc(Role::District, district_col)
                            ),
                        )
                        .help(help),
                    );
                    None
                }
            }
        };
        let Some(district) = district else { continue };
        if !ok {
            continue;
        }
        let industry = Some(clean_text(text(industry_col))).filter(|s| !s.is_empty());
        if crate::render::downloads::looks_like_formula(&name) {
            warnings.push(
                Diagnostic::warning(
                    source,
                    format!(
                        "{}：企业名称“{name}”以“{}”开头，电子表格会把它当作公式 (the name starts like a formula)",
                        loc(Role::Name, name_col),
                        name.chars().next().unwrap_or(' ')
                    ),
                )
                .help("请核对名称是否抄错；如确实如此，网站照原样显示，下载的 CSV 会在前面加一个单引号，使 Excel 和 WPS 把它当作文字"),
            );
        }
        out.rows.push(SourceRow {
            row: Row {
                name,
                credit_code: code,
                district: book.districts[district].name.clone(),
                industry,
            },
            number: row.number,
            code_col: code_col.unwrap_or(0),
        });
    }
    for w in warnings {
        diags.push(w);
    }
    if out.errors > MAX_ROW_ERRORS {
        diags.push(
            Diagnostic::error(source, format!("……另有 {} 处错误未列出 (and {} more errors)", out.errors - MAX_ROW_ERRORS, out.errors - MAX_ROW_ERRORS))
                .help("so many errors usually mean a wrong column: check that the header row names each column correctly"),
        );
    }
    out
}

fn header_error(source: &Path, sheet: Option<&str>, e: HeaderError) -> Diagnostic {
    let at = sheet.map(|s| format!("工作表“{s}”：")).unwrap_or_default();
    match e {
        HeaderError::NotFound { first_rows } => {
            let seen = first_rows
                .iter()
                .map(|(n, cells)| format!("第{n}行：{}", cells.join(" | ")))
                .collect::<Vec<_>>()
                .join("；");
            Diagnostic::error(
                source,
                format!("{at}找不到表头行 (no header row found){}", if seen.is_empty() { "：表格是空的".to_string() } else { format!("。前几行是：{seen}") }),
            )
            .help("the sheet needs a header row with at least 企业名称 and 统一社会信用代码 (and 所属区县 / 所属地区), within its first 30 rows")
        }
        HeaderError::Ambiguous { row, role, columns } => Diagnostic::error(
            source,
            format!(
                "{at}第{row}行的表头中有多列都像是“{}”：{} (ambiguous columns)",
                role.zh(),
                columns
                    .iter()
                    .map(|(c, h)| describe_column(*c, h))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
        .help("delete or rename the extra column in a copy of the sheet, then import that copy"),
        HeaderError::Missing { row, role } => {
            let help = match role {
                Role::District => "add a 所属区县 column, or give --district 中山区 when the whole sheet comes from one district".to_string(),
                Role::CreditCode => "the published list needs each enterprise's 统一社会信用代码: add that column (18 characters per enterprise)".to_string(),
                _ => format!("add a column headed {}", role.zh()),
            };
            Diagnostic::error(
                source,
                format!(
                    "{at}第{row}行的表头中没有“{}”列 (missing column)",
                    role.zh()
                ),
            )
            .help(help)
        }
    }
}

/// Picks the worksheet: the one named by `--sheet`, else the only one holding a list.
fn choose_sheet(grids: Vec<Grid>, wanted: Option<&str>, source: &Path) -> Result<Grid, Diagnostic> {
    let names: Vec<String> = grids.iter().filter_map(|g| g.sheet.clone()).collect();
    let listed = names
        .iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、");
    if let Some(w) = wanted {
        let key = |s: &str| {
            s.nfkc()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase()
        };
        let pos = grids
            .iter()
            .position(|g| g.sheet.as_deref() == Some(w))
            .or_else(|| {
                grids
                    .iter()
                    .position(|g| g.sheet.as_deref().map(key) == Some(key(w)))
            });
        return match pos {
            Some(i) => Ok(grids.into_iter().nth(i).unwrap_or(Grid {
                sheet: None,
                rows: Vec::new(),
            })),
            None => Err(Diagnostic::error(
                source,
                format!("没有名为“{w}”的工作表 (no such sheet)"),
            )
            .help(format!(
                "the workbook's sheets are {listed}: pass one of them to --sheet"
            ))),
        };
    }
    let with_header: Vec<usize> = grids
        .iter()
        .enumerate()
        .filter(|(_, g)| g.rows.iter().take(30).any(looks_like_header))
        .map(|(i, _)| i)
        .collect();
    match with_header.as_slice() {
        [i] => Ok(grids.into_iter().nth(*i).unwrap_or(Grid { sheet: None, rows: Vec::new() })),
        [] => {
            // Report the header problem of the first sheet that has anything in it.
            Ok(grids
                .into_iter()
                .find(|g| !g.rows.is_empty())
                .unwrap_or(Grid { sheet: names.first().cloned(), rows: Vec::new() }))
        }
        many => Err(Diagnostic::error(
            source,
            format!(
                "工作簿中有 {} 张工作表都是企业名单：{} (several sheets hold a list)",
                many.len(),
                many.iter().filter_map(|&i| grids[i].sheet.as_deref()).map(|n| format!("“{n}”")).collect::<Vec<_>>().join("、")
            ),
        )
        .help("import them one at a time: the first with --sheet NAME, then each other one with --sheet NAME --append")),
    }
}

/// A row already in the list file.
struct ExistingRow {
    row: Row,
    line: usize,
}

fn existing_rows(raw: &ListFile, text: &str, book: &DistrictBook) -> HashMap<String, ExistingRow> {
    raw.enterprise
        .iter()
        .map(|e| {
            let code = credit_code::normalize(e.credit_code.get_ref());
            let district = book
                .resolve(e.district.get_ref())
                .map(|i| book.districts[i].name.clone())
                .unwrap_or_else(|| e.district.get_ref().clone());
            let row = Row {
                name: e.name.get_ref().trim().to_string(),
                credit_code: code.clone(),
                district,
                industry: e
                    .industry
                    .as_deref()
                    .map(clean_text)
                    .filter(|s| !s.is_empty()),
            };
            let line = crate::diag::line_col(text, e.credit_code.span().start).0;
            (code, ExistingRow { row, line })
        })
        .collect()
}

fn same_data(a: &Row, b: &Row) -> bool {
    name_key(&a.name) == name_key(&b.name)
        && a.district == b.district
        && a.industry.as_deref().map(name_key) == b.industry.as_deref().map(name_key)
}

fn differences(new: &Row, old: &Row) -> String {
    let mut d = Vec::new();
    if name_key(&new.name) != name_key(&old.name) {
        d.push(format!("企业名称“{}”≠“{}”", new.name, old.name));
    }
    if new.district != old.district {
        d.push(format!("所属区县“{}”≠“{}”", new.district, old.district));
    }
    if new.industry.as_deref().map(name_key) != old.industry.as_deref().map(name_key) {
        d.push(format!(
            "行业“{}”≠“{}”",
            new.industry.as_deref().unwrap_or(""),
            old.industry.as_deref().unwrap_or("")
        ));
    }
    d.join("，")
}

/// Re-reads a list text through the real loader and validator, as `check` would.
fn verify_list(
    rel: &Path,
    text: &str,
    site: &SiteData,
    diags: &mut Diagnostics,
) -> Option<ListFile> {
    let (raw, parse_diags) = load::parse_toml::<ListFile>(rel, text.to_string());
    diags.extend(parse_diags);
    let raw = raw?;
    // The loader reads large lists through a fast path when it can: it must agree.
    if let Some(fast) = load::fastlist::parse(text) {
        if rows_of(&fast) != rows_of(&raw) {
            diags.push(
                Diagnostic::error(
                    rel,
                    "internal error: the loader's fast path reads this list differently",
                )
                .help("please report this with the spreadsheet; nothing was written"),
            );
            return None;
        }
    }
    let mut d = Diagnostics::new();
    d.add_source(rel, std::sync::Arc::from(text));
    let checked = validate::check_list(
        rel,
        raw.clone(),
        &site.book,
        &site.calendar,
        &site.objection,
        &mut d,
    );
    let ok = checked.is_some() && !d.has_errors();
    diags.extend(d);
    ok.then_some(raw)
}

/// The rows of a parsed list file as written (for the round-trip guard).
fn rows_of(raw: &ListFile) -> Vec<Row> {
    raw.enterprise
        .iter()
        .map(|e| Row {
            name: e.name.get_ref().clone(),
            credit_code: e.credit_code.get_ref().clone(),
            district: e.district.get_ref().clone(),
            industry: e.industry.clone(),
        })
        .collect()
}

fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| display_path(path))
}

fn row_span(rows: &[SourceRow]) -> String {
    match (rows.first(), rows.last()) {
        (Some(a), Some(b)) if a.number != b.number => format!("第{}–{}行", a.number, b.number),
        (Some(a), _) => format!("第{}行", a.number),
        _ => String::new(),
    }
}

fn district_counts(rows: &[Row], book: &DistrictBook) -> String {
    let mut counts: Vec<(usize, &str, usize)> = Vec::new();
    for r in rows {
        let order = book.resolve(&r.district).unwrap_or(usize::MAX);
        match counts.iter_mut().find(|c| c.1 == r.district) {
            Some(c) => c.2 += 1,
            None => counts.push((order, r.district.as_str(), 1)),
        }
    }
    counts.sort();
    counts
        .iter()
        .map(|(_, d, n)| format!("{d} {n}"))
        .collect::<Vec<_>>()
        .join("、")
}

fn numbers(list: &[u32]) -> String {
    let shown: Vec<String> = list.iter().take(10).map(|n| n.to_string()).collect();
    let more = if list.len() > 10 { "…" } else { "" };
    format!("第{}{more}行", shown.join("、"))
}

const WAITING: &str =
    "另一个 gazette 命令正在修改 data/，等待它完成…… (another command is writing data/; waiting)";

/// Why a list file could not be written; a file that appeared meanwhile gets its own advice.
fn write_error(rel: &Path, e: &std::io::Error) -> Diagnostic {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        Diagnostic::error(rel, "这份名单文件刚刚被别人创建，没有覆盖 (the list file appeared while this command ran; not overwritten)")
            .help("看看这个文件是谁、从哪里来的；要把表格追加进去，用 --append 再运行一次")
    } else {
        Diagnostic::error(
            rel,
            format!("无法写入名单文件：{e} (cannot write the list file)"),
        )
        .help("检查 data/lists/ 文件夹是否存在、是否可写、磁盘是否已满")
    }
}

/// The list file's current text, if the command may go on with it: `--append` needs the
/// file, a plain import needs it absent (or `--force`).
fn existing_list(
    args: &ImportArgs,
    rel: &Path,
    target: &Path,
) -> Result<Option<String>, Diagnostic> {
    let existing = crate::store::read_optional(target).map_err(|e| {
        Diagnostic::error(
            rel,
            format!("无法读取已有的名单文件：{e} (cannot read the existing list)"),
        )
    })?;
    if args.append && existing.is_none() {
        return Err(
            Diagnostic::error(rel, "这份名单文件还不存在，无法追加 (nothing to append to)")
                .help("import the first sheet without --append (or create the list with `gazette new list`), then append the others"),
        );
    }
    if !args.append && !args.force && existing.is_some() {
        return Err(
            Diagnostic::error(rel, "这份名单文件已存在，没有覆盖 (the list file already exists; not overwritten)")
                .help("to add this sheet's enterprises to it, run the same command with --append; to replace the whole file (its enterprises, dates and any hand edits are lost), add --force"),
        );
    }
    Ok(existing)
}

/// `gazette import`.
pub fn run_import(args: ImportArgs) -> i32 {
    let root = args.root.root.clone();
    let mut diags = Diagnostics::new();
    if let Err(d) = check_year(args.year) {
        diags.push(d);
        return fail(&diags, NOTHING_WRITTEN);
    }
    let Some(site) = load_site_data(&root, &mut diags) else {
        return fail(
            &diags,
            "请先修正上面的数据文件问题，再导入 (fix the data files above, then import again)",
        );
    };
    let period = match period_from_args(&args.period, &site.calendar, false) {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return fail(&diags, NOTHING_WRITTEN);
        }
    };
    let kind: ListKind = args.kind.into();
    let id = validate::list_id(args.year, args.quarter, kind);
    let rel = PathBuf::from(load::LISTS_DIR).join(format!("{id}.toml"));
    let target = root.join(&rel);
    let source = args.file.clone();

    let fallback = match &args.district {
        Some(d) => match site.book.resolve(d) {
            Some(i) => Some(i),
            None => {
                diags.push(
                    Diagnostic::error(
                        "(command line)",
                        format!("--district：不认识的区县“{d}” (unknown district)"),
                    )
                    .help(format!(
                        "use a district name from data/districts.toml: {}",
                        site.book.names().join("、")
                    )),
                );
                return fail(&diags, NOTHING_WRITTEN);
            }
        },
        None => None,
    };

    let format = match sheet::format_of(&source) {
        Ok(f) => f,
        Err(e) => {
            diags.push(Diagnostic::error(&source, e.message).help(e.help));
            return fail(&diags, NOTHING_WRITTEN);
        }
    };
    if !source.is_file() {
        diags.push(
            Diagnostic::error(&source, "找不到这个文件 (file not found)")
                .help("check the path; put quotes around a file name with spaces"),
        );
        return fail(&diags, NOTHING_WRITTEN);
    }
    // Refuse early, before reading a large sheet (and again under the lock, below).
    if let Err(d) = existing_list(&args, &rel, &target) {
        diags.push(d);
        return fail(&diags, NOTHING_WRITTEN);
    }

    // Read the spreadsheet.
    let reading = Progress::new("读取表格", None);
    reading.set_message(file_label(&source));
    let (grid, encoding) = match format {
        Format::Csv => match sheet::read_csv(&source) {
            Ok((g, enc)) => {
                if args.sheet.is_some() {
                    diags.push(Diagnostic::warning(
                        &source,
                        "a CSV file has no sheets: --sheet is ignored",
                    ));
                }
                (g, Some(enc))
            }
            Err(e) => {
                diags.push(Diagnostic::error(&source, e.message).help(e.help));
                return fail(&diags, NOTHING_WRITTEN);
            }
        },
        Format::Workbook => match sheet::read_workbook(&source)
            .map_err(|e| Diagnostic::error(&source, e.message).help(e.help))
            .and_then(|g| choose_sheet(g, args.sheet.as_deref(), &source))
        {
            Ok(g) => (g, None),
            Err(d) => {
                diags.push(d);
                return fail(&diags, NOTHING_WRITTEN);
            }
        },
    };
    reading.finish();

    let header = match find_header(&grid, fallback.is_none()) {
        Ok(h) => h,
        Err(e) => {
            diags.push(header_error(&source, grid.sheet.as_deref(), e));
            return fail(&diags, NOTHING_WRITTEN);
        }
    };
    let checking = Progress::new(
        "检查",
        Some((grid.rows.len() - header.row_index - 1) as u64),
    );
    let extracted = extract_rows(
        &grid, &header, &site.book, fallback, &source, &mut diags, &checking,
    );
    checking.finish();
    if extracted.errors > 0 {
        return fail(&diags, NOTHING_WRITTEN);
    }
    if extracted.rows.is_empty() {
        diags.push(
            Diagnostic::error(
                &source,
                format!(
                    "表头（第{}行）下面没有企业 (no enterprise rows below the header)",
                    header.row_number
                ),
            )
            .help("check that this is the right file and sheet (--sheet NAME)"),
        );
        return fail(&diags, NOTHING_WRITTEN);
    }

    let where_from = match (&grid.sheet, encoding) {
        (Some(s), _) => format!(
            "{}（工作表“{s}”，{}）",
            file_label(&source),
            row_span(&extracted.rows)
        ),
        (None, Some(enc)) => format!(
            "{}（{enc} 编码的 CSV，{}）",
            file_label(&source),
            row_span(&extracted.rows)
        ),
        (None, None) => file_label(&source),
    };

    crate::build::pause_point("import-before-lock");
    // From here on the list file is read and written under the data lock, so that two
    // imports take turns and a file that appeared meanwhile is not overwritten.
    let _lock = match crate::store::lock_data(&root, &|| eprintln!("{WAITING}")) {
        Ok(l) => l,
        Err(e) => {
            diags.push(Diagnostic::error(
                crate::store::LOCK_FILE,
                format!("无法锁定数据文件夹：{e} (cannot lock data/)"),
            ));
            return fail(&diags, NOTHING_WRITTEN);
        }
    };
    let existing_text = match existing_list(&args, &rel, &target) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return fail(&diags, NOTHING_WRITTEN);
        }
    };
    let (text, new_rows, skipped_same) = if args.append {
        let existing = existing_text.clone().unwrap_or_default();
        let (raw, parse_diags) = load::parse_toml::<ListFile>(&rel, existing.clone());
        let Some(raw) = raw else {
            diags.extend(parse_diags);
            return fail(
                &diags,
                "请先修正已有的名单文件，再追加 (fix the existing list file, then append again)",
            );
        };
        let mut pre = Diagnostics::new();
        pre.add_source(&rel, std::sync::Arc::from(existing.as_str()));
        if validate::check_list(
            &rel,
            raw.clone(),
            &site.book,
            &site.calendar,
            &site.objection,
            &mut pre,
        )
        .is_none()
            || pre.has_errors()
        {
            diags.extend(pre);
            return fail(&diags, "请先修正已有的名单文件（gazette check 会列出同样的问题），再追加 (fix the existing list file first)");
        }
        if *raw.year.get_ref() != args.year
            || *raw.quarter.get_ref() != i64::from(args.quarter)
            || *raw.kind.get_ref() != kind
        {
            diags.push(
                Diagnostic::error(&rel, format!("这个文件里的 year/quarter/kind 与文件名 {id} 不一致 (the file's header does not match its name)"))
                    .help("correct year, quarter and kind in the file (or rename it), then append again"),
            );
            return fail(&diags, NOTHING_WRITTEN);
        }
        let old = existing_rows(&raw, &existing, &site.book);
        let mut fresh: Vec<SourceRow> = Vec::new();
        let mut same = 0usize;
        let mut conflicts = 0usize;
        for r in &extracted.rows {
            match old.get(&r.row.credit_code) {
                Some(o) if same_data(&r.row, &o.row) => same += 1,
                Some(o) => {
                    conflicts += 1;
                    let loc = Loc {
                        sheet: grid.sheet.as_deref(),
                        row: r.number,
                        col: r.code_col,
                        header: header.header_text(Role::CreditCode),
                    };
                    diags.push(
                        Diagnostic::error(
                            &source,
                            format!(
                                "{loc}：统一社会信用代码 {} 已在 {} 第{}行，但数据不同：{} (credit code already listed with different data)",
                                r.row.credit_code,
                                display_path(&rel),
                                o.line,
                                differences(&r.row, &o.row)
                            ),
                        )
                        .help("find out which is right: correct the spreadsheet, or correct the row in the list file by hand, then append again"),
                    );
                }
                None => fresh.push(r.clone()),
            }
        }
        if conflicts > 0 {
            return fail(&diags, NOTHING_WRITTEN);
        }
        if fresh.is_empty() {
            eprint!("{}", diags.render(crate::cli::color()));
            eprintln!(
                "没有新的企业：{same} 行已在 {} 中，已跳过；文件没有改动 (nothing new: {same} identical rows skipped, file unchanged)",
                display_path(&rel)
            );
            return 0;
        }
        let provenance = vec![format!(
            "以下 {} 家企业由 gazette import 追加，来源：{where_from}",
            fresh.len()
        )];
        let rows: Vec<Row> = fresh.iter().map(|r| r.row.clone()).collect();
        (write::appended(&existing, &provenance, &rows), rows, same)
    } else {
        let rows: Vec<Row> = extracted.rows.iter().map(|r| r.row.clone()).collect();
        let provenance = vec![
            format!("来源：{where_from}"),
            format!(
                "由 gazette import 导入，共 {} 家企业；区县名称已统一为 data/districts.toml 中的写法，信用代码已规范化。",
                rows.len()
            ),
        ];
        (
            write::list_file(
                args.year,
                args.quarter,
                kind,
                &provenance,
                period.as_ref(),
                &rows,
            ),
            rows,
            0,
        )
    };

    // Never write what `check` would reject, and make sure it reads back to the same rows.
    let mut verify = Diagnostics::new();
    let Some(back) = verify_list(&rel, &text, &site, &mut verify) else {
        diags.extend(verify);
        return fail(&diags, NOTHING_WRITTEN);
    };
    let back_rows = rows_of(&back);
    if back_rows.len() < new_rows.len()
        || back_rows[back_rows.len() - new_rows.len()..] != new_rows[..]
    {
        diags.push(
            Diagnostic::error(
                &rel,
                "internal error: the written list does not read back to the imported rows",
            )
            .help("please report this with the spreadsheet; nothing was written"),
        );
        return fail(&diags, NOTHING_WRITTEN);
    }
    diags.extend(verify);

    let written = if existing_text.is_some() {
        crate::store::replace(&target, &text)
    } else {
        crate::store::create_new(&target, &text)
    };
    if let Err(e) = written {
        diags.push(write_error(&rel, &e));
        return fail(&diags, NOTHING_WRITTEN);
    }

    if !diags.is_empty() {
        eprint!("{}", diags.render(crate::cli::color()));
    }
    let verb = if args.append { "追加到" } else { "写入" };
    eprintln!(
        "已{verb} {}：{} 家企业（{}）(wrote {} enterprises)",
        display_path(&rel),
        new_rows.len(),
        district_counts(&new_rows, &site.book),
        new_rows.len()
    );
    if skipped_same > 0 {
        eprintln!(
            "跳过 {skipped_same} 行：已在名单中且数据相同 (skipped {skipped_same} identical rows)"
        );
    }
    if !extracted.skipped_empty.is_empty() {
        eprintln!(
            "跳过 {} 行没有企业名称和信用代码的行：{} (skipped rows without name and code)",
            extracted.skipped_empty.len(),
            numbers(&extracted.skipped_empty)
        );
    }
    if !header.ignored.is_empty() {
        eprintln!(
            "未导入的列 (columns not imported)：{}",
            header
                .ignored
                .iter()
                .map(|(c, h)| describe_column(*c, h))
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    if !args.append {
        match &period {
            Some(p) => eprintln!(
                "公示期：{} (publicity period)",
                crate::domain::datefmt::zh_period(p.start, p.end)
            ),
            None => eprintln!(
                "草稿：没有公示日期，gazette build 不会发布这份名单；填写 [publicity] 并删除 draft = true 后再发布 (written as a draft: add the dates, then remove `draft = true`)"
            ),
        }
    }
    eprintln!("下一步：gazette check，然后 gazette serve 预览 (next: gazette check, then gazette serve to preview)");
    0
}

/// `gazette new list`.
pub fn run_new_list(args: NewListArgs) -> i32 {
    const NOT_CREATED: &str = "没有创建文件 (nothing was written)";
    let root = args.root.root.clone();
    let mut diags = Diagnostics::new();
    if let Err(d) = check_year(args.year) {
        diags.push(d);
        return fail(&diags, NOT_CREATED);
    }
    let Some(site) = load_site_data(&root, &mut diags) else {
        return fail(
            &diags,
            "请先修正上面的数据文件问题 (fix the data files above first)",
        );
    };
    let period = match period_from_args(&args.period, &site.calendar, true) {
        Ok(Some(p)) => p,
        Ok(None) => return fail(&diags, NOT_CREATED),
        Err(d) => {
            diags.push(d);
            return fail(&diags, NOT_CREATED);
        }
    };
    let kind: ListKind = args.kind.into();
    let id = validate::list_id(args.year, args.quarter, kind);
    let rel = PathBuf::from(load::LISTS_DIR).join(format!("{id}.toml"));
    let target = root.join(&rel);
    let _lock = match crate::store::lock_data(&root, &|| eprintln!("{WAITING}")) {
        Ok(l) => l,
        Err(e) => {
            diags.push(Diagnostic::error(
                crate::store::LOCK_FILE,
                format!("无法锁定数据文件夹：{e} (cannot lock data/)"),
            ));
            return fail(&diags, NOT_CREATED);
        }
    };
    if target.exists() && !args.force {
        diags.push(
            Diagnostic::error(&rel, "这份名单文件已存在，没有覆盖 (the list file already exists; not overwritten)")
                .help("edit the existing file, or add --force to replace it with an empty scaffold (its enterprises are lost)"),
        );
        return fail(&diags, NOT_CREATED);
    }
    let text = write::new_list_file(args.year, args.quarter, kind, &period);
    let mut verify = Diagnostics::new();
    if verify_list(&rel, &text, &site, &mut verify).is_none() {
        diags.extend(verify);
        return fail(&diags, NOT_CREATED);
    }
    let written = if args.force {
        crate::store::replace(&target, &text)
    } else {
        crate::store::create_new(&target, &text)
    };
    if let Err(e) = written {
        diags.push(write_error(&rel, &e));
        return fail(&diags, NOT_CREATED);
    }
    let what = match period.count {
        DayCount::Working(n) => format!("{n}个工作日"),
        DayCount::Calendar(n) => format!("{n}天"),
    };
    eprintln!(
        "已创建 {}：公示期 {}（{what}），截止 {} (created; publicity ends {})",
        display_path(&rel),
        crate::domain::datefmt::zh_period(period.start, period.end),
        crate::domain::datefmt::zh_date(period.end),
        period.end
    );
    eprintln!("这是草稿：用 gazette import … --append 导入企业（或手工填写），然后删除 draft = true (a draft until the enterprises are in)");
    0
}
