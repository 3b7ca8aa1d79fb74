//! `gazette import`: arguments, and the report a clerk reads.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use gazette::import::{ImportOptions, ImportReport};
use gazette::lists::write::{Length, PeriodSpec};

use super::prelude::*;

/// The batch a list belongs to.
#[derive(Args, Debug, Clone)]
pub(super) struct BatchArgs {
    /// 项目的编号（data/programmes/ 下的文件名）；网站只有一个项目时不用写
    #[arg(long, value_name = "项目")]
    pub programme: Option<String>,
    /// 批次所属的年份，例如 2026
    #[arg(long, value_name = "年份")]
    pub year: i32,
    /// 第几批：季度写 1–4，半年写 1–2，按月写 1–12，按批次写批次号
    #[arg(long, value_name = "批次", alias = "quarter", value_parser = clap::value_parser!(u32).range(1..=99))]
    pub batch: u32,
    /// 名单种类：项目文件（data/programmes/）中 [[kind]] 的 name 或 id
    #[arg(long, value_name = "种类")]
    pub kind: String,
}

impl BatchArgs {
    pub(super) fn to_ref(&self) -> gazette::validate::BatchRef {
        gazette::validate::BatchRef {
            programme: self.programme.clone(),
            year: self.year,
            batch: self.batch,
            kind: self.kind.clone(),
        }
    }
}

/// A publicity period on the command line: a first day and one way to say its length.
#[derive(Args, Debug, Clone, Default)]
pub(super) struct PeriodArgs {
    /// 公示开始日期，例如 2026-09-24（不写天数时按项目文件 [publicity] 中的公示期）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
    /// 公示天数，按工作日计算（节假日和调休按 data/calendar/<年份>.toml）
    #[arg(long, value_name = "天数", group = "length", requires = "start")]
    pub working_days: Option<u32>,
    /// 公示天数，按自然日计算（开始当天算第1天）
    #[arg(long, value_name = "天数", group = "length", requires = "start")]
    pub calendar_days: Option<u32>,
    /// 公示截止日期（代替天数）
    #[arg(long, value_name = "日期", value_parser = parse_date, group = "length", requires = "start")]
    pub end: Option<NaiveDate>,
}

impl PeriodArgs {
    pub(super) fn spec(&self) -> Option<PeriodSpec> {
        let length = match (self.working_days, self.calendar_days, self.end) {
            (Some(n), _, _) => Some(Length::WorkingDays(n)),
            (_, Some(n), _) => Some(Length::CalendarDays(n)),
            (_, _, Some(d)) => Some(Length::EndsOn(d)),
            _ => None,
        };
        Some(PeriodSpec {
            start: self.start?,
            length,
        })
    }
}

#[derive(Args, Debug)]
#[command(
    after_help = "一次写几个文件时，全部检查通过才一起写入；任何一个有问题，就什么也不写。
表格中的合计行、填表人等签名行和“注：”说明行会被识别并跳过（导入后列出）；
“备注”列不导入，非空的备注会列出来供您阅读。

例如：
  gazette import 中山区.xlsx --year 2026 --batch 3 --kind <种类> --start 2026-09-24 --working-days 5
  gazette import 西岗区.xlsx 沙河口区.csv --year 2026 --batch 3 --kind <种类> --append
  gazette import 汇总.csv --year 2026 --batch 3 --kind <种类>        （不写日期：作为草稿写入）"
)]
pub(super) struct ImportArgs {
    /// 区县报来的表格：.xlsx、.xls、.ods 或 .csv（UTF-8 或 GB18030）；可以写几个
    #[arg(value_name = "表格文件", required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub batch: BatchArgs,
    /// 要读取的工作表（工作簿中有几张名单时）
    #[arg(long, value_name = "名称")]
    pub sheet: Option<String>,
    /// 所属区县为空的行（或没有这一列的表）所属的区县
    #[arg(long, value_name = "区县")]
    pub district: Option<String>,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// 替换已有的名单文件（其中原有的企业、日期和手工修改都会丢失）
    #[arg(long, conflicts_with = "append")]
    pub force: bool,
    /// 把企业追加到已有的名单文件中（已有的相同企业会跳过）
    #[arg(long, conflicts_with_all = ["start", "working_days", "calendar_days", "end"])]
    pub append: bool,
    #[command(flatten)]
    pub root: RootArgs,
}

pub(super) fn run(a: ImportArgs) -> Exit {
    let opts = ImportOptions {
        root: a.root.root.clone(),
        files: a.files.clone(),
        batch: a.batch.to_ref(),
        sheet: a.sheet.clone(),
        district: a.district.clone(),
        period: a.period.spec(),
        append: a.append,
        force: a.force,
    };
    match gazette::import::import(&opts, &waiting_for_data) {
        Ok(r) => {
            print_report(&r);
            Exit::Success
        }
        Err(f) => stopped(&f.diags, closing(f.stop)),
    }
}

/// The line under a refused import's problems: what to do first.
pub(super) fn closing(stop: gazette::import::Stop) -> &'static str {
    use gazette::import::Stop;
    match stop {
        Stop::Refused => "导入已取消，没有写入任何文件 (import cancelled: nothing was written)",
        Stop::DataFiles => {
            "请先改正上面数据文件中的问题，再导入 (fix the data files above, then import again)"
        }
        Stop::ExistingList => {
            "请先改正已有的名单文件（gazette check 会列出同样的问题），再追加 (fix the existing list first)"
        }
    }
}

fn print_report(r: &ImportReport) {
    report(&r.warnings, "");
    let file = shown(&r.list_file);
    if r.written.is_empty() {
        eprintln!(
            "没有新的企业：{} 行已在 {file} 中且数据相同，已跳过；文件没有改动 (nothing new)",
            r.same
        );
    } else {
        let verb = if r.appended { "追加到" } else { "写入" };
        eprintln!(
            "已{verb} {file}：{} 家企业（{}）(wrote {} enterprises)",
            r.written.len(),
            r.by_district,
            r.written.len()
        );
        if r.same > 0 {
            eprintln!(
                "跳过 {} 行：已在名单中且数据相同 (identical rows skipped)",
                r.same
            );
        }
    }
    for s in &r.sources {
        let many = r.sources.len() > 1;
        let prefix = if many {
            format!("{}：", s.label)
        } else {
            String::new()
        };
        if !s.skipped_summary.is_empty() {
            eprintln!("{prefix}跳过合计、签名和说明行 (skipped totals and signature rows)：");
            for (row, text) in &s.skipped_summary {
                eprintln!("  第{row}行：{text}");
            }
        }
        if !s.skipped_empty.is_empty() {
            eprintln!(
                "{prefix}跳过 {} 行既没有企业名称也没有信用代码的行：{} (skipped rows without name and code)",
                s.skipped_empty.len(),
                gazette::import::numbers(&s.skipped_empty)
            );
        }
        if !s.ignored_columns.is_empty() {
            eprintln!(
                "{prefix}没有导入的列 (columns not imported)：{}",
                s.ignored_columns.join("、")
            );
        }
        if !s.remarks.is_empty() {
            eprintln!("{prefix}请阅读表格中的备注（备注不导入）(remarks to read)：");
            for (row, text) in &s.remarks {
                eprintln!("  第{row}行：{text}");
            }
        }
    }
    if r.written.is_empty() {
        return;
    }
    let id = &r.id;
    match (&r.period, r.appended) {
        (Some(p), _) => eprintln!(
            "公示期：{}（{}）(publicity period)",
            gazette::domain::datefmt::zh_period(p.start, p.end),
            p.length_zh()
        ),
        (None, false) => eprintln!(
            "这是草稿：还没有公示日期，gazette build 不会发布它。定下日期后运行：gazette list publish {id} --start 日期 --working-days 天数 (a draft)"
        ),
        (None, true) => {}
    }
    eprintln!("下一步：gazette check，然后 gazette serve 预览 (next: check, then preview)");
}
