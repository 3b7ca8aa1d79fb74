//! Builds the index files from records already in result order.
//!
//! Two structures answer every query exactly:
//! - a **suffix table**: every suffix of every normalised name, and every credit code
//!   (behind the sentinel `\u{1}`), sorted, front-coded into pages of `page` entries, with a
//!   two-level directory of page first keys. A query's matches are one contiguous range,
//!   so a query with few matches downloads one or two pages.
//! - **postings** for every *heavy* term (a substring or code prefix found in more than
//!   `threshold` records), in record order, split into blocks (a small first block, then
//!   larger ones), so the first page of a common term needs only its first block. Heavy
//!   terms are the LCP intervals of the sorted suffixes: all terms of one interval share
//!   one posting. A suffix that is itself a heavy term is left out of the table: every
//!   query that would reach it is answered by a posting.
//!
//! Both carry each record's district, so the district filter needs no record payloads.
//!
//! Speed: keys are one flat array of character *ranks* (dense, order-preserving), suffixes
//! are bucketed by their first character and each bucket is sorted in parallel on packed
//! 96-bit prefixes (about seven characters per integer compare), refining only groups
//! whose packed prefixes tie. No per-suffix allocation.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::format::{put_varint, shard_hash};
use super::normalize::push_key;

/// Marks credit-code keys in the suffix table (names never contain control characters).
pub(crate) const CODE_SENTINEL: char = '\u{1}';

#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Terms in more records than this get a posting; fewer are answered by the table.
    pub threshold: usize,
    /// Record ids in the first block of a posting (what a first page of results reads).
    pub block: usize,
    /// Record ids in each later block (read only when paging far or filtering).
    pub tail_block: usize,
    /// Suffix-table entries per page.
    pub page: usize,
    /// Page keys per directory file.
    pub dir: usize,
    /// Records per payload chunk.
    pub chunk: usize,
    /// Characters of a suffix the table keeps. Longer queries look up their first `key`
    /// characters and are checked against the names, so that the index grows with the
    /// total length of the names, never with the square of one name's length.
    pub key: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threshold: 1000,
            block: 2048,
            tail_block: 16384,
            page: 512,
            dir: 256,
            chunk: 32,
            key: 32,
        }
    }
}

/// One row of one list, in result order.
#[derive(Debug, Clone)]
pub(crate) struct Record<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub district: u16,
    pub withdrawn: bool,
}

/// Where a posting lives: node number, distinct records, blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct NodeRef(pub u32, pub u32, pub u32);

#[derive(Debug, Default)]
pub(crate) struct Built {
    /// (path relative to the index folder, bytes), in a fixed order.
    pub files: Vec<(String, Vec<u8>)>,
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
pub(crate) fn district_bits(districts: usize) -> u32 {
    let mut bits = 1;
    while (1usize << bits) < districts.max(2) {
        bits += 1;
    }
    bits
}

/// Ends each key in the text: the high bit, plus the key number in the low bits. It never
/// equals a character rank or another key's end, so comparisons stop there.
const END: u32 = 0x8000_0000;

/// Every key as character ranks, names (keys 0..n) then codes (keys n..2n).
struct Text {
    t: Vec<u32>,
    /// Code point of each rank; rank 0 means "end of key" when packing.
    cp: Vec<u32>,
    /// Bits of one packed rank.
    bits: u32,
    /// Where the code keys start in `t`.
    codes_at: usize,
    n: usize,
    /// Offset of the first character of every key (names, then codes), for `record`.
    starts: Vec<u32>,
    /// Characters of a suffix that count (`Options::key`).
    key: usize,
}

impl Text {
    fn new(records: &[Record], key: usize) -> Text {
        const CHUNK: usize = 4096;
        let n = records.len();
        assert!(
            n < (END as usize) / 2,
            "search index: too many records ({n})"
        );
        let part = |upper: bool, base: usize| {
            records
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, rs)| {
                    let mut out = Vec::with_capacity(rs.len() * 20);
                    for (i, r) in rs.iter().enumerate() {
                        if upper {
                            out.push(u32::from(CODE_SENTINEL));
                            push_key(r.code, true, &mut out);
                        } else {
                            push_key(r.name, false, &mut out);
                        }
                        out.push(END | (base + c * CHUNK + i) as u32);
                    }
                    out
                })
                .collect::<Vec<Vec<u32>>>()
        };
        let (names, codes) = rayon::join(|| part(false, 0), || part(true, n));
        let names_len: usize = names.iter().map(Vec::len).sum();
        let total = names_len + codes.iter().map(Vec::len).sum::<usize>();
        assert!(
            total < u32::MAX as usize,
            "search index: names too long in total ({total} characters)"
        );
        let mut t = Vec::with_capacity(total);
        for p in names.into_iter().chain(codes) {
            t.extend_from_slice(&p);
        }

        // Dense ranks in code-point order, so rank order is character order.
        const WORDS: usize = 0x11_0000 / 64;
        let seen = t
            .par_chunks(1 << 16)
            .fold(
                || vec![0u64; WORDS],
                |mut s, chunk| {
                    for &c in chunk {
                        if c & END == 0 {
                            s[c as usize / 64] |= 1 << (c % 64);
                        }
                    }
                    s
                },
            )
            .reduce(
                || vec![0u64; WORDS],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x |= y);
                    a
                },
            );
        let mut cp = vec![0u32];
        let mut rank_of = vec![0u32; 0x11_0000];
        for (w, &word) in seen.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let c = w * 64 + bits.trailing_zeros() as usize;
                rank_of[c] = cp.len() as u32;
                cp.push(c as u32);
                bits &= bits - 1;
            }
        }
        t.par_chunks_mut(1 << 16).for_each(|chunk| {
            for c in chunk {
                if *c & END == 0 {
                    *c = rank_of[*c as usize];
                }
            }
        });
        let mut bits = 1;
        while (1usize << bits) < cp.len() {
            bits += 1;
        }
        let mut starts = Vec::with_capacity(2 * n);
        let mut at_start = true;
        for (o, &c) in t.iter().enumerate() {
            if at_start {
                starts.push(o as u32);
            }
            at_start = c & END != 0;
        }
        Text {
            t,
            cp,
            bits,
            codes_at: names_len,
            n,
            starts,
            key: key.max(1),
        }
    }

    /// Characters of the suffix at `o`: up to its key's end, at most `key` of them.
    fn suffix(&self, o: u32) -> &[u32] {
        let s = &self.t[o as usize..];
        let s = &s[..s.len().min(self.key)];
        let len = s.iter().position(|&c| c & END != 0).unwrap_or(s.len());
        &s[..len]
    }

    /// The record the suffix at `o` belongs to (a binary search: scanning to the key's
    /// end would cost the length of the name for every suffix).
    fn record(&self, o: u32) -> u32 {
        let key = self.starts.partition_point(|&s| s <= o).saturating_sub(1);
        (if key >= self.n { key - self.n } else { key }) as u32
    }

    fn to_string(&self, s: &[u32]) -> String {
        s.iter()
            .filter_map(|&r| char::from_u32(self.cp[r as usize]))
            .collect()
    }

    /// Up to `k` ranks from `o` packed big-endian (0 after the key's end, and after `left`
    /// more characters).
    fn pack(&self, mut o: usize, k: u32, left: usize) -> u128 {
        let mut v = 0u128;
        let mut ended = false;
        for i in 0..k {
            v <<= self.bits;
            if i as usize >= left {
                ended = true;
            }
            if !ended {
                let c = self.t[o];
                if c & END != 0 {
                    ended = true;
                } else {
                    v |= u128::from(c);
                    o += 1;
                }
            }
        }
        v
    }
}

/// Sorts suffixes (text offsets) that share their first `depth` characters, by the rest,
/// then by offset (identical suffixes stay in record order): packed prefixes first, then
/// each group of equal, full packs by the next characters.
fn sort_suffixes(text: &Text, run: &mut [u32], depth: usize) {
    let k = 96 / text.bits;
    let mut keys: Vec<u128> = Vec::with_capacity(run.len());
    for &o in run.iter() {
        keys.push((text.pack(o as usize + depth, k, text.key - depth) << 32) | u128::from(o));
    }
    if keys.len() > 1 << 16 {
        keys.par_sort_unstable();
    } else {
        keys.sort_unstable();
    }
    for (slot, key) in run.iter_mut().zip(&keys) {
        *slot = *key as u32;
    }
    let last_slot = (1u128 << text.bits) - 1;
    let mut groups = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let p = keys[i] >> 32;
        let mut j = i + 1;
        while j < keys.len() && keys[j] >> 32 == p {
            j += 1;
        }
        if j - i > 1 && p & last_slot != 0 && depth + (k as usize) < text.key {
            groups.push((i, j));
        }
        i = j;
    }
    drop(keys);
    for (i, j) in groups {
        sort_suffixes(text, &mut run[i..j], depth + k as usize);
    }
}

/// Every suffix of every name and every whole code, sorted.
fn sorted_suffixes(text: &Text) -> Vec<u32> {
    let t = &text.t;
    let starts = |o: usize| o < text.codes_at || t[o - 1] & END != 0;
    let mut count = vec![0usize; text.cp.len() + 1];
    let mut entries = 0usize;
    for (o, &c) in t.iter().enumerate() {
        if c & END == 0 && starts(o) {
            count[c as usize + 1] += 1;
            entries += 1;
        }
    }
    for r in 1..count.len() {
        count[r] += count[r - 1];
    }
    let bounds = count.clone();
    let mut order = vec![0u32; entries];
    for (o, &c) in t.iter().enumerate() {
        if c & END == 0 && starts(o) {
            order[count[c as usize]] = o as u32;
            count[c as usize] += 1;
        }
    }
    let mut buckets: Vec<&mut [u32]> = Vec::with_capacity(text.cp.len());
    let mut rest: &mut [u32] = &mut order;
    for w in bounds.windows(2) {
        let (b, tail) = rest.split_at_mut(w[1] - w[0]);
        if b.len() > 1 {
            buckets.push(b);
        }
        rest = tail;
    }
    // Largest first, so the two cores finish together.
    buckets.sort_by_key(|b| std::cmp::Reverse(b.len()));
    buckets
        .into_par_iter()
        .with_max_len(1)
        .for_each(|b| sort_suffixes(text, b, 0));
    order
}

/// Common prefix of two suffixes, up to `max` characters.
fn lcp(t: &[u32], a: u32, b: u32, max: usize) -> u32 {
    if a == b {
        return 0;
    }
    let (a, b) = (&t[a as usize..], &t[b as usize..]);
    let mut l = 0;
    while l < max && a[l] == b[l] && a[l] & END == 0 {
        l += 1;
    }
    l as u32
}

/// Distinct values of `recs`, sorted (a bitmap when the run is large against `n`).
fn distinct(recs: impl Iterator<Item = u32> + Clone, len: usize, n: usize) -> Vec<u32> {
    if len * 16 >= n {
        let mut bits = vec![0u64; n.div_ceil(64)];
        for r in recs {
            bits[r as usize / 64] |= 1 << (r % 64);
        }
        let mut out = Vec::new();
        for (w, &word) in bits.iter().enumerate() {
            let mut b = word;
            while b != 0 {
                out.push((w * 64) as u32 + b.trailing_zeros());
                b &= b - 1;
            }
        }
        out
    } else {
        let mut out: Vec<u32> = recs.collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Builds every index file for `records` (`districts` = number of districts), as steps:
/// the normalised text and its sorted suffixes; heavy terms (LCP intervals with more than
/// `threshold` records) become postings and leave the suffix table; then the files: the
/// postings (heavy terms and districts), the dictionary shards, the suffix-table pages and
/// their directory, and the record payloads. Each step frees what the next does not need.
pub(crate) fn build(records: &[Record], districts: usize, opt: Options) -> Built {
    let opt = Options {
        threshold: opt.threshold.max(1),
        block: opt.block.max(1),
        tail_block: opt.tail_block.max(1),
        page: opt.page.max(1),
        dir: opt.dir.max(1),
        chunk: opt.chunk.max(1),
        key: opt.key.max(1),
    };
    let dbits = district_bits(districts);
    let t0 = std::time::Instant::now();
    // Laps from the start of the index build (cumulative), under `GAZETTE_TIMINGS`.
    let lap = |what: &str| crate::timings::record(&format!("  search {what}"), t0);
    let text = Text::new(records, opt.key);
    lap("normalised keys");
    let mut order = sorted_suffixes(&text);
    lap("sorted suffixes");
    let (lcps, mut recs) = suffix_records(&text, &order);
    let intervals = heavy_intervals(lcps, opt.threshold);
    lap("intervals");
    let postings = heavy_postings(
        &text,
        &order,
        &recs,
        &intervals,
        records.len(),
        opt.threshold,
    );
    drop_heavy_suffixes(&text, &mut order, &mut recs, &intervals, &postings);
    lap("postings");

    let mut built = Built {
        dbits,
        ..Built::default()
    };
    let (nodes, dict) = posting_nodes(postings, records, districts, &opt, &mut built);
    // Districts in one small array: looked up once per table and posting entry.
    let district: Vec<u16> = records.par_iter().map(|r| r.district).collect();
    let district_of = |r: u32| district[r as usize];
    let mut files: Vec<(String, Vec<u8>)> = nodes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(id, ids)| posting_files(id, ids, &district_of, dbits, &opt))
        .collect();
    drop(nodes);
    dictionary_shards(&dict, &mut built, &mut files);
    suffix_pages(
        &text,
        &order,
        &recs,
        &district_of,
        &opt,
        &mut built,
        &mut files,
    );
    drop(order);
    drop(recs);
    drop(text);
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
    built.files = files;
    lap("files");
    built
}

/// One pass over the sorted suffixes: each one's LCP with the previous, and its record.
fn suffix_records(text: &Text, order: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let t = &text.t;
    order
        .par_chunks(1 << 14)
        .enumerate()
        .flat_map_iter(|(c, chunk)| {
            let at = c << 14;
            (0..chunk.len()).map(move |j| {
                let i = at + j;
                let l = if i == 0 {
                    0
                } else {
                    lcp(t, order[i - 1], order[i], text.key)
                };
                (l, text.record(order[i]))
            })
        })
        .unzip()
}

/// LCP intervals `(lcp, parent lcp, first, last)` with more than `threshold` entries
/// (candidates for heavy terms), ordered by first entry, longest first.
fn heavy_intervals(lcps: Vec<u32>, threshold: usize) -> Vec<(u32, u32, usize, usize)> {
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
            if i - top_lb > threshold {
                intervals.push((top_l, parent, top_lb, i - 1));
            }
            lb = top_lb;
        }
        if l > stack.last().map_or(0, |t| t.0) {
            stack.push((l, lb));
        }
    }
    drop(lcps);
    intervals.sort_unstable_by_key(|&(l, _, lb, _)| (lb, std::cmp::Reverse(l)));
    intervals
}

/// Postings of heavy intervals: their distinct records, in record order, and the terms
/// (prefix lengths beyond the parent's) they answer; `None` for an interval that is not
/// heavy after all (few distinct records, or only code fragments shorter than 5).
fn heavy_postings(
    text: &Text,
    order: &[u32],
    recs: &[u32],
    intervals: &[(u32, u32, usize, usize)],
    n: usize,
    threshold: usize,
) -> Vec<Option<(Vec<u32>, Vec<String>)>> {
    let sentinel = u32::from(CODE_SENTINEL);
    intervals
        .par_iter()
        .map(|&(l, parent, lb, rb)| {
            let first = text.suffix(order[lb]);
            let is_code = first.first().map(|&r| text.cp[r as usize]) == Some(sentinel);
            let min_len = if is_code { 5 } else { 1 };
            let from = (parent as usize + 1).max(min_len);
            if from > l as usize {
                return None;
            }
            let ids = distinct(recs[lb..=rb].iter().copied(), rb + 1 - lb, n);
            if ids.len() <= threshold {
                return None;
            }
            let terms = (from..=l as usize)
                .map(|k| text.to_string(&first[..k]))
                .collect();
            Some((ids, terms))
        })
        .collect()
}

/// A suffix that is a heavy term (all of it) is only ever looked up through the posting:
/// it leaves the suffix table.
fn drop_heavy_suffixes(
    text: &Text,
    order: &mut Vec<u32>,
    recs: &mut Vec<u32>,
    intervals: &[(u32, u32, usize, usize)],
    postings: &[Option<(Vec<u32>, Vec<String>)>],
) {
    let mut dropped = vec![false; order.len()];
    for (&(l, _, lb, rb), p) in intervals.iter().zip(postings) {
        if p.is_some() {
            for (i, slot) in dropped.iter_mut().enumerate().take(rb + 1).skip(lb) {
                if text.suffix(order[i]).len() != l as usize {
                    break;
                }
                *slot = true;
            }
        }
    }
    let mut kept = 0;
    for i in 0..order.len() {
        if !dropped[i] {
            order[kept] = order[i];
            recs[kept] = recs[i];
            kept += 1;
        }
    }
    drop(dropped);
    order.truncate(kept);
    recs.truncate(kept);
    order.shrink_to_fit();
    recs.shrink_to_fit();
}

/// Every posting as a node: the heavy terms' (named in the dictionary returned), then each
/// district's rows (district queries and filters); counts go into `built`.
fn posting_nodes(
    postings: Vec<Option<(Vec<u32>, Vec<String>)>>,
    records: &[Record],
    districts: usize,
    opt: &Options,
    built: &mut Built,
) -> (Vec<Vec<u32>>, BTreeMap<String, NodeRef>) {
    let mut nodes: Vec<Vec<u32>> = Vec::new();
    let mut dict: BTreeMap<String, NodeRef> = BTreeMap::new();
    let blocks = |len: usize| {
        if len == 0 {
            0
        } else if len <= opt.block {
            1
        } else {
            1 + (len - opt.block).div_ceil(opt.tail_block)
        }
    };
    for (ids, terms) in postings.into_iter().flatten() {
        let node = NodeRef(
            nodes.len() as u32,
            ids.len() as u32,
            blocks(ids.len()) as u32,
        );
        for term in terms {
            dict.insert(term, node);
        }
        nodes.push(ids);
    }
    built.terms = dict.len();
    let mut by_district: Vec<Vec<u32>> = vec![Vec::new(); districts];
    for (r, rec) in records.iter().enumerate() {
        if let Some(v) = by_district.get_mut(rec.district as usize) {
            v.push(r as u32);
        }
    }
    for ids in by_district {
        built.districts.push(NodeRef(
            nodes.len() as u32,
            ids.len() as u32,
            blocks(ids.len()) as u32,
        ));
        nodes.push(ids);
    }
    built.nodes = nodes.len();
    (nodes, dict)
}

/// Dictionary shards: about 256 terms each, a power of two so JS can mask.
fn dictionary_shards(
    dict: &BTreeMap<String, NodeRef>,
    built: &mut Built,
    files: &mut Vec<(String, Vec<u8>)>,
) {
    let mut shards = 1u32;
    while (shards as usize) * 256 < dict.len() {
        shards *= 2;
    }
    built.shards = shards;
    let mut shard_maps: Vec<BTreeMap<&str, NodeRef>> = vec![BTreeMap::new(); shards as usize];
    for (term, node) in dict {
        shard_maps[(shard_hash(term) & (shards - 1)) as usize].insert(term, *node);
    }
    for (i, m) in shard_maps.iter().enumerate() {
        files.push((
            format!("d/{i}.json"),
            serde_json::to_vec(m).unwrap_or_default(),
        ));
    }
}

/// Suffix-table pages (each suffix front-coded against the previous, with its record and
/// district) and their directory: every page's first key, `dir` pages to a file.
fn suffix_pages<D: Fn(u32) -> u16 + Sync>(
    text: &Text,
    order: &[u32],
    recs: &[u32],
    district_of: &D,
    opt: &Options,
    built: &mut Built,
    files: &mut Vec<(String, Vec<u8>)>,
) {
    let dbits = built.dbits;
    let pages: Vec<(&[u32], &[u32])> = order.chunks(opt.page).zip(recs.chunks(opt.page)).collect();
    built.pages = pages.len();
    files.par_extend(pages.par_iter().enumerate().map(|(p, (offsets, rs))| {
        let mut out = Vec::with_capacity(offsets.len() * 12);
        let mut prev: &[u32] = &[];
        for (&o, &r) in offsets.iter().zip(rs.iter()) {
            let s = text.suffix(o);
            let l = s.iter().zip(prev).take_while(|(x, y)| x == y).count();
            put_varint(&mut out, l as u64);
            put_varint(&mut out, (s.len() - l) as u64);
            for &c in &s[l..] {
                put_varint(&mut out, u64::from(text.cp[c as usize]));
            }
            put_varint(
                &mut out,
                (u64::from(r) << dbits) | u64::from(district_of(r)),
            );
            prev = s;
        }
        (format!("s/{p}.bin"), out)
    }));
    let first_keys: Vec<String> = pages
        .iter()
        .map(|(offsets, _)| text.to_string(text.suffix(offsets[0])))
        .collect();
    for (k, group) in first_keys.chunks(opt.dir).enumerate() {
        built.top.push(group[0].clone());
        files.push((
            format!("t/{k}.json"),
            serde_json::to_vec(group).unwrap_or_default(),
        ));
    }
}

/// Blocks of one posting (`n/<node>/<block>.bin`: `block` ids, then `tail_block` ids
/// each) and, when there are several, the head listing each block's first record
/// (`n/<node>/h.bin`). Entries are varints of `(record delta << dbits) | district`; the
/// first of each block is absolute.
fn posting_files(
    node: usize,
    ids: &[u32],
    district_of: &(dyn Fn(u32) -> u16 + Sync),
    dbits: u32,
    opt: &Options,
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut head = Vec::new();
    let mut prev_first = 0u64;
    let (first, tail) = ids.split_at(ids.len().min(opt.block));
    let chunks = std::iter::once(first)
        .filter(|c| !c.is_empty())
        .chain(tail.chunks(opt.tail_block));
    for (b, chunk) in chunks.enumerate() {
        let mut out = Vec::with_capacity(chunk.len() * 2);
        let mut prev = 0u64;
        for (i, &r) in chunk.iter().enumerate() {
            let r64 = u64::from(r);
            let delta = if i == 0 { r64 } else { r64 - prev };
            put_varint(&mut out, (delta << dbits) | u64::from(district_of(r)));
            prev = r64;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Names over a large alphabet (so few characters fit in one packed integer) with
    /// long shared tails and repeats: the sort must equal a plain comparison sort.
    #[test]
    fn suffix_sort_equals_naive_sort() {
        let mut rng = crate::rng::Rng::new(7, 0);
        let mut rnd = |k: u64| rng.below(k as usize) as u64;
        let tails = [
            "科技有限公司",
            "科技有限公司科技有限公司",
            "",
            "aaaaaaaaaaaaaaaaaaaaaaa",
        ];
        let mut owned = Vec::new();
        for i in 0..600 {
            let len = rnd(12);
            let mut name: String = (0..len)
                .map(|_| char::from_u32(0x4E00 + rnd(9000) as u32).unwrap())
                .collect();
            name.push_str(tails[i % tails.len()]);
            owned.push((name, format!("9121020{:011}", rnd(1000))));
        }
        let records: Vec<Record> = owned
            .iter()
            .map(|(n, c)| Record {
                name: n,
                code: c,
                district: 0,
                withdrawn: false,
            })
            .collect();
        let text = Text::new(&records, usize::MAX);
        assert!(96 / text.bits <= 8, "the alphabet must force refinement");
        let got = sorted_suffixes(&text);
        let mut want: Vec<u32> = (0..text.t.len() as u32)
            .filter(|&o| {
                let o = o as usize;
                text.t[o] & END == 0 && (o < text.codes_at || text.t[o - 1] & END != 0)
            })
            .collect();
        want.sort_by(|&a, &b| text.suffix(a).cmp(text.suffix(b)).then(a.cmp(&b)));
        assert_eq!(got, want);
    }

    /// With a short key, suffixes compare on their first `key` characters only (then by
    /// offset), and a long repeated name costs `key` characters per suffix, not its length.
    #[test]
    fn suffixes_are_sorted_on_their_first_key_characters() {
        let names = ["ababababababab", "abababxyz", "zzzzzzzzzzzzzzzzzzzz", "ab"];
        let owned: Vec<(String, String)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), format!("91210202MA{i:07}X")))
            .collect();
        let records: Vec<Record> = owned
            .iter()
            .map(|(n, c)| Record {
                name: n,
                code: c,
                district: 0,
                withdrawn: false,
            })
            .collect();
        let text = Text::new(&records, 5);
        let got = sorted_suffixes(&text);
        assert!(got.iter().all(|&o| text.suffix(o).len() <= 5));
        let mut want = got.clone();
        want.sort_by(|&a, &b| text.suffix(a).cmp(text.suffix(b)).then(a.cmp(&b)));
        assert_eq!(got, want);
        for &o in &got {
            let r = text.record(o) as usize;
            let key: String = text.to_string(text.suffix(o));
            let key = key.trim_start_matches(CODE_SENTINEL);
            assert!(
                names[r].contains(key) || owned[r].1.starts_with(key),
                "suffix {key} is not of record {r}"
            );
        }
    }

    /// An index of one huge name stays linear in its length.
    #[test]
    fn one_huge_name_costs_linear_space() {
        let name: String = (0..30_000u32)
            .map(|i| char::from_u32(0x4E00 + (i * 7919) % 20_000).unwrap())
            .collect();
        let code = "91210202MA0000001X".to_string();
        let records = [Record {
            name: &name,
            code: &code,
            district: 0,
            withdrawn: false,
        }];
        let built = build(&records, 1, Options::default());
        let bytes: usize = built.files.iter().map(|f| f.1.len()).sum();
        assert!(
            bytes < 30_000 * 200,
            "{bytes} bytes for a 30,000-character name"
        );
    }
}
