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
    // Run again when HEAD moves: a commit, a checkout, a fetch that packs refs. A worktree
    // keeps its HEAD in its own git folder but the branches in the common one.
    let own = git(&["rev-parse", "--git-dir"]);
    let common = git(&["rev-parse", "--git-common-dir"]).or_else(|| own.clone());
    if let (Some(own), Some(common)) = (own, common) {
        let (own, common) = (Path::new(&own), Path::new(&common));
        let mut watched = vec![own.join("HEAD"), common.join("packed-refs")];
        if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watched.push(common.join(head));
        }
        for path in watched.into_iter().filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}
