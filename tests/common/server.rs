//! A `mekong serve` process for tests, on a free port, stopped when dropped.
#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

pub struct Server {
    child: Child,
    pub port: u16,
    /// What the server printed after its address, line by line.
    output: Mutex<Receiver<String>>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[], None)
    }

    /// Starts `mekong serve` with `extra` arguments and, when given, a limit on the open files
    /// of the server process (soft and hard, like `ulimit -n`).
    pub fn start_with(root: &Path, extra: &[&str], open_files: Option<u32>) -> Server {
        let mut command = match open_files {
            Some(limit) => {
                let mut command = Command::new("sh");
                command
                    .arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(env!("CARGO_BIN_EXE_mekong"));
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_mekong")),
        };
        let mut child = command
            .args(["serve", "--port", "0"])
            .args(extra)
            .arg("--root")
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let port = loop {
            let line = lines.next().expect("mekong serve printed its address").unwrap();
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .split('/')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
            }
        };
        // Keep draining the output so the server never blocks on a full pipe.
        let (sender, output) = mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Server {
            child,
            port,
            output: Mutex::new(output),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next line the server prints that contains `text`, waiting up to `seconds`.
    pub fn printed(&self, text: &str, seconds: u64) -> Option<String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let output = self.output.lock().unwrap();
            match output.recv_timeout(left) {
                Ok(line) if line.contains(text) => return Some(line),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Sends `target` exactly as given (no client-side normalisation); returns status and body.
    pub fn raw_get(&self, target: &str) -> (u16, Vec<u8>) {
        self.raw_request("GET", target)
    }

    pub fn raw_request(&self, method: &str, target: &str) -> (u16, Vec<u8>) {
        let host = format!("127.0.0.1:{}", self.port);
        self.request_with(method, target, &[("Host", &host)])
    }

    /// Sends a request with exactly these headers (plus `Connection: close`); returns status
    /// and the whole response.
    pub fn request_with(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut head = format!("{method} {target} HTTP/1.1\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Connection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response);
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    /// Opens `/__mekong/events` and delivers each event as (name, data).
    pub fn events(&self) -> Receiver<(String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET /__mekong/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let (sender, receiver) = mpsc::channel();
        let mut lines = BufReader::new(stream).lines();
        // The server sends `retry:` once it has registered the stream: from then on no event
        // can be missed.
        for line in lines.by_ref() {
            if line.unwrap().starts_with("retry:") {
                break;
            }
        }
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in lines {
                let Ok(line) = line else { return };
                if let Some(event) = line.strip_prefix("event: ") {
                    name = event.to_owned();
                } else if let Some(data) = line.strip_prefix("data: ")
                    && sender.send((name.clone(), data.to_owned())).is_err()
                {
                    return;
                }
            }
        });
        receiver
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for an event called `name`, skipping others.
pub fn expect_event(events: &Receiver<(String, String)>, name: &str) -> String {
    loop {
        let (event, data) = events
            .recv_timeout(Duration::from_secs(15))
            .unwrap_or_else(|_| panic!("no `{name}` event within 15 s"));
        if event == name {
            return data;
        }
    }
}

/// A plain static file server (Python's) for a built folder: no mekong code in the way.
pub struct StaticServer(Child);

impl StaticServer {
    pub fn start(folder: &Path, port: u16) -> StaticServer {
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(folder)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs a static server");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "static server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        StaticServer(child)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
