//! `gazette serve`: builds the site into memory, serves it on 127.0.0.1, rebuilds when a
//! source changes and reloads the open pages. Nothing is written to disk, so the published
//! folder is never touched and stopping (Ctrl-C) leaves nothing behind.

mod conn;
mod console;
mod http;
mod inject;
mod paths;
mod state;
mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use clap::Args;

use gazette::build::{self, build_in_memory, build_pages_in_memory, LoadOptions};
use gazette::render::Skip;

use super::prelude::*;

#[derive(Args, Debug)]
#[command(
    after_help = "预览只在内存中生成，不写任何文件，也不改动已发布的网站；按 Ctrl-C 停止。
草稿名单在预览中显示（每页标有“草稿”），gazette build 不会发布它们。
例如：
  gazette serve                 在 http://127.0.0.1:1111/ 预览，
                                管理页面在 http://127.0.0.1:1111/__gazette/console/
  gazette serve --port 8080
  gazette serve --no-console    只预览，不提供管理页面"
)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    pub root: RootArgs,
    #[command(flatten)]
    pub today: TodayArgs,
    /// 端口（默认 1111；0 表示任选一个空闲端口）
    #[arg(long, value_name = "端口", default_value_t = 1111)]
    pub port: u16,
    /// 监听的地址（默认 127.0.0.1：只有本机能访问）
    #[arg(long, value_name = "地址", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// 不提供管理页面（只预览网站）
    #[arg(long)]
    pub no_console: bool,
    /// 启动后在浏览器中打开管理页面（没有管理页面时打开预览）
    #[arg(long)]
    pub open: bool,
}

pub(super) fn run(args: ServeArgs) -> Exit {
    let root = match args.root.root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "错误：找不到网站文件夹 {}：{e} (cannot open the site folder)；--root 要指向包含 content/ 和 data/ 的文件夹",
                shown(&args.root.root)
            );
            return Exit::Usage;
        }
    };
    let server = match std::net::TcpListener::bind(SocketAddr::new(args.bind, args.port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "错误：无法在 {}:{} 上监听：{e} (cannot listen)；端口可能已被占用：用 --port 换一个，或 --port 0 任选一个空闲端口",
                args.bind, args.port
            );
            return Exit::Usage;
        }
    };
    let port = server.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let url = format!("http://{}/", display_host(args.bind, port));
    if !args.bind.is_loopback() {
        eprintln!(
            "警告：预览对其他电脑可见（监听 {}）(reachable from other computers)；不加 --bind（默认 127.0.0.1）则只有本机能访问",
            args.bind
        );
    }
    let load = LoadOptions {
        root: root.clone(),
        today: args.today.today.unwrap_or_else(build::today_cst),
        base_url: Some(url.clone()),
        include_drafts: true,
    };

    // Watch before the first build, so an edit made while it runs is not lost.
    let watcher = match watch::SourceWatcher::start(&root) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("错误：{e}");
            // A folder that is no site is a wrong --root; else it cannot be watched (too
            // many watches, no permission).
            let site = watch::WATCHED.iter().any(|d| root.join(d).is_dir());
            return if site { Exit::Output } else { Exit::Usage };
        }
    };
    // Stop on Ctrl-C (and kill -INT/-TERM) even when started in the background, where a
    // shell leaves SIGINT ignored. Nothing is on disk, so there is nothing to clean up.
    if let Err(e) = ctrlc::set_handler(|| {
        eprintln!("已停止预览 (preview stopped)");
        std::process::exit(Exit::Interrupted.status());
    }) {
        eprintln!("警告：无法处理 Ctrl-C：{e} (cannot handle Ctrl-C)；请用 kill 停止预览");
    }
    let live = Arc::new(state::Live::new());
    eprintln!("正在生成网站 (building) {} …", shown(&root));
    rebuild(&load, &live, None, true);
    eprintln!("预览地址 (serving at) {url}");
    eprintln!("修改 content/、data/ 或 themes/ 下的文件后会自动重新生成并刷新页面；按 Ctrl-C 停止 (edits rebuild and reload; Ctrl-C stops)");

    let mut handler = http::Server::new(live.clone());
    if args.bind.is_loopback() {
        handler = handler.on_loopback(port);
    }
    let mut first_page = url.clone();
    match console_for(&args, &root, port) {
        Ok(Some(c)) => {
            handler = handler.with_console(c);
            first_page = format!("{url}__gazette/console/");
            eprintln!("管理页面 (console) {first_page} ：导入表格、公示、撤回、公告、部署");
        }
        Ok(None) => {}
        Err(e) => eprintln!("警告：管理页面没有启动：{e} (console not started)"),
    }
    let handler = Arc::new(handler);
    std::thread::spawn(move || conn::serve(server, handler));
    if args.open {
        open_in_browser(&first_page);
    }

    while let Some(batch) = watcher.next_batch() {
        rebuild(&load, &live, Some(&batch), false);
    }
    eprintln!("错误：文件监视已停止 (the file watcher stopped)；请重新运行 gazette serve");
    Exit::Output
}

/// Opens `url` in the default browser; says where to go when that fails.
fn open_in_browser(url: &str) {
    // `start` is a command of cmd.exe; its first quoted argument is a window title.
    let launched = if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .status()
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).status()
    } else {
        std::process::Command::new("xdg-open").arg(url).status()
    };
    if !matches!(launched, Ok(s) if s.success()) {
        eprintln!("请在浏览器中打开 (open in a browser) {url}");
    }
}

/// The console, unless turned off or the preview is reachable from other computers (a
/// page that changes files is offered on the loopback only).
fn console_for(
    args: &ServeArgs,
    root: &Path,
    port: u16,
) -> Result<Option<console::Console>, String> {
    if args.no_console {
        return Ok(None);
    }
    if !args.bind.is_loopback() {
        eprintln!("提示：预览对其他电脑可见，所以不提供管理页面 (no console when reachable from other computers)");
        return Ok(None);
    }
    console::Console::new(root.to_path_buf(), port, args.today.today).map(Some)
}

/// Rebuilds and swaps the result in; on failure keeps the last good site and shows why.
fn rebuild(
    load: &LoadOptions,
    live: &state::Live,
    changed: Option<&BTreeSet<PathBuf>>,
    first: bool,
) {
    if let Some(changed) = changed {
        let names: Vec<String> = changed.iter().map(|p| shown(p)).collect();
        eprintln!("已修改 (changed)：{}", names.join("、"));
    }
    // After an edit, the pages come first (search index, downloads and feeds are the
    // slow part of a large site and rarely what staff are checking); the complete site
    // follows a moment later and replaces it. An open page reloads after the first step
    // and, only if its HTML differs, after the second.
    if first {
        build_and_publish(load, live, Step::Complete);
    } else if build_and_publish(load, live, Step::Pages) {
        // Tests widen the gap between the steps, so that an open page is served from the
        // first one before the second lands.
        if let Some(ms) = std::env::var("GAZETTE_TEST_STEP_PAUSE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        build_and_publish(load, live, Step::Completion);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The first build: everything.
    Complete,
    /// After an edit: the pages only, without the link check (the next step does it).
    Pages,
    /// Everything, after `Pages`.
    Completion,
}

/// One build into memory, swapped in on success; on failure the last good site stays
/// and the error is shown. Returns whether it succeeded.
fn build_and_publish(load: &LoadOptions, live: &state::Live, step: Step) -> bool {
    let started = Instant::now();
    let built = match step {
        Step::Pages => build_pages_in_memory(load),
        _ => build_in_memory(load, Skip::default()),
    };
    match built {
        Ok(built) => {
            if step == Step::Complete && !built.warnings.is_empty() {
                eprint!("{}", built.warnings.render(color()));
            }
            let pages = built.files.keys().filter(|k| k.ends_with(".html")).count();
            let files = built.files.len();
            let (load_ms, render_ms) = (built.load_seconds * 1000.0, built.render_seconds * 1000.0);
            match step {
                Step::Complete => live.publish_site(built.files),
                Step::Pages => live.publish_pages(built.files),
                Step::Completion => live.complete_site(built.files),
            }
            let what = if step == Step::Pages {
                "页面"
            } else {
                "网站"
            };
            eprintln!(
                "已生成{what}：{pages} 个页面，{files} 个文件，{} 家企业，用时 {:.0} 毫秒（读取 {load_ms:.0}，生成 {render_ms:.0}）(built)",
                built.enterprises,
                started.elapsed().as_secs_f64() * 1000.0
            );
            true
        }
        Err(diags) => {
            eprint!("{}", diags.render(color()));
            let kept = if live.current().has_site {
                "仍在预览上一次成功生成的网站 (still serving the last good site)"
            } else {
                "还没有可以预览的网站 (no site to serve yet)"
            };
            eprintln!("生成失败 (build failed)：{kept}；改正错误并保存后会自动重新生成");
            live.publish_error(diags.render(false));
            false
        }
    }
}

/// The host part of the preview URL: a wildcard bind is reached through the loopback.
fn display_host(bind: IpAddr, port: u16) -> String {
    match bind {
        IpAddr::V4(a) if a.is_unspecified() => format!("127.0.0.1:{port}"),
        IpAddr::V6(a) if a.is_unspecified() => format!("[::1]:{port}"),
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}
