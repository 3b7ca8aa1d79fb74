//! A read-only view of one of the site's source files, with numbered lines, so that a
//! problem's position can be opened from the console. Only files under the site's
//! `content/`, `data/` and `themes/` are shown; the browser's path never reaches the file
//! system otherwise.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use gazette::escape::html as esc;

use super::super::http::Reply;
use super::form::Form;
use super::page::{self, Section};
use super::{html, Console};

/// The folders of a site whose files the console may show.
const SOURCE_FOLDERS: [&str; 3] = ["content", "data", "themes"];
/// Larger files are not shown (a source file is a few kilobytes).
const MAX_SHOWN: u64 = 4 << 20;

pub(super) fn page(c: &Console, form: &Form) -> Reply {
    let rel = form.get("path").unwrap_or("");
    let Some(file) = source_file(&c.root, rel) else {
        let mut r = html(page::frame(
            Section::Other,
            "不能显示这个文件",
            "<p>只能显示网站文件夹中 content/、data/ 和 themes/ 下的文件。</p>",
        ));
        r.status = 404;
        return r;
    };
    let text = match std::fs::metadata(&file) {
        Ok(m) if m.len() > MAX_SHOWN => Err("文件太大，请用文本编辑器打开".to_string()),
        Ok(_) => std::fs::read(&file)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let mut main = format!(
        "<p>文件：<code>{}</code>（只读；请用文本编辑器修改，保存后预览会自动更新）</p>",
        esc(&gazette::diag::display_path(&file))
    );
    match text {
        Ok(text) => {
            main.push_str("<ol class=\"source\">");
            for (i, line) in text.lines().enumerate() {
                let _ = write!(main, "<li id=\"L{}\">{}</li>", i + 1, esc(line));
            }
            main.push_str("</ol>");
        }
        Err(e) => main.push_str(&page::notice("error", &format!("无法读取：{}", esc(&e)))),
    }
    html(page::frame(Section::Other, rel, &main))
}

/// The file `rel` names under one of the site's source folders, if it is one.
fn source_file(root: &Path, rel: &str) -> Option<PathBuf> {
    if rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let rel_path = Path::new(rel);
    let mut parts = rel_path.components();
    match parts.next() {
        Some(Component::Normal(first)) if SOURCE_FOLDERS.iter().any(|f| first == *f) => {}
        _ => return None,
    }
    if !parts.all(|p| matches!(p, Component::Normal(_))) {
        return None;
    }
    // A link inside the folders may still point elsewhere: the real path must stay inside.
    let real = root.join(rel_path).canonicalize().ok()?;
    let inside = SOURCE_FOLDERS
        .iter()
        .filter_map(|f| root.join(f).canonicalize().ok())
        .any(|folder| real.starts_with(folder));
    (inside && real.is_file()).then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_under_the_source_folders_are_shown() {
        let dir = std::env::temp_dir().join(format!("gazette-source-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("data/lists")).unwrap();
        std::fs::write(dir.join("data/lists/a.toml"), "x").unwrap();
        std::fs::write(dir.join("secret.txt"), "x").unwrap();
        let root = dir.canonicalize().unwrap();
        assert!(source_file(&root, "data/lists/a.toml").is_some());
        for bad in [
            "secret.txt",
            "data/../secret.txt",
            "/etc/passwd",
            "data\\lists\\a.toml",
            "data/lists",
            "./data/lists/a.toml",
            "",
        ] {
            assert!(source_file(&root, bad).is_none(), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
