//! What a deploy will do, decided before it does anything: pure, so that the order and the
//! safety rules are unit-tested without any storage.
//!
//! # The order
//!
//! A reader may load any page at any moment of a deploy, so files go up in an order in
//! which every link of every file already served resolves:
//!
//! 1. **Linked-only files**: the content-hashed search index, downloads, images, fonts,
//!    attachments. They link to nothing, so they can appear first; a new search index sits
//!    in a new folder that nothing links to yet.
//! 2. **Styles and scripts**, which may refer to the files of step 1.
//! 3. **Pages**, which link to all of the above and to each other.
//! 4. **Entry points** — the home page, the lists index, the search page (it names the
//!    index folder it loads), feeds, sitemaps, robots.txt, 404 — last: they are where
//!    readers and crawlers arrive, so until they change nothing leads to a new page.
//!
//! Within each step, files new to the target go before changed ones: a new file is
//! reachable only through a changed one (an unchanged file cannot link to it, or it would
//! have changed), so a changed page never links to a page not yet uploaded. New pages may
//! briefly link to new pages still on their way, but no reader can reach them before the
//! changed pages and entry points that lead to them, which go up after all of them.
//!
//! # What may be deleted
//!
//! A deploy deletes only files that an earlier deploy of this site put there: the target
//! keeps a [`Manifest`] of them. A target without one was never a Gazette target; if it
//! holds files (another application's objects, a folder of documents), the first deploy
//! is refused unless forced, and even then those files are only listed as foreign, never
//! deleted (a file of the site with the same name is overwritten). The manifest is written
//! before the first upload (the old one plus every file of the build) and after the last
//! deletion (the build's files), so a deploy cut short never leaves a file of ours unknown.
//!
//! Deletions come only after every upload succeeded, in the reverse order (entry points,
//! then pages, then the files they linked): by then the new site no longer links to any of
//! them. A deploy cut short at any point therefore leaves the old site, or the old site
//! with some new pages that link only to files already there, and the next run finishes it.

use std::collections::{BTreeSet, HashMap};

use super::headers::{is_content_hashed, Pattern};

/// The steps of a deploy, in upload order (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Files that link to nothing: hashed search index, downloads, images, attachments.
    Linked,
    /// CSS and JavaScript.
    Assets,
    /// HTML pages other than the entry points.
    Pages,
    /// Where readers arrive: home, lists index, search page, feeds, sitemaps, robots, 404.
    EntryPoints,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::Linked,
        Phase::Assets,
        Phase::Pages,
        Phase::EntryPoints,
    ];

    /// Chinese first, English in brackets.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Linked => "内容哈希文件、下载文件和图片 (hashed files, downloads, images)",
            Phase::Assets => "样式和脚本 (styles and scripts)",
            Phase::Pages => "页面 (pages)",
            Phase::EntryPoints => "入口：首页、名单目录、搜索页、订阅、网站地图 (entry points)",
        }
    }

    /// A few characters, for a progress bar.
    pub fn short_label(self) -> &'static str {
        match self {
            Phase::Linked => "哈希文件和下载",
            Phase::Assets => "样式和脚本",
            Phase::Pages => "页面",
            Phase::EntryPoints => "入口页",
        }
    }
}

/// The step a site path belongs to.
pub(crate) fn phase_of(path: &str) -> Phase {
    if is_entry_point(path) {
        return Phase::EntryPoints;
    }
    if is_content_hashed(path) {
        return Phase::Linked;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => Phase::Pages,
        "css" | "js" | "mjs" => Phase::Assets,
        _ => Phase::Linked,
    }
}

/// The files where readers and crawlers arrive.
pub(crate) fn is_entry_point(path: &str) -> bool {
    matches!(
        path,
        "index.html"
            | "lists/index.html"
            | "search/index.html"
            | "feed.xml"
            | "calendar.ics"
            | "robots.txt"
            | "404.html"
    ) || (!path.contains('/') && path.starts_with("sitemap") && path.ends_with(".xml"))
}

/// A file of the build, with its MD5 (the hash S3 reports as the ETag of a plain upload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Site-relative, `/`-separated.
    pub path: String,
    pub size: u64,
    pub md5: [u8; 16],
}

/// A file already at the target. `md5` is `None` when the target cannot say (an S3 object
/// uploaded in parts has an ETag that is not an MD5): such a file is always uploaded again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub path: String,
    pub size: u64,
    pub md5: Option<[u8; 16]>,
}

/// One file to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub path: String,
    pub size: u64,
    pub md5: [u8; 16],
    pub phase: Phase,
    /// Not at the target yet (otherwise: there with other bytes).
    pub new: bool,
}

/// The files that deploys of this site put at the target (site paths), kept there as
/// `.gazette-deploy.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeSet<String>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ManifestFile {
    gazette_deploy: u32,
    files: Vec<String>,
}

impl Manifest {
    /// Reads the manifest's JSON; an error says why (shown to the clerk).
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let f: ManifestFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if f.gazette_deploy != 1 {
            return Err(format!(
                "格式版本 {} 不认识 (unknown manifest version)",
                f.gazette_deploy
            ));
        }
        Ok(Manifest {
            files: f.files.into_iter().collect(),
        })
    }

    pub fn to_text(&self) -> String {
        let f = ManifestFile {
            gazette_deploy: 1,
            files: self.files.iter().cloned().collect(),
        };
        serde_json::to_string_pretty(&f).unwrap_or_default()
    }
}

/// Everything a deploy will do, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// In upload order: by phase, new before changed, then by path.
    pub uploads: Vec<Upload>,
    /// Target files no longer in the site that a deploy of this site put there, in
    /// deletion order.
    pub deletes: Vec<String>,
    /// Files already at the target with the same bytes.
    pub unchanged: usize,
    /// Target files not in the site that a `keep` pattern protects.
    pub kept: usize,
    /// Whether the target has a manifest (an earlier deploy of this site was there).
    pub marked: bool,
    /// Target files that no deploy of this site put there (not in the manifest; without
    /// one, every file), sorted; never deleted. Those the site has too are overwritten.
    pub foreign: Vec<String>,
    /// The manifest to write before the first upload: the old one and every file of the
    /// build.
    pub manifest_during: Manifest,
    /// The manifest to write after every upload and deletion: the files of the build.
    pub manifest_after: Manifest,
}

/// Compares the build with the target. `manifest` is the target's (`None`: it has none).
/// Only target files in the manifest are deleted, and none matching a `keep` pattern.
/// `reupload` sends every file, changed or not (after a change of header rules).
pub fn make_plan(
    local: &[LocalFile],
    remote: &[RemoteFile],
    manifest: Option<&Manifest>,
    keep: &[Pattern],
    reupload: bool,
) -> Plan {
    let remote_by_path: HashMap<&str, &RemoteFile> =
        remote.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut plan = Plan::default();
    for f in local {
        let there = remote_by_path.get(f.path.as_str());
        let same = there.is_some_and(|r| r.size == f.size && r.md5 == Some(f.md5));
        if same && !reupload {
            plan.unchanged += 1;
            continue;
        }
        plan.uploads.push(Upload {
            path: f.path.clone(),
            size: f.size,
            md5: f.md5,
            phase: phase_of(&f.path),
            new: there.is_none(),
        });
    }
    plan.uploads
        .sort_by(|a, b| (a.phase, !a.new, &a.path).cmp(&(b.phase, !b.new, &b.path)));

    let local_paths: std::collections::HashSet<&str> =
        local.iter().map(|f| f.path.as_str()).collect();
    let owned = |p: &str| manifest.is_some_and(|m| m.files.contains(p));
    let mut deletes: Vec<&str> = Vec::new();
    for r in remote {
        let kept = keep.iter().any(|k| k.matches(&r.path));
        if !owned(&r.path) && !kept {
            plan.foreign.push(r.path.clone());
        }
        if local_paths.contains(r.path.as_str()) {
            continue;
        }
        if kept {
            plan.kept += 1;
            continue;
        }
        if owned(&r.path) {
            deletes.push(&r.path);
        }
    }
    plan.foreign.sort();
    plan.marked = manifest.is_some();
    plan.manifest_after = Manifest {
        files: local_paths.iter().map(|p| p.to_string()).collect(),
    };
    plan.manifest_during = Manifest {
        files: manifest
            .map(|m| m.files.clone())
            .unwrap_or_default()
            .into_iter()
            .chain(plan.manifest_after.files.iter().cloned())
            .collect(),
    };
    deletes.sort_by(|a, b| {
        (std::cmp::Reverse(phase_of(a)), *a).cmp(&(std::cmp::Reverse(phase_of(b)), *b))
    });
    plan.deletes = deletes.into_iter().map(str::to_string).collect();
    plan
}

impl Plan {
    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.size).sum()
    }

    pub fn new_files(&self) -> usize {
        self.uploads.iter().filter(|u| u.new).count()
    }

    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletes.is_empty()
    }

    /// The uploads in groups that must each be complete before the next starts: one group
    /// per phase and new/changed, in order. Within a group files go up in parallel.
    pub fn steps(&self) -> Vec<&[Upload]> {
        let mut steps = Vec::new();
        let mut start = 0;
        for i in 1..=self.uploads.len() {
            let boundary = i == self.uploads.len()
                || (self.uploads[i].phase, self.uploads[i].new)
                    != (self.uploads[i - 1].phase, self.uploads[i - 1].new);
            if boundary {
                steps.push(&self.uploads[start..i]);
                start = i;
            }
        }
        steps
    }

    /// A first deploy (no manifest) into a target that already holds files: refused
    /// unless forced.
    pub fn first_into_nonempty(&self) -> bool {
        !self.marked && !self.foreign.is_empty()
    }

    /// Foreign files that this deploy leaves where they are (not overwritten).
    pub fn foreign_left(&self) -> usize {
        let overwritten: BTreeSet<&str> = self.uploads.iter().map(|u| u.path.as_str()).collect();
        self.foreign
            .iter()
            .filter(|p| {
                !overwritten.contains(p.as_str()) && !self.manifest_after.files.contains(*p)
            })
            .count()
    }

    /// The max-deletes guard: more deletions than `max` usually mean a wrong target (a
    /// bucket root, another site's folder), so the whole deploy is refused unless forced.
    pub fn deletes_allowed(&self, max: usize, force: bool) -> bool {
        force || self.deletes.len() <= max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(path: &str, body: &str) -> LocalFile {
        LocalFile {
            path: path.into(),
            size: body.len() as u64,
            md5: md5_of(body),
        }
    }

    fn remote(path: &str, body: &str) -> RemoteFile {
        RemoteFile {
            path: path.into(),
            size: body.len() as u64,
            md5: Some(md5_of(body)),
        }
    }

    fn md5_of(s: &str) -> [u8; 16] {
        use md5::Digest;
        md5::Md5::digest(s.as_bytes()).into()
    }

    /// The manifest of a target where every file was put by this site's deploys.
    fn ours(remote: &[RemoteFile]) -> Manifest {
        Manifest {
            files: remote.iter().map(|r| r.path.clone()).collect(),
        }
    }

    fn paths(plan: &Plan) -> Vec<&str> {
        plan.uploads.iter().map(|u| u.path.as_str()).collect()
    }

    #[test]
    fn phases() {
        for (path, phase) in [
            ("search/0123456789abcdef/manifest.json", Phase::Linked),
            ("search/0123456789abcdef/d/3.bin", Phase::Linked),
            (
                "lists/2026-q1-application/2026-q1-application.csv",
                Phase::Linked,
            ),
            ("assets/favicon.svg", Phase::Linked),
            ("attachments/附件2.pdf", Phase::Linked),
            ("assets/style.css", Phase::Assets),
            ("assets/search.js", Phase::Assets),
            ("notice/index.html", Phase::Pages),
            ("lists/2026-q1-application/page/2/index.html", Phase::Pages),
            ("districts/中山区/index.html", Phase::Pages),
            ("index.html", Phase::EntryPoints),
            ("lists/index.html", Phase::EntryPoints),
            ("search/index.html", Phase::EntryPoints),
            ("feed.xml", Phase::EntryPoints),
            ("calendar.ics", Phase::EntryPoints),
            ("sitemap.xml", Phase::EntryPoints),
            ("sitemap-2.xml", Phase::EntryPoints),
            ("robots.txt", Phase::EntryPoints),
            ("404.html", Phase::EntryPoints),
        ] {
            assert_eq!(phase_of(path), phase, "{path}");
        }
        assert!(!is_entry_point("lists/sitemap.xml"));
        assert!(Phase::Linked < Phase::Assets && Phase::Pages < Phase::EntryPoints);
    }

    #[test]
    fn uploads_only_what_changed_in_link_safe_order() {
        let local = vec![
            local("index.html", "home v2"),
            local("notice/index.html", "notice"),
            local("lists/a/index.html", "list a v2"),
            local("lists/b/index.html", "new list b"),
            local("search/00000000000000bb/manifest.json", "index v2"),
            local("search/index.html", "search page v2"),
            local("assets/style.css", "css"),
            local("assets/site.js", "js v2"),
            local("lists/b/b.csv", "csv b"),
        ];
        let remote = vec![
            remote("index.html", "home v1"),
            remote("notice/index.html", "notice"),
            remote("lists/a/index.html", "list a v1"),
            remote("search/00000000000000aa/manifest.json", "index v1"),
            remote("search/index.html", "search page v1"),
            remote("assets/style.css", "css"),
            remote("assets/site.js", "js v1"),
            remote("old/index.html", "gone"),
        ];
        let plan = make_plan(&local, &remote, Some(&ours(&remote)), &[], false);
        assert_eq!(
            paths(&plan),
            vec![
                "lists/b/b.csv",
                "search/00000000000000bb/manifest.json",
                "assets/site.js",
                "lists/b/index.html", // new pages before changed ones
                "lists/a/index.html",
                "index.html",
                "search/index.html",
            ]
        );
        assert_eq!(plan.unchanged, 2);
        assert_eq!(plan.new_files(), 3);
        assert_eq!(
            plan.deletes,
            vec!["old/index.html", "search/00000000000000aa/manifest.json"],
            "pages are deleted before the files they linked"
        );
        let steps: Vec<Vec<&str>> = plan
            .steps()
            .iter()
            .map(|s| s.iter().map(|u| u.path.as_str()).collect())
            .collect();
        assert_eq!(
            steps,
            vec![
                vec!["lists/b/b.csv", "search/00000000000000bb/manifest.json"],
                vec!["assets/site.js"],
                vec!["lists/b/index.html"],
                vec!["lists/a/index.html"],
                vec!["index.html", "search/index.html"],
            ]
        );
        assert_eq!(plan.upload_bytes(), 5 + 8 + 5 + 10 + 9 + 7 + 14);
    }

    #[test]
    fn a_second_plan_with_nothing_changed_is_empty() {
        let local = vec![local("index.html", "x"), local("a/index.html", "y")];
        let remote: Vec<RemoteFile> = vec![remote("index.html", "x"), remote("a/index.html", "y")];
        let plan = make_plan(&local, &remote, Some(&ours(&remote)), &[], false);
        assert!(plan.is_empty());
        assert_eq!(plan.unchanged, 2);
        assert!(plan.steps().is_empty());
        let again = make_plan(&local, &remote, Some(&ours(&remote)), &[], true);
        assert_eq!(again.uploads.len(), 2, "reupload sends everything");
    }

    #[test]
    fn unknown_hashes_and_other_sizes_count_as_changed() {
        let local = vec![local("a.bin", "abc"), local("b.bin", "abc")];
        let remote = vec![
            RemoteFile {
                path: "a.bin".into(),
                size: 3,
                md5: None,
            },
            RemoteFile {
                path: "b.bin".into(),
                size: 4,
                md5: Some(md5_of("abc")),
            },
        ];
        let plan = make_plan(&local, &remote, Some(&ours(&remote)), &[], false);
        assert_eq!(paths(&plan), vec!["a.bin", "b.bin"]);
        assert!(plan.uploads.iter().all(|u| !u.new));
    }

    #[test]
    fn keep_patterns_protect_target_files() {
        let keep = vec![Pattern::new("MP_verify_*.txt").unwrap()];
        let remote = vec![remote("MP_verify_x.txt", "v"), remote("old.html", "o")];
        let plan = make_plan(&[], &remote, Some(&ours(&remote)), &keep, false);
        assert_eq!(plan.deletes, vec!["old.html"]);
        assert_eq!(plan.kept, 1);
    }

    #[test]
    fn max_deletes_guard() {
        let remote: Vec<RemoteFile> = (0..5).map(|i| remote(&format!("{i}.html"), "x")).collect();
        let plan = make_plan(&[], &remote, Some(&ours(&remote)), &[], false);
        assert_eq!(plan.deletes.len(), 5);
        assert!(plan.deletes_allowed(5, false));
        assert!(!plan.deletes_allowed(4, false));
        assert!(plan.deletes_allowed(4, true));
        assert!(plan.deletes_allowed(0, true));
    }

    #[test]
    fn only_files_of_the_manifest_are_deleted() {
        let local = vec![local("index.html", "home v2"), local("a/index.html", "a")];
        let remote = vec![
            remote("index.html", "home v1"),
            remote("old/index.html", "ours, gone from the site"),
            remote("公文/通知.docx", "a clerk's document"),
            remote("app/data.json", "another application's"),
        ];
        let manifest = Manifest {
            files: ["index.html", "old/index.html", "never/there.html"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        let plan = make_plan(&local, &remote, Some(&manifest), &[], false);
        assert!(plan.marked && !plan.first_into_nonempty());
        assert_eq!(plan.deletes, vec!["old/index.html"]);
        assert_eq!(plan.foreign, vec!["app/data.json", "公文/通知.docx"]);
        assert_eq!(plan.foreign_left(), 2);
        let names = |m: &Manifest| m.files.iter().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&plan.manifest_during),
            vec![
                "a/index.html",
                "index.html",
                "never/there.html",
                "old/index.html"
            ],
            "before the uploads: the old manifest and the whole build"
        );
        assert_eq!(
            names(&plan.manifest_after),
            vec!["a/index.html", "index.html"]
        );
    }

    #[test]
    fn a_first_deploy_into_a_folder_of_other_files_deletes_nothing() {
        let local = vec![local("index.html", "home"), local("a/index.html", "a")];
        let remote: Vec<RemoteFile> = (0..241)
            .map(|i| remote(&format!("文档/{i:03}.docx"), "doc"))
            .chain([remote("index.html", "their home page")])
            .collect();
        let plan = make_plan(&local, &remote, None, &[], false);
        assert!(!plan.marked && plan.first_into_nonempty());
        assert!(plan.deletes.is_empty(), "nothing unknown is ever deleted");
        assert_eq!(plan.foreign.len(), 242);
        assert_eq!(plan.foreign_left(), 241, "index.html is overwritten");
        assert_eq!(plan.uploads.len(), 2);
        assert_eq!(plan.manifest_during, plan.manifest_after);
        assert_eq!(plan.manifest_after.files.len(), 2);

        // An empty target (hidden files are never listed) is no stranger's.
        let plan = make_plan(&local, &[], None, &[], false);
        assert!(!plan.first_into_nonempty());
        // Kept files are not foreign.
        let keep = vec![Pattern::new("MP_verify_*.txt").unwrap()];
        let verify = vec![RemoteFile {
            path: "MP_verify_1.txt".into(),
            size: 1,
            md5: None,
        }];
        let plan = make_plan(&local, &verify, None, &keep, false);
        assert!(!plan.first_into_nonempty() && plan.kept == 1);
    }

    #[test]
    fn manifests_round_trip_and_bad_ones_are_errors() {
        let m = Manifest {
            files: ["index.html", "districts/中山区/index.html"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        assert_eq!(Manifest::parse(&m.to_text()).unwrap(), m);
        for bad in [
            "",
            "{}",
            "[1]",
            "{\"gazette_deploy\": 2, \"files\": []}",
            "\u{1b}[2J",
        ] {
            assert!(Manifest::parse(bad).is_err(), "{bad:?}");
        }
    }
}
