//! A Rust reader of the index files that follows `search.js` step for step, so the format
//! and the query plan can be checked against brute force without a browser.

use std::collections::BTreeMap;

use super::builder::{self, NodeRef, Options, Record, CODE_SENTINEL};
use super::format::{get_varint, shard_hash};
use super::normalize::{code_key, name_key};

pub(crate) struct Reader<'a> {
    pub built: &'a builder::Built,
    pub opt: Options,
    pub district_keys: Vec<Vec<char>>,
}

pub(crate) struct Answer {
    pub total: usize,
    pub exact: bool,
    pub ids: Vec<u32>,
}

enum Source {
    /// All matches already known (suffix-table range, or filter ranges).
    Ready(Vec<(u32, u16)>),
    Posting(NodeRef),
}

impl Reader<'_> {
    fn file(&self, path: &str) -> &[u8] {
        self.built
            .files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.as_slice())
            .unwrap_or_else(|| panic!("missing index file {path}"))
    }

    fn json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        serde_json::from_slice(self.file(path)).expect("valid JSON")
    }

    fn term(&self, key: &[char]) -> Source {
        if key.len() > self.opt.key {
            // The table keeps `key` characters: find those, then check the whole query
            // against each candidate's name (or code), as search.js does.
            let candidates = match self.term(&key[..self.opt.key]) {
                Source::Ready(v) => v,
                Source::Posting(n) => (0..n.2).flat_map(|b| self.block(n, b)).collect(),
            };
            let code = key.first() == Some(&CODE_SENTINEL);
            return Source::Ready(
                candidates
                    .into_iter()
                    .filter(|&(r, _)| {
                        let (name, c) = self.payload(r);
                        if code {
                            c.chars().collect::<Vec<_>>().starts_with(&key[1..])
                        } else {
                            name_key(&name).windows(key.len()).any(|w| w == key)
                        }
                    })
                    .collect(),
            );
        }
        let key_s: String = key.iter().collect();
        let shard = shard_hash(&key_s) & (self.built.shards - 1);
        let dict: BTreeMap<String, NodeRef> = self.json(&format!("d/{shard}.json"));
        match dict.get(&key_s) {
            Some(node) => Source::Posting(*node),
            None => Source::Ready(self.range(key)),
        }
    }

    /// Name and code of record `r`, from its payload chunk.
    fn payload(&self, r: u32) -> (String, String) {
        let chunk: Vec<(String, String, u16, u8)> =
            self.json(&format!("r/{}.json", r as usize / self.opt.chunk));
        let row = &chunk[r as usize % self.opt.chunk];
        (row.0.clone(), row.1.clone())
    }

    /// All (record, district) whose table key starts with `q`, in record order.
    fn range(&self, q: &[char]) -> Vec<(u32, u16)> {
        let q: Vec<u32> = q.iter().map(|&c| u32::from(c)).collect();
        let as_u32 = |s: &str| s.chars().map(u32::from).collect::<Vec<u32>>();
        let top: Vec<Vec<u32>> = self.built.top.iter().map(|s| as_u32(s)).collect();
        if top.is_empty() {
            return Vec::new();
        }
        let k = top
            .iter()
            .rposition(|t| t.as_slice() < q.as_slice())
            .unwrap_or(0);
        let mut dirs: BTreeMap<usize, Vec<Vec<u32>>> = BTreeMap::new();
        let mut dir_keys = |d: usize| -> Vec<Vec<u32>> {
            dirs.entry(d)
                .or_insert_with(|| {
                    let v: Vec<String> = self.json(&format!("t/{d}.json"));
                    v.iter().map(|s| as_u32(s)).collect()
                })
                .clone()
        };
        let keys = dir_keys(k);
        let mut page = k * self.opt.dir
            + keys
                .iter()
                .rposition(|t| t.as_slice() < q.as_slice())
                .unwrap_or(0);
        let mut out = Vec::new();
        'pages: loop {
            let bytes = self.file(&format!("s/{page}.bin"));
            let mut pos = 0;
            let mut key: Vec<u32> = Vec::new();
            while pos < bytes.len() {
                let l = get_varint(bytes, &mut pos).expect("lcp") as usize;
                let rest = get_varint(bytes, &mut pos).expect("len") as usize;
                key.truncate(l);
                for _ in 0..rest {
                    key.push(get_varint(bytes, &mut pos).expect("char") as u32);
                }
                let v = get_varint(bytes, &mut pos).expect("record");
                if key.starts_with(&q) {
                    out.push((
                        (v >> self.built.dbits) as u32,
                        (v & ((1 << self.built.dbits) - 1)) as u16,
                    ));
                } else if key.as_slice() > q.as_slice() {
                    break 'pages;
                }
            }
            page += 1;
            if page >= self.built.pages {
                break;
            }
            let next = if page.is_multiple_of(self.opt.dir) {
                top[page / self.opt.dir].clone()
            } else {
                dir_keys(page / self.opt.dir)[page % self.opt.dir].clone()
            };
            if !next.starts_with(&q) {
                break;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn block(&self, node: NodeRef, b: u32) -> Vec<(u32, u16)> {
        let bytes = self.file(&format!("n/{}/{b}.bin", node.0));
        let mut pos = 0;
        let mut prev = 0u64;
        let mut out = Vec::new();
        while pos < bytes.len() {
            let v = get_varint(bytes, &mut pos).expect("entry");
            let r = if out.is_empty() {
                v >> self.built.dbits
            } else {
                prev + (v >> self.built.dbits)
            };
            prev = r;
            out.push((r as u32, (v & ((1 << self.built.dbits) - 1)) as u16));
        }
        out
    }

    fn heads(&self, node: NodeRef) -> Vec<u64> {
        if node.2 <= 1 {
            return vec![0];
        }
        let bytes = self.file(&format!("n/{}/h.bin", node.0));
        let mut pos = 0;
        let mut acc = 0;
        let mut out = Vec::new();
        while pos < bytes.len() {
            acc += get_varint(bytes, &mut pos).expect("head");
            out.push(acc);
        }
        out
    }

    /// Same plan as `gazette.search` in search.js.
    pub(crate) fn search(
        &self,
        query: &str,
        district: Option<u16>,
        ranges: Option<&[(u32, u32)]>,
        offset: usize,
        limit: usize,
    ) -> Answer {
        let nq = name_key(query);
        let cq = code_key(query);
        let mut sources = Vec::new();
        if nq.is_empty() {
            if district.is_none() && ranges.is_none() {
                return Answer {
                    total: 0,
                    exact: true,
                    ids: vec![],
                };
            }
            match (district, ranges) {
                (Some(d), _) => sources.push(Source::Posting(self.built.districts[d as usize])),
                (None, Some(r)) => sources.push(Source::Ready(
                    r.iter()
                        .flat_map(|&(a, b)| (a..b).map(|i| (i, 0)))
                        .collect(),
                )),
                (None, None) => {}
            }
        } else {
            sources.push(self.term(&nq));
            if cq.len() >= 4 && cq.iter().all(|c| c.is_ascii_alphanumeric()) {
                let mut k = vec![CODE_SENTINEL];
                k.extend(&cq);
                sources.push(self.term(&k));
            }
            if let Some(d) = self.district_keys.iter().position(|k| *k == nq) {
                sources.push(Source::Posting(self.built.districts[d]));
            }
        }
        let allowed = |r: u32, d: u16| {
            district.is_none_or(|f| f == d)
                && ranges.is_none_or(|rs| rs.iter().any(|&(a, b)| a <= r && r < b))
        };
        // Expand each source lazily, block by block, in record order.
        // (buffer, cursor, blocks still to read (last first), posting, block first ids)
        type Stream = (Vec<(u32, u16)>, usize, Vec<u32>, Option<NodeRef>, Vec<u64>);
        let mut streams: Vec<Stream> = sources
            .iter()
            .map(|s| match s {
                Source::Ready(v) => (v.clone(), 0, vec![], None, vec![]),
                Source::Posting(n) => (
                    vec![],
                    0,
                    (0..n.2).rev().collect(),
                    Some(*n),
                    self.heads(*n),
                ),
            })
            .collect();
        let need = (offset + limit).max(self.opt.threshold + 1);
        let mut matches: Vec<u32> = Vec::new();
        let mut exhausted = true;
        loop {
            // Refill streams whose buffer is used up.
            for s in streams.iter_mut() {
                while s.1 >= s.0.len() {
                    let Some(b) = s.2.pop() else { break };
                    let node = s.3.expect("posting");
                    let lo = s.4[b as usize];
                    let hi = s.4.get(b as usize + 1).copied().unwrap_or(u64::MAX);
                    if let Some(rs) = ranges {
                        if !rs
                            .iter()
                            .any(|&(a, z)| u64::from(a) < hi && lo < u64::from(z))
                        {
                            continue;
                        }
                    }
                    s.0 = self.block(node, b);
                    s.1 = 0;
                }
            }
            let Some(min) = streams
                .iter()
                .filter(|s| s.1 < s.0.len())
                .map(|s| s.0[s.1])
                .min()
            else {
                break;
            };
            for s in streams.iter_mut() {
                if s.1 < s.0.len() && s.0[s.1].0 == min.0 {
                    s.1 += 1;
                }
            }
            if allowed(min.0, min.1) {
                matches.push(min.0);
                if matches.len() >= need {
                    exhausted = streams.iter().all(|s| s.1 >= s.0.len() && s.2.is_empty());
                    break;
                }
            }
        }
        let filtered = district.is_some() || ranges.is_some();
        let (total, exact) = if exhausted {
            (matches.len(), true)
        } else if sources.len() == 1 && !filtered {
            match sources[0] {
                Source::Posting(n) => (n.1 as usize, true),
                Source::Ready(ref v) => (v.len(), true),
            }
        } else {
            (matches.len(), false)
        };
        let ids = matches.into_iter().skip(offset).take(limit).collect();
        Answer { total, exact, ids }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random names over a small alphabet, so that many terms are
    /// heavy even with a small number of records.
    fn records() -> Vec<(String, String, u16, bool)> {
        let syll = [
            "海", "韵", "大", "连", "科", "技", "（", "）", "Ａ", "b", "有", "限", "公", "司",
            "光", "电", " ",
        ];
        let mut rng = crate::rng::Rng::new(12345, 0);
        let mut rnd = |n: usize| rng.below(n);
        (0..1500)
            .map(|i| {
                let len = 2 + rnd(9);
                let name: String = (0..len).map(|_| syll[rnd(syll.len())]).collect();
                let first17 = format!("91210{:03}MA{:07}", rnd(4) * 100 + 202, i * 7 % 9_999_999);
                let code = format!(
                    "{first17}{}",
                    crate::domain::credit_code::check_char(&first17).unwrap()
                );
                (name, code, rnd(5) as u16, rnd(20) == 0)
            })
            .collect()
    }

    fn brute(
        recs: &[(String, String, u16, bool)],
        q: &str,
        district: Option<u16>,
        ranges: Option<&[(u32, u32)]>,
        districts: &[Vec<char>],
    ) -> Vec<u32> {
        let nq: String = name_key(q).into_iter().collect();
        let cq: String = code_key(q).into_iter().collect();
        recs.iter()
            .enumerate()
            .filter(|(i, (name, code, d, _))| {
                let name_k: String = name_key(name).into_iter().collect();
                let hit = if nq.is_empty() {
                    district.is_some() || ranges.is_some()
                } else {
                    name_k.contains(&nq)
                        || (cq.chars().count() >= 4 && code.starts_with(&cq))
                        || districts[*d as usize].iter().collect::<String>() == nq
                };
                hit && district.is_none_or(|f| f == *d)
                    && ranges
                        .is_none_or(|rs| rs.iter().any(|&(a, b)| a <= *i as u32 && (*i as u32) < b))
            })
            .map(|(i, _)| i as u32)
            .collect()
    }

    fn as_records(recs: &[(String, String, u16, bool)]) -> Vec<Record<'_>> {
        recs.iter()
            .map(|(n, c, d, w)| Record {
                name: n,
                code: c,
                district: *d,
                withdrawn: *w,
            })
            .collect()
    }

    /// Small blocks and thresholds, so that a few hundred records exercise every path.
    const SMALL: Options = Options {
        threshold: 40,
        block: 16,
        tail_block: 24,
        page: 32,
        dir: 4,
        chunk: 8,
        key: 32,
    };

    #[test]
    fn matches_brute_force_for_every_kind_of_query() {
        matches_brute_force_with(SMALL);
    }

    /// Keys shorter than most queries: every long query goes through the check against
    /// the names and codes.
    #[test]
    fn matches_brute_force_with_short_table_keys() {
        matches_brute_force_with(Options { key: 3, ..SMALL });
    }

    fn matches_brute_force_with(opt: Options) {
        let recs = records();
        let records = as_records(&recs);
        let built = builder::build(&records, 5, opt);
        assert!(built.terms > 10, "test data must exercise heavy terms");
        let district_names = ["海韵", "甲区", "乙区", "丙区", "丁区"];
        let reader = Reader {
            built: &built,
            opt,
            district_keys: district_names.iter().map(|d| name_key(d)).collect(),
        };
        let mut queries: Vec<String> = vec![
            "".into(),
            "海".into(),
            "海韵".into(),
            "（大连）".into(),
            "(大连)".into(),
            "ａＢ".into(),
            "AB".into(),
            "有 限".into(),
            "不存在".into(),
            "9121".into(),
            "91210202".into(),
            "91210202MA".into(),
            "912".into(),
            "甲区".into(),
            "海韵".into(),
            "zzz".into(),
        ];
        // The full tier (scripts/test.sh sets GAZETTE_FULL_TESTS) queries from every 37th
        // record; a plain `cargo test`, a debug build, from every 300th.
        let every = if std::env::var_os("GAZETTE_FULL_TESTS").is_some() {
            37
        } else {
            300
        };
        for (i, (name, code, _, _)) in recs.iter().enumerate().step_by(every) {
            let chars: Vec<char> = name.chars().collect();
            queries.push(name.clone());
            queries.push(
                chars[chars.len() / 3..(chars.len() / 3 + 2).min(chars.len())]
                    .iter()
                    .collect(),
            );
            queries.push(code.clone());
            queries.push(code[..9 + i % 8].to_lowercase());
        }
        type Filter = (Option<u16>, Option<Vec<(u32, u32)>>);
        let filters: Vec<Filter> = vec![
            (None, None),
            (Some(2), None),
            (None, Some(vec![(100, 400), (900, 1000)])),
            (Some(0), Some(vec![(0, 750)])),
        ];
        for q in &queries {
            for (d, r) in &filters {
                let expect = brute(&recs, q, *d, r.as_deref(), &reader.district_keys);
                for (offset, limit) in [(0, 20), (0, 5000), (35, 10)] {
                    let a = reader.search(q, *d, r.as_deref(), offset, limit);
                    let want: Vec<u32> = expect.iter().copied().skip(offset).take(limit).collect();
                    assert_eq!(
                        a.ids, want,
                        "query {q:?} filters {d:?} {r:?} offset {offset}"
                    );
                    if a.exact {
                        assert_eq!(a.total, expect.len(), "total of {q:?}");
                    } else {
                        assert!(
                            expect.len() > opt.threshold && a.total <= expect.len(),
                            "{q:?}"
                        );
                    }
                    if expect.len() <= opt.threshold {
                        assert!(a.exact, "{q:?} has few matches and must be exact");
                    }
                }
            }
        }
    }

    #[test]
    fn same_input_same_bytes() {
        let recs = records();
        let records = as_records(&recs);
        let opt = SMALL;
        let a = builder::build(&records, 5, opt);
        let b = builder::build(&records, 5, opt);
        assert_eq!(a.files, b.files);
    }

    #[test]
    fn empty_index_is_valid() {
        let built = builder::build(&[], 3, Options::default());
        let reader = Reader {
            built: &built,
            opt: Options::default(),
            district_keys: vec![],
        };
        let a = reader.search("海韵", None, None, 0, 20);
        assert_eq!((a.total, a.exact, a.ids.len()), (0, true, 0));
    }
}
