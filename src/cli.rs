//! Command-line interface: parses arguments and calls the library. No logic of its own.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildError, BuildOptions, LoadOptions};
use crate::render::Skip;

#[derive(Parser, Debug)]
#[command(
    name = "gazette",
    version,
    about = "Builds the public-notice site: the notice, criteria, contacts, enterprise lists, publicity pages and search",
    long_about = None,
    after_help = "Examples:\n  gazette build                 build ./content and ./data into ./public\n  gazette check                 report every problem in the data, write nothing\n  gazette build --today 2026-04-22   build as of a given date (reproducible)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (atomically: a failed build changes nothing)
    Build(BuildArgs),
    /// Load and check everything, write nothing; exit status 1 on any error
    Check(CheckArgs),
    /// Build, serve on 127.0.0.1, rebuild on change and reload open pages
    Serve(crate::serve::ServeArgs),
    /// Import a district spreadsheet (.xlsx/.xls/.ods/.csv) into data/lists/
    Import(crate::import::ImportArgs),
    /// Create a new file from a template
    #[command(subcommand)]
    New(NewCommand),
    /// Generate a synthetic site (for tests and benchmarks)
    Synth(crate::synth::SynthArgs),
}

#[derive(Subcommand, Debug)]
pub enum NewCommand {
    /// Scaffold a list file with its computed publicity end date
    List(crate::import::NewListArgs),
}

#[derive(Args, Debug, Clone)]
pub struct RootArgs {
    /// The site folder (holding content/, data/, themes/)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct TodayArgs {
    /// The "as of" date for publicity states and key dates (default: today in China Standard Time)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: RootArgs,
    #[command(flatten)]
    pub today: TodayArgs,
    /// Output folder (default: <root>/public)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Parts to leave out, comma-separated: search, downloads, feeds
    #[arg(long, value_name = "PARTS", value_delimiter = ',', value_parser = ["search", "downloads", "feeds"])]
    pub skip: Vec<String>,
    /// Use this base URL instead of the one in data/site.toml (e.g. for a preview under a sub-path)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Delete the replaced site instead of keeping it as .<out>.prev beside the output
    #[arg(long)]
    pub no_keep_previous: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub root: RootArgs,
    #[command(flatten)]
    pub today: TodayArgs,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("“{s}” is not a date: write it as YYYY-MM-DD, e.g. 2026-04-20"))
}

pub fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

pub fn load_options(root: &RootArgs, today: &TodayArgs) -> LoadOptions {
    LoadOptions {
        root: root.root.clone(),
        today: today.today.unwrap_or_else(build::today_cst),
        base_url: None,
        include_drafts: false,
    }
}

/// Runs the CLI; returns the process exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(a) => cmd_build(a),
        Command::Check(a) => cmd_check(a),
        Command::Serve(a) => crate::serve::run(a),
        Command::Import(a) => crate::import::run_import(a),
        Command::New(NewCommand::List(a)) => crate::import::run_new_list(a),
        Command::Synth(a) => crate::synth::run(a),
    }
}

fn cmd_build(a: BuildArgs) -> i32 {
    let mut load = load_options(&a.root, &a.today);
    load.base_url = a.base_url.clone();
    let out = a.out.clone().unwrap_or_else(|| a.root.root.join("public"));
    let skip = Skip {
        search: a.skip.iter().any(|s| s == "search"),
        downloads: a.skip.iter().any(|s| s == "downloads"),
        feeds: a.skip.iter().any(|s| s == "feeds"),
        as_complete: false,
    };
    let opts = BuildOptions {
        load,
        out,
        skip,
        keep_previous: !a.no_keep_previous,
    };
    let on_wait = || {
        eprintln!(
            "另一个 gazette build 正在写入 {}，等待它完成…… (another build is writing this folder; waiting)",
            opts.out.display()
        )
    };
    match build::build(&opts, &on_wait) {
        Ok(r) => {
            if !r.warnings.is_empty() {
                eprint!("{}", r.warnings.render(color()));
            }
            eprintln!(
                "built {} pages ({} lists, {} enterprises) into {} in {:.2}s",
                r.pages,
                r.lists,
                r.enterprises,
                r.out.display(),
                r.seconds
            );
            0
        }
        Err(BuildError::Input(d)) => {
            eprint!("{}", d.render(color()));
            1
        }
        Err(BuildError::Output(e)) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn cmd_check(a: CheckArgs) -> i32 {
    let mut load = load_options(&a.root, &a.today);
    load.include_drafts = true;
    let diags = build::check(&load);
    if diags.is_empty() {
        eprintln!("ok: no problems found in {}", a.root.root.display());
        return 0;
    }
    eprint!("{}", diags.render(color()));
    if diags.has_errors() {
        1
    } else {
        0
    }
}
