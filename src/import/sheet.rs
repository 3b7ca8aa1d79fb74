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
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
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
            "gazette import reads .xlsx, .xls, .ods and .csv files",
        )),
    }
}

/// The names of the worksheets and their grids, in workbook order.
pub fn read_workbook(path: &Path) -> Result<Vec<Grid>, ReadError> {
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        ReadError::new(
            format!("无法打开表格文件：{e} (cannot open the workbook)"),
            "check that the file is a real Excel/ODS workbook (not renamed from another format) and not password-protected; if Excel can open it, save it again as .xlsx",
        )
    })?;
    let names = book.sheet_names();
    let mut grids = Vec::with_capacity(names.len());
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| {
            ReadError::new(
                format!("无法读取工作表“{name}”：{e} (cannot read the sheet)"),
                "open the file in Excel, save it again as .xlsx, and import that copy",
            )
        })?;
        let merged = merged_regions(&mut book, &name);
        grids.push(grid_from_range(Some(name), &range, &merged));
    }
    Ok(grids)
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

/// At most this many cells are copied into a merged region: a whole-column merge in a
/// malicious or broken file must not exhaust memory.
const MAX_MERGE_FILL: u64 = 1_000_000;

fn grid_from_range(
    sheet: Option<String>,
    range: &calamine::Range<Data>,
    merged: &[(u32, u32, u32, u32)],
) -> Grid {
    let Some((row0, col0)) = range.start() else {
        return Grid {
            sheet,
            rows: Vec::new(),
        };
    };
    let mut rows: Vec<GridRow> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| GridRow {
            number: row0.saturating_add(i as u32).saturating_add(1),
            cells: std::iter::repeat_n(Cell::default(), col0 as usize)
                .chain(cells.iter().map(cell_from_data))
                .collect(),
        })
        .collect();
    // A merged cell holds its value in the top-left cell only; staff read it as the value
    // of every cell it covers (typically the district, merged down a block of rows).
    let mut budget = MAX_MERGE_FILL;
    for &(r1, c1, r2, c2) in merged {
        let Some(source) = cell_at(&rows, row0, r1, c1).cloned() else {
            continue;
        };
        if source.text.is_empty() {
            continue;
        }
        for r in r1..=r2 {
            for c in c1..=c2 {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                let Some(row) = r.checked_sub(row0).and_then(|i| rows.get_mut(i as usize)) else {
                    continue;
                };
                let c = c as usize;
                if row.cells.len() <= c {
                    if c > 16_384 {
                        continue;
                    }
                    row.cells.resize(c + 1, Cell::default());
                }
                if row.cells[c].text.is_empty() {
                    row.cells[c] = source.clone();
                }
            }
        }
    }
    Grid { sheet, rows }
}

fn cell_at(rows: &[GridRow], row0: u32, r: u32, c: u32) -> Option<&Cell> {
    rows.get(r.checked_sub(row0)? as usize)?
        .cells
        .get(c as usize)
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
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8"))
            .map_err(|_| ReadError::new(
                "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8 (invalid UTF-8 after a byte-order mark)",
                "open the file in Excel and save it again as “CSV UTF-8” or as .xlsx",
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
                    "open the file in Excel and save it again as .xlsx",
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
            "open the file in Excel and save it as .xlsx (or as “CSV UTF-8”), then import that",
        ));
    }
    Ok((text.into_owned(), "GB18030"))
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
    let bytes = std::fs::read(path).map_err(|e| {
        ReadError::new(
            format!("无法读取文件：{e} (cannot read the file)"),
            "check the path and that the file is not open exclusively in another program",
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
                "a quote (\") inside a cell must be doubled; open the file in Excel and save it again as .xlsx",
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
