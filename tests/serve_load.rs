//! `mekong serve` under load, with 1,024 open files: no client can exhaust its threads, files
//! or memory, and afterwards it answers at once and is back where it started.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::Site;
use common::server::Server;

/// The guard's bounds (src/serve/guard.rs, src/serve/live.rs): 128 connections, each relayed
/// by two threads and read by one of tiny_http's, and 64 event-stream writers, plus the
/// server's own few threads.
const THREAD_CAP: u64 = 3 * 128 + 64 + 32;
/// Threads of a server with nothing to do: main, watcher, acceptors, request threads, and
/// tiny_http's four spare ones.
const IDLE_THREADS: u64 = 24;

/// A field of /proc/PID/status, as a number (`Threads`, or `VmRSS` in kB).
fn proc_status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// This test holds 900 sockets at once: make sure its own limit allows that.
fn raise_own_file_limit(wanted: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write one rlimit struct.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        if limit.rlim_cur < wanted {
            limit.rlim_cur = wanted.min(limit.rlim_max);
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
    }
    assert!(
        limit.rlim_cur >= 1000,
        "the test needs 1,000 open files; the hard limit is {}",
        limit.rlim_max
    );
}

#[test]
fn floods_of_streams_and_idle_connections_leave_the_server_as_it_was() {
    if !std::path::Path::new("/proc/self/status").exists() {
        common::missing_tool("/proc (Linux)", "run this test on Linux");
        return;
    }
    raise_own_file_limit(4096);
    let test_started = Instant::now();
    let site = Site::fixture("basic");
    let server = Server::start_with(site.root(), &[], Some(1024));
    let pid = server.pid();
    let address: SocketAddr = ([127, 0, 0, 1], server.port).into();
    for _ in 0..20 {
        assert_eq!(server.raw_get("/news/").0, 200);
    }
    let threads_before = proc_status(pid, "Threads");
    let rss_before = proc_status(pid, "VmRSS");

    let done = AtomicBool::new(false);
    let peak_threads = AtomicU64::new(0);
    let peak_rss = AtomicU64::new(0);
    let (streams, waves) = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Acquire) {
                peak_threads.fetch_max(proc_status(pid, "Threads"), Ordering::AcqRel);
                peak_rss.fetch_max(proc_status(pid, "VmRSS"), Ordering::AcqRel);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let phase = Instant::now();
        let streams = open_and_drop_streams(address, 2_000, 100);
        println!("2,000 event streams took {:.1?}", phase.elapsed());
        let phase = Instant::now();
        let waves = hold_idle_connections(address, 10_000, 900, Duration::from_millis(500));
        println!("10,000 idle connections took {:.1?}", phase.elapsed());
        done.store(true, Ordering::Release);
        (streams, waves)
    });

    let asked = Instant::now();
    let (status, _) = server.raw_get("/news/");
    let answered_in = asked.elapsed();
    assert_eq!(status, 200);
    let settle_started = Instant::now();
    let mut threads_after = proc_status(pid, "Threads");
    while threads_after > IDLE_THREADS && settle_started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(250));
        threads_after = proc_status(pid, "Threads");
    }
    let settled_in = settle_started.elapsed();
    let rss_after = proc_status(pid, "VmRSS");
    let peak_threads = peak_threads.into_inner();
    println!(
        "event streams: {} answered 200, {} answered 503, {} failed\n\
         idle connections: {} opened in waves of at most 900, {} failed to connect\n\
         threads: {threads_before} before, {peak_threads} at most (cap {THREAD_CAP}), \
         {threads_after} after ({settled_in:.1?} to settle)\n\
         memory (VmRSS): {} kB before, {} kB at most, {rss_after} kB after\n\
         a page request afterwards was answered in {answered_in:.1?}; whole test {:.1?}",
        streams.0,
        streams.1,
        streams.2,
        waves.0,
        waves.1,
        rss_before,
        peak_rss.into_inner(),
        test_started.elapsed()
    );
    assert!(answered_in < Duration::from_secs(1), "page took {answered_in:?}");
    assert!(peak_threads <= THREAD_CAP, "{peak_threads} threads at once");
    assert!(threads_after <= IDLE_THREADS, "{threads_after} threads left");
    assert!(
        rss_after <= rss_before + 50 * 1024,
        "memory grew from {rss_before} kB to {rss_after} kB"
    );
    assert!(streams.0 >= 64, "streams were served at all");
    // The dropped streams gave their places back: a new page gets its stream.
    let deadline = Instant::now() + Duration::from_secs(10);
    while open_and_drop_streams(address, 1, 1).0 == 0 {
        assert!(Instant::now() < deadline, "no event stream place came free");
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(waves.1 < 100, "{} connections failed", waves.1);
    assert!(test_started.elapsed() < Duration::from_secs(120));
}

/// Opens `count` event streams, `batch` at a time, reads each answer's status line and drops
/// the connection. Returns how many got 200, 503, and neither.
fn open_and_drop_streams(address: SocketAddr, count: usize, batch: usize) -> (usize, usize, usize) {
    let (mut ok, mut busy, mut failed) = (0, 0, 0);
    let request = format!(
        "GET /__mekong/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        address.port()
    );
    for _ in 0..count / batch {
        let streams: Vec<TcpStream> = (0..batch)
            .filter_map(|_| {
                let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2)).ok()?;
                stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
                stream.write_all(request.as_bytes()).ok()?;
                Some(stream)
            })
            .collect();
        failed += batch - streams.len();
        for stream in &streams {
            let mut line = String::new();
            let _ = BufReader::new(stream).read_line(&mut line);
            if line.starts_with("HTTP/1.1 200") {
                ok += 1;
            } else if line.starts_with("HTTP/1.1 503") {
                busy += 1;
            } else {
                failed += 1;
            }
        }
    }
    (ok, busy, failed)
}

/// Opens `count` connections in waves of at most `wave`, each held open and silent for `hold`.
/// Returns how many were opened and how many failed to connect.
fn hold_idle_connections(address: SocketAddr, count: usize, wave: usize, hold: Duration) -> (usize, usize) {
    let (mut opened, mut failed) = (0, 0);
    let mut left = count;
    while left > 0 {
        let size = left.min(wave);
        let held: Vec<TcpStream> = (0..size)
            .filter_map(|_| TcpStream::connect_timeout(&address, Duration::from_secs(2)).ok())
            .collect();
        opened += held.len();
        failed += size - held.len();
        std::thread::sleep(hold);
        drop(held);
        left -= size;
    }
    (opened, failed)
}
