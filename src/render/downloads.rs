//! Per-list downloads: CSV (UTF-8 with BOM, Chinese headers, for spreadsheet programs)
//! and JSON, each holding exactly the rows the list's pages show, withdrawn ones marked.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::domain::datefmt::iso;
use crate::domain::text::looks_like_formula;
use crate::model::{EnterpriseList, Site, Stage};
use crate::output::Sink;

use crate::urls::Urls;

use crate::theme::words::{fill, DownloadWords};

/// A row as downloaded: `seq` is the 序号 shown on the page (none for rows withdrawn
/// from an announced list, which are listed apart).
#[derive(Serialize)]
struct DownloadRow<'a> {
    seq: Option<usize>,
    name: &'a str,
    credit_code: &'a str,
    district: &'a str,
    industry: Option<&'a str>,
    withdrawn: Option<&'a str>,
}

/// The rows shown as the list, then, for an announced list, the withdrawn ones; every
/// row with its 序号 as published.
fn rows(list: &EnterpriseList) -> Vec<DownloadRow<'_>> {
    fn row((n, e): (usize, &crate::model::Enterprise)) -> DownloadRow<'_> {
        DownloadRow {
            seq: Some(n),
            name: &e.name,
            credit_code: &e.credit_code,
            district: &e.district,
            industry: e.industry.as_deref(),
            withdrawn: e.withdrawn.as_deref(),
        }
    }
    let mut out: Vec<DownloadRow> = list.shown_numbered().map(row).collect();
    if list.stage == Stage::Announced {
        out.extend(list.withdrawn_numbered().map(row));
    }
    out
}

/// A cell as written to the CSV download: one that a spreadsheet would run as a formula
/// gets a leading apostrophe (shown as text, never evaluated). The JSON keeps the value
/// exactly.
pub(crate) fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The CSV of a list, headed and marked in the theme's words (`theme.toml` [downloads]).
pub(crate) fn csv_bytes(
    list: &EnterpriseList,
    words: &DownloadWords,
) -> Result<Vec<u8>, csv::Error> {
    let mut buf = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        w.write_record(&words.csv_headers)?;
        for r in rows(list) {
            let status = match r.withdrawn {
                Some(why) => fill(&words.withdrawn, &[("reason", why)]),
                None => String::new(),
            };
            let seq = r.seq.map(|s| s.to_string()).unwrap_or_default();
            w.write_record([
                seq.as_str(),
                &csv_cell(r.name),
                &csv_cell(r.district),
                &csv_cell(r.credit_code),
                &csv_cell(r.industry.unwrap_or("")),
                &csv_cell(&status),
            ])?;
        }
        w.flush()?;
    }
    Ok(buf)
}

#[derive(Serialize)]
struct JsonList<'a> {
    id: &'a str,
    title: &'a str,
    programme: &'a str,
    programme_name: &'a str,
    year: i32,
    /// Kept for quarterly programmes: the field readers of the first downloads use.
    #[serde(skip_serializing_if = "Option::is_none")]
    quarter: Option<u32>,
    batch: u32,
    batch_name: &'a str,
    kind: &'a str,
    kind_name: &'a str,
    stage: &'static str,
    sample: bool,
    publicity: Option<JsonPublicity>,
    announcement: Option<JsonAnnouncement<'a>>,
    count: usize,
    withdrawn: usize,
    enterprises: Vec<DownloadRow<'a>>,
}

#[derive(Serialize)]
struct JsonPublicity {
    start: String,
    end: String,
    working_days: Option<u32>,
    calendar_days: Option<u32>,
}

#[derive(Serialize)]
struct JsonAnnouncement<'a> {
    date: String,
    document: Option<&'a str>,
    valid_from: String,
    valid_until: Option<String>,
}

pub(crate) fn json_bytes(site: &Site, list: &EnterpriseList) -> Result<Vec<u8>, serde_json::Error> {
    let programme = &site.programmes[list.programme];
    let doc = JsonList {
        id: &list.id,
        title: &list.title,
        programme: &programme.id,
        programme_name: &programme.name,
        year: list.year,
        quarter: (programme.cadence == crate::model::Cadence::Quarter).then_some(list.batch),
        batch: list.batch,
        batch_name: &list.batch_name,
        kind: &list.kind_id,
        kind_name: &list.kind_name,
        stage: list.stage.as_str(),
        sample: list.sample,
        publicity: list.publicity.as_ref().map(|p| JsonPublicity {
            start: iso(p.start),
            end: iso(p.end),
            working_days: p.working_days,
            calendar_days: p.calendar_days,
        }),
        announcement: list.announcement.as_ref().map(|a| JsonAnnouncement {
            date: iso(a.date),
            document: a.document.as_deref(),
            valid_from: iso(a.valid_from),
            valid_until: a.valid_until.map(iso),
        }),
        count: list.shown().count(),
        withdrawn: list.withdrawn_count(),
        enterprises: rows(list),
    };
    let mut v = serde_json::to_vec_pretty(&doc)?;
    v.push(b'\n');
    Ok(v)
}

pub(crate) fn write_all(site: &Site, words: &DownloadWords, sink: &dyn Sink) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    site.lists
        .par_iter()
        .flat_map_iter(|list| {
            let mut errs = Vec::new();
            let csv_path = Urls::download_path(&list.id, "csv");
            let json_path = Urls::download_path(&list.id, "json");
            match csv_bytes(list, words) {
                Ok(b) => {
                    if let Err(e) = sink.put(&csv_path, b) {
                        errs.push(Diagnostic::cannot_write(&csv_path, &e));
                    }
                }
                Err(e) => errs.push(Diagnostic::err(
                    "download",
                    &list.source,
                    format!("无法生成 CSV 下载文件：{e} (cannot make the CSV)"),
                )),
            }
            match json_bytes(site, list) {
                Ok(b) => {
                    if let Err(e) = sink.put(&json_path, b) {
                        errs.push(Diagnostic::cannot_write(&json_path, &e));
                    }
                }
                Err(e) => errs.push(Diagnostic::err(
                    "download",
                    &list.source,
                    format!("无法生成 JSON 下载文件：{e} (cannot make the JSON)"),
                )),
            }
            errs
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_full_width_formula_starts_get_an_apostrophe() {
        for cell in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(1)",
            "\tx",
            "\rx",
            "＝HYPERLINK(\"http://evil.example/\")",
            "＋1",
            "－1",
            "＠SUM(1)",
        ] {
            assert!(looks_like_formula(cell), "{cell:?}");
            assert_eq!(csv_cell(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["大连示例科技有限公司", "（一）", "A=1", "软件－信息", ""] {
            assert!(!looks_like_formula(cell), "{cell:?}");
            assert_eq!(csv_cell(cell), cell);
        }
    }
}
