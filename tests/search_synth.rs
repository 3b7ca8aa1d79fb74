//! `gazette synth` and the search index through the real binary: a generated site passes
//! `gazette check`, the same seed gives the same files, a non-empty folder is refused, and
//! two builds of the same site write byte-identical search indexes.

use std::path::Path;
use std::process::Command;

fn gazette(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run gazette")
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn synthetic_site_checks_builds_and_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    for dir in [&a, &b] {
        let o = gazette(&[
            "synth",
            "--out",
            dir.to_str().unwrap(),
            "--enterprises",
            "2500",
            "--seed",
            "5",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(
        files_under(&a.join("data/lists")),
        files_under(&b.join("data/lists"))
    );
    assert_eq!(files_under(&a.join("data/lists")).len(), 16);

    let o = gazette(&[
        "check",
        "--root",
        a.to_str().unwrap(),
        "--today",
        "2026-11-25",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // A non-empty folder needs --force.
    let o = gazette(&["synth", "--out", a.to_str().unwrap(), "--enterprises", "10"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));

    let mut indexes = Vec::new();
    for out in ["p1", "p2"] {
        let out = tmp.path().join(out);
        let o = gazette(&[
            "build",
            "--root",
            a.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--today",
            "2026-11-25",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let search = files_under(&out.join("search"));
        assert!(search.iter().any(|(p, _)| p.ends_with("manifest.json")));
        let page = std::fs::read_to_string(out.join("search/index.html")).unwrap();
        let manifest = search
            .iter()
            .find(|(p, _)| p.ends_with("manifest.json"))
            .unwrap();
        assert!(
            page.contains(&format!("data-manifest=\"/search/{}\"", manifest.0)),
            "the search page points at the manifest"
        );
        indexes.push(search);
    }
    assert_eq!(indexes[0], indexes[1], "same input, same index bytes");
}
