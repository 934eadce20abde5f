//! The connection guard: mekong accepts every connection itself and relays it to tiny_http over
//! a private local socket, within fixed bounds, so that no client can make the server start
//! threads, hold files or buffer header bytes without limit.
//!
//! tiny_http 0.12 starts a thread per connection whenever none is free, never times a client
//! out and reads header lines of any length; it offers no way to take over a socket accepted
//! elsewhere. So it listens only on a socket nobody else can reach, and every connection it
//! sees comes through here: at most `max_connections` at once, each with idle, head and write
//! time-outs and a size limit on request lines and headers.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tiny_http::{HTTPVersion, Header, Response, StatusCode};

use super::backend::{Backend, BackendStream};

/// The most connections held open at once when the open-file limit allows.
pub(crate) const MAX_CONNECTIONS: usize = 128;
/// Each relayed connection holds four descriptors: the client's, both ends of the private
/// socket, and tiny_http's clone of its end.
const FILES_PER_CONNECTION: u64 = 4;
/// Descriptors kept free for everything else: the site's files while rebuilding, the watcher.
const FILES_IN_RESERVE: u64 = 96;
/// Longest request line or header line, in bytes.
pub(crate) const MAX_LINE: usize = 8 * 1024;
/// Largest request head (request line and headers), in bytes.
pub(crate) const MAX_HEAD: usize = 32 * 1024;
/// A connection on which nothing moved either way for this long is closed; open event streams
/// send a comment more often than this.
pub(crate) const IDLE: Duration = Duration::from_secs(8);
/// A request head must arrive whole within this time of its first byte.
const HEAD_TIMEOUT: Duration = Duration::from_secs(8);
/// A client that takes no response bytes for this long has gone.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Sent data that stays unacknowledged this long means the client vanished (laptop closed).
#[cfg(target_os = "linux")]
const UNACKNOWLEDGED: Duration = Duration::from_secs(15);
/// How often a waiting relay looks at its clocks.
const TICK: Duration = Duration::from_secs(1);
/// A request tiny_http has not begun to answer in this time may be waiting for a thread that
/// tiny_http forgot to wake: see [`Backend::nudge`].
const NUDGE_AFTER: Duration = Duration::from_millis(100);
/// The accept call may fail for this long (out of files, say) before the server gives up.
const ACCEPT_FAILURES: Duration = Duration::from_secs(10);

/// How many connections fit in the process's open-file limit, at most [`MAX_CONNECTIONS`].
pub(crate) fn connection_cap() -> usize {
    let cap = open_file_limit()
        .map(|limit| limit.saturating_sub(FILES_IN_RESERVE) / FILES_PER_CONNECTION)
        .map_or(MAX_CONNECTIONS, |fit| {
            usize::try_from(fit).unwrap_or(usize::MAX).min(MAX_CONNECTIONS)
        });
    cap.max(1)
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    // rlim_t is u64 on Linux and macOS, not on every Unix.
    #[allow(clippy::useless_conversion)]
    let current = u64::try_from(limit.rlim_cur).unwrap_or(u64::MAX);
    (limit.rlim_cur != libc::RLIM_INFINITY).then_some(current)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// Lets the kernel queue a burst of new connections (a page opening twenty tabs, or a flood)
/// while the accept loop catches up; std's queue of 128 drops the rest, and those clients
/// only try again a second later.
pub(crate) fn deepen_queue(listener: &TcpListener) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: calling listen again on a listening socket only changes its queue length.
        unsafe { libc::listen(listener.as_raw_fd(), 1024) };
    }
    #[cfg(not(unix))]
    let _ = listener;
}

/// Accepts connections on `listener` and relays them to tiny_http until the listener fails for
/// good; returns why, in words for the person running the server.
pub(crate) fn accept_loop(listener: &TcpListener, backend: &Backend, max_connections: usize) -> String {
    let open = Arc::new(AtomicUsize::new(0));
    let mut failing_since: Option<Instant> = None;
    loop {
        let client = match listener.accept() {
            Ok((client, _)) => client,
            Err(err) => {
                if listener_is_broken(&err) {
                    return format!("the preview server can no longer accept connections: {err}");
                }
                let since = *failing_since.get_or_insert_with(Instant::now);
                if since.elapsed() > ACCEPT_FAILURES {
                    return format!(
                        "the preview server could not accept connections for {} s: {err}",
                        ACCEPT_FAILURES.as_secs()
                    );
                }
                // Out of files, or a connection that died while queued: the queue keeps the
                // rest, so wait a moment rather than spin.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        failing_since = None;
        let Some(slot) = Slot::take(&open, max_connections) else {
            refuse(&client, 503, "busy: too many connections, try again in a moment");
            continue;
        };
        let backend = backend.clone();
        // A thread that cannot start drops the connection (and the slot) with the closure.
        let _ = std::thread::Builder::new()
            .name("mekong-connection".to_owned())
            .spawn(move || relay(client, &backend, slot));
    }
}

/// Errors after which `accept` will never succeed again.
fn listener_is_broken(err: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            err.raw_os_error(),
            Some(libc::EBADF | libc::EINVAL | libc::ENOTSOCK | libc::EFAULT)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}

/// One of the limited connection places, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>, max: usize) -> Option<Slot> {
        open.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < max).then_some(n + 1)
        })
        .ok()
        .map(|_| Slot(open.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Answers `status` and closes, without reading the request. The socket is fresh, so the short
/// answer fits its send buffer; a write time-out guards against the rare client that is not.
fn refuse(client: &TcpStream, status: u16, message: &str) {
    let _ = client.set_write_timeout(Some(Duration::from_secs(1)));
    let mut response = Response::from_string(message)
        .with_status_code(StatusCode(status))
        .with_header(header("Connection", "close"));
    if status == 503 {
        response = response.with_header(header("Retry-After", "1"));
    }
    let _ = response.raw_print(client, HTTPVersion(1, 1), &[], false, None);
    let _ = client.shutdown(Shutdown::Both);
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names and values are valid")
}

/// Carries one client connection to tiny_http and back until either side ends or a limit is hit.
fn relay(client: TcpStream, backend: &Backend, _slot: Slot) {
    let inner = match backend.connect() {
        Ok(inner) => inner,
        Err(_) => return refuse(&client, 503, "the preview server is restarting, try again"),
    };
    let _ = client.set_nodelay(true);
    let _ = client.set_read_timeout(Some(TICK));
    let _ = client.set_write_timeout(Some(WRITE_TIMEOUT));
    limit_unacknowledged(&client);
    let link = Arc::new(Link {
        client,
        inner,
        backend: backend.clone(),
        started: Instant::now(),
        last_activity: AtomicU64::new(0),
        asked: AtomicU64::new(0),
        answered: AtomicU64::new(0),
    });
    let responses = {
        let link = link.clone();
        std::thread::Builder::new()
            .name("mekong-responses".to_owned())
            .spawn(move || link.copy_responses())
    };
    if let Ok(responses) = responses {
        link.copy_requests();
        link.close();
        let _ = responses.join();
    }
    link.close();
}

#[cfg(target_os = "linux")]
fn limit_unacknowledged(client: &TcpStream) {
    use std::os::fd::AsRawFd;
    let millis = libc::c_uint::try_from(UNACKNOWLEDGED.as_millis()).unwrap_or(libc::c_uint::MAX);
    // SAFETY: a valid socket, an option that takes an unsigned int, and its size.
    unsafe {
        libc::setsockopt(
            client.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_USER_TIMEOUT,
            (&raw const millis).cast(),
            std::mem::size_of::<libc::c_uint>() as libc::socklen_t,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn limit_unacknowledged(_client: &TcpStream) {}

struct Link {
    client: TcpStream,
    inner: BackendStream,
    backend: Backend,
    started: Instant,
    /// Milliseconds after `started` when a byte last moved either way.
    last_activity: AtomicU64,
    /// Milliseconds after `started` when a request head was last complete.
    asked: AtomicU64,
    /// Milliseconds after `started` when tiny_http last sent bytes.
    answered: AtomicU64,
}

impl Link {
    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn touch(&self) {
        self.last_activity.store(self.now(), Ordering::Release);
    }

    /// A request is complete and tiny_http has sent nothing since.
    fn waiting_for_answer(&self) -> Option<Duration> {
        let asked = self.asked.load(Ordering::Acquire);
        (asked > self.answered.load(Ordering::Acquire))
            .then(|| Duration::from_millis(self.now().saturating_sub(asked)))
    }

    fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_activity.load(Ordering::Acquire));
        self.started.elapsed().saturating_sub(last)
    }

    /// Client → tiny_http, watching the size and pace of every request head.
    fn copy_requests(&self) {
        let mut head = HeadLimits::default();
        let mut buffer = [0u8; 8192];
        let mut tick = TICK;
        loop {
            // Look more often while an answer is due, to nudge tiny_http if it never starts.
            let due = if self.waiting_for_answer().is_some() {
                NUDGE_AFTER
            } else {
                TICK
            };
            if due != tick {
                tick = due;
                let _ = self.client.set_read_timeout(Some(tick));
            }
            match (&self.client).read(&mut buffer) {
                Ok(0) => return,
                Ok(n) => {
                    self.touch();
                    match head.scan(&buffer[..n], Instant::now()) {
                        Ok(true) => self.asked.store(self.now().max(1), Ordering::Release),
                        Ok(false) => {}
                        Err(status) => {
                            return refuse(&self.client, status, "request head too large or too slow");
                        }
                    }
                    if (&self.inner).write_all(&buffer[..n]).is_err() {
                        return;
                    }
                }
                Err(err) if matches!(err.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    if let Err(status) = head.check_pace(Instant::now()) {
                        return refuse(&self.client, status, "request head too slow");
                    }
                    if self
                        .waiting_for_answer()
                        .is_some_and(|waited| waited >= NUDGE_AFTER)
                    {
                        self.backend.nudge();
                    }
                    if !head.in_progress() && self.idle_for() >= IDLE {
                        return;
                    }
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    }

    /// tiny_http → client. A client that stops reading fails the write after `WRITE_TIMEOUT`.
    fn copy_responses(&self) {
        let mut buffer = [0u8; 8192];
        loop {
            match (&self.inner).read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    self.answered.store(self.now().max(1), Ordering::Release);
                    if (&self.client).write_all(&buffer[..n]).is_err() {
                        break;
                    }
                    self.touch();
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        self.close();
    }

    /// Ends both directions, which wakes whichever copy is still blocked.
    fn close(&self) {
        let _ = self.client.shutdown(Shutdown::Both);
        let _ = self.inner.shutdown(Shutdown::Both);
    }
}

/// Tracks the request head being received, byte by byte, without buffering it. Request bodies
/// count as head text: the preview answers GET and HEAD only, which have none.
#[derive(Default)]
struct HeadLimits {
    /// Bytes of the current line so far (without CR).
    line: usize,
    /// Whether the current line is the request line.
    first_line: bool,
    /// Bytes of the head so far.
    head: usize,
    /// When the first byte of the current head arrived; `None` between requests.
    since: Option<Instant>,
}

impl HeadLimits {
    fn in_progress(&self) -> bool {
        self.since.is_some()
    }

    /// Accounts for `bytes`: whether a head ended in them, or the status to refuse with.
    fn scan(&mut self, bytes: &[u8], now: Instant) -> Result<bool, u16> {
        let mut ended = false;
        for &byte in bytes {
            match byte {
                b'\r' => {}
                b'\n' if self.since.is_none() => {} // blank lines between requests
                b'\n' if self.line == 0 => {
                    *self = HeadLimits::default();
                    ended = true;
                }
                b'\n' => {
                    self.line = 0;
                    self.first_line = false;
                }
                _ => {
                    if self.since.is_none() {
                        self.since = Some(now);
                        self.first_line = true;
                    }
                    self.line += 1;
                    self.head += 1;
                    if self.line > MAX_LINE {
                        return Err(if self.first_line { 414 } else { 431 });
                    }
                    if self.head > MAX_HEAD {
                        return Err(431);
                    }
                }
            }
        }
        self.check_pace(now).map(|()| ended)
    }

    fn check_pace(&self, now: Instant) -> Result<(), u16> {
        match self.since {
            Some(since) if now.duration_since(since) > HEAD_TIMEOUT => Err(408),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_requests_pass_the_head_limits() {
        let mut head = HeadLimits::default();
        let now = Instant::now();
        let request = b"GET /news/ HTTP/1.1\r\nHost: 127.0.0.1:1111\r\nAccept: */*\r\n\r\n";
        for _ in 0..1000 {
            assert_eq!(head.scan(request, now), Ok(true));
            assert!(!head.in_progress());
        }
        assert_eq!(head.scan(b"GET / HTTP/1.1\r\n", now), Ok(false));
        assert!(head.in_progress());
    }

    #[test]
    fn long_lines_and_heads_are_refused() {
        let now = Instant::now();
        let mut head = HeadLimits::default();
        let long_target = format!("GET /{} HTTP/1.1\r\n", "a".repeat(MAX_LINE));
        assert_eq!(head.scan(long_target.as_bytes(), now), Err(414));

        let mut head = HeadLimits::default();
        let long_header = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n", "a".repeat(MAX_LINE));
        assert_eq!(head.scan(long_header.as_bytes(), now), Err(431));

        let mut head = HeadLimits::default();
        assert_eq!(head.scan(b"GET / HTTP/1.1\r\n", now), Ok(false));
        let many = "X-Header: value-of-some-length\r\n".repeat(MAX_HEAD / 20);
        assert_eq!(head.scan(many.as_bytes(), now), Err(431));
    }

    #[test]
    fn a_head_sent_slowly_times_out() {
        let start = Instant::now();
        let mut head = HeadLimits::default();
        assert_eq!(head.scan(b"GET / HTTP/1.1\r\nHost: x", start), Ok(false));
        assert_eq!(head.check_pace(start + HEAD_TIMEOUT / 2), Ok(()));
        assert_eq!(head.scan(b"y", start + HEAD_TIMEOUT * 2), Err(408));
    }

    #[test]
    fn slots_are_limited_and_given_back() {
        let open = Arc::new(AtomicUsize::new(0));
        let first = Slot::take(&open, 2).unwrap();
        let _second = Slot::take(&open, 2).unwrap();
        assert!(Slot::take(&open, 2).is_none());
        drop(first);
        assert!(Slot::take(&open, 2).is_some());
    }

    #[test]
    fn the_cap_leaves_room_for_everything_else() {
        let cap = connection_cap();
        assert!((1..=MAX_CONNECTIONS).contains(&cap));
        if let Some(limit) = open_file_limit() {
            assert!(cap as u64 * FILES_PER_CONNECTION + FILES_IN_RESERVE <= limit.max(FILES_IN_RESERVE + 4));
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_broken_listener_ends_the_accept_loop_with_a_reason() {
        use std::os::fd::AsRawFd;
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        // SAFETY: shutting down a socket this test owns; accept then fails with EINVAL.
        unsafe { libc::shutdown(listener.as_raw_fd(), libc::SHUT_RDWR) };
        let (_tiny, backend) = Backend::listen().unwrap();
        let reason = accept_loop(&listener, &backend, 4);
        assert!(reason.contains("can no longer accept connections"), "{reason}");
    }
}
