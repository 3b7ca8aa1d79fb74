//! How much a spreadsheet may make Gazette read and allocate, checked before the
//! spreadsheet reader builds anything. A district's list is a few thousand rows; a file
//! that claims a sheet of 17 billion cells, or a 1 MB zip that unpacks to 1 GB, is refused
//! with what it claims, instead of exhausting the computer's memory.
//!
//! Every check fails closed: a file the check cannot read to the end, or reads differently
//! from the reader, is refused as damaged, never waved through. The XML checks read with
//! the settings calamine 0.31 reads with (`check_end_names = false`, `trim_text(false)`,
//! `check_comments = false`, `expand_empty_elements = true`) and follow its parsers' steps,
//! so that they see the same elements; the .xls check walks the records calamine walks,
//! from the offsets calamine takes, and checks the DIMENSIONS record calamine reserves from.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;

use super::sheet::ReadError;

/// Largest spreadsheet file read at all.
pub(crate) const MAX_FILE_BYTES: u64 = 256 << 20;
/// Most bytes one member of a workbook's zip may unpack to, and all members together.
/// (The readers hold one XML element's text whole, and copy a cell's value a few times
/// before it can be counted: 128 MB keeps that under half a GiB.)
pub(crate) const MAX_MEMBER_BYTES: u64 = 128 << 20;
pub(crate) const MAX_UNPACKED_BYTES: u64 = 256 << 20;
/// Most members of a workbook's zip (a real workbook has a few dozen).
pub(crate) const MAX_MEMBERS: usize = 10_000;
/// Most cells a sheet may span (rows × columns of its used range), as read into a grid;
/// for .ods and .xls also the cells of all sheets together, which the reader holds at once.
pub(crate) const MAX_CELLS: u64 = 2_000_000;
/// Most bytes of cell text (after repeats are expanded), and of an .xlsx's or .xls's
/// shared strings.
pub(crate) const MAX_TEXT_BYTES: u64 = 64 << 20;
/// Most shared strings of an .xlsx or .xls.
pub(crate) const MAX_STRINGS: u64 = 1_000_000;
/// Most merged regions of a workbook.
pub(crate) const MAX_MERGED: u64 = 100_000;
/// Most CONTINUE records after one .xls record (the reader takes them one by one from
/// the front of a list: quadratic time).
const MAX_CONTINUES: usize = 4096;
/// Longest .xls formula (in bytes of its parsed form; a real one has a few dozen).
const MAX_FORMULA_BYTES: usize = 1024;
/// Columns considered: a list has a few dozen; cells further right are counted, not read.
pub(crate) const MAX_COLUMNS: u32 = 1024;

pub(crate) fn too_big(what: String) -> ReadError {
    ReadError::new(
        format!("表格文件太大，没有读取：{what} (the spreadsheet is too large)"),
        "一个区县的名单只有几千行：请在 Excel 中只保留名单所在的工作表和行列（删掉多余的空行空列和格式），另存为 .xlsx 后再导入；文件可能已损坏",
    )
}

pub(crate) fn damaged(what: impl std::fmt::Display) -> ReadError {
    ReadError::new(
        format!("表格文件已损坏，没有读取：{what} (the spreadsheet is damaged)"),
        "用 Excel 或 WPS 打开这个文件，“另存为” Excel 工作簿（.xlsx）后再导入；打不开的话，请区县重新发送原表（也检查文件没有设置打开密码）",
    )
}

fn cannot_read(e: std::io::Error) -> ReadError {
    ReadError::new(
        format!("无法读取文件：{e} (cannot read the file)"),
        "检查文件路径",
    )
}

/// Refuses a file larger than any real list.
pub(crate) fn check_file_size(path: &Path) -> Result<(), ReadError> {
    let len = std::fs::metadata(path).map_err(cannot_read)?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_big(format!(
            "文件有 {} MB，上限是 {} MB",
            len >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(())
}

type Zip = zip::ZipArchive<std::io::BufReader<std::fs::File>>;

fn open_zip(path: &Path) -> Result<Zip, ReadError> {
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| damaged(format!("不是完整的工作簿压缩包（{e}）")))
}

/// An XML reader configured as calamine configures its readers.
fn calamine_xml<R: std::io::BufRead>(r: R) -> quick_xml::Reader<R> {
    let mut reader = quick_xml::Reader::from_reader(r);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

/// Unpacks every member of a zip-based workbook (.xlsx, .xlsm, .xlsb, .ods) once, counting
/// the bytes it really yields (a zip may lie about them), and refuses a bomb. A member that
/// cannot be unpacked whole (bad checksum, unknown method, password) is a refusal, even if
/// the reader would never open it.
pub(crate) fn check_zip(path: &Path) -> Result<(), ReadError> {
    let mut zip = open_zip(path)?;
    if zip.len() > MAX_MEMBERS {
        return Err(too_big(format!(
            "压缩包中有 {} 个文件，上限是 {MAX_MEMBERS} 个",
            zip.len()
        )));
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut member = zip
            .by_index(i)
            .map_err(|e| damaged(format!("压缩包中的第 {} 个文件无法打开（{e}）", i + 1)))?;
        let name = member.name().to_string();
        let mut size = 0u64;
        loop {
            let n = match member.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err(damaged(format!("压缩包中的 {name} 无法解压（{e}）"))),
            };
            size += n as u64;
            total += n as u64;
            if size > MAX_MEMBER_BYTES || total > MAX_UNPACKED_BYTES {
                return Err(too_big(format!(
                    "压缩包中的 {name} 解压后超过 {} MB",
                    MAX_MEMBER_BYTES.min(MAX_UNPACKED_BYTES) >> 20
                )));
            }
        }
    }
    Ok(())
}

/// The shared strings of an .xlsx, which the reader holds all at once before it reads a
/// sheet: their number and their text. (calamine finds the member by a case-insensitive
/// name with `\` read as `/`; every such member is counted.)
pub(crate) fn check_xlsx_strings(path: &Path) -> Result<(), ReadError> {
    let mut zip = open_zip(path)?;
    let names: Vec<String> = zip
        .file_names()
        .filter(|n| {
            n.replace('\\', "/")
                .eq_ignore_ascii_case("xl/sharedStrings.xml")
        })
        .map(String::from)
        .collect();
    for name in names {
        let member = zip
            .by_name(&name)
            .map_err(|e| damaged(format!("压缩包中的 {name} 无法打开（{e}）")))?;
        let mut xml = calamine_xml(std::io::BufReader::new(member));
        let mut buf = Vec::new();
        let (mut count, mut text) = (0u64, 0u64);
        loop {
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == b"si" => count += 1,
                Ok(Event::Text(t)) => {
                    let t = t.xml10_content().map_err(|e| xml_damaged(&name, &xml, e))?;
                    text = text.saturating_add(t.len() as u64);
                }
                Ok(Event::GeneralRef(_)) => text = text.saturating_add(4),
                Ok(Event::Eof) => break,
                Err(e) => return Err(xml_damaged(&name, &xml, e)),
                Ok(_) => {}
            }
            if count > MAX_STRINGS {
                return Err(too_big(format!(
                    "共享字符串表（{name}）有超过 {MAX_STRINGS} 个字符串"
                )));
            }
            if text > MAX_TEXT_BYTES {
                return Err(too_big(format!(
                    "共享字符串表（{name}）的文字超过 {} MB",
                    MAX_TEXT_BYTES >> 20
                )));
            }
            buf.clear();
        }
    }
    Ok(())
}

fn xml_damaged<R>(
    member: &str,
    xml: &quick_xml::Reader<R>,
    e: impl std::fmt::Display,
) -> ReadError {
    damaged(format!(
        "压缩包中的 {member} 在第 {} 字节处不是有效的 XML（{e}）",
        xml.buffer_position()
    ))
}

/// What a workbook makes the reader hold: cells stored (before and after repeats are
/// expanded into a grid) and the bytes of their text.
#[derive(Default)]
struct Cost {
    cells: u64,
    text: u64,
    merged: u64,
}

impl Cost {
    fn check(&self, what: &str) -> Result<(), ReadError> {
        if self.cells > MAX_CELLS {
            return Err(too_big(format!("{what}展开后超过 {MAX_CELLS} 个单元格")));
        }
        if self.text > MAX_TEXT_BYTES {
            return Err(too_big(format!(
                "{what}的文字展开后超过 {} MB",
                MAX_TEXT_BYTES >> 20
            )));
        }
        if self.merged > MAX_MERGED {
            return Err(too_big(format!(
                "{what}有超过 {MAX_MERGED} 个合并单元格区域"
            )));
        }
        Ok(())
    }
}

/// The sheets of an OpenDocument spreadsheet as calamine reads `content.xml`: the cells it
/// stores for each row (a cell repeated across columns is stored that many times), the
/// grid it expands them to (rows repeated, from the first to the last row with a value,
/// as wide as the widest), and their text, for all sheets together. A file calamine would
/// read forever (a table or a note that never ends) or not at all is refused as damaged.
pub(crate) fn check_ods_extent(path: &Path) -> Result<(), ReadError> {
    let mut zip = open_zip(path)?;
    let content = match zip.by_name("content.xml") {
        Ok(c) => c,
        // The reader says the file is not a spreadsheet.
        Err(zip::result::ZipError::FileNotFound) => return Ok(()),
        Err(e) => return Err(damaged(format!("压缩包中的 content.xml 无法打开（{e}）"))),
    };
    let mut ods = OdsCheck {
        xml: calamine_xml(std::io::BufReader::new(content)),
        buf: Vec::new(),
        cost: Cost::default(),
    };
    loop {
        ods.buf.clear();
        match ods.xml.read_event_into(&mut ods.buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == b"table:table" => ods.table()?,
            Ok(Event::Eof) => return Ok(()),
            Err(e) => return Err(bad(&ods.xml, e)),
            Ok(_) => {}
        }
    }
}

struct OdsCheck<R: std::io::BufRead> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    cost: Cost,
}

/// One row as calamine stores it.
#[derive(Default)]
struct OdsRow {
    /// Cells stored (empty cells before a later cell included).
    stored: u64,
    /// The last stored position with a value or formula.
    last: Option<u64>,
    /// Bytes of text stored.
    text: u64,
}

fn bad<R>(xml: &quick_xml::Reader<R>, e: impl std::fmt::Display) -> ReadError {
    xml_damaged("content.xml", xml, e)
}

/// A repeat count (`table:number-rows-repeated`, `text:c`), 1 when absent, as calamine
/// parses it.
fn number<R>(
    xml: &quick_xml::Reader<R>,
    e: &quick_xml::events::BytesStart,
    key: &[u8],
) -> Result<u64, ReadError> {
    match e.try_get_attribute(key).map_err(|e| bad(xml, e))? {
        None => Ok(1),
        Some(a) => {
            let v = a
                .decode_and_unescape_value(xml.decoder())
                .map_err(|e| bad(xml, e))?;
            v.parse::<usize>()
                .map(|n| n as u64)
                .map_err(|_| bad(xml, format!("{} 不是数字", String::from_utf8_lossy(key))))
        }
    }
}

impl<R: std::io::BufRead> OdsCheck<R> {
    /// calamine's `read_table`: rows until the table's end tag; everything else is skipped.
    /// It stores each row's cells, then expands the rows from the first to the last with
    /// a value into a grid as wide as the widest; both are held at once, and every sheet
    /// is kept until the file is closed.
    fn table(&mut self) -> Result<(), ReadError> {
        let (base_cells, base_text) = (self.cost.cells, self.cost.text);
        let (mut stored, mut stored_text) = (0u64, 0u64);
        let (mut seen_value, mut rows_pending, mut rows, mut width, mut grid_text) =
            (false, 0u64, 0u64, 0u64, 0u64);
        loop {
            self.buf.clear();
            match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) if e.name().as_ref() == b"table:table-row" => {
                    let repeats = number(&self.xml, &e, b"table:number-rows-repeated")?;
                    let grid = rows.saturating_mul(width);
                    let row = self.row(
                        base_cells.saturating_add(stored).saturating_add(grid),
                        base_text
                            .saturating_add(stored_text)
                            .saturating_add(grid_text),
                    )?;
                    stored = stored.saturating_add(row.stored);
                    stored_text = stored_text.saturating_add(row.text);
                    if seen_value {
                        rows_pending = rows_pending.saturating_add(repeats);
                    }
                    if let Some(last) = row.last {
                        if !seen_value {
                            seen_value = true;
                            rows_pending = repeats;
                        }
                        rows = rows_pending;
                        width = width.max(last + 1);
                        grid_text = grid_text.saturating_add(row.text.saturating_mul(repeats));
                    }
                    let grid = rows.saturating_mul(width);
                    if grid > MAX_CELLS {
                        return Err(too_big(format!("一张工作表展开后有 {rows} 行、{width} 列")));
                    }
                    self.cost.cells = base_cells.saturating_add(stored).saturating_add(grid);
                    self.cost.text = base_text
                        .saturating_add(stored_text)
                        .saturating_add(grid_text);
                    self.cost.check("工作表")?;
                }
                Ok(Event::End(e)) if e.name().as_ref() == b"table:table" => return Ok(()),
                Ok(Event::Eof) => return Err(bad(&self.xml, "工作表（table:table）没有结尾")),
                Err(e) => return Err(bad(&self.xml, e)),
                Ok(_) => {}
            }
        }
    }

    /// calamine's `read_row`: cells until the row's end tag; anything else is an error.
    /// A cell repeated across columns is stored that many times; empty cells are stored
    /// when a cell follows them.
    fn row(&mut self, cells_before: u64, text_before: u64) -> Result<OdsRow, ReadError> {
        let mut row = OdsRow::default();
        let mut pending_empty = 0u64;
        loop {
            self.buf.clear();
            let (repeats, start) = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e))
                    if matches!(
                        e.name().as_ref(),
                        b"table:table-cell" | b"table:covered-table-cell"
                    ) =>
                {
                    let mut repeats = 1u64;
                    for a in e.attributes() {
                        let a = a.map_err(|e| bad(&self.xml, e))?;
                        if a.key.as_ref() == b"table:number-columns-repeated" {
                            let v = self
                                .xml
                                .decoder()
                                .decode(&a.value)
                                .map_err(|e| bad(&self.xml, e))?;
                            repeats = v.parse::<usize>().map_err(|_| {
                                bad(&self.xml, "table:number-columns-repeated 不是数字")
                            })? as u64;
                            break;
                        }
                    }
                    (repeats, e.into_owned())
                }
                Ok(Event::End(e)) if e.name().as_ref() == b"table:table-row" => return Ok(row),
                Ok(Event::Eof) => return Err(bad(&self.xml, "一行（table:table-row）没有结尾")),
                Err(e) => return Err(bad(&self.xml, e)),
                Ok(_) => return Err(bad(&self.xml, "一行中有单元格以外的内容")),
            };
            let (has_value, text, closed) = self.cell(&start)?;
            row.stored = row.stored.saturating_add(pending_empty);
            pending_empty = 0;
            if has_value {
                row.stored = row.stored.saturating_add(repeats);
                row.last = Some(row.stored.saturating_sub(1));
                row.text = row.text.saturating_add(text.saturating_mul(repeats));
            } else {
                pending_empty = repeats;
            }
            self.cost.cells = cells_before.saturating_add(row.stored);
            self.cost.text = text_before.saturating_add(row.text);
            self.cost.check("工作表")?;
            if !closed {
                let mut skip = Vec::new();
                self.xml
                    .read_to_end_into(start.name(), &mut skip)
                    .map_err(|e| bad(&self.xml, e))?;
            }
        }
    }

    /// calamine's `get_datatype`: whether the cell holds a value or formula, the bytes of
    /// text it stores, and whether its end tag has been read.
    fn cell(&mut self, e: &quick_xml::events::BytesStart) -> Result<(bool, u64, bool), ReadError> {
        let (mut is_string, mut value_set, mut has_value) = (false, false, false);
        let (mut text, mut formula) = (0u64, 0u64);
        for a in e.attributes() {
            let a = a.map_err(|e| bad(&self.xml, e))?;
            match a.key.as_ref() {
                b"office:value" if !value_set => {
                    let v = self
                        .xml
                        .decoder()
                        .decode(&a.value)
                        .map_err(|e| bad(&self.xml, e))?;
                    v.parse::<f64>()
                        .map_err(|_| bad(&self.xml, "office:value 不是数字"))?;
                    (value_set, has_value) = (true, true);
                }
                b"office:string-value" | b"office:date-value" | b"office:time-value"
                    if !value_set =>
                {
                    let v = a
                        .decode_and_unescape_value(self.xml.decoder())
                        .map_err(|e| bad(&self.xml, e))?;
                    text = v.len() as u64;
                    (value_set, has_value) = (true, true);
                }
                b"office:boolean-value" if !value_set => (value_set, has_value) = (true, true),
                b"office:value-type" if !value_set => is_string = &*a.value == b"string",
                b"table:formula" => {
                    let v = a
                        .decode_and_unescape_value(self.xml.decoder())
                        .map_err(|e| bad(&self.xml, e))?;
                    formula = v.len() as u64;
                }
                _ => {}
            }
        }
        if value_set || !is_string {
            return Ok((has_value || formula > 0, text + formula, false));
        }
        // The text of the cell's paragraphs, spaces (`text:s`) expanded.
        let mut first_paragraph = true;
        loop {
            self.buf.clear();
            match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Text(t)) => {
                    let t = t.xml10_content().map_err(|e| bad(&self.xml, e))?;
                    text = text.saturating_add(t.len() as u64);
                }
                Ok(Event::GeneralRef(_)) => text = text.saturating_add(4),
                Ok(Event::End(e))
                    if matches!(
                        e.name().as_ref(),
                        b"table:table-cell" | b"table:covered-table-cell"
                    ) =>
                {
                    return Ok((true, text.saturating_add(formula), true));
                }
                Ok(Event::Start(e)) if e.name().as_ref() == b"office:annotation" => loop {
                    self.buf.clear();
                    match self.xml.read_event_into(&mut self.buf) {
                        Ok(Event::End(e)) if e.name().as_ref() == b"office:annotation" => break,
                        Ok(Event::Eof) => {
                            return Err(bad(&self.xml, "批注（office:annotation）没有结尾"))
                        }
                        Err(e) => return Err(bad(&self.xml, e)),
                        Ok(_) => {}
                    }
                },
                Ok(Event::Start(e)) if e.name().as_ref() == b"text:p" => {
                    if !first_paragraph {
                        text = text.saturating_add(1);
                    }
                    first_paragraph = false;
                }
                Ok(Event::Start(e)) if e.name().as_ref() == b"text:s" => {
                    let n = number(&self.xml, &e, b"text:c")?;
                    text = text.saturating_add(n);
                }
                Ok(Event::Eof) => return Err(bad(&self.xml, "单元格（table:table-cell）没有结尾")),
                Err(e) => return Err(bad(&self.xml, e)),
                Ok(_) => {}
            }
            if text > MAX_TEXT_BYTES {
                return Err(too_big(format!(
                    "一个单元格的文字超过 {} MB",
                    MAX_TEXT_BYTES >> 20
                )));
            }
        }
    }
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// A BIFF record with the CONTINUE records that follow it, as calamine's `RecordIter`
/// yields them.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: std::collections::VecDeque<&'a [u8]>,
}

impl Record<'_> {
    fn next_continue(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(d) => {
                self.data = d;
                true
            }
            None => false,
        }
    }

    fn skip(&mut self, mut len: usize) -> Result<(), ReadError> {
        while len > 0 {
            if self.data.is_empty() && !self.next_continue() {
                return Err(damaged("共享字符串表（SST 记录）不完整"));
            }
            let l = len.min(self.data.len());
            self.data = &self.data[l..];
            len -= l;
        }
        Ok(())
    }
}

struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let cut = || Some(Err(damaged("Workbook 数据流中的一条记录不完整")));
        if self.stream.len() < 4 {
            return if self.stream.is_empty() { None } else { cut() };
        }
        let typ = u16_at(self.stream, 0)?;
        let len = usize::from(u16_at(self.stream, 2)?);
        if self.stream.len() < len + 4 {
            return cut();
        }
        let data = &self.stream[4..len + 4];
        self.stream = &self.stream[len + 4..];
        let mut cont = std::collections::VecDeque::new();
        while self.stream.len() > 4 && u16_at(self.stream, 0) == Some(0x003C) {
            let len = usize::from(u16_at(self.stream, 2)?);
            if self.stream.len() < len + 4 {
                return cut();
            }
            cont.push_back(&self.stream[4..len + 4]);
            self.stream = &self.stream[len + 4..];
            if cont.len() > MAX_CONTINUES {
                return Some(Err(too_big(format!(
                    "一条记录后有超过 {MAX_CONTINUES} 条 CONTINUE 记录"
                ))));
            }
        }
        Some(Ok(Record { typ, data, cont }))
    }
}

/// calamine's `parse_sst`: the most bytes each shared string can take once decoded
/// (`per_char` per character). A string cut short, which calamine reads past the end of
/// a record, is refused.
fn xls_shared_strings(r: &mut Record<'_>, per_char: u64) -> Result<Vec<u64>, ReadError> {
    let bad = || damaged("共享字符串表（SST 记录）不完整");
    if r.data.len() < 8 {
        return Err(bad());
    }
    r.data = &r.data[8..];
    let (mut out, mut total) = (Vec::new(), 0u64);
    while !r.data.is_empty() || r.next_continue() {
        let (Some(cch), Some(&flags)) = (u16_at(r.data, 0), r.data.get(2)) else {
            return Err(bad());
        };
        r.data = &r.data[3..];
        let mut runs = 0;
        if flags & 0x8 != 0 {
            runs = usize::from(u16_at(r.data, 0).ok_or_else(bad)?);
            r.data = &r.data[2..];
        }
        let mut ext = 0;
        if flags & 0x4 != 0 {
            ext = u32_at(r.data, 0).ok_or_else(bad)? as i32 as usize;
            r.data = &r.data[4..];
        }
        let (mut left, mut wide) = (usize::from(cch), flags & 0x1 != 0);
        while left > 0 {
            let width = if wide { 2 } else { 1 };
            let n = left.min(r.data.len() / width);
            r.data = &r.data[n * width..];
            left -= n;
            if left > 0 {
                if !r.next_continue() || r.data.is_empty() {
                    return Err(bad());
                }
                wide = r.data[0] & 0x1 != 0;
                r.data = &r.data[1..];
            }
        }
        r.skip(runs * 4)?;
        r.skip(ext)?;
        let bytes = u64::from(cch) * per_char;
        total += bytes + 24;
        out.push(bytes);
        if out.len() as u64 > MAX_STRINGS {
            return Err(too_big(format!(
                "共享字符串表有超过 {MAX_STRINGS} 个字符串"
            )));
        }
        if total > MAX_TEXT_BYTES {
            return Err(too_big(format!(
                "共享字符串表的文字超过 {} MB",
                MAX_TEXT_BYTES >> 20
            )));
        }
    }
    Ok(out)
}

/// The span of a sheet's cells, as calamine's `Range::from_sparse` makes it dense.
#[derive(Default)]
struct Span {
    cells: u64,
    rows: Option<(u32, u32)>,
    cols: (u32, u32),
}

impl Span {
    fn add(&mut self, row: u32, first: u32, last: u32) {
        let n = u64::from(last - first) + 1;
        self.cells = self.cells.saturating_add(n);
        match &mut self.rows {
            None => {
                self.rows = Some((row, row));
                self.cols = (first, last);
            }
            Some((lo, hi)) => {
                *lo = (*lo).min(row);
                *hi = (*hi).max(row);
                self.cols = (self.cols.0.min(first), self.cols.1.max(last));
            }
        }
    }

    fn dense(&self) -> u64 {
        let (rows, cols) = self.dims();
        rows * cols
    }

    fn dims(&self) -> (u64, u64) {
        self.rows.map_or((0, 0), |(lo, hi)| {
            (
                u64::from(hi - lo) + 1,
                u64::from(self.cols.1 - self.cols.0) + 1,
            )
        })
    }

    /// The grid alone, with the sheet's used range in the refusal.
    fn check(&self) -> Result<(), ReadError> {
        if self.dense() > MAX_CELLS {
            let (rows, cols) = self.dims();
            return Err(too_big(format!(
                "一张工作表的使用区域有 {rows} 行、{cols} 列"
            )));
        }
        Ok(())
    }
}

/// A legacy .xls workbook as calamine reads it: the workbook globals (shared strings and
/// the offsets of the sheets), then each sheet from its offset to its EOF record: the
/// room its DIMENSIONS record makes calamine reserve, the cells and formulas it stores,
/// the grid they make, and their text. Records calamine would read past their end (and
/// panic on) are refused as damaged.
pub(crate) fn check_xls_extent(path: &Path) -> Result<(), ReadError> {
    let file = std::fs::read(path).map_err(cannot_read)?;
    calamine_cfb_walk(&file)?;
    let mut cfb = cfb::open(path).map_err(|e| damaged(format!("不是有效的 .xls 工作簿（{e}）")))?;
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|s| cfb.is_stream(s))
        .ok_or_else(|| damaged("没有 Workbook 数据流"))?;
    let mut data = Vec::new();
    cfb.open_stream(stream)
        .and_then(|mut s| s.read_to_end(&mut data))
        .map_err(|e| damaged(format!("Workbook 数据流无法读取（{e}）")))?;
    xls_extent(&data)
}

/// calamine reads .xls with its own compound-file reader (`calamine::cfb`, not the `cfb`
/// crate the check above uses), which trusts the file's sector numbers and lengths: a sector
/// past the end makes it reserve memory up to that sector (terabytes: the process aborts), a
/// chain through a missing FAT entry makes it panic, and a length field makes it reserve
/// that many bytes. This walks the file as `Cfb::new` and `get_stream("Workbook")` will,
/// refusing as damaged whatever they could not read within the file.
fn calamine_cfb_walk(file: &[u8]) -> Result<(), ReadError> {
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    const END: u32 = 0xFFFF_FFFE;
    let bad = |what: &str| damaged(format!("复合文件的结构有误：{what}"));
    let size: usize = match u16_at(file, 30) {
        Some(0x09) => 512,
        Some(0x0C) => 4096,
        // calamine refuses these itself, with an error.
        _ => return Ok(()),
    };
    let Some(body) = file.get(size..) else {
        return Ok(());
    };
    let sectors = body.len().div_ceil(size);
    let field = |at| u32_at(file, at).unwrap_or(0) as usize;
    // What calamine reserves from the header's counts.
    let (dir_len, fat_len, mini_fat_len, difat_len) = (field(40), field(44), field(64), field(62));
    if dir_len > sectors || fat_len > sectors || mini_fat_len > sectors || difat_len > 1 << 28 {
        return Err(bad("文件头中的扇区数比文件还大"));
    }
    let sector = |id: u32| -> Result<&[u8], ReadError> {
        let start = id as usize * size;
        if id as usize >= sectors {
            return Err(bad("扇区编号超出了文件"));
        }
        Ok(&body[start..(start + size).min(body.len())])
    };
    let words = |s: &[u8]| -> Vec<u32> {
        s.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    // The DIFAT: 109 entries in the header, then its own chain.
    let mut difat = words(&file[76..512]);
    let mut next = u32_at(file, 68).unwrap_or(END);
    let mut steps = 0;
    while next < RESERVED {
        steps += 1;
        if steps > sectors {
            return Err(bad("DIFAT 链条绕成了圈"));
        }
        difat.extend(words(sector(next)?));
        next = difat.pop().unwrap_or(END);
    }
    let mut fats = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        fats.extend(words(sector(id)?));
        if fats.len() > sectors * (size / 4) + size {
            return Err(bad("FAT 太大"));
        }
    }
    // A chain of sectors through a FAT, as calamine's `get_chain` follows it.
    let chain = |start: u32,
                 fat: &[u32],
                 unit: usize,
                 data: &dyn Fn(u32) -> Result<Vec<u8>, ReadError>|
     -> Result<Vec<u8>, ReadError> {
        let (mut id, mut out, mut steps) = (start, Vec::new(), 0usize);
        while id != END {
            steps += 1;
            if steps > fat.len() + 1 || out.len() > file.len() + unit {
                return Err(bad("扇区链条绕成了圈"));
            }
            out.extend(data(id)?);
            id = *fat
                .get(id as usize)
                .ok_or_else(|| bad("扇区链条指向不存在的 FAT 项"))?;
        }
        Ok(out)
    };
    let big = |id: u32| sector(id).map(<[u8]>::to_vec);
    let mut dirs = chain(u32_at(file, 48).unwrap_or(END), &fats, size, &big)?;
    if dir_len > 0 {
        dirs.truncate(dir_len * size);
    }
    let entry = |e: &[u8]| -> (String, u32, usize) {
        let units: Vec<u16> = e[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let name: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .take_while(|c| *c != '\0')
            .collect();
        let len = if size == 512 {
            u32_at(e, 120).unwrap_or(0) as usize
        } else {
            u64::from_le_bytes(e[120..128].try_into().unwrap_or([0; 8])) as usize
        };
        (name, u32_at(e, 116).unwrap_or(END), len)
    };
    let entries: Vec<(String, u32, usize)> = dirs.chunks_exact(128).map(entry).collect();
    let Some(root) = entries.first() else {
        return Ok(()); // calamine refuses an empty directory itself
    };
    if entries.iter().any(|(_, _, len)| *len > file.len()) {
        return Err(bad("数据流的长度比文件还大"));
    }
    let (mini_fats, ministream) = if mini_fat_len > 0 {
        let mut ministream = chain(root.1, &fats, size, &big)?;
        ministream.truncate(root.2);
        let minifat = chain(u32_at(file, 60).unwrap_or(END), &fats, size, &big)?;
        (words(&minifat), ministream)
    } else {
        (Vec::new(), Vec::new())
    };
    let mini = |id: u32| -> Result<Vec<u8>, ReadError> {
        let start = id as usize * 64;
        ministream
            .get(start..(start + 64).min(ministream.len()))
            .filter(|s| !s.is_empty())
            .map(<[u8]>::to_vec)
            .ok_or_else(|| bad("小扇区编号超出了小数据流"))
    };
    for (name, start, len) in &entries {
        if name == "Workbook" || name == "Book" {
            if *len < 4096 {
                chain(*start, &mini_fats, 64, &mini)?;
            } else {
                chain(*start, &fats, size, &big)?;
            }
        }
    }
    Ok(())
}

fn xls_extent(data: &[u8]) -> Result<(), ReadError> {
    let short = |what: &str| damaged(format!("{what} 记录太短"));
    let (mut per_char, mut strings, mut sheets) = (3u64, Vec::new(), Vec::new());
    for r in (Records { stream: data }) {
        let mut r = r?;
        match r.typ {
            // FilePass, Date1904, BOF: calamine reads a u16 from each.
            0x002F | 0x0022 | 0x0809 if r.data.len() < 2 => return Err(short("工作簿")),
            // CodePage: other than UTF-16, a decoded character may take more bytes.
            0x0042 => {
                let cp = u16_at(r.data, 0).ok_or_else(|| short("CodePage"))?;
                per_char = if cp == 1200 { 3 } else { 6 };
            }
            // BoundSheet8: the sheet's offset, then its name.
            0x0085 => {
                if r.data.len() < 8 {
                    return Err(short("BoundSheet"));
                }
                sheets.push(u32_at(r.data, 0).unwrap_or(0) as usize);
            }
            // Lbl (a defined name).
            0x0018 => {
                let (Some(&cch), Some(cce)) = (r.data.get(3), u16_at(r.data, 4)) else {
                    return Err(short("Lbl"));
                };
                let len = r.data.len();
                if len < 15 + usize::from(cch) || len < usize::from(cce) {
                    return Err(short("Lbl"));
                }
                // calamine reads the first token of the name's formula without checking
                // its length.
                let rgce = &r.data[len - usize::from(cce)..];
                let need = match rgce.first() {
                    Some(0x3a | 0x5a | 0x7a) => 7,
                    Some(0x3b | 0x5b | 0x7b) => 11,
                    Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d) => 3,
                    _ => 0,
                };
                if rgce.len() < need {
                    return Err(short("Lbl"));
                }
            }
            // ExternSheet: cxti entries of 6 bytes.
            0x0017 => {
                let n = u16_at(r.data, 0).ok_or_else(|| short("ExternSheet"))?;
                let body = r.data.len() - 2;
                if usize::from(n) * 6 > body && body % 6 != 0 {
                    return Err(short("ExternSheet"));
                }
            }
            0x00FC => strings = xls_shared_strings(&mut r, per_char)?,
            0x000A => break,
            _ => {}
        }
    }
    let mut cost = Cost::default();
    for pos in sheets {
        let sheet = data
            .get(pos..)
            .ok_or_else(|| damaged(format!("一张工作表的位置（第 {pos} 字节）在数据流之外")))?;
        let (mut values, mut formulas) = (Span::default(), Span::default());
        let mut reserved = 0u64;
        let mut formula_at = (0u32, 0u32);
        for r in (Records { stream: sheet }) {
            let r = r?;
            let d = r.data;
            let at = || -> Option<(u32, u32)> {
                Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)))
            };
            match r.typ {
                // DIMENSIONS: calamine reserves rows × columns cells from it.
                0x0200 => {
                    let (rf, rl, cf, cl) = match d.len() {
                        10 => (
                            u32::from(u16_at(d, 0).unwrap_or(0)),
                            u32::from(u16_at(d, 2).unwrap_or(0)),
                            u32::from(u16_at(d, 4).unwrap_or(0)),
                            u32::from(u16_at(d, 6).unwrap_or(0)),
                        ),
                        14 => (
                            u32_at(d, 0).unwrap_or(0),
                            u32_at(d, 4).unwrap_or(0),
                            u32::from(u16_at(d, 8).unwrap_or(0)),
                            u32::from(u16_at(d, 10).unwrap_or(0)),
                        ),
                        _ => return Err(short("DIMENSIONS")),
                    };
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    let (start, end) = if rl >= 1 && cl >= 1 {
                        ((rf, cf), (rl - 1, cl - 1))
                    } else {
                        ((rf, cf), (rf, cf))
                    };
                    if end.0 < start.0 || end.1 < start.1 {
                        return Err(damaged("DIMENSIONS 记录的使用区域首尾颠倒"));
                    }
                    let rows = u64::from(end.0 - start.0) + 1;
                    let cols = u64::from(end.1 - start.1) + 1;
                    reserved = reserved.saturating_add(rows.saturating_mul(cols));
                    if rows.saturating_mul(cols) > MAX_CELLS {
                        return Err(too_big(format!(
                            "一张工作表声明的使用区域有 {rows} 行、{cols} 列"
                        )));
                    }
                }
                // NUMBER, BOOLERR, RK: one value.
                0x0203 | 0x0205 | 0x027E => {
                    let (row, col) = at().ok_or_else(|| short("单元格"))?;
                    values.add(row, col, col);
                }
                // LABEL: a string of cch characters.
                0x0204 => {
                    let (row, col) = at().ok_or_else(|| short("LABEL"))?;
                    values.add(row, col, col);
                    let cch = u64::from(u16_at(d, 6).unwrap_or(0));
                    cost.text = cost.text.saturating_add(cch * per_char);
                }
                // STRING: the text value of the formula before it.
                0x0207 => {
                    values.add(formula_at.0, formula_at.1, formula_at.1);
                    let cch = u64::from(u16_at(d, 0).unwrap_or(0));
                    cost.text = cost.text.saturating_add(cch * per_char);
                }
                // LABELSST: a copy of a shared string.
                0x00FD => {
                    let (row, col) = at().ok_or_else(|| short("LABELSST"))?;
                    let i = u32_at(d, 6).ok_or_else(|| short("LABELSST"))? as usize;
                    if let Some(&len) = strings.get(i).filter(|&&len| len > 0) {
                        values.add(row, col, col);
                        cost.text = cost.text.saturating_add(len);
                    }
                }
                // MULRK: values from the first to the last column.
                0x00BD => {
                    let (row, first) = at().ok_or_else(|| short("MULRK"))?;
                    let last = u32::from(u16_at(d, d.len().saturating_sub(2)).unwrap_or(0));
                    if d.len() < 6 || last < first || d.len() != 6 + 6 * (last - first + 1) as usize
                    {
                        return Err(short("MULRK"));
                    }
                    values.add(row, first, last);
                }
                // MERGEDCELLS: a count, then 8 bytes a region.
                0x00E5 => {
                    let n = u16_at(d, 0).ok_or_else(|| short("MERGEDCELLS"))?;
                    if d.len() < 2 + 8 * usize::from(n) {
                        return Err(short("MERGEDCELLS"));
                    }
                    cost.merged += u64::from(n);
                }
                // FORMULA: its value, and its text. calamine writes every formula out
                // (a name or a run of spaces for each few bytes, inserted one by one):
                // each byte is counted as 256 bytes of text, and long formulas refused.
                0x0006 => {
                    if d.len() < 20 {
                        return Err(short("FORMULA"));
                    }
                    if d.len() > 20 + MAX_FORMULA_BYTES {
                        return Err(too_big(format!("一个公式超过 {MAX_FORMULA_BYTES} 字节")));
                    }
                    let (row, col) = at().ok_or_else(|| short("FORMULA"))?;
                    formula_at = (row, col);
                    values.add(row, col, col);
                    formulas.add(row, col, col);
                    cost.text = cost.text.saturating_add(256 * (d.len() as u64 - 20) + 32);
                }
                0x000A => break,
                _ => {}
            }
            values.check()?;
            formulas.check()?;
            let sheet_cells = values
                .cells
                .saturating_add(reserved)
                .saturating_add(values.dense())
                .saturating_add(formulas.cells)
                .saturating_add(formulas.dense());
            let total = Cost {
                cells: cost.cells.saturating_add(sheet_cells),
                text: cost.text,
                merged: cost.merged,
            };
            total.check("工作簿")?;
        }
        cost.cells = cost
            .cells
            .saturating_add(values.cells)
            .saturating_add(reserved)
            .saturating_add(values.dense())
            .saturating_add(formulas.cells)
            .saturating_add(formulas.dense());
        cost.check("工作簿")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(data: &mut Vec<u8>, kind: u16, body: &[u8]) {
        data.extend_from_slice(&kind.to_le_bytes());
        data.extend_from_slice(&(body.len() as u16).to_le_bytes());
        data.extend_from_slice(body);
    }

    /// A workbook stream: globals with one BoundSheet record, then the sheet's records.
    fn xls_stream(sheet: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut data = Vec::new();
        record(&mut data, 0x0809, &[0; 16]);
        // BoundSheet: offset 20 + 13 + 4 (BOF, this record, EOF), visible worksheet "S".
        record(&mut data, 0x0085, &[37, 0, 0, 0, 0, 0, 1, 0, b'S']);
        record(&mut data, 0x000A, &[]);
        assert_eq!(data.len(), 37);
        record(&mut data, 0x0809, &[0; 16]);
        for (kind, body) in sheet {
            record(&mut data, *kind, body);
        }
        record(&mut data, 0x000A, &[]);
        data
    }

    fn number(r: u16, c: u16) -> (u16, Vec<u8>) {
        let mut body = Vec::new();
        body.extend_from_slice(&r.to_le_bytes());
        body.extend_from_slice(&c.to_le_bytes());
        body.extend_from_slice(&[0; 2]);
        body.extend_from_slice(&1.0f64.to_le_bytes());
        (0x0203, body)
    }

    fn xls_with_cells(path: &Path, cells: &[(u16, u16)]) {
        let sheet: Vec<_> = cells.iter().map(|&(r, c)| number(r, c)).collect();
        let mut cfb = cfb::create(path).unwrap();
        let mut s = cfb.create_stream("/Workbook").unwrap();
        s.write_all(&xls_stream(&sheet)).unwrap();
    }

    #[test]
    fn xls_records_calamine_would_read_past_are_refused() {
        type Sheet = Vec<(u16, Vec<u8>)>;
        let cases: Vec<(&str, Sheet)> = vec![
            (
                "DIMENSIONS",
                vec![(0x0200, vec![10, 0, 0, 0, 5, 0, 0, 0, 0, 0, 3, 0, 0, 0])],
            ),
            (
                "MULRK",
                vec![(0x00BD, vec![0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0])],
            ),
            ("MERGEDCELLS", vec![(0x00E5, vec![200, 0, 0, 0])]),
            ("FORMULA", vec![(0x0006, vec![0; 10])]),
        ];
        for (what, sheet) in cases {
            let e = xls_extent(&xls_stream(&sheet)).unwrap_err();
            assert!(e.message.contains(what), "{what}: {}", e.message);
            assert!(e.message.contains("已损坏"), "{}", e.message);
        }
        // A sheet whose offset lies outside the stream.
        let mut data = Vec::new();
        record(&mut data, 0x0809, &[0; 16]);
        record(&mut data, 0x0085, &[0, 1, 0, 0, 0, 0, 1, 0, b'S']);
        record(&mut data, 0x000A, &[]);
        assert!(xls_extent(&data)
            .unwrap_err()
            .message
            .contains("数据流之外"));
        // A record cut short.
        let mut cut = xls_stream(&[number(0, 0)]);
        cut.truncate(cut.len() - 3);
        assert!(xls_extent(&cut).is_err());
        // Many shared strings, each a few bytes.
        let mut sst = vec![0; 8];
        for _ in 0..2000 {
            sst.extend_from_slice(&[1, 0, 0, b'a']);
        }
        let mut data = Vec::new();
        record(&mut data, 0x0809, &[0; 16]);
        record(&mut data, 0x00FC, &sst);
        assert!(xls_extent(&data).is_ok());
    }

    #[test]
    fn an_xls_sheet_spanning_the_whole_grid_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let big = tmp.path().join("big.xls");
        xls_with_cells(&big, &[(0, 0), (65535, 255)]);
        let e = check_xls_extent(&big).unwrap_err();
        assert!(e.message.contains("65536 行、256 列"), "{}", e.message);
        let small = tmp.path().join("small.xls");
        xls_with_cells(&small, &[(0, 0), (2000, 10)]);
        assert!(check_xls_extent(&small).is_ok());
    }
}
