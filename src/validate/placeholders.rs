//! Placeholders left by `gazette init` (【待填写】, `domain::text::PLACEHOLDER`): one warning
//! each, at its position, so `check` lists what is left to fill in before publishing.
//! Warnings, not errors: a new site builds at once, so the clerk can preview it while
//! filling it in.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::text::PLACEHOLDER;

/// Warns of every placeholder in the site's files read so far (`content/`, `data/`).
pub(super) fn check_placeholders(diags: &mut Diagnostics) {
    let found: Vec<(std::path::PathBuf, usize)> = diags
        .sources()
        .filter(|(file, _)| file.starts_with("content") || file.starts_with("data"))
        .flat_map(|(file, text)| {
            text.match_indices(PLACEHOLDER)
                .map(move |(at, _)| (Path::to_path_buf(file), at))
        })
        .collect();
    for (file, at) in found {
        diags.push(
            Diagnostic::warn("placeholder", file, "这里还没有填写 (placeholder)")
                .at(at..at + PLACEHOLDER.len())
                .label("待填写")
                .help("把【待填写】和它后面的提示换成真实内容；发布前要全部改完"),
        );
    }
}
