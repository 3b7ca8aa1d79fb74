//! Writing list files: canonical TOML that the loader reads back to the same data, with
//! comments that tell staff where the rows came from and what is left to do. Output
//! depends only on the input (no clock), so two imports of the same sheet are identical.

use chrono::NaiveDate;

use crate::model::ListKind;
use crate::validate::default_title;

/// One enterprise row as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub credit_code: String,
    /// Canonical name from `data/districts.toml`.
    pub district: String,
    pub industry: Option<String>,
}

/// The publicity period as given on the command line, with its computed end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub count: DayCount,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayCount {
    Working(u32),
    Calendar(u32),
}

/// A TOML basic string: quotes, backslashes and every control character escaped, so that
/// any name (quotes, backslashes, line breaks, DEL) reads back unchanged.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text safe for one comment line (no line breaks or control characters).
pub fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub fn enterprise_tables(rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        out.push_str("\n[[enterprise]]\n");
        out.push_str(&format!("name = {}\n", quote(&r.name)));
        out.push_str(&format!("credit_code = {}\n", quote(&r.credit_code)));
        out.push_str(&format!("district = {}\n", quote(&r.district)));
        if let Some(i) = &r.industry {
            out.push_str(&format!("industry = {}\n", quote(i)));
        }
    }
    out
}

fn period_lines(p: &Period, comment_end: bool) -> String {
    let (count, what) = match p.count {
        DayCount::Working(n) => (format!("working_days = {n}"), format!("{n}个工作日")),
        DayCount::Calendar(n) => (format!("calendar_days = {n}"), format!("{n}天")),
    };
    let end_note = if comment_end {
        "  # 由 start 和天数算出；改 start 时请一并改正或删去此行"
    } else {
        ""
    };
    format!(
        "\n# 公示期：{}（{what}）\n[publicity]\nstart = {}\n{count}\nend = {}{end_note}\n",
        crate::domain::datefmt::zh_period(p.start, p.end),
        p.start,
        p.end,
    )
}

const DRAFT_NOTE: &str = "\
# 草稿 (DRAFT)：公示日期还没有填写，gazette build 不会发布这份名单（gazette check 仍会检查）。
# 确定公示日期后：
#   1. 去掉下面 [publicity] 三行行首的“# ”，填写开始日期和工作日数；
#   2. 删除 draft = true 这一行；
#   3. 运行 gazette check，确认没有错误后再 gazette build。
";

/// The header lines shared by `import` and `new list`.
fn list_head(
    year: i32,
    quarter: u8,
    kind: ListKind,
    provenance: &[String],
    period: Option<&Period>,
    draft: bool,
) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# {}\n",
        default_title(year, quarter, kind, crate::model::Stage::Publicity)
    ));
    for line in provenance {
        out.push_str(&format!("# {}\n", comment_text(line)));
    }
    if draft {
        out.push_str("#\n");
        out.push_str(DRAFT_NOTE);
    }
    out.push_str(&format!(
        "\nyear = {year}\nquarter = {quarter}\nkind = {}\nstage = \"publicity\"\n",
        quote(kind.as_str())
    ));
    if draft {
        out.push_str("draft = true\n");
    }
    match period {
        Some(p) => out.push_str(&period_lines(p, true)),
        None => out.push_str("\n# [publicity]\n# start = 2026-04-20\n# working_days = 5\n"),
    }
    out
}

/// A whole list file written by `gazette import`.
pub fn list_file(
    year: i32,
    quarter: u8,
    kind: ListKind,
    provenance: &[String],
    period: Option<&Period>,
    rows: &[Row],
) -> String {
    let mut out = list_head(year, quarter, kind, provenance, period, period.is_none());
    out.push_str(&enterprise_tables(rows));
    out
}

/// The rows appended by `gazette import --append`, with a comment saying where they came from.
pub fn appended(existing: &str, provenance: &[String], rows: &[Row]) -> String {
    let mut out = existing.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push('\n');
    for line in provenance {
        out.push_str(&format!("# {}\n", comment_text(line)));
    }
    out.push_str(&enterprise_tables(rows));
    out
}

/// The scaffold written by `gazette new list`: the period, no enterprises yet, a draft
/// until the enterprises are filled in.
pub fn new_list_file(year: i32, quarter: u8, kind: ListKind, period: &Period) -> String {
    let id = crate::validate::list_id(year, quarter, kind);
    let provenance = vec![
        "由 gazette new list 生成 (scaffolded by gazette new list)。".to_string(),
        format!(
            "公示期按 data/calendar/{}.toml 的节假日安排计算：{}。",
            period.start.format("%Y"),
            crate::domain::datefmt::zh_period(period.start, period.end)
        ),
        "下一步：把区县报来的表格逐个追加进来（每张表一次），例如".to_string(),
        format!(
            "  gazette import 中山区.xlsx --year {year} --quarter {quarter} --kind {} --append",
            kind.as_str()
        ),
        "或者照文件末尾的示例手工填写 [[enterprise]]。".to_string(),
        format!("企业填好后删除 draft = true 这一行，运行 gazette check，再 gazette build。（文件：data/lists/{id}.toml）"),
    ];
    let mut out = String::new();
    out.push_str(&format!(
        "# {}\n",
        default_title(year, quarter, kind, crate::model::Stage::Publicity)
    ));
    for line in &provenance {
        out.push_str(&format!("# {}\n", comment_text(line)));
    }
    out.push_str(&format!(
        "\nyear = {year}\nquarter = {quarter}\nkind = {}\nstage = \"publicity\"\ndraft = true  # 企业填好后删除这一行：草稿不会发布\n",
        quote(kind.as_str())
    ));
    out.push_str(&period_lines(period, true));
    out.push_str(
        "\n# 示例（去掉行首的“# ”并改成真实数据；每家企业一段 [[enterprise]]）：\n\
         # [[enterprise]]\n\
         # name = \"大连某某科技有限公司\"\n\
         # credit_code = \"91210202MA0000001J\"   # 18位统一社会信用代码\n\
         # district = \"中山区\"                   # data/districts.toml 中的名称或别名\n\
         # industry = \"软件和信息技术服务\"        # 可不填\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct One {
        s: String,
    }

    #[test]
    fn quoted_strings_read_back_unchanged() {
        let nasty = [
            "大连\"引号\"有限公司",
            "back\\slash\\",
            "line\nbreak\r\n",
            "tab\there",
            "\u{0}\u{1}\u{7f}\u{1b}[31m",
            "'single' and \"\"\" triple",
            "emoji 🏭 and \u{feff}BOM and \u{2028}",
            "",
            "# not a comment",
            "x = 1\n[[enterprise]]",
        ];
        for s in nasty {
            let text = format!("s = {}\n", quote(s));
            let back: One = toml::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(back.s, s, "{text}");
        }
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment_text("a\nb\rc"), "a b c");
    }
}
