//! Gazette: a static-site generator for government public notices, enterprise lists and
//! their publicity periods.
//!
//! The pipeline, one module per stage:
//! `config`/`load` (read and parse files) → `validate` (checked `model::Site`) →
//! `render` (Tera pages, downloads) → `search` (index) → `output` (atomic publish).
//! `build` runs the pipeline; `cli` only parses arguments and calls it.

// Diagnostics are the cold path: returning them unboxed costs nothing that matters.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod config;
pub mod data;
pub mod deploy;
pub mod diag;
pub mod domain;
pub mod edit;
pub mod import;
pub mod lists;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod progress;
pub mod render;
pub mod search;
pub mod store;
pub mod synth;
pub mod validate;
