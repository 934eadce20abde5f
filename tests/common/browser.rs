//! A real headless Chromium, driven through the DevTools protocol over a WebSocket.
#![allow(dead_code, unreachable_pub)]

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

pub struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

/// Where Debian puts Chromium; `None` (with a loud message) when it is not installed. In CI a
/// missing browser is a failure, never a silent pass.
pub fn chromium() -> Option<PathBuf> {
    for candidate in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if std::path::Path::new(candidate).exists() {
            return Some(PathBuf::from(candidate));
        }
    }
    super::missing_tool("Chromium", "apt-get install chromium fonts-noto-core");
    None
}

impl Browser {
    pub fn launch(binary: &PathBuf) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        // Chromium writes its DevTools port and browser path into the profile folder.
        let file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + Duration::from_secs(30);
        let text = loop {
            if let Ok(text) = std::fs::read_to_string(&file)
                && text.lines().count() >= 2
            {
                break text;
            }
            assert!(
                Instant::now() < deadline,
                "chromium did not start its DevTools endpoint"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut lines = text.lines();
        let port = lines.next().unwrap().trim();
        let path = lines.next().unwrap().trim();
        let (socket, _) =
            tungstenite::connect(format!("ws://127.0.0.1:{port}{path}")).expect("connect to chromium");
        Browser {
            child,
            socket,
            next_id: 0,
            _profile: profile,
        }
    }

    /// Sends a DevTools command and waits for its answer.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket.send(Message::text(message.to_string())).unwrap();
        loop {
            let reply = self.socket.read().expect("read from chromium");
            let Message::Text(text) = reply else { continue };
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["id"] == json!(id) {
                assert!(value.get("error").is_none(), "{method} failed: {value}");
                return value["result"].clone();
            }
        }
    }

    /// Opens `url` in a new tab; returns the DevTools session of the tab.
    pub fn open(&mut self, url: &str) -> String {
        let target = self.call(None, "Target.createTarget", json!({ "url": url }));
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        let session = attached["sessionId"].as_str().unwrap().to_owned();
        // A new tab starts as about:blank, which is already "complete": wait for the real page.
        self.wait_for(
            &session,
            "location.href !== 'about:blank' && document.readyState !== 'loading'",
            30,
        );
        session
    }

    /// Evaluates JavaScript in the tab and returns its value.
    pub fn eval(&mut self, session: &str, expression: &str) -> Value {
        let result = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(details) = result.get("exceptionDetails") {
            panic!(
                "the page threw while evaluating {}: {details}",
                &expression[..expression.len().min(80)]
            );
        }
        result["result"]["value"].clone()
    }

    /// Evaluates `expression` until it is true, or panics after `seconds`. While a page
    /// (re)loads, evaluation may throw or find no document: that counts as not yet.
    pub fn wait_for(&mut self, session: &str, expression: &str, seconds: u64) {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let guarded =
            format!("(() => {{ try {{ return !!({expression}); }} catch (e) {{ return false; }} }})()");
        loop {
            self.next_id += 1;
            let id = self.next_id;
            let message = json!({ "id": id, "method": "Runtime.evaluate", "sessionId": session,
                "params": { "expression": guarded, "returnByValue": true } });
            self.socket.send(Message::text(message.to_string())).unwrap();
            let reply = loop {
                let Message::Text(text) = self.socket.read().expect("read from chromium") else {
                    continue;
                };
                let value: Value = serde_json::from_str(&text).unwrap();
                if value["id"] == json!(id) {
                    break value;
                }
            };
            if reply["result"]["result"]["value"] == json!(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for: {expression}\nlast answer: {reply}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
