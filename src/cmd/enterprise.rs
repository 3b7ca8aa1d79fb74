//! `gazette enterprise …` (rename, revoke, show): the enterprise directory's records,
//! `data/changes/<year>.toml`, written for the clerk, and one enterprise as the directory
//! knows it.

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use gazette::domain::datefmt::zh_date;
use gazette::domain::honour::Status;
use gazette::edit::changes::{Change, Shown};

use super::prelude::*;

#[derive(Subcommand, Debug)]
pub(super) enum EnterpriseCommand {
    /// 记录企业更名（简单更名：信用代码和称号不变），写入 data/changes/<年份>.toml
    Rename(RenameArgs),
    /// 记录撤销称号（自撤销日期起），写入 data/changes/<年份>.toml
    Revoke(RevokeArgs),
    /// 显示一家企业：现用名称、曾用名、所属区县、各项目的称号状态、历次名单和撤销记录
    Show(ShowArgs),
}

#[derive(Args, Debug)]
#[command(
    after_help = "原名称默认是企业在更名日期时的名称（名单中的名称，或上一次更名后的名称）。
记录写入更名日期所在年份的 data/changes/<年份>.toml；文件不存在时新建。
核准更名的文件有文号时加上，例如 --document \"大市监〔2026〕123号\"。

例如：
  gazette enterprise rename 91210211MABXKFLJ29 --to \"大连某某科技股份有限公司\" --date 2026-04-20
  gazette enterprise rename 91210211MABXKFLJ29 --to \"大连某某股份公司\" --date 2026年4月20日"
)]
pub(super) struct RenameArgs {
    /// 企业的统一社会信用代码
    #[arg(value_name = "信用代码")]
    pub code: String,
    /// 更名后的名称
    #[arg(long, value_name = "新名称")]
    pub to: String,
    /// 更名日期（核准更名的日期），例如 2026-04-20 或 2026年4月20日
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub date: NaiveDate,
    /// 更名前的名称（默认：企业在更名日期时的名称）
    #[arg(long, value_name = "原名称")]
    pub from: Option<String>,
    /// 核准更名的文件的文号
    #[arg(long, value_name = "文号")]
    pub document: Option<String>,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
#[command(
    after_help = "只有公告名单中的企业有称号可以撤销；公示中的企业要撤下时用 gazette list withdraw。
网站有多个项目、企业有不止一个项目的称号时，用 --programme 写明撤销哪一个。
撤销文件的文号写在 --document 后面，例如 --document \"辽工信企业〔2026〕99号\"。

例如：
  gazette enterprise revoke 91210211MABXKFLJ29 --date 2026-09-01 --reason \"存在弄虚作假行为\""
)]
pub(super) struct RevokeArgs {
    /// 企业的统一社会信用代码
    #[arg(value_name = "信用代码")]
    pub code: String,
    /// 撤销日期（撤销文件的日期），例如 2026-09-01 或 2026年9月1日
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub date: NaiveDate,
    /// 撤销原因，显示在企业页面上
    #[arg(long, value_name = "原因")]
    pub reason: String,
    /// 撤销哪个项目的称号（项目编号，例如 innovative；默认：企业有称号的那个项目）
    #[arg(long, value_name = "项目")]
    pub programme: Option<String>,
    /// 撤销文件的文号
    #[arg(long, value_name = "文号")]
    pub document: Option<String>,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
#[command(
    after_help = "名称可以是现用名称或曾用名：先找完全相同的名称，没有时找含有这几个字的名称。

例如：
  gazette enterprise show 91210211MABXKFLJ29
  gazette enterprise show 大连某某科技
  gazette enterprise show 91210211MABXKFLJ29 --today 2027-01-01"
)]
pub(super) struct ShowArgs {
    /// 统一社会信用代码，或企业名称（现用名称或曾用名，可以只写一部分）
    #[arg(value_name = "信用代码或名称")]
    pub query: String,
    #[command(flatten)]
    pub today: TodayArgs,
    #[command(flatten)]
    pub root: RootArgs,
}

pub(super) fn run(c: EnterpriseCommand) -> Exit {
    let (root, change) = match c {
        EnterpriseCommand::Show(a) => return show(a),
        EnterpriseCommand::Rename(a) => (
            a.root.root,
            Change::Rename {
                code: a.code,
                to: a.to,
                date: a.date,
                from: a.from,
                document: a.document,
            },
        ),
        EnterpriseCommand::Revoke(a) => (
            a.root.root,
            Change::Revoke {
                code: a.code,
                date: a.date,
                reason: a.reason,
                programme: a.programme,
                document: a.document,
            },
        ),
    };
    match gazette::edit::changes::record(&root, &change, &waiting_for_data) {
        Ok(r) => {
            eprintln!(
                "{}（{}）：{} (recorded)",
                r.name,
                r.credit_code,
                done_zh(&r.done)
            );
            eprintln!(
                "已写入 {}{}；运行 gazette check 或 gazette serve 查看企业页面",
                shown(&r.file),
                if r.created { "（新建）" } else { "" }
            );
            Exit::Success
        }
        Err(d) => stopped(&d, "没有写入任何记录 (nothing was written)"),
    }
}

/// What a record says, as the clerk reads it (the terminal and the console alike).
pub(crate) fn done_zh(done: &gazette::edit::changes::Done) -> String {
    use gazette::edit::changes::Done;
    match done {
        Done::Renamed { date, from, to } => format!("{}起“{from}”更名为“{to}”", zh_date(*date)),
        Done::Revoked {
            date,
            programme,
            reason,
        } => format!("{}起撤销{programme}称号（原因：{reason}）", zh_date(*date)),
    }
}

/// The status as a clerk reads it (the site's pages say the same in the theme's words).
fn status_zh(s: Status) -> String {
    match s {
        Status::Publicity { end, ended: false } => format!("公示中（公示期到{}）", zh_date(end)),
        Status::Publicity { ended: true, .. } => "公示期满，待公告".to_string(),
        Status::Valid { until: None } => "有效".to_string(),
        Status::Valid { until: Some(u) } => format!("有效（至{}）", zh_date(u)),
        Status::Expiring { until } => {
            format!(
                "即将到期（至{}）：到期前要按当年的通知申请复核",
                zh_date(until)
            )
        }
        Status::Lapsed { until } => format!("已失效（{}到期）", zh_date(until)),
        Status::Revoked { date } => format!("已撤销（{}起）", zh_date(date)),
        Status::None => "未获得称号（已撤回）".to_string(),
    }
}

fn show(a: ShowArgs) -> Exit {
    let today = a.today.date();
    match gazette::edit::changes::show(&a.root.root, &a.query, today) {
        Ok(s) => {
            print_shown(&s);
            Exit::Success
        }
        Err(d) => stopped(&d, ""),
    }
}

fn print_shown(s: &Shown) {
    println!("{}", s.name);
    if let Some(f) = &s.found_by_former_name {
        println!("（按曾用名“{f}”找到）");
    }
    println!("统一社会信用代码：{}", s.credit_code);
    for (name, renamed) in &s.former_names {
        match renamed {
            Some(d) => println!("曾用名：{name}（{}更名）", zh_date(*d)),
            None => println!("曾用名：{name}"),
        }
    }
    println!("所属区县：{}", s.district);
    if s.sample {
        println!("示例数据：这家企业出现在示例名单中，名称和代码均为虚构");
    }
    for p in &s.programmes {
        println!();
        println!("{}", p.name);
        println!(
            "  称号状态（截至{}，北京时间）：{}",
            zh_date(s.today),
            status_zh(p.status)
        );
        if let Some(g) = p.grant {
            let until = g
                .until
                .map(|u| format!("至{}", zh_date(u)))
                .unwrap_or_else(|| "起，长期有效".to_string());
            println!(
                "  有效期：{}{until}（{}公告）",
                zh_date(g.from),
                zh_date(g.announced)
            );
        }
        println!("  历次名单（从早到晚）：");
        for l in &p.lists {
            let mut line = format!(
                "    {}（{}）  {}  {}  序号{}",
                l.title,
                l.id,
                l.stage,
                l.date.map(zh_date).unwrap_or_default(),
                l.n
            );
            if l.name != s.name {
                line.push_str(&format!("  名单上的名称：{}", l.name));
            }
            if let Some(w) = &l.withdrawn {
                line.push_str(&format!("  已撤回，原因：{w}"));
            }
            if l.sample {
                line.push_str("  [示例数据]");
            }
            println!("{line}");
        }
        for r in &p.revocations {
            let document = r
                .document
                .as_deref()
                .map(|d| format!("，{d}"))
                .unwrap_or_default();
            println!(
                "  撤销：{}起{document}。原因：{}",
                zh_date(r.date),
                r.reason
            );
        }
    }
    if !s.renames.is_empty() {
        println!();
        println!("更名：");
        for r in &s.renames {
            let document = r
                .document
                .as_deref()
                .map(|d| format!("（{d}）"))
                .unwrap_or_default();
            println!(
                "  {}：“{}”更名为“{}”{document}",
                zh_date(r.date),
                r.from,
                r.to
            );
        }
    }
}
