//! Gazette's integration tests: one crate (one binary to link), one module per feature.
//! Most run the real `gazette` binary on a site copied into a temp folder: the repository's
//! real site where the test is about that site, or a small purpose-built one from
//! `tests/fixtures/` (`minimal`, `subpath`, `shenyang`, `monthly`, `numbered`) where any site
//! shows it equally well.
//! `support` holds the shared helpers.

mod support;
// The repository's one pseudo-random generator for test data (`gazette synth`'s too).
#[path = "../../src/rng.rs"]
mod rng;

mod architecture;
mod bad_input;
mod build_site;
mod clerk;
mod console;
mod console_deploy;
mod console_import;
mod deploy;
mod diagnostics;
mod directory;
mod docs;
mod enterprise;
mod hostile;
mod import;
mod init;
mod input_links;
mod keydates;
mod lists;
mod malformed_inputs;
mod minimal;
mod numbered;
mod other_systems;
mod positions;
mod programmes;
mod search;
mod serve;
mod subpath;
mod theme;
mod transcripts;
mod years;
