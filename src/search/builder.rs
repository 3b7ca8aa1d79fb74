//! Builds the index files from records already in result order.
//!
//! Two structures answer every query exactly:
//! - a **suffix table**: every suffix of every normalised name, and every credit code
//!   (behind the sentinel `\u{1}`), sorted, front-coded into pages of `page` entries, with a
//!   two-level directory of page first keys. A query's matches are one contiguous range,
//!   so a query with few matches downloads one or two small pages.
//! - **postings** for every *heavy* term (a substring or code prefix found in more than
//!   `threshold` records), in record order, split into blocks of `block` entries, so the
//!   first page of a common term needs only its first block. Heavy terms are the
//!   LCP intervals of the suffix table: all terms of one interval share one posting.
//!
//! Both carry each record's district, so the district filter needs no record payloads.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::format::{put_varint, shard_hash};
use super::normalize::{code_key, name_key};

/// Marks credit-code keys in the suffix table (names never contain control characters).
pub const CODE_SENTINEL: char = '\u{1}';

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Terms in more records than this get a posting; fewer are answered by the table.
    pub threshold: usize,
    /// Record ids per posting block.
    pub block: usize,
    /// Suffix-table entries per page.
    pub page: usize,
    /// Page keys per directory file.
    pub dir: usize,
    /// Records per payload chunk.
    pub chunk: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threshold: 1000,
            block: 2048,
            page: 512,
            dir: 256,
            chunk: 16,
        }
    }
}

/// One row of one list, in result order.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub district: u16,
    pub withdrawn: bool,
}

/// Where a posting lives: node number, distinct records, blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NodeRef(pub u32, pub u32, pub u32);

#[derive(Debug, Default)]
pub struct Built {
    /// Paths relative to the index folder.
    pub files: BTreeMap<String, Vec<u8>>,
    pub dbits: u32,
    pub shards: u32,
    /// First key of each directory file.
    pub top: Vec<String>,
    pub pages: usize,
    pub districts: Vec<NodeRef>,
    pub terms: usize,
    pub nodes: usize,
}

/// Bits that hold a district number in packed entries.
pub fn district_bits(districts: usize) -> u32 {
    let mut bits = 1;
    while (1usize << bits) < districts.max(2) {
        bits += 1;
    }
    bits
}

struct Keys {
    chars: Vec<u32>,
    /// Key k spans `chars[start[k]..start[k + 1]]`; keys 0..n are names, n..2n codes.
    start: Vec<u32>,
    n: usize,
}

impl Keys {
    fn new(records: &[Record]) -> Keys {
        let per: Vec<Vec<u32>> = records
            .par_iter()
            .map(|r| name_key(r.name).into_iter().map(u32::from).collect())
            .chain(records.par_iter().map(|r| {
                std::iter::once(CODE_SENTINEL)
                    .chain(code_key(r.code))
                    .map(u32::from)
                    .collect()
            }))
            .collect();
        let mut start = Vec::with_capacity(per.len() + 1);
        let mut chars = Vec::with_capacity(per.iter().map(Vec::len).sum());
        for k in &per {
            start.push(chars.len() as u32);
            chars.extend_from_slice(k);
        }
        start.push(chars.len() as u32);
        Keys {
            chars,
            start,
            n: records.len(),
        }
    }
    fn suffix(&self, e: &Entry) -> &[u32] {
        let s = self.start[e.key as usize] as usize + e.pos as usize;
        &self.chars[s..self.start[e.key as usize + 1] as usize]
    }
    fn record(&self, e: &Entry) -> usize {
        let k = e.key as usize;
        if k >= self.n {
            k - self.n
        } else {
            k
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// First three characters (21 bits each), so most comparisons are one integer compare.
    prefix: u64,
    key: u32,
    pos: u32,
}

fn prefix_of(s: &[u32]) -> u64 {
    let c = |i: usize| u64::from(s.get(i).copied().unwrap_or(0) & 0x1f_ffff);
    (c(0) << 42) | (c(1) << 21) | c(2)
}

fn lcp(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn chars_to_string(s: &[u32]) -> String {
    s.iter().filter_map(|&c| char::from_u32(c)).collect()
}

/// Builds every index file for `records` (`districts` = number of districts).
pub fn build(records: &[Record], districts: usize, opt: Options) -> Built {
    let opt = Options {
        threshold: opt.threshold.max(1),
        block: opt.block.max(1),
        page: opt.page.max(1),
        dir: opt.dir.max(1),
        chunk: opt.chunk.max(1),
    };
    let dbits = district_bits(districts);
    let timing = std::env::var_os("GAZETTE_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        if timing {
            eprintln!("  search {what}: {:.2}s", t0.elapsed().as_secs_f64());
        }
    };
    let keys = Keys::new(records);
    let n = records.len();
    lap("normalised keys");

    // Every suffix of every name; every whole code.
    let mut entries: Vec<Entry> = (0..n)
        .into_par_iter()
        .flat_map_iter(|k| {
            let len = keys.start[k + 1] - keys.start[k];
            let keys = &keys;
            (0..len).map(move |pos| {
                let s = keys.start[k] as usize + pos as usize;
                Entry {
                    prefix: prefix_of(&keys.chars[s..keys.start[k + 1] as usize]),
                    key: k as u32,
                    pos,
                }
            })
        })
        .chain((n..2 * n).into_par_iter().map(|k| Entry {
            prefix: prefix_of(&keys.chars[keys.start[k] as usize..keys.start[k + 1] as usize]),
            key: k as u32,
            pos: 0,
        }))
        .collect();
    lap("entries");
    // Sort by the packed first three characters (cheap integer compares), then order each
    // run of equal prefixes by the rest of the key and the position.
    entries.par_sort_unstable_by_key(|e| e.prefix);
    let mut runs: Vec<&mut [Entry]> = Vec::new();
    let mut rest: &mut [Entry] = &mut entries;
    while !rest.is_empty() {
        let p = rest[0].prefix;
        let len = rest.iter().take_while(|e| e.prefix == p).count();
        let (run, tail) = rest.split_at_mut(len);
        if len > 1 {
            runs.push(run);
        }
        rest = tail;
    }
    runs.par_iter_mut().for_each(|run| {
        run.sort_unstable_by(|a, b| {
            let (sa, sb) = (keys.suffix(a), keys.suffix(b));
            sa[sa.len().min(3)..]
                .cmp(&sb[sb.len().min(3)..])
                .then(a.key.cmp(&b.key))
                .then(a.pos.cmp(&b.pos))
        })
    });
    lap("sorted suffixes");
    let lcps: Vec<u32> = (0..entries.len())
        .into_par_iter()
        .map(|i| {
            if i == 0 {
                0
            } else {
                lcp(keys.suffix(&entries[i - 1]), keys.suffix(&entries[i])) as u32
            }
        })
        .collect();

    // LCP intervals with more than `threshold` entries (candidates for heavy terms).
    let mut intervals: Vec<(u32, u32, usize, usize)> = Vec::new();
    let mut stack: Vec<(u32, usize)> = vec![(0, 0)];
    for (i, &l) in lcps.iter().chain(std::iter::once(&0)).enumerate().skip(1) {
        let mut lb = i - 1;
        while let Some(&(top_l, top_lb)) = stack.last() {
            if l >= top_l {
                break;
            }
            stack.pop();
            let parent = l.max(stack.last().map_or(0, |t| t.0));
            if i - top_lb > opt.threshold {
                intervals.push((top_l, parent, top_lb, i - 1));
            }
            lb = top_lb;
        }
        if l > stack.last().map_or(0, |t| t.0) {
            stack.push((l, lb));
        }
    }
    intervals.sort_unstable_by_key(|&(l, _, lb, _)| (lb, std::cmp::Reverse(l)));

    lap("intervals");
    let district_of = |r: usize| records[r].district;
    // Postings of heavy intervals: distinct records, in record order.
    let postings: Vec<Option<(Vec<u32>, Vec<String>)>> = intervals
        .par_iter()
        .map(|&(l, parent, lb, rb)| {
            let first = keys.suffix(&entries[lb]);
            let is_code = first.first() == Some(&u32::from(CODE_SENTINEL));
            let min_len = if is_code { 5 } else { 1 };
            let from = (parent as usize + 1).max(min_len);
            if from > l as usize {
                return None;
            }
            let mut recs: Vec<u32> = entries[lb..=rb]
                .iter()
                .map(|e| keys.record(e) as u32)
                .collect();
            recs.sort_unstable();
            recs.dedup();
            if recs.len() <= opt.threshold {
                return None;
            }
            let terms = (from..=l as usize)
                .map(|k| chars_to_string(&first[..k]))
                .collect();
            Some((recs, terms))
        })
        .collect();

    lap("postings");
    let mut built = Built {
        dbits,
        ..Built::default()
    };
    let mut nodes: Vec<Vec<u32>> = Vec::new();
    let mut dict: BTreeMap<String, NodeRef> = BTreeMap::new();
    for (recs, terms) in postings.into_iter().flatten() {
        let node = NodeRef(
            nodes.len() as u32,
            recs.len() as u32,
            recs.len().div_ceil(opt.block) as u32,
        );
        for t in terms {
            dict.insert(t, node);
        }
        nodes.push(recs);
    }
    built.terms = dict.len();
    // Every district's rows, as postings too (district queries and filters).
    let mut by_district: Vec<Vec<u32>> = vec![Vec::new(); districts];
    for (r, rec) in records.iter().enumerate() {
        if let Some(v) = by_district.get_mut(rec.district as usize) {
            v.push(r as u32);
        }
    }
    for recs in by_district {
        built.districts.push(NodeRef(
            nodes.len() as u32,
            recs.len() as u32,
            recs.len().div_ceil(opt.block) as u32,
        ));
        nodes.push(recs);
    }
    built.nodes = nodes.len();

    let mut files: Vec<(String, Vec<u8>)> = nodes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(id, recs)| posting_files(id, recs, &district_of, dbits, opt.block))
        .collect();

    // Dictionary shards: about 256 terms each, a power of two so JS can mask.
    let mut shards = 1u32;
    while (shards as usize) * 256 < dict.len() {
        shards *= 2;
    }
    built.shards = shards;
    let mut shard_maps: Vec<BTreeMap<&str, NodeRef>> = vec![BTreeMap::new(); shards as usize];
    for (t, node) in &dict {
        shard_maps[(shard_hash(t) & (shards - 1)) as usize].insert(t, *node);
    }
    for (i, m) in shard_maps.iter().enumerate() {
        files.push((
            format!("d/{i}.json"),
            serde_json::to_vec(m).unwrap_or_default(),
        ));
    }

    // Suffix-table pages and directories.
    let pages: Vec<&[Entry]> = entries.chunks(opt.page).collect();
    built.pages = pages.len();
    files.par_extend(pages.par_iter().enumerate().map(|(p, page)| {
        let mut out = Vec::with_capacity(page.len() * 6);
        let mut prev: &[u32] = &[];
        for e in page.iter() {
            let s = keys.suffix(e);
            let l = lcp(prev, s);
            put_varint(&mut out, l as u64);
            put_varint(&mut out, (s.len() - l) as u64);
            for &c in &s[l..] {
                put_varint(&mut out, u64::from(c));
            }
            let r = keys.record(e);
            put_varint(
                &mut out,
                ((r as u64) << dbits) | u64::from(records[r].district),
            );
            prev = s;
        }
        (format!("s/{p}.bin"), out)
    }));
    let first_keys: Vec<String> = pages
        .iter()
        .map(|p| chars_to_string(keys.suffix(&p[0])))
        .collect();
    for (k, group) in first_keys.chunks(opt.dir).enumerate() {
        built.top.push(group[0].clone());
        files.push((
            format!("t/{k}.json"),
            serde_json::to_vec(group).unwrap_or_default(),
        ));
    }

    // Record payloads: [name, code, district, withdrawn] per record.
    files.par_extend(records.par_chunks(opt.chunk).enumerate().map(|(k, chunk)| {
        let rows: Vec<(&str, &str, u16, u8)> = chunk
            .iter()
            .map(|r| (r.name, r.code, r.district, u8::from(r.withdrawn)))
            .collect();
        (
            format!("r/{k}.json"),
            serde_json::to_vec(&rows).unwrap_or_default(),
        )
    }));
    built.files = files.into_iter().collect();
    lap("files");
    built
}

/// Blocks of one posting (`n/<node>/<block>.bin`) and, when there are several, the head
/// listing each block's first record (`n/<node>/h.bin`). Entries are varints of
/// `(record delta << dbits) | district`; the first of each block is absolute.
fn posting_files(
    node: usize,
    recs: &[u32],
    district_of: &(dyn Fn(usize) -> u16 + Sync),
    dbits: u32,
    block: usize,
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut head = Vec::new();
    let mut prev_first = 0u64;
    for (b, chunk) in recs.chunks(block).enumerate() {
        let mut out = Vec::with_capacity(chunk.len() * 2);
        let mut prev = 0u64;
        for (i, &r) in chunk.iter().enumerate() {
            let r = u64::from(r);
            let delta = if i == 0 { r } else { r - prev };
            put_varint(
                &mut out,
                (delta << dbits) | u64::from(district_of(r as usize)),
            );
            prev = r;
        }
        let first = u64::from(chunk[0]);
        put_varint(&mut head, first - prev_first);
        prev_first = first;
        files.push((format!("n/{node}/{b}.bin"), out));
    }
    if files.len() > 1 {
        files.push((format!("n/{node}/h.bin"), head));
    }
    files
}
