//! `gazette deploy`: publishes the last build to an S3 bucket or a folder, changing only
//! what changed, in an order in which readers never meet a broken link (see [`plan`]).
//!
//! [`Deployment::prepare`] checks the build, takes the output's lock *shared* (a build takes
//! it exclusively, so no build switches the folder during a deploy), hashes the build,
//! lists the target and makes the [`Plan`]; [`Deployment::run`] carries it out. Nothing here
//! prints or knows about the command line: the CLI shows the plan, the progress and the
//! summary from the values returned.

pub mod config;
pub(crate) mod credentials;
pub(crate) mod folder;
pub(crate) mod headers;
pub(crate) mod plan;
pub(crate) mod s3;
pub(crate) mod sigv4;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use md5::Digest;
use rayon::prelude::*;

pub use config::{parse_target, Addressing, DeployConfig, Target};
pub use headers::{HeaderRules, Headers, Pattern};
pub use plan::{make_plan, LocalFile, Manifest, Phase, Plan, RemoteFile, Upload};

use crate::output::{self, OutputLock, MARKER};

/// Default of `--max-deletes`.
pub const DEFAULT_MAX_DELETES: usize = 256;
/// Default of `--workers`.
pub const DEFAULT_WORKERS: usize = 8;
/// Most parallel uploads allowed.
pub const MAX_WORKERS: usize = 64;

/// The manifest at the target: what deploys of this site put there (see [`Manifest`]).
pub const MANIFEST_NAME: &str = ".gazette-deploy.json";
/// The lock at the target, held while a deploy runs.
pub const LOCK_NAME: &str = ".gazette-deploy.lock";

/// A target's lock, released when dropped.
pub trait TargetLock: Send + Sync {}

/// What a deploy is waiting for (see [`Deployment::prepare`]).
#[derive(Debug, Clone)]
pub enum Wait {
    /// A `gazette build` is writing the output folder.
    Build,
    /// Another deploy holds the target's lock; who, as shown to the clerk.
    Target(String),
}

/// A place files can be published to.
pub trait Store: Sync {
    /// How the target is shown to the clerk.
    fn describe(&self) -> String;
    /// Takes the target's lock, calling `on_wait` (with who holds it) before waiting for
    /// another deploy.
    fn lock(&self, on_wait: &dyn Fn(&str)) -> Result<Box<dyn TargetLock>, DeployError>;
    /// A hidden file of Gazette's own at the target (`MANIFEST_NAME`); `None` if absent.
    fn read_meta(&self, name: &str) -> Result<Option<String>, DeployError>;
    /// Writes a hidden file of Gazette's own at the target, whole or not at all.
    fn write_meta(&self, name: &str, text: &str) -> Result<(), DeployError>;
    /// The site files already there (hidden files and foreign names left out).
    fn list(&self) -> Result<Vec<RemoteFile>, DeployError>;
    /// Stores one whole file; a reader sees the old bytes or the new, never a mix.
    fn put(
        &self,
        path: &str,
        bytes: &[u8],
        md5: &[u8; 16],
        headers: &Headers,
    ) -> Result<(), DeployError>;
    /// Deletes files; returns how many were deleted.
    fn delete(&self, paths: &[String]) -> Result<usize, DeployError>;
    /// Things the clerk should know after the deploy.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Why a deploy did not happen or did not finish. Messages are Chinese first with English
/// in brackets, ready to show.
#[derive(Debug)]
pub enum DeployError {
    /// Wrong command-line use.
    Usage(String),
    /// A problem in `[deploy]` of `data/site.toml`.
    Config(String),
    /// No complete build to deploy.
    NoBuild(String),
    /// A target or a plan that would be unsafe to carry out.
    Refused(String),
    /// The target refused the credentials.
    Credentials(String),
    /// The target failed otherwise.
    Remote(String),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for DeployError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeployError::Usage(m)
            | DeployError::NoBuild(m)
            | DeployError::Refused(m)
            | DeployError::Credentials(m)
            | DeployError::Remote(m) => write!(f, "{m}"),
            DeployError::Config(m) => write!(f, "data/site.toml [deploy]：{m}"),
            DeployError::Io(p, e) => write!(f, "无法读写 {}：{e} (file error)", p.display()),
        }
    }
}

impl std::error::Error for DeployError {}

/// Text from outside (an S3 service's answer, a key, a host name) made safe to print:
/// control characters (escape sequences, line breaks) and invisible direction overrides
/// shown as `\u{…}`, and at most 500 characters.
pub fn clean(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i >= 500 {
            out.push('…');
            break;
        }
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi || matches!(c, '\u{fffe}' | '\u{ffff}') {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A URL with any `user:password@` before its host replaced by `***@`, parsable or not:
/// credentials in a URL are never printed.
pub fn redact_url(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &rest[at..]),
        None => url.to_string(),
    }
}

/// A path with a hidden part (`.gazette-output`, `.well-known/…`): never uploaded, never
/// deleted.
pub fn is_hidden(path: &str) -> bool {
    path.split('/').any(|seg| seg.starts_with('.'))
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the command line asked for; `None` means "from `[deploy]`, else the default".
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The site folder (holding `data/site.toml`).
    pub root: PathBuf,
    /// The build to deploy (default `<root>/public`).
    pub out: Option<PathBuf>,
    pub to: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub addressing: Option<Addressing>,
    pub profile: Option<String>,
    pub dry_run: bool,
    pub max_deletes: Option<usize>,
    pub force: bool,
    pub workers: Option<usize>,
    /// Upload every file, changed or not.
    pub all: bool,
    /// Test hook: stop taking work after this many uploads (see `GAZETTE_TEST_DEPLOY_PAUSE_AFTER`).
    pub pause_after: Option<usize>,
}

/// A deploy's settings, checked and merged with `[deploy]`.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub out: PathBuf,
    pub target: Target,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub addressing: Option<Addressing>,
    /// `--profile`, and `profile` of `[deploy]`.
    pub cli_profile: Option<String>,
    pub config_profile: Option<String>,
    pub dry_run: bool,
    pub max_deletes: usize,
    pub force: bool,
    pub workers: usize,
    pub all: bool,
    pub rules: HeaderRules,
    pub keep: Vec<Pattern>,
    pub pause_after: Option<usize>,
}

impl Options {
    /// Merges the command line over `[deploy]` (the command line wins) and checks both.
    pub fn resolve(s: &Settings, config: Option<&DeployConfig>) -> Result<Options, DeployError> {
        let empty = DeployConfig::default();
        let c = config.unwrap_or(&empty);
        let cwd = std::env::current_dir().unwrap_or_default();
        let target = match (&s.to, &c.to) {
            (Some(t), _) => parse_target(t, &cwd).map_err(|e| {
                DeployError::Usage(format!("--to {}：{e}", clean(&redact_url(t))))
            })?,
            (None, Some(t)) => {
                let base = output::absolute(&s.root);
                parse_target(t, &base).map_err(|e| {
                    DeployError::Config(format!("to = \"{}\"：{e}", clean(&redact_url(t))))
                })?
            }
            (None, None) => {
                return Err(DeployError::Usage(
                    "没有指定部署目标 (no target)：用 --to s3://存储桶/前缀 或 --to /服务器/文件夹，或在 data/site.toml 的 [deploy] 中写 to = \"…\"".into(),
                ))
            }
        };
        if matches!(target, Target::Folder(_)) {
            let s3_only = [
                ("--endpoint", s.endpoint.is_some()),
                ("--region", s.region.is_some()),
                ("--addressing", s.addressing.is_some()),
                ("--profile", s.profile.is_some()),
            ];
            if let Some((flag, _)) = s3_only.iter().find(|(_, set)| *set) {
                return Err(DeployError::Usage(format!(
                    "{flag} 只用于 s3:// 目标，而 {target} 是文件夹 ({flag} applies to s3:// targets only)"
                )));
            }
        }
        let workers = match (s.workers, c.workers) {
            (Some(w), _) if (1..=MAX_WORKERS).contains(&w) => w,
            (Some(w), _) => {
                return Err(DeployError::Usage(format!(
                    "--workers {w}：应在 1 到 {MAX_WORKERS} 之间 (must be 1..={MAX_WORKERS})"
                )))
            }
            (None, Some(w)) if (1..=MAX_WORKERS).contains(&w) => w,
            (None, Some(w)) => {
                return Err(DeployError::Config(format!(
                    "workers = {w}：应在 1 到 {MAX_WORKERS} 之间 (must be 1..={MAX_WORKERS})"
                )))
            }
            (None, None) => DEFAULT_WORKERS,
        };
        let endpoint_error = |e: &str| -> Option<String> {
            let shown = clean(&redact_url(e));
            if redact_url(e) != e {
                return Some(format!(
                    "S3 服务地址“{shown}”里不能写用户名或密码：访问密钥请用环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或 --profile (no user or password in the endpoint; keys come from the environment or a profile)"
                ));
            }
            let ok = url::Url::parse(e.trim())
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            (!ok).then(|| format!(
                "S3 服务地址“{shown}”无效：应写成 https://主机名 或 http://IP:端口，例如 https://oss-cn-hangzhou.aliyuncs.com (invalid endpoint)"
            ))
        };
        if let Some(why) = s.endpoint.as_deref().and_then(endpoint_error) {
            return Err(DeployError::Usage(format!("--endpoint：{why}")));
        }
        if let Some(why) = c.endpoint.as_deref().and_then(endpoint_error) {
            return Err(DeployError::Config(format!("endpoint：{why}")));
        }
        let rules = c.header_rules().map_err(DeployError::Config)?;
        let keep = c.keep_patterns().map_err(DeployError::Config)?;
        let nonempty = |v: &Option<String>| {
            v.as_ref()
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
        };
        Ok(Options {
            root: s.root.clone(),
            out: s.out.clone().unwrap_or_else(|| s.root.join("public")),
            target,
            endpoint: nonempty(&s.endpoint).or_else(|| nonempty(&c.endpoint)),
            region: nonempty(&s.region).or_else(|| nonempty(&c.region)),
            addressing: s.addressing.or(c.addressing),
            cli_profile: nonempty(&s.profile),
            config_profile: nonempty(&c.profile),
            dry_run: s.dry_run,
            max_deletes: s
                .max_deletes
                .or(c.max_deletes)
                .unwrap_or(DEFAULT_MAX_DELETES),
            force: s.force,
            workers,
            all: s.all,
            rules,
            keep,
            pause_after: s.pause_after,
        })
    }
}

/// The build being deployed.
#[derive(Debug, Clone)]
pub struct BuildInfo {
    /// When the build was switched in (the marker's modification time).
    pub built: SystemTime,
    pub files: usize,
    pub bytes: u64,
    /// Pages that still show `gazette init`'s placeholder (【待填写】): not for the public.
    pub unfilled: Vec<String>,
}

impl BuildInfo {
    pub fn age(&self) -> Duration {
        SystemTime::now()
            .duration_since(self.built)
            .unwrap_or_default()
    }

    /// E.g. "2026-11-27 21:45（北京时间），3 分钟前".
    pub fn describe(&self) -> String {
        let when: chrono::DateTime<chrono::Utc> = self.built.into();
        let cst = when + chrono::Duration::hours(8);
        format!(
            "{}（北京时间），{}",
            cst.format("%Y-%m-%d %H:%M"),
            age_text(self.age())
        )
    }
}

/// "刚刚", "3 分钟前", "5 小时前", "2 天前".
pub fn age_text(age: Duration) -> String {
    let s = age.as_secs();
    match s {
        0..60 => "刚刚".into(),
        60..3600 => format!("{} 分钟前", s / 60),
        3600..86400 => format!("{} 小时前", s / 3600),
        _ => format!("{} 天前", s / 86400),
    }
}

/// "0 B", "12.3 KB", "4.5 MB".
pub fn human_bytes(n: u64) -> String {
    match n {
        0..1000 => format!("{n} B"),
        1000..1_000_000 => format!("{:.1} KB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.2} GB", n as f64 / 1e9),
    }
}

/// Progress of a running deploy, for a progress bar.
#[derive(Debug)]
pub enum Event<'a> {
    /// A group of uploads starts (all earlier ones are done).
    Step {
        phase: Phase,
        new: bool,
        files: usize,
    },
    Uploaded {
        path: &'a str,
        bytes: u64,
    },
    /// Deletion started (after every upload succeeded).
    Deleting {
        files: usize,
    },
    Deleted {
        count: usize,
    },
    /// The test hook stopped the deploy after this many uploads.
    Paused {
        after: usize,
    },
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    pub deleted: usize,
    pub unchanged: usize,
    /// Stopped by the caller's cancel flag (Ctrl-C) before finishing.
    pub interrupted: bool,
    /// Why it stopped early; `None` when everything in the plan was done.
    pub error: Option<DeployError>,
    pub notes: Vec<String>,
    pub seconds: f64,
}

impl Outcome {
    pub fn complete(&self) -> bool {
        self.error.is_none() && !self.interrupted
    }
}

/// A deploy ready to run: the build locked, hashed and compared with the target.
pub struct Deployment {
    opts: Options,
    store: Box<dyn Store>,
    plan: Plan,
    build: BuildInfo,
    /// The manifest found at the target, as text (`None`: none there).
    manifest_text: Option<String>,
    // Dropped in this order: the target's lock before the output's.
    _target_lock: Option<Box<dyn TargetLock>>,
    _lock: OutputLock,
}

impl Deployment {
    /// Checks the build and the target, takes the output's lock shared (calling `on_wait`
    /// with [`Wait::Build`] if a build holds it), hashes the build, takes the target's lock
    /// (unless a dry run; [`Wait::Target`] while another deploy holds it), reads the
    /// target's manifest, lists the target and plans. `env` reads environment variables
    /// (credentials, region, endpoint, `HOME`).
    pub fn prepare(
        opts: Options,
        env: credentials::Env,
        on_wait: &dyn Fn(Wait),
    ) -> Result<Deployment, DeployError> {
        let out = &opts.out;
        let no_build = || {
            DeployError::NoBuild(format!(
                "{} 里没有完整的生成结果（缺少 {MARKER}）(no complete build to deploy)：请先运行 gazette build",
                out.display()
            ))
        };
        if !out.is_dir() {
            return Err(no_build());
        }
        let lock = output::lock_output(out, output::LockMode::Shared, &|| on_wait(Wait::Build))
            .map_err(|e| {
                DeployError::Refused(format!(
                    "无法锁定 {}：{e} (cannot lock the build)",
                    out.display()
                ))
            })?;
        // Checked under the lock: a build may have switched the folder while we waited.
        let built = std::fs::metadata(out.join(MARKER))
            .and_then(|m| m.modified())
            .map_err(|_| no_build())?;
        if let Target::Folder(dir) = &opts.target {
            let home = env("HOME")
                .filter(|h| !h.trim().is_empty())
                .map(PathBuf::from);
            check_folder_target(&opts.root, out, dir, home.as_deref())?;
        }
        let Scanned {
            files: local,
            unfilled,
        } = scan_build(out)?;
        // Refused before the target is touched (a dry run goes on to show the plan, and
        // `refusal` says the same).
        if !unfilled.is_empty() && !opts.force && !opts.dry_run {
            return Err(unfilled_refusal(&unfilled));
        }
        let build = BuildInfo {
            built,
            files: local.len(),
            bytes: local.iter().map(|f| f.size).sum(),
            unfilled,
        };
        let store: Box<dyn Store> = match &opts.target {
            Target::Folder(dir) => Box::new(folder::FolderStore::open(dir, opts.dry_run)?),
            Target::S3 { bucket, prefix } => {
                Box::new(s3::S3Store::new(&s3_options(&opts, bucket, prefix, env)?)?)
            }
        };
        let target_lock = if opts.dry_run {
            None
        } else {
            Some(store.lock(&|who| on_wait(Wait::Target(who.to_string())))?)
        };
        let manifest_text = store.read_meta(MANIFEST_NAME)?;
        let manifest = match &manifest_text {
            None => None,
            Some(text) => match Manifest::parse(text) {
                Ok(m) => Some(m),
                Err(_) if opts.force => Some(Manifest::default()),
                Err(why) => {
                    return Err(DeployError::Refused(format!(
                        "目标中的部署清单 {MANIFEST_NAME} 无法读取：{} (unreadable deploy manifest at the target)。不知道哪些文件是以前部署的，所以不做任何改动；加 --force 则照常上传，但不删除任何文件",
                        clean(&why)
                    )))
                }
            },
        };
        let remote = store.list()?;
        let plan = make_plan(&local, &remote, manifest.as_ref(), &opts.keep, opts.all);
        Ok(Deployment {
            opts,
            store,
            plan,
            build,
            manifest_text,
            _target_lock: target_lock,
            _lock: lock,
        })
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn build(&self) -> &BuildInfo {
        &self.build
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The target as shown to the clerk.
    pub fn target(&self) -> String {
        self.store.describe()
    }

    /// Whether the max-deletes guard lets this plan run.
    pub fn deletes_allowed(&self) -> bool {
        self.plan
            .deletes_allowed(self.opts.max_deletes, self.opts.force)
    }

    /// Why this deploy is refused before it changes anything: a first deploy into a target
    /// that holds files (no manifest: never a Gazette target) without `--force`, or more
    /// deletions than `--max-deletes`. `None` when it may run.
    pub fn refusal(&self) -> Option<DeployError> {
        if !self.build.unfilled.is_empty() && !self.opts.force {
            return Some(unfilled_refusal(&self.build.unfilled));
        }
        if self.plan.first_into_nonempty() && !self.opts.force {
            let n = self.plan.foreign.len();
            let shown: Vec<String> = self.plan.foreign.iter().take(5).map(|p| clean(p)).collect();
            let more = if n > shown.len() { "……" } else { "" };
            return Some(DeployError::Refused(format!(
                "拒绝部署到 {}：这里从没有部署过 Gazette 网站（没有部署清单 {MANIFEST_NAME}），却已有 {n} 个文件，例如 {}{more} (refusing: the target was never a Gazette deploy target and holds {n} files; nothing was changed)。请核对 --to 是否写错；确实要部署到这里时加 --force：同名的文件会被网站的文件覆盖，其余文件保留不动，以后的部署也不会删除它们（这里若是旧版 gazette 部署过的网站，同样加一次 --force；旧版留下、新网站已没有的文件不会被自动删除，需要时请手动删除）",
                self.store.describe(),
                shown.join("、")
            )));
        }
        if !self.deletes_allowed() {
            return Some(DeployError::Refused(format!(
                "拒绝部署：这次会删除目标中 {} 个文件，超过上限 {}（--max-deletes）(refusing: {} deletions exceed --max-deletes {}; nothing was changed)。--to 写错时常会这样，请先用 --dry-run 核对；确实要删除时加 --force，或调高 --max-deletes",
                self.plan.deletes.len(),
                self.opts.max_deletes,
                self.plan.deletes.len(),
                self.opts.max_deletes
            )));
        }
        None
    }

    /// Writes the manifest unless the target already has exactly this one.
    fn write_manifest(&self, m: &Manifest) -> Result<(), DeployError> {
        let text = m.to_text();
        if self.manifest_text.as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        self.store.write_meta(MANIFEST_NAME, &text)
    }

    /// Carries out the plan: uploads step by step (files of a step in parallel), then, only
    /// if every upload succeeded, deletes. Stops taking work when `cancel` is set. A dry run
    /// or a plan over the max-deletes guard changes nothing.
    pub fn run(self, cancel: &AtomicBool, on_event: &(dyn Fn(&Event) + Sync)) -> Outcome {
        let started = std::time::Instant::now();
        let mut outcome = Outcome {
            unchanged: self.plan.unchanged,
            ..Outcome::default()
        };
        if self.opts.dry_run {
            return outcome;
        }
        if let Some(refused) = self.refusal() {
            outcome.error = Some(refused);
            return outcome;
        }
        // Before any upload the manifest names every file this deploy may put there, so
        // that a deploy cut short leaves no file of ours unknown.
        if let Err(e) = self.write_manifest(&self.plan.manifest_during) {
            outcome.error = Some(e);
            return outcome;
        }
        let done = AtomicUsize::new(0);
        let bytes = AtomicU64::new(0);
        let paused = AtomicBool::new(false);
        let failure: Mutex<Option<DeployError>> = Mutex::new(None);
        let stop = AtomicBool::new(false);
        for step in self.plan.steps() {
            if stop.load(Ordering::SeqCst) || cancel.load(Ordering::SeqCst) {
                break;
            }
            on_event(&Event::Step {
                phase: step[0].phase,
                new: step[0].new,
                files: step.len(),
            });
            let next = AtomicUsize::new(0);
            std::thread::scope(|s| {
                for _ in 0..self.opts.workers.min(step.len()) {
                    s.spawn(|| loop {
                        wait_while_paused(&paused, cancel);
                        if stop.load(Ordering::SeqCst) || cancel.load(Ordering::SeqCst) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(u) = step.get(i) else { break };
                        match self.upload(u) {
                            Ok(n) => {
                                bytes.fetch_add(n, Ordering::SeqCst);
                                let count = done.fetch_add(1, Ordering::SeqCst) + 1;
                                on_event(&Event::Uploaded {
                                    path: &u.path,
                                    bytes: n,
                                });
                                if self.opts.pause_after == Some(count) {
                                    paused.store(true, Ordering::SeqCst);
                                    on_event(&Event::Paused { after: count });
                                }
                            }
                            Err(e) => {
                                stop.store(true, Ordering::SeqCst);
                                if let Ok(mut f) = failure.lock() {
                                    f.get_or_insert(e);
                                }
                                break;
                            }
                        }
                    });
                }
            });
        }
        outcome.uploaded = done.load(Ordering::SeqCst);
        outcome.uploaded_bytes = bytes.load(Ordering::SeqCst);
        outcome.error = failure.into_inner().ok().flatten();
        let uploads_done = outcome.uploaded == self.plan.uploads.len();
        if outcome.error.is_none() && !uploads_done {
            outcome.interrupted = true;
        }
        if uploads_done && outcome.error.is_none() && !self.plan.deletes.is_empty() {
            on_event(&Event::Deleting {
                files: self.plan.deletes.len(),
            });
            for chunk in self.plan.deletes.chunks(200) {
                if cancel.load(Ordering::SeqCst) {
                    outcome.interrupted = true;
                    break;
                }
                match self.store.delete(chunk) {
                    Ok(n) => {
                        outcome.deleted += n;
                        on_event(&Event::Deleted { count: n });
                    }
                    Err(e) => {
                        outcome.error = Some(e);
                        break;
                    }
                }
            }
        }
        if outcome.complete() {
            if let Err(e) = self.write_manifest(&self.plan.manifest_after) {
                outcome.error = Some(e);
            }
        }
        outcome.notes = self.store.notes();
        outcome.seconds = started.elapsed().as_secs_f64();
        outcome
    }

    /// Reads one file of the build (again: its hash is taken from the bytes sent) and
    /// stores it with its headers. Returns its size.
    fn upload(&self, u: &Upload) -> Result<u64, DeployError> {
        let path = self.opts.out.join(&u.path);
        let bytes = std::fs::read(&path).map_err(|e| DeployError::Io(path, e))?;
        let md5: [u8; 16] = md5::Md5::digest(&bytes).into();
        let headers = self.opts.rules.headers_for(&u.path);
        self.store.put(&u.path, &bytes, &md5, &headers)?;
        Ok(bytes.len() as u64)
    }
}

/// The test hook's pause: every worker stops taking work until the process is killed (or
/// ten minutes pass, or the deploy is cancelled).
fn wait_while_paused(paused: &AtomicBool, cancel: &AtomicBool) {
    let until = std::time::Instant::now() + Duration::from_secs(600);
    while paused.load(Ordering::SeqCst)
        && !cancel.load(Ordering::SeqCst)
        && std::time::Instant::now() < until
    {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// S3 settings: command line, `[deploy]`, then the environment and the AWS profile.
fn s3_options(
    opts: &Options,
    bucket: &str,
    prefix: &str,
    env: credentials::Env,
) -> Result<s3::S3Options, DeployError> {
    let creds = credentials::resolve(
        opts.cli_profile.as_deref(),
        opts.config_profile.as_deref(),
        env,
    )
    .map_err(DeployError::Credentials)?;
    let var = |k: &str| {
        env(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let profile = creds
        .profile
        .clone()
        .or_else(|| var("AWS_PROFILE"))
        .unwrap_or_else(|| "default".into());
    let from_profile = credentials::profile_settings(env, &profile);
    Ok(s3::S3Options {
        bucket: bucket.to_string(),
        prefix: prefix.to_string(),
        endpoint: opts
            .endpoint
            .clone()
            .or_else(|| var("AWS_ENDPOINT_URL_S3"))
            .or_else(|| var("AWS_ENDPOINT_URL"))
            .or(from_profile.endpoint_url),
        region: opts
            .region
            .clone()
            .or_else(|| var("AWS_REGION"))
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .or(from_profile.region)
            .unwrap_or_else(|| "us-east-1".into()),
        addressing: opts.addressing,
        credentials: creds,
        workers: opts.workers,
        ca_bundle: var("AWS_CA_BUNDLE")
            .or(from_profile.ca_bundle)
            .map(PathBuf::from),
    })
}

/// Refuses folder targets where deploying would destroy the build itself or the site's
/// sources, and the clerk's home folder (`home`) or a folder that holds it.
pub fn check_folder_target(
    root: &Path,
    out: &Path,
    target: &Path,
    home: Option<&Path>,
) -> Result<(), DeployError> {
    let t = output::absolute(target);
    let o = output::absolute(out);
    let r = output::absolute(root);
    let shown = target.display();
    let refuse = |why: &str| {
        Err(DeployError::Refused(format!(
            "拒绝部署到 {shown}：{why}。请 --to 网站服务器的文件夹（例如 /srv/www/site）"
        )))
    };
    if r.starts_with(&t) {
        return refuse("它是网站的源文件夹或其上级 (the target holds the site's sources)");
    }
    if let Some(h) = home {
        let h = output::absolute(h);
        if h.starts_with(&t) {
            return refuse("它是你的主文件夹或其上级 (the target is your home folder or holds it)");
        }
    }
    if t.starts_with(&o) {
        return refuse("它就是要部署的生成结果或在其里面 (the target is inside the build)");
    }
    if o.starts_with(&t) {
        return refuse(
            "它包含要部署的生成结果，部署会把生成结果当作旧文件删除 (the target holds the build)",
        );
    }
    for input in output::INPUT_FOLDERS {
        if t.starts_with(r.join(input)) {
            return refuse(&format!(
                "它在网站的源文件夹 {input}/ 里面 (the target is inside {input}/)"
            ));
        }
    }
    if t.join("content").is_dir() || t.join("data").join("site.toml").exists() {
        return refuse(
            "里面有 content/ 或 data/（另一个网站的源文件）(the target holds a site's sources)",
        );
    }
    Ok(())
}

/// Every file of the build except hidden ones, hashed in parallel.
/// Pages that still show 【待填写】 are not deployed without `--force`.
fn unfilled_refusal(unfilled: &[String]) -> DeployError {
    let shown: Vec<String> = unfilled.iter().take(5).map(|p| clean(p)).collect();
    let more = if unfilled.len() > shown.len() {
        "……"
    } else {
        ""
    };
    DeployError::Refused(format!(
        "拒绝部署：网站中还有 {} 个页面显示【待填写】，例如 {}{more} (refusing: pages still show placeholders; nothing was changed)。这些是 gazette init 留下、还没有填写的内容，发布前要全部改完：gazette check 列出每一处的文件和行号；确实要先发布时加 --force",
        unfilled.len(),
        shown.join("、")
    ))
}

/// What `scan_build` found in a build.
pub struct Scanned {
    pub files: Vec<LocalFile>,
    /// Pages (`.html`) that hold the placeholder 【待填写】, by path.
    pub unfilled: Vec<String>,
}

/// Every file of the build (hidden ones aside), hashed, and the pages still holding a
/// placeholder (looked for while the bytes are in memory for hashing anyway).
pub fn scan_build(out: &Path) -> Result<Scanned, DeployError> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let walker = walkdir::WalkDir::new(out)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(out).to_path_buf();
            DeployError::Io(path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        let Some(rel) = rel.to_str() else {
            return Err(DeployError::Refused(format!(
                "文件名不是 UTF-8，无法作为网址发布：{} (file name is not UTF-8)",
                entry.path().display()
            )));
        };
        let rel = rel.replace(std::path::MAIN_SEPARATOR, "/");
        output::check_site_path(&rel).map_err(|e| DeployError::Refused(e.to_string()))?;
        found.push((rel, entry.path().to_path_buf()));
    }
    let placeholder = crate::domain::text::PLACEHOLDER.as_bytes();
    let scanned: Vec<(LocalFile, bool)> = found
        .par_iter()
        .map(|(rel, path)| {
            let bytes = std::fs::read(path).map_err(|e| DeployError::Io(path.clone(), e))?;
            let unfilled =
                rel.ends_with(".html") && memchr::memmem::find(&bytes, placeholder).is_some();
            let file = LocalFile {
                path: rel.clone(),
                size: bytes.len() as u64,
                md5: md5::Md5::digest(&bytes).into(),
            };
            Ok((file, unfilled))
        })
        .collect::<Result<_, DeployError>>()?;
    let unfilled = scanned
        .iter()
        .filter(|(_, u)| *u)
        .map(|(f, _)| f.path.clone())
        .collect();
    Ok(Scanned {
        files: scanned.into_iter().map(|(f, _)| f).collect(),
        unfilled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(to: &str) -> Settings {
        Settings {
            root: PathBuf::from("/site"),
            to: Some(to.into()),
            ..Settings::default()
        }
    }

    #[test]
    fn the_command_line_wins_over_the_config() {
        let config: DeployConfig = toml::from_str(
            "to = \"s3://from-config/x\"\nregion = \"cn-north-1\"\nmax_deletes = 10\nworkers = 3\nprofile = \"site\"",
        )
        .unwrap();
        let o = Options::resolve(&settings("s3://from-cli/y"), Some(&config)).unwrap();
        assert_eq!(
            o.target,
            Target::S3 {
                bucket: "from-cli".into(),
                prefix: "y/".into()
            }
        );
        assert_eq!((o.max_deletes, o.workers), (10, 3));
        assert_eq!(o.region.as_deref(), Some("cn-north-1"));
        assert_eq!(o.config_profile.as_deref(), Some("site"));
        assert_eq!(o.out, PathBuf::from("/site/public"));

        let mut s = settings("s3://b1/");
        s.to = None;
        let o = Options::resolve(&s, Some(&config)).unwrap();
        assert_eq!(o.target.to_string(), "s3://from-config/x/");

        let o = Options::resolve(&settings("s3://abc"), None).unwrap();
        assert_eq!(
            (o.max_deletes, o.workers),
            (DEFAULT_MAX_DELETES, DEFAULT_WORKERS)
        );
    }

    fn is_usage(e: DeployError) -> bool {
        matches!(e, DeployError::Usage(_))
    }

    #[test]
    fn usage_and_config_errors() {
        let mut s = settings("x");
        s.to = None;
        assert!(is_usage(Options::resolve(&s, None).unwrap_err()));
        assert!(is_usage(
            Options::resolve(&settings("ftp://x/y"), None).unwrap_err()
        ));
        let mut s = settings("/srv/www");
        s.endpoint = Some("http://127.0.0.1:9000".into());
        let e = Options::resolve(&s, None).unwrap_err();
        assert!(e.to_string().contains("--endpoint"), "{e}");
        assert!(matches!(e, DeployError::Usage(_)), "{e}");
        let mut s = settings("/srv/www");
        s.workers = Some(0);
        assert!(is_usage(Options::resolve(&s, None).unwrap_err()));
        let mut s = settings("s3://bucket/x");
        s.endpoint = Some("oss-cn-hangzhou.aliyuncs.com".into());
        assert!(is_usage(Options::resolve(&s, None).unwrap_err()));
        let bad: DeployConfig = toml::from_str("endpoint = \"ftp://x\"").unwrap();
        let e = Options::resolve(&settings("s3://bucket/x"), Some(&bad)).unwrap_err();
        assert!(matches!(e, DeployError::Config(_)), "{e}");
        let bad: DeployConfig = toml::from_str("workers = 1000").unwrap();
        let e = Options::resolve(&settings("/srv/www"), Some(&bad)).unwrap_err();
        assert!(matches!(e, DeployError::Config(_)), "{e}");
        let bad: DeployConfig = toml::from_str("to = \"s3://A\"").unwrap();
        let mut s = settings("x");
        s.to = None;
        let e = Options::resolve(&s, Some(&bad)).unwrap_err();
        assert!(
            matches!(e, DeployError::Config(_)),
            "a bad [deploy] is a problem in a file, not usage: {e}"
        );
    }

    #[test]
    fn folder_targets_that_would_destroy_the_build_or_sources_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::write(root.join("data/site.toml"), "").unwrap();
        let out = root.join("public");
        std::fs::create_dir_all(&out).unwrap();
        for bad in [
            out.clone(),
            out.join("x"),
            root.clone(),
            tmp.path().to_path_buf(),
            root.join("static/www"),
            PathBuf::from("/"),
        ] {
            assert!(
                check_folder_target(&root, &out, &bad, None).is_err(),
                "{}",
                bad.display()
            );
        }
        let other_site = tmp.path().join("other");
        std::fs::create_dir_all(other_site.join("content")).unwrap();
        assert!(check_folder_target(&root, &out, &other_site, None).is_err());
        assert!(check_folder_target(&root, &out, &tmp.path().join("www"), None).is_ok());
        assert!(check_folder_target(&root, &out, &root.join("www"), None).is_ok());
        let home = tmp.path().join("home/clerk");
        for bad in [home.clone(), tmp.path().join("home")] {
            assert!(check_folder_target(&root, &out, &bad, Some(&home)).is_err());
        }
        assert!(check_folder_target(&root, &out, &home.join("www"), Some(&home)).is_ok());
    }

    #[test]
    fn the_build_scan_leaves_out_hidden_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        std::fs::write(out.join(MARKER), "m").unwrap();
        std::fs::create_dir_all(out.join("a/.hidden")).unwrap();
        std::fs::write(out.join("a/.hidden/x"), "x").unwrap();
        std::fs::write(out.join("a/index.html"), "page").unwrap();
        std::fs::write(out.join("index.html"), "").unwrap();
        let files = scan_build(out).unwrap().files;
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["a/index.html", "index.html"]);
        assert_eq!(hex(&files[1].md5), "d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn service_text_is_cleaned_and_urls_redacted() {
        assert_eq!(clean("a\u{1b}[2Jb\r\nc"), "a\\u{1b}[2Jb\\u{d}\\u{a}c");
        assert_eq!(clean("evil\u{202e}txt"), "evil\\u{202e}txt");
        assert_eq!(clean("大连 ok"), "大连 ok");
        assert_eq!(clean(&"x".repeat(600)).chars().count(), 501);
        assert_eq!(
            redact_url("http://user:pw@127.0.0.1:9000/x@y"),
            "http://***@127.0.0.1:9000/x@y"
        );
        assert_eq!(redact_url("http://a:b@"), "http://***@");
        assert_eq!(
            redact_url("https://oss.example/a@b"),
            "https://oss.example/a@b"
        );
        assert_eq!(redact_url("no url at all"), "no url at all");
        let mut s = settings("s3://bucket/x");
        s.endpoint = Some("http://clerk:hunter2@127.0.0.1:9000".into());
        let e = Options::resolve(&s, None).unwrap_err();
        assert!(matches!(e, DeployError::Usage(_)), "{e}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn human_texts() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(12_345), "12.3 KB");
        assert_eq!(human_bytes(4_500_000), "4.5 MB");
        assert_eq!(age_text(Duration::from_secs(5)), "刚刚");
        assert_eq!(age_text(Duration::from_secs(180)), "3 分钟前");
        assert_eq!(age_text(Duration::from_secs(7200)), "2 小时前");
        assert_eq!(age_text(Duration::from_secs(3 * 86400)), "3 天前");
        assert!(is_hidden(".gazette-output") && is_hidden("a/.well-known/x"));
        assert!(!is_hidden("a.b/c.html"));
    }
}
