//! Clients that misbehave, over raw TCP, against a receiver on 127.0.0.1:
//! the fault test (tests/receiver.rs) and the load bench's fault phase
//! (benches/receiver_load.rs) send the same faults.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// How long a client waits for an answer before it gives up.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// One way of sending a request that must not become an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A declared length over the limit, and nothing of the body.
    DeclaredTooLarge,
    /// A chunked body that goes on past the limit.
    StreamedTooLarge,
    /// Half the body, then the client closes its side.
    CutBody,
    /// The connection closed in the middle of the headers.
    DroppedInHeaders,
    /// Half the body, then a reset (RST) instead of a close.
    Reset,
    /// The whole body, under a digest of other bytes.
    BadDigest,
}

/// Where faults go and what they carry.
pub struct Target {
    pub address: SocketAddr,
    /// The receiver's body limit.
    pub limit: usize,
    /// A body the receiver would accept, cut or mis-signed by the faults.
    pub body: Vec<u8>,
    /// How long a reset client waits between sending half the body and
    /// resetting, so that the server is reading the body when it comes.
    pub reset_after: Duration,
}

impl Fault {
    pub const ALL: [Fault; 6] = [
        Fault::DeclaredTooLarge,
        Fault::StreamedTooLarge,
        Fault::CutBody,
        Fault::DroppedInHeaders,
        Fault::Reset,
        Fault::BadDigest,
    ];

    /// Sends the fault on a fresh connection; the status of the answer, if
    /// one came.
    pub fn send(self, target: &Target) -> Option<u16> {
        let body = &target.body;
        let half = &body[..body.len() / 2];
        let sized = post_head(&format!("content-length: {}\r\n", body.len()));
        match self {
            Fault::DeclaredTooLarge => {
                let head = post_head(&format!("content-length: {}\r\n", 100 * 1024 * 1024));
                exchange(target.address, &head, b"", false)
            }
            Fault::StreamedTooLarge => {
                // 64 chunks of 1 KiB past the limit, of a body that never
                // ends: the answer must come before any end.
                let chunk = format!("400\r\n{}\r\n", "x".repeat(1024));
                let chunks = chunk.repeat(target.limit / 1024 + 64);
                let head = post_head("transfer-encoding: chunked\r\n");
                exchange(target.address, &head, chunks.as_bytes(), false)
            }
            Fault::CutBody => exchange(target.address, &sized, half, true),
            Fault::DroppedInHeaders => {
                let mut stream = TcpStream::connect(target.address).ok()?;
                let _ = stream.write_all(b"POST / HTTP/1.1\r\nhost: 127.");
                None
            }
            Fault::Reset => {
                let mut stream = TcpStream::connect(target.address).ok()?;
                let _ = stream.write_all(sized.as_bytes());
                let _ = stream.write_all(half);
                std::thread::sleep(target.reset_after);
                // A linger of zero makes the close a reset.
                let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
                None
            }
            Fault::BadDigest => {
                // Well-formed, and not the HMAC of this body under any
                // secret one would use.
                let extra = format!(
                    "content-length: {}\r\nx-onefuzz-digest: {}\r\n",
                    body.len(),
                    "0".repeat(128)
                );
                exchange(target.address, &post_head(&extra), body, false)
            }
        }
    }

    /// Whether `status` is an answer the receiver may give this fault
    /// (`None`: no answer).
    pub fn answered_as_it_should(self, status: Option<u16>) -> bool {
        match self {
            Fault::DeclaredTooLarge | Fault::StreamedTooLarge => status == Some(413),
            // The server may answer the half it read, or close.
            Fault::CutBody => status.is_none_or(|s| s == 400),
            Fault::DroppedInHeaders | Fault::Reset => status.is_none(),
            Fault::BadDigest => status == Some(401),
        }
    }
}

/// A request line and headers for `POST /`, with `extra` headers.
fn post_head(extra: &str) -> String {
    format!("POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n{extra}\r\n")
}

/// Writes `head` and `body` on a fresh connection (then closes the writing
/// side if `then_close`) and reads the status of the answer, if one comes
/// within ANSWER_TIMEOUT.
fn exchange(address: SocketAddr, head: &str, body: &[u8], then_close: bool) -> Option<u16> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(ANSWER_TIMEOUT)).ok()?;
    stream.write_all(head.as_bytes()).ok()?;
    // The server may answer and close before the body is all written.
    let _ = stream.write_all(body);
    if then_close {
        let _ = stream.shutdown(Shutdown::Write);
    }
    let mut answer = Vec::new();
    let mut buffer = [0; 1024];
    while status(&answer).is_none() {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    status(&answer)
}

/// The status of an answer whose status line has arrived.
fn status(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|&b| b == b'\r').next()?;
    if line.len() == answer.len() {
        return None;
    }
    std::str::from_utf8(line)
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

/// `count` clients at once that each declare a 1,000-byte body and send it
/// one byte every `interval`, as a client on a bad line would; the status
/// each is answered with, if one comes within ANSWER_TIMEOUT. One thread
/// drives them all, so that many cost the client side little memory.
pub fn slow_bodies(address: SocketAddr, count: usize, interval: Duration) -> Vec<Option<u16>> {
    let head = post_head("content-length: 1000\r\n");
    let mut clients: Vec<(Option<TcpStream>, Vec<u8>)> = (0..count)
        .map(|_| (open(address, &head), Vec::new()))
        .collect();
    let deadline = Instant::now() + ANSWER_TIMEOUT;
    while Instant::now() < deadline && clients.iter().any(|(stream, _)| stream.is_some()) {
        for (slot, answer) in &mut clients {
            let Some(stream) = slot else { continue };
            let mut buffer = [0; 256];
            let done = match stream.read(&mut buffer) {
                Ok(0) => true,
                Ok(n) => {
                    answer.extend_from_slice(&buffer[..n]);
                    status(answer).is_some()
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    // Still waiting: one more byte.
                    matches!(stream.write(b" "), Err(e) if e.kind() != ErrorKind::WouldBlock)
                }
                Err(_) => true,
            };
            if done {
                *slot = None;
            }
        }
        std::thread::sleep(interval);
    }
    clients.iter().map(|(_, answer)| status(answer)).collect()
}

/// A connection that has sent `head`, made non-blocking.
fn open(address: SocketAddr, head: &str) -> Option<TcpStream> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream.write_all(head.as_bytes()).ok()?;
    stream.set_nonblocking(true).ok()?;
    Some(stream)
}
