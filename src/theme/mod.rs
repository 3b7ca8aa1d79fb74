//! The theme stage: a site's look, loaded once before anything is rendered (as Zola's
//! `components/templates` loads Tera apart from rendering). A theme is `themes/<name>/`
//! with its Tera templates, row partials, `theme.toml` words and `static/` files, and the
//! site's own `templates/` replacing its templates file by file. The default theme is
//! built in (`builtin`): a site's `themes/default/` only holds the files it changes. `build` loads it in the load phase,
//! beside `load`; `render` receives it finished. Template errors become diagnostics with
//! the template's own file, line and column.

pub mod builtin;
pub(crate) mod rows;
pub(crate) mod words;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::datefmt::zh_date;
use rows::{DistrictRow, ListRow, RowFields, RowTemplate};

pub struct Theme {
    pub dir: PathBuf,
    pub(crate) tera: Tera,
    /// Static files relative to `static/` in the theme, with their bytes.
    pub(crate) statics: Vec<(String, Vec<u8>)>,
    /// Template texts, so that render errors can show the offending line.
    sources: Vec<TemplateSource>,
    /// The row partials, compiled (`rows.rs`).
    pub(crate) list_row: RowTemplate,
    pub(crate) withdrawn_row: RowTemplate,
    pub(crate) district_row: RowTemplate,
    /// The words outside templates (`theme.toml`).
    pub words: words::Words,
}

/// A template as loaded: its Tera name, the file it came from (the theme's or the site's
/// override) and its text.
struct TemplateSource {
    name: String,
    file: PathBuf,
    text: Arc<str>,
}

impl TemplateSource {
    fn file_of<'s>(sources: &'s [TemplateSource], name: &str) -> Option<&'s TemplateSource> {
        sources.iter().find(|t| t.name == name)
    }
}

/// The site's own templates, each replacing the theme's template of the same name.
pub const SITE_TEMPLATES: &str = "templates";

/// Loads the theme's templates. Template syntax errors come back as diagnostics with the
/// template's file, line and column.
/// An internal template: `enterprise.html` with its `content` block replaced by a marker.
pub(crate) const ENTERPRISE_SHELL: &str = "__gazette/enterprise_shell.html";
/// The marker that stands for the content (private-use characters, which no escaper
/// touches). Data never passes through the split: the shell is rendered once with
/// markers, then each page's values are put in its slots.
pub(crate) const SHELL_MARK: &str = "\u{e000}content\u{e001}";
const ENTERPRISE_SHELL_TEXT: &str = "{% extends \"enterprise.html\" %}{% block content %}\u{e000}content\u{e001}{% endblock content %}";

pub fn load(root: &Path, name: &str, diags: &mut Diagnostics) -> Option<Theme> {
    if let Some(why) = crate::domain::url::segment_problem(name) {
        diags.push(
            Diagnostic::err(
                "theme",
                crate::load::SITE_FILE,
                format!(
                    "theme = “{}” 不是 themes/ 下的一个文件夹名：{why} (not a theme folder name)",
                    crate::domain::text::escape_controls(name)
                ),
            )
            .help(
                "主题只能从网站自己的 themes/ 文件夹加载：写文件夹的名字，例如 theme = \"default\"",
            ),
        );
        return None;
    }
    let dir = root.join("themes").join(name);
    let rel_dir = Path::new("themes").join(name);
    if !crate::load::refuse_links_on_the_way(root, &rel_dir, diags) {
        return None;
    }
    let built_in = name == builtin::NAME;
    if !built_in && !dir.is_dir() {
        diags.push(
            Diagnostic::err(
                "theme",
                crate::load::SITE_FILE,
                format!(
                    "找不到主题“{name}”：没有 {} 文件夹 (theme not found)",
                    rel_dir.display()
                ),
            )
            .help("在 data/site.toml 中写 theme = \"default\"（Gazette 自带的主题），或把主题文件夹复制到 themes/ 下"),
        );
        return None;
    }
    let mut tera = new_tera();
    let by_name = template_texts(root, &rel_dir, built_in, diags);
    let mut sources = Vec::new();
    for (name, (rel, text)) in &by_name {
        let text_arc: Arc<str> = Arc::from(text.as_str());
        diags.add_source(rel, text_arc.clone());
        sources.push(TemplateSource {
            name: name.clone(),
            file: rel.clone(),
            text: text_arc,
        });
    }
    if let Err(e) =
        tera.add_raw_templates(by_name.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
    {
        diags.push(tera_diagnostic(&e, &sources));
        return None;
    }
    // The enterprise page with its content as a placeholder: `render::directory` fills it
    // per enterprise when that gives the same bytes as rendering the whole page (a theme
    // without the page, or whose page cannot be extended so, renders every page whole).
    if by_name.contains_key("enterprise.html") {
        let _ = tera.add_raw_template(ENTERPRISE_SHELL, ENTERPRISE_SHELL_TEXT);
    }
    let list_row = row_template(&sources, "partials/list_row.html", ListRow::FIELDS, diags);
    let withdrawn_row = row_template(
        &sources,
        "partials/withdrawn_row.html",
        ListRow::FIELDS,
        diags,
    );
    let district_row = row_template(
        &sources,
        "partials/district_row.html",
        DistrictRow::FIELDS,
        diags,
    );
    let words = words::Words::load(root, &rel_dir, built_in, diags);
    let (Some(list_row), Some(withdrawn_row), Some(district_row), Some(words)) =
        (list_row, withdrawn_row, district_row, words)
    else {
        return None;
    };
    let statics = static_files(root, &rel_dir, built_in, diags);
    Some(Theme {
        dir: rel_dir,
        tera,
        statics,
        sources,
        list_row,
        withdrawn_row,
        district_row,
        words,
    })
}

/// The theme's `static/` files by their path under it: the built-in theme's (when the site
/// uses it), then the theme folder's replacing them file by file.
fn static_files(
    root: &Path,
    rel_dir: &Path,
    built_in: bool,
    diags: &mut Diagnostics,
) -> Vec<(String, Vec<u8>)> {
    let mut statics: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
    if built_in {
        for (rel, bytes) in builtin::files() {
            if let Some(name) = rel.strip_prefix("static/") {
                statics.insert(name.to_string(), bytes.into_owned());
            }
        }
    }
    for rel in crate::load::list_files(root, &rel_dir.join("static"), diags) {
        let Ok(name) = rel.strip_prefix(rel_dir.join("static")) else {
            continue;
        };
        let name = crate::diag::display_path(name);
        match std::fs::read(root.join(&rel)) {
            Ok(bytes) => {
                statics.insert(name, bytes);
            }
            Err(e) => diags.push(Diagnostic::err(
                "file-unreadable",
                &rel,
                format!("无法读取：{e} (cannot read)"),
            )),
        }
    }
    statics.into_iter().collect()
}

/// Tera with Gazette's escaping and filters.
fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    tera.set_escape_fn(crate::escape::tera_escape);
    // Dates reach templates as ISO text (`2026-02-02`); the theme writes them out.
    tera.register_filter(
        "zh_date",
        |x: &str, _: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            chrono::NaiveDate::parse_from_str(x, "%Y-%m-%d")
                .map(zh_date)
                .map_err(|_| {
                    tera::Error::message(format!("zh_date：“{x}”不是 YYYY-MM-DD 形式的日期"))
                })
        },
    );
    tera
}

/// Every template by its Tera name, with the file it comes from and its text: the
/// built-in theme's (when the site uses it), then the theme folder's, then the site's own
/// `templates/`, each replacing the one before file by file (as Zola does): a site changes
/// one template without copying the theme.
fn template_texts(
    root: &Path,
    rel_dir: &Path,
    built_in: bool,
    diags: &mut Diagnostics,
) -> std::collections::BTreeMap<String, (PathBuf, String)> {
    let mut by_name: std::collections::BTreeMap<String, (PathBuf, String)> = Default::default();
    if built_in {
        for (rel, bytes) in builtin::files() {
            if let Some(name) = rel.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                by_name.insert(name.to_string(), (builtin::shown_path(&rel), text));
            }
        }
    }
    for folder in [rel_dir.join("templates"), PathBuf::from(SITE_TEMPLATES)] {
        for rel in crate::load::list_files(root, &folder, diags) {
            let name = rel
                .strip_prefix(&folder)
                .map(crate::diag::display_path)
                .unwrap_or_default();
            match std::fs::read_to_string(root.join(&rel)) {
                Ok(text) => {
                    by_name.insert(name, (rel, text));
                }
                Err(e) => diags.push(Diagnostic::err(
                    "file-unreadable",
                    &rel,
                    format!("无法读取模板：{e} (cannot read)"),
                )),
            }
        }
    }
    by_name
}

/// Compiles the row partial `name`; a missing or malformed partial is a diagnostic.
fn row_template(
    sources: &[TemplateSource],
    name: &str,
    fields: &[&str],
    diags: &mut Diagnostics,
) -> Option<RowTemplate> {
    let Some(t) = TemplateSource::file_of(sources, name) else {
        diags.push(
            Diagnostic::general(format!(
                "主题的 templates/ 和网站的 templates/ 中都没有行模板 {name} (row partial missing)"
            ))
                .code("template")
                .help(format!(
                    "从 Gazette 自带的 themes/default/templates/{name} 复制一份到主题或网站的 templates/ 下"
                )),
        );
        return None;
    };
    match RowTemplate::compile(&t.text, fields) {
        Ok(r) => Some(r),
        Err(e) => {
            diags.push(
                Diagnostic::err(
                    "template",
                    &t.file,
                    format!("行模板错误：{} (row partial error)", e.message),
                )
                .at(e.span)
                .help("行模板（每家企业一行）只支持 {{ 字段 }}、{% if 字段 %}…{% else %}…{% endif %} 和 {# 注释 #}"),
            );
            None
        }
    }
}

const TEMPLATE_HELP: &str = "改正模板中标记处的写法（Tera 语法：{{ 值 }}、{% if 条件 %}…{% endif %}、{% for x in 列表 %}…{% endfor %}）";

fn tera_diagnostic(e: &tera::Error, sources: &[TemplateSource]) -> Diagnostic {
    let file_of = |name: &str| {
        TemplateSource::file_of(sources, name)
            .map(|t| t.file.clone())
            .unwrap_or_else(|| PathBuf::from(name))
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let file = file_of(r.filename());
            Diagnostic::err(
                "template",
                file,
                format!("模板错误：{} (template error)", r.message()),
            )
            .at(r.span().range.clone())
            .help(TEMPLATE_HELP)
        }
        _ => {
            // Validation errors (unknown filter, missing include) arrive as text with a
            // `--> name:line:col` marker: turn it back into a span in the template file.
            let text = e.to_string();
            let located = text.split("--> ").nth(1).and_then(|rest| {
                let loc = rest.split_whitespace().next()?;
                let mut parts = loc.rsplitn(3, ':');
                let col: usize = parts.next()?.parse().ok()?;
                let line: usize = parts.next()?.parse().ok()?;
                let name = parts.next()?;
                let t = TemplateSource::file_of(sources, name)?;
                let (file, src) = (t.file.clone(), t.text.clone());
                let start = offset_of(&src, line, col)?;
                let message = text
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("error: ")
                    .to_string();
                Some(
                    Diagnostic::err(
                        "template",
                        file,
                        format!("模板错误：{message} (template error)"),
                    )
                    .at(start..start + 1)
                    .help(TEMPLATE_HELP),
                )
            });
            located.unwrap_or_else(|| {
                Diagnostic::general(format!("模板错误：{text} (template error)")).code("template")
            })
        }
    }
}

/// Byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let col_bytes: usize = text[line_start..]
        .chars()
        .take(col.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    Some(line_start + col_bytes)
}

impl Theme {
    /// A Tera error while rendering, as a diagnostic at its place in the template file.
    pub(crate) fn template_error(&self, e: &tera::Error) -> Diagnostic {
        tera_diagnostic(e, &self.sources)
    }

    /// Errors of the output steps as one report, template errors with their template's text.
    pub fn report(&self, errors: Vec<Diagnostic>) -> Diagnostics {
        let mut diags = Diagnostics::new();
        for t in &self.sources {
            diags.add_source(&t.file, t.text.clone());
        }
        for d in errors {
            diags.push(d);
        }
        diags.coalesce(crate::diag::CANNOT_WRITE);
        diags.sort();
        diags
    }
}
