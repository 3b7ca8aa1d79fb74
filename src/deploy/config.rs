//! The `[deploy]` table of `data/site.toml` and the target syntax.
//!
//! Only where and how to publish lives here: never credentials, which a site's files must
//! not hold (they are committed, copied and mailed around). Access keys come from the
//! environment or the AWS profile files (see `credentials`).

use std::path::{Path, PathBuf};

pub use crate::source::deploy::{Addressing, DeployConfig, HeaderRuleConfig};

use super::headers::{check_header_value, HeaderRule, HeaderRules, Pattern};

/// Where a deploy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A bucket and a key prefix (empty, or ending with `/`).
    S3 { bucket: String, prefix: String },
    /// A folder, e.g. the web server's document root or a mounted share.
    Folder(PathBuf),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
            Target::Folder(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Parses `s3://bucket/prefix` or a folder path (relative ones against `base`).
pub fn parse_target(text: &str, base: &Path) -> Result<Target, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("部署目标为空 (empty target)".into());
    }
    if let Some(rest) = t.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        check_bucket(bucket)?;
        let prefix = prefix.trim_matches('/');
        if !prefix.is_empty() {
            crate::output::check_site_path(prefix).map_err(|_| {
                format!("前缀“{prefix}”不是有效的路径（不能含 .. 、空段或控制字符）(invalid key prefix)")
            })?;
        }
        let prefix = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        };
        return Ok(Target::S3 {
            bucket: bucket.to_string(),
            prefix,
        });
    }
    if let Some((scheme, _)) = t.split_once("://") {
        return Err(format!(
            "不支持“{scheme}://”：请写 s3://存储桶/前缀（阿里云 OSS、腾讯云 COS、华为云 OBS 都用 s3:// 加 --endpoint），或服务器上的文件夹路径 (unsupported scheme {scheme}://: use s3://BUCKET/PREFIX with --endpoint, or a folder)"
        ));
    }
    let path = Path::new(t);
    Ok(Target::Folder(if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }))
}

/// Bucket names as S3 and its Chinese counterparts allow them (COS appends `-<appid>`).
fn check_bucket(bucket: &str) -> Result<(), String> {
    let ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && bucket
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && bucket
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "存储桶名称“{bucket}”无效：应为 3–63 个小写字母、数字、点或连字符 (invalid bucket name)；写法：s3://存储桶/前缀"
        ))
    }
}

impl DeployConfig {
    /// The checked header rules.
    pub fn header_rules(&self) -> Result<HeaderRules, String> {
        let mut rules = Vec::new();
        for (i, r) in self.headers.iter().enumerate() {
            let at = format!("[[deploy.headers]] 第 {} 条", i + 1);
            let pattern = Pattern::new(&r.pattern).map_err(|e| format!("{at}：{e}"))?;
            if r.content_type.is_none() && r.cache_control.is_none() {
                return Err(format!(
                    "{at}（pattern = \"{}\"）既没有 content_type 也没有 cache_control (a rule must set a header)",
                    r.pattern
                ));
            }
            for (what, v) in [
                ("content_type", &r.content_type),
                ("cache_control", &r.cache_control),
            ] {
                if let Some(v) = v {
                    check_header_value(what, v).map_err(|e| format!("{at}：{e}"))?;
                }
            }
            rules.push(HeaderRule {
                pattern,
                content_type: r.content_type.as_ref().map(|s| s.trim().to_string()),
                cache_control: r.cache_control.as_ref().map(|s| s.trim().to_string()),
            });
        }
        Ok(HeaderRules { rules })
    }

    /// The checked `keep` patterns.
    pub fn keep_patterns(&self) -> Result<Vec<Pattern>, String> {
        self.keep
            .iter()
            .map(|k| Pattern::new(k).map_err(|e| format!("[deploy] keep：{e}")))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let base = Path::new("/site");
        assert_eq!(
            parse_target("s3://gazette-site/cxzx/", base).unwrap(),
            Target::S3 {
                bucket: "gazette-site".into(),
                prefix: "cxzx/".into()
            }
        );
        assert_eq!(
            parse_target("s3://site-1250000000", base).unwrap(),
            Target::S3 {
                bucket: "site-1250000000".into(),
                prefix: String::new()
            }
        );
        assert_eq!(
            parse_target("s3://b.example/a/b", base)
                .unwrap()
                .to_string(),
            "s3://b.example/a/b/"
        );
        assert_eq!(
            parse_target("/srv/www/site", base).unwrap(),
            Target::Folder("/srv/www/site".into())
        );
        assert_eq!(
            parse_target("www", base).unwrap(),
            Target::Folder("/site/www".into())
        );
        for bad in [
            "",
            "s3://",
            "s3://Upper/x",
            "s3://ab",
            "s3://-bucket/x",
            "s3://bucket/../x",
            "s3://bucket/a//b",
            "oss://bucket/x",
            "https://example.com/x",
        ] {
            assert!(parse_target(bad, base).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn addressing_defaults() {
        assert_eq!(
            Addressing::default_for("oss-cn-hangzhou.aliyuncs.com"),
            Addressing::VirtualHost
        );
        assert_eq!(
            Addressing::default_for("cos.ap-beijing.myqcloud.com"),
            Addressing::VirtualHost
        );
        assert_eq!(
            Addressing::default_for("s3.cn-north-1.amazonaws.com.cn"),
            Addressing::VirtualHost
        );
        assert_eq!(Addressing::default_for("127.0.0.1"), Addressing::Path);
        assert_eq!(
            Addressing::default_for("minio.bureau.gov.cn"),
            Addressing::Path
        );
        assert_eq!(Addressing::default_for("notaliyuncs.com"), Addressing::Path);
    }

    #[test]
    fn config_table_parses_and_rejects_unknown_keys() {
        let c: DeployConfig = toml::from_str(
            r#"
to = "s3://gazette-site/cxzx"
endpoint = "https://oss-cn-hangzhou.aliyuncs.com"
region = "cn-hangzhou"
addressing = "virtual-host"
max_deletes = 100
workers = 4
keep = ["MP_verify_*.txt"]

[[headers]]
pattern = "assets/**"
cache_control = "public, max-age=86400"

[[headers]]
pattern = "**/*.ofd"
content_type = "application/ofd"
"#,
        )
        .unwrap();
        assert_eq!(c.addressing, Some(Addressing::VirtualHost));
        let rules = c.header_rules().unwrap();
        assert_eq!(
            rules.headers_for("assets/style.css").cache_control,
            "public, max-age=86400"
        );
        assert_eq!(c.keep_patterns().unwrap().len(), 1);
        for bad in [
            "access_key_id = \"AKIA\"",
            "secret_access_key = \"x\"",
            "addressing = \"dns\"",
            "[[headers]]\npattern = \"x\"\ncache = \"y\"",
        ] {
            assert!(toml::from_str::<DeployConfig>(bad).is_err(), "{bad}");
        }
        let c: DeployConfig = toml::from_str("[[headers]]\npattern = \"x\"").unwrap();
        assert!(c.header_rules().is_err(), "a rule that sets nothing");
        let c: DeployConfig =
            toml::from_str("[[headers]]\npattern = \"x\"\ncache_control = \"a\\nb\"").unwrap();
        assert!(c.header_rules().is_err(), "a header with a line break");
    }
}
