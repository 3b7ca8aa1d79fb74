//! A list's page in the console and its four changes (publish, withdraw, restore,
//! announce), each previewed before it is written. The changes are
//! `gazette::edit::list::{preview, change}`, exactly what `gazette list …` runs.

use std::fmt::Write as _;

use gazette::diag::Diagnostics;
use gazette::domain::datefmt::zh_date;
use gazette::edit::list::{Change, Edited};
use gazette::escape::html as esc;
use gazette::lists::write::{Length, PeriodSpec};
use gazette::lists::{ListEntry, Next};
use gazette::source::list::EnterpriseFile;

use super::super::http::Reply;
use super::form::Form;
use super::history::FileChange;
use super::overview::list_link;
use super::page::{self, Section};
use super::{html, Console, PREFIX};
use crate::cmd::list::done_zh;

/// The page of the list named by the form's `id`, with `error` (HTML) above the forms.
pub(super) fn page(c: &Console, form: &Form, error: Option<&str>) -> String {
    let id = form.get("id").unwrap_or("");
    let mut diags = Diagnostics::new();
    let Some(site) = gazette::validate::load_site_data(&c.root, &mut diags) else {
        return problems_page(c, "数据文件有错误", &diags, id);
    };
    let entry = match gazette::lists::find(&c.root, id, &site) {
        Ok(e) => e,
        Err(d) => return problems_page(c, "找不到这份名单", &d, ""),
    };
    let status = gazette::lists::statuses(std::slice::from_ref(&entry), &site, c.today())
        .pop()
        .expect("one entry gives one status");
    let title = if status.title.is_empty() {
        id.to_string()
    } else {
        status.title.clone()
    };
    let mut main = String::new();
    if let Some(e) = error {
        main.push_str(&page::notice("error", e));
    }
    let _ = write!(
        main,
        "<table><tbody><tr><th scope=\"row\">名单编号</th><td>{id}</td></tr><tr><th scope=\"row\">文件</th><td>{file}</td></tr><tr><th scope=\"row\">阶段</th><td>{stage}{draft}</td></tr><tr><th scope=\"row\">公示期</th><td>{period}</td></tr><tr><th scope=\"row\">状态</th><td>{state}</td></tr><tr><th scope=\"row\">企业数</th><td>{n}</td></tr></tbody></table>",
        id = esc(id),
        file = page::file_link(&page::rel_path(&c.root, &entry.file), None),
        stage = esc(status.stage),
        draft = if status.draft { "（草稿，不发布）" } else { "" },
        period = esc(&status.period),
        state = esc(&status.state),
        n = status.enterprises,
    );
    if status.next == Next::Fix {
        main.push_str(&page::problems(&c.root, &entry.problems));
    }
    main.push_str(&forms(c, &entry, status.next));
    main.push_str(&enterprises(c, &entry));
    page::frame(Section::Lists, &title, &main)
}

/// The forms of the changes that make sense at the list's step.
fn forms(c: &Console, entry: &ListEntry, next: Next) -> String {
    let (mut publish, mut withdraw, mut announce) = (String::new(), String::new(), String::new());
    let token = page::token_field(&c.token);
    let id = esc(&entry.id);
    let hidden = format!("{token}<input type=\"hidden\" name=\"id\" value=\"{id}\">");
    let period = entry.list.as_ref().and_then(|l| l.publicity.as_ref());
    if matches!(
        next,
        Next::Publish | Next::AwaitPublicity | Next::Objections
    ) {
        let start = period.map(|p| p.start.to_string()).unwrap_or_default();
        let force = if next == Next::Publish {
            String::new()
        } else {
            "<label class=\"check\"><input type=\"checkbox\" name=\"force\" value=\"1\"> 名单已在公示，仍然改用新的公示期</label>".into()
        };
        let _ = write!(
            publish,
            "<h2 id=\"publish\">开始公示</h2><form method=\"post\" action=\"{PREFIX}/list/publish\"><fieldset><legend>公示期</legend>{hidden}\
<label for=\"p-start\">公示开始日期</label><p class=\"hint\" id=\"p-start-hint\">草稿中已写有公示期时可以不填</p><input type=\"date\" id=\"p-start\" name=\"start\" value=\"{start}\" aria-describedby=\"p-start-hint\">\
<label for=\"p-days\">公示天数</label><p class=\"hint\" id=\"p-days-hint\">不填时用项目规定的天数；工作日按节假日安排计算</p><input type=\"number\" id=\"p-days\" name=\"days\" min=\"1\" max=\"60\" aria-describedby=\"p-days-hint\">\
<label for=\"p-length\">天数的算法</label><select id=\"p-length\" name=\"length\"><option value=\"working\">工作日</option><option value=\"calendar\">自然日（天）</option></select>{force}\
<div class=\"actions\"><button type=\"submit\">预览公示期</button></div></fieldset></form>"
        );
    }
    if matches!(
        next,
        Next::AwaitPublicity | Next::Objections | Next::Announce
    ) {
        let options: String = entry
            .raw
            .enterprise
            .iter()
            .filter(|e| e.withdrawn.is_none())
            .map(|e| {
                format!(
                    "<option value=\"{}\">{}</option>",
                    esc(e.credit_code.get_ref()),
                    esc(e.name.get_ref())
                )
            })
            .collect();
        let _ = write!(
            withdraw,
            "<h2 id=\"withdraw\">撤回企业</h2><form method=\"post\" action=\"{PREFIX}/list/withdraw\"><fieldset><legend>异议成立等原因撤回一家企业</legend>{hidden}\
<label for=\"w-who\">企业名称或统一社会信用代码</label><p class=\"hint\" id=\"w-who-hint\">输入几个字后可以从列表中选择</p><input type=\"text\" id=\"w-who\" name=\"who\" list=\"w-names\" required autocomplete=\"off\" aria-describedby=\"w-who-hint\"><datalist id=\"w-names\">{options}</datalist>\
<label for=\"w-reason\">撤回原因（显示在公示页面上）</label><textarea id=\"w-reason\" name=\"reason\" rows=\"2\" required></textarea>\
<div class=\"actions\"><button type=\"submit\">预览撤回</button></div></fieldset></form>"
        );
    }
    if matches!(next, Next::Objections | Next::Announce | Next::Done) {
        let force = if next == Next::Announce {
            String::new()
        } else {
            let why = if next == Next::Done {
                "更改已有的公告信息"
            } else {
                "公示期还没有结束也公告"
            };
            format!("<label class=\"check\"><input type=\"checkbox\" name=\"force\" value=\"1\"> {why}</label>")
        };
        let _ = write!(
            announce,
            "<h2 id=\"announce\">公告名单</h2><form method=\"post\" action=\"{PREFIX}/list/announce\"><fieldset><legend>公告日期和文号</legend>{hidden}\
<label for=\"a-date\">公告日期</label><input type=\"date\" id=\"a-date\" name=\"date\" required>\
<label for=\"a-doc\">公告文号</label><p class=\"hint\" id=\"a-doc-hint\">例如 辽工信企业〔2026〕88号</p><input type=\"text\" id=\"a-doc\" name=\"document\" aria-describedby=\"a-doc-hint\">\
<label for=\"a-from\">有效期起始日</label><p class=\"hint\" id=\"a-from-hint\">不填时为公告日期</p><input type=\"date\" id=\"a-from\" name=\"valid_from\" aria-describedby=\"a-from-hint\">\
<label for=\"a-until\">有效期截止日</label><p class=\"hint\" id=\"a-until-hint\">不填时按项目规定的有效期计算</p><input type=\"date\" id=\"a-until\" name=\"valid_until\" aria-describedby=\"a-until-hint\">{force}\
<div class=\"actions\"><button type=\"submit\">预览公告</button></div></fieldset></form>"
        );
    }
    // The step the list waits for comes first.
    let order = match next {
        Next::Objections => [withdraw, announce, publish],
        Next::Announce | Next::Done => [announce, withdraw, publish],
        _ => [publish, withdraw, announce],
    };
    order.concat()
}

/// The list's enterprises; a withdrawn one can be put back.
fn enterprises(c: &Console, entry: &ListEntry) -> String {
    let rows = &entry.raw.enterprise;
    let mut out = format!(
        "<h2 id=\"enterprises\">名单中的企业（{}家）</h2>",
        rows.len()
    );
    if rows.is_empty() {
        let _ = write!(
            out,
            "<p>还没有企业：<a href=\"{PREFIX}/import\">导入表格</a>。</p>"
        );
        return out;
    }
    out.push_str("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">企业名称</th><th scope=\"col\">统一社会信用代码</th><th scope=\"col\">区县</th><th scope=\"col\">撤回</th></tr></thead><tbody>");
    for e in rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(e.name.get_ref()),
            esc(e.credit_code.get_ref()),
            esc(e.district.get_ref()),
            withdrawn_cell(c, &entry.id, e)
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

fn withdrawn_cell(c: &Console, id: &str, e: &EnterpriseFile) -> String {
    let Some(reason) = &e.withdrawn else {
        return "—".into();
    };
    format!(
        "已撤回：{reason}<form class=\"inline\" method=\"post\" action=\"{PREFIX}/list/restore\">{token}<input type=\"hidden\" name=\"id\" value=\"{id}\"><input type=\"hidden\" name=\"who\" value=\"{code}\"> <button type=\"submit\" class=\"secondary\" aria-label=\"恢复 {name}\">恢复</button></form>",
        reason = esc(reason),
        token = page::token_field(&c.token),
        id = esc(id),
        code = esc(e.credit_code.get_ref()),
        name = esc(e.name.get_ref()),
    )
}

/// A submitted change: previewed, or (with `confirm`) written.
pub(super) fn act(c: &Console, action: &str, form: &Form) -> Reply {
    let id = form.get("id").unwrap_or("");
    let change = match change_of(c, action, id, form) {
        Ok(Some(change)) => change,
        Ok(None) => return super::not_found(),
        Err(msg) if id.is_empty() => {
            let main = page::notice("error", &format!("<p>{}</p>", esc(&msg)));
            return html(page::frame(Section::Lists, "没有写入", &main));
        }
        Err(msg) => return html(page(c, form, Some(&format!("<p>{}</p>", esc(&msg))))),
    };
    if form.get("confirm").is_none() {
        return match gazette::edit::list::preview(&c.root, id, &change) {
            Ok(e) => html(confirm_page(c, action, form, &e)),
            Err(d) => html(problems_page(c, "不能这样修改", &d, id)),
        };
    }
    let _one_at_a_time = c.busy.lock().unwrap_or_else(|e| e.into_inner());
    let waiting = || eprintln!("正在等待其他命令写完数据文件… (waiting for the data lock)");
    match gazette::edit::list::change(&c.root, id, &change, &waiting) {
        Ok(e) => {
            eprintln!("管理页面：{}：{} (done)", e.title, done_zh(&e.done));
            let n = c.history.add(
                format!("{}：{}", e.title, done_zh(&e.done)),
                vec![FileChange {
                    path: page::rel_path(&c.root, &e.file),
                    before: Some(e.before),
                    after: e.after,
                }],
            );
            Reply::see_other(format!("{PREFIX}/changes/{n}"))
        }
        Err(d) => html(problems_page(c, "没有写入", &d, id)),
    }
}

/// The form as a change of the library; `Ok(None)` for an unknown action.
fn change_of(c: &Console, action: &str, id: &str, form: &Form) -> Result<Option<Change>, String> {
    if id.is_empty() {
        return Err("没有写名单编号".into());
    }
    let force = form.get("force").is_some();
    Ok(Some(match action {
        "publish" => Change::Publish {
            period: period(form)?,
            force,
        },
        "announce" => Change::Announce {
            date: date(form, "date")?.ok_or("请填写公告日期")?,
            document: form.get("document").map(str::to_string),
            valid_from: date(form, "valid_from")?,
            valid_until: date(form, "valid_until")?,
            today: c.today(),
            force,
        },
        "withdraw" => Change::Withdraw {
            code: credit_code_of(c, id, form.get("who").ok_or("请填写要撤回的企业")?)?,
            reason: form
                .get("reason")
                .ok_or("请填写撤回原因：它会显示在公示页面上")?
                .to_string(),
        },
        "restore" => Change::Restore {
            code: credit_code_of(c, id, form.get("who").ok_or("没有写要恢复的企业")?)?,
        },
        _ => return Ok(None),
    }))
}

fn date(form: &Form, name: &str) -> Result<Option<chrono::NaiveDate>, String> {
    form.get(name)
        .map(crate::cmd::prelude::parse_date)
        .transpose()
}

/// The publicity period the form asks for; `None`: the one already in the draft.
fn period(form: &Form) -> Result<Option<PeriodSpec>, String> {
    let days = form.days()?;
    let Some(start) = date(form, "start")? else {
        if days.is_some() {
            return Err("写了公示天数，也要写公示开始日期".into());
        }
        return Ok(None);
    };
    let length = days.map(|n| match form.get("length") {
        Some("calendar") => Length::CalendarDays(n),
        _ => Length::WorkingDays(n),
    });
    Ok(Some(PeriodSpec { start, length }))
}

/// The credit code of the list's enterprise named `who`: its code, its full name, or a
/// part of its name that only one enterprise of the list has.
fn credit_code_of(c: &Console, id: &str, who: &str) -> Result<String, String> {
    let mut diags = Diagnostics::new();
    let site = gazette::validate::load_site_data(&c.root, &mut diags)
        .ok_or("数据文件有错误：请先在总览中查看检查结果")?;
    let entry =
        gazette::lists::find(&c.root, id, &site).map_err(|_| format!("没有编号为 {id} 的名单"))?;
    let rows = &entry.raw.enterprise;
    let upper = who.to_uppercase();
    if let Some(e) = rows
        .iter()
        .find(|e| e.credit_code.get_ref().to_uppercase() == upper)
    {
        return Ok(e.credit_code.get_ref().clone());
    }
    if let Some(e) = rows.iter().find(|e| e.name.get_ref() == who) {
        return Ok(e.credit_code.get_ref().clone());
    }
    let partial: Vec<&EnterpriseFile> = rows
        .iter()
        .filter(|e| e.name.get_ref().contains(who))
        .collect();
    match partial.as_slice() {
        [one] => Ok(one.credit_code.get_ref().clone()),
        [] => Err(format!("名单中没有“{who}”：请写企业全称或统一社会信用代码")),
        many => Err(format!(
            "名单中有 {} 家企业的名称含“{who}”：请写全称或统一社会信用代码",
            many.len()
        )),
    }
}

/// What the change will write, and a button that writes it.
fn confirm_page(c: &Console, action: &str, form: &Form, e: &Edited) -> String {
    let mut main = page::notice(
        "info",
        &format!("<p><strong>将要：</strong>{}</p>", esc(&done_zh(&e.done))),
    );
    if action == "publish" {
        if let Some((start, end)) = e.publicity {
            let _ = write!(
                main,
                "<table><tbody><tr><th scope=\"row\">公示开始</th><td>{}</td></tr><tr><th scope=\"row\">公示结束</th><td>{}</td></tr><tr><th scope=\"row\">异议截止</th><td>{}（公示期最后一天）</td></tr></tbody></table>",
                zh_date(start),
                zh_date(end),
                zh_date(end)
            );
        }
    }
    let _ = write!(
        main,
        "<h2>将写入的文件：{}</h2><p>删去的行标“删”，新加的行标“增”。</p>",
        page::file_link(&page::rel_path(&c.root, &e.file), None)
    );
    main.push_str(&page::diff(&e.before, &e.after));
    let mut hidden = String::new();
    for (name, value) in form.fields() {
        if name != "confirm" {
            let _ = write!(
                hidden,
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                esc(name),
                esc(value)
            );
        }
    }
    let id = form.get("id").unwrap_or("");
    let _ = write!(
        main,
        "<form method=\"post\" action=\"{PREFIX}/list/{action}\">{hidden}<input type=\"hidden\" name=\"confirm\" value=\"1\"><div class=\"actions\"><button type=\"submit\">确认写入</button><a class=\"button secondary\" href=\"{back}\">返回修改</a></div></form>",
        action = esc(action),
        back = list_link(id, ""),
    );
    page::frame(Section::Lists, &format!("请确认：{}", e.title), &main)
}

/// A refusal from the library, with its problems and the way back.
fn problems_page(c: &Console, title: &str, diags: &Diagnostics, id: &str) -> String {
    let mut main = page::notice(
        "error",
        "<p>没有写入任何文件。原因如下（与命令行 gazette list 相同）：</p>",
    );
    main.push_str(&page::problems(&c.root, diags));
    let back = if id.is_empty() {
        format!("{PREFIX}/")
    } else {
        list_link(id, "")
    };
    let _ = write!(
        main,
        "<div class=\"actions\"><a class=\"button\" href=\"{back}\">返回</a></div>"
    );
    page::frame(Section::Lists, title, &main)
}
