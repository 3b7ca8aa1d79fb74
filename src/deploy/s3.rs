//! An S3 bucket (AWS or any S3-compatible service) as a deploy target.
//!
//! Requests are signed with AWS Signature V4 in the `Authorization` header (`sigv4`), the
//! SHA-256 of the body among the signed headers, and sent by `ureq` (blocking, rustls), so
//! a deploy needs no async runtime; no secret, signature or session token is ever part of a
//! URL. `rusty-s3` parses the XML answers. Comparison uses the ETags of `ListObjectsV2`: for
//! an object uploaded in one `PUT`, as Gazette does, the ETag is the MD5 of its bytes, so
//! one listing compares the whole site without a request per file. Every upload carries
//! `Content-MD5`, so the service refuses a damaged body.
//!
//! Besides the site, a deploy keeps two hidden objects under the prefix: the manifest of
//! what it published (`.gazette-deploy.json`) and, while it runs, its lock
//! (`.gazette-deploy.lock`, see [`S3Store::lock`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rusty_s3::actions::{DeleteObjectsResponse, ListObjectsV2};

use super::config::Addressing;
use super::credentials::Credentials;
use super::headers::Headers;
use super::plan::RemoteFile;
use super::sigv4;
use super::{clean, is_hidden, redact_url, DeployError, Store, TargetLock, LOCK_NAME};

/// Attempts of a request that failed on the way (network, 5xx, throttling).
const ATTEMPTS: u32 = 4;
/// How long a deploy's lock object stays valid unless renewed; it is renewed every
/// `LOCK_RENEW` while the deploy runs.
const LOCK_TTL: Duration = Duration::from_secs(10 * 60);
const LOCK_RENEW: Duration = Duration::from_secs(60);
/// How long after writing the lock object it is read back, to see whether a deploy that
/// wrote at the same moment won (services without conditional writes).
const LOCK_SETTLE: Duration = Duration::from_millis(500);
/// How often a waiting deploy looks at the lock again.
const LOCK_POLL: Duration = Duration::from_secs(2);

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

#[derive(Clone)]
pub(crate) struct S3Store {
    agent: ureq::Agent,
    /// `scheme://host[:port]` of the requests (with the bucket in it, virtual-host style).
    origin: String,
    /// The `Host` header, as signed.
    host: String,
    /// The URI path before a key: `/bucket/` (path style) or `/` (virtual-host style).
    base_path: String,
    bucket: String,
    region: String,
    creds: Credentials,
    prefix: String,
    /// As shown to the clerk (no user name or password).
    endpoint: String,
    source: String,
    /// Set when an upload's ETag is not its MD5 (encryption with KMS, some gateways):
    /// every deploy will then upload every file again.
    etag_not_md5: Arc<AtomicBool>,
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

/// One request before signing.
struct Request<'a> {
    method: &'static str,
    /// The whole key (prefix included); `None` for the bucket itself.
    key: Option<&'a str>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: &'a [u8],
}

impl<'a> Request<'a> {
    fn new(method: &'static str, key: Option<&'a str>) -> Request<'a> {
        Request {
            method,
            key,
            query: Vec::new(),
            headers: Vec::new(),
            body: &[],
        }
    }
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
        let shown = clean(&redact_url(&endpoint_text));
        let bad_endpoint = |why: String| {
            DeployError::Refused(format!(
                "S3 服务地址“{shown}”无效：{why} (invalid --endpoint; write it like https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:8333)"
            ))
        };
        let endpoint: url::Url = endpoint_text
            .parse()
            .map_err(|e: url::ParseError| bad_endpoint(e.to_string()))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(bad_endpoint("只支持 http:// 和 https://".into()));
        }
        if has_userinfo(&endpoint_text) {
            return Err(bad_endpoint(
                "地址里不能写用户名或密码：S3 的访问密钥请用环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或 --profile (no user or password in the endpoint)".into(),
            ));
        }
        let Some(url_host) = endpoint.host() else {
            return Err(bad_endpoint("没有主机名".into()));
        };
        let host_text = endpoint.host_str().unwrap_or_default().to_string();
        let addressing = o
            .addressing
            .unwrap_or_else(|| Addressing::default_for(&host_text));
        let port = endpoint.port().map(|p| format!(":{p}")).unwrap_or_default();
        let own_path = endpoint.path().trim_end_matches('/');
        let (host, base_path) = match addressing {
            Addressing::Path => (
                format!("{host_text}{port}"),
                format!("{own_path}/{}/", o.bucket),
            ),
            Addressing::VirtualHost => {
                if !matches!(url_host, url::Host::Domain(_)) {
                    return Err(bad_endpoint(
                        "按 virtual-host 方式无法组成存储桶地址；IP 地址请用 --addressing path"
                            .into(),
                    ));
                }
                (
                    format!("{}.{host_text}{port}", o.bucket),
                    format!("{own_path}/"),
                )
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
            origin: format!("{}://{host}", endpoint.scheme()),
            host,
            base_path,
            bucket: o.bucket.clone(),
            region: o.region.clone(),
            creds: o.credentials.clone(),
            prefix: o.prefix.clone(),
            endpoint: shown,
            source: o.credentials.source.clone(),
            etag_not_md5: Arc::new(AtomicBool::new(false)),
        })
    }

    fn key(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    /// Signs (now) and sends one request.
    fn send(&self, r: &Request) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let path = match r.key {
            Some(k) => format!("{}{}", self.base_path, sigv4::uri_encode(k, true)),
            None => self.base_path.clone(),
        };
        let pairs: Vec<(&str, &str)> = r.query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let query = sigv4::canonical_query(&pairs);
        let url = if query.is_empty() {
            format!("{}{path}", self.origin)
        } else {
            format!("{}{path}?{query}", self.origin)
        };
        let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let payload = sigv4::sha256_hex(r.body);
        let mut headers: Vec<(&str, String)> = r.headers.clone();
        headers.push(("x-amz-date", amz_date.clone()));
        headers.push(("x-amz-content-sha256", payload.clone()));
        if let Some(t) = &self.creds.session_token {
            headers.push(("x-amz-security-token", t.clone()));
        }
        let mut signed: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        signed.push(("host", self.host.as_str()));
        let key = sigv4::Key {
            access_key_id: &self.creds.access_key_id,
            secret_access_key: &self.creds.secret_access_key,
            region: &self.region,
            service: "s3",
        };
        let auth =
            sigv4::authorization(&key, r.method, &path, &query, &signed, &payload, &amz_date);
        headers.push(("authorization", auth));
        macro_rules! with_headers {
            ($b:expr) => {{
                let mut b = $b;
                for (k, v) in &headers {
                    b = b.header(*k, v.as_str());
                }
                b
            }};
        }
        match r.method {
            "GET" => with_headers!(self.agent.get(&url)).call(),
            "DELETE" => with_headers!(self.agent.delete(&url)).call(),
            "POST" => with_headers!(self.agent.post(&url)).send(r.body),
            _ => with_headers!(self.agent.put(&url)).send(r.body),
        }
    }

    /// Sends a request (signed anew for each try), retrying what may pass on a second try,
    /// and returns the body of a 2xx answer with its ETag header.
    fn call(&self, r: &Request) -> Result<(String, Option<String>), Failure> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let failure = match self.send(r) {
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

    /// The text of a small object of Gazette's own (manifest, lock); `None` if absent.
    fn get_text(&self, key: &str) -> Result<Option<String>, Failure> {
        match self.call(&Request::new("GET", Some(key))) {
            Ok((body, _)) => Ok(Some(body)),
            // A missing object, not a missing bucket.
            Err(Failure::Status { status, code, .. })
                if code == "NoSuchKey" || (status == 404 && code.is_empty()) =>
            {
                Ok(None)
            }
            Err(f) => Err(f),
        }
    }

    /// Writes a small object of Gazette's own; `only_new` asks the service to refuse
    /// (412) when the object exists (`If-None-Match: *`).
    fn put_text(&self, key: &str, text: &str, only_new: bool) -> Result<(), Failure> {
        let md5: [u8; 16] = <md5::Md5 as md5::Digest>::digest(text.as_bytes()).into();
        let mut r = Request::new("PUT", Some(key));
        r.headers = vec![
            ("content-type", "application/json".to_string()),
            ("cache-control", "no-store".to_string()),
            ("content-md5", base64_md5(&md5)),
        ];
        if only_new {
            r.headers.push(("if-none-match", "*".to_string()));
        }
        r.body = text.as_bytes();
        self.call(&r).map(|_| ())
    }

    /// A clerk-readable error for a failed request. `what` is (中文, English).
    fn explain(&self, what: (&str, &str), path: &str, f: Failure) -> DeployError {
        let (status, code, message) = match f {
            Failure::Transport(e) => {
                // ureq's text names the URL: no secret is in it (signatures travel in
                // headers), but the service's own words are escaped all the same.
                let e = clean(&redact_url(&e));
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
            } => (status, clean(&code), clean(&message)),
        };
        let bucket = &self.bucket;
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

/// `&`, `<`, `>`, `"`, `'` as XML entities.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Who holds a target's lock: written into the lock object.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LockInfo {
    /// Random per deploy.
    pub owner: String,
    pub host: String,
    pub pid: u32,
    /// Seconds since 1970 after which the lock is void.
    pub expires: u64,
}

impl LockInfo {
    /// Whether the lock still holds at `now`: not expired, and not left by a process of
    /// this machine that is gone (a deploy killed here frees its target at once).
    pub(crate) fn holds(&self, now: u64, this_host: &str) -> bool {
        if now >= self.expires {
            return false;
        }
        if self.host == this_host && cfg!(target_os = "linux") {
            return std::path::Path::new(&format!("/proc/{}", self.pid)).exists();
        }
        true
    }

    pub(crate) fn describe(&self, now: u64) -> String {
        format!(
            "主机 {}，进程 {}，锁在 {} 秒后过期 (host {}, pid {}, expires in {} s)",
            clean(&self.host),
            self.pid,
            self.expires.saturating_sub(now),
            clean(&self.host),
            self.pid,
            self.expires.saturating_sub(now)
        )
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "?".into())
}

/// A token no other deploy has: the time, the process and a counter, hashed.
fn new_owner() -> String {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let seed = format!(
        "{nanos}-{}-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed),
        host_name()
    );
    sigv4::sha256_hex(seed.as_bytes())[..32].to_string()
}

/// The lock object held by this deploy: renewed in the background, deleted when dropped
/// (if it is still ours).
struct S3Lock {
    store: S3Store,
    key: String,
    owner: String,
    stop: Arc<AtomicBool>,
    renewer: Option<std::thread::JoinHandle<()>>,
}

impl Drop for S3Lock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.renewer.take() {
            let _ = t.join();
        }
        let ours = self
            .store
            .get_text(&self.key)
            .ok()
            .flatten()
            .and_then(|t| serde_json::from_str::<LockInfo>(&t).ok())
            .is_some_and(|l| l.owner == self.owner);
        if ours {
            let _ = self.store.call(&Request::new("DELETE", Some(&self.key)));
        }
    }
}

impl TargetLock for S3Lock {}

impl S3Store {
    /// Takes the target's lock object `<prefix>.gazette-deploy.lock`: waits (calling
    /// `on_wait` once with who holds it) while another deploy's lock holds, then writes its
    /// own (`If-None-Match: *` where the object is absent, so that of two deploys only one
    /// can create it), reads it back after a moment and starts over if another deploy's
    /// write won. The lock expires 10 minutes after its last renewal (every minute), so a
    /// deploy killed on another machine blocks the target for at most 10 minutes; one
    /// killed on this machine is noticed at once.
    fn take_lock(&self, on_wait: &dyn Fn(&str)) -> Result<S3Lock, DeployError> {
        let key = self.key(LOCK_NAME);
        let owner = new_owner();
        let host = host_name();
        let fail = |f| self.explain(("锁定部署目标", "lock the target"), LOCK_NAME, f);
        let mut waited = false;
        loop {
            let now = unix_now();
            let current = self.get_text(&key).map_err(fail)?;
            let held = current
                .as_deref()
                .and_then(|t| serde_json::from_str::<LockInfo>(t).ok())
                .filter(|l| l.holds(now, &host));
            if let Some(l) = held {
                if !waited {
                    on_wait(&l.describe(now));
                    waited = true;
                }
                std::thread::sleep(LOCK_POLL);
                continue;
            }
            let info = LockInfo {
                owner: owner.clone(),
                host: host.clone(),
                pid: std::process::id(),
                expires: now + LOCK_TTL.as_secs(),
            };
            let text = serde_json::to_string(&info).unwrap_or_default();
            match self.put_text(&key, &text, current.is_none()) {
                Ok(()) => {}
                // Another deploy created it first.
                Err(Failure::Status { status: 412, .. }) => continue,
                Err(Failure::Status { status: 501, .. }) => {
                    self.put_text(&key, &text, false).map_err(fail)?
                }
                Err(f) => return Err(fail(f)),
            }
            std::thread::sleep(LOCK_SETTLE);
            let back = self
                .get_text(&key)
                .map_err(fail)?
                .and_then(|t| serde_json::from_str::<LockInfo>(&t).ok());
            if back.is_some_and(|l| l.owner == owner) {
                break;
            }
        }
        let stop = Arc::new(AtomicBool::new(false));
        let renewer = {
            let (store, key, stop, owner, host) =
                (self.clone(), key.clone(), stop.clone(), owner.clone(), host);
            std::thread::spawn(move || {
                let mut last = std::time::Instant::now();
                while !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(200));
                    if last.elapsed() < LOCK_RENEW {
                        continue;
                    }
                    last = std::time::Instant::now();
                    let info = LockInfo {
                        owner: owner.clone(),
                        host: host.clone(),
                        pid: std::process::id(),
                        expires: unix_now() + LOCK_TTL.as_secs(),
                    };
                    if let Ok(text) = serde_json::to_string(&info) {
                        let _ = store.put_text(&key, &text, false);
                    }
                }
            })
        };
        Ok(S3Lock {
            store: self.clone(),
            key,
            owner,
            stop,
            renewer: Some(renewer),
        })
    }
}

impl Store for S3Store {
    fn describe(&self) -> String {
        format!("s3://{}/{}（{}）", self.bucket, self.prefix, self.endpoint)
    }

    fn lock(&self, on_wait: &dyn Fn(&str)) -> Result<Box<dyn TargetLock>, DeployError> {
        Ok(Box::new(self.take_lock(on_wait)?))
    }

    fn read_meta(&self, name: &str) -> Result<Option<String>, DeployError> {
        self.get_text(&self.key(name))
            .map_err(|f| self.explain(("读取", "read"), name, f))
    }

    fn write_meta(&self, name: &str, text: &str) -> Result<(), DeployError> {
        self.put_text(&self.key(name), text, false)
            .map_err(|f| self.explain(("写入", "write"), name, f))
    }

    fn list(&self) -> Result<Vec<RemoteFile>, DeployError> {
        let mut files = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut r = Request::new("GET", None);
            r.query.push(("list-type", "2".into()));
            if !self.prefix.is_empty() {
                r.query.push(("prefix", self.prefix.clone()));
            }
            if let Some(t) = &token {
                r.query.push(("continuation-token", t.clone()));
            }
            let (body, _) = self
                .call(&r)
                .map_err(|f| self.explain(("列出", "list objects"), "", f))?;
            let page = ListObjectsV2::parse_response(&body).map_err(|e| {
                DeployError::Remote(format!(
                    "S3 服务返回的对象列表无法解析：{} (unreadable ListObjectsV2 answer from {})",
                    clean(&e.to_string()),
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
        let mut r = Request::new("PUT", Some(&key));
        r.headers = vec![
            ("content-type", headers.content_type.clone()),
            ("cache-control", headers.cache_control.clone()),
            ("content-md5", base64_md5(md5)),
        ];
        r.body = bytes;
        let (_, etag) = self
            .call(&r)
            .map_err(|f| self.explain(("上传到", "upload"), path, f))?;
        if etag.as_deref().and_then(etag_md5) != Some(*md5) {
            self.etag_not_md5.store(true, Ordering::Relaxed);
        }
        Ok(())
    }

    fn delete(&self, paths: &[String]) -> Result<usize, DeployError> {
        let mut deleted = 0;
        for chunk in paths.chunks(1000) {
            let mut body = String::from("<Delete><Quiet>true</Quiet>");
            for p in chunk {
                body.push_str("<Object><Key>");
                body.push_str(&xml_escape(&self.key(p)));
                body.push_str("</Key></Object>");
            }
            body.push_str("</Delete>");
            let md5: [u8; 16] = <md5::Md5 as md5::Digest>::digest(body.as_bytes()).into();
            let mut r = Request::new("POST", None);
            r.query.push(("delete", String::new()));
            r.headers = vec![
                ("content-md5", base64_md5(&md5)),
                ("content-type", "application/xml".to_string()),
            ];
            r.body = body.as_bytes();
            match self.call(&r) {
                Ok((text, _)) => {
                    let parsed = DeleteObjectsResponse::parse(&text).map_err(|e| {
                        DeployError::Remote(format!(
                            "S3 服务返回的删除结果无法解析：{} (unreadable DeleteObjects answer)",
                            clean(&e.to_string())
                        ))
                    })?;
                    if let Some(first) = parsed.errors.first() {
                        return Err(DeployError::Remote(format!(
                            "S3 没有删除 {} 个对象，例如 {}：{} {} (some deletions failed)",
                            parsed.errors.len(),
                            clean(&first.key),
                            clean(&first.code),
                            clean(&first.message)
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
                        self.call(&Request::new("DELETE", Some(&key)))
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

/// Whether a URL (parsable or not) has `user:password@` before its host.
pub(crate) fn has_userinfo(url: &str) -> bool {
    redact_url(url) != url
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
    fn locks_hold_until_they_expire_or_their_process_here_is_gone() {
        let lock = |host: &str, pid: u32, expires: u64| LockInfo {
            owner: "o".into(),
            host: host.into(),
            pid,
            expires,
        };
        let here = host_name();
        assert!(lock("elsewhere", 1, 100).holds(99, &here));
        assert!(!lock("elsewhere", 1, 100).holds(100, &here));
        assert!(lock(&here, std::process::id(), 100).holds(50, &here));
        if cfg!(target_os = "linux") {
            assert!(
                !lock(&here, u32::MAX, 100).holds(50, &here),
                "no such process"
            );
        }
        assert_ne!(new_owner(), new_owner());
        assert!(lock("a\u{1b}[2J", 1, 100).describe(40).contains("60"));
        assert!(!lock("a\u{1b}[2J", 1, 100).describe(40).contains('\u{1b}'));
    }

    #[test]
    fn delete_bodies_escape_keys() {
        assert_eq!(xml_escape("a&b<c>'\""), "a&amp;b&lt;c&gt;&apos;&quot;");
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
