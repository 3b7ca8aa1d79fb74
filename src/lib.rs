//! Gazette: a static-site generator for government public notices, enterprise lists and
//! their publicity periods.
//!
//! Dependencies run one way, from the files staff edit to the files a reader gets:
//! `source` (the files' shapes) → `load` (read and parse) → `model` (the checked site) ←
//! `validate` (cross-file checks) → `urls` → `render` / `search` / `feeds` / `downloads`
//! → `build` (the named steps) → `output` (atomic publish). The command layer (`src/cmd`,
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
pub mod domain;
pub mod edit;
pub(crate) mod hooks;
pub mod import;
pub mod lists;
pub mod load;
pub(crate) mod markdown;
pub(crate) mod model;
pub mod output;
pub mod progress;
pub mod render;
pub(crate) mod search;
pub mod source;
pub(crate) mod store;
pub mod synth;
pub mod timings;
pub mod urls;
pub mod validate;
