//! The generator behind `gazette synth`: seeded synthetic sites for tests and benchmarks.
//! In the binary, not the library: it is a developer's tool, not part of what a site uses.
//!
//! Copies `content/`, `themes/` and `data/` (without `data/lists/`) from a real site, then
//! writes quarterly lists (2025 and 2026, both kinds, publicity and announced) holding N
//! enterprises in total: realistic Chinese company names, valid GB 32100 credit codes,
//! districts from `data/districts.toml` (sometimes written as an alias). Every value is a
//! pure function of (seed, company index), so lists are generated and written in parallel
//! and the same seed always gives the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::rng::Rng;

use gazette::domain::credit_code::{check_char, ALPHABET};
use gazette::source::districts::DistrictsFile;

#[derive(Debug, Clone)]
pub(super) struct SynthOptions {
    /// Folder to create the synthetic site in.
    pub(super) out: PathBuf,
    /// Total number of list rows (enterprises) to generate.
    pub(super) enterprises: usize,
    /// The same seed gives byte-identical files.
    pub(super) seed: u64,
    /// Site to copy content/, themes/ and data/ from.
    pub(super) from: PathBuf,
    /// Write into a non-empty folder (its data/lists/*.toml are replaced).
    pub(super) force: bool,
}

pub(super) struct Report {
    pub(super) rows: usize,
    pub(super) lists: usize,
}

/// Creates the whole synthetic site; errors are ready to print.
pub(super) fn generate(args: &SynthOptions) -> Result<Report, String> {
    let from = &args.from;
    for dir in ["content", "themes", "data"] {
        if !from.join(dir).is_dir() {
            return Err(format!(
                "{} has no {dir}/ folder: pass --from with a Gazette site (e.g. the repository)",
                from.display()
            ));
        }
    }
    if args.out.exists() {
        let non_empty = std::fs::read_dir(&args.out)
            .map_err(|e| format!("cannot read {}: {e}", args.out.display()))?
            .next()
            .is_some();
        if non_empty && !args.force {
            return Err(format!(
                "{} is not empty: choose a new folder, or pass --force to replace its lists",
                args.out.display()
            ));
        }
    }
    let districts_text = std::fs::read_to_string(from.join("data/districts.toml"))
        .map_err(|e| format!("cannot read data/districts.toml: {e}"))?;
    let districts: DistrictsFile = toml::from_str(&districts_text)
        .map_err(|e| format!("data/districts.toml is not valid: {e}"))?;
    let districts: Vec<SynthDistrict> = districts
        .district
        .iter()
        .map(|d| SynthDistrict {
            name: d.name.get_ref().clone(),
            aliases: d.aliases.iter().map(|a| a.get_ref().clone()).collect(),
            division: d
                .code
                .clone()
                .filter(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
                .unwrap_or_else(|| fallback_division(d.name.get_ref()).to_string()),
        })
        .collect();
    if districts.is_empty() {
        return Err("data/districts.toml lists no [[district]]".into());
    }

    for dir in ["content", "themes"] {
        copy_tree(&from.join(dir), &args.out.join(dir))?;
    }
    copy_tree_except(
        &from.join("data"),
        &args.out.join("data"),
        Path::new("lists"),
    )?;
    let lists_dir = args.out.join("data/lists");
    std::fs::create_dir_all(&lists_dir)
        .map_err(|e| format!("cannot create {}: {e}", lists_dir.display()))?;
    for entry in std::fs::read_dir(&lists_dir)
        .map_err(|e| format!("cannot read {}: {e}", lists_dir.display()))?
        .flatten()
    {
        let p = entry.path();
        if p.extension().is_some_and(|x| x == "toml") {
            std::fs::remove_file(&p).map_err(|e| format!("cannot remove {}: {e}", p.display()))?;
        }
    }

    let plans = plan_lists(args.enterprises);
    let gen = Generator {
        seed: args.seed,
        districts,
    };
    plans
        .par_iter()
        .map(|plan| {
            let text = gen.list_text(plan);
            let path = lists_dir.join(format!("{}.toml", plan.id()));
            std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        })
        .collect::<Result<Vec<()>, String>>()?;
    Ok(Report {
        rows: plans.iter().map(|p| p.rows()).sum(),
        lists: plans.len(),
    })
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    copy_tree_except(from, to, Path::new(""))
}

/// Copies files under `from` into `to`, leaving out the relative folder `except`.
fn copy_tree_except(from: &Path, to: &Path, except: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        if !except.as_os_str().is_empty() && rel.starts_with(except) {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
                .map_err(|e| format!("cannot create {}: {e}", target.display()))?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).map_err(|e| {
                format!(
                    "cannot copy {} to {}: {e}",
                    entry.path().display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}

struct SynthDistrict {
    name: String,
    aliases: Vec<String>,
    /// GB/T 2260 code used in positions 3–8 of credit codes.
    division: String,
}

/// Divisions for pilot zones without their own GB/T 2260 code: the county they lie in.
fn fallback_division(name: &str) -> &'static str {
    match name {
        "高新区" => "210211",
        "金普新区" => "210213",
        "长兴岛经济区" => "210281",
        "北黄海经济区" => "210283",
        _ => "210200",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Application,
    Review,
}

/// One list to generate: which companies it holds (index ranges of the company space).
struct ListPlan {
    year: i32,
    quarter: u8,
    kind: Kind,
    publicity_stage: bool,
    /// Fresh companies: indices start..start+len.
    fresh: (usize, usize),
    /// Companies re-listed from an earlier list: (start, len, stride).
    reused: Option<(usize, usize, usize)>,
}

impl ListPlan {
    fn id(&self) -> String {
        let kind = match self.kind {
            Kind::Application => "application",
            Kind::Review => "review",
        };
        format!("{}-q{}-{kind}", self.year, self.quarter)
    }
    fn rows(&self) -> usize {
        self.fresh.1 + self.reused.map_or(0, |r| r.1)
    }
    /// Company indices in the order written to the file.
    fn companies(&self) -> impl Iterator<Item = usize> + '_ {
        let reused = self
            .reused
            .into_iter()
            .flat_map(|(s, n, stride)| (0..n).map(move |k| s + k * stride));
        reused.chain(self.fresh.0..self.fresh.0 + self.fresh.1)
    }
}

/// 16 lists (2025 and 2026, four quarters, both kinds); application lists are three
/// times larger; a 2026 review list re-lists up to 60% of its rows from the 2025
/// application list of the same quarter, so an enterprise can appear on two lists.
fn plan_lists(total: usize) -> Vec<ListPlan> {
    let mut slots = Vec::new();
    for year in [2025, 2026] {
        for quarter in 1..=4u8 {
            for kind in [Kind::Application, Kind::Review] {
                slots.push((year, quarter, kind));
            }
        }
    }
    let weight = |k: Kind| if k == Kind::Application { 3 } else { 1 };
    let wsum: usize = slots.iter().map(|s| weight(s.2)).sum();
    let mut sizes: Vec<usize> = slots.iter().map(|s| total * weight(s.2) / wsum).collect();
    let mut left = total - sizes.iter().sum::<usize>();
    for s in sizes.iter_mut() {
        if left == 0 {
            break;
        }
        *s += 1;
        left -= 1;
    }
    let mut next = 0usize;
    let mut plans: Vec<ListPlan> = Vec::new();
    for (i, &(year, quarter, kind)) in slots.iter().enumerate() {
        let n = sizes[i];
        let mut reused = None;
        if kind == Kind::Review && year == 2026 {
            if let Some(src) = plans
                .iter()
                .find(|p| p.year == 2025 && p.quarter == quarter && p.kind == Kind::Application)
            {
                let want = n * 3 / 5;
                let avail = src.fresh.1;
                let take = want.min(avail);
                if take > 0 {
                    reused = Some((src.fresh.0, take, (avail / take).max(1)));
                }
            }
        }
        let fresh_n = n - reused.map_or(0, |r| r.1);
        plans.push(ListPlan {
            year,
            quarter,
            kind,
            publicity_stage: year == 2026 && quarter == 4,
            fresh: (next, fresh_n),
            reused,
        });
        next += fresh_n;
    }
    plans
}

/// Characters brand names (字号) are made of.
const BRAND_CHARS: &str = "海韵鼎新恒远华信启航东港瑞祥卓越银杏凌峰朗润宏图金石滨城远洋槐花星辰蓝天博雅天成正泰安康盛达永丰嘉禾宇通瀚海鑫源中科同创汇智明德诚毅兴隆聚力腾飞联合天元宝利众邦德隆华泰振兴光明长青松岚云帆晨曦北辰南山碧波润泽智慧精诚卓信优品恒通万达力拓新锐宏达金泰冠宇航信旭日锦程凯瑞思源";

/// Industry words with the industry field they imply.
const INDUSTRIES: &[(&str, &str)] = &[
    ("软件", "软件和信息技术服务"),
    ("信息技术", "软件和信息技术服务"),
    ("网络科技", "软件和信息技术服务"),
    ("数据科技", "软件和信息技术服务"),
    ("智能装备", "装备制造"),
    ("精密机械", "装备制造"),
    ("数控设备", "装备制造"),
    ("机器人", "装备制造"),
    ("工业自动化", "装备制造"),
    ("轴承", "装备制造"),
    ("模具", "装备制造"),
    ("新材料", "新材料"),
    ("化工新材料", "石化"),
    ("精细化工", "石化"),
    ("生物科技", "生物医药"),
    ("医疗器械", "生物医药"),
    ("制药", "生物医药"),
    ("光电", "电子信息"),
    ("电子", "电子信息"),
    ("半导体", "电子信息"),
    ("激光", "电子信息"),
    ("仪器仪表", "电子信息"),
    ("检测技术", "科技服务"),
    ("环保科技", "节能环保"),
    ("节能科技", "节能环保"),
    ("新能源", "新能源"),
    ("电气", "装备制造"),
    ("海洋科技", "海洋经济"),
    ("船舶", "海洋经济"),
    ("水产", "海洋经济"),
    ("食品", "食品"),
    ("物流科技", "现代服务业"),
    ("供应链管理", "现代服务业"),
];

const SUFFIXES: &[&str] = &[
    "有限公司",
    "有限公司",
    "有限公司",
    "科技有限公司",
    "股份有限公司",
    "有限责任公司",
    "技术有限公司",
];

const PLACES: &[&str] = &[
    "金州",
    "旅顺",
    "瓦房店",
    "庄河",
    "普兰店",
    "长兴岛",
    "甘井子",
];

const LATIN_BRANDS: &[&str] = &[
    "ABC", "Smart", "iTech", "Bio", "DL", "Sino", "Neo", "Link", "Max", "Nova",
];

const WITHDRAWN_REASONS: &[&str] = &[
    "公示期间收到实名异议，经核实不符合申报条件",
    "企业主动申请撤回",
    "经复核，研发费用占比未达到评价标准",
];

struct Company {
    name: String,
    code: String,
    district: usize,
    industry: Option<&'static str>,
}

struct Generator {
    seed: u64,
    districts: Vec<SynthDistrict>,
}

impl Generator {
    fn company(&self, index: usize) -> Company {
        let mut r = Rng::new(self.seed, index as u64);
        // Larger urban districts hold more enterprises.
        let weights: Vec<usize> = self
            .districts
            .iter()
            .map(|d| match d.name.as_str() {
                "甘井子区" | "高新区" | "金普新区" => 5,
                "沙河口区" | "中山区" | "西岗区" => 3,
                "长海县" | "北黄海经济区" => 1,
                _ => 2,
            })
            .collect();
        let mut pick = r.below(weights.iter().sum());
        let mut district = 0;
        for (i, w) in weights.iter().enumerate() {
            if pick < *w {
                district = i;
                break;
            }
            pick -= w;
        }
        let brand_chars: Vec<char> = BRAND_CHARS.chars().collect();
        let mut brand = String::new();
        let brand_len = if r.chance(15) { 3 } else { 2 };
        while brand.chars().count() < brand_len {
            let c = *r.pick(&brand_chars);
            if !brand.contains(c) {
                brand.push(c);
            }
        }
        let (word, industry) = *r.pick(INDUSTRIES);
        let mut suffix = *r.pick(SUFFIXES);
        if (word.ends_with("科技") || word.ends_with("技术"))
            && (suffix.starts_with("科技") || suffix.starts_with("技术"))
        {
            suffix = &suffix[6..];
        }
        let name = match r.below(100) {
            0..=49 => format!("大连{brand}{word}{suffix}"),
            50..=62 => format!("{brand}（大连）{word}{suffix}"),
            63..=75 => format!("大连{}{brand}{word}{suffix}", r.pick(PLACES)),
            76..=87 => format!("{brand}{word}{suffix}"),
            88..=93 => format!("大连{}{word}{suffix}", r.pick(LATIN_BRANDS)),
            _ => format!("辽宁{brand}{word}{suffix}"),
        };
        let code = self.code(index, district, &mut r);
        Company {
            name,
            code,
            district,
            industry: r.chance(85).then_some(industry),
        }
    }

    /// A valid code, unique per company index: positions 11–16 are a bijection of the index.
    fn code(&self, index: usize, district: usize, r: &mut Rng) -> String {
        const SPACE: u64 = 31u64.pow(6);
        let alphabet: Vec<char> = ALPHABET.chars().collect();
        let mut code = String::with_capacity(18);
        code.push('9');
        code.push(if r.chance(92) { '1' } else { '2' });
        code.push_str(&self.districts[district].division);
        if r.chance(85) {
            code.push_str("MA");
        } else {
            code.push(alphabet[1 + r.below(9)]);
            code.push(alphabet[r.below(10)]);
        }
        let mut v = ((index as u64).wrapping_mul(1_234_567) + (self.seed % SPACE)) % SPACE;
        let mut six = ['0'; 6];
        for c in six.iter_mut().rev() {
            *c = alphabet[(v % 31) as usize];
            v /= 31;
        }
        code.extend(six);
        code.push(alphabet[r.below(31)]);
        let check = check_char(&code).unwrap_or('0');
        code.push(check);
        code
    }

    fn list_text(&self, plan: &ListPlan) -> String {
        let mut out = String::with_capacity(plan.rows() * 160 + 1024);
        let kind = match plan.kind {
            Kind::Application => "application",
            Kind::Review => "review",
        };
        let stage = if plan.publicity_stage {
            "publicity"
        } else {
            "announced"
        };
        let _ = writeln!(
            out,
            "# 示例数据 (SAMPLE DATA): generated by `gazette synth --seed {}`; every enterprise is invented.\n",
            self.seed
        );
        let _ = writeln!(
            out,
            "year = {}\nquarter = {}\nkind = \"{kind}\"\nstage = \"{stage}\"\nsample = true\n",
            plan.year, plan.quarter
        );
        let (start, announce) = dates(plan.year, plan.quarter, plan.kind);
        let length = if plan.year == 2026 {
            "working_days = 5"
        } else {
            "calendar_days = 7"
        };
        let _ = writeln!(out, "[publicity]\nstart = {start}\n{length}\n");
        if !plan.publicity_stage {
            let _ = writeln!(out, "[announcement]\ndate = {announce}\n");
        }
        let mut r = Rng::new(
            self.seed ^ 0xA5A5,
            plan.year as u64 * 10 + plan.quarter as u64,
        );
        for index in plan.companies() {
            let c = self.company(index);
            let d = &self.districts[c.district];
            let district = if r.chance(3) {
                if d.aliases.is_empty() || r.chance(50) {
                    format!("大连市{}", d.name)
                } else {
                    r.pick(&d.aliases).clone()
                }
            } else {
                d.name.clone()
            };
            out.push_str("[[enterprise]]\nname = ");
            toml_string(&mut out, &c.name);
            out.push_str("\ncredit_code = \"");
            out.push_str(&c.code);
            out.push_str("\"\ndistrict = ");
            toml_string(&mut out, &district);
            out.push('\n');
            if let Some(i) = c.industry {
                out.push_str("industry = ");
                toml_string(&mut out, i);
                out.push('\n');
            }
            if r.below(1000) < 8 {
                out.push_str("withdrawn = ");
                let reason: &&str = r.pick(WITHDRAWN_REASONS);
                toml_string(&mut out, reason);
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }
}

/// Publicity start (a Monday that is a working day) and announcement date of a batch.
fn dates(year: i32, quarter: u8, kind: Kind) -> (String, String) {
    let (month, day_2025, day_2026) = match quarter {
        1 => (4, 21, 20),
        2 => (7, 21, 20),
        3 => (10, 20, 19),
        _ => (11, 17, 16),
    };
    let day = if year == 2025 { day_2025 } else { day_2026 };
    let day = if kind == Kind::Review { day + 7 } else { day };
    let start = format!("{year}-{month:02}-{day:02}");
    let announce_month = if month == 11 { 12 } else { month + 1 };
    let announce = format!("{year}-{announce_month:02}-{:02}", day.min(28));
    (start, announce)
}

/// Appends a TOML basic string.
fn toml_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use gazette::domain::credit_code;

    fn generator() -> Generator {
        Generator {
            seed: 7,
            districts: vec![
                SynthDistrict {
                    name: "中山区".into(),
                    aliases: vec![],
                    division: "210202".into(),
                },
                SynthDistrict {
                    name: "高新区".into(),
                    aliases: vec!["大连高新区".into()],
                    division: "210211".into(),
                },
            ],
        }
    }

    #[test]
    fn codes_are_valid_and_unique() {
        let g = generator();
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000 {
            let c = g.company(i);
            assert_eq!(credit_code::validate(&c.code), Ok(()), "{}", c.code);
            assert!(
                seen.insert(c.code[10..16].to_string()),
                "duplicate {}",
                c.code
            );
        }
    }

    #[test]
    fn same_seed_same_company() {
        let g = generator();
        assert_eq!(g.company(42).name, g.company(42).name);
        assert_eq!(g.company(42).code, g.company(42).code);
    }

    #[test]
    fn plan_covers_every_row_once_per_list() {
        for total in [0, 1, 15, 1000, 12_345] {
            let plans = plan_lists(total);
            assert_eq!(plans.iter().map(|p| p.rows()).sum::<usize>(), total);
            for p in &plans {
                let mut ids: Vec<usize> = p.companies().collect();
                let n = ids.len();
                ids.sort_unstable();
                ids.dedup();
                assert_eq!(ids.len(), n, "a company twice in {}", p.id());
            }
        }
    }

    #[test]
    fn toml_strings_escape() {
        let mut s = String::new();
        toml_string(&mut s, "a\"b\\c");
        assert_eq!(s, "\"a\\\"b\\\\c\"");
    }
}
