//! The enterprise directory: every enterprise of every published list, by credit code,
//! with its names over time and, per programme, every list it was on and its honour's
//! status as of the build date (`domain::honour`). Computed once per build from the
//! checked site; the enterprise pages, their JSON, the directory downloads, the search
//! index and the feed all read it, so they cannot disagree.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::honour::{self, Grant, OnPublicity, Status};
use crate::model::{Site, Stage};

/// Every enterprise, ordered by credit code.
#[derive(Debug, Default)]
pub struct Directory {
    pub entries: Vec<Entry>,
}

#[derive(Debug)]
pub struct Entry {
    pub credit_code: String,
    /// As of the build date: the latest rename's new name, else the latest list's.
    pub name: String,
    /// Every other name it bore, oldest first.
    pub former_names: Vec<FormerName>,
    /// `District::order` of its latest list.
    pub district: usize,
    /// On a sample list (the page says so).
    pub sample: bool,
    /// Indices into `Site::renames`, by date.
    pub renames: Vec<usize>,
    /// One per programme whose lists name it, in the site's programme order.
    pub records: Vec<Record>,
}

#[derive(Debug, Clone)]
pub struct FormerName {
    pub name: String,
    /// The day it was renamed away from this name, when a rename says so.
    pub renamed: Option<NaiveDate>,
}

/// One programme's lists of one enterprise and the honour's status.
#[derive(Debug)]
pub struct Record {
    /// Index into `Site::programmes`.
    pub programme: usize,
    pub status: Status,
    /// Every title an announced list granted (not withdrawn from it), oldest first.
    pub grants: Vec<Grant>,
    /// The grant in force (or last in force), which the status is about.
    pub grant: Option<Grant>,
    /// First day of the expiry warning of that grant.
    pub warning_from: Option<NaiveDate>,
    /// Every list naming it, oldest first.
    pub listings: Vec<Listing>,
    /// Indices into `Site::revocations`.
    pub revocations: Vec<usize>,
}

impl Record {
    /// The revocation the status is about: the one in force, else one dated after the
    /// build date against the title in force (a page's script applies it on its day).
    pub fn revocation<'s>(&self, site: &'s Site) -> Option<&'s crate::model::Revocation> {
        let mut all = self.revocations.iter().map(|&ri| &site.revocations[ri]);
        match self.status {
            Status::Revoked { date } => all.find(|v| v.date == date),
            _ => all
                .find(|v| v.date > site.today && self.grant.is_some_and(|g| v.date >= g.announced)),
        }
    }
}

/// One row of one list.
#[derive(Debug, Clone, Copy)]
pub struct Listing {
    /// Index into `Site::lists`.
    pub list: usize,
    /// 序号 as published.
    pub n: usize,
    /// The list page (1-based) holding the row.
    pub page: usize,
    pub withdrawn: bool,
}

impl Directory {
    /// The directory of a checked site. Draft lists (in previews) are left out: a draft
    /// grants nothing and says nothing of anyone.
    pub fn compile(site: &Site) -> Directory {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut listings: Vec<Vec<(usize, Listing)>> = Vec::new();
        let size = site.config.page_size.max(1);
        for (li, list) in site.lists.iter().enumerate() {
            if list.draft {
                continue;
            }
            let pages = crate::urls::page_count(list.shown().count(), size);
            let mut shown_at = 0usize;
            let announced = list.stage == Stage::Announced;
            for (i, e) in list.enterprises.iter().enumerate() {
                let withdrawn = e.withdrawn.is_some();
                let page = if announced && withdrawn {
                    pages.max(1)
                } else {
                    shown_at += 1;
                    (shown_at - 1) / size + 1
                };
                let at = *index.entry(e.credit_code.as_str()).or_insert_with(|| {
                    entries.push(Entry {
                        credit_code: e.credit_code.clone(),
                        name: String::new(),
                        former_names: Vec::new(),
                        district: e.district_order,
                        sample: false,
                        renames: Vec::new(),
                        records: Vec::new(),
                    });
                    listings.push(Vec::new());
                    entries.len() - 1
                });
                entries[at].sample |= list.sample;
                listings[at].push((
                    list.programme,
                    Listing {
                        list: li,
                        n: i + 1,
                        page,
                        withdrawn,
                    },
                ));
            }
        }
        for (ri, r) in site.renames.iter().enumerate() {
            if let Some(&at) = index.get(r.credit_code.as_str()) {
                entries[at].renames.push(ri);
            }
        }
        let mut revocations: HashMap<&str, Vec<usize>> = HashMap::new();
        for (ri, r) in site.revocations.iter().enumerate() {
            revocations
                .entry(r.credit_code.as_str())
                .or_default()
                .push(ri);
        }
        for (entry, mut rows) in entries.iter_mut().zip(listings) {
            // Oldest first: by the list's date, then the site's list order reversed
            // (lists are newest first).
            rows.sort_by_key(|(_, l)| (site.lists[l.list].date(), std::cmp::Reverse(l.list)));
            names(site, entry, &rows);
            let revoked = revocations
                .get(entry.credit_code.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            entry.records = (0..site.programmes.len())
                .filter_map(|p| record(site, p, &rows, revoked))
                .collect();
        }
        entries.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
        Directory { entries }
    }

    /// The entry of a credit code (normalised).
    pub fn find(&self, code: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.credit_code.as_str().cmp(code))
            .ok()
            .map(|i| &self.entries[i])
    }
}

/// The current name, the former names and the district, from the lists (oldest first)
/// and the renames.
fn names(site: &Site, entry: &mut Entry, rows: &[(usize, Listing)]) {
    // (date, is a rename, name): a rename on a list's day names it from that day.
    let mut events: Vec<(Option<NaiveDate>, bool, &str)> = rows
        .iter()
        .map(|(_, l)| {
            let list = &site.lists[l.list];
            (list.date(), false, list.enterprises[l.n - 1].name.as_str())
        })
        .collect();
    for &ri in &entry.renames {
        let r = &site.renames[ri];
        events.push((Some(r.date), true, r.to.as_str()));
    }
    events.sort_by_key(|e| (e.0, e.1));
    entry.name = events.last().map(|e| e.2.to_string()).unwrap_or_default();
    if let Some((_, l)) = rows.last() {
        entry.district = site.lists[l.list].enterprises[l.n - 1].district_order;
    }
    for (_, _, name) in &events {
        if *name != entry.name && !entry.former_names.iter().any(|f| f.name == *name) {
            let renamed = entry
                .renames
                .iter()
                .map(|&ri| &site.renames[ri])
                .find(|r| r.from == *name)
                .map(|r| r.date);
            entry.former_names.push(FormerName {
                name: name.to_string(),
                renamed,
            });
        }
    }
}

fn record(
    site: &Site,
    programme: usize,
    rows: &[(usize, Listing)],
    revoked: &[usize],
) -> Option<Record> {
    let listings: Vec<Listing> = rows
        .iter()
        .filter(|(p, _)| *p == programme)
        .map(|(_, l)| *l)
        .collect();
    if listings.is_empty() {
        return None;
    }
    let mut grants = Vec::new();
    let mut publicity = Vec::new();
    for l in listings.iter().filter(|l| !l.withdrawn) {
        let list = &site.lists[l.list];
        match (list.stage, &list.announcement, &list.publicity) {
            (Stage::Announced, Some(a), _) => grants.push(Grant {
                announced: a.date,
                from: a.valid_from,
                until: a.valid_until,
            }),
            (Stage::Publicity, _, Some(p)) => publicity.push(OnPublicity {
                start: p.start,
                end: p.end,
            }),
            _ => {}
        }
    }
    let revocations: Vec<usize> = revoked
        .iter()
        .copied()
        .filter(|&ri| site.revocations[ri].programme == programme)
        .collect();
    let dates: Vec<NaiveDate> = revocations
        .iter()
        .map(|&ri| site.revocations[ri].date)
        .collect();
    let months = site.programmes[programme].expiry_warning_months;
    grants.sort_by_key(|g| (g.announced, g.from));
    let grant = honour::current(&grants, site.today);
    let status = honour::status(&grants, &dates, &publicity, site.today, months);
    Some(Record {
        programme,
        status,
        grants,
        grant,
        warning_from: grant
            .and_then(|g| g.until)
            .and_then(|u| honour::warning_from(u, months)),
        listings,
        revocations,
    })
}
