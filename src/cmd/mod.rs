//! The command layer: command-line arguments (clap), what a clerk reads on the terminal,
//! exit codes, and `serve`'s HTTP server and watcher. Each command is a file that parses
//! its arguments, calls the library and prints; the library never prints or exits.
//!
//! Every word the terminal shows is Chinese first: clap's own headings, help flags and
//! usage errors are replaced here (`localize`, `usage_error`).

mod build;
mod check;
mod console;
mod deploy;
mod enterprise;
mod import;
mod init;
mod list;
mod new;
mod prelude;
mod serve;
mod synth;
mod theme;

use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};

use prelude::Exit;

/// `gazette --version`: the version, the commit it was built from and its target (written
/// by the build script, `build.rs`), so a report of a problem names the exact binary.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "（提交 ",
    env!("GAZETTE_COMMIT"),
    "，",
    env!("GAZETTE_TARGET"),
    "）"
);

#[derive(Parser, Debug)]
#[command(
    name = "gazette",
    version = VERSION,
    about = "Gazette：把 content/ 和 data/ 生成为政府公示网站——通知原文、条件和标准、咨询电话、企业名单、公示期和查询 (builds the public-notice site)",
    after_help = "例如：
  gazette build                    生成网站到 ./public
  gazette check                    检查所有数据，列出全部问题，不写任何文件
  gazette serve                    在本机预览，改文件后自动刷新
  gazette import 中山区.xlsx --year 2026 --batch 3 --kind <种类> --start 2026-09-24 --working-days 5
  gazette lists                    列出所有名单及其状态
  gazette enterprise show 名称     查看一家企业的称号状态、曾用名和历次名单
每个命令的详细说明：gazette <命令> --help"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 新建一个网站：机关、城市、区县、项目和年份，写成马上可以生成的 content/ 和 data/
    Init(init::InitArgs),
    /// 生成网站到输出文件夹（原子替换：生成失败时已发布的网站不变）
    Build(build::BuildArgs),
    /// 检查全部数据和页面，列出所有问题，不写任何文件
    Check(check::CheckArgs),
    /// 在本机预览网站，修改文件后自动重新生成并刷新页面
    Serve(serve::ServeArgs),
    /// 把区县报来的表格（.xlsx/.xls/.ods/.csv）导入为名单文件
    Import(import::ImportArgs),
    /// 管理一份名单：开始公示、公告、撤回企业、查看
    #[command(subcommand)]
    List(list::ListCommand),
    /// 列出所有名单：阶段、草稿和示例标记、企业数、公示期和当前状态
    Lists(list::ShowArgs),
    /// 企业名录：记录企业更名、撤销称号，查看一家企业的称号状态和历次名单
    #[command(subcommand)]
    Enterprise(enterprise::EnterpriseCommand),
    /// 新建文件：名单、节假日安排、下一年的通知
    #[command(subcommand)]
    New(new::NewCommand),
    /// 把最近一次生成的网站发布到对象存储（S3 接口）或服务器文件夹，只传有改动的文件
    Deploy(deploy::DeployArgs),
    /// 主题：把 Gazette 自带的主题导出到网站文件夹，以便修改
    #[command(subcommand)]
    Theme(theme::ThemeCommand),
    /// 生成一个大型的合成网站（用于测试和性能测试）
    #[command(hide = true)]
    Synth(synth::SynthArgs),
}

/// Runs the command line; returns the process exit status (`Exit::status`).
pub(crate) fn main() -> i32 {
    dispatch().status()
}

fn dispatch() -> Exit {
    let alone = console::prepare();
    let cmd = localize(Cli::command(), "gazette");
    if alone && std::env::args_os().len() == 1 {
        // A double-clicked gazette.exe in a site's folder opens the preview and console.
        return match console::site_beside_me() {
            Some(root) => {
                let args = ["gazette", "serve", "--open", "--root"].map(std::ffi::OsString::from);
                match Cli::try_parse_from(args.into_iter().chain([root.into_os_string()])) {
                    Ok(cli) => run(cli.command),
                    Err(e) => usage_error(&e, &cmd),
                }
            }
            None => {
                console::explain_and_wait(&cmd.clone().render_help().to_string());
                Exit::Success
            }
        };
    }
    let matches = match cmd.clone().try_get_matches() {
        Ok(m) => m,
        Err(e) => return usage_error(&e, &cmd),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return usage_error(&e, &cmd),
    };
    // One switch for profiling: how long each step took, printed after the command.
    let timings = std::env::var_os(gazette::timings::ENV).is_some();
    if timings {
        gazette::timings::enable();
    }
    let exit = run(cli.command);
    if timings {
        print_timings();
    }
    exit
}

fn run(command: Command) -> Exit {
    match command {
        Command::Init(a) => init::run(a),
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Import(a) => import::run(a),
        Command::List(c) => list::run(c),
        Command::Lists(a) => list::show(a),
        Command::Enterprise(c) => enterprise::run(c),
        Command::New(c) => new::run(c),
        Command::Deploy(a) => deploy::run(a),
        Command::Theme(c) => theme::run(c),
        Command::Synth(a) => synth::run(a),
    }
}

/// `GAZETTE_TIMINGS=1`: the steps the library recorded, with their seconds.
fn print_timings() {
    for (step, seconds) in gazette::timings::take() {
        if seconds.is_nan() {
            eprintln!("timing: {step}");
        } else {
            eprintln!("timing: {step:<24} {seconds:>8.3}s");
        }
    }
}

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Chinese headings, usage and help flags for a command and all its subcommands; `path` is
/// how the command is typed (`gazette build`).
fn localize(cmd: clap::Command, path: &str) -> clap::Command {
    let root = !path.contains(' ');
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|a| {
            // Values and defaults are named in each argument's own help line. A switch
            // (`--force`) takes no value: clap's debug build asserts that such an argument
            // is never told to hide values it does not have.
            let a = if a.get_action().takes_values() {
                a.hide_possible_values(true).hide_default_value(true)
            } else {
                a
            };
            if a.get_help_heading().is_some() {
                a
            } else if a.is_positional() {
                a.help_heading("参数")
            } else {
                a.help_heading("选项")
            }
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示这份说明")
                .help_heading("选项"),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号")
                .help_heading("选项"),
        );
    }
    // clap writes its own English placeholders into the usage line.
    let usage = cmd
        .clone()
        .bin_name(path)
        .render_usage()
        .to_string()
        .trim_start_matches("Usage: ")
        .replace("[OPTIONS]", "[选项]")
        .replace("[COMMAND]", "[命令]");
    cmd.override_usage(usage).mut_subcommands(|c| {
        let sub = format!("{path} {}", c.get_name());
        localize(c, &sub)
    })
}

/// Prints a wrong command line in Chinese (clap's English sentence follows in brackets),
/// with the usage of the command concerned; help and version requests are printed as they
/// are.
fn usage_error(e: &clap::Error, root: &clap::Command) -> Exit {
    use clap::error::{ContextKind as K, ContextValue as V, ErrorKind};
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return Exit::Success;
    }
    let get = |k: K| -> String {
        match e.get(k) {
            Some(V::String(s)) => s.clone(),
            Some(V::Strings(v)) => v.join("、"),
            Some(V::StyledStr(s)) => s.to_string(),
            Some(V::StyledStrs(v)) => v
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
            Some(V::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let arg = get(K::InvalidArg);
    let value = get(K::InvalidValue);
    let mut msg = match e.kind() {
        ErrorKind::InvalidValue => {
            let valid = get(K::ValidValue);
            if valid.is_empty() {
                format!("{arg} 不能取“{value}”")
            } else {
                format!("{arg} 不能取“{value}”，可以取：{valid}")
            }
        }
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!("没有“{}”这个命令", get(K::InvalidSubcommand)),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "请在后面写一个命令".to_string()
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} 不能和 {} 一起使用", get(K::PriorArg))
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            format!("{arg} 的值“{value}”不对：{why}")
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用 = 连接"),
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8）".to_string(),
        _ => "命令行有误".to_string(),
    };
    let suggested = get(K::SuggestedArg);
    let suggested_cmd = get(K::SuggestedSubcommand);
    if !suggested.is_empty() {
        msg.push_str(&format!("；您是不是要写 {suggested}？"));
    } else if !suggested_cmd.is_empty() {
        msg.push_str(&format!("；您是不是要写 {suggested_cmd}？"));
    }
    let english = e
        .to_string()
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches("error: ")
        .to_string();
    // The usage of the subcommand the error is about, found by the words typed.
    let words: Vec<String> = std::env::args().skip(1).collect();
    let mut cmd = root.clone();
    let mut path = vec!["gazette".to_string()];
    for w in &words {
        match cmd.find_subcommand(w) {
            Some(sub) => {
                path.push(w.clone());
                cmd = sub.clone();
            }
            None => break,
        }
    }
    let usage = cmd
        .render_usage()
        .to_string()
        .trim_start_matches("Usage: ")
        .to_string();
    eprintln!("错误：{msg} ({english})");
    eprintln!("用法：{usage}");
    eprintln!("详细说明：{} --help", path.join(" "));
    Exit::Usage
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own consistency check of the whole command tree, as localized: in a debug
    /// build a wrong setting panics on every command, `--help` included.
    #[test]
    fn command_tree_passes_clap_debug_assert() {
        localize(Cli::command(), "gazette").debug_assert();
    }
}
