//! `gazette deploy`: arguments and what the clerk reads; the work is in `gazette::deploy`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Args;

use gazette::deploy::{
    human_bytes, Addressing, DeployError, Deployment, Event, Options, Outcome, Settings, Wait,
};

use super::prelude::*;

const DEPLOY_HELP: &str = "\
目标（--to）：
  s3://桶名/前缀     对象存储的桶：AWS，或加 --endpoint 的其他 S3 接口服务：
                     阿里云 OSS、腾讯云 COS、华为云 OBS、MinIO……
  /服务器/文件夹     一个文件夹：网站服务器的根目录，或挂载的共享文件夹

密钥（只用于 S3；不要写进网站的任何文件）：
  环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（临时密钥另加
  AWS_SESSION_TOKEN），或 ~/.aws/credentials 中由 --profile 或 AWS_PROFILE 选定的配置。
  AWS_CA_BUNDLE：服务使用自建证书机构时，其 CA 证书（PEM）。

做什么：只上传内容有变化的文件，按不会出现断链的顺序（带哈希的文件和下载文件、
样式和脚本、页面，最后是首页、名单总页、查询页、订阅、网站地图），全部上传成功后
才删除网站中已不存在的文件。部署中断时目标上的网站仍然完整，再运行一次即可完成。

例如：
  gazette deploy --to /srv/www/site --dry-run    （只显示计划，不做改动）
  gazette deploy --to /srv/www/site
  gazette deploy --to s3://gxj-site/cxzx --region cn-hangzhou \\
      --endpoint https://oss-cn-hangzhou.aliyuncs.com
  gazette deploy --profile gazette    （密钥取自 ~/.aws/credentials 的 [gazette]）
  gazette deploy                      （目标和选项取自 data/site.toml 的 [deploy]）";

#[derive(Args, Debug)]
#[command(after_help = DEPLOY_HELP)]
pub(super) struct DeployArgs {
    #[command(flatten)]
    pub root: RootArgs,
    /// 要部署的生成结果：gazette build 的 --out（默认：网站文件夹下的 public）
    #[arg(long, value_name = "文件夹")]
    pub out: Option<PathBuf>,
    /// 部署到哪里：s3://桶名/前缀 或一个文件夹（默认：data/site.toml 中 [deploy] 的 to）
    #[arg(long, value_name = "目标")]
    pub to: Option<String>,
    /// AWS 以外的 S3 接口服务的地址，例如 https://oss-cn-hangzhou.aliyuncs.com
    #[arg(long, value_name = "网址")]
    pub endpoint: Option<String>,
    /// S3 区域（默认：AWS_REGION、配置中的 region，或 us-east-1）
    #[arg(long, value_name = "区域")]
    pub region: Option<String>,
    /// 桶名在网址中的写法：path（自建服务）或 virtual-host（公有云，公有云默认用它）
    #[arg(long, value_name = "写法", value_parser = ["path", "virtual-host"])]
    pub addressing: Option<String>,
    /// 使用 ~/.aws/credentials 中这个配置的密钥
    #[arg(long, value_name = "名称")]
    pub profile: Option<String>,
    /// 只显示计划（上传、删除、字节数），不做任何改动
    #[arg(long)]
    pub dry_run: bool,
    /// 要删除的文件多于这个数时拒绝整次部署 [默认：256]
    #[arg(long, value_name = "数量")]
    pub max_deletes: Option<usize>,
    /// 即使要删除的文件超过 --max-deletes，或目标里已有不是 Gazette 部署的文件，也照常部署（那些文件不会被删除）
    #[arg(long)]
    pub force: bool,
    /// 同时上传的文件数 [默认：8]
    #[arg(long, value_name = "数量")]
    pub workers: Option<usize>,
    /// 上传所有文件，包括没有改动的（修改了 [deploy] 中的响应头规则后使用）
    #[arg(long)]
    pub all: bool,
}

/// `gazette deploy`, as its steps: resolve the target and take the locks, say the plan,
/// then list it (`--dry-run`) or carry it out and say how it ended.
pub(super) fn run(a: DeployArgs) -> Exit {
    let d = match prepare(&a) {
        Ok(d) => d,
        Err(exit) => return exit,
    };
    say_plan(&d);
    if a.dry_run {
        return list_plan(&d);
    }
    let outcome = carry_out(d);
    say_outcome(&outcome)
}

/// The deployment of the site's build to its target: `[deploy]` of `data/site.toml` under
/// the command line, the build checked and hashed, the locks taken (saying so while it
/// waits for a build or another deploy).
fn prepare(a: &DeployArgs) -> Result<Deployment, Exit> {
    let mut diags = gazette::diag::Diagnostics::new();
    let site = gazette::load::read_site_config(&a.root.root, &mut diags);
    if diags.has_errors() {
        return Err(stopped(&diags, ""));
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
        pause_after: deploy_pause_hook(),
    };
    let failed = |e: DeployError| {
        eprintln!("错误：{e}");
        ended(&e)
    };
    let opts = Options::resolve(&settings, site.as_ref().and_then(|s| s.deploy.as_ref()))
        .map_err(failed)?;
    let out = opts.out.clone();
    let on_wait = |w: Wait| {
        match w {
        Wait::Build => eprintln!(
            "gazette build 正在写入 {}，等它完成后再部署…… (a build is writing this folder; waiting)",
            shown(&out)
        ),
        Wait::Target(who) => eprintln!(
            "另一次部署正在写入这个目标（{who}），等它完成后再部署……；不想等可按 Ctrl-C，稍后再运行 (another deploy holds the target; waiting)"
        ),
    }
    };
    let env = |k: &str| std::env::var(k).ok();
    Deployment::prepare(opts, &env, &on_wait).map_err(failed)
}

/// What will be deployed where, and what the plan does, in a few lines.
fn say_plan(d: &Deployment) {
    let (plan, build) = (d.plan(), d.build());
    eprintln!(
        "部署 {}（{} 个文件，{}，生成于 {}）到 {} (deploying {} files to {})",
        shown(&d.options().out),
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
    let left = plan.foreign_left();
    if left > 0 && (plan.marked || d.options().force) {
        eprintln!(
            "目标中有 {left} 个文件不是本网站的部署放上去的，不会删除 ({left} files at the target were not put there by this site's deploys: left alone)"
        );
    }
    if plan.kept > 0 {
        eprintln!(
            "保留目标中 {} 个不属于网站的文件（[deploy] keep）(kept {} files matching keep patterns)",
            plan.kept, plan.kept
        );
    }
}

/// `--dry-run`: every upload (by phase) and deletion on standard output; nothing changes.
fn list_plan(d: &Deployment) -> Exit {
    let plan = d.plan();
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
            // Names from the target's listing: shown escaped.
            println!("  - {}", gazette::deploy::clean(p));
        }
    }
    if let Some(refused) = d.refusal() {
        eprintln!("注意：实际部署时会被拒绝 (a real deploy would refuse)：{refused}");
    }
    eprintln!("演练：没有做任何改动 (dry run: nothing changed)");
    Exit::Success
}

/// Runs the plan with a progress bar; the first Ctrl-C stops it after the uploads in
/// flight, a second one exits at once.
fn carry_out(d: Deployment) -> Outcome {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(Exit::Interrupted.status());
        }
        eprintln!("正在停止：等进行中的上传完成，不再开始新的上传和删除（再按一次 Ctrl-C 立即退出）(stopping after the uploads in flight)");
    });
    let total = (d.plan().uploads.len() + d.plan().deletes.len()) as u64;
    let bar = gazette::progress::Progress::new("部署", Some(total));
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
    outcome
}

/// How the run ended, in words and as the exit status.
fn say_outcome(outcome: &Outcome) -> Exit {
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
        return Exit::Success;
    }
    if let Some(e) = &outcome.error {
        eprintln!("错误：{e}");
    }
    if outcome.uploaded > 0 || outcome.deleted > 0 || outcome.interrupted {
        eprintln!(
            "部署没有完成 (deploy incomplete)：{head}。目标上的网站仍然完整（旧版本，或部分已更新、链接都有效）；再次运行 gazette deploy 即可完成 (run it again to finish)"
        );
    }
    if outcome.interrupted {
        Exit::Interrupted
    } else {
        Exit::Deploy
    }
}

/// How a deploy that did not start ended: a wrong command line, a problem in the site's
/// files (its `[deploy]`, no complete build), a folder that could not be read or written,
/// or the target (a refusal, credentials, a failure).
fn ended(e: &DeployError) -> Exit {
    match e {
        DeployError::Usage(_) => Exit::Usage,
        DeployError::Config(_) | DeployError::NoBuild(_) => Exit::Input,
        DeployError::Io(..) => Exit::Output,
        DeployError::Refused(_) | DeployError::Credentials(_) | DeployError::Remote(_) => {
            Exit::Deploy
        }
    }
}
