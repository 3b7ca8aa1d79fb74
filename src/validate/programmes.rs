//! `data/programmes/<id>.toml`: the programmes a site publishes, each with its kinds of
//! list, batch names and title patterns.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{is_slug, span};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::{Kind, Programme, PublicityLength, Titles};
use crate::source::programme::{Cadence, ProgrammeFile};

const PLACEHOLDERS: [&str; 4] = ["{year}", "{batch}", "{programme}", "{kind}"];

pub(super) fn check_programmes(
    files: &[(PathBuf, ProgrammeFile)],
    diags: &mut Diagnostics,
) -> Vec<Programme> {
    if files.is_empty() {
        diags.push(
            Diagnostic::err(
                "programme-none",
                Path::new(load::PROGRAMMES_DIR),
                "没有项目：data/programmes/ 中没有 .toml 文件 (no programme)",
            )
            .help(
                "每个项目写一个文件 data/programmes/<英文编号>.toml，写法见 README 的数据文件说明",
            ),
        );
        return Vec::new();
    }
    let mut out: Vec<Programme> = files
        .iter()
        .filter_map(|(file, p)| check_programme(file, p, diags))
        .collect();
    let defaults: Vec<usize> = (0..out.len()).filter(|&i| out[i].default).collect();
    match (out.len(), defaults.len()) {
        (1, _) => out[0].default = true,
        (_, 1) => {}
        (_, 0) if !out.is_empty() => diags.push(
            Diagnostic::err(
                "programme-default",
                Path::new(load::PROGRAMMES_DIR),
                "有多个项目，但没有一个写了 default = true (no default programme)",
            )
            .help("在网站最早发布的项目文件中写 default = true：它的名单编号不带项目名，已发布的网址保持不变"),
        ),
        _ => {
            for &i in defaults.iter().skip(1) {
                diags.push(
                    Diagnostic::err(
                        "programme-default",
                        &files[i].0,
                        "只能有一个项目写 default = true (more than one default programme)",
                    )
                    .help("只在网站最早发布的项目文件中保留 default = true"),
                );
            }
        }
    }
    // The default programme first: its notices and lists lead every page.
    out.sort_by_key(|p| !p.default);
    out
}

fn check_programme(file: &Path, p: &ProgrammeFile, diags: &mut Diagnostics) -> Option<Programme> {
    let mut ok = true;
    let id = check_id(file, diags, &mut ok);
    let name = check_name(file, p, diags, &mut ok);
    let kinds = check_kinds(file, p, diags, &mut ok);
    let (cadence, batch_names) = check_batches(file, p, diags, &mut ok);
    check_titles(file, p, diags, &mut ok);
    check_platform_and_validity(file, p, diags, &mut ok);
    let publicity_length = p
        .publicity
        .as_ref()
        .and_then(|pp| check_publicity_length(file, pp, diags, &mut ok));
    ok.then(|| Programme {
        id,
        name,
        default: p.default,
        cadence,
        batch_names,
        batch_pattern: p.batch_pattern.as_ref().map(|b| b.get_ref().clone()),
        publicity_length,
        titles: Titles {
            publicity: p.titles.publicity.get_ref().clone(),
            announced: p.titles.announced.get_ref().clone(),
        },
        validity_years: p.validity_years.as_ref().map(|v| *v.get_ref()),
        validity_rule: p.validity_rule,
        expiry_warning_months: p.expiry_warning_months.as_ref().map_or(6, |m| *m.get_ref()),
        platform_url: p.platform_url.as_ref().map(|u| u.get_ref().clone()),
        platform_name: p.platform_name.clone(),
        apply_word: p.apply_word.clone(),
        keywords: p.keywords.clone(),
        description: p.description.clone(),
        kinds,
    })
}

/// The programme's id, its file's name: it appears in addresses.
fn check_id(file: &Path, diags: &mut Diagnostics, ok: &mut bool) -> String {
    let id = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if !is_slug(&id) {
        diags.push(
            Diagnostic::err(
                "programme-id",
                file,
                format!("项目文件名“{id}”不能用作编号 (not a plain id)"),
            )
            .help("文件名是项目的编号，会出现在网址中：只用小写英文字母、数字和 -，例如 data/programmes/specialised.toml"),
        );
        *ok = false;
    }
    id
}

/// The programme's name, shown in list titles and menus.
fn check_name(file: &Path, p: &ProgrammeFile, diags: &mut Diagnostics, ok: &mut bool) -> String {
    let name = p.name.get_ref().trim().to_string();
    if name.is_empty() {
        diags.push(
            Diagnostic::err("programme-name", file, "项目名称是空的 (empty name)")
                .at(span(&p.name))
                .help("写项目的正式名称（它出现在名单的标题和页面的栏目标签中）"),
        );
        *ok = false;
    }

    name
}

/// The kinds of list (申报, 复核…): at least one, each with an id fit for an address and a
/// name, no id or name twice.
fn check_kinds(
    file: &Path,
    p: &ProgrammeFile,
    diags: &mut Diagnostics,
    ok: &mut bool,
) -> Vec<Kind> {
    let mut kinds = Vec::new();
    let mut seen = HashSet::new();
    if p.kind.is_empty() {
        diags.push(
            Diagnostic::err("programme-kind", file, "项目没有名单类型 (no [[kind]])")
                .help("每种名单写一段 [[kind]]：id 是网址中用的英文编号，name 是名单上的叫法"),
        );
        *ok = false;
    }
    for k in &p.kind {
        let (kid, kname) = (k.id.get_ref().trim(), k.name.get_ref().trim());
        if !is_slug(kid) {
            diags.push(
                Diagnostic::err(
                    "programme-kind",
                    file,
                    format!("名单类型编号“{kid}”不能用在网址中 (not a plain id)"),
                )
                .at(span(&k.id))
                .help("只用小写英文字母、数字和 -，例如 id = \"review\""),
            );
            *ok = false;
        }
        if kname.is_empty() {
            diags.push(
                Diagnostic::err(
                    "programme-kind",
                    file,
                    "名单类型的名称是空的 (empty kind name)",
                )
                .at(span(&k.name))
                .help("写这种名单在通知和名单上的叫法"),
            );
            *ok = false;
        }
        for (key, sp) in [(kid, span(&k.id)), (kname, span(&k.name))] {
            if !key.is_empty() && !seen.insert(key.to_string()) {
                diags.push(
                    Diagnostic::err(
                        "programme-kind",
                        file,
                        format!("名单类型“{key}”写了两次 (kind named twice)"),
                    )
                    .at(sp)
                    .help("每种名单的 id 和 name 都要与其他类型不同"),
                );
                *ok = false;
            }
        }
        kinds.push(Kind {
            id: kid.to_string(),
            name: kname.to_string(),
        });
    }

    kinds
}

/// The batches of a year: as many names as the cadence has periods, or for numbered
/// batches a pattern with `{n}` or `{cn}`.
fn check_batches(
    file: &Path,
    p: &ProgrammeFile,
    diags: &mut Diagnostics,
    ok: &mut bool,
) -> (Cadence, Vec<String>) {
    let cadence = *p.cadence.get_ref();
    let expected = match cadence {
        Cadence::Quarter => Some((
            4,
            "batch_names = [\"第一季度\", \"第二季度\", \"第三季度\", \"第四季度\"]",
        )),
        Cadence::HalfYear => Some((2, "batch_names = [\"上半年\", \"下半年\"]")),
        Cadence::Month => Some((12, "batch_names = [\"1月\", \"2月\", …, \"12月\"]（12个）")),
        Cadence::Numbered => None,
    };
    let batch_names: Vec<String> = p
        .batch_names
        .as_ref()
        .map(|b| b.get_ref().iter().map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    match expected {
        Some((n, example)) => {
            if batch_names.len() != n || batch_names.iter().any(String::is_empty) {
                let d = Diagnostic::err(
                    "programme-batches",
                    file,
                    format!(
                        "批次名称要有{n}个，与 cadence 相符 (batch_names must name {n} batches)"
                    ),
                )
                .help(format!("写上每个批次的叫法，例如 {example}"));
                diags.push(match &p.batch_names {
                    Some(b) => d.at(span(b)),
                    None => d.at(span(&p.cadence)),
                });
                *ok = false;
            }
        }
        None => {
            let pattern = p.batch_pattern.as_ref().map(|b| b.get_ref().as_str());
            let unknown = pattern.and_then(unknown_batch_placeholder);
            if let Some(ph) = unknown {
                diags.push(
                    Diagnostic::err(
                        "programme-batches",
                        file,
                        format!("批次名称格式中的“{ph}”不认识 (unknown placeholder)"),
                    )
                    .at_opt(p.batch_pattern.as_ref().map(span))
                    .help("批次名称格式中可以用 {n}（阿拉伯数字：第1批）或 {cn}（汉字数字：第一批），例如 batch_pattern = \"第{cn}批\""),
                );
                *ok = false;
            } else if !pattern.is_some_and(|b| b.contains("{n}") || b.contains("{cn}")) {
                let d = Diagnostic::err(
                    "programme-batches",
                    file,
                    "按批次编号的项目要写批次名称的格式，其中用 {n} 或 {cn} 代表批次号 (batch_pattern with {n} or {cn})",
                )
                .help("例如 batch_pattern = \"第{cn}批\"（第一批、第二批）或 \"第{n}批\"（第1批、第2批）");
                diags.push(match &p.batch_pattern {
                    Some(b) => d.at(span(b)),
                    None => d.at(span(&p.cadence)),
                });
                *ok = false;
            }
        }
    }

    (cadence, batch_names)
}

/// The list title patterns: known placeholders only, not empty.
fn check_titles(file: &Path, p: &ProgrammeFile, diags: &mut Diagnostics, ok: &mut bool) {
    for pattern in [&p.titles.publicity, &p.titles.announced] {
        let text = pattern.get_ref();
        let mut rest = text.as_str();
        while let Some(i) = rest.find('{') {
            let tail = &rest[i..];
            let end = tail.find('}').map(|e| e + 1).unwrap_or(tail.len());
            let ph = &tail[..end];
            if !PLACEHOLDERS.contains(&ph) {
                diags.push(
                    Diagnostic::err("programme-title", file, format!("标题格式中的“{ph}”不认识 (unknown placeholder)"))
                        .at(span(pattern))
                        .help("标题中可以用 {year}（年份）、{batch}（批次）、{programme}（项目名称）和 {kind}（名单类型），例如 \"{year}年{batch}{programme}{kind}公告名单\""),
                );
                *ok = false;
                break;
            }
            rest = &tail[end..];
        }
        if text.trim().is_empty() {
            diags.push(
                Diagnostic::err(
                    "programme-title",
                    file,
                    "名单标题格式是空的 (empty title pattern)",
                )
                .at(span(pattern))
                .help("例如 announced = \"{year}年{batch}{programme}{kind}公告名单\""),
            );
            *ok = false;
        }
    }
}

/// The platform's link and the honour's validity settings: plausible values only.
fn check_platform_and_validity(
    file: &Path,
    p: &ProgrammeFile,
    diags: &mut Diagnostics,
    ok: &mut bool,
) {
    if let Some(u) = &p.platform_url {
        if let Err(why) = crate::domain::url::check_link(u.get_ref()) {
            diags.push(
                Diagnostic::err("link", file, format!("platform_url 不能用作链接：{why}"))
                    .at(span(u))
                    .help("写平台的完整网址，例如 platform_url = \"https://zjtx.miit.gov.cn\""),
            );
            *ok = false;
        }
    }
    if let Some(v) = &p.validity_years {
        if !(1..=20).contains(v.get_ref()) {
            diags.push(
                Diagnostic::err(
                    "programme-validity",
                    file,
                    format!(
                        "validity_years = {} 不像是有效期的年数 (not plausible)",
                        v.get_ref()
                    ),
                )
                .at(span(v))
                .help("写称号有效的年数，例如 validity_years = 3"),
            );
            *ok = false;
        }
    }
    if let Some(m) = &p.expiry_warning_months {
        if *m.get_ref() > 36 {
            diags.push(
                Diagnostic::err(
                    "programme-validity",
                    file,
                    format!(
                        "expiry_warning_months = {} 不像是到期提醒的月数 (not plausible)",
                        m.get_ref()
                    ),
                )
                .at(span(m))
                .help("写称号到期前几个月开始提醒，例如 expiry_warning_months = 6（0 表示不提醒）"),
            );
            *ok = false;
        }
    }
}

/// The first `{…}` of a numbered batch pattern that is neither `{n}` nor `{cn}`, so that a
/// misspelt `{N}` or `{中文}` is reported instead of printed in every title.
fn unknown_batch_placeholder(pattern: &str) -> Option<&str> {
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        let tail = &rest[i..];
        let end = tail.find('}').map(|e| e + 1).unwrap_or(tail.len());
        let ph = &tail[..end];
        if ph != "{n}" && ph != "{cn}" {
            return Some(ph);
        }
        rest = &tail[end..];
    }
    None
}

/// A programme's `[publicity]`: exactly one of `working_days` and `calendar_days`, 1 to 366.
fn check_publicity_length(
    file: &Path,
    pp: &toml::Spanned<crate::source::programme::ProgrammePublicityFile>,
    diags: &mut Diagnostics,
    ok: &mut bool,
) -> Option<PublicityLength> {
    let f = pp.get_ref();
    let (value, make): (_, fn(u32) -> PublicityLength) = match (&f.working_days, &f.calendar_days) {
        (Some(w), Some(_)) => {
            diags.push(super::both_publicity_lengths(file, w, "项目的"));
            *ok = false;
            return None;
        }
        (Some(w), None) => (w, PublicityLength::WorkingDays),
        (None, Some(c)) => (c, PublicityLength::CalendarDays),
        (None, None) => {
            diags.push(
                Diagnostic::err(
                    "publicity-length",
                    file,
                    "[publicity] 没有写公示期的长度 (the default publicity period has no length)",
                )
                .at(span(pp))
                .help("写上 working_days = 5（或 calendar_days = 7），或删去 [publicity]"),
            );
            *ok = false;
            return None;
        }
    };
    let n = super::publicity_days(file, value, diags);
    *ok &= n.is_some();
    n.map(make)
}
