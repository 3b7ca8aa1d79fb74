//! `gazette check`.

use clap::Args;

use gazette::build::LoadOptions;

use super::prelude::*;

#[derive(Args, Debug)]
#[command(
    after_help = "检查的内容与 gazette build 相同（也检查草稿名单），但不写任何文件；\n有错误时退出状态为 1。"
)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    pub root: RootArgs,
    #[command(flatten)]
    pub today: TodayArgs,
}

pub(super) fn run(a: CheckArgs) -> Exit {
    let diags = gazette::build::check(&LoadOptions {
        root: a.root.root.clone(),
        today: a.today.date(),
        base_url: None,
        include_drafts: true,
    });
    if diags.has_errors() {
        stopped(
            &diags,
            "请改正上面的问题，然后再运行 gazette check (fix the problems above)",
        )
    } else {
        report(&diags, "");
        eprintln!(
            "检查完毕，没有发现错误：{} (ok: no errors)",
            shown(&a.root.root)
        );
        Exit::Success
    }
}
