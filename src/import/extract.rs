//! The rows of a sheet below its header, checked one by one as `gazette check` would, and
//! every problem named by sheet, row and column as staff see them in Excel. Rows that are
//! not enterprises (empty rows, repeated headers, totals, signatures and notes) are
//! skipped and reported, never read as enterprises.

use std::collections::HashMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::credit_code;
use crate::domain::text::looks_like_formula;
use crate::model::Kind;
use crate::progress::Progress;
use crate::validate::DistrictBook;

use super::columns::{describe_column, looks_like_header, Header, HeaderError, Role};
use super::sheet::{column_letters, Cell, Grid, GridRow};
use crate::lists::write::Row;

/// At most this many row errors are listed; the rest are counted.
const MAX_ROW_ERRORS: usize = 500;

/// Where one cell is, as staff see it in their spreadsheet program.
#[derive(Debug, Clone)]
pub(crate) struct Loc<'a> {
    pub sheet: Option<&'a str>,
    pub row: u32,
    pub col: usize,
    pub header: &'a str,
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
    pub code_col: usize,
}

/// The rows of a grid below its header, checked; bad rows became diagnostics.
#[derive(Debug, Default)]
pub struct Extracted {
    pub rows: Vec<SourceRow>,
    /// Rows skipped because they hold neither a name nor a credit code.
    pub skipped_empty: Vec<u32>,
    /// Totals, signature and note rows (row, what it says).
    pub skipped_summary: Vec<(u32, String)>,
    /// Non-empty 备注 cells (row, text), for the clerk to read.
    pub remarks: Vec<(u32, String)>,
    pub errors: usize,
}

/// Credit codes already taken in this import, across all its files: (file, row).
pub(crate) type Seen = HashMap<String, (String, u32)>;

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
pub(crate) fn name_key(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

fn cell(row: &GridRow, col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| row.cells.get(c))
}

/// Words that start a cell of a totals or signature row, in any column.
const SUMMARY_ANYWHERE: [&str; 12] = [
    "合计",
    "总计",
    "小计",
    "共计",
    "填表人",
    "填报人",
    "审核人",
    "制表人",
    "联系人",
    "负责人",
    "填表日期",
    "填报日期",
];
/// Words that start a note row (in its first non-empty cell).
const NOTE_FIRST: [&str; 4] = ["注", "说明", "备注", "附注"];

/// What a totals, signature or note row says, if `row` is one. A row with a well-formed
/// credit code is an enterprise, whatever else it holds.
pub(crate) fn summary_row(row: &GridRow, code_col: Option<usize>) -> Option<String> {
    if let Some(c) = cell(row, code_col) {
        if credit_code::normalize(&c.text).chars().count() == 18 {
            return None;
        }
    }
    let texts: Vec<String> = row
        .cells
        .iter()
        .map(|c| name_key(&c.text))
        .filter(|t| !t.is_empty())
        .collect();
    let first = texts.first()?;
    let summary = texts
        .iter()
        .any(|t| SUMMARY_ANYWHERE.iter().any(|k| t.starts_with(k)))
        || NOTE_FIRST.iter().any(|k| first.starts_with(k));
    if !summary {
        return None;
    }
    // Shown as typed (merged cells repeat their text once).
    let mut shown: Vec<String> = Vec::new();
    for t in row
        .cells
        .iter()
        .map(|c| clean_text(&c.text))
        .filter(|t| !t.is_empty())
    {
        if shown.last() != Some(&t) {
            shown.push(t);
        }
    }
    let text = shown.join(" | ");
    Some(match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}……", &text[..i]),
        None => text,
    })
}

/// Whether a cell holds a number that Excel wrote in scientific notation (9.12102E+17),
/// which has lost the last digits of a credit code.
pub(crate) fn scientific_number(s: &str) -> bool {
    let s = s.trim();
    let Some((mantissa, exp)) = s.split_once(['e', 'E']) else {
        return false;
    };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit())
        && !exp.is_empty()
        && exp.chars().all(|c| c.is_ascii_digit())
}

/// The help for a code whose digits Excel lost.
const LOST_DIGITS_HELP: &str = "在 Excel 中把这一列的格式设为“文本”，重新输入18位代码（或从原始材料复制），保存后再导入；另存为 CSV 之前也要先这样做";

/// The kind of list a 类型 cell names (by one of the programme's kind names), if any.
fn kind_named(text: &str, kinds: &[Kind]) -> Option<usize> {
    let t = name_key(text);
    kinds
        .iter()
        .position(|k| t == name_key(&k.name))
        .or_else(|| kinds.iter().position(|k| t.contains(&name_key(&k.name))))
}

/// What the rows of one sheet are checked against: the sheet and its header, the site's
/// districts and the batch's kind, and where the rows came from. One value instead of a
/// long argument list, so that the row checks below can share it.
pub struct RowContext<'a> {
    pub grid: &'a Grid,
    pub header: &'a Header,
    pub book: &'a DistrictBook,
    /// The district of rows whose district cell is empty (`--district`).
    pub fallback_district: Option<usize>,
    /// The programme's kinds, and the one being imported.
    pub kinds: &'a [Kind],
    pub kind: usize,
    pub source: &'a Path,
    pub progress: &'a Progress,
}

/// Checks every row below the header. Every problem is reported, not just the first.
/// `seen` holds the credit codes taken by earlier sheets of the same import.
pub fn extract_rows(cx: &RowContext, seen: &mut Seen, diags: &mut Diagnostics) -> Extracted {
    let mut pass = Pass::new(cx, diags);
    for row in cx.grid.rows.iter().skip(cx.header.row_index + 1) {
        cx.progress.inc(1);
        pass.row(row, seen);
    }
    pass.finish()
}

/// The columns of the roles a row is read by.
struct Columns {
    name: Option<usize>,
    code: Option<usize>,
    district: Option<usize>,
    industry: Option<usize>,
    kind: Option<usize>,
    remark: Option<usize>,
}

/// One pass over a sheet's rows: what has been found so far. Row errors go to `diags` as
/// they are found (the first `MAX_ROW_ERRORS`, the rest counted); warnings and the rows of
/// another kind are reported after the rows, as one diagnostic each.
struct Pass<'a, 'd> {
    cx: &'a RowContext<'a>,
    cols: Columns,
    /// The file's name, as a duplicate in another file is named.
    label: String,
    out: Extracted,
    warnings: Vec<Diagnostic>,
    other_kind: Vec<u32>,
    other_named: Option<usize>,
    diags: &'d mut Diagnostics,
}

impl<'a, 'd> Pass<'a, 'd> {
    fn new(cx: &'a RowContext<'a>, diags: &'d mut Diagnostics) -> Self {
        let h = cx.header;
        Pass {
            cx,
            cols: Columns {
                name: h.column(Role::Name),
                code: h.column(Role::CreditCode),
                district: h.column(Role::District),
                industry: h.column(Role::Industry),
                kind: h.column(Role::Kind),
                remark: h.column(Role::Remark),
            },
            label: cx
                .source
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            out: Extracted::default(),
            warnings: Vec::new(),
            other_kind: Vec::new(),
            other_named: None,
            diags,
        }
    }

    /// A row error: counted, and listed while there are not too many.
    fn report(&mut self, d: Diagnostic) {
        self.out.errors += 1;
        if self.out.errors <= MAX_ROW_ERRORS {
            self.diags.push(d);
        }
    }

    /// Where a cell of `row` is, for a message.
    fn loc(&self, row: &GridRow, role: Role, col: Option<usize>) -> Loc<'a> {
        Loc {
            sheet: self.cx.grid.sheet.as_deref(),
            row: row.number,
            col: col.unwrap_or(0),
            header: self.cx.header.header_text(role),
        }
    }

    /// One row: skipped when it is not an enterprise, else noted, checked cell by cell
    /// (every problem reported) and kept when every cell is good.
    fn row(&mut self, row: &GridRow, seen: &mut Seen) {
        if self.skipped(row) {
            return;
        }
        self.note(row);
        let (name, name_ok) = self.name(row);
        let (code, code_ok) = self.code(row, &name, seen);
        let Some(district) = self.district(row, &name) else {
            return;
        };
        if !(name_ok && code_ok) {
            return;
        }
        self.keep(row, name, code, district);
    }

    /// Whether `row` is not an enterprise: a totals, signature or note row, an empty one,
    /// or a header repeated on every printed page. The first two are reported.
    fn skipped(&mut self, row: &GridRow) -> bool {
        if let Some(said) = summary_row(row, self.cols.code) {
            self.out.skipped_summary.push((row.number, said));
            return true;
        }
        if text(row, self.cols.name).is_empty() && text(row, self.cols.code).is_empty() {
            if row.cells.iter().any(|c| !c.text.trim().is_empty()) {
                self.out.skipped_empty.push(row.number);
            }
            return true;
        }
        looks_like_header(row)
    }

    /// The row's 备注, for the clerk to read, and whether its 类型 names another kind.
    fn note(&mut self, row: &GridRow) {
        let remark = clean_text(text(row, self.cols.remark));
        if !remark.is_empty() {
            self.out.remarks.push((row.number, remark));
        }
        let kind = self.cx.kind;
        if let Some(k) = kind_named(text(row, self.cols.kind), self.cx.kinds).filter(|&k| k != kind)
        {
            self.other_named.get_or_insert(k);
            self.other_kind.push(row.number);
        }
    }

    /// The enterprise's name, tidied, and whether it is good.
    fn name(&mut self, row: &GridRow) -> (String, bool) {
        let name = clean_text(text(row, self.cols.name));
        let at = self.loc(row, Role::Name, self.cols.name);
        let source = self.cx.source;
        if name.is_empty() {
            self.report(
                Diagnostic::err(
                    "name-empty",
                    source,
                    format!("{at}：企业名称为空 (the enterprise name is empty)"),
                )
                .help("填写企业的登记全称，或删除这一行"),
            );
            return (name, false);
        }
        if name.chars().count() > crate::validate::MAX_NAME_CHARS {
            self.report(
                Diagnostic::err(
                    "name-long",
                    source,
                    format!(
                        "{at}：企业名称有{}个字，超过{}个字的上限 (the name is too long)",
                        name.chars().count(),
                        crate::validate::MAX_NAME_CHARS
                    ),
                )
                .help("这不像一家企业的登记名称：常见原因是几个单元格的内容粘在了一起"),
            );
            return (name, false);
        }
        (name, true)
    }

    /// The credit code, normalised, and whether it is good: digits Excel lost, an empty
    /// code, a wrong one and one taken by an earlier row are each refused.
    fn code(&mut self, row: &GridRow, name: &str, seen: &mut Seen) -> (String, bool) {
        let code_raw = text(row, self.cols.code);
        let at = self.loc(row, Role::CreditCode, self.cols.code);
        let source = self.cx.source;
        if let Some(Cell {
            problem: Some(p), ..
        }) = cell(row, self.cols.code)
        {
            self.report(
                Diagnostic::err("import-lost-digits", source, format!("{at}：{p}"))
                    .help(LOST_DIGITS_HELP),
            );
            return (String::new(), false);
        }
        if scientific_number(code_raw) {
            self.report(
                Diagnostic::err("import-lost-digits", 
                    source,
                    format!(
                        "{at}：“{code_raw}”是 Excel 改写成科学计数法的数字，代码的末尾几位已经丢失 (Excel lost the digits)"
                    ),
                )
                .help(LOST_DIGITS_HELP),
            );
            return (String::new(), false);
        }
        let code = credit_code::normalize(code_raw);
        if code.is_empty() {
            self.report(
                Diagnostic::err(
                    "import-code-empty",
                    source,
                    format!("{at}：{name} 的统一社会信用代码为空 (the credit code is empty)"),
                )
                .help("名单中的每家企业都要有18位统一社会信用代码：从营业执照上抄录"),
            );
            return (code, false);
        }
        if let Err(e) = credit_code::validate(&code) {
            let help = match &e {
                credit_code::CodeError::CheckChar { .. } => "最后一位是由前17位算出的校验位（GB 32100-2015）：多半是其中某一位抄错了，请与营业执照核对",
                _ => "统一社会信用代码有18位：数字和大写字母（不含 I、O、S、V、Z），例如 91210202MAEW6A1C6R",
            };
            self.report(
                Diagnostic::err("credit-code", source, format!("{at}：“{code_raw}”：{e}"))
                    .help(help),
            );
            return (code, false);
        }
        if let Some((file, first)) = seen.get(&code) {
            let place = if *file == self.label {
                format!("第{first}行")
            } else {
                format!("{file} 第{first}行")
            };
            self.report(
                Diagnostic::err(
                    "credit-code-twice",
                    source,
                    format!("{at}：统一社会信用代码 {code} 与{place}重复 (duplicate credit code)"),
                )
                .help("一家企业在一份名单中只列一次：删除其中一行"),
            );
            return (code, false);
        }
        seen.insert(code.clone(), (self.label.clone(), row.number));
        (code, true)
    }

    /// The row's district (its index in the districts file): the cell's, or `--district`
    /// when the cell is empty; `None`, reported, when neither names a known district.
    fn district(&mut self, row: &GridRow, name: &str) -> Option<usize> {
        let district_cell = cell(row, self.cols.district);
        let district_raw = district_cell.map(|c| c.text.trim()).unwrap_or("");
        let at = self.loc(row, Role::District, self.cols.district);
        let source = self.cx.source;
        if let Some(Cell {
            problem: Some(p), ..
        }) = district_cell
        {
            self.report(
                Diagnostic::err("import-cell", source, format!("{at}：{p}"))
                    .help("填写区县名称，例如 中山区"),
            );
            return None;
        }
        if district_raw.is_empty() {
            if self.cx.fallback_district.is_none() {
                self.report(
                    Diagnostic::err("district-empty", 
                        source,
                        format!("{at}：{name} 的所属区县为空 (the district is empty)"),
                    )
                    .help("填写所属区县（例如 中山区）；整张表都来自同一个区县时，也可以在命令中加 --district 中山区"),
                );
            }
            return self.cx.fallback_district;
        }
        let found = self.cx.book.resolve(district_raw);
        if found.is_none() {
            self.report(
                Diagnostic::err(
                    "district-unknown",
                    source,
                    format!("{at}：不认识的区县“{district_raw}” (unknown district)"),
                )
                .help(self.cx.book.unknown_district_help(district_raw)),
            );
        }
        found
    }

    /// A good row, kept; a name a spreadsheet would read as a formula is kept with a
    /// warning (the site shows it as it is, the CSV download defuses it).
    fn keep(&mut self, row: &GridRow, name: String, code: String, district: usize) {
        let industry = Some(clean_text(text(row, self.cols.industry))).filter(|s| !s.is_empty());
        if looks_like_formula(&name) {
            self.warnings.push(
                Diagnostic::warn("import-formula", 
                    self.cx.source,
                    format!(
                        "{}：企业名称“{name}”以“{}”开头，电子表格会把它当作公式 (the name starts like a formula)",
                        self.loc(row, Role::Name, self.cols.name),
                        name.chars().next().unwrap_or(' ')
                    ),
                )
                .help("请核对名称是否抄错；如确实如此，网站照原样显示，下载的 CSV 会在前面加一个单引号，使 Excel 和 WPS 把它当作文字"),
            );
        }
        self.out.rows.push(SourceRow {
            row: Row {
                name,
                credit_code: code,
                district: self.cx.book.districts[district].name.clone(),
                industry,
            },
            number: row.number,
            code_col: self.cols.code.unwrap_or(0),
        });
    }

    /// After the last row: the rows of another kind as one error, the warnings, and how
    /// many errors were not listed.
    fn finish(mut self) -> Extracted {
        self.report_other_kind();
        for w in std::mem::take(&mut self.warnings) {
            self.diags.push(w);
        }
        if self.out.errors > MAX_ROW_ERRORS {
            let more = self.out.errors - MAX_ROW_ERRORS;
            self.diags.push(
                Diagnostic::err(
                    "import-too-many",
                    self.cx.source,
                    format!("……另有 {more} 处错误未列出 (and {more} more errors)"),
                )
                .help("错误这么多，通常是列对错了：请检查表头行是否正确地写明了每一列"),
            );
        }
        self.out
    }

    /// Rows whose 类型 names another kind than the one imported: one error for all.
    fn report_other_kind(&mut self) {
        if self.other_kind.is_empty() {
            return;
        }
        let kinds = self.cx.kinds;
        let this = kinds[self.cx.kind].name.as_str();
        let other = self
            .other_named
            .map(|k| kinds[k].name.as_str())
            .unwrap_or("");
        let d = Diagnostic::err("import-kind", 
            self.cx.source,
            format!(
                "{}的“{}”列写的是“{other}”，但本次导入的是{this}名单（--kind）(rows of the other kind)",
                super::numbers(&self.other_kind),
                self.cx.header.header_text(Role::Kind)
            ),
        )
        .help(format!("把{other}企业放进{other}名单：先把这些行移到另一张表，再分别用 --kind {this} 和 --kind {other} 导入"));
        self.report(d);
    }
}

/// A cell's text, trimmed ("" when the column is absent or the row shorter).
fn text(row: &GridRow, col: Option<usize>) -> &str {
    cell(row, col).map(|c| c.text.trim()).unwrap_or("")
}

pub(crate) fn header_error(source: &Path, sheet: Option<&str>, e: HeaderError) -> Diagnostic {
    let at = sheet.map(|s| format!("工作表“{s}”：")).unwrap_or_default();
    match e {
        HeaderError::NotFound { first_rows } => {
            let seen = first_rows
                .iter()
                .map(|(n, cells)| format!("第{n}行：{}", cells.join(" | ")))
                .collect::<Vec<_>>()
                .join("；");
            Diagnostic::err("import-header", 
                source,
                format!("{at}找不到表头行 (no header row found){}", if seen.is_empty() { "：表格是空的".to_string() } else { format!("。前几行是：{seen}") }),
            )
            .help("表格在前30行内要有一行表头，至少写明“企业名称”和“统一社会信用代码”（以及“所属区县”或“所属地区”）")
        }
        HeaderError::Ambiguous { row, role, columns } => Diagnostic::err(
            "import-header",
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
        .help("在表格的副本中删掉或改名多余的那一列，再导入这个副本"),
        HeaderError::Missing { row, role } => {
            let help = match role {
                Role::District => {
                    "加一列“所属区县”；整张表都来自同一个区县时，也可以在命令中加 --district 中山区"
                        .to_string()
                }
                Role::CreditCode => {
                    "公布的名单要有每家企业的统一社会信用代码：加上这一列（每家企业18位）"
                        .to_string()
                }
                _ => format!("加一列，表头写“{}”", role.zh()),
            };
            Diagnostic::err(
                "import-header",
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
pub(crate) fn choose_sheet(
    grids: Vec<Grid>,
    wanted: Option<&str>,
    source: &Path,
) -> Result<Grid, Diagnostic> {
    let names: Vec<String> = grids.iter().filter_map(|g| g.sheet.clone()).collect();
    let listed = names
        .iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、");
    let empty = |sheet: Option<String>| Grid {
        sheet,
        rows: Vec::new(),
    };
    if let Some(w) = wanted {
        let key = |s: &str| name_key(s).to_lowercase();
        let pos = grids
            .iter()
            .position(|g| g.sheet.as_deref() == Some(w))
            .or_else(|| {
                grids
                    .iter()
                    .position(|g| g.sheet.as_deref().map(key) == Some(key(w)))
            });
        return match pos {
            Some(i) => Ok(grids.into_iter().nth(i).unwrap_or_else(|| empty(None))),
            None => Err(Diagnostic::err(
                "import-sheet",
                source,
                format!("没有名为“{w}”的工作表 (no such sheet)"),
            )
            .help(format!(
                "这个工作簿中的工作表是 {listed}：在 --sheet 后面写其中一个"
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
        [i] => Ok(grids.into_iter().nth(*i).unwrap_or_else(|| empty(None))),
        // Report the header problem of the first sheet that has anything in it.
        [] => Ok(grids
            .into_iter()
            .find(|g| !g.rows.is_empty())
            .unwrap_or_else(|| empty(names.first().cloned()))),
        many => Err(Diagnostic::err(
            "import-sheet",
            source,
            format!(
                "工作簿中有 {} 张工作表都是企业名单：{} (several sheets hold a list)",
                many.len(),
                many.iter()
                    .filter_map(|&i| grids[i].sheet.as_deref())
                    .map(|n| format!("“{n}”"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
        .help("每次导入一张：第一张用 --sheet 名称，其余各张用 --sheet 名称 --append")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> GridRow {
        GridRow {
            number: 9,
            cells: cells.iter().map(|c| Cell::text(*c)).collect(),
        }
    }

    #[test]
    fn totals_signatures_and_notes_are_recognised_in_any_column() {
        for cells in [
            &["", "合计", "40家", ""][..],
            &["合 计：", "", "", ""],
            &["", "", "", "总计 40"],
            &["填表人：张三", "", "联系电话：83686040"],
            &["", "审核人：李四"],
            &["注：本表由区县填报。"],
            &["说明：信用代码须为18位"],
            &["备注：以上企业均已核实"],
        ] {
            assert!(summary_row(&row(cells), Some(3)).is_some(), "{cells:?}");
        }
    }

    #[test]
    fn enterprises_are_never_summary_rows() {
        for cells in [
            &["1", "大连注塑科技有限公司", "中山区", "91210202MA0000001J"][..],
            &["2", "合计科技有限公司", "中山区", "91210202MA0000002J"],
            &["3", "大连甲有限公司", "中山区", ""],
        ] {
            assert_eq!(summary_row(&row(cells), Some(3)), None, "{cells:?}");
        }
    }

    #[test]
    fn excel_scientific_numbers_are_recognised() {
        for s in ["9.12102E+17", "9.12102e17", "9E+17", " 9.1210202E+17 "] {
            assert!(scientific_number(s), "{s}");
        }
        for s in [
            "91210202MA0000001J",
            "912102021234567890",
            "E+17",
            "9.1E+",
            "大连",
        ] {
            assert!(!scientific_number(s), "{s}");
        }
    }
}
