//! The binaries clerks download, run on their systems (issue 26): the Windows `.exe` under
//! Wine and the Linux ARM64 binary under qemu-user build the repository's site
//! byte-identical to the Linux build, from a folder whose path holds Chinese characters
//! and a space, with Markdown and TOML as Windows editors write them (CRLF, a UTF-8 BOM),
//! given paths with backslashes; and `check` points at a broken file's same line and column.
//!
//! Full tier only: `scripts/test.sh` builds the two binaries (`scripts/release.sh`'s
//! targets) and names their folder in `GAZETTE_OTHER_SYSTEMS`; without it the test fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::*;

/// The folder holding `x86_64-pc-windows-gnu/gazette.exe` (with the test-only
/// `bcryptprimitives.dll` beside it) and `aarch64-unknown-linux-musl/gazette`.
fn binaries() -> PathBuf {
    PathBuf::from(std::env::var_os("GAZETTE_OTHER_SYSTEMS").expect(
        "GAZETTE_OTHER_SYSTEMS is not set: run scripts/test.sh, which builds the Windows and ARM64 binaries",
    ))
}

/// One way to run gazette: the command and how it writes a path.
struct System {
    name: &'static str,
    program: PathBuf,
    prefix: Vec<PathBuf>,
    windows: bool,
}

impl System {
    fn linux() -> System {
        System {
            name: "linux",
            program: PathBuf::from(env!("CARGO_BIN_EXE_gazette")),
            prefix: vec![],
            windows: false,
        }
    }

    fn wine() -> System {
        System {
            name: "windows (wine)",
            program: PathBuf::from("wine"),
            prefix: vec![binaries().join("x86_64-pc-windows-gnu/gazette.exe")],
            windows: true,
        }
    }

    fn qemu() -> System {
        System {
            name: "linux arm64 (qemu)",
            program: PathBuf::from("qemu-aarch64"),
            prefix: vec![binaries().join("aarch64-unknown-linux-musl/gazette")],
            windows: false,
        }
    }

    /// A path as this system's user types it: `Z:\tmp\…\网站 文件夹` under Wine.
    fn path(&self, p: &Path) -> String {
        let s = p.to_string_lossy();
        if self.windows {
            format!("Z:{}", s.replace('/', "\\"))
        } else {
            s.into_owned()
        }
    }

    fn run(&self, args: &[&str], root: &Path) -> Output {
        Command::new(&self.program)
            .args(&self.prefix)
            .args(args)
            .arg("--root")
            .arg(self.path(root))
            .env("NO_COLOR", "1")
            .env("WINEDEBUG", "-all")
            .output()
            .unwrap_or_else(|e| panic!("{}: cannot run {:?}: {e}", self.name, self.program))
    }
}

/// Every file of a built site but the build's own bookkeeping (`.gazette-output` holds
/// file times and inode numbers, which differ by nature).
fn site_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot(dir)
        .into_iter()
        .filter(|(rel, _)| !rel.replace('\\', "/").starts_with(".gazette-output"))
        .collect()
}

/// Rewrites a text file as a Windows editor saves it: a UTF-8 BOM and CRLF line ends.
fn as_windows_editor_saves(file: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    std::fs::write(file, format!("\u{feff}{crlf}")).unwrap();
}

#[test]
#[ignore = "full tier: needs Wine, qemu-user and the cross-built binaries (scripts/test.sh builds them and runs this)"]
fn windows_and_arm64_binaries_build_the_same_site_as_linux() {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("网站 文件夹");
    for sub in ["content", "data"] {
        copy_dir(&repo().join(sub), &site.join(sub));
    }
    as_windows_editor_saves(&site.join("content/contacts.md"));
    as_windows_editor_saves(&site.join("data/site.toml"));
    as_windows_editor_saves(&site.join("data/districts.toml"));

    let mut built = Vec::new();
    for system in [System::linux(), System::wine(), System::qemu()] {
        let out = work.path().join(format!("输出 {}", built.len()));
        let o = system.run(
            &[
                "build",
                "--today",
                "2026-12-07",
                "--out",
                &system.path(&out),
            ],
            &site,
        );
        assert!(
            o.status.success(),
            "{}: build failed\n{}\n{}",
            system.name,
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        );
        assert!(
            stderr(&o).contains("已生成"),
            "{}: {}",
            system.name,
            stderr(&o)
        );
        built.push((system.name, site_files(&out)));
    }
    let (_, linux) = &built[0];
    assert!(linux.len() > 100, "only {} files", linux.len());
    for (name, files) in &built[1..] {
        let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(files), names(linux), "{name}: other files than linux");
        for ((file, theirs), (_, ours)) in files.iter().zip(linux) {
            assert!(
                theirs == ours,
                "{name}: {file} differs from the linux build"
            );
        }
    }

    // A broken file: every system points at the same file, line and column.
    std::fs::write(
        site.join("data/site.toml"),
        std::fs::read_to_string(site.join("data/site.toml"))
            .unwrap()
            .replacen("area_code = \"0411\"", "area_code = 0411\"", 1),
    )
    .unwrap();
    let mut positions = Vec::new();
    for system in [System::linux(), System::wine(), System::qemu()] {
        let o = system.run(&["check", "--today", "2026-12-07"], &site);
        assert_eq!(o.status.code(), Some(1), "{}: {}", system.name, stderr(&o));
        let report = stderr(&o).replace('\\', "/");
        let at = report
            .lines()
            .find_map(|l| {
                let i = l.find("data/site.toml:")?;
                Some(
                    l[i..]
                        .split_whitespace()
                        .next()?
                        .trim_end_matches(':')
                        .to_string(),
                )
            })
            .unwrap_or_else(|| panic!("{}: no position in\n{report}", system.name));
        positions.push((system.name, at));
    }
    assert!(
        positions.iter().all(|(_, at)| *at == positions[0].1),
        "{positions:?}"
    );
    assert!(
        positions[0].1.starts_with("data/site.toml:"),
        "{positions:?}"
    );
}

/// Runs the Windows binary under Wine in a console of its own: `script` gives Wine a
/// terminal, which Wine presents to the program as a Windows console (as `cmd.exe` would),
/// with `input` typed into it. Returns what the console showed.
fn in_wine_console(dir: &Path, args: &str, input: &str) -> String {
    let exe = binaries().join("x86_64-pc-windows-gnu/gazette.exe");
    let mut child = Command::new("script")
        .args([
            "-qec",
            &format!("wine {} {args}", exe.display()),
            "/dev/null",
        ])
        .current_dir(dir)
        .env("WINEDEBUG", "-all")
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs wine in a terminal");
    // A program that waits for ever (input never read) fails the test, not CI's clock.
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(120));
        let _ = Command::new("kill").args(["-9", &pid]).status();
    });
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        // Typed once the program waits for it; the terminal keeps it until read.
        std::thread::sleep(std::time::Duration::from_secs(1));
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[ignore = "full tier: needs Wine and the cross-built Windows binary (scripts/test.sh builds it and runs this)"]
fn a_windows_console_gets_colours_and_a_pipe_gets_plain_text() {
    let f = Fixture::site("minimal");
    let site = f.path("data/site.toml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{text}\nbroken = [\n")).unwrap();
    // In a console, virtual-terminal processing is switched on: the diagnostics come in
    // colour, Chinese and box drawing intact.
    // (Run in the site's folder: no path goes through the shell `script` starts.)
    let shown = in_wine_console(f.root(), "check", "");
    assert!(
        shown.contains("\u{1b}[31m"),
        "no colour in a console: {shown}"
    );
    assert!(
        shown.contains("TOML 格式错误") && shown.contains('╭'),
        "{shown}"
    );
    // Into a pipe (a log file, another program), plain text only.
    let piped = Command::new("wine")
        .arg(binaries().join("x86_64-pc-windows-gnu/gazette.exe"))
        .args(["check", "--root", &System::wine().path(f.root())])
        .env("WINEDEBUG", "-all")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&piped.stderr);
    assert_eq!(piped.status.code(), Some(1), "{err}");
    assert!(
        err.contains("TOML 格式错误") && !err.contains('\u{1b}'),
        "{err}"
    );
}

#[test]
#[ignore = "full tier: needs Wine and the cross-built Windows binary (scripts/test.sh builds it and runs this)"]
fn a_double_clicked_exe_outside_a_site_explains_itself_and_waits_for_enter() {
    let dir = tempfile::tempdir().unwrap();
    // Alone in its console with no arguments, as Explorer starts it.
    let shown = in_wine_console(dir.path(), "", "\r");
    assert!(shown.contains("gazette 是命令行程序"), "{shown}");
    assert!(shown.contains("按回车键关闭这个窗口"), "{shown}");
    assert!(
        shown.contains("gazette build"),
        "the help is shown: {shown}"
    );
}
