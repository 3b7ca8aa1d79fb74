//! The console's import page: district spreadsheets dropped on the page (or chosen with
//! the file field), previewed as the rows the list file will hold, then written. Both
//! steps are the library's: `gazette::import::preview` (every step of the command but
//! the writing) and `gazette::import::import`, exactly what `gazette import` runs, so the
//! checks, the refusals and the all-or-nothing rule are the command's.
//!
//! The uploaded files are written to a fresh folder under the system's temporary folder
//! (under plain file names, never the names as sent) only while the library reads them,
//! and removed afterwards. Between the preview and the confirmation the files stay in the
//! console's memory under a random one-time id (the latest preview only, for 30 minutes),
//! so that what is confirmed is exactly what was previewed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gazette::diag::{Diagnostics, Severity};
use gazette::escape::html as esc;
use gazette::import::{ImportFailure, ImportOptions, ImportReport};
use gazette::lists::write::{Length, PeriodSpec};
use gazette::validate::BatchRef;

use super::super::http::Reply;
use super::form::Form;
use super::history::FileChange;
use super::page::{self, Section};
use super::{html, Console, PREFIX};

/// What `gazette import` reads (see `gazette::import::sheet::format_of`).
const ACCEPT: &str = ".xlsx,.xlsm,.xls,.xlsb,.ods,.csv,.txt,.tsv";

/// How long a preview can be confirmed.
const PENDING_FOR: Duration = Duration::from_secs(30 * 60);

/// A previewed import waiting for its confirmation.
pub(super) struct Pending {
    id: String,
    at: Instant,
    ask: Ask,
    files: Vec<(String, Vec<u8>)>,
}

/// What the form asks for: `ImportOptions` without the site and the files.
#[derive(Clone)]
struct Ask {
    batch: BatchRef,
    sheet: Option<String>,
    district: Option<String>,
    period: Option<PeriodSpec>,
    append: bool,
    force: bool,
}

/// The import form, empty or filled in again from `form` after a refusal.
pub(super) fn page(c: &Console, form: Option<&Form>, error: Option<&str>) -> String {
    let mut main = String::new();
    if let Some(e) = error {
        main.push_str(&page::notice("error", e));
    }
    main.push_str(
        "<p>把区县报来的表格拖到下面的框里（或点“选择文件”），填好批次，先预览：预览中列出将要写入名单的每一行；有问题时列出每个问题所在的行和列（与 Excel 中看到的一致），什么也不写入。确认后才写入名单文件。一次选几个文件时，全部没有问题才一起写入（与命令 gazette import 相同）。</p>",
    );
    main.push_str(&import_form(c, form));
    page::frame(Section::Import, "导入表格", &main)
}

fn import_form(c: &Console, form: Option<&Form>) -> String {
    let value = |name: &str| form.and_then(|f| f.get(name)).unwrap_or("");
    let checked = |name: &str| {
        if form.and_then(|f| f.get(name)).is_some() {
            " checked"
        } else {
            ""
        }
    };
    let mut diags = Diagnostics::new();
    let site = gazette::validate::load_site_data(&c.root, &mut diags);
    let (mut programmes, mut kinds, mut districts) = (String::new(), String::new(), String::new());
    if let Some(site) = &site {
        let many = site.programmes.len() > 1;
        for p in &site.programmes {
            if many {
                let sel =
                    if value("programme") == p.id || (value("programme").is_empty() && p.default) {
                        " selected"
                    } else {
                        ""
                    };
                let _ = write!(
                    programmes,
                    "<option value=\"{id}\"{sel}>{name}（{id}）</option>",
                    id = esc(&p.id),
                    name = esc(&p.name)
                );
                let _ = write!(kinds, "<optgroup label=\"{}\">", esc(&p.name));
            }
            for k in &p.kinds {
                let sel = if value("kind") == k.id {
                    " selected"
                } else {
                    ""
                };
                let _ = write!(
                    kinds,
                    "<option value=\"{id}\"{sel}>{name}</option>",
                    id = esc(&k.id),
                    name = esc(&k.name)
                );
            }
            if many {
                kinds.push_str("</optgroup>");
            }
        }
        for d in site.book.names() {
            let _ = write!(districts, "<option value=\"{}\">", esc(d));
        }
    }
    let programme = if programmes.is_empty() {
        String::new()
    } else {
        format!(
            "<label for=\"i-programme\">项目</label><select id=\"i-programme\" name=\"programme\">{programmes}</select>"
        )
    };
    let kind = if kinds.is_empty() {
        format!(
            "<input type=\"text\" id=\"i-kind\" name=\"kind\" required value=\"{}\" aria-describedby=\"i-kind-hint\">",
            esc(value("kind"))
        )
    } else {
        format!("<select id=\"i-kind\" name=\"kind\" required aria-describedby=\"i-kind-hint\">{kinds}</select>")
    };
    let year = match value("year") {
        "" => c.today().format("%Y").to_string(),
        y => y.to_string(),
    };
    let length = if value("length") == "calendar" {
        "<option value=\"working\">工作日</option><option value=\"calendar\" selected>自然日（天）</option>"
    } else {
        "<option value=\"working\" selected>工作日</option><option value=\"calendar\">自然日（天）</option>"
    };
    format!(
        "<form method=\"post\" action=\"{PREFIX}/import\" enctype=\"multipart/form-data\">{token}\
<fieldset><legend>表格文件</legend><div class=\"dropzone\">\
<label for=\"i-files\">区县报来的表格（可以选几个）</label>\
<p class=\"hint\" id=\"i-files-hint\">可以是 .xlsx、.xls、.ods 或 .csv（UTF-8 或 GB18030 编码）；WPS 的 .et 文件请先另存为 .xlsx。可以把文件直接拖到这个框里。</p>\
<input type=\"file\" id=\"i-files\" name=\"files\" multiple required accept=\"{ACCEPT}\" aria-describedby=\"i-files-hint\"></div>\
<label for=\"i-sheet\">工作表名称（可不填）</label><p class=\"hint\" id=\"i-sheet-hint\">工作簿中有几张名单时，写要导入的那一张的名称；只有一张时不用填</p>\
<input type=\"text\" id=\"i-sheet\" name=\"sheet\" value=\"{sheet}\" aria-describedby=\"i-sheet-hint\"></fieldset>\
<fieldset><legend>导入到哪份名单</legend>{programme}\
<label for=\"i-year\">年份</label><p class=\"hint\" id=\"i-year-hint\">批次所属的年份，例如 2026</p>\
<input type=\"number\" id=\"i-year\" name=\"year\" min=\"2000\" max=\"2100\" required value=\"{year}\" aria-describedby=\"i-year-hint\">\
<label for=\"i-batch\">第几批</label><p class=\"hint\" id=\"i-batch-hint\">按季度写 1–4，按半年写 1–2，按月写 1–12，按批次写批次号</p>\
<input type=\"number\" id=\"i-batch\" name=\"batch\" min=\"1\" max=\"99\" required value=\"{batch}\" aria-describedby=\"i-batch-hint\">\
<label for=\"i-kind\">名单种类</label><p class=\"hint\" id=\"i-kind-hint\">项目文件（data/programmes/）中规定的名单种类</p>{kind}\
<label for=\"i-district\">所属区县（可不填）</label><p class=\"hint\" id=\"i-district-hint\">表格中没有“所属区县”一列，或有的行区县为空时，这些行算作这个区县</p>\
<input type=\"text\" id=\"i-district\" name=\"district\" list=\"i-districts\" autocomplete=\"off\" value=\"{district}\" aria-describedby=\"i-district-hint\"><datalist id=\"i-districts\">{districts}</datalist></fieldset>\
<fieldset><legend>公示期（可不填：不填时作为草稿写入，以后在名单页面上开始公示）</legend>\
<label for=\"i-start\">公示开始日期</label><input type=\"date\" id=\"i-start\" name=\"start\" value=\"{start}\">\
<label for=\"i-days\">公示天数</label><p class=\"hint\" id=\"i-days-hint\">不填时用项目规定的天数；工作日按节假日安排计算</p>\
<input type=\"number\" id=\"i-days\" name=\"days\" min=\"1\" max=\"366\" value=\"{days}\" aria-describedby=\"i-days-hint\">\
<label for=\"i-length\">天数的算法</label><select id=\"i-length\" name=\"length\">{length}</select></fieldset>\
<fieldset><legend>名单文件已经存在时</legend>\
<label class=\"check\"><input type=\"checkbox\" name=\"append\" value=\"1\"{append}> 追加到已有的名单中（已有的相同企业会跳过；不能同时填公示期）</label>\
<label class=\"check\"><input type=\"checkbox\" name=\"force\" value=\"1\"{force}> 整个替换已有的名单（原有的企业、日期和手工修改都会丢失）</label></fieldset>\
<div class=\"actions\"><button type=\"submit\">预览导入</button></div></form>",
        token = page::token_field(&c.token),
        sheet = esc(value("sheet")),
        batch = esc(value("batch")),
        district = esc(value("district")),
        start = esc(value("start")),
        days = esc(value("days")),
        append = checked("append"),
        force = checked("force"),
    )
}

/// A submitted import: previewed, or (with `confirm` and the preview's `upload` id)
/// written.
pub(super) fn act(c: &Console, form: &Form) -> Reply {
    if form.get("confirm").is_some() {
        return confirm(c, form);
    }
    let ask = match ask_of(form) {
        Ok(a) => a,
        Err(msg) => return html(page(c, Some(form), Some(&para(&msg)))),
    };
    let files: Vec<(String, Vec<u8>)> = form
        .files("files")
        .map(|u| (u.filename.clone(), u.bytes.clone()))
        .collect();
    if files.is_empty() {
        return html(page(
            c,
            Some(form),
            Some(&para("请选择要导入的表格文件（或把文件拖到框里）")),
        ));
    }
    let folder = match Uploads::write(&files) {
        Ok(f) => f,
        Err(e) => return html(page(c, Some(form), Some(&para(&e)))),
    };
    let opts = options(c, &ask, folder.paths.clone());
    let waiting = || eprintln!("正在等待其他命令写完数据文件… (waiting for the data lock)");
    match gazette::import::preview(&opts, &waiting) {
        Ok(r) => {
            let Ok(id) = super::guard::new_token() else {
                return html(page(c, Some(form), Some(&para("无法生成预览编号，请重试"))));
            };
            let main = preview_page(c, &r, &id, &folder);
            *c.pending.lock().unwrap_or_else(|e| e.into_inner()) = Some(Pending {
                id,
                at: Instant::now(),
                ask,
                files,
            });
            html(main)
        }
        Err(f) => html(refused_page(c, Some(form), &f, &folder)),
    }
}

/// Writes the previewed import: the real `gazette::import::import`.
fn confirm(c: &Console, form: &Form) -> Reply {
    let pending = {
        let mut slot = c.pending.lock().unwrap_or_else(|e| e.into_inner());
        match slot.take() {
            Some(p)
                if Some(p.id.as_str()) == form.get("upload") && p.at.elapsed() < PENDING_FOR =>
            {
                Some(p)
            }
            // Another preview's (or an old one's): keep the latest for its own page.
            Some(p) if p.at.elapsed() < PENDING_FOR => {
                *slot = Some(p);
                None
            }
            _ => None,
        }
    };
    let Some(pending) = pending else {
        return html(page(
            c,
            None,
            Some(&para("这次预览已经过期或已经写入过（预览后 30 分钟内、且只能确认最近一次预览）：请重新选择表格并预览")),
        ));
    };
    let folder = match Uploads::write(&pending.files) {
        Ok(f) => f,
        Err(e) => return html(page(c, None, Some(&para(&e)))),
    };
    let opts = options(c, &pending.ask, folder.paths.clone());
    let _one_at_a_time = c.busy.lock().unwrap_or_else(|e| e.into_inner());
    let waiting = || eprintln!("正在等待其他命令写完数据文件… (waiting for the data lock)");
    match gazette::import::import(&opts, &waiting) {
        Ok(r) => {
            let rel = page::rel_path(Path::new(""), &r.list_file);
            let Some(after) = r.after else {
                let msg = format!(
                    "<p>没有新的企业：{} 行已在 {} 中且数据相同，已跳过；文件没有改动。</p>",
                    r.same,
                    esc(&rel)
                );
                return html(page::frame(
                    Section::Import,
                    "没有写入",
                    &(page::notice("info", &msg)
                        + &format!("<div class=\"actions\"><a class=\"button\" href=\"{PREFIX}/import\">返回导入</a></div>")),
                ));
            };
            let verb = if r.appended { "追加到" } else { "写入" };
            let what = format!(
                "导入表格：{verb} {rel}，{} 家企业（{}）",
                r.written.len(),
                r.by_district
            );
            eprintln!("管理页面：{what} (imported)");
            let n = c.history.add(
                what,
                vec![FileChange {
                    path: rel,
                    before: r.before,
                    after,
                }],
            );
            Reply::see_other(format!("{PREFIX}/changes/{n}"))
        }
        Err(f) => html(refused_page(c, None, &f, &folder)),
    }
}

fn para(text: &str) -> String {
    format!("<p>{}</p>", esc(text))
}

/// The form as import options (the files come separately).
fn ask_of(form: &Form) -> Result<Ask, String> {
    let year = form
        .get("year")
        .ok_or("请填写年份")?
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or("年份要写成四位数字，例如 2026")?;
    let batch = form
        .get("batch")
        .ok_or("请填写第几批")?
        .parse::<u32>()
        .ok()
        .filter(|b| (1..=99).contains(b))
        .ok_or("第几批要写 1 到 99 之间的整数")?;
    let kind = form.get("kind").ok_or("请选择名单种类")?.to_string();
    let append = form.get("append").is_some();
    let force = form.get("force").is_some();
    if append && force {
        return Err("“追加”和“整个替换”只能选一个".into());
    }
    let days = form.days()?;
    let period = match form
        .get("start")
        .map(crate::cmd::prelude::parse_date)
        .transpose()?
    {
        Some(start) => Some(PeriodSpec {
            start,
            length: days.map(|n| match form.get("length") {
                Some("calendar") => Length::CalendarDays(n),
                _ => Length::WorkingDays(n),
            }),
        }),
        None if days.is_some() => return Err("写了公示天数，也要写公示开始日期".into()),
        None => None,
    };
    if append && period.is_some() {
        return Err("追加到已有名单时不能填公示期（名单的公示期已经定了）".into());
    }
    Ok(Ask {
        batch: BatchRef {
            programme: form.get("programme").map(str::to_string),
            year,
            batch,
            kind,
        },
        sheet: form.get("sheet").map(str::to_string),
        district: form.get("district").map(str::to_string),
        period,
        append,
        force,
    })
}

fn options(c: &Console, ask: &Ask, files: Vec<PathBuf>) -> ImportOptions {
    ImportOptions {
        root: c.root.clone(),
        files,
        batch: ask.batch.clone(),
        sheet: ask.sheet.clone(),
        district: ask.district.clone(),
        period: ask.period,
        append: ask.append,
        force: ask.force,
    }
}

/// The uploads written to a fresh folder of their own, removed when dropped.
struct Uploads {
    dir: PathBuf,
    paths: Vec<PathBuf>,
}

impl Uploads {
    fn write(files: &[(String, Vec<u8>)]) -> Result<Uploads, String> {
        let id = super::guard::new_token()?;
        let dir = std::env::temp_dir().join(format!("gazette-import-{id}"));
        std::fs::create_dir(&dir).map_err(|e| format!("无法建立临时文件夹：{e}"))?;
        let mut up = Uploads {
            dir,
            paths: Vec::new(),
        };
        for (name, bytes) in files {
            // Names are already plain file names; two files of one name are kept apart.
            let mut path = up.dir.join(name);
            let mut n = 2;
            while up.paths.contains(&path) {
                let p = Path::new(name);
                let stem = p.file_stem().unwrap_or_default().to_string_lossy();
                let name = match p.extension() {
                    Some(ext) => format!("{stem}（{n}）.{}", ext.to_string_lossy()),
                    None => format!("{stem}（{n}）"),
                };
                path = up.dir.join(name);
                n += 1;
            }
            std::fs::write(&path, bytes).map_err(|e| format!("无法保存上传的表格：{e}"))?;
            up.paths.push(path);
        }
        Ok(up)
    }

    fn owns(&self, file: &Path) -> bool {
        file.starts_with(&self.dir)
    }
}

impl Drop for Uploads {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The rows as they will be written, what was skipped, and the confirm button.
fn preview_page(c: &Console, r: &ImportReport, id: &str, up: &Uploads) -> String {
    let rel = page::rel_path(Path::new(""), &r.list_file);
    let mut main = String::new();
    if r.after.is_none() {
        main.push_str(&page::notice(
            "info",
            &format!(
                "<p>没有新的企业：{} 行已在 {} 中且数据相同；确认也不会改动文件。</p>",
                r.same,
                esc(&rel)
            ),
        ));
    } else {
        let verb = if r.appended { "追加到" } else { "写入" };
        // A new file cannot be opened in the viewer yet.
        let file = if r.before.is_some() {
            page::file_link(&rel, None)
        } else {
            format!("{}（新文件）", esc(&rel))
        };
        let mut text = format!(
            "<p><strong>将要{verb}</strong> {file}：{} 家企业（{}）。",
            r.written.len(),
            esc(&r.by_district)
        );
        if r.same > 0 {
            let _ = write!(text, "另有 {} 行已在名单中且数据相同，会跳过。", r.same);
        }
        match (&r.period, r.appended) {
            (Some(p), _) => {
                let _ = write!(
                    text,
                    "公示期：{}（{}）。",
                    esc(&gazette::domain::datefmt::zh_period(p.start, p.end)),
                    esc(&p.length_zh())
                );
            }
            (None, false) => text.push_str("没有填公示期：作为草稿写入，网站上还不会发布。"),
            (None, true) => {}
        }
        text.push_str(
            "</p><p>现在还没有写入任何文件。请核对下面的每一行，没有问题再点“确认写入”。</p>",
        );
        main.push_str(&page::notice("info", &text));
    }
    if !r.warnings.is_empty() {
        main.push_str("<h2>请注意</h2>");
        main.push_str(&problems(c, &r.warnings, up));
    }
    if !r.written.is_empty() {
        let _ = write!(
            main,
            "<h2 id=\"rows\">将要写入的企业（{}家）</h2><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">表格</th><th scope=\"col\">表格中的行</th><th scope=\"col\">企业名称</th><th scope=\"col\">统一社会信用代码</th><th scope=\"col\">区县</th><th scope=\"col\">行业</th></tr></thead><tbody>",
            r.written.len()
        );
        for (row, (source, number)) in r.written.iter().zip(&r.origins) {
            let file = r
                .sources
                .get(*source)
                .map(|s| s.label.split('（').next().unwrap_or(&s.label).to_string())
                .unwrap_or_default();
            let _ = write!(
                main,
                "<tr><td>{}</td><td>第{number}行</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&file),
                esc(&row.name),
                esc(&row.credit_code),
                esc(&row.district),
                esc(row.industry.as_deref().unwrap_or("")),
            );
        }
        main.push_str("</tbody></table></div>");
    }
    main.push_str(&skipped(r));
    if let Some(after) = &r.after {
        let _ = write!(
            main,
            "<details><summary>名单文件 {} 的改动</summary>{}</details>",
            esc(&rel),
            page::diff(r.before.as_deref().unwrap_or(""), after)
        );
    }
    let button = if r.after.is_some() {
        format!(
            "<form method=\"post\" action=\"{PREFIX}/import\">{token}<input type=\"hidden\" name=\"upload\" value=\"{id}\"><input type=\"hidden\" name=\"confirm\" value=\"1\"><div class=\"actions\"><button type=\"submit\">确认写入</button><a class=\"button secondary\" href=\"{PREFIX}/import\">返回，不写入</a></div></form>",
            token = page::token_field(&c.token),
            id = esc(id),
        )
    } else {
        format!("<div class=\"actions\"><a class=\"button\" href=\"{PREFIX}/import\">返回导入</a></div>")
    };
    main.push_str(&button);
    page::frame(Section::Import, "请确认：导入表格", &main)
}

/// What each file's reading skipped or left out, as the command lists it.
fn skipped(r: &ImportReport) -> String {
    let mut out = String::new();
    for s in &r.sources {
        let mut items = String::new();
        for (row, text) in &s.skipped_summary {
            let _ = write!(
                items,
                "<li>跳过第{row}行（合计、签名或说明）：{}</li>",
                esc(text)
            );
        }
        if !s.skipped_empty.is_empty() {
            let _ = write!(
                items,
                "<li>跳过既没有企业名称也没有信用代码的行：{}</li>",
                esc(&gazette::import::numbers(&s.skipped_empty))
            );
        }
        if !s.ignored_columns.is_empty() {
            let _ = write!(
                items,
                "<li>没有导入的列：{}</li>",
                esc(&s.ignored_columns.join("、"))
            );
        }
        for (row, text) in &s.remarks {
            let _ = write!(
                items,
                "<li>第{row}行的备注（备注不导入，请阅读）：{}</li>",
                esc(text)
            );
        }
        let _ = write!(out, "<h2>{}</h2>", esc(&s.label));
        if items.is_empty() {
            out.push_str("<p>没有跳过的行。</p>");
        } else {
            let _ = write!(out, "<ul>{items}</ul>");
        }
    }
    out
}

/// The import refused: nothing written, every problem at its row and column, the form.
fn refused_page(c: &Console, form: Option<&Form>, f: &ImportFailure, up: &Uploads) -> String {
    // What to do first, unless it only says again that nothing was written.
    let closing = if f.stop == gazette::import::Stop::Refused {
        String::new()
    } else {
        esc(crate::cmd::import::closing(f.stop))
    };
    let mut main = page::notice(
        "error",
        &format!(
            "<p><strong>没有写入任何文件。</strong>{closing}</p><p>请改正下面的问题（表格中的位置与 Excel 中看到的行和列一致），保存后重新选择表格导入。</p>"
        ),
    );
    main.push_str(&problems(c, &f.diags, up));
    main.push_str("<h2>重新导入</h2>");
    main.push_str(&import_form(c, form));
    page::frame(Section::Import, "导入没有完成", &main)
}

/// The problems of an import: those of an uploaded sheet as a table of cells (the file,
/// the cell as Excel names it, what is wrong, what to do), those of the site's files
/// linked to their file and line.
fn problems(c: &Console, diags: &Diagnostics, up: &Uploads) -> String {
    let mut sheets = String::new();
    let mut others = Diagnostics::new();
    for d in diags.items() {
        let Some(file) = d.file.as_deref().filter(|f| up.owns(f)) else {
            others.push(d.clone());
            continue;
        };
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let word = match d.severity {
            Severity::Error => "错误",
            Severity::Warning => "提醒",
        };
        let (cell, message) = split_cell(&d.message);
        let class = if d.severity == Severity::Error {
            " class=\"bad\""
        } else {
            ""
        };
        let _ = write!(
            sheets,
            "<tr><td>{}</td><td{class}>{}</td><td><strong>{word}：</strong>{}</td><td>{}</td></tr>",
            esc(&name),
            esc(cell.unwrap_or("—")),
            esc(message),
            esc(d.help.as_deref().unwrap_or("")),
        );
    }
    let mut out = String::new();
    if !sheets.is_empty() {
        let _ = write!(
            out,
            "<div class=\"table-wrap\"><table class=\"cells\"><thead><tr><th scope=\"col\">表格</th><th scope=\"col\">位置（行、列）</th><th scope=\"col\">问题</th><th scope=\"col\">怎么改</th></tr></thead><tbody>{sheets}</tbody></table></div>"
        );
    }
    if !others.is_empty() {
        out.push_str(&page::problems(&c.root, &others));
    }
    out
}

/// Splits a row problem's message into its place and the rest: import says where a cell
/// is as `B5（第5行 B列（统一社会信用代码））：…` (with `工作表!` before it for a workbook).
fn split_cell(message: &str) -> (Option<&str>, &str) {
    let Some((place, rest)) = message.split_once("）：") else {
        return (None, message);
    };
    let cell = place.split('（').next().unwrap_or("");
    let coord = cell.rsplit('!').next().unwrap_or("");
    let letters = coord.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let is_cell = letters > 0
        && coord.len() > letters
        && coord[letters..].chars().all(|c| c.is_ascii_digit())
        && place.contains("第");
    if is_cell {
        (Some(&message[..place.len() + "）".len()]), rest)
    } else {
        (None, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_problem_is_split_at_its_cell() {
        let (cell, rest) =
            split_cell("Sheet1!C5（第5行 C列（统一社会信用代码））：“91X”：长度不对");
        assert_eq!(cell, Some("Sheet1!C5（第5行 C列（统一社会信用代码））"));
        assert_eq!(rest, "“91X”：长度不对");
        let (cell, rest) = split_cell("D7（第7行 D列（所属区县））：不认识");
        assert_eq!(cell, Some("D7（第7行 D列（所属区县））"));
        assert_eq!(rest, "不认识");
        assert_eq!(split_cell("表头（第3行）下面没有企业").0, None);
        assert_eq!(split_cell("没有位置").1, "没有位置");
    }

    #[test]
    fn uploads_get_a_folder_of_their_own_that_is_removed_after_use() {
        let files = vec![
            ("a.csv".to_string(), b"1".to_vec()),
            ("a.csv".to_string(), b"2".to_vec()),
        ];
        let up = Uploads::write(&files).unwrap();
        let dir = up.dir.clone();
        assert!(dir.starts_with(std::env::temp_dir()));
        assert_eq!(up.paths.len(), 2);
        assert_ne!(
            up.paths[0], up.paths[1],
            "two files of one name are kept apart"
        );
        assert!(up.paths[1].to_string_lossy().ends_with("a（2）.csv"));
        assert_eq!(std::fs::read(&up.paths[1]).unwrap(), b"2");
        assert!(up.owns(&up.paths[0]));
        drop(up);
        assert!(!dir.exists());
    }
}
