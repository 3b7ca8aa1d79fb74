//! Cargo's build script (not `src/build.rs`, the site build): records what `gazette
//! --version` names besides the version, so that a clerk's report of a problem says
//! exactly which binary it was: the commit it was built from and the target it runs on.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=GAZETTE_TARGET={target}");
    // Outside a git checkout (a source archive) the commit is unknown, not guessed.
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=GAZETTE_COMMIT={commit}");
    println!("cargo:rerun-if-changed=build.rs");
    // Run again when HEAD moves: a commit, a checkout, a fetch that packs refs. Paths come
    // from `git rev-parse --git-path`, which knows that in a linked worktree HEAD is the
    // worktree's own but branches and packed-refs are the main repository's (joining them
    // to `--git-dir` watched files that do not exist there, so commits went unnoticed).
    let mut refs = vec!["HEAD".to_string(), "packed-refs".to_string()];
    refs.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for r in refs {
        if let Some(path) = git(&["rev-parse", "--git-path", &r]) {
            if Path::new(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
}
