//! `gazette init`: a new site in one command (as `zola init` and `hugo new site`), for a
//! bureau of any city and programme. It writes `content/` and `data/` only (the theme is
//! built in) and a site that builds at once: what the command line cannot know is written
//! as the placeholder 【待填写】, which `check` lists file by file (`validate::placeholders`)
//! until it is replaced. Nothing is invented: a district without its own office or number
//! shows the bureau's, marked to be replaced.

use std::path::{Path, PathBuf};

use crate::source::programme::Cadence;

/// What the new site holds where only the bureau knows the words.
pub const PLACEHOLDER: &str = crate::domain::text::PLACEHOLDER;

/// What a new site is made from (the command line's flags or answers).
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The new site's folder: absent or empty.
    pub dir: PathBuf,
    /// 网站名称.
    pub name: String,
    /// The issuing bureau.
    pub organisation: String,
    /// 沈阳市.
    pub city: String,
    /// 024: the area code of local numbers.
    pub area_code: String,
    /// The bureau's own number (local or with area code): the contact at the foot of the
    /// notice, the objection office's, and each district's until it is filled in.
    pub phone: String,
    pub districts: Vec<DistrictSeed>,
    /// 专精特新中小企业.
    pub programme: String,
    /// ASCII, the programme's file name and its lists' URLs: `specialised`.
    pub programme_id: String,
    pub cadence: Cadence,
    /// The kinds of list: (id, name), e.g. ("recognition", "认定").
    pub kinds: Vec<(String, String)>,
    /// The notice's year.
    pub year: i32,
    /// The site's public address, when already known.
    pub base_url: Option<String>,
}

/// A district as the clerk gives it: a name, and its office and numbers when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictSeed {
    pub name: String,
    pub office: Option<String>,
    pub phones: Vec<String>,
}

impl DistrictSeed {
    /// One line of a districts file: `名称[,主管部门[,电话;电话]]` (commas full-width or
    /// not, so a list typed in a Chinese editor reads the same). Empty lines and lines
    /// starting with `#` are None.
    pub fn parse_line(line: &str) -> Option<DistrictSeed> {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let mut parts = line.split([',', '，', '\t']).map(str::trim);
        let name = parts.next()?.to_string();
        let office = parts.next().filter(|o| !o.is_empty()).map(str::to_string);
        let phones = parts
            .next()
            .map(|p| {
                p.split([';', '；', '、', ' '])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Some(DistrictSeed {
            name,
            office,
            phones,
        })
    }
}

/// What `init` could not do.
#[derive(Debug)]
pub enum InitError {
    /// The folder holds files: a new site would mix with them.
    NotEmpty(PathBuf),
    Io(PathBuf, std::io::Error),
}

/// Holiday calendars the binary carries (the repository's `data/calendar/`, official
/// arrangements of the State Council), so a new site counts working days at once.
#[derive(rust_embed::Embed)]
#[folder = "data/calendar/"]
struct KnownCalendars;

/// The holiday calendar of `year` the binary carries, if it does.
pub fn known_calendar(year: i32) -> Option<Vec<u8>> {
    KnownCalendars::get(&format!("{year}.toml")).map(|f| f.data.into_owned())
}

/// Writes the new site; returns its files (relative to the folder), in the order written.
pub fn init(o: &InitOptions) -> Result<Vec<PathBuf>, InitError> {
    if !is_free(&o.dir) {
        return Err(InitError::NotEmpty(o.dir.clone()));
    }
    let mut files = vec![
        ("data/site.toml".to_string(), site_toml(o)),
        ("data/districts.toml".to_string(), districts_toml(o)),
        (
            format!("data/programmes/{}.toml", o.programme_id),
            programme_toml(o),
        ),
        ("content/_index.md".to_string(), home_md(o)),
        (
            format!("content/notices/{}/{}/index.md", o.programme_id, o.year),
            notice_md(o),
        ),
        ("content/contacts.md".to_string(), contacts_md()),
    ];
    if let Some(calendar) = known_calendar(o.year) {
        files.push((
            format!("data/calendar/{}.toml", o.year),
            String::from_utf8_lossy(&calendar).into_owned(),
        ));
    }
    std::fs::create_dir_all(o.dir.join("data/lists"))
        .map_err(|e| InitError::Io(o.dir.join("data/lists"), e))?;
    let mut written = Vec::new();
    for (rel, text) in files {
        let rel = PathBuf::from_iter(rel.split('/'));
        let path = o.dir.join(&rel);
        let io = |e| InitError::Io(path.clone(), e);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, text).map_err(io)?;
        written.push(rel);
    }
    Ok(written)
}

/// A TOML string literal of `s`, escaped.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn site_toml(o: &InitOptions) -> String {
    let base_url = o
        .base_url
        .as_deref()
        .unwrap_or("https://www.example.gov.cn/");
    let base_note = if o.base_url.is_some() {
        String::new()
    } else {
        format!("  # {PLACEHOLDER}网站的正式网址（example.gov.cn 只是占位）")
    };
    let domain = base_url
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("");
    let phone = q(&o.phone);
    format!(
        r#"# 网站设置。每一项的说明见 README.md → "data/site.toml"。
# 由 gazette init 生成：带“{PLACEHOLDER}”的地方要换成真实内容，gazette check 会逐个列出。

name = {name}
organisation = {org}
description = {description}
base_url = {base_url}{base_note}
area_code = {area}
city = {city}
since = {year}

[government]                  # 政府网站网页标签
site_id_code = "{PLACEHOLDER}"  # 政府网站标识码
site_domain = {domain}

[contact]                     # 通知落款处的联系人
office = {org}
person = "{PLACEHOLDER}"
phones = [{phone}]

[objection]                   # 公示期内提出异议的方式（每份名单可以改写其中任何一项）
who = "任何单位和个人"
form = [
  "以书面形式实名提出异议；",
  "单位提出异议的，应在异议材料上加盖本单位公章；",
  "个人提出异议的，应在异议材料上签署本人真实姓名，并注明联系方式；",
  "写明异议的事实依据，并附相关证明材料。",
]
office = {org}
phones = [{phone}]
confidentiality = "对异议人的身份和反映的情况予以保密。"
not_accepted = "匿名提出的异议和超出公示期提出的异议，不予受理。"
"#,
        name = q(&o.name),
        org = q(&o.organisation),
        description = q(&format!("{PLACEHOLDER}用一两句话介绍本网站：{}", o.name)),
        base_url = q(base_url),
        area = q(&o.area_code),
        city = q(&o.city),
        year = o.year,
        domain = q(domain),
    )
}

fn districts_toml(o: &InitOptions) -> String {
    let mut out = String::from(
        "# 各区县的主管部门和咨询电话。本文件中各区县的先后顺序，就是网站所有列表的排列顺序。\n\
         # 每个 [[district]]：name 名称（企业名单“所属区县”一栏用的名称）、office 主管部门、\n\
         # phones 办公电话（本地号码不加区号）、aliases 表格中的其他写法。\n",
    );
    for d in &o.districts {
        let office = match &d.office {
            Some(office) => q(office),
            None => q(&format!("{PLACEHOLDER}{}主管部门", d.name)),
        };
        let (phones, note) = if d.phones.is_empty() {
            (
                q(&o.phone),
                format!("  # {PLACEHOLDER}区县的电话（暂用市局的号码）"),
            )
        } else {
            (
                d.phones.iter().map(|p| q(p)).collect::<Vec<_>>().join(", "),
                String::new(),
            )
        };
        out.push_str(&format!(
            "\n[[district]]\nname = {}\noffice = {office}\nphones = [{phones}]{note}\naliases = []\n",
            q(&d.name)
        ));
    }
    out
}

fn programme_toml(o: &InitOptions) -> String {
    let (cadence, batches) = match o.cadence {
        Cadence::Quarter => (
            "quarter",
            r#"batch_names = ["第一季度", "第二季度", "第三季度", "第四季度"]"#,
        ),
        Cadence::HalfYear => ("half-year", r#"batch_names = ["上半年", "下半年"]"#),
        Cadence::Month => (
            "month",
            r#"batch_names = ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"]"#,
        ),
        Cadence::Numbered => ("numbered", r#"batch_pattern = "第{cn}批""#),
    };
    let kinds: String = o
        .kinds
        .iter()
        .map(|(id, name)| format!("\n[[kind]]\nid = {}\nname = {}\n", q(id), q(name)))
        .collect();
    format!(
        r#"# 项目：{programme}。每一项的说明见 README.md → "data/programmes/<id>.toml"。

name = {name}
default = true
cadence = "{cadence}"
{batches}
validity_years = 3            # {PLACEHOLDER}核对称号的有效期（年）
keywords = [{name}]
{kinds}
[titles]
publicity = "{{year}}年{{batch}}{{programme}}{{kind}}名单公示"
announced = "{{year}}年{{batch}}{{programme}}{{kind}}名单"
"#,
        programme = o.programme,
        name = q(&o.programme),
    )
}

fn home_md(o: &InitOptions) -> String {
    format!(
        "+++\ntitle = {}\ntemplate = \"index.html\"\n+++\n\n{PLACEHOLDER}首页的引言：本网站发布{}的通知、名单、公示和咨询电话。\n",
        q(&o.name),
        o.programme
    )
}

fn notice_md(o: &InitOptions) -> String {
    format!(
        "+++\ntitle = {title}\nissuer = {org}\ntemplate = \"notice.html\"\nweight = 1\n+++\n\n\
         {PLACEHOLDER}照通知原文录入正文（标题、各部分、附件），发布前删去这一行。\n\n\
         咨询电话：\n\n<!-- district-table -->\n\n{org_text}\n",
        title = q(&format!(
            "{PLACEHOLDER}关于做好{}年度{}工作的通知",
            o.year, o.programme
        )),
        org = q(&o.organisation),
        org_text = o.organisation,
    )
}

fn contacts_md() -> String {
    format!(
        "+++\ntitle = \"咨询电话\"\nweight = 3\n+++\n\n{PLACEHOLDER}说明各区县主管部门受理哪些事项。\n\n<!-- district-table -->\n"
    )
}

/// Whether `dir` is where `init` may write: absent, or an empty folder.
pub fn is_free(dir: &Path) -> bool {
    !dir.exists() || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_districts_line_reads_with_any_commas() {
        assert_eq!(
            DistrictSeed::parse_line("和平区，和平区工信局，22345678；22345679"),
            Some(DistrictSeed {
                name: "和平区".into(),
                office: Some("和平区工信局".into()),
                phones: vec!["22345678".into(), "22345679".into()],
            })
        );
        assert_eq!(
            DistrictSeed::parse_line("\u{feff}沈河区"),
            Some(DistrictSeed {
                name: "沈河区".into(),
                office: None,
                phones: vec![],
            })
        );
        assert_eq!(
            DistrictSeed::parse_line("大东区,,024-88888888").map(|d| (d.office, d.phones)),
            Some((None, vec!["024-88888888".to_string()]))
        );
        assert_eq!(DistrictSeed::parse_line("  "), None);
        assert_eq!(DistrictSeed::parse_line("# 注释"), None);
    }

    #[test]
    fn values_with_quotes_stay_one_toml_string() {
        for value in ["甲\"乙\\丙", "'单引号'", "三\n行\"\"\"", "普通"] {
            let table: toml::Table = toml::from_str(&format!("v = {}", q(value))).unwrap();
            assert_eq!(table["v"].as_str(), Some(value));
        }
    }

    #[test]
    fn the_binary_knows_the_calendars_of_the_repository() {
        assert!(known_calendar(2026).is_some());
        assert!(known_calendar(1999).is_none());
    }
}
