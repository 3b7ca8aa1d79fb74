//! An S3 bucket (AWS or any S3-compatible service) as a deploy target.
//!
//! Requests are signed by `rusty-s3` (sans-IO, presigned URLs with AWS Signature V4) and
//! sent by `ureq` (blocking, rustls), so a deploy needs no async runtime. Comparison uses
//! the ETags of `ListObjectsV2`: for an object uploaded in one `PUT`, as Gazette does, the
//! ETag is the MD5 of its bytes, so one listing compares the whole site without a request
//! per file. Every upload carries `Content-MD5`, so the service refuses a damaged body.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusty_s3::actions::{DeleteObjectsResponse, ListObjectsV2, ObjectIdentifier};
use rusty_s3::{Bucket, S3Action, UrlStyle};

use super::config::Addressing;
use super::credentials::Credentials;
use super::headers::Headers;
use super::plan::RemoteFile;
use super::{is_hidden, DeployError, Store};

/// How long a signed request stays valid: a request is signed just before it is sent.
const SIGNED_FOR: Duration = Duration::from_secs(15 * 60);
/// Attempts of a request that failed on the way (network, 5xx, throttling).
const ATTEMPTS: u32 = 4;

/// Where and how to reach the bucket.
#[derive(Debug, Clone)]
pub(crate) struct S3Options {
    pub bucket: String,
    /// Empty, or ending with `/`.
    pub prefix: String,
    /// None: AWS itself, `https://s3.<region>.amazonaws.com`.
    pub endpoint: Option<String>,
    pub region: String,
    /// None: the usual style of the endpoint (`Addressing::default_for`).
    pub addressing: Option<Addressing>,
    pub credentials: Credentials,
    /// Parallel requests, to size the connection pool.
    pub workers: usize,
    /// PEM file of the certificate authorities to trust instead of the built-in ones
    /// (`AWS_CA_BUNDLE`): for a service on the bureau's network with its own CA.
    pub ca_bundle: Option<std::path::PathBuf>,
}

pub(crate) struct S3Store {
    agent: ureq::Agent,
    bucket: Bucket,
    creds: rusty_s3::Credentials,
    prefix: String,
    endpoint: String,
    source: String,
    /// Set when an upload's ETag is not its MD5 (encryption with KMS, some gateways):
    /// every deploy will then upload every file again.
    etag_not_md5: AtomicBool,
}

/// A failed request, before it is turned into a message.
enum Failure {
    Status {
        status: u16,
        code: String,
        message: String,
    },
    Transport(String),
}

impl S3Store {
    pub(crate) fn new(o: &S3Options) -> Result<S3Store, DeployError> {
        let endpoint_text = match &o.endpoint {
            Some(e) => e.trim().trim_end_matches('/').to_string(),
            None if o.region.starts_with("cn-") => {
                format!("https://s3.{}.amazonaws.com.cn", o.region)
            }
            None => format!("https://s3.{}.amazonaws.com", o.region),
        };
        let bad_endpoint = |why: String| {
            DeployError::Refused(format!(
                "S3 服务地址“{endpoint_text}”无效：{why} (invalid --endpoint; write it like https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:8333)"
            ))
        };
        let endpoint: url::Url = endpoint_text
            .parse()
            .map_err(|e: url::ParseError| bad_endpoint(e.to_string()))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(bad_endpoint("只支持 http:// 和 https://".into()));
        }
        let host = endpoint.host_str().unwrap_or_default().to_string();
        let addressing = o
            .addressing
            .unwrap_or_else(|| Addressing::default_for(&host));
        let style = match addressing {
            Addressing::Path => UrlStyle::Path,
            Addressing::VirtualHost => UrlStyle::VirtualHost,
        };
        let bucket =
            Bucket::new(endpoint, style, o.bucket.clone(), o.region.clone()).map_err(|e| {
                bad_endpoint(format!(
                    "{e:?}（按 {} 方式无法组成存储桶地址；IP 地址请用 --addressing path）",
                    match addressing {
                        Addressing::Path => "path",
                        Addressing::VirtualHost => "virtual-host",
                    }
                ))
            })?;
        let c = &o.credentials;
        let creds = match &c.session_token {
            Some(t) => rusty_s3::Credentials::new_with_token(
                c.access_key_id.clone(),
                c.secret_access_key.clone(),
                t.clone(),
            ),
            None => {
                rusty_s3::Credentials::new(c.access_key_id.clone(), c.secret_access_key.clone())
            }
        };
        let pool = o.workers.max(3);
        let mut config = ureq::Agent::config_builder();
        if let Some(path) = &o.ca_bundle {
            config = config.tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ca_certificates(path)?)
                    .build(),
            );
        }
        let agent: ureq::Agent = config
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(15)))
            .timeout_global(Some(Duration::from_secs(300)))
            .max_idle_connections(pool * 2)
            .max_idle_connections_per_host(pool)
            .user_agent(format!("gazette/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(S3Store {
            agent,
            bucket,
            creds,
            prefix: o.prefix.clone(),
            endpoint: endpoint_text,
            source: c.source.clone(),
            etag_not_md5: AtomicBool::new(false),
        })
    }

    fn key(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    /// Sends a request, retrying what may pass on a second try, and returns the body of a
    /// 2xx answer with its ETag header.
    fn call(
        &self,
        send: impl Fn() -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(String, Option<String>), Failure> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let failure = match send() {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    let etag = resp
                        .headers()
                        .get("etag")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    match resp.body_mut().read_to_string() {
                        Ok(body) if (200..300).contains(&status) => return Ok((body, etag)),
                        Ok(body) => {
                            let (code, message) = error_fields(&body);
                            Failure::Status {
                                status,
                                code,
                                message,
                            }
                        }
                        Err(e) => Failure::Transport(e.to_string()),
                    }
                }
                Err(e) => Failure::Transport(e.to_string()),
            };
            let again = match &failure {
                Failure::Transport(_) => true,
                Failure::Status { status, code, .. } => {
                    *status >= 500 || *status == 429 || code == "SlowDown"
                }
            };
            if !again || attempt >= ATTEMPTS {
                return Err(failure);
            }
            std::thread::sleep(Duration::from_millis(250 << attempt));
        }
    }

    /// A clerk-readable error for a failed request. `what` is (中文, English).
    fn explain(&self, what: (&str, &str), path: &str, f: Failure) -> DeployError {
        let (status, code, message) = match f {
            Failure::Transport(e) => {
                let lower = e.to_ascii_lowercase();
                let hint = if lower.contains("certificate") || lower.contains("issuer") {
                    "。服务的证书不受信任：它用的是本单位自建的 CA 时，用环境变量 AWS_CA_BUNDLE 指定该 CA 的证书文件（PEM）(the service's certificate is not trusted: point AWS_CA_BUNDLE at its CA certificate)"
                } else {
                    ""
                };
                return DeployError::Remote(format!(
                    "无法连接 S3 服务 {}：{e} (cannot reach the S3 service; check --endpoint and the network){hint}",
                    self.endpoint
                ));
            }
            Failure::Status {
                status,
                code,
                message,
            } => (status, code, message),
        };
        let bucket = self.bucket.name();
        let src = &self.source;
        let detail = if message.is_empty() {
            code.clone()
        } else {
            format!("{code}: {message}")
        };
        match code.as_str() {
            "InvalidAccessKeyId" => DeployError::Credentials(format!(
                "S3 拒绝了访问密钥：服务不认识这个访问密钥 ID（{detail}）(access denied: unknown access key id, check AWS_ACCESS_KEY_ID)。密钥来自 {src}"
            )),
            "SignatureDoesNotMatch" => DeployError::Credentials(format!(
                "S3 拒绝了访问密钥：签名不符，私有访问密钥不对（{detail}）(access denied: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)。密钥来自 {src}"
            )),
            "ExpiredToken" | "InvalidToken" | "TokenRefreshRequired" => DeployError::Credentials(format!(
                "S3 拒绝了临时凭证：已过期或无效（{detail}）(session token expired or invalid: check AWS_SESSION_TOKEN)。密钥来自 {src}"
            )),
            "AccessDenied" | "AllAccessDisabled" | "AccountProblem" => DeployError::Credentials(format!(
                "S3 拒绝了访问：这个访问密钥没有{}存储桶“{bucket}”的权限（{detail}）(access denied: the key may not {} in bucket {bucket})。密钥来自 {src}",
                what.0, what.1
            )),
            "NoSuchBucket" => DeployError::Remote(format!(
                "存储桶“{bucket}”不存在 (no such bucket)：请先在对象存储控制台创建它，或检查 --to 和 --endpoint（{}）",
                self.endpoint
            )),
            "RequestTimeTooSkewed" => DeployError::Remote(format!(
                "本机时间与 S3 服务的时间相差太多，请求被拒绝（{detail}）(the clock of this machine is wrong)：请校准系统时间"
            )),
            "AuthorizationHeaderMalformed" | "PermanentRedirect" | "IllegalLocationConstraintException" | "InvalidRegion" => {
                DeployError::Remote(format!(
                    "存储桶“{bucket}”不在这个区域或服务地址（{detail}）(wrong region or endpoint: check --region and --endpoint)"
                ))
            }
            _ if status == 401 || status == 403 => DeployError::Credentials(format!(
                "S3 拒绝了访问（HTTP {status} {detail}）(access denied: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the key's permissions)。密钥来自 {src}"
            )),
            _ if (300..400).contains(&status) => DeployError::Remote(format!(
                "S3 服务要求改用另一个地址（HTTP {status} {detail}）(redirected: check --region, --endpoint and --addressing)"
            )),
            _ => DeployError::Remote(format!(
                "S3 {}失败：{} → HTTP {status} {detail} ({} failed)",
                what.0,
                if path.is_empty() { bucket.to_string() } else { self.key(path) },
                what.1
            )),
        }
    }
}

/// The certificates of a PEM file, as the roots to trust.
fn ca_certificates(path: &std::path::Path) -> Result<ureq::tls::RootCerts, DeployError> {
    let pem = std::fs::read(path).map_err(|e| DeployError::Io(path.to_path_buf(), e))?;
    let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    if certs.is_empty() {
        return Err(DeployError::Refused(format!(
            "AWS_CA_BUNDLE 指定的文件 {} 里没有 PEM 格式的证书 (no PEM certificate in the CA bundle)",
            path.display()
        )));
    }
    Ok(ureq::tls::RootCerts::new_with_certs(&certs))
}

/// `<Code>` and `<Message>` of an S3 error document.
fn error_fields(body: &str) -> (String, String) {
    let field = |tag: &str| {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        body.find(&open)
            .and_then(|i| {
                let rest = &body[i + open.len()..];
                rest.find(&close).map(|j| rest[..j].trim().to_string())
            })
            .unwrap_or_default()
    };
    (field("Code"), field("Message"))
}

/// The MD5 an ETag stands for, when it is one (`"9e10…"`; not `"…-3"` of a multipart upload).
pub(crate) fn etag_md5(etag: &str) -> Option<[u8; 16]> {
    let t = etag.trim().trim_start_matches("W/").trim_matches('"');
    if t.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(t.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Standard base64 of the 16 bytes of an MD5, for `Content-MD5`.
pub(crate) fn base64_md5(md5: &[u8; 16]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(24);
    for chunk in md5.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl Store for S3Store {
    fn describe(&self) -> String {
        format!(
            "s3://{}/{}（{}）",
            self.bucket.name(),
            self.prefix,
            self.endpoint
        )
    }

    fn list(&self) -> Result<Vec<RemoteFile>, DeployError> {
        let mut files = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = ListObjectsV2::new(&self.bucket, Some(&self.creds));
            if !self.prefix.is_empty() {
                action.with_prefix(self.prefix.as_str());
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.as_str());
            }
            let url = action.sign(SIGNED_FOR);
            let (body, _) = self
                .call(|| self.agent.get(url.as_str()).call())
                .map_err(|f| self.explain(("列出", "list objects"), "", f))?;
            let page = ListObjectsV2::parse_response(&body).map_err(|e| {
                DeployError::Remote(format!(
                    "S3 服务返回的对象列表无法解析：{e} (unreadable ListObjectsV2 answer from {})",
                    self.endpoint
                ))
            })?;
            for obj in page.contents {
                let Some(path) = obj.key.strip_prefix(self.prefix.as_str()) else {
                    continue;
                };
                // Keys that are not plain site paths (folder placeholders, `..`, hidden
                // files, characters XML cannot carry) are never touched.
                if path.is_empty()
                    || crate::output::check_site_path(path).is_err()
                    || is_hidden(path)
                    || path.contains(['\u{fffe}', '\u{ffff}'])
                {
                    continue;
                }
                files.push(RemoteFile {
                    path: path.to_string(),
                    size: obj.size.unwrap_or(0),
                    md5: obj.etag.as_deref().and_then(etag_md5),
                });
            }
            match page.next_continuation_token {
                Some(t) if Some(&t) != token.as_ref() => token = Some(t),
                _ => break,
            }
        }
        Ok(files)
    }

    fn put(
        &self,
        path: &str,
        bytes: &[u8],
        md5: &[u8; 16],
        headers: &Headers,
    ) -> Result<(), DeployError> {
        let key = self.key(path);
        let content_md5 = base64_md5(md5);
        let mut action = self.bucket.put_object(Some(&self.creds), &key);
        let h = action.headers_mut();
        h.insert("content-type", headers.content_type.as_str());
        h.insert("cache-control", headers.cache_control.as_str());
        h.insert("content-md5", content_md5.as_str());
        let url = action.sign(SIGNED_FOR);
        let (_, etag) = self
            .call(|| {
                self.agent
                    .put(url.as_str())
                    .header("content-type", &headers.content_type)
                    .header("cache-control", &headers.cache_control)
                    .header("content-md5", &content_md5)
                    .send(bytes)
            })
            .map_err(|f| self.explain(("上传到", "upload"), path, f))?;
        if etag.as_deref().and_then(etag_md5) != Some(*md5) {
            self.etag_not_md5.store(true, Ordering::Relaxed);
        }
        Ok(())
    }

    fn delete(&self, paths: &[String]) -> Result<usize, DeployError> {
        let mut deleted = 0;
        for chunk in paths.chunks(1000) {
            let ids: Vec<ObjectIdentifier> = chunk
                .iter()
                .map(|p| ObjectIdentifier::new(self.key(p)))
                .collect();
            let mut action = self.bucket.delete_objects(Some(&self.creds), ids.iter());
            action.set_quiet(true);
            let url = action.sign(SIGNED_FOR);
            let (body, content_md5) = action.body_with_md5();
            let answer = self.call(|| {
                self.agent
                    .post(url.as_str())
                    .header("content-md5", &content_md5)
                    .header("content-type", "application/xml")
                    .send(body.as_bytes())
            });
            match answer {
                Ok((text, _)) => {
                    let parsed = DeleteObjectsResponse::parse(&text).map_err(|e| {
                        DeployError::Remote(format!(
                            "S3 服务返回的删除结果无法解析：{e} (unreadable DeleteObjects answer)"
                        ))
                    })?;
                    if let Some(first) = parsed.errors.first() {
                        return Err(DeployError::Remote(format!(
                            "S3 没有删除 {} 个对象，例如 {}：{} {} (some deletions failed)",
                            parsed.errors.len(),
                            first.key,
                            first.code,
                            first.message
                        )));
                    }
                    deleted += chunk.len();
                }
                // Services without the batch request: one request per object.
                Err(Failure::Status { code, .. })
                    if code == "NotImplemented" || code == "MethodNotAllowed" =>
                {
                    for p in chunk {
                        let key = self.key(p);
                        let url = self
                            .bucket
                            .delete_object(Some(&self.creds), &key)
                            .sign(SIGNED_FOR);
                        self.call(|| self.agent.delete(url.as_str()).call())
                            .map_err(|f| self.explain(("删除", "delete"), p, f))?;
                        deleted += 1;
                    }
                }
                Err(f) => return Err(self.explain(("删除", "delete"), "", f)),
            }
        }
        Ok(deleted)
    }

    fn notes(&self) -> Vec<String> {
        if self.etag_not_md5.load(Ordering::Relaxed) {
            vec![
                "注意：这个 S3 服务返回的 ETag 不是文件的 MD5（例如启用了 KMS 加密），所以每次部署都会重新上传全部文件 (the service's ETags are not MD5s: every deploy re-uploads everything)"
                .to_string()]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags() {
        let md5 = etag_md5("\"d41d8cd98f00b204e9800998ecf8427e\"").unwrap();
        assert_eq!(md5[0], 0xd4);
        assert_eq!(md5[15], 0x7e);
        assert_eq!(
            etag_md5("D41D8CD98F00B204E9800998ECF8427E"),
            Some(md5),
            "OSS writes upper case"
        );
        assert_eq!(etag_md5("\"d41d8cd98f00b204e9800998ecf8427e-2\""), None);
        assert_eq!(etag_md5("\"\""), None);
        assert_eq!(etag_md5("\"zz1d8cd98f00b204e9800998ecf8427e\""), None);
        assert_eq!(etag_md5("\"d41d8cd98f00b204e9800998ecf842文\""), None);
    }

    #[test]
    fn content_md5_is_base64() {
        // MD5 of the empty string.
        let md5 = etag_md5("d41d8cd98f00b204e9800998ecf8427e").unwrap();
        assert_eq!(base64_md5(&md5), "1B2M2Y8AsgTpgAmY7PhCfg==");
    }

    #[test]
    fn error_documents() {
        let body = "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match.</Message></Error>";
        assert_eq!(
            error_fields(body),
            (
                "SignatureDoesNotMatch".to_string(),
                "The request signature we calculated does not match.".to_string()
            )
        );
        assert_eq!(error_fields(""), (String::new(), String::new()));
    }
}
