//! `gazette build`.

use std::path::PathBuf;

use clap::Args;

use gazette::build::{BuildError, BuildOptions, LoadOptions};
use gazette::render::Skip;

use super::prelude::*;

#[derive(Args, Debug)]
#[command(after_help = "例如：
  gazette build                         生成到 ./public
  gazette build --today 2026-04-22      按 2026年4月22日 计算公示状态（可重复生成）
  gazette build --out /srv/www/site     生成到另一个文件夹")]
pub(super) struct BuildArgs {
    #[command(flatten)]
    pub root: RootArgs,
    #[command(flatten)]
    pub today: TodayArgs,
    /// 输出文件夹（默认：网站文件夹下的 public）
    #[arg(long, value_name = "文件夹")]
    pub out: Option<PathBuf>,
    /// 跳过的部分，用逗号分隔：search（查询索引）、downloads（下载文件）、feeds（订阅和日历）
    #[arg(long, value_name = "部分", value_delimiter = ',', value_parser = ["search", "downloads", "feeds"])]
    pub skip: Vec<String>,
    /// 用这个网址代替 data/site.toml 中的 base_url（例如预览放在子目录下的网站）
    #[arg(long, value_name = "网址")]
    pub base_url: Option<String>,
    /// 不保留被替换的旧网站（默认保留一份，位于输出文件夹旁的 .<名称>.prev）
    #[arg(long)]
    pub no_keep_previous: bool,
}

pub(super) fn run(a: BuildArgs) -> Exit {
    let out = a.out.clone().unwrap_or_else(|| a.root.root.join("public"));
    let opts = BuildOptions {
        load: LoadOptions {
            root: a.root.root.clone(),
            today: a.today.date(),
            base_url: a.base_url.clone(),
            include_drafts: false,
        },
        out,
        skip: Skip {
            search: a.skip.iter().any(|s| s == "search"),
            downloads: a.skip.iter().any(|s| s == "downloads"),
            feeds: a.skip.iter().any(|s| s == "feeds"),
            as_complete: false,
        },
        keep_previous: !a.no_keep_previous,
    };
    let on_wait = || {
        eprintln!(
            "另一个 gazette build 正在写入 {}（或 gazette deploy 正在发布它），等待它完成…… (waiting for another build or deploy)",
            shown(&opts.out)
        )
    };
    match gazette::build::build(&opts, &on_wait) {
        Ok(r) => {
            report(&r.warnings, "");
            eprintln!(
                "已生成 {} 个页面（{} 份名单，{} 家企业）到 {}，用时 {:.2} 秒 (built)",
                r.pages,
                r.lists,
                r.enterprises,
                shown(&r.out),
                r.seconds
            );
            Exit::Success
        }
        Err(BuildError::Input(d)) => stopped(
            &d,
            "没有生成网站；已发布的网站没有改动 (nothing was built; the published site is unchanged)",
        ),
        Err(BuildError::Output(e)) => {
            eprintln!("错误：{e}");
            eprintln!("没有生成网站；已发布的网站没有改动 (nothing was built)");
            Exit::Output
        }
    }
}
