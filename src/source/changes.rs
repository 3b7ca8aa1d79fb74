//! `data/changes/<year>.toml`: what happened to enterprises after their lists were
//! announced, as the bureau or the province published it: renames (简单更名, the credit
//! code and the title kept) and revocations (撤销称号, dated, with a reason). Written by
//! `gazette enterprise rename` and `gazette enterprise revoke`; checked like every file.

use serde::{Deserialize, Serialize};
use toml::value::Datetime;
use toml::Spanned;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesFile {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rename: Vec<RenameFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revocation: Vec<RevocationFile>,
}

/// `[[rename]]`: the enterprise with `credit_code` is called `to` from `date` on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RenameFile {
    pub credit_code: Spanned<String>,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub date: Spanned<Datetime>,
    /// The document that approved it, e.g. 辽工信改革〔2024〕6号.
    pub document: Option<Spanned<String>>,
}

/// `[[revocation]]`: the title of `programme` (the site's only programme when absent) is
/// revoked from `date`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationFile {
    pub credit_code: Spanned<String>,
    pub programme: Option<Spanned<String>>,
    pub date: Spanned<Datetime>,
    pub reason: Spanned<String>,
    pub document: Option<Spanned<String>>,
}
