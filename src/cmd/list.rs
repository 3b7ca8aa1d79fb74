//! `gazette list …` (publish, announce, withdraw, restore, show) and `gazette lists`.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use unicode_width::UnicodeWidthStr;

use gazette::edit::list::Change;

use super::import::PeriodArgs;
use super::prelude::*;

#[derive(Subcommand, Debug)]
pub(super) enum ListCommand {
    /// 草稿名单开始公示：写入公示期，去掉草稿标记
    Publish(PublishArgs),
    /// 公示结束后公告名单：写入公告日期、文号和有效期
    Announce(AnnounceArgs),
    /// 撤回一家企业（例如异议成立），写明原因：公示页上标明已撤回，不进入公告名单
    Withdraw(WithdrawArgs),
    /// 撤销撤回，把企业放回名单
    Restore(RestoreArgs),
    /// 显示一份名单的状态（不写编号时列出所有名单，同 gazette lists）
    Show(ShowArgs),
}

#[derive(Args, Debug)]
#[command(after_help = "名单编号见 gazette lists，例如 2026-q4-application。
草稿中已经写有公示期时，可以不写日期。

例如：
  gazette list publish 2026-q4-application --start 2026-12-01 --working-days 5
  gazette list publish 2026-q4-application")]
pub(super) struct PublishArgs {
    /// 名单编号，例如 2026-q4-application
    #[arg(value_name = "名单编号")]
    pub id: String,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// 名单已在公示时，仍然改用新的公示期
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
#[command(
    after_help = "公告日期必须在公示期之后；公示期还没有结束时拒绝公告，除非加 --force。
有效期默认自公告日期起三年。

例如：
  gazette list announce 2026-q3-application --date 2026-12-20 --document \"辽工信企业〔2026〕88号\""
)]
pub(super) struct AnnounceArgs {
    /// 名单编号，例如 2026-q3-application
    #[arg(value_name = "名单编号")]
    pub id: String,
    /// 公告日期，例如 2026-12-20
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub date: NaiveDate,
    /// 公告文号，例如 辽工信企业〔2026〕88号
    #[arg(long, value_name = "文号")]
    pub document: Option<String>,
    /// 有效期起始日（默认：公告日期）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub valid_from: Option<NaiveDate>,
    /// 有效期截止日（默认：三年）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub valid_until: Option<NaiveDate>,
    /// 公示期还没有结束时也公告，或更改已有的公告信息
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub today: TodayArgs,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
#[command(after_help = "例如：
  gazette list withdraw 2026-q3-application 91210211MABXKFLJ29 --reason \"经核实不符合条件（异议成立）\"")]
pub(super) struct WithdrawArgs {
    /// 名单编号
    #[arg(value_name = "名单编号")]
    pub id: String,
    /// 企业的统一社会信用代码
    #[arg(value_name = "信用代码")]
    pub code: String,
    /// 撤回原因，显示在公示页面上
    #[arg(long, value_name = "原因")]
    pub reason: String,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
pub(super) struct RestoreArgs {
    /// 名单编号
    #[arg(value_name = "名单编号")]
    pub id: String,
    /// 企业的统一社会信用代码
    #[arg(value_name = "信用代码")]
    pub code: String,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
pub(super) struct ShowArgs {
    /// 只显示这份名单（名单编号）
    #[arg(value_name = "名单编号")]
    pub id: Option<String>,
    #[command(flatten)]
    pub today: TodayArgs,
    #[command(flatten)]
    pub root: RootArgs,
}

pub(super) fn run(c: ListCommand) -> Exit {
    let (root, id, change) = match c {
        ListCommand::Show(a) => return show(a),
        ListCommand::Publish(a) => (
            a.root.root,
            a.id,
            Change::Publish {
                period: a.period.spec(),
                force: a.force,
            },
        ),
        ListCommand::Announce(a) => (
            a.root.root,
            a.id,
            Change::Announce {
                date: a.date,
                document: a.document,
                valid_from: a.valid_from,
                valid_until: a.valid_until,
                today: a.today.date(),
                force: a.force,
            },
        ),
        ListCommand::Withdraw(a) => (
            a.root.root,
            a.id,
            Change::Withdraw {
                code: a.code,
                reason: a.reason,
            },
        ),
        ListCommand::Restore(a) => (a.root.root, a.id, Change::Restore { code: a.code }),
    };
    match gazette::edit::list::change(&root, &id, &change, &waiting_for_data) {
        Ok(e) => {
            eprintln!("{}：{} (done)", e.title, done_zh(&e.done));
            eprintln!(
                "已写入 {}；运行 gazette check 或 gazette serve 查看结果",
                shown(&e.file)
            );
            Exit::Success
        }
        Err(d) => stopped(&d, "名单没有改动 (nothing was written)"),
    }
}

/// What a change did, as the clerk reads it (the terminal and the console alike).
pub(crate) fn done_zh(done: &gazette::edit::list::Done) -> String {
    use gazette::domain::datefmt::{zh_date, zh_period};
    use gazette::edit::list::Done;
    match done {
        Done::Published { start, end, length } => match length {
            Some(l) => format!("开始公示：公示期{}（{l}）", zh_period(*start, *end)),
            None => format!("开始公示：公示期{}", zh_period(*start, *end)),
        },
        Done::Announced {
            date,
            shown,
            withdrawn: 0,
        } => format!("{}公告：{shown}家企业", zh_date(*date)),
        Done::Announced {
            date,
            shown,
            withdrawn,
        } => format!(
            "{}公告：{shown}家企业（{withdrawn}家已撤回，不在公告名单中）",
            zh_date(*date)
        ),
        Done::Withdrawn { name, reason } => format!("已撤回{name}（原因：{reason}）"),
        Done::Restored { name } => format!("已恢复{name}（撤销撤回）"),
    }
}

/// `gazette lists` and `gazette list show`.
pub(super) fn show(a: ShowArgs) -> Exit {
    let mut diags = gazette::diag::Diagnostics::new();
    let Some(site) = gazette::validate::load_site_data(&a.root.root, &mut diags) else {
        return stopped(
            &diags,
            "请先改正上面数据文件中的问题 (fix the data files first)",
        );
    };
    let today = a.today.date();
    let entries = match &a.id {
        Some(id) => match gazette::lists::find(&a.root.root, id, &site) {
            Ok(e) => vec![e],
            Err(d) => return stopped(&d, ""),
        },
        None => gazette::lists::read_all(&a.root.root, &site, &mut diags),
    };
    let statuses = gazette::lists::statuses(&entries, &site, today);
    report(&diags, "");
    if statuses.is_empty() {
        eprintln!(
            "data/lists/ 中还没有名单：用 gazette import 或 gazette new list 建立 (no lists yet)"
        );
        return Exit::Success;
    }
    println!(
        "截至{}（北京时间）的名单 (lists as of {}):",
        gazette::domain::datefmt::zh_date(today),
        today
    );
    let header = ["编号", "阶段", "企业数", "公示期", "状态", "标记"];
    let rows: Vec<[String; 6]> = statuses
        .iter()
        .map(|s| {
            [
                s.id.clone(),
                s.stage.to_string(),
                count_text(s),
                s.period.clone(),
                s.state.clone(),
                marks(s).join("、"),
            ]
        })
        .collect();
    print_table(&header, &rows);
    if a.id.is_some() {
        for (s, e) in statuses.iter().zip(&entries) {
            println!("\n{}\n文件：{}", s.title, shown(&s.file));
            if let Some(list) = &e.list {
                for w in list.enterprises.iter().filter(|x| x.withdrawn.is_some()) {
                    println!(
                        "已撤回：{}（{}）原因：{}",
                        w.name,
                        w.credit_code,
                        w.withdrawn.as_deref().unwrap_or("")
                    );
                }
            }
            report(&e.problems, "");
        }
    }
    if statuses.iter().any(|s| s.sample) {
        println!("\n标有“示例数据”的名单是演示用的虚构企业：正式发布前请删除这些文件。");
    }
    if statuses.iter().any(|s| s.draft) {
        println!(
            "草稿不会被 gazette build 发布：导入齐全后用 gazette list publish <编号> 开始公示。"
        );
    }
    Exit::Success
}

/// A list's enterprises in words: "12" or "12（撤回1）" (the terminal's and the
/// console's list tables).
pub(crate) fn count_text(s: &gazette::lists::Status) -> String {
    if s.withdrawn > 0 {
        format!("{}（撤回{}）", s.enterprises, s.withdrawn)
    } else {
        s.enterprises.to_string()
    }
}

/// What a list is marked with besides its stage: 草稿, 示例数据.
pub(crate) fn marks(s: &gazette::lists::Status) -> Vec<&'static str> {
    let mut marks = Vec::new();
    if s.draft {
        marks.push("草稿");
    }
    if s.sample {
        marks.push("示例数据");
    }
    marks
}

/// A plain table aligned by display width (Chinese characters are two columns wide).
fn print_table(header: &[&str; 6], rows: &[[String; 6]]) {
    let mut widths = header.map(UnicodeWidthStr::width);
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            out.push_str(c);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(w - c.width() + 2));
            }
        }
        println!("{}", out.trim_end());
    };
    line(header.to_vec());
    line(
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
}

#[cfg(test)]
mod tests {
    use super::done_zh;
    use chrono::NaiveDate;
    use gazette::edit::list::Done;

    #[test]
    fn each_change_is_worded_for_the_clerk() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let cases = [
            (
                Done::Published {
                    start: d(12, 1),
                    end: d(12, 7),
                    length: Some("5个工作日".into()),
                },
                "开始公示：公示期2026年12月1日至12月7日（5个工作日）",
            ),
            (
                Done::Published {
                    start: d(12, 1),
                    end: d(12, 7),
                    length: None,
                },
                "开始公示：公示期2026年12月1日至12月7日",
            ),
            (
                Done::Announced {
                    date: d(12, 20),
                    shown: 29,
                    withdrawn: 0,
                },
                "2026年12月20日公告：29家企业",
            ),
            (
                Done::Announced {
                    date: d(12, 20),
                    shown: 29,
                    withdrawn: 1,
                },
                "2026年12月20日公告：29家企业（1家已撤回，不在公告名单中）",
            ),
            (
                Done::Withdrawn {
                    name: "甲公司".into(),
                    reason: "异议成立".into(),
                },
                "已撤回甲公司（原因：异议成立）",
            ),
            (
                Done::Restored {
                    name: "甲公司".into(),
                },
                "已恢复甲公司（撤销撤回）",
            ),
        ];
        for (done, want) in cases {
            assert_eq!(done_zh(&done), want);
        }
    }
}
