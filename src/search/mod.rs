//! The search index (being implemented): written at build time, read by `search.js`.

use crate::model::Site;
use crate::render::views::Urls;

/// Index files to write, and the URL of the manifest the search page loads.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// (site-relative path, bytes)
    pub files: Vec<(String, Vec<u8>)>,
    /// Site-relative URL (with base path) of the manifest; empty when there is no index.
    pub manifest_url: String,
}

pub fn build(_site: &Site, _urls: &Urls) -> SearchIndex {
    SearchIndex::default()
}
