//! `[deploy]` in `data/site.toml`: where and how `gazette deploy` publishes. Never
//! credentials: a site's files are committed, copied and mailed around.

use serde::Deserialize;

/// `[deploy]` in `data/site.toml`: defaults for `gazette deploy`; every key is optional and
/// the command line wins.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeployConfig {
    /// `s3://bucket/prefix` or a folder (relative to the site folder).
    pub to: Option<String>,
    /// S3 endpoint of an S3-compatible service, e.g. `https://oss-cn-hangzhou.aliyuncs.com`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// `path` (`https://host/bucket/key`) or `virtual-host` (`https://bucket.host/key`).
    pub addressing: Option<Addressing>,
    /// A profile of `~/.aws/credentials` (its name only; the keys stay in that file).
    pub profile: Option<String>,
    pub max_deletes: Option<usize>,
    pub workers: Option<usize>,
    /// Target files that are not part of the site but must never be deleted, e.g.
    /// `["MP_verify_*.txt"]` (site-verification files a webmaster put there).
    #[serde(default)]
    pub keep: Vec<String>,
    /// Header rules, first match wins for each header.
    #[serde(default)]
    pub headers: Vec<HeaderRuleConfig>,
}

/// `[[deploy.headers]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderRuleConfig {
    pub pattern: String,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
}

/// How bucket names go into S3 URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Addressing {
    /// `https://host/bucket/key`: SeaweedFS, MinIO, most self-hosted servers, IP addresses.
    Path,
    /// `https://bucket.host/key`: AWS, 阿里云 OSS (which requires it), 腾讯云 COS, 华为云 OBS.
    VirtualHost,
}

impl Addressing {
    pub fn parse(s: &str) -> Option<Addressing> {
        match s {
            "path" => Some(Addressing::Path),
            "virtual-host" => Some(Addressing::VirtualHost),
            _ => None,
        }
    }

    /// The usual style of an endpoint: virtual-host for the big public clouds (OSS refuses
    /// path-style requests), path for anything else (self-hosted servers, IP addresses).
    pub fn default_for(endpoint_host: &str) -> Addressing {
        let host = endpoint_host.to_ascii_lowercase();
        let cloud = [
            "amazonaws.com",
            "amazonaws.com.cn",
            "aliyuncs.com",
            "myqcloud.com",
            "myhuaweicloud.com",
        ];
        if cloud
            .iter()
            .any(|c| host == *c || host.ends_with(&format!(".{c}")))
        {
            Addressing::VirtualHost
        } else {
            Addressing::Path
        }
    }
}
