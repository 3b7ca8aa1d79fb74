//! `gazette new list`, `gazette new calendar` and `gazette new notice`.

use clap::{Args, Subcommand};

use super::import::{BatchArgs, PeriodArgs};
use super::prelude::*;

#[derive(Subcommand, Debug)]
pub(super) enum NewCommand {
    /// 新建一份名单（草稿）：写明批次，可以同时写公示期
    List(NewListArgs),
    /// 新建某一年的节假日安排表，按国务院办公厅的通知填写
    Calendar(NewCalendarArgs),
    /// 照上一年的通知新建某一年的通知（草稿）：正文、关键日期和条件
    Notice(NewNoticeArgs),
}

#[derive(Args, Debug)]
#[command(
    after_help = "照该项目最近一年的通知，生成 content/notices/<项目>/<年份>/ 中的页面（草稿）和
data/notices/<项目>/<年份>/ 中的关键日期（日期顺延到新的年份）和条件。
把正文换成新通知的全文、核对每个日期和条件后，删除页面中的 draft = true，再运行 gazette check。

例如：
  gazette new notice --year 2027
  gazette new notice --programme specialised --year 2027"
)]
pub(super) struct NewNoticeArgs {
    /// 项目的编号（data/programmes/ 下的文件名）；不写时为网站的默认项目
    #[arg(long, value_name = "项目")]
    pub programme: Option<String>,
    /// 新通知的年份，例如 2027
    #[arg(long, value_name = "年份")]
    pub year: i32,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
#[command(
    after_help = "名单先作为草稿建立；用 gazette import … --append 把各区县的表格导入，
然后 gazette list publish <编号> 开始公示。

例如：
  gazette new list --year 2026 --batch 4 --kind <种类> --start 2026-12-01 --working-days 5"
)]
pub(super) struct NewListArgs {
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// 用空白的新名单替换已有的名单文件（原有的企业会丢失）
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
#[command(
    after_help = "生成 data/calendar/<年份>.toml：每个法定节假日一段，照通知填写放假日期和调休上班日。
填好之前 gazette check 会报错，不会用不完整的日历计算工作日。

例如：
  gazette new calendar 2027"
)]
pub(super) struct NewCalendarArgs {
    /// 年份，例如 2027
    #[arg(value_name = "年份")]
    pub year: i32,
    /// 替换已有的文件（已填的日期会丢失）
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub root: RootArgs,
}

pub(super) fn run(c: NewCommand) -> Exit {
    match c {
        NewCommand::List(a) => {
            let spec = a.period.spec();
            match gazette::edit::list::create(
                &a.root.root,
                &a.batch.to_ref(),
                spec.as_ref(),
                a.force,
                &waiting_for_data,
            ) {
                Ok(created) => {
                    eprintln!(
                        "已新建 {}（草稿）(created a draft list)",
                        shown(&created.file)
                    );
                    if let Some(p) = created.period {
                        eprintln!(
                            "公示期：{}（{}），截止 {}",
                            gazette::domain::datefmt::zh_period(p.start, p.end),
                            p.length_zh(),
                            gazette::domain::datefmt::zh_date(p.end)
                        );
                    }
                    let programme = a
                        .batch
                        .programme
                        .as_ref()
                        .map(|p| format!(" --programme {p}"))
                        .unwrap_or_default();
                    eprintln!(
                        "下一步：gazette import 表格.xlsx{programme} --year {} --batch {} --kind {} --append，导入齐全后 gazette list publish {}",
                        a.batch.year, a.batch.batch, a.batch.kind, created.id
                    );
                    Exit::Success
                }
                Err(d) => stopped(&d, "没有创建文件 (nothing was written)"),
            }
        }
        NewCommand::Notice(a) => {
            match gazette::edit::notice::create(
                &a.root.root,
                a.programme.as_deref(),
                a.year,
                &waiting_for_data,
            ) {
                Ok(c) => {
                    eprintln!(
                        "已照 {} 年的通知新建 {} 年的通知（草稿）(created a draft notice)：",
                        c.from_year, a.year
                    );
                    for f in &c.files {
                        eprintln!("  {}", shown(f));
                    }
                    eprintln!("下一步：把正文换成 {} 年通知的全文，填写发布日期（date），核对关键日期和条件；", a.year);
                    eprintln!(
                        "然后删除页面中的 draft = true，运行 gazette check，再 gazette serve 预览"
                    );
                    Exit::Success
                }
                Err(d) => stopped(&d, "没有创建文件 (nothing was written)"),
            }
        }
        NewCommand::Calendar(a) => {
            match gazette::edit::calendar::create(&a.root.root, a.year, a.force, &waiting_for_data)
            {
                Ok(rel) => {
                    eprintln!("已新建 {}：照国务院办公厅的通知填写每个节日的放假日期和调休上班日 (created)", shown(&rel));
                    eprintln!("填好后运行 gazette check 确认");
                    Exit::Success
                }
                Err(d) => stopped(&d, "没有创建文件 (nothing was written)"),
            }
        }
    }
}
