//! `--append`: the rows of a sheet against the rows already in the list file. A row that
//! is already there with the same data is skipped; one with the same credit code but other
//! data is a conflict, reported with both places.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::{display_path, Diagnostic};
use crate::domain::credit_code;
use crate::source::list::ListFile;
use crate::validate::DistrictBook;

use super::extract::{clean_text, name_key, Loc, SourceRow};
use crate::lists::write::Row;

/// A row already in the list file, and its line there.
pub(crate) struct ExistingRow {
    pub row: Row,
    pub line: usize,
}

/// The rows of a list file by normalised credit code.
pub(crate) fn existing_rows(
    raw: &ListFile,
    text: &str,
    book: &DistrictBook,
) -> HashMap<String, ExistingRow> {
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

/// What appending one sheet's rows would do.
#[derive(Default)]
pub(crate) struct Merge {
    /// Rows not in the list yet, with where they came from.
    pub fresh: Vec<SourceRow>,
    /// Rows already there with the same data.
    pub same: usize,
    /// Rows whose code is there with other data.
    pub conflicts: Vec<Diagnostic>,
}

/// Sorts the rows of one sheet against the existing list.
pub(crate) fn merge(
    rows: &[SourceRow],
    existing: &HashMap<String, ExistingRow>,
    source: &Path,
    sheet: Option<&str>,
    code_header: &str,
    list_file: &Path,
) -> Merge {
    let mut m = Merge::default();
    for r in rows {
        match existing.get(&r.row.credit_code) {
            Some(o) if same_data(&r.row, &o.row) => m.same += 1,
            Some(o) => {
                let loc = Loc {
                    sheet,
                    row: r.number,
                    col: r.code_col,
                    header: code_header,
                };
                m.conflicts.push(
                    Diagnostic::err("import-conflict", 
                        source,
                        format!(
                            "{loc}：统一社会信用代码 {} 已在 {} 第{}行，但数据不同：{} (already listed with different data)",
                            r.row.credit_code,
                            display_path(list_file),
                            o.line,
                            differences(&r.row, &o.row)
                        ),
                    )
                    .help("先弄清哪一边是对的：表格错了就改正表格再追加；名单中的那一行错了，用改正后的全部表格 gazette import … --force 重新导入"),
                );
            }
            None => m.fresh.push(r.clone()),
        }
    }
    m
}
