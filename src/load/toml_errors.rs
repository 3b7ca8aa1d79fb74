//! Errors of the `toml` crate as a clerk should read them: in Chinese, with the key or
//! value named, and with a specific hint for the slips a Chinese input method makes
//! (full-width quotes “…”, a full-width ＝, a date written 2026年12月28日 or in quotes).

use std::path::Path;

use crate::diag::Diagnostic;

/// The diagnostic for a `toml` error in `text` (whose offsets are file positions).
pub(crate) fn diagnostic(rel: &Path, e: &toml::de::Error, text: &str) -> Diagnostic {
    let english = e.message().trim().to_string();
    let span = e.span();
    let line = span
        .as_ref()
        .map(|s| line_at(text, s.start.min(text.len())))
        .unwrap_or("");
    let (code, message, help) = explain(&english, line);
    Diagnostic::err(code, rel, message)
        .at_opt(span)
        .help(format!("{help}（TOML: {}）", first_line(&english)))
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// The whole line around byte offset `at`.
fn line_at(text: &str, at: usize) -> &str {
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// The names between backticks in a `toml`/serde message: `a`, `b`.
fn quoted(msg: &str) -> Vec<&str> {
    msg.split('`').skip(1).step_by(2).collect()
}

/// serde's "expected …" as a clerk says it.
fn kind_zh(expected: &str) -> &'static str {
    let e = expected.trim();
    if e.contains("string") || e.contains("str") {
        "文字（放在英文双引号中，例如 \"中山区\"）"
    } else if e.contains("datetime") || e.contains("date") {
        "日期（不加引号，例如 2026-04-20）"
    } else if e.contains("bool") {
        "true 或 false"
    } else if e.contains("sequence") || e.contains("array") {
        "列表（放在方括号中，例如 [\"82565782\"]）"
    } else if e.contains("map") || e.contains("struct") || e.contains("table") {
        "表"
    } else if e.contains("i64")
        || e.contains("i32")
        || e.contains("u32")
        || e.contains("u8")
        || e.contains("integer")
        || e.contains("usize")
    {
        "整数（不加引号）"
    } else {
        "另一种值"
    }
}

/// (code, Chinese message, help) for a `toml` message, using the line it points at for
/// input-method hints.
fn explain(msg: &str, line: &str) -> (&'static str, String, String) {
    // Input-method slips first: they cause every kind of error, and their fix is simple.
    if line.contains(['“', '”', '‘', '’']) {
        return (
            "toml-syntax",
            "这一行用了中文引号 “ ” (full-width quotes)".into(),
            "把中文引号“ ”换成英文双引号 \" \"：切换到英文输入法，或在输入法中关闭“中文标点”"
                .into(),
        );
    }
    if line.contains('＝') {
        return (
            "toml-syntax",
            "这一行用了全角等号 ＝ (a full-width equals sign)".into(),
            "把“＝”换成英文的“=”：切换到英文输入法后重新输入".into(),
        );
    }
    let chinese_date = line.contains('年')
        && line.contains('月')
        && line.contains('日')
        && !line.contains('"')
        && !line.contains('\'');
    if chinese_date {
        return (
            "date",
            "日期要写成 2026-12-28 的格式 (a date written in Chinese)".into(),
            "把“2026年12月28日”改写成 2026-12-28（不加引号）".into(),
        );
    }
    if msg.starts_with("invalid type: string") && (msg.contains("datetime") || msg.contains("date"))
    {
        return (
            "date",
            "日期不要加引号 (a date in quotes)".into(),
            "去掉日期两边的引号，例如 start = 2026-12-28".into(),
        );
    }
    let names = quoted(msg);
    if msg.starts_with("unknown field") {
        let key = names.first().copied().unwrap_or("");
        let allowed: Vec<&str> = names.iter().skip(1).copied().collect();
        let help = if allowed.is_empty() {
            "这里不能写任何键：删掉它".to_string()
        } else {
            format!(
                "检查拼写：这里可以写 {}（说明见 README）；多余的键请删掉",
                allowed.join("、")
            )
        };
        return (
            "toml-unknown-key",
            format!("不认识的键 {key} (unknown key)"),
            help,
        );
    }
    if msg.starts_with("missing field") {
        let key = names.first().copied().unwrap_or("");
        return (
            "toml-missing-key",
            format!("缺少 {key} (missing key)"),
            format!("在这个表中加上 {key} = …（格式见 README）"),
        );
    }
    if msg.starts_with("unknown variant") {
        let value = names.first().copied().unwrap_or("");
        let allowed: Vec<&str> = names.iter().skip(1).copied().collect();
        return (
            "toml-value",
            format!("“{value}”不是这里可以写的值 (unknown value)"),
            format!("可以写：{}", allowed.join("、")),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            "toml-type",
            format!("这里要写{}，写的是 {got} (invalid type)", kind_zh(expected)),
            "文字放在英文双引号中，数字和日期（2026-04-20）不加引号，列表放在 [ ] 中".into(),
        );
    }
    if msg.contains("duplicate key") {
        return (
            "toml-duplicate-key",
            format!(
                "同一个键写了两次{} (duplicate key)",
                names.first().map(|k| format!("：{k}")).unwrap_or_default()
            ),
            "每个键在一个表中只能写一次：删掉其中一个".into(),
        );
    }
    (
        "toml-syntax",
        "TOML 格式错误 (syntax error)".into(),
        "检查标记处附近的写法：文字要放在成对的英文双引号中，表写作 [名称]，重复的表写作 [[名称]]"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        name: String,
        start: Option<toml::value::Datetime>,
        stage: Option<crate::model::Stage>,
        n: Option<u32>,
    }

    fn message(text: &str) -> (String, String) {
        let e = toml::from_str::<T>(text).unwrap_err();
        let d = diagnostic(Path::new("x.toml"), &e, text);
        (d.message, d.help.unwrap_or_default())
    }

    #[test]
    fn errors_are_explained_in_chinese() {
        assert!(message("name = \"a\"\nnmae = \"b\"\n")
            .0
            .starts_with("不认识的键 nmae"));
        assert!(message("start = 2026-01-01\n").0.starts_with("缺少 name"));
        assert!(message("name = 1\n").0.starts_with("这里要写文字"));
        assert!(message("name = \"a\"\nstage = \"x\"\n")
            .0
            .starts_with("“x”不是"));
        assert!(message("name = \"a\"\nname = \"b\"\n")
            .0
            .starts_with("同一个键写了两次"));
        assert!(message("name = \"a\n").0.starts_with("TOML 格式错误"));
    }

    #[test]
    fn input_method_slips_get_their_own_hint() {
        assert!(message("name = “中山区”\n").0.contains("中文引号"));
        assert!(message("name ＝ \"a\"\n").0.contains("全角等号"));
        assert!(message("name = \"a\"\nstart = 2026年12月28日\n")
            .1
            .contains("2026-12-28"));
        assert!(message("name = \"a\"\nstart = \"2026-12-28\"\n")
            .0
            .contains("不要加引号"));
    }

    #[test]
    fn chinese_words_are_values_too() {
        let t: T = toml::from_str("name = \"a\"\nstage = \"公告\"\n").unwrap();
        assert_eq!(t.stage, Some(crate::model::Stage::Announced));
    }
}
