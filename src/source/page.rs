//! The TOML front matter of a Markdown page under `content/` (between `+++` lines).

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

/// TOML front matter of a Markdown page (between `+++` lines).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    /// Template under `themes/<theme>/templates/`; `page.html` (or `section.html`) when absent.
    pub template: Option<String>,
    /// Publication date (PubDate); a TOML date or date-time.
    pub date: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub weight: i64,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub attachment: Vec<AttachmentFile>,
    #[serde(default)]
    pub correction: Vec<Correction>,
    /// Other site paths that redirect here (`notice/`), so that addresses stay valid when
    /// a page moves.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// Free-form values for custom templates.
    pub extra: Option<toml::Table>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentFile {
    pub number: u32,
    pub title: String,
    /// A file under `static/`, e.g. `attachments/附件2.pdf`; absent = not yet published.
    pub file: Option<Spanned<String>>,
    /// A page of this site (site-relative, e.g. `criteria/#self-assessment`); never
    /// another site's address.
    pub page: Option<Spanned<String>>,
}

/// A transcription slip fixed in the published text, kept for transparency.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub original: String,
    pub corrected: String,
    pub reason: String,
}
