//! The preview's HTTP/1.1 connections, bounded against broken or hostile clients: a
//! request head of at most 16 KiB that must arrive within 10 seconds (however slowly it
//! trickles), at most 256 connections at once (the rest get 503 at once), one request per
//! connection, responses written with a time limit. Only GET and HEAD are answered.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::http::{Reply, Server};

/// Largest request head (request line and headers) read.
pub(super) const MAX_HEAD: usize = 16 * 1024;
/// Time a client has to send its whole request head.
pub(super) const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Time a client has to take the response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; the rest are answered 503 without being read.
pub(super) const MAX_CONNECTIONS: usize = 256;

/// Accepts connections forever, each on its own thread.
pub(super) fn serve(listener: TcpListener, server: Arc<Server>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_reply(
                &stream,
                &Reply::text(503, "503 连接太多，请稍后再试 (too many connections)\n"),
                false,
            );
            continue;
        }
        let (server, open) = (server.clone(), open.clone());
        std::thread::spawn(move || {
            handle(stream, &server);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn handle(stream: TcpStream, server: &Server) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let reply_head_only;
    let reply = match read_head(&stream) {
        Ok(head) => {
            let mut parts = head.lines().next().unwrap_or("").split_whitespace();
            let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            reply_head_only = method == "HEAD";
            match method {
                "GET" | "HEAD" => server.reply(target),
                _ => Reply::text(405, "405 只支持 GET 和 HEAD (method not allowed)\n"),
            }
        }
        Err(HeadError::TooLarge) => {
            reply_head_only = false;
            Reply::text(431, "431 请求头太大 (request header fields too large)\n")
        }
        Err(HeadError::Malformed) => {
            reply_head_only = false;
            Reply::text(400, "400 请求无效 (bad request)\n")
        }
        // Timed out or gone: nobody is listening for an answer.
        Err(HeadError::Closed) => return,
    };
    let _ = write_reply(&stream, &reply, reply_head_only);
}

#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    TooLarge,
    Malformed,
    Closed,
}

/// Reads up to the blank line that ends the request head, within `MAX_HEAD` bytes and
/// `HEAD_DEADLINE` in all.
fn read_head(mut stream: &TcpStream) -> Result<String, HeadError> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Closed);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Closed)?;
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => return Err(HeadError::Closed),
            Ok(n) => n,
        };
        let searched_from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = memchr::memmem::find(&head[searched_from..], b"\r\n\r\n") {
            head.truncate(searched_from + end);
            return String::from_utf8(head).map_err(|_| HeadError::Malformed);
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
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
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
    if reply.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
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
        let r = send(&addr, b"POST / HTTP/1.1\r\n\r\n");
        assert!(r.starts_with("HTTP/1.1 405"), "{r}");
    }

    #[test]
    fn a_huge_header_is_refused_after_16_kib() {
        let addr = start();
        let mut req = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
        req.extend(std::iter::repeat_n(b'a', 1 << 20));
        let r = send(&addr, &req);
        assert!(r.starts_with("HTTP/1.1 431"), "{}", &r[..r.len().min(80)]);
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
