//! `gazette new notice --programme P --year Y`: next year's notice scaffolded from the
//! programme's latest earlier notice. The pages are written as drafts (the build leaves
//! them and their data out) so that last year's text is never published as this year's;
//! key dates move by the years between the two notices, for the clerk to check.

use crate::source::notice::{ScheduleFile, SCAFFOLD_NOTE};
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::store;
use crate::validate::load_site_data;

/// What `create` wrote.
#[derive(Debug)]
pub struct Created {
    /// The notice it was made from.
    pub from_year: i32,
    pub programme: String,
    /// Site-relative paths of the new files.
    pub files: Vec<PathBuf>,
    /// Their texts, in the same order (the console shows them).
    pub texts: Vec<String>,
}

fn content_dir(programme: &str, year: i32) -> PathBuf {
    Path::new("content/notices")
        .join(programme)
        .join(year.to_string())
}

fn data_dir(programme: &str, year: i32) -> PathBuf {
    Path::new(load::NOTICES_DIR)
        .join(programme)
        .join(year.to_string())
}

/// Scaffolds the notice of `year` from the latest earlier notice of the programme.
/// `on_wait` is called when another command holds the data lock and this one waits.
pub fn create(
    root: &Path,
    programme: Option<&str>,
    year: i32,
    on_wait: &dyn Fn(),
) -> Result<Created, Diagnostics> {
    prepare(root, programme, year, Some(on_wait)).and_then(|(created, _lock)| write(root, created))
}

/// What `create` would write, refused for the same reasons, without writing anything (and
/// without the data lock): the console shows it before the clerk confirms.
pub fn preview(root: &Path, programme: Option<&str>, year: i32) -> Result<Created, Diagnostics> {
    prepare(root, programme, year, None).map(|(created, _)| created)
}

/// The new files and their texts, checked; with `on_wait`, under the data lock (returned
/// held, for the writing).
fn prepare(
    root: &Path,
    programme: Option<&str>,
    year: i32,
    on_wait: Option<&dyn Fn()>,
) -> Result<(Created, Option<store::DataLock>), Diagnostics> {
    let mut diags = Diagnostics::new();
    let fail = |d: Diagnostic| {
        let mut ds = Diagnostics::new();
        ds.push(d);
        ds
    };
    if !(2000..=2100).contains(&year) {
        return Err(fail(
            Diagnostic::usage(
                "usage-year",
                format!("--year {year} 不像是年份 (not plausible)"),
            )
            .help("写四位的年份，例如 --year 2027"),
        ));
    }
    let Some(site) = load_site_data(root, &mut diags) else {
        return Err(diags);
    };
    let Some(pi) = site.programme(programme) else {
        let known: Vec<String> = site
            .programmes
            .iter()
            .map(|p| format!("{}（{}）", p.id, p.name))
            .collect();
        return Err(fail(
            Diagnostic::usage(
                "usage-programme",
                format!(
                    "--programme：不认识的项目“{}” (unknown programme)",
                    programme.unwrap_or("")
                ),
            )
            .help(format!("写其中之一：{}", known.join("、"))),
        ));
    };
    let pid = site.programmes[pi].id.clone();
    let pname = site.programmes[pi].name.clone();
    let from_year = std::fs::read_dir(root.join("content/notices").join(&pid))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&y| y < year && root.join(content_dir(&pid, y)).join("index.md").is_file())
        .max();
    let Some(from_year) = from_year else {
        return Err(fail(
            Diagnostic::err(
                "notice-none",
                content_dir(&pid, year),
                format!("{pname}在 {year} 年之前没有通知，无从照着新建 (no earlier notice)"),
            )
            .help(format!(
                "第一份通知请手工建立：content/notices/{pid}/{year}/index.md（见 README 的“数据文件说明”）"
            )),
        ));
    };
    let lock = match on_wait {
        Some(on_wait) => Some(store::lock_data(root, on_wait).map_err(|e| {
            fail(Diagnostic::err(
                "data-lock",
                store::LOCK_FILE,
                format!("无法锁定数据文件夹：{e}"),
            ))
        })?),
        None => None,
    };
    for dir in [content_dir(&pid, year), data_dir(&pid, year)] {
        if root.join(&dir).exists() {
            return Err(fail(
                Diagnostic::err(
                    "notice-exists",
                    &dir,
                    format!("{year}年{pname}的通知已经有了，没有覆盖 (the notice exists)"),
                )
                .help("直接编辑这个文件夹中的文件；要重新生成，先把它移走"),
            ));
        }
    }

    let delta = year - from_year;
    let mut plan: Vec<(PathBuf, String)> = Vec::new();
    for (dir_of, scaffold) in [
        (
            content_dir as fn(&str, i32) -> PathBuf,
            page_scaffold as Scaffold,
        ),
        (data_dir, data_scaffold),
    ] {
        let from = dir_of(&pid, from_year);
        let Ok(entries) = std::fs::read_dir(root.join(&from)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        names.sort();
        for name in names {
            let src = from.join(&name);
            let text = std::fs::read_to_string(root.join(&src)).map_err(|e| {
                fail(Diagnostic::err(
                    "file-unreadable",
                    &src,
                    format!("无法读取：{e} (cannot read)"),
                ))
            })?;
            let new_text = match scaffold(&name, &text, from_year, delta) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(why) => {
                    return Err(fail(
                        Diagnostic::err(
                            "notice-source",
                            &src,
                            format!("无法照这个文件新建：{why} (cannot scaffold from this file)"),
                        )
                        .help(format!(
                            "先用 gazette check 找出并改正{from_year}年通知中这个文件的问题，再新建；没有写入任何文件"
                        )),
                    ))
                }
            };
            plan.push((dir_of(&pid, year).join(&name), new_text));
        }
    }
    let (files, texts) = plan.into_iter().unzip();
    Ok((
        Created {
            from_year,
            programme: pid,
            files,
            texts,
        },
        lock,
    ))
}

/// Writes the prepared files, each only if it does not exist yet.
fn write(root: &Path, created: Created) -> Result<Created, Diagnostics> {
    let fail = |d: Diagnostic| {
        let mut ds = Diagnostics::new();
        ds.push(d);
        ds
    };
    for (rel, text) in created.files.iter().zip(&created.texts) {
        let target = root.join(rel);
        let written = target
            .parent()
            .map(std::fs::create_dir_all)
            .unwrap_or(Ok(()))
            .and_then(|()| store::create_new(&target, text));
        if let Err(e) = written {
            return Err(fail(
                Diagnostic::err(
                    crate::diag::CANNOT_WRITE,
                    rel,
                    format!("无法写入：{e} (cannot write)"),
                )
                .help("检查网站文件夹是否可写；已写入的文件列在上面的文件夹中，删除后重试")
                .output(),
            ));
        }
    }
    Ok(created)
}

/// A file's scaffold: `Ok(None)` for a file that is not carried over, `Err` with the reason
/// for a source file that cannot be read as what it should be (nothing is written then).
type Scaffold = fn(&str, &str, i32, i32) -> Result<Option<String>, String>;

/// Years in a text (`2026年`, `2027-01-10`) moved by `delta` when they are the notice's
/// year or the next (a fourth quarter's deadline falls in January). A 29 February that
/// lands in a common year becomes 28 February (`2028-02-29` → `2029-02-28`, also
/// `2028年2月29日`), so the scaffold stays a valid file; the clerk checks every date anyway.
fn shift_years(text: &str, from_year: i32, delta: i32) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let is_year = i + 4 <= text.len()
            && bytes[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !bytes[i - 1].is_ascii_digit())
            && (i + 4 == text.len() || !bytes[i + 4].is_ascii_digit());
        if is_year {
            let y: i32 = text[i..i + 4].parse().unwrap_or(0);
            if y == from_year || y == from_year + 1 {
                let new_year = y + delta;
                out.push_str(&new_year.to_string());
                i += 4;
                if !is_leap_year(new_year) {
                    for (leap_day, last_day) in [("-02-29", "-02-28"), ("年2月29日", "年2月28日")]
                    {
                        if text[i..].starts_with(leap_day) {
                            out.push_str(last_day);
                            i += leap_day.len();
                            break;
                        }
                    }
                }
                continue;
            }
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// A `schedule.toml` with its years moved. Every date of a key date or a repeating rule
/// (`start`, `end`, `from`, `until`) moves by `delta` whatever its year, so a range keeps
/// its length: a rule from December of the year before (`from = 2025-12-01`) or into the
/// year after next stays one range, where moving only the notice's year and the next would
/// stretch it or turn it round. Titles, `when` and comments move by [`shift_years`]' rule
/// (`{year}` in a rule's title is filled in when it is expanded, so it stays as it is).
fn shift_schedule(text: &str, from_year: i32, delta: i32) -> Result<String, String> {
    let file: ScheduleFile = toml::from_str(text)
        .map_err(|e| format!("关键日期不是有效的 TOML 或有不认识的项：{}", e.message()))?;
    let mut dates: Vec<std::ops::Range<usize>> = file
        .key_date
        .iter()
        .flat_map(|k| [k.start.span(), k.end.span()])
        .chain(
            file.repeat
                .iter()
                .flat_map(|r| [&r.from, &r.until])
                .flatten()
                .map(|d| d.span()),
        )
        .collect();
    dates.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for date in dates {
        out.push_str(&shift_years(&text[at..date.start], from_year, delta));
        let literal = &text[date.clone()];
        // A TOML date begins with its four-digit year; moving exactly that year (the
        // literal's own, not the notice's) applies shift_years' leap-day rule to it.
        let own_year = literal
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .ok_or_else(|| format!("{literal} 不是日期"))?;
        out.push_str(&shift_years(literal, own_year, delta));
        at = date.end;
    }
    out.push_str(&shift_years(&text[at..], from_year, delta));
    Ok(out)
}

fn is_leap_year(y: i32) -> bool {
    chrono::NaiveDate::from_ymd_opt(y, 2, 29).is_some()
}

/// A page of the notice: a draft with the year moved in its front matter, without last
/// year's date, old addresses and corrections; the body stays for reference.
fn page_scaffold(
    name: &str,
    text: &str,
    from_year: i32,
    delta: i32,
) -> Result<Option<String>, String> {
    if !name.ends_with(".md") {
        return Ok(None);
    }
    let split = load::split_front_matter(text)
        .map_err(|_| "页首没有用 +++ 包围的设置（front matter）".to_string())?;
    let mut front: DocumentMut = text[split.front.clone()]
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("页首的设置不是有效的 TOML：{}", e.message()))?;
    for key in ["date", "aliases", "correction"] {
        front.remove(key);
    }
    front.insert("draft", Item::Value(true.into()));
    let front = shift_years(&front.to_string(), from_year, delta);
    let year = from_year + delta;
    let body = &text[split.body.clone()];
    let note = if name == "index.md" || name == "_index.md" {
        format!("{SCAFFOLD_NOTE}{from_year}年的通知生成：把下面的正文换成{year}年通知的全文，填写 date，删除 draft = true 和这一行后才会发布。 -->\n\n")
    } else {
        format!("{SCAFFOLD_NOTE}{from_year}年的通知生成：按{year}年的通知核对后，删除 draft = true 和这一行才会发布。 -->\n\n")
    };
    let body = if name == "index.md" || name == "_index.md" {
        body.to_string()
    } else {
        shift_years(body, from_year, delta)
    };
    Ok(Some(format!(
        "+++\n{}+++\n{note}{}",
        front.trim_start(),
        body.trim_start()
    )))
}

/// A data file of the notice: key dates moved by the years between the notices, criteria
/// copied; both with a note to check them against the new notice.
fn data_scaffold(
    name: &str,
    text: &str,
    from_year: i32,
    delta: i32,
) -> Result<Option<String>, String> {
    let year = from_year + delta;
    let note = format!(
        "# 由 gazette new notice 照{from_year}年的通知生成：请逐项按{year}年的通知核对。\n"
    );
    Ok(match name {
        n if n == load::SCHEDULE_NAME => {
            Some(format!("{note}{}", shift_schedule(text, from_year, delta)?))
        }
        n if n == load::CRITERIA_NAME => Some(format!("{note}{text}")),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_move_only_when_they_are_the_notice_year_or_the_next() {
        assert_eq!(
            shift_years("2026年4月10日 2027-01-10 2023年度 120260", 2026, 1),
            "2027年4月10日 2028-01-10 2023年度 120260"
        );
        assert_eq!(shift_years("第一季度", 2026, 1), "第一季度");
    }

    #[test]
    fn a_leap_day_moved_into_a_common_year_becomes_the_last_day_of_february() {
        assert_eq!(
            shift_years("end = 2028-02-29\n2028年2月29日 2028-02-28", 2028, 1),
            "end = 2029-02-28\n2029年2月28日 2029-02-28"
        );
        // Into a leap year it stays.
        assert_eq!(shift_years("2028-02-29", 2028, 4), "2032-02-29");
        // The year after the notice's moves too (a deadline in the next February).
        assert_eq!(shift_years("2029-02-28", 2028, 3), "2032-02-28");
    }

    #[test]
    fn a_schedules_repeating_rules_carry_over_and_every_range_keeps_its_length() {
        let text = "# 2026年春节所在月份不受理，见2023年度的规定\n\
[[repeat]]\n\
id = \"window\"\n\
title = \"{year}年{month}月认定申请受理\"\n\
start_day = 1\n\
end_day = 10\n\
skip_months = [2]\n\
\n\
[[repeat]]\n\
id = \"winter\"\n\
title = \"冬季受理\"\n\
start_day = 1\n\
end_day = 31\n\
from = 2025-12-01                # 上一年12月起\n\
until = 2026-11-30\n\
\n\
[[repeat]]\n\
id = \"late\"\n\
title = \"{month}月补报\"\n\
start_day = 20\n\
end_day = 29\n\
from = 2027-11-05\n\
until = 2028-02-29\n\
\n\
[[key_date]]\n\
id = \"summary\"\n\
title = \"2026年度总结\"\n\
start = 2025-12-20\n\
end = 2026-01-10\n\
when = \"2026年1月10日前\"\n";
        let out = data_scaffold(load::SCHEDULE_NAME, text, 2026, 1)
            .unwrap()
            .unwrap();
        // A rule without a range is carried as it is: it covers its notice's year.
        assert!(out.contains("id = \"window\"\ntitle = \"{year}年{month}月认定申请受理\"\nstart_day = 1\nend_day = 10\nskip_months = [2]\n"), "{out}");
        // A range from the year before keeps its twelve months, its comment with it.
        assert!(
            out.contains("from = 2026-12-01                # 上一年12月起\nuntil = 2027-11-30\n"),
            "{out}"
        );
        // A range into the year after next moves whole, a leap day into a common year too.
        assert!(
            out.contains("from = 2028-11-05\nuntil = 2029-02-28\n"),
            "{out}"
        );
        assert!(
            out.contains("start = 2026-12-20\nend = 2027-01-10\n"),
            "{out}"
        );
        // Words keep the old rule: the notice's year moves, other years stay.
        assert!(out.contains("title = \"2027年度总结\""));
        assert!(out.contains("when = \"2027年1月10日前\""));
        assert!(
            out.contains("# 2027年春节所在月份不受理，见2023年度的规定"),
            "{out}"
        );
        // The scaffold is a schedule the site reads.
        let parsed: ScheduleFile = toml::from_str(&out).expect("a valid schedule");
        assert_eq!(parsed.repeat.len(), 3);
        assert_eq!(parsed.key_date.len(), 1);
    }

    #[test]
    fn a_schedule_that_does_not_parse_is_an_error_not_copied() {
        let why = data_scaffold(load::SCHEDULE_NAME, "[[repeat]]\nid = \n", 2026, 1).unwrap_err();
        assert!(why.contains("TOML"), "{why}");
        let why =
            data_scaffold(load::SCHEDULE_NAME, "[[repeats]]\nid = \"w\"\n", 2026, 1).unwrap_err();
        assert!(why.contains("repeats"), "{why}");
    }

    #[test]
    fn a_page_whose_front_matter_does_not_parse_is_an_error_not_skipped() {
        let broken = "+++\ntitle = \"2026年度通知\ndate = 2026-02-02\n+++\n正文\n";
        let why = page_scaffold("index.md", broken, 2026, 1).unwrap_err();
        assert!(why.contains("TOML"), "{why}");
        assert!(page_scaffold("index.md", "正文，没有页首\n", 2026, 1).is_err());
        assert_eq!(page_scaffold("notes.txt", "x", 2026, 1), Ok(None));
    }

    #[test]
    fn a_page_becomes_a_draft_without_last_years_date_aliases_and_corrections() {
        let text = "+++\ntitle = \"2026年度通知\"\ndate = 2026-02-02\naliases = [\"notice/\"]\n\n[[correction]]\noriginal = \"a\"\ncorrected = \"b\"\nreason = \"c\"\n+++\n\n正文2026年\n";
        let out = page_scaffold("index.md", text, 2026, 1).unwrap().unwrap();
        assert!(out.contains("title = \"2027年度通知\""), "{out}");
        assert!(out.contains("draft = true"));
        assert!(!out.contains("date ="));
        assert!(!out.contains("aliases"));
        assert!(!out.contains("correction"));
        // The old text stays as it was, for reference, until the clerk replaces it.
        assert!(out.contains("正文2026年"));
    }
}
