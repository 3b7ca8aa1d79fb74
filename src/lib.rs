//! Gazette: a static-site generator for government public notices, enterprise lists and
//! their publicity periods.
//!
//! Data flows one way, from the files staff edit to the files a reader gets:
//! `source` (the files' shapes) → `load` (read and parse) → `validate` (cross-file checks)
//! → `model` (the checked site) → `urls` → `render` / `search` / `feeds` / `downloads`
//! → `build` (the named steps) → `output` (atomic publish); `theme` is loaded beside
//! `load` and handed to `render` finished. Module imports follow the same direction (the
//! testsuite's `architecture` module keeps them free of cycles). The command layer (`src/cmd`,
//! in the binary) parses arguments, prints and chooses exit codes; nothing here imports it.
//! What a reader sees, markup and words, is the theme's (templates, row partials,
//! `theme.toml`); Rust passes values.

// Diagnostics are the cold path: returning them unboxed costs nothing that matters.
#![allow(clippy::result_large_err)]
// Items are crate-private unless the command layer, the tests or the fuzz targets use them.
#![warn(unreachable_pub)]

pub mod build;
pub mod deploy;
pub mod diag;
pub mod directory;
pub mod domain;
pub mod edit;
pub mod escape;
pub(crate) mod hooks;
pub mod import;
pub mod init;
pub mod lists;
pub mod load;
pub(crate) mod markdown;
pub(crate) mod model;
pub mod output;
pub mod progress;
pub mod render;
#[cfg(test)]
mod rng;
pub(crate) mod search;
pub mod source;
pub(crate) mod store;
pub mod theme;
pub mod timings;
pub mod urls;
pub mod validate;
