//! The preview's HTTP/1.1 connections, bounded against broken or hostile clients: a
//! request head of at most 16 KiB (16,384 bytes, the blank line that ends it included)
//! that must arrive within 10 seconds (however slowly it trickles), at most 256
//! connections at once (the rest get 503 with `Connection: close` as soon as their head is
//! read, within a second), one request per connection, responses written with a time
//! limit. The preview answers GET and HEAD; the console also takes POST, whose body must
//! say its length (`Content-Length`, at most `MAX_BODY`) and arrive within `BODY_DEADLINE`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::http::{Reply, Request, Server};

/// Largest request head (request line and headers) read.
pub(super) const MAX_HEAD: usize = 16 * 1024;
/// Time a client has to send its whole request head.
pub(super) const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Largest request body read (the console's uploaded spreadsheets, all files of one form).
pub(super) const MAX_BODY: usize = 64 << 20;
/// Time a client has to send a request's body.
const BODY_DEADLINE: Duration = Duration::from_secs(120);
/// Time a client has to take the response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; the rest are answered 503.
pub(super) const MAX_CONNECTIONS: usize = 256;
/// Connections beyond `MAX_CONNECTIONS` being answered 503 at once; any more are closed.
const MAX_REFUSING: usize = 64;
/// Time a refused connection has to send its head, and to take the 503.
const REFUSE_TIMEOUT: Duration = Duration::from_secs(1);

/// Accepts connections forever, each on its own thread.
pub(super) fn serve(listener: TcpListener, server: Arc<Server>) {
    let open = Arc::new(AtomicUsize::new(0));
    let refusing = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            if refusing.fetch_add(1, Ordering::SeqCst) >= MAX_REFUSING {
                refusing.fetch_sub(1, Ordering::SeqCst);
                continue;
            }
            let refusing = refusing.clone();
            std::thread::spawn(move || {
                refuse(&stream);
                refusing.fetch_sub(1, Ordering::SeqCst);
            });
            continue;
        }
        let (server, open) = (server.clone(), open.clone());
        std::thread::spawn(move || {
            handle(stream, &server);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Answers a connection beyond `MAX_CONNECTIONS` with 503. Its head is read first (for at
/// most `REFUSE_TIMEOUT`) and what follows drained after the answer: a socket closed with
/// unread input is reset by the kernel, and the client would see the reset, not the 503.
fn refuse(stream: &TcpStream) {
    let _ = read_head(stream, REFUSE_TIMEOUT);
    let _ = stream.set_write_timeout(Some(REFUSE_TIMEOUT));
    let _ = write_reply(
        stream,
        &Reply::text(503, "503 连接太多，请稍后再试 (too many connections)\n"),
        false,
    );
    close_gently(stream);
}

/// Ends the response (FIN) and reads what the client still sends, for at most
/// `REFUSE_TIMEOUT` and 1 MiB, so that closing does not reset the connection under the
/// answer.
fn close_gently(mut stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + REFUSE_TIMEOUT;
    let mut buf = [0u8; 4096];
    let mut drained = 0;
    while drained < (1 << 20) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

fn handle(stream: TcpStream, server: &Server) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let reply = match read_request(&stream) {
        Ok(req) => {
            let reply = server.handle(&req);
            let _ = write_reply(&stream, &reply, req.method == "HEAD");
            return;
        }
        Err(HeadError::TooLarge) => {
            Reply::text(431, "431 请求头太大 (request header fields too large)\n")
        }
        Err(HeadError::BodyTooLarge) => Reply::text(
            413,
            &format!(
                "413 上传的内容太大：一次最多 {} MB (payload too large)\n",
                MAX_BODY >> 20
            ),
        ),
        Err(HeadError::NoLength) => Reply::text(411, "411 请求要写明内容长度 (length required)\n"),
        Err(HeadError::Malformed) => {
            let _ = write_reply(
                &stream,
                &Reply::text(400, "400 请求无效 (bad request)\n"),
                false,
            );
            return;
        }
        // Timed out or gone: nobody is listening for an answer.
        Err(HeadError::Closed) => return,
    };
    // What the client is still sending is unread: drain it after the answer, or the client
    // sees a reset instead of the answer.
    let _ = write_reply(&stream, &reply, false);
    close_gently(&stream);
}

/// Reads a request: its head, and for a POST its body (of the length it states).
fn read_request(stream: &TcpStream) -> Result<Request, HeadError> {
    let (head, mut body) = read_head(stream, HEAD_DEADLINE)?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    if method == "POST" {
        if header("transfer-encoding").is_some() {
            return Err(HeadError::NoLength);
        }
        let len: usize = match header("content-length").map(|v| v.parse()) {
            Some(Ok(n)) => n,
            Some(Err(_)) => return Err(HeadError::Malformed),
            None => return Err(HeadError::NoLength),
        };
        if len > MAX_BODY {
            return Err(HeadError::BodyTooLarge);
        }
        read_body(stream, &mut body, len)?;
    } else {
        body.clear();
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body,
    })
}

/// Reads until `body` holds `len` bytes (what came with the head is already in it).
fn read_body(stream: &TcpStream, body: &mut Vec<u8>, len: usize) -> Result<(), HeadError> {
    body.truncate(len);
    body.reserve(len - body.len());
    let deadline = Instant::now() + BODY_DEADLINE;
    let mut buf = vec![0u8; 64 * 1024];
    while body.len() < len {
        let want = (len - body.len()).min(buf.len());
        let n = read_before(stream, deadline, &mut buf[..want])?;
        body.extend_from_slice(&buf[..n]);
    }
    Ok(())
}

/// One read of at least a byte into `buf`, given up at `deadline`: a connection that
/// closes, fails or stalls is `Closed`.
fn read_before(
    mut stream: &TcpStream,
    deadline: Instant,
    buf: &mut [u8],
) -> Result<usize, HeadError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(HeadError::Closed);
    }
    stream
        .set_read_timeout(Some(left))
        .map_err(|_| HeadError::Closed)?;
    match stream.read(buf) {
        Ok(0) | Err(_) => Err(HeadError::Closed),
        Ok(n) => Ok(n),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    TooLarge,
    BodyTooLarge,
    NoLength,
    Malformed,
    Closed,
}

/// Reads up to the blank line that ends the request head, within `MAX_HEAD` bytes (the
/// blank line included) and `within` in all. Never reads more than one byte past the limit.
/// Returns the head and what was read after it (the start of a body).
fn read_head(stream: &TcpStream, within: Duration) -> Result<(String, Vec<u8>), HeadError> {
    let deadline = Instant::now() + within;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        let want = (MAX_HEAD + 1 - head.len()).min(buf.len());
        let n = read_before(stream, deadline, &mut buf[..want])?;
        let searched_from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = memchr::memmem::find(&head[searched_from..], b"\r\n\r\n") {
            if searched_from + end + 4 > MAX_HEAD {
                return Err(HeadError::TooLarge);
            }
            let rest = head.split_off(searched_from + end + 4);
            head.truncate(searched_from + end);
            let head = String::from_utf8(head).map_err(|_| HeadError::Malformed)?;
            return Ok((head, rest));
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn write_reply(mut stream: &TcpStream, reply: &Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    if let Some(loc) = &reply.location {
        head.push_str(&format!("Location: {loc}\r\n"));
    }
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.status == 503 {
        head.push_str("Retry-After: 2\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn start() -> String {
        let live = Arc::new(super::super::state::Live::new());
        live.publish_site(BTreeMap::from([(
            "index.html".into(),
            b"<html><body>home</body></html>".to_vec(),
        )]));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = Arc::new(Server::new(live));
        std::thread::spawn(move || serve(listener, server));
        addr
    }

    fn send(addr: &str, bytes: &[u8]) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let _ = s.write_all(bytes);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn answers_get_and_head() {
        let addr = start();
        let r = send(&addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
        assert!(r.contains("home"));
        let r = send(&addr, b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(
            r.starts_with("HTTP/1.1 200 OK\r\n") && !r.contains("home"),
            "{r}"
        );
        let r = send(&addr, b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert!(r.starts_with("HTTP/1.1 405"), "{r}");
        assert!(r.contains("\r\nAllow: GET, HEAD\r\n"), "{r}");
        let r = send(&addr, b"POST / HTTP/1.1\r\n\r\n");
        assert!(r.starts_with("HTTP/1.1 411"), "{r}");
        let r = send(
            &addr,
            format!(
                "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
                MAX_BODY + 1
            )
            .as_bytes(),
        );
        assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    }

    #[test]
    fn a_huge_header_is_refused_after_16_kib() {
        let addr = start();
        let mut req = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
        req.extend(std::iter::repeat_n(b'a', 1 << 20));
        let r = send(&addr, &req);
        assert!(r.starts_with("HTTP/1.1 431"), "{}", &r[..r.len().min(80)]);
    }

    /// A request whose head (blank line included) is exactly `len` bytes long.
    fn head_of(len: usize) -> Vec<u8> {
        let mut req = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
        let fill = len - req.len() - 4;
        req.extend(std::iter::repeat_n(b'a', fill));
        req.extend(b"\r\n\r\n");
        assert_eq!(req.len(), len);
        req
    }

    #[test]
    fn the_head_limit_is_exactly_16_kib() {
        let addr = start();
        let r = send(&addr, &head_of(MAX_HEAD));
        assert!(r.starts_with("HTTP/1.1 200"), "{}", &r[..r.len().min(80)]);
        let r = send(&addr, &head_of(MAX_HEAD + 1));
        assert!(r.starts_with("HTTP/1.1 431"), "{}", &r[..r.len().min(80)]);
        let r = send(&addr, &head_of(MAX_HEAD + 2048));
        assert!(r.starts_with("HTTP/1.1 431"), "{}", &r[..r.len().min(80)]);
    }

    #[test]
    fn connection_257_reads_its_request_then_gets_503_with_connection_close() {
        let addr = start();
        // 256 clients that connect and say nothing hold every place.
        let held: Vec<TcpStream> = (0..MAX_CONNECTIONS)
            .map(|_| TcpStream::connect(&addr).unwrap())
            .collect();
        // The server answers a connection only once it has taken the earlier ones.
        let mut s = TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut early = [0u8; 16];
        let answered_unasked = matches!((&s).read(&mut early), Ok(n) if n > 0);
        assert!(!answered_unasked, "answered before the request was sent");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut out = Vec::new();
        let read = s.read_to_end(&mut out);
        let r = String::from_utf8_lossy(&out);
        assert!(read.is_ok(), "{read:?} after {r:?}");
        assert!(r.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), "{r}");
        assert!(r.contains("\r\nConnection: close\r\n"), "{r}");
        assert!(r.contains("连接太多"), "{r}");
        drop(held);
    }

    #[test]
    fn a_client_that_trickles_its_head_is_cut_off_at_the_deadline() {
        let addr = start();
        let mut s = TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let started = Instant::now();
        // One byte a second would keep a per-read timeout happy forever.
        for b in b"GET / HTTP/1.1\r\nX: "
            .iter()
            .chain(std::iter::repeat(&b'a'))
        {
            if s.write_all(&[*b]).is_err() || started.elapsed() > Duration::from_secs(25) {
                break;
            }
            std::thread::sleep(Duration::from_millis(900));
            let mut probe = [0u8; 1];
            s.set_nonblocking(true).unwrap();
            let closed = matches!(s.read(&mut probe), Ok(0));
            s.set_nonblocking(false).unwrap();
            if closed {
                break;
            }
        }
        let took = started.elapsed();
        assert!(
            took >= HEAD_DEADLINE - Duration::from_secs(1)
                && took < HEAD_DEADLINE + Duration::from_secs(5),
            "closed after {took:?}"
        );
    }
}
