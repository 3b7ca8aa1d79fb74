//! `gazette synth` (hidden): a seeded synthetic site for tests and benchmarks.

mod generate;
// Shared with the library's unit tests and the testsuite (see the file).
#[path = "../../rng.rs"]
mod rng;

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::prelude::*;

use generate::{generate, SynthOptions};

#[derive(Args, Debug)]
pub(super) struct SynthArgs {
    /// 在这个文件夹中生成合成网站
    #[arg(long, value_name = "文件夹")]
    pub out: PathBuf,
    /// 企业（名单行）总数
    #[arg(long, value_name = "数量")]
    pub enterprises: usize,
    /// 随机种子：同一种子生成完全相同的文件
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// 从这个网站复制 content/、themes/ 和 data/
    #[arg(long, value_name = "文件夹", default_value = ".")]
    pub from: PathBuf,
    /// 写入非空文件夹（替换其中的 data/lists/*.toml）
    #[arg(long)]
    pub force: bool,
}

pub(super) fn run(a: SynthArgs) -> Exit {
    let started = Instant::now();
    let opts = SynthOptions {
        out: a.out,
        enterprises: a.enterprises,
        seed: a.seed,
        from: a.from,
        force: a.force,
    };
    match generate(&opts) {
        Ok(r) => {
            eprintln!(
                "已生成 {} 家企业、{} 份名单到 {}，用时 {:.2} 秒（种子 {}）(wrote a synthetic site)",
                r.rows,
                r.lists,
                shown(&opts.out),
                started.elapsed().as_secs_f64(),
                opts.seed
            );
            Exit::Success
        }
        Err(e) => {
            eprintln!("错误：{e}");
            Exit::Input
        }
    }
}
