//! `gazette theme export`: writes the built-in theme out, for a site that wants to change
//! its look (mdBook's `init --theme`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use gazette::diag::{Diagnostic, Diagnostics};
use gazette::theme::builtin::{self, ExportError};

use super::prelude::*;

#[derive(Subcommand, Debug)]
pub(super) enum ThemeCommand {
    /// 把 Gazette 自带的主题（模板、样式、脚本、theme.toml 的用词）写到网站的 themes/default/，以便修改
    Export(ExportArgs),
}

#[derive(Args, Debug)]
#[command(after_help = "网站不需要 themes/ 文件夹：Gazette 自带默认主题。
themes/default/ 里的文件逐个替换自带主题的同名文件，没有的文件仍用自带的版本；
所以导出后，可以只保留要修改的文件，其余的删掉。")]
pub(super) struct ExportArgs {
    #[command(flatten)]
    pub root: RootArgs,
    /// 写到这个文件夹（默认：网站文件夹下的 themes/default）；文件夹必须不存在或为空
    #[arg(long, value_name = "文件夹")]
    pub out: Option<PathBuf>,
}

pub(super) fn run(c: ThemeCommand) -> Exit {
    match c {
        ThemeCommand::Export(a) => export(a),
    }
}

fn export(a: ExportArgs) -> Exit {
    let out = a.out.unwrap_or_else(|| {
        a.root
            .root
            .join("themes")
            .join(gazette::theme::builtin::NAME)
    });
    let refusal = match builtin::export(&out) {
        Ok(written) => {
            eprintln!(
                "已把 Gazette 自带的主题写到 {}（{} 个文件）(theme exported)",
                shown(&out),
                written.len()
            );
            eprintln!(
                "修改其中的文件即可改变网站的样子；没有改动的文件可以删掉，删掉后用自带的版本。"
            );
            return Exit::Success;
        }
        Err(ExportError::NotEmpty(dir)) => Diagnostic::general(format!(
            "{} 已经有文件，不能把主题导出到这里 (folder not empty)",
            shown(&dir)
        ))
        .code("theme-export")
        .help("换一个文件夹：gazette theme export --out <文件夹>；或者先把这个文件夹改名或移走"),
        Err(ExportError::Io(file, e)) => {
            Diagnostic::general(format!("无法写入 {}：{e} (cannot write)", shown(&file)))
                .code(gazette::diag::CANNOT_WRITE)
                .help("检查磁盘空间和文件夹的写入权限，然后再运行一次")
                .output()
        }
    };
    let mut diags = Diagnostics::new();
    diags.push(refusal);
    stopped(&diags, "")
}
