//! A confirmed deploy, run in the background so that the console can show its progress.
//!
//! The confirmation (`deploy/run`) starts a worker thread and answers with a redirect to
//! `deploy/progress`, which shows how far the deploy is (a `<progress>` bar, files and
//! bytes so far, the step) and, once it has ended, its outcome. Without JavaScript the
//! page has a "刷新进度" link; `console.js` refreshes the figures in place every second and
//! loads the outcome when the deploy has ended. The page is deliberately not reloaded by a
//! `<meta http-equiv="refresh">`: a page that reloads itself loses a screen reader's place
//! and its keyboard focus (WCAG 2.2.1, failure F41).
//!
//! The work is `Deployment::run`, exactly what `gazette deploy` runs; its events only
//! update the figures kept here. "停止部署" sets the same cancel flag as Ctrl-C does for
//! the command: the deploy stops between files and the live site stays whole.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

use gazette::deploy::{clean, human_bytes, Deployment, Event, Outcome};
use gazette::escape::html as esc;

use super::super::http::Reply;
use super::page::{self, Section};
use super::{html, Console, PREFIX};

/// The console's deploy: none yet, one running, or the last one's outcome.
#[derive(Default)]
pub(super) struct Deploys {
    current: Mutex<Option<Job>>,
}

/// One deploy as the progress page shows it.
struct Job {
    /// The target as shown (credentials removed).
    target: String,
    /// Beijing time it started, e.g. "14:05:09".
    started_at: String,
    started: Instant,
    /// The plan: files to upload (and their bytes), files to delete.
    uploads: usize,
    upload_bytes: u64,
    deletes: usize,
    /// How far it is.
    uploaded: usize,
    uploaded_bytes: u64,
    deleted: usize,
    /// The step under way, in words ("上传页面（120 个文件）").
    step: String,
    /// The test hook's pause, after this many uploads.
    paused: Option<usize>,
    /// Set by "停止部署" (the deploy stops between files).
    cancel: Arc<AtomicBool>,
    /// The outcome's HTML, once the deploy has ended.
    ended: Option<String>,
}

impl Job {
    fn new(target: String, d: &Deployment) -> Job {
        let plan = d.plan();
        Job {
            target,
            started_at: super::history::beijing_clock(),
            started: Instant::now(),
            uploads: plan.uploads.len(),
            upload_bytes: plan.upload_bytes(),
            deletes: plan.deletes.len(),
            uploaded: 0,
            uploaded_bytes: 0,
            deleted: 0,
            step: "准备上传".into(),
            paused: None,
            cancel: Arc::new(AtomicBool::new(false)),
            ended: None,
        }
    }

    /// Counts one of the deploy's events (and says the steps on the terminal, as before).
    fn count(&mut self, e: &Event) {
        match e {
            Event::Step { phase, files, .. } => {
                self.step = format!("上传{}（{files} 个文件）", phase.short_label());
                eprintln!("管理页面：部署：{}", self.step);
            }
            Event::Uploaded { bytes, .. } => {
                self.uploaded += 1;
                self.uploaded_bytes += bytes;
            }
            Event::Deleting { files } => {
                self.step = format!("全部上传成功，删除正式网站上已不用的 {files} 个文件");
                eprintln!("管理页面：部署：删除 {files} 个文件");
            }
            Event::Deleted { count } => self.deleted += count,
            Event::Paused { after } => {
                self.paused = Some(*after);
                eprintln!("test hook: paused after {after} uploads");
            }
        }
    }
}

impl Deploys {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Job>> {
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether a deploy is under way.
    pub(super) fn running(&self) -> bool {
        self.lock().as_ref().is_some_and(|j| j.ended.is_none())
    }
}

/// What the worker says once it knows whether the confirmed plan runs.
pub(super) enum Start {
    /// It runs: the progress page follows it.
    Running,
    /// It does not (the plan changed, was refused, or could not be made): this page says why.
    Page(String),
}

/// Starts the confirmed deploy on a worker thread. `check` runs on that thread with the
/// console's one-change-at-a-time lock held: it prepares the deployment and returns it, or
/// the page to show instead. The answer is a redirect to the progress page, or that page.
pub(super) fn start<F>(c: &Arc<Console>, check: F) -> Reply
where
    F: FnOnce(&Console) -> Result<Deployment, String> + Send + 'static,
{
    let (tell, told) = mpsc::channel();
    let console = Arc::clone(c);
    let spawned = std::thread::Builder::new()
        .name("console-deploy".into())
        .spawn(move || work(&console, check, &tell));
    if let Err(e) = spawned {
        return html(super::deploy::page(
            c,
            Some(&page::notice(
                "error",
                &format!(
                    "<p>不能开始部署，没有做任何改动：{}</p>",
                    esc(&e.to_string())
                ),
            )),
        ));
    }
    match told.recv() {
        Ok(Start::Running) => Reply::see_other(format!("{PREFIX}/deploy/progress")),
        Ok(Start::Page(p)) => html(p),
        // The worker ended without a word (it cannot, short of a bug).
        Err(_) => html(super::deploy::page(
            c,
            Some(&page::notice(
                "error",
                "<p>部署意外中止。请查看运行 gazette serve 的窗口中的信息，再部署一次。</p>",
            )),
        )),
    }
}

/// The worker: waits for the console's other changes, checks the plan, runs it.
fn work<F>(c: &Console, check: F, tell: &mpsc::Sender<Start>)
where
    F: FnOnce(&Console) -> Result<Deployment, String>,
{
    let _one_at_a_time = c.busy.lock().unwrap_or_else(|e| e.into_inner());
    let d = match check(c) {
        Ok(d) => d,
        Err(page) => {
            let _ = tell.send(Start::Page(page));
            return;
        }
    };
    let target = clean(&d.target());
    let cancel = {
        let mut current = c.deploys.lock();
        let job = Job::new(target.clone(), &d);
        let cancel = Arc::clone(&job.cancel);
        *current = Some(job);
        cancel
    };
    let _ = tell.send(Start::Running);
    // Should the run end without an outcome (a bug), the page says so instead of
    // showing a deploy that runs for ever.
    let _unfinished = Unfinished(&c.deploys);
    let total = d.plan().uploads.len() + d.plan().deletes.len();
    eprintln!("管理页面：开始部署到 {target}（{total} 项）(console: deploying)");
    let on_event = |e: &Event| {
        if let Some(job) = c.deploys.lock().as_mut() {
            job.count(e);
        }
    };
    let outcome = d.run(&cancel, &on_event);
    let ended = outcome_html(c, &target, &outcome);
    // A statement, not the block's tail: the lock must be let go before `_unfinished`
    // takes it again.
    let mut current = c.deploys.lock();
    if let Some(job) = current.as_mut() {
        job.ended = Some(ended);
    }
    drop(current);
}

/// Marks a deploy ended when its worker stops without an outcome.
struct Unfinished<'a>(&'a Deploys);

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if let Some(job) = self.0.lock().as_mut() {
            if job.ended.is_none() {
                job.ended = Some(page::notice(
                    "error",
                    "<p><strong>部署意外中止。</strong>正式网站仍然完整；请查看运行 gazette serve 的窗口中的信息，再部署一次。</p>",
                ));
            }
        }
    }
}

/// The outcome (also said on the terminal and kept in the session's changes).
fn outcome_html(c: &Console, target: &str, outcome: &Outcome) -> String {
    let counts = format!(
        "上传 {} 个文件（{}），删除 {} 个，未改动 {} 个",
        outcome.uploaded,
        human_bytes(outcome.uploaded_bytes),
        outcome.deleted,
        outcome.unchanged
    );
    let mut main = String::new();
    let what = if outcome.complete() {
        eprintln!("管理页面：部署完成：{counts} (deployed)");
        main.push_str(&page::notice(
            "ok",
            &format!(
                "<p>部署完成：{counts}，用时 {:.1} 秒。</p>",
                outcome.seconds
            ),
        ));
        format!("部署到 {target}：{counts}")
    } else {
        let why = match &outcome.error {
            Some(e) => clean(&e.to_string()),
            None if outcome.interrupted => "在管理页面上点了“停止部署”".into(),
            None => "部署被中断".into(),
        };
        eprintln!("管理页面：部署没有完成：{why} (deploy incomplete)");
        main.push_str(&page::notice(
            "error",
            &format!(
                "<p><strong>部署没有完成：</strong>{}</p><p>已{}。正式网站仍然完整（旧版本，或部分已更新、链接都有效）；改正问题后再部署一次即可完成。</p>",
                esc(&why),
                esc(&counts)
            ),
        ));
        format!("部署到 {target}（没有完成）：{counts}")
    };
    for n in &outcome.notes {
        let _ = write!(main, "<p>{}</p>", esc(&clean(n)));
    }
    let n = c.history.add(what, Vec::new());
    let _ = write!(
        main,
        "<div class=\"actions\"><a class=\"button\" href=\"{PREFIX}/\">回到总览</a><a class=\"button secondary\" href=\"{PREFIX}/changes/{n}\">改动记录</a><a class=\"button secondary\" href=\"{PREFIX}/deploy\">返回部署页面</a></div>"
    );
    main
}

/// `deploy/progress`: the running deploy's figures, or the last deploy's outcome.
pub(super) fn progress(c: &Console) -> Reply {
    let current = c.deploys.lock();
    let Some(job) = current.as_ref() else {
        return Reply::see_other(format!("{PREFIX}/deploy"));
    };
    if let Some(ended) = &job.ended {
        return html(page::frame(Section::Deploy, "部署结果", ended));
    }
    html(page::frame(
        Section::Deploy,
        "正在部署",
        &running_html(job, &c.token),
    ))
}

/// The running deploy's page. The parts with `data-update` are what `console.js` replaces
/// in place; `data-deploy-running` marks a deploy still under way.
fn running_html(job: &Job, token: &str) -> String {
    let total = job.uploads + job.deletes;
    let done = job.uploaded + job.deleted;
    let stopping = if job.cancel.load(Ordering::SeqCst) {
        "<p>正在停止：当前的文件传完后停止。</p>"
    } else {
        ""
    };
    // The test hook's pause is for tests, not for the clerk's eyes.
    let paused = job
        .paused
        .map(|n| format!(" data-paused=\"{n}\""))
        .unwrap_or_default();
    format!(
        "<div data-deploy-running>\
<p id=\"d-step\" role=\"status\" data-update>正在部署到 <code>{target}</code>：{step}</p>\
<p id=\"d-figures\" data-update{paused}>已上传 {up} 个文件，共 {ups} 个（{up_bytes}，共 {ups_bytes}）；已删除 {del} 个，共 {dels} 个。{stopping}</p>\
<progress id=\"d-bar\" max=\"{max}\" value=\"{done}\" aria-labelledby=\"d-figures\" data-update>{done} / {max}</progress>\
<p id=\"d-time\" data-update>{at} 开始，已用时 {secs} 秒。</p></div>\
<p>部署期间请不要关闭 gazette serve。可以离开这个页面，部署仍会继续；回到“部署”页面能再看到进度。部署完成后，这个页面显示结果。</p>\
<div class=\"actions\"><a class=\"button\" href=\"{PREFIX}/deploy/progress\">刷新进度</a>\
<form class=\"inline\" method=\"post\" action=\"{PREFIX}/deploy/stop\">{token_field}<button type=\"submit\" class=\"secondary\">停止部署</button></form></div>",
        target = esc(&job.target),
        step = esc(&job.step),
        up = job.uploaded,
        ups = job.uploads,
        up_bytes = human_bytes(job.uploaded_bytes),
        ups_bytes = human_bytes(job.upload_bytes),
        del = job.deleted,
        dels = job.deletes,
        max = total.max(1),
        at = job.started_at,
        secs = job.started.elapsed().as_secs(),
        token_field = page::token_field(token),
    )
}

/// `deploy/stop`: asks the running deploy to stop, then shows its progress.
pub(super) fn stop(c: &Console) -> Reply {
    if let Some(job) = c.deploys.lock().as_ref() {
        if job.ended.is_none() {
            job.cancel.store(true, Ordering::SeqCst);
            eprintln!("管理页面：已请求停止部署 (console: stop requested)");
        }
    }
    Reply::see_other(format!("{PREFIX}/deploy/progress"))
}

/// A sentence for the deploy page about the deploy under way or just ended, if any.
pub(super) fn status_notice(c: &Console) -> Option<String> {
    let current = c.deploys.lock();
    let job = current.as_ref()?;
    let text = if job.ended.is_none() {
        format!(
            "<p>正在部署到 <code>{}</code>（{} 开始）。<a href=\"{PREFIX}/deploy/progress\">查看部署进度</a></p>",
            esc(&job.target),
            job.started_at
        )
    } else {
        format!(
            "<p>上一次部署（{} 开始，部署到 <code>{}</code>）已结束。<a href=\"{PREFIX}/deploy/progress\">查看结果</a></p>",
            job.started_at,
            esc(&job.target)
        )
    };
    Some(page::notice("info", &text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gazette::deploy::Phase;

    fn job() -> Job {
        Job {
            target: "/srv/<www>".into(),
            started_at: "14:05:09".into(),
            started: Instant::now(),
            uploads: 3,
            upload_bytes: 3000,
            deletes: 2,
            uploaded: 0,
            uploaded_bytes: 0,
            deleted: 0,
            step: String::new(),
            paused: None,
            cancel: Arc::new(AtomicBool::new(false)),
            ended: None,
        }
    }

    #[test]
    fn events_move_the_figures_and_the_step() {
        let mut j = job();
        j.count(&Event::Step {
            phase: Phase::Pages,
            new: true,
            files: 3,
        });
        assert_eq!(j.step, "上传页面（3 个文件）");
        j.count(&Event::Uploaded {
            path: "a.html",
            bytes: 1000,
        });
        j.count(&Event::Uploaded {
            path: "b.html",
            bytes: 500,
        });
        j.count(&Event::Deleting { files: 2 });
        j.count(&Event::Deleted { count: 2 });
        assert_eq!((j.uploaded, j.uploaded_bytes, j.deleted), (2, 1500, 2));
        assert!(j.step.contains("删除"), "{}", j.step);
    }

    #[test]
    fn the_running_page_escapes_the_target_and_shows_the_bar() {
        let mut j = job();
        j.uploaded = 2;
        let h = running_html(&j, "tok");
        assert!(h.contains("/srv/&lt;www&gt;"), "{h}");
        assert!(h.contains("max=\"5\" value=\"2\""), "{h}");
        assert!(h.contains("data-deploy-running"));
        assert!(!h.contains("正在停止"));
        j.cancel.store(true, Ordering::SeqCst);
        assert!(running_html(&j, "tok").contains("正在停止"));
    }
}
