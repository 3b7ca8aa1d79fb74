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
    /// Publish the last build to an S3 bucket or a server folder, uploading only what changed
    Deploy(DeployArgs),
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
        Command::Deploy(a) => cmd_deploy(a),
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
            "另一个 gazette build 正在写入 {}（或 gazette deploy 正在发布它），等待它完成…… (another build or a deploy is using this folder; waiting)",
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

// ---- gazette deploy: arguments and output; the work is in crate::deploy ----

const DEPLOY_HELP: &str = "\
Targets:
  s3://BUCKET/PREFIX  an S3 bucket: AWS, or with --endpoint any S3-compatible
                      service: 阿里云 OSS, 腾讯云 COS, 华为云 OBS, MinIO, …
  /PATH/TO/FOLDER     a folder: the web server's document root or a mounted share

Credentials (S3 only; never written in the site's files):
  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN for temporary
  keys), or a profile of ~/.aws/credentials chosen with --profile or AWS_PROFILE.
  AWS_CA_BUNDLE: the CA certificate (PEM) of a service with its own CA.

What it does: uploads the files of the last build whose bytes differ from the
target's, in a safe order (hashed files and downloads, styles and scripts,
pages, then home page, lists index, search page, feeds, sitemap), and only then
deletes files no longer in the site. A deploy cut short leaves a working site;
run it again to finish.

Examples:
  gazette deploy --to /srv/www/site --dry-run    (show the plan, change nothing)
  gazette deploy --to /srv/www/site
  gazette deploy --to s3://gxj-site/cxzx --region cn-hangzhou \\
      --endpoint https://oss-cn-hangzhou.aliyuncs.com
  gazette deploy --profile gazette    (keys from ~/.aws/credentials [gazette])
  gazette deploy                      (target and options from [deploy])";

#[derive(Args, Debug)]
#[command(after_help = DEPLOY_HELP)]
pub struct DeployArgs {
    #[command(flatten)]
    pub root: RootArgs,
    /// The build to deploy: the --out of `gazette build` (default: <root>/public)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Where to: s3://BUCKET/PREFIX or a folder (default: `to` of [deploy] in data/site.toml)
    #[arg(long, value_name = "TARGET")]
    pub to: Option<String>,
    /// S3 endpoint of a service other than AWS, e.g. https://oss-cn-hangzhou.aliyuncs.com
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// S3 region (default: AWS_REGION, the profile's region, or us-east-1)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// How the bucket goes into S3 URLs: path (self-hosted servers) or virtual-host (public clouds; the default for them)
    #[arg(long, value_name = "STYLE", value_parser = ["path", "virtual-host"])]
    pub addressing: Option<String>,
    /// Take the S3 keys from this profile of ~/.aws/credentials
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Print the plan (uploads, deletions, bytes) and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse the whole deploy when more files than this would be deleted [default: 256]
    #[arg(long, value_name = "N")]
    pub max_deletes: Option<usize>,
    /// Deploy even when more than --max-deletes files would be deleted
    #[arg(long)]
    pub force: bool,
    /// Parallel uploads [default: 8]
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Upload every file, also unchanged ones (after changing the header rules in [deploy])
    #[arg(long)]
    pub all: bool,
}

fn cmd_deploy(a: DeployArgs) -> i32 {
    use crate::deploy::{human_bytes, Addressing, Deployment, Event, Options, Settings};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let mut diags = crate::diag::Diagnostics::new();
    let site: Option<crate::config::SiteConfig> = crate::load::read_toml(
        &a.root.root,
        std::path::Path::new(crate::load::SITE_FILE),
        false,
        &mut diags,
    );
    if diags.has_errors() {
        eprint!("{}", diags.render(color()));
        return 1;
    }
    let settings = Settings {
        root: a.root.root.clone(),
        out: a.out.clone(),
        to: a.to.clone(),
        endpoint: a.endpoint.clone(),
        region: a.region.clone(),
        addressing: a.addressing.as_deref().and_then(Addressing::parse),
        profile: a.profile.clone(),
        dry_run: a.dry_run,
        max_deletes: a.max_deletes,
        force: a.force,
        workers: a.workers,
        all: a.all,
        // Test hook: stop after N uploads so that a test can kill the process half-way.
        pause_after: std::env::var("GAZETTE_TEST_DEPLOY_PAUSE_AFTER")
            .ok()
            .and_then(|v| v.parse().ok()),
    };
    let opts = match Options::resolve(&settings, site.as_ref().and_then(|s| s.deploy.as_ref())) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    let out = opts.out.clone();
    let on_wait = || {
        eprintln!(
            "gazette build 正在写入 {}，等它完成后再部署…… (a build is writing this folder; waiting)",
            out.display()
        )
    };
    let env = |k: &str| std::env::var(k).ok();
    let d = match Deployment::prepare(opts, &env, &on_wait) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    let (plan, build) = (d.plan(), d.build());
    eprintln!(
        "部署 {}（{} 个文件，{}，生成于 {}）到 {} (deploying {} files to {})",
        out.display(),
        build.files,
        human_bytes(build.bytes),
        build.describe(),
        d.target(),
        build.files,
        d.target()
    );
    let (new, changed) = (plan.new_files(), plan.uploads.len() - plan.new_files());
    eprintln!(
        "计划：上传 {} 个文件（新增 {new} 个，改动 {changed} 个，共 {}），删除 {} 个，未改动 {} 个 (plan: upload {}, delete {}, unchanged {})",
        plan.uploads.len(),
        human_bytes(plan.upload_bytes()),
        plan.deletes.len(),
        plan.unchanged,
        plan.uploads.len(),
        plan.deletes.len(),
        plan.unchanged
    );
    if plan.kept > 0 {
        eprintln!(
            "保留目标中 {} 个不属于网站的文件（[deploy] keep）(kept {} files matching keep patterns)",
            plan.kept, plan.kept
        );
    }
    let max = d.options().max_deletes;
    if a.dry_run {
        let mut phase = None;
        for u in &plan.uploads {
            if phase != Some(u.phase) {
                phase = Some(u.phase);
                println!("上传：{}", u.phase.label());
            }
            let mark = if u.new { '+' } else { '~' };
            println!("  {mark} {}  {}", u.path, human_bytes(u.size));
        }
        if !plan.deletes.is_empty() {
            println!("删除 (delete)：");
            for p in &plan.deletes {
                println!("  - {p}");
            }
        }
        if !d.deletes_allowed() {
            eprintln!(
                "注意：将删除 {} 个文件，超过 --max-deletes {max}，实际部署时会整体拒绝，除非加 --force (over the max-deletes guard: a real deploy would refuse)",
                plan.deletes.len()
            );
        }
        eprintln!("演练：没有做任何改动 (dry run: nothing changed)");
        return 0;
    }

    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("正在停止：等进行中的上传完成，不再开始新的上传和删除（再按一次 Ctrl-C 立即退出）(stopping after the uploads in flight)");
    });
    let total = (plan.uploads.len() + plan.deletes.len()) as u64;
    let bar = crate::progress::Progress::new("部署", Some(total));
    let on_event = |e: &Event| match e {
        Event::Step { phase, .. } => bar.set_message(phase.short_label()),
        Event::Uploaded { .. } => bar.inc(1),
        Event::Deleting { .. } => bar.set_message("删除 (deleting)"),
        Event::Deleted { count } => bar.inc(*count as u64),
        Event::Paused { after } => bar.println(format!(
            "test hook: paused after {after} uploads (GAZETTE_TEST_DEPLOY_PAUSE_AFTER)"
        )),
    };
    let outcome = d.run(&cancel, &on_event);
    bar.finish();
    for n in &outcome.notes {
        eprintln!("{n}");
    }
    let head = format!(
        "已上传 {} 个文件，删除 {} 个，未改动 {} 个 (uploaded {}, deleted {}, unchanged {})",
        outcome.uploaded,
        outcome.deleted,
        outcome.unchanged,
        outcome.uploaded,
        outcome.deleted,
        outcome.unchanged
    );
    if outcome.complete() {
        eprintln!("{head}");
        eprintln!(
            "共 {}，用时 {:.1} 秒 ({} in {:.1} s)",
            human_bytes(outcome.uploaded_bytes),
            outcome.seconds,
            human_bytes(outcome.uploaded_bytes),
            outcome.seconds
        );
        return 0;
    }
    if let Some(e) = &outcome.error {
        eprintln!("error: {e}");
    }
    if outcome.uploaded > 0 || outcome.deleted > 0 || outcome.interrupted {
        eprintln!(
            "部署没有完成 (deploy incomplete)：{head}。目标上的网站仍然完整（旧版本，或部分已更新、链接都有效）；再次运行 gazette deploy 即可完成 (run it again to finish)"
        );
    }
    1
}
