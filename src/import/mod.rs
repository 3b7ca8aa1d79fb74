//! `gazette import`: district spreadsheets → `data/lists/<id>.toml`.
//!
//! Import checks every row the way `check` does and reports every bad row at once, by
//! sheet, row and column as staff see them in Excel. Several files in one run are all or
//! nothing. It writes nothing unless every row of every file is good, never replaces a file
//! without `force`, never appends to an announced list, and re-reads what it wrote through
//! the real loader and validator before putting it in place. The library prints nothing:
//! the command layer shows the report.

#![allow(clippy::result_large_err)] // diagnostics are the cold path

pub mod columns;
pub(crate) mod extract;
pub(crate) mod limits;
pub(crate) mod merge;
pub mod sheet;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use extract::{clean_text, extract_rows, Extracted, RowContext, SourceRow};

use crate::diag::{display_path, Diagnostic, Diagnostics};
use crate::load;
use crate::model::Stage;
use crate::progress::Progress;
use crate::source::list::ListFile;
use crate::validate::{self, load_site_data, Batch, BatchRef, DistrictBook, SiteData};

use crate::lists::write::{self, Period, PeriodSpec, Row};
use columns::{describe_column, find_header, Role};
use sheet::{Format, Grid};

/// What to import, as the command line says.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub root: PathBuf,
    /// One or more spreadsheets: all are imported, or none.
    pub files: Vec<PathBuf>,
    /// The batch's list the rows go into.
    pub batch: BatchRef,
    /// The worksheet to read in each workbook.
    pub sheet: Option<String>,
    /// The district of rows whose district cell is empty.
    pub district: Option<String>,
    /// The publicity period; without it a new list is written as a draft.
    pub period: Option<PeriodSpec>,
    /// Add the rows to the existing list file.
    pub append: bool,
    /// Replace an existing list file.
    pub force: bool,
}

/// What an import wrote, and what the clerk should read.
#[derive(Debug)]
pub struct ImportReport {
    /// The list's id (what `gazette list` commands take).
    pub id: String,
    /// `data/lists/<id>.toml`.
    pub list_file: PathBuf,
    pub appended: bool,
    pub written: Vec<Row>,
    /// "中山区 3、西岗区 2".
    pub by_district: String,
    /// Rows already in the list with the same data (`--append`).
    pub same: usize,
    pub sources: Vec<SourceReport>,
    pub period: Option<Period>,
    pub warnings: Diagnostics,
    /// Where each of `written` came from: its file (an index into `sources`) and its row
    /// in the sheet, as staff see it in Excel.
    pub origins: Vec<(usize, u32)>,
    /// The list file's text before the import (`None`: there was none) and after it
    /// (`None`: nothing to write). After `preview`, what `import` would write.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One file of an import.
#[derive(Debug)]
pub struct SourceReport {
    /// The file, its sheet or encoding, and the rows read: "中山区.xlsx（工作表“Sheet1”，第4–9行）".
    pub label: String,
    pub skipped_empty: Vec<u32>,
    pub skipped_summary: Vec<(u32, String)>,
    pub remarks: Vec<(u32, String)>,
    pub ignored_columns: Vec<String>,
}

/// Why nothing was written: the diagnostics, and which step stopped (the command layer
/// says what to do about it).
#[derive(Debug)]
pub struct ImportFailure {
    pub diags: Diagnostics,
    pub stop: Stop,
}

/// The step an import stopped at; the diagnostics say why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The site's data files (districts, calendar, programmes) have errors.
    DataFiles,
    /// `--append` to a list file that has errors.
    ExistingList,
    /// The spreadsheets, the command line or the list refused the import.
    Refused,
}

/// A spreadsheet read and its header found, ready to check.
struct Sheet {
    source: PathBuf,
    grid: Grid,
    header: columns::Header,
    encoding: Option<&'static str>,
}

/// What the command line asks for, resolved against the site's data: the batch's list,
/// the period's end, the fallback district.
struct Plan {
    site: SiteData,
    batch: Batch,
    period: Option<Period>,
    fallback: Option<usize>,
    /// `data/lists/<id>.toml`, as the clerk reads it, and under the site's root.
    rel: PathBuf,
    target: PathBuf,
}

/// The list file as found under the lock: its text, and when appending, its rows by
/// credit code.
struct Existing {
    text: Option<String>,
    rows: HashMap<String, merge::ExistingRow>,
}

/// The rows of every sheet, checked and sorted against the list.
struct Checked {
    /// Rows not in the list yet, in the sheets' order.
    rows: Vec<Row>,
    /// Each row's sheet (index into `sources`) and row number.
    origins: Vec<(usize, u32)>,
    /// Rows already in the list with the same data (`--append`).
    same: usize,
    sources: Vec<SourceReport>,
}

/// Imports `opts.files` into the list file, or writes nothing.
pub fn import(opts: &ImportOptions, on_wait: &dyn Fn()) -> Result<ImportReport, ImportFailure> {
    run(opts, on_wait, Mode::Write)
}

/// Every step of `import` but the last: the same checks, the same refusals and the text
/// it would write (`ImportReport::after`), and nothing written. The console shows this
/// before the clerk confirms.
pub fn preview(opts: &ImportOptions, on_wait: &dyn Fn()) -> Result<ImportReport, ImportFailure> {
    run(opts, on_wait, Mode::Preview)
}

/// Whether the import writes its list file or only says what it would write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    Preview,
}

fn run(
    opts: &ImportOptions,
    on_wait: &dyn Fn(),
    mode: Mode,
) -> Result<ImportReport, ImportFailure> {
    let mut diags = Diagnostics::new();
    match import_steps(opts, on_wait, mode, &mut diags) {
        Ok(report) => Ok(ImportReport {
            warnings: diags,
            ..report
        }),
        Err(stop) => Err(ImportFailure { diags, stop }),
    }
}

/// The import as named steps, each adding its problems to `diags`: resolve the command
/// line, read every sheet, then under the data lock read the list, check the rows, write
/// the text, re-read it as `check` would and put it in place.
fn import_steps(
    opts: &ImportOptions,
    on_wait: &dyn Fn(),
    mode: Mode,
    diags: &mut Diagnostics,
) -> Result<ImportReport, Stop> {
    let plan = plan(opts, diags)?;
    let sheets = read_sheets(opts, &plan, diags)?;
    crate::hooks::pause_point("import-before-lock");
    // From here on the list file is read and written under the data lock, so that two
    // imports take turns and a file that appeared meanwhile is not overwritten.
    let _lock = write::lock(&opts.root, on_wait).map_err(refused(diags))?;
    let existing = read_existing(opts, &plan, diags)?;
    let checked = check_rows(&plan, &sheets, &existing, diags)?;
    if checked.rows.is_empty() {
        // Every row is already in the list: nothing to write.
        return Ok(report(&plan, checked, true, None, (existing.text, None)));
    }
    let text = list_text(opts, &plan, &existing, &checked);
    verify_round_trip(&plan, &text, &checked.rows, diags)?;
    let replace = existing.text.is_some();
    if mode == Mode::Write {
        write::put(&opts.root, &plan.rel, &text, replace).map_err(refused(diags))?;
    }
    let period = if opts.append { None } else { plan.period };
    Ok(report(
        &plan,
        checked,
        opts.append,
        period,
        (existing.text, Some(text)),
    ))
}

/// Adds a step's refusal to `diags`, to stop with `Stop::Refused`.
fn refused(diags: &mut Diagnostics) -> impl FnOnce(Diagnostic) -> Stop + '_ {
    move |d| {
        diags.push(d);
        Stop::Refused
    }
}

/// Stops with `Stop::Refused` when a step found errors.
fn stop_on_errors(diags: &Diagnostics) -> Result<(), Stop> {
    if diags.has_errors() {
        Err(Stop::Refused)
    } else {
        Ok(())
    }
}

/// The site's data, the batch, the period and the fallback district; and the early
/// refusal of a list file the import may not touch (reported with the sheets' problems).
fn plan(opts: &ImportOptions, diags: &mut Diagnostics) -> Result<Plan, Stop> {
    let Some(site) = load_site_data(&opts.root, diags) else {
        return Err(Stop::DataFiles);
    };
    let batch = site.batch(&opts.batch).map_err(refused(diags))?;
    let period = match &opts.period {
        Some(spec) => Some(
            spec.resolve(
                &site.calendar,
                site.programmes[batch.programme].publicity_length,
            )
            .map_err(|why| {
                diags.push(
                    Diagnostic::general(why)
                        .code("period")
                        .help("写上 --working-days、--calendar-days 或 --end，或在项目文件 data/programmes/<项目>.toml 中写 [publicity] working_days = 5；工作日按当年的节假日安排（data/calendar/<年份>.toml）计算"),
                );
                Stop::Refused
            })?,
        ),
        None => None,
    };
    let rel = PathBuf::from(load::LISTS_DIR).join(format!("{}.toml", batch.id));
    let target = opts.root.join(&rel);
    let fallback = match &opts.district {
        Some(d) => Some(site.book.resolve(d).ok_or_else(|| {
            diags.push(
                Diagnostic::usage(
                    "usage-district",
                    format!("--district：不认识的区县“{d}” (unknown district)"),
                )
                .help(site.book.unknown_district_help(d)),
            );
            Stop::Refused
        })?),
        None => None,
    };
    // Refuse early, before reading large sheets (and again under the lock); the files are
    // still read, so that their problems are reported in the same run.
    if let Err(d) = existing_list(opts, &rel, &target) {
        diags.push(d);
    }
    Ok(Plan {
        site,
        batch,
        period,
        fallback,
        rel,
        target,
    })
}

/// Reads every file first: a file that cannot be read stops the whole import.
fn read_sheets(
    opts: &ImportOptions,
    plan: &Plan,
    diags: &mut Diagnostics,
) -> Result<Vec<Sheet>, Stop> {
    let mut sheets = Vec::new();
    for source in &opts.files {
        if let Some(s) = read_sheet(
            source,
            opts.sheet.as_deref(),
            plan.fallback.is_none(),
            diags,
        ) {
            sheets.push(s);
        }
    }
    stop_on_errors(diags)?;
    Ok(sheets)
}

/// The list file as it is now, under the lock: refused again if the import may not touch
/// it, and when appending, checked as `check` would and its rows read.
fn read_existing(
    opts: &ImportOptions,
    plan: &Plan,
    diags: &mut Diagnostics,
) -> Result<Existing, Stop> {
    let text = existing_list(opts, &plan.rel, &plan.target).map_err(refused(diags))?;
    let rows = match (&text, opts.append) {
        (Some(text), true) => appended_to(plan, text, diags)?,
        _ => HashMap::new(),
    };
    Ok(Existing { text, rows })
}

/// The rows of the list that `--append` adds to, once the list passes `check` and its
/// header names the batch of its file name.
fn appended_to(
    plan: &Plan,
    text: &str,
    diags: &mut Diagnostics,
) -> Result<HashMap<String, merge::ExistingRow>, Stop> {
    let (rel, id) = (&plan.rel, &plan.batch.id);
    let mut pre = Diagnostics::new();
    pre.add_source(rel, std::sync::Arc::from(text));
    let (raw, parse_diags) = load::parse_toml::<ListFile>(rel, text.to_string());
    pre.extend(parse_diags);
    let Some(raw) = raw else {
        diags.extend(pre);
        return Err(Stop::ExistingList);
    };
    let checked = validate::check_list(rel, raw.clone(), &plan.site, &mut pre);
    let Some(checked) = checked.filter(|_| !pre.has_errors()) else {
        diags.extend(pre);
        return Err(Stop::ExistingList);
    };
    if checked.id != *id {
        diags.push(
            Diagnostic::err("list-head", rel, format!("这个文件里的 programme、year、batch、kind 说的是名单 {}，与文件名 {id} 不一致 (the file's header does not match its name)", checked.id))
                .help("改正文件中的 programme、year、batch、kind（或改文件名），然后再追加"),
        );
        return Err(Stop::Refused);
    }
    Ok(merge::existing_rows(&raw, text, &plan.site.book))
}

/// Checks every row of every file, and, when appending, against the list: all problems
/// of all files are reported in this one run.
fn check_rows(
    plan: &Plan,
    sheets: &[Sheet],
    existing: &Existing,
    diags: &mut Diagnostics,
) -> Result<Checked, Stop> {
    let mut seen = extract::Seen::new();
    let mut checked = Checked {
        rows: Vec::new(),
        origins: Vec::new(),
        same: 0,
        sources: Vec::new(),
    };
    let total_rows: u64 = sheets.iter().map(|s| s.grid.rows.len() as u64).sum();
    let progress = Progress::new("检查", Some(total_rows));
    for s in sheets {
        let cx = RowContext {
            grid: &s.grid,
            header: &s.header,
            book: &plan.site.book,
            fallback_district: plan.fallback,
            kinds: &plan.site.programmes[plan.batch.programme].kinds,
            kind: plan.batch.kind,
            source: &s.source,
            progress: &progress,
        };
        let got = extract_rows(&cx, &mut seen, diags);
        if got.errors == 0 && got.rows.is_empty() {
            diags.push(no_rows(s));
        }
        let m = merge::merge(
            &got.rows,
            &existing.rows,
            &s.source,
            s.grid.sheet.as_deref(),
            s.header.header_text(Role::CreditCode),
            &plan.rel,
        );
        for c in m.conflicts {
            diags.push(c);
        }
        checked.same += m.same;
        let index = checked.sources.len();
        for r in m.fresh {
            checked.origins.push((index, r.number));
            checked.rows.push(r.row);
        }
        checked.sources.push(source_report(s, got));
    }
    progress.finish();
    stop_on_errors(diags)?;
    Ok(checked)
}

/// A sheet whose header has nothing below it: most likely the wrong file or sheet.
fn no_rows(s: &Sheet) -> Diagnostic {
    Diagnostic::err(
        "import-no-rows",
        &s.source,
        format!(
            "表头（第{}行）下面没有企业 (no enterprise rows below the header)",
            s.header.row_number
        ),
    )
    .help("检查是不是选错了文件或工作表（--sheet 名称）")
}

/// What the clerk reads about one file: where its rows came from and what was skipped.
fn source_report(s: &Sheet, got: Extracted) -> SourceReport {
    SourceReport {
        label: source_label(s, &got.rows),
        skipped_empty: got.skipped_empty,
        skipped_summary: got.skipped_summary,
        remarks: got.remarks,
        ignored_columns: s
            .header
            .ignored
            .iter()
            .map(|(c, h)| describe_column(*c, h))
            .collect(),
    }
}

/// The list file's new text: the existing one with the rows appended, or a whole new file
/// whose comments say where the rows came from.
fn list_text(opts: &ImportOptions, plan: &Plan, existing: &Existing, checked: &Checked) -> String {
    let rows = &checked.rows;
    let labels: Vec<String> = checked.sources.iter().map(|s| s.label.clone()).collect();
    match &existing.text {
        Some(existing) if opts.append => write::appended(
            existing,
            &[format!(
                "以下 {} 家企业由 gazette import 追加，来源：{}",
                rows.len(),
                labels.join("；")
            )],
            rows,
        ),
        _ => write::list_file(
            &plan.site,
            &plan.batch,
            &[
                format!("来源：{}", labels.join("；")),
                format!(
                    "由 gazette import 导入，共 {} 家企业；区县名称已统一为 data/districts.toml 中的写法，信用代码已规范化。",
                    rows.len()
                ),
            ],
            plan.period.as_ref(),
            rows,
        ),
    }
}

/// Never write what `check` would reject, and make sure the text reads back to the rows.
fn verify_round_trip(
    plan: &Plan,
    text: &str,
    rows: &[Row],
    diags: &mut Diagnostics,
) -> Result<(), Stop> {
    let rel = &plan.rel;
    let mut verify = Diagnostics::new();
    let Some(back) = verify_list(rel, text, &plan.site, &mut verify) else {
        diags.extend(verify);
        return Err(Stop::Refused);
    };
    let back_rows = rows_of(&back);
    if back_rows.len() < rows.len() || back_rows[back_rows.len() - rows.len()..] != rows[..] {
        diags.push(
            Diagnostic::err("internal", rel, "内部错误：写出的名单读回来与导入的行不一致 (internal error: the list does not read back)")
                .help("请把表格发给维护人员；没有写入任何文件"),
        );
        return Err(Stop::Refused);
    }
    diags.extend(verify);
    Ok(())
}

/// What the import did; the warnings are added by `import`.
fn report(
    plan: &Plan,
    checked: Checked,
    appended: bool,
    period: Option<Period>,
    (before, after): (Option<String>, Option<String>),
) -> ImportReport {
    ImportReport {
        id: plan.batch.id.clone(),
        list_file: plan.rel.clone(),
        appended,
        // Empty when nothing was written.
        by_district: district_counts(&checked.rows, &plan.site.book),
        written: checked.rows,
        same: checked.same,
        sources: checked.sources,
        period,
        warnings: Diagnostics::new(),
        origins: checked.origins,
        before,
        after,
    }
}

/// Reads one spreadsheet and finds its header; problems become diagnostics.
fn read_sheet(
    source: &Path,
    wanted_sheet: Option<&str>,
    need_district: bool,
    diags: &mut Diagnostics,
) -> Option<Sheet> {
    if source.is_dir() {
        diags.push(
            Diagnostic::err(
                "import-folder",
                source,
                "这是一个文件夹，不是表格文件 (a folder, not a spreadsheet)",
            )
            .help("写出文件夹里的表格文件，例如 incoming/中山区.xlsx；一次导入几个文件时逐个写出"),
        );
        return None;
    }
    let format = match sheet::format_of(source) {
        Ok(f) => f,
        Err(e) => {
            diags.push(Diagnostic::err("import-read", source, e.message).help(e.help));
            return None;
        }
    };
    if !source.is_file() {
        diags.push(
            Diagnostic::err("import-missing", source, "找不到这个文件 (file not found)")
                .help("检查路径；文件名中有空格时要给整个路径加上引号"),
        );
        return None;
    }
    let reading = Progress::new("读取表格", None);
    reading.set_message(file_label(source));
    let read: Result<(Grid, Option<&'static str>), sheet::ReadError> = match format {
        Format::Csv => sheet::read_csv(source).map(|(g, enc)| {
            if wanted_sheet.is_some() {
                diags.push(Diagnostic::warn(
                    "import-sheet",
                    source,
                    "CSV 文件没有工作表：--sheet 不起作用 (a CSV file has no sheets)",
                ));
            }
            (g, Some(enc))
        }),
        Format::Workbook => match sheet::read_workbook(source) {
            Ok(grids) => match extract::choose_sheet(grids, wanted_sheet, source) {
                Ok(g) => Ok((g, None)),
                Err(d) => {
                    reading.finish();
                    diags.push(d);
                    return None;
                }
            },
            Err(e) => Err(e),
        },
    };
    reading.finish();
    let (grid, encoding) = match read {
        Ok(x) => x,
        Err(e) => {
            diags.push(Diagnostic::err("import-read", source, e.message).help(e.help));
            return None;
        }
    };
    match find_header(&grid, need_district) {
        Ok(header) => Some(Sheet {
            source: source.to_path_buf(),
            grid,
            header,
            encoding,
        }),
        Err(e) => {
            diags.push(extract::header_error(source, grid.sheet.as_deref(), e));
            None
        }
    }
}

fn source_label(s: &Sheet, rows: &[SourceRow]) -> String {
    let span = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) if a.number != b.number => format!("第{}–{}行", a.number, b.number),
        (Some(a), _) => format!("第{}行", a.number),
        _ => String::new(),
    };
    match (&s.grid.sheet, s.encoding) {
        (Some(sheet), _) => format!("{}（工作表“{sheet}”，{span}）", file_label(&s.source)),
        (None, Some(enc)) => format!("{}（{enc} 编码的 CSV，{span}）", file_label(&s.source)),
        (None, None) => file_label(&s.source),
    }
}

/// Rows whose district is a `(count)` summary: "中山区 3、西岗区 2".
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

/// "第3、5、8行" (at most ten numbers shown).
pub fn numbers(list: &[u32]) -> String {
    let shown: Vec<String> = list.iter().take(10).map(|n| n.to_string()).collect();
    let more = if list.len() > 10 {
        format!("等 {} 行", list.len())
    } else {
        String::new()
    };
    format!("第{}行{more}", shown.join("、"))
}

fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| display_path(path))
}

/// The list file's current text, if the command may go on with it: `append` needs the file
/// (and a list not yet announced), a plain import needs it absent (or `force`).
fn existing_list(
    opts: &ImportOptions,
    rel: &Path,
    target: &Path,
) -> Result<Option<String>, Diagnostic> {
    let existing = crate::store::read_optional(target).map_err(|e| {
        Diagnostic::err(
            "file-unreadable",
            rel,
            format!("无法读取已有的名单文件：{e} (cannot read the existing list)"),
        )
    })?;
    match (&existing, opts.append, opts.force) {
        (None, true, _) => Err(
            Diagnostic::err("import-append-missing", rel, "这份名单文件还不存在，无法追加 (nothing to append to)")
                .help("第一张表不加 --append 导入（或先用 gazette new list 建立名单），其余各张再加 --append"),
        ),
        (Some(_), false, false) => Err(
            Diagnostic::err("list-exists", rel, "这份名单文件已存在，没有覆盖 (the list file already exists; not overwritten)")
                .help("要把这张表的企业加进去，在命令后加 --append；要整个替换（原有的企业、日期和手工修改都会丢失），加 --force"),
        ),
        (Some(text), true, _) if stage_of(text) == Some(Stage::Announced) => Err(
            Diagnostic::err("import-append-announced", rel, "这份名单已经公告，不能再追加企业 (the list is announced: nothing may be appended)")
                .help("公告名单只能包含经过公示的企业：新企业放进下一批次的名单，经过公示后再公告"),
        ),
        _ => Ok(existing),
    }
}

/// The `stage` a list file declares, read without checking the rest.
fn stage_of(text: &str) -> Option<Stage> {
    #[derive(serde::Deserialize)]
    struct Head {
        stage: Stage,
    }
    let head_end = text.find("[[").unwrap_or(text.len());
    let head = &text[..head_end];
    toml::from_str::<Head>(head)
        .ok()
        .map(|h| h.stage)
        .or_else(|| toml::from_str::<Head>(text).ok().map(|h| h.stage))
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
                Diagnostic::err("internal", rel, "内部错误：读取名单的快速通道与完整解析的结果不一致 (internal error: fast path disagrees)")
                    .help("请把表格发给维护人员；没有写入任何文件"),
            );
            return None;
        }
    }
    let mut d = Diagnostics::new();
    d.add_source(rel, std::sync::Arc::from(text));
    let checked = validate::check_list(rel, raw.clone(), site, &mut d);
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
