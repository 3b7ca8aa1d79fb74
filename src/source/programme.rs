//! `data/programmes/<id>.toml`: a programme of honours, such as 创新型中小企业 or
//! 专精特新中小企业: its list kinds, how its batches are counted and named, the titles of its
//! lists and how long an honour is valid. Everything a programme calls things is here, so
//! that one binary publishes any programme of any city.

use serde::{Deserialize, Serialize};
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFile {
    /// 创新型中小企业.
    pub name: Spanned<String>,
    /// The programme whose notices and lists have no programme part in their URLs (the
    /// only programme of a site is its default).
    #[serde(default)]
    pub default: bool,
    /// How batches are counted in a year.
    pub cadence: Spanned<Cadence>,
    /// The name of each batch of a year (第一季度 … for quarters, 上半年 and 下半年 …).
    #[serde(default)]
    pub batch_names: Option<Spanned<Vec<String>>>,
    /// The name of batch n for numbered batches, with `{n}` ("第{n}批": 第1批) or `{cn}`
    /// ("第{cn}批": 第一批), since many programmes write their batches in Chinese numerals.
    pub batch_pattern: Option<Spanned<String>>,
    /// Years an honour is valid from its announcement.
    pub validity_years: Option<Spanned<u32>>,
    /// How those years are counted when an announcement prints no window: from the
    /// announcement through the day before the anniversary (`from-announcement`, the
    /// default) or whole calendar years from 1 January after it (`calendar-years`).
    #[serde(default)]
    pub validity_rule: crate::domain::honour::ValidityRule,
    /// Months before the end of a title in which the directory says 即将到期 (and to apply
    /// for review); 6 when absent, 0 for never.
    pub expiry_warning_months: Option<Spanned<u32>>,
    /// Where enterprises apply (shown on notices and the home page).
    pub platform_url: Option<Spanned<String>>,
    /// The platform's name (优质中小企业梯度培育平台); pages show its address when absent.
    pub platform_name: Option<String>,
    /// The programme's word for applying (申报, 申请): the criteria page's 申报条件, the
    /// home page's link to the notice. 申请 when absent.
    pub apply_word: Option<String>,
    /// ColumnKeywords of the programme's pages.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// One paragraph saying what the lists of the programme are, for the lists page.
    pub description: Option<String>,
    /// The kinds of list, e.g. 申报 and 复核, or 认定 and 复核.
    #[serde(default)]
    pub kind: Vec<KindFile>,
    pub titles: TitlesFile,
    /// The publicity period of the programme's lists when a list gives no length of its
    /// own, so that it is said once here, not in every list file and command.
    pub publicity: Option<Spanned<ProgrammePublicityFile>>,
}

/// `[publicity]` of a programme: how long its lists are under publicity by default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammePublicityFile {
    /// Working days (counted with the holiday calendar).
    pub working_days: Option<Spanned<i64>>,
    /// Calendar days (the start day being day 1).
    pub calendar_days: Option<Spanned<i64>>,
}

/// How the batches of a year are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cadence {
    Quarter,
    HalfYear,
    Month,
    /// 第1批, 第2批, … as many as the year needs.
    Numbered,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindFile {
    /// ASCII, in list ids and URLs: `application`.
    pub id: Spanned<String>,
    /// As readers and staff say it: 申报.
    pub name: Spanned<String>,
}

/// The titles of a programme's lists, with `{year}`, `{batch}`, `{programme}` and `{kind}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitlesFile {
    /// Under publicity: "{year}年{batch}{programme}{kind}拟公告名单公示".
    pub publicity: Spanned<String>,
    /// Announced: "{year}年{batch}{programme}{kind}公告名单".
    pub announced: Spanned<String>,
}
