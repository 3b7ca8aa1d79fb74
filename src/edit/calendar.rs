//! `gazette new calendar <year>`: next year's holiday calendar as a form to fill in from
//! the State Council's notice. Until every holiday has its dates and the source is named,
//! `gazette check` refuses it, so working days are never counted with a half-filled year.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::domain::workdays::STATUTORY_HOLIDAYS;
use crate::load;
use crate::store;

/// The scaffold's text.
pub fn scaffold(year: i32) -> String {
    let mut out = format!(
        "# {year}年法定节假日和调休安排（用于计算公示期等“工作日”）
#
# 由 gazette new calendar {year} 生成。国务院办公厅发布《关于{year}年部分节假日安排的通知》后：
#   1. 在 source 中写明通知的名称和发布日期；
#   2. 照通知原文，为每个节日去掉 start 和 end 两行行首的“# ”，填写放假首日和末日；
#   3. 在 makeup 中填写调休上班日（周末上班的日子），没有就保留 []；
#   4. 通知把两个节日合并放假时（如“中秋节、国庆节”），把两段合成一段，name 写通知中的名称。
# 填好之前 gazette check 会报错：不完整的日历会算错公示期的工作日。

year = {year}
source = \"\"   # 例如 \"国务院办公厅关于{year}年部分节假日安排的通知（{}年11月X日发布）\"
",
        year - 1
    );
    for name in STATUTORY_HOLIDAYS {
        out.push_str(&format!(
            "
[[holiday]]
name = \"{name}\"
# start = {year}-MM-DD   # 放假首日
# end = {year}-MM-DD     # 放假末日
makeup = []            # 调休上班日，例如 [{year}-MM-DD]
"
        ));
    }
    out
}

/// Writes `data/calendar/<year>.toml` (never over an existing file without `force`).
/// `on_wait` is called when another command holds the data lock and this one waits.
pub fn create(
    root: &Path,
    year: i32,
    force: bool,
    on_wait: &dyn Fn(),
) -> Result<PathBuf, Diagnostics> {
    let mut diags = Diagnostics::new();
    let rel = PathBuf::from(load::CALENDAR_DIR).join(format!("{year}.toml"));
    if !(2000..=2100).contains(&year) {
        diags.push(
            Diagnostic::usage("usage-year", format!("{year} 不像是年份 (not plausible)"))
                .help("写四位的年份，例如 gazette new calendar 2027"),
        );
        return Err(diags);
    }
    if let Err(d) = load::check_root(root) {
        diags.push(d);
        return Err(diags);
    }
    let _lock = store::lock_data(root, on_wait).map_err(|e| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::err(
            "data-lock",
            store::LOCK_FILE,
            format!("无法锁定数据文件夹：{e}"),
        ));
        d
    })?;
    let target = root.join(&rel);
    let text = scaffold(year);
    let written = if force {
        store::replace(&target, &text)
    } else {
        store::create_new(&target, &text)
    };
    match written {
        Ok(()) => Ok(rel),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            diags.push(
                Diagnostic::err(
                    "calendar-exists",
                    &rel,
                    format!(
                        "{year}年的节假日安排已经有了，没有覆盖 (already exists; not overwritten)"
                    ),
                )
                .help("直接修改这个文件；确需换成空白的表，在命令后加 --force（已填的日期会丢失）"),
            );
            Err(diags)
        }
        Err(e) => {
            diags.push(Diagnostic::cannot_write_data(&rel, &e));
            Err(diags)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scaffold_parses_and_names_every_statutory_holiday() {
        let text = scaffold(2027);
        let (cal, d) = load::parse_toml::<crate::source::calendar::CalendarFile>(
            Path::new("data/calendar/2027.toml"),
            text,
        );
        let cal = cal.unwrap_or_else(|| panic!("{}", d.render(false)));
        assert_eq!(*cal.year.get_ref(), 2027);
        assert_eq!(cal.holiday.len(), STATUTORY_HOLIDAYS.len());
        assert!(cal.holiday.iter().all(|h| h.start.is_none()));
    }
}
