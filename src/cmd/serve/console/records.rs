//! Next year's notice (`gazette new notice`) and the enterprise directory's records: a
//! rename or a revocation (`gazette enterprise rename|revoke`), each previewed with the
//! files it will write before it is written. The changes are
//! `gazette::edit::notice::{preview, create}` and `gazette::edit::changes::{preview,
//! record}`, exactly what the commands run.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use gazette::diag::Diagnostics;
use gazette::edit::changes::Change;
use gazette::escape::html as esc;

use super::super::http::Reply;
use super::form::Form;
use super::history::FileChange;
use super::page::{self, Section};
use super::{html, Console, PREFIX};

/// The page of the three forms, with `error` (HTML) above them.
pub(super) fn page(c: &Console, error: Option<&str>) -> String {
    let mut main = String::new();
    if let Some(e) = error {
        main.push_str(&page::notice("error", e));
    }
    let token = page::token_field(&c.token);
    let mut diags = Diagnostics::new();
    let programmes: String = gazette::validate::load_site_data(&c.root, &mut diags)
        .map(|site| {
            site.programmes
                .iter()
                .map(|p| format!("<option value=\"{}\">{}</option>", esc(&p.id), esc(&p.name)))
                .collect()
        })
        .unwrap_or_default();
    let next_year = c.today().year() + 1;
    let _ = write!(
        main,
        "<h2 id=\"notice\">新建下一年的通知</h2><form method=\"post\" action=\"{PREFIX}/records/notice\"><fieldset><legend>照上一年的通知新建（草稿）</legend>{token}\
<label for=\"n-programme\">项目</label><select id=\"n-programme\" name=\"programme\">{programmes}</select>\
<label for=\"n-year\">新通知的年份</label><input type=\"number\" id=\"n-year\" name=\"year\" min=\"2000\" max=\"2100\" value=\"{next_year}\" required>\
<p class=\"hint\">新建的页面是草稿，不会发布：把正文换成新通知的全文、核对日期和条件后，删除页面中的 draft = true。</p>\
<div class=\"actions\"><button type=\"submit\">预览新通知</button></div></fieldset></form>\
<h2 id=\"rename\">记录企业更名</h2><form method=\"post\" action=\"{PREFIX}/records/rename\"><fieldset><legend>简单更名：信用代码和称号不变</legend>{token}\
<label for=\"r-code\">统一社会信用代码</label><input type=\"text\" id=\"r-code\" name=\"code\" required autocomplete=\"off\">\
<label for=\"r-to\">更名后的名称</label><input type=\"text\" id=\"r-to\" name=\"to\" required>\
<label for=\"r-date\">更名日期（核准更名的日期）</label><input type=\"date\" id=\"r-date\" name=\"date\" required>\
<label for=\"r-from\">更名前的名称</label><p class=\"hint\" id=\"r-from-hint\">不填时为企业在更名日期时的名称</p><input type=\"text\" id=\"r-from\" name=\"from\" aria-describedby=\"r-from-hint\">\
<label for=\"r-doc\">核准更名文件的文号</label><p class=\"hint\" id=\"r-doc-hint\">可以不填，例如 大市监〔2026〕123号</p><input type=\"text\" id=\"r-doc\" name=\"document\" aria-describedby=\"r-doc-hint\">\
<div class=\"actions\"><button type=\"submit\">预览更名记录</button></div></fieldset></form>\
<h2 id=\"revoke\">记录撤销称号</h2><form method=\"post\" action=\"{PREFIX}/records/revoke\"><fieldset><legend>自撤销日期起撤销称号（只限公告名单中的企业）</legend>{token}\
<label for=\"v-code\">统一社会信用代码</label><input type=\"text\" id=\"v-code\" name=\"code\" required autocomplete=\"off\">\
<label for=\"v-date\">撤销日期（撤销文件的日期）</label><input type=\"date\" id=\"v-date\" name=\"date\" required>\
<label for=\"v-reason\">撤销原因（显示在企业页面上）</label><textarea id=\"v-reason\" name=\"reason\" rows=\"2\" required></textarea>\
<label for=\"v-programme\">项目</label><p class=\"hint\" id=\"v-programme-hint\">企业只有一个项目的称号时选“自动”</p><select id=\"v-programme\" name=\"programme\" aria-describedby=\"v-programme-hint\"><option value=\"\">自动</option>{programmes}</select>\
<label for=\"v-doc\">撤销文件的文号</label><p class=\"hint\" id=\"v-doc-hint\">可以不填，例如 辽工信企业〔2026〕99号</p><input type=\"text\" id=\"v-doc\" name=\"document\" aria-describedby=\"v-doc-hint\">\
<div class=\"actions\"><button type=\"submit\" class=\"danger\">预览撤销记录</button></div></fieldset></form>"
    );
    page::frame(Section::Records, "通知、更名和撤销", &main)
}

/// What a form asks to write: its files (before, after) and one sentence.
struct Planned {
    what: String,
    files: Vec<FileChange>,
}

/// A submitted form: previewed, or (with `confirm`) written.
pub(super) fn act(c: &Console, action: &str, form: &Form) -> Reply {
    let confirm = form.get("confirm").is_some();
    let done = match action {
        "notice" => notice(c, form, confirm),
        "rename" | "revoke" => match change_of(action, form) {
            Ok(change) => record(c, &change, confirm),
            Err(msg) => {
                return html(page(c, Some(&format!("<p>{}</p>", esc(&msg)))));
            }
        },
        _ => return super::not_found(),
    };
    match done {
        Ok(p) if confirm => {
            eprintln!("管理页面：{} (done)", p.what);
            let n = c.history.add(p.what, p.files);
            Reply::see_other(format!("{PREFIX}/changes/{n}"))
        }
        Ok(p) => html(confirm_page(c, action, form, &p)),
        Err(Refusal::Form(msg)) => html(page(c, Some(&format!("<p>{}</p>", esc(&msg))))),
        Err(Refusal::Library(d)) => html(problems_page(c, &d, confirm)),
    }
}

enum Refusal {
    Form(String),
    Library(Diagnostics),
}

fn notice(c: &Console, form: &Form, confirm: bool) -> Result<Planned, Refusal> {
    let year = form
        .get("year")
        .ok_or("请填写新通知的年份")
        .and_then(|y| y.parse::<i32>().map_err(|_| "年份要写四位数字，例如 2027"))
        .map_err(|m| Refusal::Form(m.into()))?;
    let programme = form.get("programme");
    let created = if confirm {
        let _one_at_a_time = c.busy.lock().unwrap_or_else(|e| e.into_inner());
        gazette::edit::notice::create(&c.root, programme, year, &waiting)
    } else {
        gazette::edit::notice::preview(&c.root, programme, year)
    }
    .map_err(Refusal::Library)?;
    Ok(Planned {
        what: format!(
            "照 {} 年的通知新建 {year} 年的通知（草稿）",
            created.from_year
        ),
        files: created
            .files
            .iter()
            .zip(created.texts)
            .map(|(f, text)| FileChange {
                path: page::rel_path(&c.root, f),
                before: None,
                after: text,
            })
            .collect(),
    })
}

fn waiting() {
    eprintln!("正在等待其他命令写完数据文件… (waiting for the data lock)");
}

fn record(c: &Console, change: &Change, confirm: bool) -> Result<Planned, Refusal> {
    let r = if confirm {
        let _one_at_a_time = c.busy.lock().unwrap_or_else(|e| e.into_inner());
        gazette::edit::changes::record(&c.root, change, &waiting)
    } else {
        gazette::edit::changes::preview(&c.root, change)
    }
    .map_err(Refusal::Library)?;
    Ok(Planned {
        what: format!(
            "{}（{}）：{}",
            r.name,
            r.credit_code,
            crate::cmd::enterprise::done_zh(&r.done)
        ),
        files: vec![FileChange {
            path: page::rel_path(&c.root, &r.file),
            before: r.before,
            after: r.after,
        }],
    })
}

/// The form as a record of the library.
fn change_of(action: &str, form: &Form) -> Result<Change, String> {
    let code = form
        .get("code")
        .ok_or("请填写企业的统一社会信用代码")?
        .to_string();
    let date = date(form.get("date").ok_or("请填写日期")?)?;
    let document = form.get("document").map(str::to_string);
    Ok(if action == "rename" {
        Change::Rename {
            code,
            to: form.get("to").ok_or("请填写更名后的名称")?.to_string(),
            date,
            from: form.get("from").map(str::to_string),
            document,
        }
    } else {
        Change::Revoke {
            code,
            date,
            reason: form
                .get("reason")
                .ok_or("请填写撤销原因：它会显示在企业页面上")?
                .to_string(),
            programme: form.get("programme").map(str::to_string),
            document,
        }
    })
}

fn date(text: &str) -> Result<NaiveDate, String> {
    crate::cmd::prelude::parse_date(text)
}

/// What will be written, and a button that writes it.
fn confirm_page(c: &Console, action: &str, form: &Form, p: &Planned) -> String {
    let mut main = page::notice(
        "info",
        &format!("<p><strong>将要：</strong>{}</p>", esc(&p.what)),
    );
    for f in &p.files {
        let state = if f.before.is_none() {
            "（新文件）"
        } else {
            ""
        };
        let _ = write!(main, "<h2>将写入的文件：{}{state}</h2>", esc(&f.path));
        main.push_str(&page::diff(f.before.as_deref().unwrap_or(""), &f.after));
    }
    let mut hidden = page::token_field(&c.token);
    for (name, value) in form.fields() {
        if name != "confirm" && name != "token" {
            let _ = write!(
                hidden,
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                esc(name),
                esc(value)
            );
        }
    }
    let _ = write!(
        main,
        "<p>删去的行标“删”，新加的行标“增”。</p><form method=\"post\" action=\"{PREFIX}/records/{action}\">{hidden}<input type=\"hidden\" name=\"confirm\" value=\"1\"><div class=\"actions\"><button type=\"submit\">确认写入</button><a class=\"button secondary\" href=\"{PREFIX}/records#{action}\">返回修改</a></div></form>",
        action = esc(action),
    );
    page::frame(Section::Records, "请确认", &main)
}

/// A refusal from the library, with its problems and the way back.
fn problems_page(c: &Console, diags: &Diagnostics, confirm: bool) -> String {
    let mut main = page::notice(
        "error",
        "<p>没有写入任何文件。原因如下（与命令行 gazette new notice、gazette enterprise 相同）：</p>",
    );
    main.push_str(&page::problems(&c.root, diags));
    let _ = write!(
        main,
        "<div class=\"actions\"><a class=\"button\" href=\"{PREFIX}/records\">返回</a></div>"
    );
    let title = if confirm {
        "没有写入"
    } else {
        "不能这样记录"
    };
    page::frame(Section::Records, title, &main)
}

#[cfg(test)]
mod tests {
    use super::super::super::http::Request;
    use super::*;

    fn form(body: &str) -> Form {
        Form::of(&Request {
            method: "POST".into(),
            body: body.as_bytes().to_vec(),
            ..Request::default()
        })
    }

    #[test]
    fn a_rename_form_becomes_the_commands_change() {
        let f = form("code=91210211MABXKFLJ29&to=%E4%B9%99&date=2026-04-20&from=&document=");
        match change_of("rename", &f).unwrap() {
            Change::Rename {
                code,
                to,
                date,
                from,
                document,
            } => {
                assert_eq!(code, "91210211MABXKFLJ29");
                assert_eq!(to, "乙");
                assert_eq!(date, NaiveDate::from_ymd_opt(2026, 4, 20).unwrap());
                assert_eq!((from, document), (None, None));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_revoke_form_needs_its_reason_and_an_automatic_programme_is_none() {
        let f = form("code=X&date=2026-09-01&programme=");
        assert!(change_of("revoke", &f).unwrap_err().contains("撤销原因"));
        let f = form("code=X&date=2026-09-01&programme=&reason=r");
        assert!(matches!(
            change_of("revoke", &f).unwrap(),
            Change::Revoke {
                programme: None,
                ..
            }
        ));
        assert!(change_of("rename", &form("date=2026-09-01"))
            .unwrap_err()
            .contains("信用代码"));
    }
}
