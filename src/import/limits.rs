//! How much a spreadsheet may make Gazette read and allocate, checked before the
//! spreadsheet reader builds anything. A district's list is a few thousand rows; a file
//! that claims a sheet of 17 billion cells, or a 1 MB zip that unpacks to 1 GB, is refused
//! with what it claims, instead of exhausting the computer's memory.

use std::io::Read;
use std::path::Path;

use super::sheet::ReadError;

/// Largest spreadsheet file read at all.
pub(crate) const MAX_FILE_BYTES: u64 = 256 << 20;
/// Most bytes one member of a workbook's zip may unpack to, and all members together.
pub(crate) const MAX_MEMBER_BYTES: u64 = 256 << 20;
pub(crate) const MAX_UNPACKED_BYTES: u64 = 512 << 20;
/// Most cells a sheet may span (rows × columns of its used range), as read into a grid.
pub(crate) const MAX_CELLS: u64 = 5_000_000;
/// Columns considered: a list has a few dozen; cells further right are counted, not read.
pub(crate) const MAX_COLUMNS: u32 = 1024;

fn too_big(what: String) -> ReadError {
    ReadError::new(
        format!("表格文件太大，没有读取：{what} (the spreadsheet is too large)"),
        "一个区县的名单只有几千行：请在 Excel 中只保留名单所在的工作表和行列（删掉多余的空行空列和格式），另存为 .xlsx 后再导入；文件可能已损坏",
    )
}

/// Refuses a file larger than any real list.
pub(crate) fn check_file_size(path: &Path) -> Result<(), ReadError> {
    let len = std::fs::metadata(path)
        .map_err(|e| {
            ReadError::new(
                format!("无法读取文件：{e} (cannot read the file)"),
                "检查文件路径",
            )
        })?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(too_big(format!(
            "文件有 {} MB，上限是 {} MB",
            len >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(())
}

/// Unpacks every member of a zip-based workbook (.xlsx, .xlsm, .xlsb, .ods) once, counting
/// the bytes it really yields (a zip may lie about them), and refuses a bomb.
pub(crate) fn check_zip(path: &Path) -> Result<(), ReadError> {
    let file = std::fs::File::open(path).map_err(|e| {
        ReadError::new(
            format!("无法读取文件：{e} (cannot read the file)"),
            "检查文件路径",
        )
    })?;
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        // Not a zip: the spreadsheet reader says what it is.
        return Ok(());
    };
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let Ok(mut member) = zip.by_index(i) else {
            return Ok(());
        };
        let name = member.name().to_string();
        let mut size = 0u64;
        loop {
            let n = match member.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                // A damaged member: the spreadsheet reader reports it.
                Err(_) => return Ok(()),
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

/// The used range of every sheet of an OpenDocument spreadsheet, from `content.xml`,
/// counting repeated rows and columns as the reader will expand them.
pub(crate) fn check_ods_extent(path: &Path) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let repeat = |e: &quick_xml::events::BytesStart, key: &[u8]| -> u64 {
        e.try_get_attribute(key)
            .ok()
            .flatten()
            .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse().ok())
            .unwrap_or(1)
    };
    let (mut rows, mut width, mut row_width, mut col, mut row_repeat) =
        (0u64, 0u64, 0u64, 0u64, 1u64);
    let mut expanded = 0u64;
    let mut pending_empty = 0u64;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"table:table" => {
                rows = 0;
                width = 0;
                pending_empty = 0;
            }
            Event::Start(e) if e.name().as_ref() == b"table:table-row" => {
                row_repeat = repeat(&e, b"table:number-rows-repeated");
                col = 0;
                row_width = 0;
            }
            Event::End(e) if e.name().as_ref() == b"table:table-row" => {
                // Empty rows count only between rows with values (the reader trims the
                // rest, such as the million empty rows a sheet often ends with).
                if row_width > 0 {
                    rows = rows
                        .saturating_add(pending_empty)
                        .saturating_add(row_repeat);
                    pending_empty = 0;
                    width = width.max(row_width);
                    expanded = expanded.saturating_add(row_width.saturating_mul(row_repeat));
                } else if rows > 0 {
                    pending_empty = pending_empty.saturating_add(row_repeat);
                }
                if rows.saturating_mul(width) > MAX_CELLS || expanded > MAX_CELLS {
                    return Err(too_big(format!("一张工作表展开后有 {rows} 行、{width} 列")));
                }
            }
            ref ev @ (Event::Start(ref e) | Event::Empty(ref e))
                if matches!(
                    e.name().as_ref(),
                    b"table:table-cell" | b"table:covered-table-cell"
                ) =>
            {
                let n = repeat(e, b"table:number-columns-repeated");
                let has_value = matches!(ev, Event::Start(_))
                    || e.try_get_attribute(b"office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                col = col.saturating_add(n);
                if has_value {
                    row_width = col;
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// The used range of every sheet of a legacy .xls workbook, from its cell records: the
/// reader allocates every cell of that range at once.
pub(crate) fn check_xls_extent(path: &Path) -> Result<(), ReadError> {
    let Ok(mut cfb) = cfb::open(path) else {
        return Ok(());
    };
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|s| cfb.is_stream(s));
    let Some(stream) = stream else {
        return Ok(());
    };
    let mut data = Vec::new();
    let Ok(mut s) = cfb.open_stream(stream) else {
        return Ok(());
    };
    if s.read_to_end(&mut data).is_err() {
        return Ok(());
    }
    let (mut max_row, mut max_col, mut min_row, mut min_col) = (0u64, 0u64, u64::MAX, u64::MAX);
    let check = |max_row: u64, max_col: u64, min_row: u64, min_col: u64| {
        if min_row != u64::MAX {
            let cells = (max_row - min_row + 1) * (max_col - min_col + 1);
            if cells > MAX_CELLS {
                return Err(too_big(format!(
                    "一张工作表的使用区域有 {} 行、{} 列",
                    max_row - min_row + 1,
                    max_col - min_col + 1
                )));
            }
        }
        Ok(())
    };
    let mut at = 0;
    while at + 4 <= data.len() {
        let kind = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = u16::from_le_bytes([data[at + 2], data[at + 3]]) as usize;
        let body = &data[at + 4..(at + 4 + len).min(data.len())];
        at += 4 + len;
        match kind {
            // BOF starts a sheet's substream: a new used range.
            0x0809 => {
                check(max_row, max_col, min_row, min_col)?;
                (max_row, max_col, min_row, min_col) = (0, 0, u64::MAX, u64::MAX);
            }
            // Cell records: row and column first. MULRK/MULBLANK end with the last column.
            0x0006 | 0x00FD | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00BD | 0x0201 | 0x00BE
                if body.len() >= 4 =>
            {
                let row = u64::from(u16::from_le_bytes([body[0], body[1]]));
                let mut col = u64::from(u16::from_le_bytes([body[2], body[3]]));
                let first = col;
                if matches!(kind, 0x00BD | 0x00BE) && body.len() >= 6 {
                    col = u64::from(u16::from_le_bytes([
                        body[body.len() - 2],
                        body[body.len() - 1],
                    ]));
                }
                max_row = max_row.max(row);
                min_row = min_row.min(row);
                max_col = max_col.max(col).max(first);
                min_col = min_col.min(first);
            }
            _ => {}
        }
    }
    check(max_row, max_col, min_row, min_col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn xls_with_cells(path: &Path, cells: &[(u16, u16)]) {
        let mut data = Vec::new();
        let mut record = |kind: u16, body: &[u8]| {
            data.extend_from_slice(&kind.to_le_bytes());
            data.extend_from_slice(&(body.len() as u16).to_le_bytes());
            data.extend_from_slice(body);
        };
        record(0x0809, &[0; 16]);
        for &(r, c) in cells {
            let mut body = Vec::new();
            body.extend_from_slice(&r.to_le_bytes());
            body.extend_from_slice(&c.to_le_bytes());
            body.extend_from_slice(&[0; 2]);
            body.extend_from_slice(&1.0f64.to_le_bytes());
            record(0x0203, &body);
        }
        record(0x000A, &[]);
        let mut cfb = cfb::create(path).unwrap();
        let mut s = cfb.create_stream("/Workbook").unwrap();
        s.write_all(&data).unwrap();
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
