//! `data/site.toml`: the base URL, page size, area code and the phones it names.

use std::path::Path;

use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::phone;
use crate::load;
use crate::model::Phone;
use crate::source::site::SiteConfig;

/// Checks the configuration; returns the city contact's phones, parsed.
pub(super) fn check_config(c: &SiteConfig, diags: &mut Diagnostics) -> Vec<Phone> {
    let file = Path::new(load::SITE_FILE);
    if let Err(why) = crate::domain::url::check_base_url(&c.base_url) {
        diags.push(
            Diagnostic::err(
                "base-url",
                file,
                format!(
                    "base_url “{}” 不能用作网站地址：{why}",
                    crate::domain::text::escape_controls(&c.base_url)
                ),
            )
            .help("写网站的完整地址，例如 base_url = \"https://gxj.dl.gov.cn/\"（网站在子目录时带上路径，例如 https://gxj.dl.gov.cn/cxzx/）"),
        );
    }
    if c.page_size == 0 {
        diags.push(
            Diagnostic::err(
                "page-size",
                file,
                "page_size 至少是 1 (page_size must be at least 1)",
            )
            .help("每页显示的行数，默认 500"),
        );
    }
    if phone::parse("00000000", &c.area_code).is_err() && !c.area_code.starts_with('0') {
        diags.push(
            Diagnostic::err(
                "area-code",
                file,
                format!(
                    "area_code “{}” 不是长途区号 (not an area code)",
                    c.area_code
                ),
            )
            .help("写本地的长途区号，以 0 开头，例如 area_code = \"0411\""),
        );
    }
    if let Some(y) = c.since {
        if !(2000..=2100).contains(&y) {
            diags.push(
                Diagnostic::err(
                    "since",
                    file,
                    format!("since = {y} 不像是网站开始发布的年份 (not plausible)"),
                )
                .help("写网站第一次发布的年份，例如 since = 2026；它写进订阅和日历的编号，写定后不要再改"),
            );
        }
    }
    if let Some(e) = &c.objection.email {
        email(file, e, diags);
    }
    deadline_time(file, &c.objection.deadline_time, diags);
    phones(
        file,
        &c.objection.phones,
        &c.area_code,
        "[objection]",
        diags,
    );
    phones(file, &c.contact.phones, &c.area_code, "[contact]", diags)
}

/// Checks the time of day by which objections must arrive (of `data/site.toml` or a list's
/// `[objection]`): the calendar's deadline event and the publicity page state it.
pub(super) fn deadline_time(file: &Path, t: &Spanned<String>, diags: &mut Diagnostics) {
    if crate::domain::datefmt::deadline_minutes(t.get_ref()).is_none() {
        diags.push(
            Diagnostic::err(
                "deadline-time",
                file,
                format!(
                    "[objection] 的 deadline_time “{}” 不是一天中的时刻 (not a time of day)",
                    crate::domain::text::escape_controls(t.get_ref())
                ),
            )
            .at(t.span())
            .label("应为 时:分")
            .help(
                "写成 24 小时制的“时:分”，例如 deadline_time = \"17:00\"；当天结束时写 \"24:00\"",
            ),
        );
    }
}

/// Checks the objection email (of `data/site.toml` or a list's `[objection]`), which is
/// published as a `mailto:` link.
pub(super) fn email(file: &Path, e: &Spanned<String>, diags: &mut Diagnostics) {
    if let Some(why) = crate::domain::url::email_problem(e.get_ref()) {
        diags.push(
            Diagnostic::err(
                "email",
                file,
                format!(
                    "[objection] 的 email “{}” 不是电子邮箱地址：{why} (not an email address)",
                    crate::domain::text::escape_controls(e.get_ref())
                ),
            )
            .at(e.span())
            .label("不是邮箱地址")
            .help(
                "写完整的邮箱地址，例如 email = \"gxj@dl.gov.cn\"；没有公布邮箱时删去 email 这一行",
            ),
        );
    }
}

/// Parses phones as written in a file, each problem at its place. The one phone parser of
/// validation: site contacts and objection rules, a list's own objection phones, districts.
pub(super) fn phones(
    file: &Path,
    list: &[Spanned<String>],
    area: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Vec<Phone> {
    list.iter()
        .filter_map(|p| match phone::parse(p.get_ref(), area) {
            Ok(ph) => Some(Phone::from(&ph)),
            Err(e) => {
                diags.push(
                    Diagnostic::err("phone", file, format!("{what} 的电话号码不对：{e}"))
                        .at(p.span())
                        .label("不是电话号码"),
                );
                None
            }
        })
        .collect()
}
