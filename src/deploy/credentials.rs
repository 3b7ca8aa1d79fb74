//! Access keys for S3, from where every S3 tool looks for them: the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) or a profile of the
//! shared files `~/.aws/credentials` and `~/.aws/config`. Never from the site's own files.
//!
//! Order: `--profile` named on the command line, then the environment's keys, then the
//! profile named by `AWS_PROFILE`, then `profile` of `[deploy]`, then `default`.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Keys, and where they came from (said in error messages, never the secret).
#[derive(Clone)]
pub(crate) struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    /// E.g. "环境变量 AWS_ACCESS_KEY_ID" or "~/.aws/credentials [gazette]".
    pub source: String,
    /// The profile used, if any (its `region` and `endpoint_url` are defaults too).
    pub profile: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials({} from {})",
            self.access_key_id, self.source
        )
    }
}

/// Reads the environment; injected so that tests do not depend on the machine's.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn var(env: Env, name: &str) -> Option<String> {
    env(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn home(env: Env) -> Option<PathBuf> {
    var(env, "HOME").map(PathBuf::from)
}

/// `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`).
pub(crate) fn credentials_file(env: Env) -> Option<PathBuf> {
    var(env, "AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(".aws").join("credentials")))
}

/// `~/.aws/config` (or `AWS_CONFIG_FILE`).
pub(crate) fn config_file(env: Env) -> Option<PathBuf> {
    var(env, "AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(".aws").join("config")))
}

type Ini = BTreeMap<String, BTreeMap<String, String>>;

/// The INI dialect of the AWS files: `[section]`, `key = value`, `#`/`;` comments, and
/// indented sub-keys under an empty value (`s3 =` …), which are skipped.
pub(crate) fn parse_ini(text: &str) -> Ini {
    let mut out: Ini = BTreeMap::new();
    let mut section: Option<String> = None;
    let mut nested = false;
    for line in text.lines() {
        let indented = line.starts_with([' ', '\t']);
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        if indented && nested {
            continue;
        }
        if l.starts_with('[') && l.ends_with(']') {
            section = Some(l[1..l.len() - 1].trim().to_string());
            nested = false;
            continue;
        }
        if let (Some(s), Some((k, v))) = (&section, l.split_once('=')) {
            let v = v.trim();
            nested = v.is_empty();
            out.entry(s.clone())
                .or_default()
                .insert(k.trim().to_ascii_lowercase(), v.to_string());
        }
    }
    out
}

/// A profile's section in the config file: `[default]` or `[profile NAME]`.
fn config_section<'a>(ini: &'a Ini, profile: &str) -> Option<&'a BTreeMap<String, String>> {
    if profile == "default" {
        ini.get("default").or_else(|| ini.get("profile default"))
    } else {
        ini.get(&format!("profile {profile}"))
            .or_else(|| ini.get(profile))
    }
}

fn read_ini(path: &Option<PathBuf>) -> Ini {
    path.as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|t| parse_ini(&t))
        .unwrap_or_default()
}

/// What a profile of the config file may set besides keys.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ProfileSettings {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub ca_bundle: Option<String>,
}

/// A profile's `region`, `endpoint_url` and `ca_bundle` in the config file, if any.
pub(crate) fn profile_settings(env: Env, profile: &str) -> ProfileSettings {
    let ini = read_ini(&config_file(env));
    let sec = config_section(&ini, profile);
    let get = |k: &str| {
        sec.and_then(|s| s.get(k))
            .map(|v| v.to_string())
            .filter(|v| !v.is_empty())
    };
    ProfileSettings {
        region: get("region"),
        endpoint_url: get("endpoint_url"),
        ca_bundle: get("ca_bundle"),
    }
}

/// Finds the keys. `cli_profile` is `--profile`, `config_profile` the `[deploy]` one.
pub(crate) fn resolve(
    cli_profile: Option<&str>,
    config_profile: Option<&str>,
    env: Env,
) -> Result<Credentials, String> {
    if let Some(p) = cli_profile {
        return from_profile(p, env, true);
    }
    if let Some(key) = var(env, "AWS_ACCESS_KEY_ID") {
        let Some(secret) = var(env, "AWS_SECRET_ACCESS_KEY") else {
            return Err(
                "设置了 AWS_ACCESS_KEY_ID，但没有设置 AWS_SECRET_ACCESS_KEY (AWS_SECRET_ACCESS_KEY is not set)".into(),
            );
        };
        return Ok(Credentials {
            access_key_id: key,
            secret_access_key: secret,
            session_token: var(env, "AWS_SESSION_TOKEN"),
            source: "环境变量 AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY".into(),
            profile: None,
        });
    }
    if let Some(p) = var(env, "AWS_PROFILE") {
        return from_profile(&p, env, true);
    }
    if let Some(p) = config_profile {
        return from_profile(p, env, true);
    }
    from_profile("default", env, false)
}

fn from_profile(profile: &str, env: Env, named: bool) -> Result<Credentials, String> {
    let cred_path = credentials_file(env);
    let conf_path = config_file(env);
    let creds = read_ini(&cred_path);
    let conf = read_ini(&conf_path);
    let shown = |p: &Option<PathBuf>| {
        p.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "~/.aws/credentials".into())
    };
    let (sec, file) = match creds.get(profile) {
        Some(s) => (Some(s), shown(&cred_path)),
        None => (config_section(&conf, profile), shown(&conf_path)),
    };
    let get = |k: &str| {
        sec.and_then(|s| s.get(k))
            .map(|v| v.to_string())
            .filter(|v| !v.is_empty())
    };
    match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (Some(key), Some(secret)) => Ok(Credentials {
            access_key_id: key,
            secret_access_key: secret,
            session_token: get("aws_session_token"),
            source: format!("{file} [{profile}]"),
            profile: Some(profile.to_string()),
        }),
        _ if named => Err(format!(
            "在 {} 中没有找到配置“{profile}”的访问密钥 (profile {profile} has no aws_access_key_id / aws_secret_access_key)",
            shown(&cred_path)
        )),
        _ => Err(
            "没有找到 S3 访问密钥 (no credentials)：请设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或在 ~/.aws/credentials 中写一个配置并用 --profile 指定。密钥不能写在网站文件里".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| map.get(k).cloned()
    }

    #[test]
    fn ini_of_the_aws_files() {
        let ini = parse_ini(
            "# comment\n[default]\naws_access_key_id = AKIA1\naws_secret_access_key=s1\n\n[profile site]\nregion = cn-north-1\ns3 =\n  addressing_style = path\nendpoint_url = http://x\n; c\n",
        );
        assert_eq!(ini["default"]["aws_access_key_id"], "AKIA1");
        assert_eq!(ini["default"]["aws_secret_access_key"], "s1");
        assert_eq!(ini["profile site"]["region"], "cn-north-1");
        assert_eq!(ini["profile site"]["endpoint_url"], "http://x");
        assert!(!ini["profile site"].contains_key("addressing_style"));
    }

    #[test]
    fn resolution_order() {
        let tmp = tempfile::tempdir().unwrap();
        let aws = tmp.path().join(".aws");
        std::fs::create_dir_all(&aws).unwrap();
        std::fs::write(
            aws.join("credentials"),
            "[default]\naws_access_key_id = DEF\naws_secret_access_key = defsecret\n[site]\naws_access_key_id = SITE\naws_secret_access_key = sitesecret\naws_session_token = tok\n",
        )
        .unwrap();
        std::fs::write(
            aws.join("config"),
            "[profile site]\nregion = cn-north-1\nendpoint_url = https://obs.cn-north-4.myhuaweicloud.com\n[profile cfgonly]\naws_access_key_id = CFG\naws_secret_access_key = cfgsecret\n",
        )
        .unwrap();
        let home = tmp.path().to_string_lossy().to_string();

        let env = env_of(&[("HOME", &home)]);
        assert_eq!(resolve(None, None, &env).unwrap().access_key_id, "DEF");
        let c = resolve(None, Some("site"), &env).unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.session_token.as_deref()),
            ("SITE", Some("tok"))
        );
        assert_eq!(
            resolve(Some("cfgonly"), None, &env).unwrap().access_key_id,
            "CFG"
        );
        assert!(resolve(Some("nosuch"), None, &env)
            .unwrap_err()
            .contains("nosuch"));
        assert_eq!(
            profile_settings(&env, "site"),
            ProfileSettings {
                region: Some("cn-north-1".into()),
                endpoint_url: Some("https://obs.cn-north-4.myhuaweicloud.com".into()),
                ca_bundle: None,
            }
        );

        let env = env_of(&[
            ("HOME", &home),
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "envsecret"),
            ("AWS_PROFILE", "site"),
        ]);
        assert_eq!(
            resolve(None, Some("site"), &env).unwrap().access_key_id,
            "ENVKEY",
            "the environment's keys beat profiles"
        );
        assert_eq!(
            resolve(Some("site"), None, &env).unwrap().access_key_id,
            "SITE",
            "--profile beats the environment"
        );

        let env = env_of(&[("HOME", &home), ("AWS_PROFILE", "site")]);
        assert_eq!(
            resolve(None, Some("default"), &env).unwrap().access_key_id,
            "SITE"
        );

        let env = env_of(&[("HOME", &home), ("AWS_ACCESS_KEY_ID", "K")]);
        assert!(resolve(None, None, &env)
            .unwrap_err()
            .contains("AWS_SECRET_ACCESS_KEY"));

        let empty = tempfile::tempdir().unwrap();
        let env = env_of(&[("HOME", &empty.path().to_string_lossy())]);
        let e = resolve(None, None, &env).unwrap_err();
        assert!(e.contains("AWS_ACCESS_KEY_ID"), "{e}");
        let secret_free = format!(
            "{:?}",
            resolve(None, Some("site"), &env_of(&[("HOME", &home)]))
        );
        assert!(
            !secret_free.contains("sitesecret"),
            "Debug never shows the secret"
        );
    }
}
