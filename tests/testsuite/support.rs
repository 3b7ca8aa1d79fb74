//! Helpers for the CLI integration tests: copy a site into a temp folder (the repository's
//! real site, or a purpose-built one from `tests/fixtures/`), change a file, run the real
//! `gazette` binary, read what it wrote.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const TODAY: &str = "2026-11-25";

/// Whether this is the full tier (`scripts/test.sh`, what CI runs, sets
/// `GAZETTE_FULL_TESTS=1`): randomized tests try every case there, and a tenth of them in a
/// plain `cargo test`, which a new engineer runs first in a debug build.
pub fn full_tier() -> bool {
    std::env::var_os("GAZETTE_FULL_TESTS").is_some()
}

/// How many cases a randomized test tries: `full` in the full tier, a tenth (at least one)
/// otherwise.
pub fn cases(full: usize) -> usize {
    if full_tier() {
        full
    } else {
        (full / 10).max(1)
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
}

/// A site in a temp folder.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A copy of the repository's real site: content/, data/, themes/ (and static/ if any).
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["content", "data", "themes", "static"] {
            let from = repo().join(sub);
            if from.exists() {
                copy_dir(&from, &dir.path().join(sub));
            }
        }
        Fixture { dir }
    }

    /// A purpose-built site from `tests/fixtures/<name>/`: `content/` and `data/` only, built
    /// with the theme compiled into the binary, as a clerk's site is.
    pub fn site(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        Fixture { dir }
    }

    /// `tests/fixtures/minimal/`: the smallest site that builds (one programme, one notice,
    /// two districts, one list under publicity).
    pub fn minimal() -> Self {
        Fixture::site("minimal")
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Replaces `from` (which must occur) with `to` in a file.
    #[track_caller]
    /// Writes the built-in theme into the site's `themes/default/` with `gazette theme
    /// export`, as a clerk does before changing it.
    pub fn export_theme(&self) {
        assert_ok(&self.run(&["theme", "export"]));
    }

    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    pub fn remove(&self, rel: &str) {
        let p = self.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        bin()
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run gazette")
    }

    /// Runs gazette in the site's own folder with `--root .` and colour off, so no temp
    /// path enters what it prints (for snapshots).
    pub fn run_inside(&self, args: &[&str]) -> Output {
        bin()
            .current_dir(self.root())
            .args(args)
            .args(["--root", "."])
            .env("NO_COLOR", "1")
            .output()
            .expect("run gazette")
    }

    pub fn check(&self) -> Output {
        self.run(&["check", "--today", TODAY])
    }

    pub fn build(&self) -> Output {
        self.run(&["build", "--today", TODAY])
    }

    pub fn out(&self, rel: &str) -> String {
        self.read(&format!("public/{rel}"))
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[track_caller]
pub fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "expected success, got {:?}\n{}",
        o.status,
        stderr(o)
    );
}

/// Asserts failure with exit status 1 and that stderr contains every needle.
#[track_caller]
pub fn assert_fails_with(o: &Output, needles: &[&str]) {
    assert_exit(o, 1, needles);
}

/// Asserts the exit status and that stderr contains every needle.
#[track_caller]
pub fn assert_exit(o: &Output, code: i32, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "expected exit {code}:\n{err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
    }
}

/// `check` and `build` both fail (exit 1) with every needle, nothing panics, and no site
/// is written. Returns what `check` printed.
#[track_caller]
pub fn refused(f: &Fixture, needles: &[&str]) -> String {
    let o = f.check();
    assert_fails_with(&o, needles);
    let b = f.build();
    assert_fails_with(&b, needles);
    assert!(!f.path("public").exists(), "a failed build wrote a site");
    assert!(!stderr(&o).contains("panicked"));
    stderr(&o)
}

/// Every file under a folder with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The 1-based line of the first occurrence of `needle` in a file of the fixture.
pub fn line_of(text: &str, needle: &str) -> usize {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    text[..i].matches('\n').count() + 1
}

/// 1-based line and column (in characters) of a byte offset, as diagnostics print them.
pub fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let line = text[..offset].matches('\n').count() + 1;
    let col = text[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

/// `file:line:col` of the first occurrence of `needle` in the fixture's file.
#[track_caller]
pub fn pos(f: &Fixture, file: &str, needle: &str) -> String {
    let text = f.read(file);
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {file}"));
    let (line, col) = position_of(&text, i);
    format!("{file}:{line}:{col}")
}

/// A string as a TOML basic string, quotes included.
pub fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `[[enterprise]]` tables of a list file, one per (name, credit code, district).
pub fn enterprise_rows(rows: &[(&str, &str, &str)]) -> String {
    rows.iter()
        .map(|(name, code, district)| {
            format!(
                "\n[[enterprise]]\nname = {}\ncredit_code = \"{code}\"\ndistrict = \"{district}\"\n",
                toml_str(name)
            )
        })
        .collect()
}

/// The address of the search index's manifest, as the search page names it
/// (`data-manifest`, with the site's base path).
pub fn manifest_url(f: &Fixture) -> String {
    let page = f.out("search/index.html");
    let attr = "data-manifest=\"";
    let at = page.find(attr).expect("the search page names its manifest") + attr.len();
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// A valid synthetic credit code (not a real enterprise): division `div` (6 digits),
/// serial `n`, and the GB 32100 check character.
pub fn credit_code(div: &str, n: u32) -> String {
    let first17 = format!("91{div}MA{n:07}");
    assert_eq!(first17.len(), 17);
    format!(
        "{first17}{}",
        gazette::domain::credit_code::check_char(&first17).unwrap()
    )
}

/// Command-line arguments: `head` then `tail`.
pub fn with<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(tail).copied().collect()
}

/// Every file the build wrote for readers, as text, by its path with forward slashes (not
/// the build's own `.gazette-output`, whose times and inode numbers are digits by chance).
pub fn all_output(f: &Fixture) -> Vec<(String, String)> {
    snapshot(&f.path("public"))
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".gazette-output"))
        .map(|(rel, bytes)| {
            (
                rel.replace('\\', "/"),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

/// Words that belong to the repository's own site (Dalian's district offices, its
/// programme's word for applying and platform, the city): another city's output holds none
/// of them unless its own data says them (issue 27, item 5).
pub const DEFAULT_SITE_WORDS: [&str; 7] = [
    "先导区",
    "申报",
    "大连",
    "创新型中小企业",
    "梯度培育平台",
    "0411",
    "通知第一部分",
];

/// Whether `text` says `word`. A word of digits (an area code) counts only where no digit
/// comes before it: in `20260411` (a date) or a credit code it is digits by chance.
pub fn says(text: &str, word: &str) -> bool {
    if !word.bytes().all(|b| b.is_ascii_digit()) {
        return text.contains(word);
    }
    text.match_indices(word)
        .any(|(i, _)| i == 0 || !text.as_bytes()[i - 1].is_ascii_digit())
}

/// Asserts that a built site says no word of [`DEFAULT_SITE_WORDS`] it did not ask for:
/// first that its own `data/` and `content/` say none of them (else the check proves
/// nothing), then that no file the build wrote under `public/` (pages, JSON, feeds,
/// sitemap, calendar, CSV, robots.txt, scripts) holds one. Returns that output.
#[track_caller]
pub fn assert_only_its_own_words(f: &Fixture) -> Vec<(String, String)> {
    for (rel, text) in snapshot(&f.path("data"))
        .into_iter()
        .chain(snapshot(&f.path("content")))
    {
        let text = String::from_utf8_lossy(&text);
        for w in DEFAULT_SITE_WORDS {
            assert!(!says(&text, w), "the site's own {rel} says {w}");
        }
    }
    let output = all_output(f);
    assert!(!output.is_empty(), "nothing was built");
    for (rel, text) in &output {
        for w in DEFAULT_SITE_WORDS {
            assert!(
                !says(text, w),
                "{rel} says {w}, which the site did not ask for"
            );
        }
    }
    output
}

/// The row headers (`<th scope="row">…</th>`) of the first table after `marker`.
pub fn rows_after(html: &str, marker: &str) -> Vec<String> {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in page"));
    let table = &html[start..];
    let table = &table[..table.find("</table>").unwrap_or(table.len())];
    table
        .split("<th scope=\"row\">")
        .skip(1)
        .map(|r| r.split("</th>").next().unwrap().to_string())
        .collect()
}

/// The running server; killed when dropped, whatever happens in the test.
pub struct Serve {
    pub child: Child,
    pub addr: String,
    pub log: mpsc::Receiver<String>,
    /// What it printed before serving (the first build's warnings).
    pub early: Vec<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the real `gazette serve --port 0 --today <today>` on `root` and reads its
/// address from what it prints.
pub fn serve(root: &Path, today: &str) -> Serve {
    serve_with(root, today, &[])
}

/// `serve` with `extra` arguments (`--no-console`).
pub fn serve_with(root: &Path, today: &str, extra: &[&str]) -> Serve {
    serve_with_env(root, today, extra, &[])
}

/// `serve_with` and environment variables (a test hook).
pub fn serve_with_env(root: &Path, today: &str, extra: &[&str], env: &[(&str, &str)]) -> Serve {
    let mut child = bin()
        .args(["serve", "--port", "0", "--today", today])
        .args(extra)
        .envs(env.iter().copied())
        .arg("--root")
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gazette serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut serve = Serve {
        child,
        addr: String::new(),
        log: rx,
        early: Vec::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while serve.addr.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = serve
            .log
            .recv_timeout(left)
            .expect("gazette serve printed no URL");
        if let Some(i) = line.find("http://127.0.0.1:") {
            let rest = &line[i + "http://".len()..];
            serve.addr = rest.trim_end().trim_end_matches('/').to_string();
        }
        serve.early.push(line);
    }
    serve
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// Sends a raw HTTP request (`Connection: close`) to a server started by `serve` and
/// reads the whole reply.
pub fn send(addr: &str, request: &[u8]) -> Reply {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(40)))
        .unwrap();
    s.write_all(request).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

/// Sends `GET <target>` exactly as given (no normalisation of `..` or `%2e`).
pub fn get(addr: &str, target: &str) -> Reply {
    send(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// Polls `target` until `ok` holds (the server rebuilds in the background).
pub fn wait_for(addr: &str, target: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = get(addr, target);
        if ok(&r) {
            return r;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what} at {target}; last reply {}:\n{}",
            r.status,
            r.body
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The clerk's console of a server started by `serve`.
pub const CONSOLE: &str = "/__gazette/console/";

/// A POST to the console's `route` as its own pages send one: its `Host`, its `Origin`,
/// `Sec-Fetch-Site: same-origin` (the token is one of the fields in `body`).
pub fn console_post(addr: &str, route: &str, content_type: &str, body: &[u8]) -> Reply {
    let mut req = format!(
        "POST {CONSOLE}{route} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n",
        len = body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    send(addr, &req)
}

/// A plain form's fields, encoded as a browser sends them.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// The value of the first field `name="…" value="…"` in a page (the console's token, a
/// one-time id).
pub fn hidden_field(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no field {name} in:\n{html}"))
        + needle.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_string()
}
