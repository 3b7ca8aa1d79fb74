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
            eprintln!("{}：{} (done)", e.title, e.done);
            eprintln!(
                "已写入 {}；运行 gazette check 或 gazette serve 查看结果",
                shown(&e.file)
            );
            Exit::Success
        }
        Err(d) => stopped(&d, "名单没有改动 (nothing was written)"),
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
            let mut marks = Vec::new();
            if s.draft {
                marks.push("草稿");
            }
            if s.sample {
                marks.push("示例数据");
            }
            let count = if s.withdrawn > 0 {
                format!("{}（撤回{}）", s.enterprises, s.withdrawn)
            } else {
                s.enterprises.to_string()
            };
            [
                s.id.clone(),
                s.stage.to_string(),
                count,
                s.period.clone(),
                s.state.clone(),
                marks.join("、"),
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
