//! Finding the header row and the columns by their Chinese headers. District sheets put
//! title rows above the header, wrap headers over two lines, and write the same column in
//! several ways (所属区县, 所属地区, 所属区（市、县）/先导区 …), so headers are compared in a
//! normalised form: NFKC (full-width → half-width), no white space, no punctuation.

use unicode_normalization::UnicodeNormalization;

use super::sheet::{column_letters, Grid, GridRow};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Serial,
    Name,
    District,
    CreditCode,
    Industry,
    /// 申报类型: whether the row is an application or a review (checked against `--kind`).
    Kind,
    /// 备注: read by the clerk, never imported.
    Remark,
}

impl Role {
    pub fn zh(self) -> &'static str {
        match self {
            Role::Serial => "序号",
            Role::Name => "企业名称",
            Role::District => "所属区县",
            Role::CreditCode => "统一社会信用代码",
            Role::Industry => "行业",
            Role::Kind => "类型",
            Role::Remark => "备注",
        }
    }
}

/// Header text as compared: NFKC, no white space (line breaks included), no brackets or
/// punctuation, lower case.
pub fn normalize_header(h: &str) -> String {
    h.nfkc()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !is_cjk_punct(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '：'
            | '；'
            | '【'
            | '】'
            | '《'
            | '》'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '·'
            | '※'
            | '★'
            | '〔'
            | '〕'
            | '（'
            | '）'
            | '／'
    )
}

/// The role of a header cell, if it is one we know.
pub fn classify(header: &str) -> Option<Role> {
    let h = normalize_header(header);
    if h.is_empty() || h.chars().count() > 30 {
        return None;
    }
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["信用代码", "社会信用", "统一代码", "统一社会"]) || h == "代码" {
        return Some(Role::CreditCode);
    }
    if matches!(h.as_str(), "序号" | "编号" | "序" | "no" | "排序") {
        return Some(Role::Serial);
    }
    // The kind of each row, whatever the programme calls its kinds: ……类型, ……类别, or
    // two kinds joined by 或 (the cells are compared with the programme's kinds).
    let kind_like = (h.ends_with("类型") || h.ends_with("类别"))
        && !has(&["企业", "单位", "产业", "行业", "登记", "注册"]);
    if kind_like || (h.contains('或') && h.chars().count() <= 8) {
        return Some(Role::Kind);
    }
    if matches!(h.as_str(), "备注" | "说明" | "备注说明" | "附注") {
        return Some(Role::Remark);
    }
    if has(&["行业", "领域", "产业类别", "产业分类"]) {
        return Some(Role::Industry);
    }
    if has(&["企业名称", "单位名称", "公司名称", "企业全称", "企业名"])
        || matches!(h.as_str(), "名称" | "企业" | "单位")
    {
        return Some(Role::Name);
    }
    if has(&[
        "区县",
        "区市县",
        "县区",
        "市县",
        "县市区",
        "区市",
        "所属区",
        "地区",
        "先导区",
        "区域",
        "辖区",
        "属地",
    ]) {
        return Some(Role::District);
    }
    None
}

/// The header row and which column holds what.
#[derive(Debug, Clone)]
pub struct Header {
    /// Index into `Grid::rows`.
    pub row_index: usize,
    /// 1-based spreadsheet row number of the header.
    pub row_number: u32,
    /// (role, 0-based column, header text as written).
    pub columns: Vec<(Role, usize, String)>,
    /// Headers we do not import (shown to staff so nothing is dropped silently).
    pub ignored: Vec<(usize, String)>,
}

impl Header {
    pub fn column(&self, role: Role) -> Option<usize> {
        self.columns.iter().find(|c| c.0 == role).map(|c| c.1)
    }

    pub fn header_text(&self, role: Role) -> &str {
        self.columns
            .iter()
            .find(|c| c.0 == role)
            .map(|c| c.2.as_str())
            .unwrap_or(role.zh())
    }
}

/// Why no usable header was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// No row within the first rows looks like a header.
    NotFound { first_rows: Vec<(u32, Vec<String>)> },
    /// Two columns claim the same role.
    Ambiguous {
        row: u32,
        role: Role,
        columns: Vec<(usize, String)>,
    },
    /// A header row without a required column.
    Missing { row: u32, role: Role },
}

/// How far down the header may be (title rows, notes, a blank line or two).
const HEADER_SEARCH_ROWS: usize = 30;

/// Whether a row is a header row: it names the enterprise column and one more known column.
pub fn looks_like_header(row: &GridRow) -> bool {
    let roles: Vec<Role> = row.cells.iter().filter_map(|c| classify(&c.text)).collect();
    roles.contains(&Role::Name) && roles.iter().any(|r| *r != Role::Name)
}

/// Finds the header row within the first rows of a grid and maps its columns.
/// `need_district`: whether a 所属区县 column is required (not when `--district` is given).
pub fn find_header(grid: &Grid, need_district: bool) -> Result<Header, HeaderError> {
    let Some(row_index) = grid
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(looks_like_header)
    else {
        let first_rows = grid
            .rows
            .iter()
            .filter(|r| r.cells.iter().any(|c| !c.text.trim().is_empty()))
            .take(3)
            .map(|r| {
                (
                    r.number,
                    r.cells
                        .iter()
                        .map(|c| c.text.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .take(8)
                        .collect(),
                )
            })
            .collect();
        return Err(HeaderError::NotFound { first_rows });
    };
    let row = &grid.rows[row_index];
    let mut columns: Vec<(Role, usize, String)> = Vec::new();
    let mut ignored = Vec::new();
    for (i, cell) in row.cells.iter().enumerate() {
        let text = cell.text.trim();
        if text.is_empty() {
            continue;
        }
        match classify(text) {
            Some(role) => columns.push((role, i, one_line(text))),
            None => ignored.push((i, one_line(text))),
        }
    }
    for role in [
        Role::Serial,
        Role::Name,
        Role::District,
        Role::CreditCode,
        Role::Industry,
        Role::Kind,
        Role::Remark,
    ] {
        let same: Vec<(usize, String)> = columns
            .iter()
            .filter(|c| c.0 == role)
            .map(|c| (c.1, c.2.clone()))
            .collect();
        if same.len() > 1 {
            return Err(HeaderError::Ambiguous {
                row: row.number,
                role,
                columns: same,
            });
        }
    }
    let mut required = vec![Role::Name, Role::CreditCode];
    if need_district {
        required.push(Role::District);
    }
    for role in required {
        if !columns.iter().any(|c| c.0 == role) {
            return Err(HeaderError::Missing {
                row: row.number,
                role,
            });
        }
    }
    Ok(Header {
        row_index,
        row_number: row.number,
        columns,
        ignored,
    })
}

/// A header as shown in messages: on one line, a break between Chinese characters removed.
fn one_line(s: &str) -> String {
    super::clean_text(s)
}

/// A column as staff see it: `C（统一社会信用代码）`.
pub fn describe_column(index: usize, header: &str) -> String {
    format!("{}列（{header}）", column_letters(index))
}

#[cfg(test)]
mod tests {
    use super::super::sheet::{Cell, GridRow};
    use super::*;

    fn row(number: u32, cells: &[&str]) -> GridRow {
        GridRow {
            number,
            cells: cells.iter().map(|c| Cell::text(*c)).collect(),
        }
    }

    #[test]
    fn messy_headers_are_recognised() {
        assert_eq!(classify("序 号"), Some(Role::Serial));
        assert_eq!(classify("企业\n名称"), Some(Role::Name));
        assert_eq!(classify("企业名称（全称）"), Some(Role::Name));
        assert_eq!(classify("所属区（市、县）/先导区"), Some(Role::District));
        assert_eq!(classify("所属区县"), Some(Role::District));
        assert_eq!(classify("所属地区"), Some(Role::District));
        assert_eq!(classify("区市县（先导区）"), Some(Role::District));
        assert_eq!(classify("统一社会\r\n信用代码"), Some(Role::CreditCode));
        assert_eq!(classify("ＵＳＣＣ"), None);
        assert_eq!(classify("　统一社会信用代码　"), Some(Role::CreditCode));
        assert_eq!(classify("所属行业"), Some(Role::Industry));
        assert_eq!(classify("备注"), Some(Role::Remark));
        assert_eq!(classify("申报类型"), Some(Role::Kind));
        assert_eq!(classify("企业类型"), None);
        assert_eq!(
            classify("2026年第一季度创新型中小企业推荐情况汇总表（大连市中山区）"),
            None
        );
    }

    #[test]
    fn header_below_title_rows_is_found() {
        let grid = Grid {
            sheet: Some("Sheet1".into()),
            rows: vec![
                row(1, &["附件3"]),
                row(2, &["创新型中小企业推荐情况汇总表", "", ""]),
                row(3, &[]),
                row(
                    4,
                    &["序号", "企业 名称", "统一社会信用代码", "所属地区", "备注"],
                ),
                row(
                    5,
                    &["1", "大连甲有限公司", "91210202MA0000001J", "中山区", ""],
                ),
            ],
        };
        let h = find_header(&grid, true).unwrap();
        assert_eq!(h.row_number, 4);
        assert_eq!(h.column(Role::Name), Some(1));
        assert_eq!(h.column(Role::CreditCode), Some(2));
        assert_eq!(h.column(Role::District), Some(3));
        assert_eq!(h.column(Role::Remark), Some(4));
        assert!(h.ignored.is_empty());
    }

    #[test]
    fn missing_and_ambiguous_columns_are_errors() {
        let g = Grid {
            sheet: None,
            rows: vec![row(1, &["企业名称", "所属地区"])],
        };
        assert_eq!(
            find_header(&g, true).unwrap_err(),
            HeaderError::Missing {
                row: 1,
                role: Role::CreditCode
            }
        );
        let g = Grid {
            sheet: None,
            rows: vec![row(1, &["企业名称", "所属地区", "所属区县", "信用代码"])],
        };
        assert!(matches!(
            find_header(&g, true),
            Err(HeaderError::Ambiguous {
                role: Role::District,
                ..
            })
        ));
        let g = Grid {
            sheet: None,
            rows: vec![row(1, &["名单"]), row(2, &["甲", "乙"])],
        };
        assert!(matches!(
            find_header(&g, true),
            Err(HeaderError::NotFound { .. })
        ));
    }
}
