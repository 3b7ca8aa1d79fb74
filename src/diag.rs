//! Diagnostics: every problem in the input, collected (not just the first) and rendered
//! rustc-style with the file, line, column and the offending source line.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, pointing into a source file when we know where.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root where possible).
    pub file: PathBuf,
    pub span: Option<Range<usize>>,
    pub message: String,
    /// Short text under the marker, e.g. "expected 18 characters".
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places in the same file worth showing (e.g. the first of two duplicates).
    pub related: Vec<(Range<usize>, String)>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
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

    pub fn also(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

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

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.sources.extend(other.sources);
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

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Orders diagnostics by file and position so that output is stable whatever the
    /// order in which parallel loaders reported them.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (a.severity, &a.file, a.span.as_ref().map(|s| s.start)).cmp(&(
                b.severity,
                &b.file,
                b.span.as_ref().map(|s| s.start),
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
            let report = Report {
                d,
                source: self
                    .sources
                    .get(&d.file)
                    .map(|text| NamedSource::new(display_path(&d.file), text.to_string())),
                location: d
                    .span
                    .as_ref()
                    .and_then(|s| self.line_col(&d.file, s.start)),
            };
            if handler.render_report(&mut out, &report).is_err() {
                out.push_str(&format!("{}: {}\n", display_path(&d.file), d.message));
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

fn summary(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, w) => format!("{w} 个警告 ({w} warning(s))"),
        (e, 0) => format!("{e} 个错误 ({e} error(s)); 没有生成网站 (nothing was written)"),
        (e, w) => format!(
            "{e} 个错误, {w} 个警告 ({e} error(s), {w} warning(s)); 没有生成网站 (nothing was written)"
        ),
    }
}

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

struct Report<'a> {
    d: &'a Diagnostic,
    source: Option<NamedSource<String>>,
    location: Option<(usize, usize)>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.d.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The file and position are in the message too, so they survive any renderer
        // (plain logs, the serve overlay, a screen reader) and can be searched for.
        let file = display_path(&self.d.file);
        match self.location {
            Some((l, c)) => write!(f, "{file}:{l}:{c}: {}", self.d.message),
            None => write!(f, "{file}: {}", self.d.message),
        }
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
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.d.span.is_some() {
            self.source.as_ref().map(|s| s as &dyn SourceCode)
        } else {
            None
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.d.span.clone()?;
        self.source.as_ref()?;
        let len = span.end.saturating_sub(span.start);
        let primary = LabeledSpan::new_primary_with_span(self.d.label.clone(), (span.start, len));
        let related = self.d.related.iter().map(|(r, l)| {
            LabeledSpan::new_with_span(Some(l.clone()), (r.start, r.end.saturating_sub(r.start)))
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
