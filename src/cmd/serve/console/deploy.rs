//! Building and deploying from the console: "生成网站" (what `gazette build` does, into the
//! site's `public/`, switched in whole), then the deploy's plan (uploads, deletions, bytes,
//! refusals) before a confirm button, then its progress and outcome (`deploying`). The
//! work is `gazette::build::build` and `gazette::deploy::Deployment`, exactly what `gazette build` and `gazette deploy` run;
//! the target is `[deploy]` of `data/site.toml` or one typed in the form (like `--to`).
//! Access keys stay in the environment or `~/.aws` and are never shown.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use gazette::build::{BuildError, BuildOptions, LoadOptions};
use gazette::deploy::{clean, human_bytes, redact_url, Deployment, Options, Settings, Wait};
use gazette::escape::html as esc;
use gazette::render::Skip;

use super::super::http::Reply;
use super::deploying;
use super::form::Form;
use super::page::{self, Section};
use super::{html, Console, PREFIX};

/// Lists longer than this are folded (`<details>`).
const FOLD: usize = 12;

/// The deploy page: the build to deploy, a "生成网站" button, and the form that shows the
/// plan; `notice` (HTML) above.
pub(super) fn page(c: &Console, notice: Option<&str>) -> String {
    let mut main = deploying::status_notice(c).unwrap_or_default();
    if let Some(n) = notice {
        main.push_str(n);
    }
    let out = c.root.join("public");
    let _ = write!(
        main,
        "<p>部署就是把生成好的网站（网站文件夹下的 <code>public</code>）上传到正式网站：只上传有变化的文件，全部上传成功后才删除正式网站上已不存在的文件。先生成网站，再查看部署计划，确认后才会部署。</p>\
<h2 id=\"build\">第一步：生成网站</h2><p>{state}</p>\
<form method=\"post\" action=\"{PREFIX}/deploy/build\">{token}<div class=\"actions\"><button type=\"submit\">生成网站</button></div></form>",
        state = build_state(&out),
        token = page::token_field(&c.token),
    );
    let configured = configured_target(c);
    let hint = match &configured {
        Some(t) => format!(
            "不填时部署到 data/site.toml 的 [deploy] 中设定的目标：<code>{}</code>",
            esc(&clean(&redact_url(t)))
        ),
        None => "data/site.toml 中没有设定 [deploy] 的目标（to），请在这里填写".to_string(),
    };
    let _ = write!(
        main,
        "<h2 id=\"plan\">第二步：查看部署计划</h2><form method=\"post\" action=\"{PREFIX}/deploy/plan\"><fieldset><legend>部署到哪里</legend>{token}\
<label for=\"d-to\">部署目标（可以不填）</label><p class=\"hint\" id=\"d-to-hint\">{hint}。也可以填服务器上文件夹的完整路径，或 s3://存储桶/前缀。访问密钥不要填在这里（用环境变量或 ~/.aws/credentials）。</p>\
<input type=\"text\" id=\"d-to\" name=\"to\" autocomplete=\"off\" aria-describedby=\"d-to-hint\">\
<div class=\"actions\"><button type=\"submit\">查看部署计划</button></div></fieldset></form>",
        token = page::token_field(&c.token),
    );
    page::frame(Section::Deploy, "部署网站", &main)
}

/// What is in `public/` now, in a sentence.
fn build_state(out: &Path) -> String {
    match std::fs::metadata(out.join(gazette::output::MARKER)).and_then(|m| m.modified()) {
        Ok(t) => {
            let age = t.elapsed().unwrap_or_default();
            format!(
                "网站文件夹下的 public 中有 {} 生成的网站。网站的文件改动过时，请先重新生成。",
                esc(&gazette::deploy::age_text(age))
            )
        }
        Err(_) => "还没有生成网站（public 中没有完整的生成结果）：请先点“生成网站”。".into(),
    }
}

/// The target of `[deploy]` in `data/site.toml`, as written there.
fn configured_target(c: &Console) -> Option<String> {
    let mut diags = gazette::diag::Diagnostics::new();
    let site = gazette::load::read_site_config(&c.root, &mut diags);
    site?.deploy?.to
}

/// A submitted form: `build`, `plan`, `run` (the confirmation: the deploy starts and its
/// progress page follows) or `stop`.
pub(super) fn act(c: &Arc<Console>, action: &str, form: &Form) -> Reply {
    match action {
        "build" => html(build(c)),
        "plan" => html(plan(c, form)),
        "run" => {
            let form = form.clone();
            deploying::start(c, move |c| confirmed(c, &form))
        }
        "stop" => deploying::stop(c),
        _ => super::not_found(),
    }
}

/// Builds the site into `public/` as `gazette build` does (whole or not at all).
fn build(c: &Console) -> String {
    if c.deploys.running() {
        // The deploy reads public/: a build would wait for it (minutes), so say so now.
        return page(
            c,
            Some(&page::notice(
                "error",
                "<p>正在部署，部署完成后才能重新生成网站；public 中的网站没有改动。</p>",
            )),
        );
    }
    let _one_at_a_time = c.busy.lock().unwrap_or_else(|e| e.into_inner());
    let opts = BuildOptions {
        load: LoadOptions {
            root: c.root.clone(),
            today: c.today(),
            base_url: None,
            include_drafts: false,
        },
        out: c.root.join("public"),
        skip: Skip::default(),
        keep_previous: true,
    };
    let on_wait = || {
        eprintln!("管理页面：另一个 gazette build 或 gazette deploy 正在使用 public，等待它完成…… (waiting for another build or deploy)")
    };
    eprintln!("管理页面：正在生成网站…… (console: building)");
    let notice = match gazette::build::build(&opts, &on_wait) {
        Ok(r) => {
            eprintln!(
                "管理页面：已生成 {} 个页面 (console: built {} pages)",
                r.pages, r.pages
            );
            let mut n = page::notice(
                "ok",
                &format!(
                    "<p>已生成网站：{} 个页面（{} 份名单，{} 家企业），用时 {:.1} 秒。下一步：查看部署计划。</p>",
                    r.pages, r.lists, r.enterprises, r.seconds
                ),
            );
            if !r.warnings.is_empty() {
                n.push_str("<p>提醒：</p>");
                n.push_str(&page::problems(&c.root, &r.warnings));
            }
            n
        }
        Err(BuildError::Input(d)) => {
            let mut n = page::notice(
                "error",
                "<p>没有生成网站；public 中原来的网站没有改动。原因如下（与 gazette build 相同）：</p>",
            );
            n.push_str(&page::problems(&c.root, &d));
            n
        }
        Err(BuildError::Output(e)) => page::notice(
            "error",
            &format!("<p>没有生成网站：{}</p>", esc(&clean(&e.to_string()))),
        ),
    };
    page(c, Some(&notice))
}

/// The deploy's options from the form (its target, `force`) over `[deploy]`.
fn options(c: &Console, form: &Form, dry_run: bool) -> Result<Options, String> {
    let to = form.get("to");
    if let Some(t) = to {
        if !t.starts_with("s3://") && !Path::new(t).is_absolute() {
            return Err(format!(
                "“{}”不是完整的路径：请写服务器上文件夹的完整路径（例如 /srv/www/site 或 D:\\网站），或 s3://存储桶/前缀",
                clean(&redact_url(t))
            ));
        }
    }
    let mut diags = gazette::diag::Diagnostics::new();
    let site = gazette::load::read_site_config(&c.root, &mut diags);
    if diags.has_errors() {
        return Err("data/site.toml 有错误：请先在总览中查看检查结果".into());
    }
    let settings = Settings {
        root: c.root.clone(),
        to: to.map(str::to_string),
        dry_run,
        force: form.get("force").is_some(),
        pause_after: crate::cmd::prelude::deploy_pause_hook(),
        ..Settings::default()
    };
    Options::resolve(&settings, site.as_ref().and_then(|s| s.deploy.as_ref()))
        .map_err(|e| e.to_string())
}

fn prepare(c: &Console, form: &Form, dry_run: bool) -> Result<Deployment, String> {
    let opts = options(c, form, dry_run)?;
    let on_wait = |w: Wait| {
        match w {
        Wait::Build => eprintln!("管理页面：gazette build 正在写入 public，等它完成后再部署…… (waiting for a build)"),
        Wait::Target(who) => eprintln!("管理页面：另一次部署正在写入这个目标（{who}），等它完成…… (another deploy holds the target)"),
    }
    };
    let env = |k: &str| std::env::var(k).ok();
    Deployment::prepare(opts, &env, &on_wait).map_err(|e| e.to_string())
}

/// The plan, with a button that carries it out.
fn plan(c: &Console, form: &Form) -> String {
    match prepare(c, form, true) {
        Ok(d) => plan_page(c, form, &d, None),
        Err(e) => page(c, Some(&refused(&e))),
    }
}

fn refused(why: &str) -> String {
    page::notice(
        "error",
        &format!("<p>不能部署，没有做任何改动：{}</p>", esc(&clean(why))),
    )
}

/// The plan's identity: which files would be uploaded and deleted. The confirmation
/// carries it, so that a plan that changed in between is shown again, not run.
fn fingerprint(d: &Deployment) -> String {
    let plan = d.plan();
    let mut h = std::hash::DefaultHasher::new();
    d.target().hash(&mut h);
    for u in &plan.uploads {
        (&u.path, u.size).hash(&mut h);
    }
    plan.deletes.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Names in a list, folded when long.
fn names(summary: &str, items: &[String]) -> String {
    let list: String = items
        .iter()
        .map(|p| format!("<li><code>{}</code></li>", esc(p)))
        .collect();
    if items.len() > FOLD {
        format!(
            "<details><summary>{summary}（点开看全部 {} 个）</summary><ul>{list}</ul></details>",
            items.len()
        )
    } else {
        format!("<p>{summary}：</p><ul>{list}</ul>")
    }
}

fn plan_page(c: &Console, form: &Form, d: &Deployment, notice: Option<&str>) -> String {
    let plan = d.plan();
    let build = d.build();
    let mut main = String::new();
    if let Some(n) = notice {
        main.push_str(n);
    }
    let target = clean(&d.target());
    let new = plan.new_files();
    let _ = write!(
        main,
        "<table><tbody>\
<tr><th scope=\"row\">部署目标</th><td><code>{target}</code></td></tr>\
<tr><th scope=\"row\">要部署的网站</th><td>{files} 个文件，{bytes}，{built}生成</td></tr>\
<tr><th scope=\"row\">上传</th><td>{up} 个文件（新增 {new} 个，改动 {changed} 个），共 {up_bytes}</td></tr>\
<tr><th scope=\"row\">删除</th><td>{del} 个文件（正式网站上有、新生成的网站中已没有的）</td></tr>\
<tr><th scope=\"row\">未改动</th><td>{same} 个文件</td></tr>\
</tbody></table>",
        target = esc(&target),
        files = build.files,
        bytes = human_bytes(build.bytes),
        built = esc(&build.describe()),
        up = plan.uploads.len(),
        changed = plan.uploads.len() - new,
        up_bytes = human_bytes(plan.upload_bytes()),
        del = plan.deletes.len(),
        same = plan.unchanged,
    );
    let left = plan.foreign_left();
    if left > 0 && (plan.marked || d.options().force) {
        let _ = write!(
            main,
            "<p>目标中有 {left} 个文件不是本网站的部署放上去的，不会删除。</p>"
        );
    }
    if plan.kept > 0 {
        let _ = write!(
            main,
            "<p>保留目标中 {} 个按 [deploy] 的 keep 规则保留的文件。</p>",
            plan.kept
        );
    }
    if plan.uploads.is_empty() && plan.deletes.is_empty() {
        main.push_str(&page::notice(
            "ok",
            "<p>正式网站已经是最新的：没有要上传或删除的文件。网站的文件改动过时，请先在部署页面重新生成网站。</p>",
        ));
        let _ = write!(
            main,
            "<div class=\"actions\"><a class=\"button secondary\" href=\"{PREFIX}/deploy\">返回部署页面</a></div>"
        );
        return page::frame(Section::Deploy, "部署计划", &main);
    }
    if !plan.uploads.is_empty() {
        let list: Vec<String> = plan
            .uploads
            .iter()
            .map(|u| {
                let mark = if u.new { "新增" } else { "改动" };
                format!("{}（{mark}，{}）", u.path, human_bytes(u.size))
            })
            .collect();
        main.push_str("<h2>要上传的文件</h2>");
        main.push_str(&names("要上传的文件", &list));
    }
    if !plan.deletes.is_empty() {
        let list: Vec<String> = plan.deletes.iter().map(|p| clean(p)).collect();
        main.push_str("<h2>要删除的文件</h2>");
        main.push_str(&names("要从正式网站删除的文件", &list));
    }
    let forced = form.get("force").is_some();
    let refusal = d.refusal();
    if let Some(r) = &refusal {
        main.push_str(&page::notice(
            "error",
            &format!(
                "<p><strong>这次部署会被拒绝：</strong>{}</p><p>请先核对部署目标是否写错。确实要这样部署时，勾选下面的“仍然部署”再确认（同命令行的 --force）。</p>",
                esc(&clean(&r.to_string()))
            ),
        ));
    }
    let to = form.get("to").unwrap_or("");
    let force_box = if refusal.is_some() || forced {
        format!(
            "<label class=\"check\"><input type=\"checkbox\" name=\"force\" value=\"1\"{}> 仍然部署（我已核对目标和要删除的文件）</label>",
            if forced { " checked" } else { "" }
        )
    } else {
        String::new()
    };
    let _ = write!(
        main,
        "<form method=\"post\" action=\"{PREFIX}/deploy/run\">{token}\
<input type=\"hidden\" name=\"to\" value=\"{to}\"><input type=\"hidden\" name=\"plan\" value=\"{fp}\">{force_box}\
<p class=\"hint\">确认后显示部署的进度，完成后显示结果。部署期间请不要关闭 gazette serve；文件多时需要几分钟。</p>\
<div class=\"actions\"><button type=\"submit\">确认部署</button><a class=\"button secondary\" href=\"{PREFIX}/deploy\">取消</a></div></form>",
        token = page::token_field(&c.token),
        to = esc(to),
        fp = fingerprint(d),
    );
    page::frame(Section::Deploy, "请确认部署计划", &main)
}

/// The confirmed plan, if it is still the one shown and not refused; otherwise the page
/// to show instead (the new plan, or why not). Runs on the deploy's worker thread.
fn confirmed(c: &Console, form: &Form) -> Result<Deployment, String> {
    let d = prepare(c, form, false).map_err(|e| page(c, Some(&refused(&e))))?;
    if form.get("plan") != Some(fingerprint(&d).as_str()) {
        let n = page::notice(
            "error",
            "<p>部署计划在确认前有了变化（网站重新生成过，或正式网站上的文件变了），没有部署。下面是新的计划，请再确认一次。</p>",
        );
        return Err(plan_page(c, form, &d, Some(&n)));
    }
    if d.refusal().is_some() {
        // Not confirmed with 仍然部署: the plan again, with the refusal and the box.
        return Err(plan_page(c, form, &d, None));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_folded_and_names_escaped() {
        let short: Vec<String> = vec!["a<b>.html".into()];
        let s = names("要上传的文件", &short);
        assert!(s.contains("a&lt;b&gt;.html"), "{s}");
        assert!(!s.contains("<details>"));
        let long: Vec<String> = (0..=FOLD).map(|i| format!("p{i}.html")).collect();
        let l = names("要上传的文件", &long);
        assert!(l.starts_with("<details><summary>"), "{l}");
        assert!(l.contains(&format!("全部 {} 个", FOLD + 1)));
    }
}
