//! `gazette init`: a new site in one command. Takes what it needs as flags, or asks for
//! what is missing when run in a terminal; writes the site, then checks it as `gazette
//! check` does and lists what is left to fill in (【待填写】).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::Datelike;
use clap::Args;

use gazette::build::LoadOptions;
use gazette::diag::{Diagnostic, Diagnostics};
use gazette::init::{DistrictSeed, InitError, InitOptions, PLACEHOLDER};
use gazette::source::programme::Cadence;

use super::prelude::*;

#[derive(Args, Debug)]
#[command(after_help = "在终端里运行时，没有用选项给出的内容会逐项询问。
生成的网站马上可以预览（gazette serve --root <文件夹>）；不知道的内容写成【待填写】，
gazette check 会逐个列出，发布前要全部改完。网站使用 Gazette 自带的主题。

例如：
  gazette init 沈阳专精特新 --name 沈阳市专精特新中小企业认定和复核 --organisation 沈阳市工业和信息化局 \\
      --city 沈阳市 --area-code 024 --phone 22345678 --district 和平区 --district 沈河区 \\
      --programme 专精特新中小企业 --programme-id specialised --cadence half-year \\
      --kind recognition=认定 --kind review=复核 --year 2027")]
pub(super) struct InitArgs {
    /// 新网站的文件夹（不存在，或是空文件夹）
    #[arg(value_name = "文件夹")]
    pub dir: PathBuf,
    /// 网站名称，例如 沈阳市专精特新中小企业认定和复核
    #[arg(long, value_name = "名称")]
    pub name: Option<String>,
    /// 发布机关，例如 沈阳市工业和信息化局
    #[arg(long, value_name = "机关")]
    pub organisation: Option<String>,
    /// 城市，例如 沈阳市
    #[arg(long, value_name = "城市")]
    pub city: Option<String>,
    /// 本地电话的区号，例如 024
    #[arg(long, value_name = "区号")]
    pub area_code: Option<String>,
    /// 发布机关的咨询电话（各区县的电话填好之前也先用它）
    #[arg(long, value_name = "电话")]
    pub phone: Option<String>,
    /// 一个区县：名称，或“名称,主管部门,电话”；可以写多次
    #[arg(long = "district", value_name = "区县")]
    pub districts: Vec<String>,
    /// 区县清单文件：每行一个区县，“名称[,主管部门[,电话;电话]]”
    #[arg(long = "districts", value_name = "文件")]
    pub districts_file: Option<PathBuf>,
    /// 项目名称，例如 专精特新中小企业
    #[arg(long, value_name = "名称")]
    pub programme: Option<String>,
    /// 项目的英文编号（文件名和网址用），例如 specialised；默认 main
    #[arg(long, value_name = "编号", default_value = "main")]
    pub programme_id: String,
    /// 批次：quarter（季度，默认）、half-year（半年）、month（月）、numbered（第几批）
    #[arg(long, value_name = "批次", default_value = "quarter", value_parser = parse_cadence)]
    pub cadence: Cadence,
    /// 名单的种类“编号=名称”，例如 recognition=认定；可以写多次（默认 application=申请 和 review=复核）
    #[arg(long = "kind", value_name = "编号=名称", value_parser = parse_kind)]
    pub kinds: Vec<(String, String)>,
    /// 通知的年份（默认：今年）
    #[arg(long, value_name = "年份")]
    pub year: Option<i32>,
    /// 网站的正式网址（不知道时先空着，写成占位网址）
    #[arg(long, value_name = "网址")]
    pub base_url: Option<String>,
}

fn parse_cadence(s: &str) -> Result<Cadence, String> {
    match s {
        "quarter" | "季度" => Ok(Cadence::Quarter),
        "half-year" | "半年" => Ok(Cadence::HalfYear),
        "month" | "月" => Ok(Cadence::Month),
        "numbered" | "批次" => Ok(Cadence::Numbered),
        _ => Err(format!(
            "“{s}”不是批次的写法：写 quarter、half-year、month 或 numbered (unknown cadence)"
        )),
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn parse_kind(s: &str) -> Result<(String, String), String> {
    match s.split_once(['=', '＝']) {
        Some((id, name)) if is_slug(id.trim()) && !name.trim().is_empty() => {
            Ok((id.trim().to_string(), name.trim().to_string()))
        }
        _ => Err(format!(
            "“{s}”不是“编号=名称”：编号用小写英文字母、数字和 -，例如 recognition=认定 (expected id=name)"
        )),
    }
}

/// Asks for one value on the terminal; None when not in a terminal or nothing was typed.
fn ask(question: &str) -> Option<String> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    eprint!("{question}：");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    let line = line.trim().to_string();
    (!line.is_empty()).then_some(line)
}

/// A value from its flag, else from the terminal; the flag's name when neither gave one.
fn value(flag: Option<String>, name: &'static str, question: &str) -> Result<String, &'static str> {
    flag.or_else(|| ask(question)).ok_or(name)
}

pub(super) fn run(a: InitArgs) -> Exit {
    if !gazette::init::is_free(&a.dir) {
        return refuse(
            Diagnostic::general(format!(
                "{} 已经有文件，不能在这里新建网站 (folder not empty)",
                shown(&a.dir)
            ))
            .code("init-folder")
            .help("换一个不存在的文件夹名，或者先把这个文件夹里的文件移走"),
        );
    }
    let options = match options(a) {
        Ok(o) => o,
        Err(d) => return refuse(*d),
    };
    let existed = options.dir.exists();
    match gazette::init::init(&options) {
        Ok(files) => checked(&options, files.len(), existed),
        Err(InitError::NotEmpty(dir)) => refuse(
            Diagnostic::general(format!("{} 已经有文件 (folder not empty)", shown(&dir)))
                .code("init-folder"),
        ),
        Err(InitError::Io(file, e)) => refuse(
            Diagnostic::general(format!("无法写入 {}：{e} (cannot write)", shown(&file)))
                .code(gazette::diag::CANNOT_WRITE)
                .help("检查磁盘空间和文件夹的写入权限")
                .output(),
        ),
    }
}

/// The flags (and answers) as a new site's options, or the usage problem.
fn options(a: InitArgs) -> Result<InitOptions, Box<Diagnostic>> {
    let mut missing = Vec::new();
    let mut take = |flag, name, question| {
        value(flag, name, question)
            .map_err(|n| missing.push(n))
            .unwrap_or_default()
    };
    let name = take(
        a.name,
        "--name",
        "网站名称（例如 沈阳市专精特新中小企业认定和复核）",
    );
    let organisation = take(
        a.organisation,
        "--organisation",
        "发布机关（例如 沈阳市工业和信息化局）",
    );
    let city = take(a.city, "--city", "城市（例如 沈阳市）");
    let area_code = take(a.area_code, "--area-code", "本地电话的区号（例如 024）");
    let phone = take(a.phone, "--phone", "发布机关的咨询电话");
    let programme = take(
        a.programme,
        "--programme",
        "项目名称（例如 专精特新中小企业）",
    );
    let mut districts: Vec<DistrictSeed> = a
        .districts
        .iter()
        .filter_map(|d| DistrictSeed::parse_line(d))
        .collect();
    if let Some(file) = &a.districts_file {
        let text = std::fs::read_to_string(file).map_err(|e| {
            Box::new(
                Diagnostic::general(format!(
                    "无法读取区县清单 {}：{e} (cannot read)",
                    shown(file)
                ))
                .code("file-unreadable"),
            )
        })?;
        districts.extend(text.lines().filter_map(DistrictSeed::parse_line));
    }
    if districts.is_empty() {
        match ask("各区县的名称（用顿号或逗号隔开，例如 和平区、沈河区）")
        {
            Some(line) => districts.extend(
                line.split(['、', ',', '，'])
                    .filter_map(DistrictSeed::parse_line),
            ),
            None => missing.push("--district"),
        }
    }
    if !missing.is_empty() {
        return Err(Box::new(Diagnostic::usage(
            "usage-init",
            format!(
            "新建网站还缺：{} (missing)",
            missing.join("、")
        ))
        .help("把缺的内容用选项写上（gazette init --help 有例子），或者在终端里运行，按提示逐项填写")));
    }
    if !is_slug(&a.programme_id) {
        return Err(Box::new(
            Diagnostic::usage(
                "usage-init",
                format!(
                    "--programme-id “{}” 只能用小写英文字母、数字和 - (not an id)",
                    a.programme_id
                ),
            )
            .help("例如 --programme-id specialised"),
        ));
    }
    let kinds = if a.kinds.is_empty() {
        vec![
            ("application".to_string(), "申请".to_string()),
            ("review".to_string(), "复核".to_string()),
        ]
    } else {
        a.kinds
    };
    Ok(InitOptions {
        dir: a.dir,
        name,
        organisation,
        city,
        area_code,
        phone,
        districts,
        programme,
        programme_id: a.programme_id,
        cadence: a.cadence,
        kinds,
        year: a.year.unwrap_or_else(|| gazette::build::today_cst().year()),
        base_url: a.base_url,
    })
}

/// Checks the new site as `gazette check` does: placeholders are listed as what is left to
/// fill in; an error (a wrong phone number, say) undoes the new site, so the command can
/// simply be run again with the flag corrected.
fn checked(o: &InitOptions, files: usize, existed: bool) -> Exit {
    let diags = gazette::build::check(&LoadOptions {
        root: o.dir.clone(),
        today: gazette::build::today_cst(),
        base_url: None,
        include_drafts: true,
    });
    if diags.has_errors() {
        report(&diags, "");
        undo(&o.dir, existed);
        eprintln!(
            "上面的问题来自命令行写的内容：没有留下任何文件，改正后再运行一次 gazette init (nothing written)"
        );
        return Exit::of(&diags);
    }
    let left = diags
        .items()
        .iter()
        .filter(|d| d.code == Some("placeholder"))
        .count();
    let calendar = if gazette::init::known_calendar(o.year).is_some() {
        format!("{}年的节假日安排已经写好。", o.year)
    } else {
        format!(
            "{}年的节假日安排还没有：国务院办公厅公布后用 gazette new calendar --year {} 新建。",
            o.year, o.year
        )
    };
    eprintln!(
        "已在 {} 新建网站（{files} 个文件）。{calendar} (site created)",
        shown(&o.dir)
    );
    let root = typed(&o.dir);
    eprintln!(
        "还有 {left} 处{PLACEHOLDER}：gazette check --root {root} 会逐个列出，发布前要全部改完。"
    );
    eprintln!("预览：gazette serve --root {root}");
    Exit::Success
}

/// A folder as it is typed after `--root`: quoted when it holds a space.
fn typed(dir: &Path) -> String {
    let s = shown(dir);
    if s.contains(' ') {
        format!("\"{s}\"")
    } else {
        s
    }
}

/// Removes what `init` wrote: the folder it created, or the files in the empty folder it
/// was given.
fn undo(dir: &Path, existed: bool) {
    if !existed {
        let _ = std::fs::remove_dir_all(dir);
        return;
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn refuse(d: Diagnostic) -> Exit {
    let mut diags = Diagnostics::new();
    diags.push(d);
    stopped(&diags, "")
}
