//! Diagnostics: every problem in the input, collected (not just the first) and rendered
//! rustc-style with the file, line, column and the offending source line.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of thing an error is, so that the command layer can end accordingly without
/// reading its wording or its code: a wrong value on the command line, a problem in the
/// site's files, or a file that could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Input,
    Usage,
    Output,
}

/// One problem, pointing into a source file when we know where.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// `Input` unless made by `usage` or `cannot_write…`.
    pub class: Class,
    /// Names the kind of problem: stable (documented in the README), so that tests and
    /// callers can tell problems apart without reading their wording.
    pub code: Option<&'static str>,
    /// Path as shown to the user (relative to the site root where possible); `None` for a
    /// problem of no file (the command line, the output folder as a whole).
    pub file: Option<PathBuf>,
    pub span: Option<Range<usize>>,
    pub message: String,
    /// Short text under the marker, e.g. "expected 18 characters".
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places worth showing (the first of two duplicates), in this file or another.
    pub related: Vec<Related>,
}

/// Another place a diagnostic points at.
#[derive(Debug, Clone)]
pub struct Related {
    /// `None`: the diagnostic's own file.
    pub file: Option<PathBuf>,
    pub span: Range<usize>,
    pub label: String,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            class: Class::Input,
            code: None,
            file: Some(file.into()),
            span: None,
            message: message.into(),
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// An error with its code.
    pub fn err(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::error(file, message).code(code)
    }

    /// A warning with its code.
    pub fn warn(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::warning(file, message).code(code)
    }

    /// A wrong value on the command line (no file to point at).
    pub fn usage(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            class: Class::Usage,
            ..Diagnostic::general(message).code(code)
        }
    }

    /// A problem of no file (the command line, a folder as a whole).
    pub fn general(message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            ..Diagnostic::error("", message)
        }
    }

    pub fn general_warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::general(message)
        }
    }

    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    pub fn at_opt(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Another place in the same file.
    pub fn also(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push(Related {
            file: None,
            span,
            label: label.into(),
        });
        self
    }

    /// A place in another file.
    pub fn also_in(
        mut self,
        file: impl Into<PathBuf>,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file: Some(file.into()),
            span,
            label: label.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// A file of the site that could not be written (a full disk fails every file the
    /// same way: `Diagnostics::coalesce` keeps one).
    pub fn cannot_write(path: &str, e: &std::io::Error) -> Self {
        Diagnostic::general(format!("无法写入网站文件 {path}：{e} (cannot write)"))
            .help("检查输出文件夹所在的磁盘是否已满、是否可写；已发布的网站没有改动")
            .code(CANNOT_WRITE)
            .output()
    }

    /// Marks an error as a file that could not be written (`Class::Output`).
    pub fn output(mut self) -> Self {
        self.class = Class::Output;
        self
    }
}

impl Diagnostic {
    /// A data file (a list, a calendar) that could not be written: nothing else changed.
    pub fn cannot_write_data(rel: &Path, e: &std::io::Error) -> Self {
        Diagnostic::err(
            CANNOT_WRITE,
            rel,
            format!("无法写入 {}：{e} (cannot write)", display_path(rel)),
        )
        .help("检查 data/ 下的这个文件夹是否存在、是否可写、磁盘是否已满；没有写入任何文件")
        .output()
    }
}

/// The code of `Diagnostic::cannot_write`.
pub const CANNOT_WRITE: &str = "cannot-write";

/// A set of diagnostics plus the source text they point into.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, Arc<str>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers a file's text so that spans into it can be shown.
    pub fn add_source(&mut self, file: impl Into<PathBuf>, text: Arc<str>) {
        self.sources.insert(file.into(), text);
    }

    /// The files read so far, with their texts.
    pub fn sources(&self) -> impl Iterator<Item = (&Path, &Arc<str>)> {
        self.sources.iter().map(|(p, t)| (p.as_path(), t))
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.sources.extend(other.sources);
    }

    /// The class of the errors, `None` without any: `Usage` when every error is a wrong
    /// command-line value, `Output` when a file could not be written, else `Input`.
    pub fn class(&self) -> Option<Class> {
        let errors = self.items.iter().filter(|d| d.severity == Severity::Error);
        errors.fold(None, |class, d| match (class, d.class) {
            (None, c) => Some(c),
            (Some(Class::Output), _) | (_, Class::Output) => Some(Class::Output),
            (Some(Class::Usage), Class::Usage) => Some(Class::Usage),
            _ => Some(Class::Input),
        })
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Keeps the first diagnostic with `code` and says how many more there were, so that
    /// one cause (a full disk) is one error, not thousands.
    pub fn coalesce(&mut self, code: &str) {
        let mut seen = 0usize;
        self.items.retain(|d| {
            if d.code == Some(code) {
                seen += 1;
                seen == 1
            } else {
                true
            }
        });
        if seen > 1 {
            if let Some(first) = self.items.iter_mut().find(|d| d.code == Some(code)) {
                first.message = format!(
                    "{}（另有 {} 个文件出现同样的问题 and {} more files）",
                    first.message,
                    seen - 1,
                    seen - 1
                );
            }
        }
    }

    /// Drops the warnings: a refusal shows only what stopped it.
    pub fn retain_errors(&mut self) {
        self.items.retain(|d| d.severity == Severity::Error);
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Orders diagnostics by file and position so that output is stable whatever the
    /// order in which parallel loaders reported them.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (
                a.severity,
                &a.file,
                a.span.as_ref().map(|s| s.start),
                &a.message,
            )
                .cmp(&(
                    b.severity,
                    &b.file,
                    b.span.as_ref().map(|s| s.start),
                    &b.message,
                ))
        });
    }

    /// 1-based line and column (in characters) of a byte offset in a known file.
    pub fn line_col(&self, file: &Path, offset: usize) -> Option<(usize, usize)> {
        let text = self.sources.get(file)?;
        Some(line_col(text, offset))
    }

    /// Renders every diagnostic as plain text (colour when `color`), followed by a summary.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_wrap_lines(false)
            .with_links(false);
        let mut out = String::new();
        for d in &self.items {
            let text = d.file.as_ref().and_then(|f| self.sources.get(f));
            let source = match (&d.span, text, &d.file) {
                (Some(span), Some(text), Some(file)) => {
                    let same: Vec<(Range<usize>, String)> = d
                        .related
                        .iter()
                        .filter(|r| r.file.is_none() || r.file.as_ref() == Some(file))
                        .map(|r| (r.span.clone(), r.label.clone()))
                        .collect();
                    Some(Excerpt::new(file, text, span, &same))
                }
                _ => None,
            };
            // Places in other files are shown below, each with its own excerpt.
            let elsewhere = d
                .related
                .iter()
                .filter(|r| r.file.is_some() && r.file != d.file)
                .filter_map(|r| {
                    let file = r.file.as_ref()?;
                    let text = self.sources.get(file)?;
                    Some(Elsewhere {
                        label: shown(&r.label),
                        location: line_col(text, r.span.start),
                        file: display_path(file),
                        excerpt: Excerpt::new(file, text, &r.span, &[]),
                        span: r.span.clone(),
                    })
                })
                .collect();
            let report = Report {
                d,
                source,
                elsewhere,
                location: match (&d.span, &d.file) {
                    (Some(s), Some(f)) => self.line_col(f, s.start),
                    _ => None,
                },
            };
            if handler.render_report(&mut out, &report).is_err() {
                out.push_str(&format!("{report}\n"));
            }
            out.push('\n');
        }
        let (e, w) = (self.error_count(), self.warning_count());
        if e > 0 || w > 0 {
            out.push_str(&summary(e, w));
            out.push('\n');
        }
        out
    }
}

/// "2 个错误，1 个警告 (2 errors, 1 warning)": the caller adds what it means (nothing was
/// built, nothing was written…).
fn summary(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, w) => format!("{w} 个警告 ({w} warning{})", if w == 1 { "" } else { "s" }),
        (e, 0) => format!("{e} 个错误 ({e} error{})", if e == 1 { "" } else { "s" }),
        (e, w) => format!(
            "{e} 个错误，{w} 个警告 ({e} error{}, {w} warning{})",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        ),
    }
}

/// A path with `/` between its parts on every system: for messages, and for paths that
/// reach the output (the same input gives the same bytes on Windows).
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// 1-based line and column (counted in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Longest stretch of a source line shown under a diagnostic, in characters.
const MAX_SHOWN_LINE: usize = 160;
/// Related places further than this many lines from the main one are named, not shown.
const MAX_EXCERPT_LINES: usize = 12;
/// Longest message, label or help shown, in characters.
const MAX_TEXT: usize = 600;

/// Text from the input made safe to print: control characters shown escaped (a cell of a
/// spreadsheet cannot clear the clerk's terminal) and cut when very long.
fn shown(s: &str) -> String {
    let s = crate::domain::text::escape_controls(s);
    match s.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => format!("{}……（已截断 truncated）", &s[..i]),
        None => s.into_owned(),
    }
}

/// The lines of a file around a diagnostic's spans, each cut to a window around the span
/// and with control characters escaped, so that a 50 MB line or a terminal escape in the
/// data prints as a short, harmless excerpt. Offsets are translated both ways, and line
/// and column numbers stay those of the file.
struct Excerpt {
    name: String,
    text: String,
    file: Arc<str>,
    /// (excerpt offset, file offset) of every character kept, ascending in both.
    map: Vec<(usize, usize)>,
    /// Related places shown in the excerpt (the others are named in the help).
    related: Vec<(Range<usize>, String)>,
    far: Vec<(usize, String)>,
}

impl Excerpt {
    fn new(
        file: &Path,
        text: &Arc<str>,
        span: &Range<usize>,
        related: &[(Range<usize>, String)],
    ) -> Excerpt {
        let clamp = |o: usize| floor_char_boundary(text, o.min(text.len()));
        let span = clamp(span.start)..clamp(span.end.max(span.start));
        let line_of = |o: usize| memchr::memchr_iter(b'\n', &text.as_bytes()[..o]).count();
        let main_line = line_of(span.start);
        let (mut near, mut far) = (Vec::new(), Vec::new());
        for (r, label) in related {
            let r = clamp(r.start)..clamp(r.end.max(r.start));
            let l = line_of(r.start);
            if l.abs_diff(main_line) <= MAX_EXCERPT_LINES {
                near.push((r, label.clone()));
            } else {
                far.push((l + 1, label.clone()));
            }
        }
        let lo = near.iter().map(|r| r.0.start).fold(span.start, usize::min);
        let hi = near.iter().map(|r| r.0.end).fold(span.end, usize::max);
        // One line of context on each side.
        let mut start = text[..lo].rfind('\n').map_or(0, |i| i + 1);
        if start > 0 {
            start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        }
        let mut end = text[hi..].find('\n').map_or(text.len(), |i| hi + i);
        if end < text.len() {
            end = text[end + 1..]
                .find('\n')
                .map_or(text.len(), |i| end + 1 + i);
        }
        let anchors: Vec<usize> = std::iter::once(span.start)
            .chain(near.iter().map(|r| r.0.start))
            .collect();
        let mut out = String::new();
        let mut map = Vec::new();
        let mut line_start = start;
        while line_start <= end {
            let line_end = text[line_start..end]
                .find('\n')
                .map_or(end, |i| line_start + i);
            let line = &text[line_start..line_end];
            let (from, to) = if line.chars().count() <= MAX_SHOWN_LINE {
                (line_start, line_end)
            } else {
                let anchor = anchors
                    .iter()
                    .copied()
                    .find(|&a| a >= line_start && a <= line_end)
                    .unwrap_or(line_start);
                let from = line[..anchor - line_start]
                    .char_indices()
                    .rev()
                    .nth(40)
                    .map_or(line_start, |(i, _)| line_start + i);
                let to = text[from..line_end]
                    .char_indices()
                    .nth(MAX_SHOWN_LINE)
                    .map_or(line_end, |(i, _)| from + i);
                (from, to)
            };
            if from > line_start {
                out.push('…');
            }
            for (i, c) in text[from..to].char_indices() {
                map.push((out.len(), from + i));
                if crate::domain::text::first_bad_char(c.encode_utf8(&mut [0; 4]), false).is_some()
                {
                    out.push_str(&format!("\\u{{{:x}}}", c as u32));
                } else {
                    out.push(c);
                }
            }
            if to < line_end {
                out.push('…');
            }
            if line_end >= end {
                map.push((out.len(), line_end));
                break;
            }
            map.push((out.len(), line_end));
            out.push('\n');
            line_start = line_end + 1;
        }
        let mut x = Excerpt {
            name: display_path(file),
            text: out,
            file: text.clone(),
            map,
            related: Vec::new(),
            far,
        };
        x.related = near
            .into_iter()
            .map(|(r, l)| (x.to_excerpt(r.start)..x.to_excerpt(r.end), l))
            .collect();
        x
    }

    /// The excerpt offset of a file offset (the nearest kept character before it).
    fn to_excerpt(&self, file_offset: usize) -> usize {
        let i = self.map.partition_point(|&(_, f)| f <= file_offset);
        self.map.get(i.saturating_sub(1)).map_or(0, |&(e, _)| e)
    }

    fn to_file(&self, excerpt_offset: usize) -> usize {
        let i = self.map.partition_point(|&(e, _)| e <= excerpt_offset);
        self.map.get(i.saturating_sub(1)).map_or(0, |&(_, f)| f)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let (line, col) = line_col(&self.file, self.to_file(inner.span().offset()));
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line - 1,
            col - 1,
            inner.line_count(),
        )))
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    source: Option<Excerpt>,
    elsewhere: Vec<Elsewhere>,
    location: Option<(usize, usize)>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", shown(&self.d.message))
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The file and position are in the message too, so they survive any renderer
        // (plain logs, the serve overlay, a screen reader) and can be searched for; the
        // code closes the line, as rustc's error[E0308] opens it.
        let message = shown(&self.d.message);
        match (&self.d.file, self.location) {
            (Some(file), Some((l, c))) => write!(f, "{}:{l}:{c}: {message}", display_path(file))?,
            (Some(file), None) => write!(f, "{}: {message}", display_path(file))?,
            (None, _) => write!(f, "{message}")?,
        }
        if let Some(code) = self.d.code {
            write!(f, " [{code}]")?;
        }
        Ok(())
    }
}

/// A related place in another file, rendered under the diagnostic.
struct Elsewhere {
    file: String,
    label: String,
    location: (usize, usize),
    excerpt: Excerpt,
    span: Range<usize>,
}

impl fmt::Debug for Elsewhere {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.label)
    }
}

impl fmt::Display for Elsewhere {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (l, c) = self.location;
        write!(f, "{}:{l}:{c}: {}", self.file, self.label)
    }
}

impl std::error::Error for Elsewhere {}

impl miette::Diagnostic for Elsewhere {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.excerpt)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (start, end) = (
            self.excerpt.to_excerpt(self.span.start),
            self.excerpt.to_excerpt(self.span.end),
        );
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.label.clone()),
                (start, end.saturating_sub(start)),
            ),
        )))
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut help = self.d.help.as_deref().map(shown);
        if let Some(x) = &self.source {
            for (line, label) in &x.far {
                let also = format!("另见第{line}行：{}", shown(label));
                help = Some(match help {
                    Some(h) => format!("{h}\n{also}"),
                    None => also,
                });
            }
        }
        help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.elsewhere.is_empty() {
            return None;
        }
        Some(Box::new(
            self.elsewhere.iter().map(|e| e as &dyn miette::Diagnostic),
        ))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.d.span.clone()?;
        let x = self.source.as_ref()?;
        let (start, end) = (x.to_excerpt(span.start), x.to_excerpt(span.end));
        let primary = LabeledSpan::new_primary_with_span(
            self.d.label.as_deref().map(shown),
            (start, end.saturating_sub(start)),
        );
        let related = x.related.iter().map(|(r, l)| {
            LabeledSpan::new_with_span(Some(shown(l)), (r.start, r.end.saturating_sub(r.start)))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\n名称 = \"x\"\n";
        let off = text.find('"').unwrap();
        assert_eq!(line_col(text, off), (2, 6));
        assert_eq!(line_col(text, 0), (1, 1));
    }

    #[test]
    fn a_huge_line_is_shown_as_a_short_window_with_the_right_position() {
        let mut ds = Diagnostics::new();
        let mut text = "a = 1\nname = \"".to_string();
        text.push_str(&"长".repeat(5_000_000));
        text.push_str("X\u{1b}[2J");
        text.push_str(&"尾".repeat(1000));
        text.push_str("\"\nb = 2\n");
        let at = text.find('X').unwrap();
        let text: Arc<str> = Arc::from(text);
        ds.add_source("data/x.toml", text.clone());
        ds.push(
            Diagnostic::error("data/x.toml", "bad \u{1b}[31m value")
                .at(at..at + 1)
                .label("here"),
        );
        let out = ds.render(false);
        assert!(out.len() < 3000, "{} bytes", out.len());
        assert!(out.contains("data/x.toml:2:5000009"), "{out}");
        assert!(out.contains("X\\u{1b}[2J"), "{out}");
        assert!(
            !out.contains('\u{1b}'),
            "a terminal escape reached the output"
        );
        assert!(out.contains("b = 2"), "context line: {out}");
    }

    #[test]
    fn far_related_places_are_named_in_the_help() {
        let mut ds = Diagnostics::new();
        let text: String = (1..=100).map(|i| format!("k{i} = {i}\n")).collect();
        let a = text.find("k3 =").unwrap();
        let b = text.find("k90 =").unwrap();
        let text: Arc<str> = Arc::from(text);
        ds.add_source("x.toml", text);
        ds.push(
            Diagnostic::error("x.toml", "twice")
                .at(b..b + 3)
                .also(a..a + 2, "first here"),
        );
        let out = ds.render(false);
        assert!(out.contains("x.toml:90:1"), "{out}");
        assert!(out.contains("另见第3行：first here"), "{out}");
        assert!(!out.contains("k50"), "{out}");
    }

    #[test]
    fn render_shows_file_line_column_and_source_line() {
        let mut ds = Diagnostics::new();
        let text: Arc<str> = Arc::from("year = 2026\nquarter = 7\n");
        ds.add_source("data/lists/x.toml", text.clone());
        let start = text.find('7').unwrap();
        ds.push(
            Diagnostic::error("data/lists/x.toml", "quarter must be 1..4")
                .at(start..start + 1)
                .label("here")
                .help("use 1, 2, 3 or 4"),
        );
        let out = ds.render(false);
        assert!(out.contains("data/lists/x.toml:2:11"), "{out}");
        assert!(out.contains("quarter = 7"), "{out}");
        assert!(out.contains("use 1, 2, 3 or 4"), "{out}");
        assert!(out.contains("1 个错误"), "{out}");
    }
}
