//! The README's architecture section stays true: top-level modules depend on each other in
//! one direction, and only the command layer knows clap.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module of each file under `src/` → the top-level modules it names as
/// `crate::x` (test modules included: a test-only edge still ties two modules together).
fn module_edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = crate::support::repo().join("src");
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let module = top_module(entry.path().strip_prefix(&src).unwrap());
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let named = edges.entry(module.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                // use crate::{a, b::{c, d}};
                Some(group) => group_heads(group),
                None => vec![rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or("")],
            };
            for name in names {
                if !name.is_empty()
                    && name != module
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                {
                    named.insert(name.to_string());
                }
            }
        }
    }
    edges
}

/// The first path segment of each item of a `{…}` import group (its opening brace already
/// read), nested groups skipped: `a, b::{c, d}}` gives `a`, `b`.
fn group_heads(group: &str) -> Vec<&str> {
    let (mut heads, mut depth, mut item_start) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            ',' | '}' if depth == 0 => {
                let item = group[item_start..i].trim();
                heads.push(item.split("::").next().unwrap_or(""));
                item_start = i + 1;
                if c == '}' {
                    break;
                }
            }
            _ => {}
        }
    }
    heads
}

fn top_module(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

#[test]
fn import_groups_name_their_first_segments_only() {
    assert_eq!(group_heads("a, b::{c, d::{e}}, f};\nmore"), ["a", "b", "f"]);
}

#[test]
fn top_level_modules_form_no_cycle() {
    let edges = module_edges();
    assert!(
        edges.contains_key("render") && edges.contains_key("build"),
        "{edges:?}"
    );
    // Kahn's algorithm: repeatedly remove modules that name no remaining module.
    let mut left = edges.clone();
    while let Some(leaf) = left
        .iter()
        .find(|(_, to)| to.iter().all(|t| !left.contains_key(t)))
        .map(|(m, _)| m.clone())
    {
        left.remove(&leaf);
    }
    assert!(
        left.is_empty(),
        "a cycle among these modules (or above one): {left:?}"
    );
}

#[test]
fn the_library_never_names_the_command_layer_and_render_never_calls_search() {
    let edges = module_edges();
    for (module, to) in &edges {
        assert!(
            module == "cmd" || !to.contains("cmd"),
            "{module} uses crate::cmd"
        );
    }
    assert!(!edges["render"].contains("search"), "{:?}", edges["render"]);
    assert!(edges["build"].contains("search"));
}

#[test]
fn only_the_command_layer_uses_clap() {
    let src = crate::support::repo().join("src");
    let mut users = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|x| x == "rs")
            && std::fs::read_to_string(entry.path())
                .unwrap()
                .contains("clap::")
        {
            users.insert(top_module(entry.path().strip_prefix(&src).unwrap()));
        }
    }
    assert!(users.contains("cmd"), "{users:?}");
    users.retain(|m| m != "cmd" && m != "main");
    assert!(
        users.is_empty(),
        "clap used outside the command layer: {users:?}"
    );
}

/// The code of a library file that ships: its `#[cfg(test)]` module and comments left out.
fn shipped_code(text: &str) -> String {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end]
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What writes to the terminal: the print macros and the standard streams.
const PRINTS: [&str; 7] = [
    "println!",
    "eprintln!",
    "print!(",
    "eprint!(",
    "io::stdout()",
    "io::stderr()",
    "dbg!(",
];

/// Library files that may draw on the terminal: the progress display, which draws only
/// when stderr is a terminal (and is handed to the library by the command layer's
/// choice of visibility). Everything else reports through return values and callbacks.
const MAY_DRAW: [&str; 1] = ["progress.rs"];

/// Each library file (outside the command layer) by its path under `src/`, with its
/// shipped code.
fn library_files() -> Vec<(String, String)> {
    let src = crate::support::repo().join("src");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(&src).unwrap();
        if matches!(top_module(rel).as_str(), "cmd" | "main") {
            continue;
        }
        let code = shipped_code(&std::fs::read_to_string(entry.path()).unwrap());
        files.push((rel.to_string_lossy().replace('\\', "/"), code));
    }
    files
}

/// The places in library files where one of `needles` occurs, as `file: needle`.
fn library_uses(needles: &[&str], except: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (rel, code) in library_files() {
        if except.contains(&rel.as_str()) {
            continue;
        }
        found.extend(
            needles
                .iter()
                .filter(|n| code.contains(*n))
                .map(|n| format!("{rel}: {n}")),
        );
    }
    found
}

#[test]
fn the_library_never_prints() {
    let printing = library_uses(&PRINTS, &MAY_DRAW);
    assert!(
        printing.is_empty(),
        "the library prints outside the command layer (return what happened, or take an \
         on_wait/progress callback from src/cmd): {printing:?}"
    );
}

/// What ends the process or chooses its status: only `cmd::prelude::Exit` and `main` may.
const EXITS: [&str; 4] = [
    "process::exit",
    "fn exit_code",
    "fn exit_status",
    "ExitCode",
];

#[test]
fn the_library_never_chooses_an_exit_status() {
    let exiting = library_uses(&EXITS, &[]);
    assert!(
        !library_files().is_empty() && exiting.is_empty(),
        "the library chooses an exit status (return what happened; src/cmd/prelude.rs's \
         Exit says how a command ended): {exiting:?}"
    );
}

#[test]
fn the_print_check_sees_prints_and_skips_tests_and_comments() {
    let text = "fn a() {}\n// eprintln!(\"x\")\n#[cfg(test)]\nmod tests {\n    fn b() { println!(\"y\") }\n}\n";
    assert!(!PRINTS.iter().any(|p| shipped_code(text).contains(p)));
    assert!(shipped_code("fn a() { eprintln!(\"x\") }").contains("eprintln!"));
}
