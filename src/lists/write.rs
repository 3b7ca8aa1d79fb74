//! Writing list files, the one place it is done: `gazette import` (a new list, or rows
//! appended) and the clerk's list commands (`gazette new list`, `gazette list …`) take the
//! data lock here (`lock`), write canonical TOML that the loader reads back to the same
//! data, with comments that tell staff where the rows came from and what is left to do,
//! and put the file in place in one rename (`put`). Output depends only on the input (no
//! clock), so two imports of the same sheet are identical. Reading and checking a list
//! file for the clerk's commands is the parent module's (`lists::find`).

use std::path::Path;

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::domain::workdays::{add_calendar_days, Calendar};
use crate::model::{PublicityLength, Stage};
use crate::store;
use crate::validate::{Batch, SiteData};

/// The data lock a list file is read and written under, so that two commands take turns
/// and a file that appeared meanwhile is not overwritten; or why it cannot be taken.
pub(crate) fn lock(root: &Path, on_wait: &dyn Fn()) -> Result<store::DataLock, Diagnostic> {
    store::lock_data(root, on_wait).map_err(|e| {
        Diagnostic::err(
            "data-lock",
            store::LOCK_FILE,
            format!("无法锁定数据文件夹：{e} (cannot lock data/)"),
        )
    })
}

/// Puts a list file's text at `rel` in one rename: replacing the file read under the
/// lock, or (`replace` false) creating it only if it still does not exist.
pub(crate) fn put(root: &Path, rel: &Path, text: &str, replace: bool) -> Result<(), Diagnostic> {
    let target = root.join(rel);
    let done = if replace {
        store::replace(&target, text)
    } else {
        store::create_new(&target, text)
    };
    done.map_err(|e| write_error(rel, &e))
}

/// Why a list file could not be written; a file that appeared meanwhile gets its own advice.
pub(crate) fn write_error(rel: &Path, e: &std::io::Error) -> Diagnostic {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        Diagnostic::err("list-appeared", rel, "这份名单文件刚刚被别人创建，没有覆盖 (the list file appeared while this command ran; not overwritten)")
            .help("看看这个文件是谁、从哪里来的；要把表格追加进去，用 --append 再运行一次")
    } else {
        Diagnostic::cannot_write_data(rel, e)
    }
}

/// One enterprise row as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub credit_code: String,
    /// Canonical name from `data/districts.toml`.
    pub district: String,
    pub industry: Option<String>,
}

/// A publicity period as given on the command line: its first day and its length, or no
/// length for the programme's default (`[publicity]` of its file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodSpec {
    pub start: NaiveDate,
    pub length: Option<Length>,
}

/// How a publicity period's length is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// 工作日, counted with the holiday calendar.
    WorkingDays(u32),
    /// 天, the start day being day 1.
    CalendarDays(u32),
    /// The last day, given directly.
    EndsOn(NaiveDate),
}

/// The publicity period with its computed end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub length: Length,
    pub end: NaiveDate,
}

impl PeriodSpec {
    /// The period's last day, or why it cannot be computed (in Chinese). Without a length
    /// of its own the programme's `default` is used, and written out in the list file like a
    /// given one, so that a later change of the programme's default does not move the
    /// period of a list already published.
    pub fn resolve(
        &self,
        calendar: &Calendar,
        default: Option<PublicityLength>,
    ) -> Result<Period, String> {
        let length = match (self.length, default) {
            (Some(l), _) => l,
            (None, Some(PublicityLength::WorkingDays(n))) => Length::WorkingDays(n),
            (None, Some(PublicityLength::CalendarDays(n))) => Length::CalendarDays(n),
            (None, None) => return Err(
                "没有写公示天数，项目文件也没有默认的公示期 (no length of the publicity period)"
                    .into(),
            ),
        };
        let end = match length {
            Length::WorkingDays(n) | Length::CalendarDays(n) if !(1..=366).contains(&n) => {
                return Err(format!(
                    "{n} 不是可用的天数：请写 1 到 366 之间的数 (not a usable number of days)"
                ))
            }
            Length::WorkingDays(n) => calendar
                .add_working_days(self.start, n)
                .map_err(|e| e.to_string())?,
            Length::CalendarDays(n) => add_calendar_days(self.start, n),
            Length::EndsOn(end) if end < self.start => {
                return Err(format!(
                    "公示截止日 {end} 早于开始日 {} (the end is before the start)",
                    self.start
                ))
            }
            Length::EndsOn(end) => end,
        };
        Ok(Period {
            start: self.start,
            length,
            end,
        })
    }
}

impl Period {
    /// "5个工作日", "7天", or the period written out.
    pub fn length_zh(&self) -> String {
        match self.length {
            Length::WorkingDays(n) => format!("{n}个工作日"),
            Length::CalendarDays(n) => format!("{n}天"),
            Length::EndsOn(_) => crate::domain::datefmt::zh_period(self.start, self.end),
        }
    }
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

/// The `[publicity]` table of a period, with a comment that writes it out.
pub fn period_lines(p: &Period, comment_end: bool) -> String {
    let end_note = if comment_end {
        "  # 由 start 和天数算出；改 start 时请一并改正或删去此行"
    } else {
        ""
    };
    let count = match p.length {
        Length::WorkingDays(n) => format!("working_days = {n}\nend = {}{end_note}\n", p.end),
        Length::CalendarDays(n) => format!("calendar_days = {n}\nend = {}{end_note}\n", p.end),
        Length::EndsOn(end) => format!("end = {end}\n"),
    };
    format!(
        "\n# 公示期：{}（{}）\n[publicity]\nstart = {}\n{count}",
        crate::domain::datefmt::zh_period(p.start, p.end),
        p.length_zh(),
        p.start,
    )
}

/// The head of a list file: title, provenance, programme, year, batch, kind and stage,
/// then either the publicity period or the draft mark with what to run once the dates are
/// known. The one place a list file's head is written (import and `gazette new list`).
fn list_head(
    site: &SiteData,
    b: &Batch,
    provenance: &[String],
    period: Option<&Period>,
    draft: bool,
) -> String {
    let p = &site.programmes[b.programme];
    let kind = &p.kinds[b.kind];
    let id = &b.id;
    let mut out = String::new();
    out.push_str(&format!(
        "# {}\n",
        comment_text(&p.list_title(b.year, b.batch, kind, Stage::Publicity))
    ));
    for line in provenance {
        out.push_str(&format!("# {}\n", comment_text(line)));
    }
    out.push('\n');
    if !p.default {
        out.push_str(&format!("programme = {}\n", quote(&p.id)));
    }
    out.push_str(&format!(
        "year = {}\nbatch = {}  # {}\nkind = {}  # {}\nstage = \"publicity\"\n",
        b.year,
        b.batch,
        comment_text(&p.batch_name(b.batch)),
        quote(&kind.id),
        comment_text(&kind.name),
    ));
    if draft {
        out.push_str("# 草稿：gazette build 不会发布这份名单（gazette check 检查它，gazette serve 预览时显示并标明“草稿”）。\n");
        match period {
            Some(_) => out.push_str(&format!(
                "# 企业导入齐全后运行：gazette list publish {id}\n"
            )),
            None => out.push_str(&format!(
                "# 定下公示日期后运行：gazette list publish {id} --start {}-12-01 --working-days 5\n",
                b.year
            )),
        }
        out.push_str("draft = true\n");
    }
    if let Some(p) = period {
        out.push_str(&period_lines(p, true));
    }
    out
}

/// A whole list file written by `gazette import`: under publicity when the dates are
/// given, otherwise a draft.
pub fn list_file(
    site: &SiteData,
    batch: &Batch,
    provenance: &[String],
    period: Option<&Period>,
    rows: &[Row],
) -> String {
    let mut out = list_head(site, batch, provenance, period, period.is_none());
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
/// until the enterprises are imported and `gazette list publish` is run.
pub fn new_list_file(site: &SiteData, b: &Batch, period: Option<&Period>) -> String {
    let mut provenance =
        vec!["由 gazette new list 生成 (scaffolded by gazette new list)。".to_string()];
    if let Some(period) = period {
        provenance.push(format!(
            "公示期按 data/calendar/{}.toml 的节假日安排计算：{}。",
            period.start.format("%Y"),
            crate::domain::datefmt::zh_period(period.start, period.end)
        ));
    }
    let p = &site.programmes[b.programme];
    let programme = if p.default {
        String::new()
    } else {
        format!(" --programme {}", p.id)
    };
    provenance.extend([
        "下一步：把区县报来的表格逐个追加进来（每张表一次），例如".to_string(),
        format!(
            "  gazette import 区县报表.xlsx{programme} --year {} --batch {} --kind {} --append",
            b.year, b.batch, p.kinds[b.kind].name
        ),
    ]);
    list_head(site, b, &provenance, period, true)
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
