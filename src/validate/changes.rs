//! `data/changes/*.toml` against the lists: every rename and revocation names an
//! enterprise of a published list, a rename starts from a name the enterprise bore, a
//! revocation follows an announcement of the title it revokes, and nothing is written
//! twice.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml::Spanned;

use super::{span, to_date, MAX_NAME_CHARS, MAX_REASON_CHARS};
use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::credit_code;
use crate::model::{EnterpriseList, Programme, Rename, Revocation, Stage};
use crate::source::changes::{ChangesFile, RenameFile, RevocationFile};

/// What the lists say of one enterprise.
#[derive(Default)]
struct Known {
    /// Every name it was listed under.
    names: Vec<String>,
    /// Its first list's date.
    first: Option<NaiveDate>,
    /// Per programme, the first announcement that granted it the title.
    granted: BTreeMap<usize, NaiveDate>,
}

fn known(lists: &[EnterpriseList]) -> HashMap<&str, Known> {
    let mut out: HashMap<&str, Known> = HashMap::new();
    for l in lists.iter().filter(|l| !l.draft) {
        let date = l.date();
        for e in &l.enterprises {
            let k = out.entry(e.credit_code.as_str()).or_default();
            if !k.names.contains(&e.name) {
                k.names.push(e.name.clone());
            }
            k.first = match (k.first, date) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if let (Stage::Announced, None, Some(a)) = (l.stage, &e.withdrawn, &l.announcement) {
                let g = k.granted.entry(l.programme).or_insert(a.date);
                *g = (*g).min(a.date);
            }
        }
    }
    out
}

/// Checks every changes file; the renames and revocations come back sorted by date,
/// then credit code.
pub(crate) fn check_changes(
    files: &[(PathBuf, ChangesFile)],
    lists: &[EnterpriseList],
    programmes: &[Programme],
    diags: &mut Diagnostics,
) -> (Vec<Rename>, Vec<Revocation>) {
    let known = known(lists);
    let mut renames: Vec<(Rename, &Path, &RenameFile)> = Vec::new();
    let mut revocations = Vec::new();
    for (file, f) in files {
        for r in &f.rename {
            if let Some(ok) = check_rename(file, r, &known, diags) {
                renames.push((ok, file, r));
            }
        }
        for r in &f.revocation {
            if let Some(ok) = check_revocation(file, r, &known, programmes, diags) {
                revocations.push((ok, file, span(&r.date)));
            }
        }
    }
    renames.sort_by(|a, b| (a.0.date, &a.0.credit_code).cmp(&(b.0.date, &b.0.credit_code)));
    check_rename_chains(&renames, &known, diags);
    let key = |r: &Revocation| (r.date, r.credit_code.clone(), r.programme);
    revocations.sort_by_key(|r| key(&r.0));
    for w in revocations.windows(2) {
        if key(&w[0].0) == key(&w[1].0) {
            diags.push(
                Diagnostic::err(
                    "changes-twice",
                    w[1].1,
                    format!(
                        "{} 的称号撤销（{}）写了两次 (a revocation written twice)",
                        w[1].0.credit_code, w[1].0.date
                    ),
                )
                .at(w[1].2.clone())
                .help("一次撤销只写一段 [[revocation]]：删去重复的那一段"),
            );
        }
    }
    let revocations = revocations.into_iter().map(|r| r.0).collect();
    (renames.into_iter().map(|r| r.0).collect(), revocations)
}

fn code_of<'k>(
    file: &Path,
    code: &Spanned<String>,
    known: &'k HashMap<&str, Known>,
    diags: &mut Diagnostics,
) -> Option<(String, &'k Known)> {
    let normal = credit_code::normalize(code.get_ref());
    if let Err(e) = credit_code::validate(&normal) {
        diags.push(
            Diagnostic::err("credit-code", file, format!("{e} (invalid credit code)"))
                .at(span(code))
                .label(e.to_string())
                .help("统一社会信用代码有18位，请与营业执照核对"),
        );
        return None;
    }
    match known.get(normal.as_str()) {
        Some(k) => Some((normal, k)),
        None => {
            diags.push(
                Diagnostic::err(
                    "changes-unknown",
                    file,
                    format!("统一社会信用代码 {normal} 不在任何已发布的名单中 (not on any list)"),
                )
                .at(span(code))
                .label("没有这家企业")
                .help("更名和撤销只针对名单中的企业：核对信用代码是否抄错"),
            );
            None
        }
    }
}

fn text(
    file: &Path,
    key: &str,
    value: &Spanned<String>,
    max: usize,
    diags: &mut Diagnostics,
) -> Option<String> {
    let v = value.get_ref().trim();
    let n = v.chars().count();
    if v.is_empty() || n > max {
        diags.push(
            Diagnostic::err(
                "changes-text",
                file,
                format!("{key} 应有 1 到 {max} 个字，这里有 {n} 个 (empty or too long)"),
            )
            .at(span(value))
            .help(format!("写上{key}（不超过{max}个字）")),
        );
        return None;
    }
    Some(v.to_string())
}

fn check_rename(
    file: &Path,
    r: &RenameFile,
    known: &HashMap<&str, Known>,
    diags: &mut Diagnostics,
) -> Option<Rename> {
    let date = to_date(file, &r.date, diags);
    let code = code_of(file, &r.credit_code, known, diags);
    let from = text(file, "from（原名称）", &r.from, MAX_NAME_CHARS, diags);
    let to = text(file, "to（新名称）", &r.to, MAX_NAME_CHARS, diags);
    let document = r
        .document
        .as_ref()
        .and_then(|d| text(file, "document（文号）", d, 100, diags));
    let ((code, k), date, from, to) = (code?, date?, from?, to?);
    if from == to {
        diags.push(
            Diagnostic::err(
                "rename-from",
                file,
                "新名称和原名称相同 (the names are the same)",
            )
            .at(span(&r.to))
            .help("to 写更名后的名称"),
        );
        return None;
    }
    if let Some(first) = k.first {
        if date < first {
            diags.push(
                Diagnostic::err(
                    "changes-date",
                    file,
                    format!("更名日期 {date} 早于这家企业第一次出现在名单中的日期 {first} (before its first list)"),
                )
                .at(span(&r.date))
                .help("名单上已是新名称：不需要写更名；否则请核对日期"),
            );
            return None;
        }
    }
    Some(Rename {
        credit_code: code,
        from,
        to,
        date,
        document,
    })
}

/// A rename starts from the name the enterprise bore that day: a name it was listed
/// under or an earlier rename's new name, and after an earlier rename, that rename's.
fn check_rename_chains(
    renames: &[(Rename, &Path, &RenameFile)],
    known: &HashMap<&str, Known>,
    diags: &mut Diagnostics,
) {
    let mut last: HashMap<&str, &Rename> = HashMap::new();
    for (r, file, raw) in renames {
        let previous = last.get(r.credit_code.as_str()).copied();
        let problem = match previous {
            Some(p) if p.date == r.date => Some(format!(
                "{} 在 {} 有两次更名 (renamed twice on one day)",
                r.credit_code, r.date
            )),
            Some(p) if p.to != r.from => Some(format!(
                "原名称“{}”不是这家企业当时的名称：{} 已更名为“{}” (from is not its name then)",
                r.from, p.date, p.to
            )),
            None if !known[r.credit_code.as_str()].names.contains(&r.from) => Some(format!(
                "原名称“{}”不是这家企业在名单中的名称 (from was never its name)",
                r.from
            )),
            _ => None,
        };
        if let Some(message) = problem {
            let names = &known[r.credit_code.as_str()].names;
            diags.push(
                Diagnostic::err("rename-from", *file, message)
                    .at(span(&raw.from))
                    .help(format!(
                        "from 写更名前的名称（名单中为：{}）；同一家企业的多次更名按日期先后衔接",
                        names.join("、")
                    )),
            );
        }
        last.insert(r.credit_code.as_str(), r);
    }
}

fn check_revocation(
    file: &Path,
    r: &RevocationFile,
    known: &HashMap<&str, Known>,
    programmes: &[Programme],
    diags: &mut Diagnostics,
) -> Option<Revocation> {
    let date = to_date(file, &r.date, diags);
    let code = code_of(file, &r.credit_code, known, diags);
    let reason = text(
        file,
        "reason（撤销原因）",
        &r.reason,
        MAX_REASON_CHARS,
        diags,
    );
    let document = r
        .document
        .as_ref()
        .and_then(|d| text(file, "document（文号）", d, 100, diags));
    let programme = match &r.programme {
        Some(p) => match programmes.iter().position(|x| x.id == *p.get_ref()) {
            Some(i) => Some(i),
            None => {
                diags.push(
                    Diagnostic::err(
                        "changes-programme",
                        file,
                        format!("不认识的项目“{}” (unknown programme)", p.get_ref()),
                    )
                    .at(span(p))
                    .help(format!("写其中之一：{}", ids(programmes))),
                );
                None
            }
        },
        None if programmes.len() == 1 => Some(0),
        None => {
            diags.push(
                Diagnostic::err(
                    "changes-programme",
                    file,
                    "网站有多个项目：要写撤销的是哪个项目的称号 (which programme?)",
                )
                .at(span(&r.credit_code))
                .help(format!(
                    "加一行 programme = \"…\"，写其中之一：{}",
                    ids(programmes)
                )),
            );
            None
        }
    };
    let ((code, k), date, reason, programme) = (code?, date?, reason?, programme?);
    match k.granted.get(&programme) {
        None => {
            diags.push(
                Diagnostic::err(
                    "revocation-untitled",
                    file,
                    format!(
                        "{code} 没有在{}的公告名单中，没有可撤销的称号 (no title to revoke)",
                        programmes[programme].name
                    ),
                )
                .at(r
                    .programme
                    .as_ref()
                    .map_or_else(|| span(&r.credit_code), span))
                .help("只有公告名单中的企业有称号：核对信用代码和 programme"),
            );
            None
        }
        Some(&first) if date < first => {
            diags.push(
                Diagnostic::err(
                    "revocation-date",
                    file,
                    format!("撤销日期 {date} 早于称号的公告日期 {first} (before the announcement)"),
                )
                .at(span(&r.date))
                .help("撤销日期写撤销文件的日期，不早于公告日期"),
            );
            None
        }
        Some(_) => Some(Revocation {
            credit_code: code,
            programme,
            date,
            reason,
            document,
        }),
    }
}

fn ids(programmes: &[Programme]) -> String {
    programmes
        .iter()
        .map(|p| format!("{}（{}）", p.id, p.name))
        .collect::<Vec<_>>()
        .join("、")
}
