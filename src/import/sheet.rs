//! Reading a spreadsheet into a grid of cell texts with their spreadsheet coordinates:
//! .xlsx/.xls/.ods through calamine (merged cells filled from their top-left cell), and
//! .csv as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GB18030.

use std::path::Path;

use calamine::{Data, Reader, Sheets};

/// One worksheet (or the whole CSV file) as text cells.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The worksheet's name; `None` for a CSV file (it has no sheets).
    pub sheet: Option<String>,
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone)]
pub struct GridRow {
    /// 1-based row number as the spreadsheet program shows it.
    pub number: u32,
    /// Cells by 0-based column index.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    /// Why the cell's value cannot be trusted (an error value, a long number that lost digits).
    pub problem: Option<String>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell {
            text: s.into(),
            problem: None,
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
    pub help: String,
}

impl ReadError {
    pub(crate) fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        ReadError {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The kind of file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Workbook,
    Csv,
}

pub fn format_of(path: &Path) -> Result<Format, ReadError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Ok(Format::Workbook),
        "csv" | "txt" | "tsv" => Ok(Format::Csv),
        "et" | "ett" => Err(ReadError::new(
            format!("WPS 表格文件（.{ext}）无法直接读取 (WPS format not supported)"),
            "在 WPS 中“另存为” Excel 工作簿（.xlsx）后再导入",
        )),
        "doc" | "docx" | "pdf" | "wps" => Err(ReadError::new(
            format!(".{ext} 文件不是表格 (not a spreadsheet)"),
            "请向区县要 Excel 原表（.xlsx），或把表格复制到 Excel 中另存为 .xlsx 后再导入",
        )),
        _ => Err(ReadError::new(
            format!("不认识的文件类型“.{ext}” (unknown file type)"),
            "gazette import 能读取 .xlsx、.xls、.ods 和 .csv 文件",
        )),
    }
}

/// The names of the worksheets and their grids, in workbook order. The file's size, its
/// unpacked size and each sheet's used range are checked before anything is built (see
/// `limits`); .xlsx and .xlsb sheets are streamed cell by cell, never made dense.
pub fn read_workbook(path: &Path) -> Result<Vec<Grid>, ReadError> {
    use super::limits;
    limits::check_file_size(path)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => {
            limits::check_zip(path)?;
            limits::check_xlsx_strings(path)?;
        }
        "xlsb" => limits::check_zip(path)?,
        "ods" => {
            limits::check_zip(path)?;
            limits::check_ods_extent(path)?;
        }
        "xls" => limits::check_xls_extent(path)?,
        _ => {}
    }
    let mut book = open_as(path, &ext).map_err(|e| {
        ReadError::new(
            format!("无法打开表格文件：{e} (cannot open the workbook)"),
            "检查这是真正的 Excel 或 ODS 工作簿（不是从别的格式改名而来），也没有设置打开密码；Excel 能打开它的话，另存为 .xlsx 再导入",
        )
    })?;
    let names = book.sheet_names();
    let mut grids = Vec::with_capacity(names.len());
    for name in names {
        let cant_read = |e: &dyn std::fmt::Display| {
            ReadError::new(
                format!("无法读取工作表“{name}”：{e} (cannot read the sheet)"),
                "用 Excel 打开这个文件，另存为 .xlsx，再导入另存的文件",
            )
        };
        let mut cells = SparseCells::default();
        match &mut book {
            Sheets::Xlsx(x) => {
                let mut r = x.worksheet_cells_reader(&name).map_err(|e| cant_read(&e))?;
                while let Some(c) = r.next_cell().map_err(|e| cant_read(&e))? {
                    cells.add(&name, c.get_position(), Data::from(c.get_value().clone()))?;
                }
            }
            Sheets::Xlsb(x) => {
                let mut r = x.worksheet_cells_reader(&name).map_err(|e| cant_read(&e))?;
                while let Some(c) = r.next_cell().map_err(|e| cant_read(&e))? {
                    cells.add(&name, c.get_position(), Data::from(c.get_value().clone()))?;
                }
            }
            _ => {
                let range = book.worksheet_range(&name).map_err(|e| cant_read(&e))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    let at = (
                        r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
                        c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
                    );
                    cells.add(&name, at, v.clone())?;
                }
            }
        }
        let merged = merged_regions(&mut book, &name);
        if merged.len() as u64 > super::limits::MAX_MERGED {
            return Err(super::limits::too_big(format!(
                "工作表“{name}”有 {} 个合并单元格区域",
                merged.len()
            )));
        }
        grids.push(cells.into_grid(Some(name), &merged)?);
    }
    Ok(grids)
}

/// The non-empty cells of a sheet, bounded by `limits::MAX_CELLS` and their text by
/// `limits::MAX_TEXT_BYTES`.
#[derive(Default)]
struct SparseCells {
    cells: Vec<(u32, u32, Cell)>,
    text: u64,
}

fn too_many_cells(sheet: &str, what: String) -> ReadError {
    ReadError::new(
        format!("工作表“{sheet}”{what}，没有读取 (too many cells)"),
        "一个区县的名单只有几千行：请只保留名单所在的行列，另存为 .xlsx 后再导入",
    )
}

impl SparseCells {
    fn add(&mut self, sheet: &str, (row, col): (u32, u32), value: Data) -> Result<(), ReadError> {
        if matches!(value, Data::Empty) || col >= super::limits::MAX_COLUMNS {
            return Ok(());
        }
        if self.cells.len() as u64 >= super::limits::MAX_CELLS {
            return Err(too_many_cells(
                sheet,
                format!("有超过 {} 个非空单元格", super::limits::MAX_CELLS),
            ));
        }
        let cell = cell_from_data(&value);
        self.text = self.text.saturating_add(cell.text.len() as u64);
        if self.text > super::limits::MAX_TEXT_BYTES {
            return Err(too_many_cells(
                sheet,
                format!("的文字超过 {} MB", super::limits::MAX_TEXT_BYTES >> 20),
            ));
        }
        self.cells.push((row, col, cell));
        Ok(())
    }

    /// Rows in order, each as wide as its last cell (all rows together at most
    /// `limits::MAX_CELLS` cells wide); merged regions filled from their top-left cell.
    fn into_grid(
        mut self,
        sheet: Option<String>,
        merged: &[(u32, u32, u32, u32)],
    ) -> Result<Grid, ReadError> {
        self.cells.sort_by_key(|c| (c.0, c.1));
        // A row is as wide as its last cell: a cell in column 1000 of each of many rows
        // would make each row a thousand cells.
        let mut dense = 0u64;
        for (i, c) in self.cells.iter().enumerate() {
            if self.cells.get(i + 1).is_none_or(|next| next.0 != c.0) {
                dense += u64::from(c.1) + 1;
            }
        }
        if dense > super::limits::MAX_CELLS {
            return Err(too_many_cells(
                sheet.as_deref().unwrap_or(""),
                format!(
                    "的各行共有超过 {} 个单元格（有值的单元格散布在很宽的范围里）",
                    super::limits::MAX_CELLS
                ),
            ));
        }
        let mut rows: Vec<GridRow> = Vec::new();
        for (r, c, cell) in self.cells {
            let number = r.saturating_add(1);
            if rows.last().is_none_or(|last| last.number != number) {
                rows.push(GridRow {
                    number,
                    cells: Vec::new(),
                });
            }
            if let Some(row) = rows.last_mut() {
                row.cells.resize(c as usize, Cell::default());
                row.cells.push(cell);
            }
        }
        fill_merged(&mut rows, merged);
        Ok(Grid { sheet, rows })
    }
}

/// Merged regions as (first row, first col, last row, last col), 0-based absolute.
fn merged_regions<RS: std::io::Read + std::io::Seek>(
    book: &mut Sheets<RS>,
    name: &str,
) -> Vec<(u32, u32, u32, u32)> {
    let dims = match book {
        Sheets::Xlsx(x) => x.worksheet_merge_cells(name).and_then(|r| r.ok()),
        Sheets::Xls(x) => x.worksheet_merge_cells(name),
        _ => None,
    };
    dims.unwrap_or_default()
        .into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect()
}

/// At most this many cells, and this many bytes of text, are copied into merged regions:
/// a whole-column merge in a malicious or broken file must not exhaust memory.
const MAX_MERGE_FILL: u64 = 1_000_000;
const MAX_MERGE_FILL_BYTES: u64 = 64 << 20;

/// A merged cell holds its value in the top-left cell only; staff read it as the value of
/// every cell it covers (typically the district, merged down a block of rows). Rows that
/// hold nothing else stay absent: they are skipped anyway. Only the rows present are
/// visited, so a region a million rows tall costs what its rows with values cost.
fn fill_merged(rows: &mut [GridRow], merged: &[(u32, u32, u32, u32)]) {
    let index = |rows: &[GridRow], r: u32| {
        rows.binary_search_by_key(&r.saturating_add(1), |g| g.number)
            .ok()
    };
    let (mut budget, mut bytes) = (MAX_MERGE_FILL, MAX_MERGE_FILL_BYTES);
    for &(r1, c1, r2, c2) in merged {
        let Some(source) = index(rows, r1)
            .and_then(|i| rows[i].cells.get(c1 as usize))
            .cloned()
        else {
            continue;
        };
        if source.text.is_empty() {
            continue;
        }
        let c2 = c2.min(super::limits::MAX_COLUMNS - 1);
        let from = rows.partition_point(|g| g.number <= r1);
        for row in rows[from..]
            .iter_mut()
            .take_while(|g| g.number <= r2.saturating_add(1))
        {
            for c in c1..=c2 {
                let cost = source.text.len() as u64
                    + source.problem.as_ref().map_or(0, |p| p.len() as u64);
                if budget == 0 || bytes < cost {
                    return;
                }
                budget -= 1;
                let c = c as usize;
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, Cell::default());
                }
                if row.cells[c].text.is_empty() {
                    bytes -= cost;
                    row.cells[c] = source.clone();
                }
            }
        }
    }
}

/// Opens the workbook with the reader its (lower-cased) extension names, the reader whose
/// file the checks above read. (calamine's `open_workbook_auto` matches extensions case
/// by case and tries every reader on `LIST.XLSX`: an .ods renamed so would be read
/// unchecked.)
fn open_as(
    path: &Path,
    ext: &str,
) -> Result<Sheets<std::io::BufReader<std::fs::File>>, calamine::Error> {
    use calamine::{open_workbook, Error};
    Ok(match ext {
        "xls" => Sheets::Xls(open_workbook(path).map_err(Error::Xls)?),
        "xlsx" | "xlsm" => Sheets::Xlsx(open_workbook(path).map_err(Error::Xlsx)?),
        "xlsb" => Sheets::Xlsb(open_workbook(path).map_err(Error::Xlsb)?),
        "ods" => Sheets::Ods(open_workbook(path).map_err(Error::Ods)?),
        _ => return Err(Error::Msg("not a workbook extension")),
    })
}

/// Integers above this lose digits in a spreadsheet (Excel keeps 15 significant digits).
const EXACT_DIGITS_LIMIT: f64 = 1e15;

fn cell_from_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell::text(s.clone()),
        Data::Int(i) => Cell::text(i.to_string()),
        Data::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT_DIGITS_LIMIT {
                Cell::text(format!("{}", *f as i64))
            } else if f.is_finite() && f.fract() == 0.0 {
                Cell {
                    text: format!("{f:.0}"),
                    problem: Some(
                        "这个单元格存的是数字，超过15位的数字在 Excel 中已丢失末尾几位 (a long number stored as a number has lost digits)"
                            .into(),
                    ),
                }
            } else {
                Cell::text(f.to_string())
            }
        }
        Data::Bool(b) => Cell::text(if *b { "TRUE" } else { "FALSE" }),
        Data::Error(e) => Cell {
            text: String::new(),
            problem: Some(format!(
                "单元格是错误值 {e}（公式出错）(the cell holds a formula error)"
            )),
        },
        other => Cell::text(other.to_string()),
    }
}

/// Decodes CSV bytes: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (which includes
/// GBK and GB2312, the encodings of Chinese Excel's "CSV").
pub fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), ReadError> {
    if let Some(e) = mixed_encodings(bytes) {
        return Err(e);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8"))
            .map_err(|_| ReadError::new(
                "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8 (invalid UTF-8 after a byte-order mark)",
                "用 Excel 打开这个文件，另存为“CSV UTF-8”或 .xlsx 再导入",
            ));
    }
    for (bom, enc, label) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                return Err(ReadError::new(
                    format!("文件以 {label} 标记开头，但内容无法解码 (invalid {label})"),
                    "用 Excel 打开这个文件，另存为 .xlsx 再导入",
                ));
            }
            return Ok((text.into_owned(), label));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::new(
            "文件既不是 UTF-8 也不是 GB18030/GBK 文本 (neither UTF-8 nor GB18030 text)",
            "用 Excel 打开这个文件，另存为 .xlsx（或“CSV UTF-8”），再导入另存的文件",
        ));
    }
    Ok((text.into_owned(), "GB18030"))
}

/// A file whose lines are in two encodings: some Chinese lines are valid UTF-8 and others
/// are not (typically a GB18030 file from Excel with rows pasted from a UTF-8 source). Read
/// as one encoding, the other lines would become mojibake without a word; instead the
/// lines of the rarer encoding are named. (GB18030 Chinese text is practically never
/// valid UTF-8, so a valid line is a UTF-8 line.)
fn mixed_encodings(bytes: &[u8]) -> Option<ReadError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return None;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (mut utf8, mut other) = (Vec::new(), Vec::new());
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        if std::str::from_utf8(line).is_ok() {
            utf8.push(i + 1);
        } else {
            other.push(i + 1);
        }
    }
    if utf8.is_empty() || other.is_empty() {
        return None;
    }
    let (odd, odd_enc, main_enc) = if utf8.len() <= other.len() {
        (utf8, "UTF-8", "GB18030（GBK）")
    } else {
        (other, "GB18030（GBK）", "UTF-8")
    };
    let shown: Vec<String> = odd.iter().take(10).map(|n| n.to_string()).collect();
    let more = if odd.len() > 10 {
        format!("等 {} 行", odd.len())
    } else {
        String::new()
    };
    Some(ReadError::new(
        format!(
            "文件混用了两种编码：第{}行{more}是 {odd_enc}，其余各行是 {main_enc}；照原样读取会变成乱码 (mixed encodings)",
            shown.join("、")
        ),
        "用 Excel 或 WPS 打开这个文件，检查这几行的文字，然后“另存为”Excel 工作簿（.xlsx）或“CSV UTF-8”，再导入另存的文件",
    ))
}

/// The field separator: the one of `,` `\t` `;` seen most often in the first lines.
fn sniff_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(30).collect::<Vec<_>>().join("\n");
    let count = |c: char| head.chars().filter(|&x| x == c).count();
    let (comma, tab, semi) = (count(','), count('\t'), count(';'));
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma && semi > tab {
        b';'
    } else {
        b','
    }
}

/// A CSV file as one grid; the row number of each record is its position in the file as a
/// spreadsheet program shows it (a quoted cell with line breaks stays one row).
pub fn read_csv(path: &Path) -> Result<(Grid, &'static str), ReadError> {
    super::limits::check_file_size(path)?;
    let bytes = std::fs::read(path).map_err(|e| {
        ReadError::new(
            format!("无法读取文件：{e} (cannot read the file)"),
            "检查路径，以及文件没有被别的程序独占打开",
        )
    })?;
    let (text, encoding) = decode_text(&bytes)?;
    Ok((parse_csv(&text)?, encoding))
}

pub fn parse_csv(text: &str) -> Result<Grid, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            ReadError::new(
                format!("第{}行无法解析：{e} (malformed CSV)", i + 1),
                "单元格中的英文引号（\"）要写两个；用 Excel 打开这个文件，另存为 .xlsx 再导入",
            )
        })?;
        rows.push(GridRow {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            cells: record.iter().map(Cell::text).collect(),
        });
    }
    Ok(Grid { sheet: None, rows })
}

/// Spreadsheet column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheet_naming() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn decodes_utf8_bom_gb18030_and_utf16() {
        let s = "企业名称,所属区县\n大连甲有限公司,中山区\n";
        assert_eq!(decode_text(s.as_bytes()).unwrap(), (s.to_string(), "UTF-8"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode_text(&bom).unwrap().0, s);
        let (gb, _, _) = encoding_rs::GB18030.encode(s);
        assert!(
            std::str::from_utf8(&gb).is_err(),
            "the fixture must not be UTF-8"
        );
        assert_eq!(decode_text(&gb).unwrap(), (s.to_string(), "GB18030"));
        let mut u16 = b"\xFF\xFE".to_vec();
        for unit in s.encode_utf16() {
            u16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_text(&u16).unwrap(), (s.to_string(), "UTF-16LE"));
    }

    #[test]
    fn a_utf8_row_in_a_gb18030_file_is_named_not_garbled() {
        let gb = |s: &str| encoding_rs::GB18030.encode(s).0.into_owned();
        let mut bytes = gb("企业名称,所属区县\n大连甲有限公司,中山区\n大连乙有限公司,西岗区\n");
        bytes.extend_from_slice("大连丙有限公司,沙河口区\n".as_bytes());
        bytes.extend_from_slice(&gb("大连丁有限公司,高新区\n"));
        let e = decode_text(&bytes).unwrap_err();
        assert!(e.message.contains("第4行是 UTF-8"), "{}", e.message);
        let mut bytes = "\u{feff}企业名称\n甲公司\n乙公司\n".as_bytes().to_vec();
        bytes.extend_from_slice(&gb("丙公司\n"));
        let e = decode_text(&bytes).unwrap_err();
        assert!(e.message.contains("第4行是 GB18030"), "{}", e.message);
    }

    #[test]
    fn csv_rows_keep_spreadsheet_numbers_and_multiline_cells() {
        let g = parse_csv("标题\n序号,企业名称\n1,\"大连\n甲公司\"\n2,乙\n").unwrap();
        let numbers: Vec<u32> = g.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4]);
        assert_eq!(g.rows[2].cells[1].text, "大连\n甲公司");
    }

    #[test]
    fn tab_separated_text_is_recognised() {
        let g = parse_csv("企业名称\t所属区县\n甲,乙公司\t中山区\n").unwrap();
        assert_eq!(g.rows[1].cells[0].text, "甲,乙公司");
    }

    #[test]
    fn long_numbers_are_flagged_not_trusted() {
        let c = cell_from_data(&Data::Float(912102021234567890.0));
        assert!(c.problem.is_some());
        assert_eq!(cell_from_data(&Data::Float(12.0)).text, "12");
        assert_eq!(cell_from_data(&Data::Int(7)).text, "7");
    }
}
