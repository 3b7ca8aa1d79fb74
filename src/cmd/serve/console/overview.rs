//! The console's first page: every list with its stage, publicity period and the step it
//! waits for, then every problem `gazette check` reports, each linked to its file and line.

use std::fmt::Write as _;

use gazette::build::LoadOptions;
use gazette::diag::Diagnostics;
use gazette::escape::html as esc;
use gazette::lists::{Next, Status};

use super::page::{self, Section};
use super::{Console, PREFIX};

pub(super) fn page(c: &Console) -> String {
    let today = c.today();
    let mut main = format!(
        "<p>网站文件夹：<code>{}</code>　今天（北京时间）：{}</p>",
        esc(&gazette::diag::display_path(&c.root)),
        gazette::domain::datefmt::zh_date(today)
    );
    main.push_str(&lists_section(c));
    main.push_str(&problems_section(c));
    let _ = write!(
        main,
        "<h2>其他工作</h2><ul><li><a href=\"{PREFIX}/import\">导入各区县报来的表格</a></li><li><a href=\"{PREFIX}/deploy\">把网站部署（上传）到正式网站</a></li><li><a href=\"{PREFIX}/records#notice\">照上一年的通知新建下一年的通知</a></li><li><a href=\"{PREFIX}/records#rename\">记录企业更名</a></li><li><a href=\"{PREFIX}/records#revoke\">记录撤销称号</a></li><li><a href=\"{PREFIX}/changes\">看本次做过的改动</a></li></ul>"
    );
    page::frame(Section::Overview, "网站管理总览", &main)
}

fn lists_section(c: &Console) -> String {
    let mut diags = Diagnostics::new();
    let Some(site) = gazette::validate::load_site_data(&c.root, &mut diags) else {
        return format!(
            "<h2>名单</h2>{}",
            page::notice(
                "error",
                "<p>数据文件有错误，名单无法读取：请先改正下面“检查结果”中的问题。</p>"
            )
        );
    };
    let entries = gazette::lists::read_all(&c.root, &site, &mut diags);
    let statuses = gazette::lists::statuses(&entries, &site, c.today());
    let mut out = String::from("<h2 id=\"lists\">名单</h2>");
    if statuses.is_empty() {
        let _ = write!(
            out,
            "<p>data/lists/ 中还没有名单：<a href=\"{PREFIX}/import\">导入表格</a>建立第一份。</p>"
        );
        return out;
    }
    out.push_str("<div class=\"table-wrap\"><table><caption class=\"hint\">按名单编号排列；点名单标题办理公示、撤回、公告</caption><thead><tr><th scope=\"col\">名单</th><th scope=\"col\">阶段</th><th scope=\"col\">企业数</th><th scope=\"col\">公示期</th><th scope=\"col\">状态</th><th scope=\"col\">下一步</th></tr></thead><tbody>");
    for s in &statuses {
        out.push_str(&row(c, s));
    }
    out.push_str("</tbody></table></div>");
    out
}

fn row(c: &Console, s: &Status) -> String {
    let marks: String = crate::cmd::list::marks(s)
        .iter()
        .map(|m| format!("（{m}）"))
        .collect();
    let count = crate::cmd::list::count_text(s);
    let link = list_link(&s.id, "");
    let title = if s.title.is_empty() { &s.id } else { &s.title };
    format!(
        "<tr><th scope=\"row\"><a href=\"{link}\">{title}</a>{marks}<br><span class=\"hint\">{id}</span></th><td class=\"nowrap\">{stage}</td><td class=\"nowrap\">{count}</td><td>{period}</td><td>{state}</td><td>{next}</td></tr>",
        title = esc(title),
        id = esc(&s.id),
        stage = esc(s.stage),
        period = esc(&s.period),
        state = esc(&s.state),
        next = next_step(c, s),
    )
}

/// The step a list waits for, as a link to where it is done.
fn next_step(c: &Console, s: &Status) -> String {
    let (anchor, words) = match s.next {
        Next::Fix => {
            let rel = page::rel_path(&c.root, &s.file);
            return format!("先改正错误：{}", page::file_link(&rel, None));
        }
        Next::Publish => ("#publish", "可以开始公示"),
        Next::AwaitPublicity => ("", "等待公示开始"),
        Next::Objections => ("#withdraw", "公示中：异议成立时撤回企业"),
        Next::Announce => ("#announce", "公示期已结束，可以公告"),
        Next::Done => return "已完成".into(),
    };
    format!(
        "<a class=\"state-due\" href=\"{}\">{words}</a>",
        list_link(&s.id, anchor)
    )
}

/// The console's page of list `id`, at `anchor`.
pub(super) fn list_link(id: &str, anchor: &str) -> String {
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("id", id)
        .finish();
    esc(&format!("{PREFIX}/list?{q}{anchor}"))
}

fn problems_section(c: &Console) -> String {
    let diags = gazette::build::check(&LoadOptions {
        root: c.root.clone(),
        today: c.today(),
        base_url: None,
        include_drafts: true,
    });
    let mut out = String::from("<h2 id=\"check\">检查结果</h2>");
    if diags.is_empty() {
        out.push_str(&page::notice(
            "ok",
            "<p>没有发现问题（与 gazette check 相同的检查）。</p>",
        ));
        return out;
    }
    let _ = write!(
        out,
        "<p>与 gazette check 相同的检查：{} 个错误，{} 个提醒。有错误时网站不能生成；点位置查看文件。</p>",
        diags.error_count(),
        diags.warning_count()
    );
    out.push_str(&page::problems(&c.root, &diags));
    out
}
