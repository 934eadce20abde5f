//! Live reload: Server-Sent Events to every open page, and the small script that listens.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One event for the pages: `reload` (with the changed URL paths), `css`, `build-error` or `ok`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) name: &'static str,
    /// JSON.
    pub(crate) data: String,
}

impl Event {
    fn frame(&self) -> String {
        format!("event: {}\ndata: {}\n\n", self.name, self.data)
    }
}

/// The open event streams. Each client has its own writer thread, so a slow or vanished
/// browser never holds up the others or the rebuild.
#[derive(Clone, Default)]
pub(crate) struct Clients {
    senders: Arc<Mutex<Vec<Sender<Event>>>>,
}

impl Clients {
    /// Takes over a request's connection as an event stream; `first` is sent at once.
    pub(crate) fn attach(&self, mut stream: Box<dyn Write + Send>, first: Option<Event>) {
        let (sender, receiver) = mpsc::channel();
        if let Some(event) = first {
            let _ = sender.send(event);
        }
        // Registered before the client hears anything: once it reads `retry:`, no event can
        // pass it by (events wait in the channel until the pump starts).
        if let Ok(mut senders) = self.senders.lock() {
            senders.push(sender);
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
        if stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return; // the receiver is dropped with `receiver`, so the next broadcast forgets it
        }
        std::thread::spawn(move || pump(stream, receiver));
    }

    pub(crate) fn broadcast(&self, event: &Event) {
        if let Ok(mut senders) = self.senders.lock() {
            senders.retain(|sender| sender.send(event.clone()).is_ok());
        }
    }
}

/// Writes events to one client until it goes away; a comment every 15 s finds dead ones.
fn pump(mut stream: Box<dyn Write + Send>, events: Receiver<Event>) {
    loop {
        let frame = match events.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => event.frame(),
            Err(mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_owned(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if stream
            .write_all(frame.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return; // the receiver is dropped, so the next broadcast forgets this client
        }
    }
}

/// JSON string literal of `text`.
pub(crate) fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// The script injected into every served HTML page. `strings` maps language codes to the
/// overlay's title and hint in that language.
pub(crate) fn script(strings: &str) -> String {
    format!(
        "<script data-mekong-live>{}</script>",
        SCRIPT.replace("__STRINGS__", strings)
    )
}

const SCRIPT: &str = r#"(()=>{const S=__STRINGS__;const L=S[document.documentElement.lang]||S.en||Object.values(S)[0];
const here=location.pathname;let shown=false;
function hide(){const o=document.getElementById("mekong-overlay");if(o){o.remove();}shown=false;}
function show(m){hide();const o=document.createElement("div");o.id="mekong-overlay";o.setAttribute("role","alertdialog");o.setAttribute("aria-live","assertive");
o.style.cssText="position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.94);color:#fff;padding:2rem;overflow:auto;font:16px/1.5 system-ui,sans-serif";
const h=document.createElement("h2");h.textContent=L.title;h.style.cssText="margin:0 0 .5rem;color:#ff8a80";
const p=document.createElement("p");p.textContent=L.hint;const pre=document.createElement("pre");pre.textContent=m;pre.lang="en";
pre.style.cssText="white-space:pre-wrap;background:#000;padding:1rem;border-radius:4px;font:14px/1.5 ui-monospace,monospace";
o.append(h,p,pre);document.body.append(o);shown=true;}
// Connect once the page has loaded (an open stream would keep it "loading"), or after a
// second at the latest, so a slow image never leaves the page without live reload.
let connected=false;
function connect(){if(connected){return;}connected=true;const es=new EventSource("/__mekong/events");
es.addEventListener("open",()=>{document.documentElement.dataset.mekongLive="connected";});
es.addEventListener("build-error",e=>{show(JSON.parse(e.data).message);});
es.addEventListener("ok",()=>{if(shown){location.reload();}});
es.addEventListener("css",()=>{hide();for(const l of document.querySelectorAll('link[rel="stylesheet"]')){const u=new URL(l.href);u.searchParams.set("mekong-live",Date.now());l.href=u.href;}});
es.addEventListener("reload",e=>{const changed=JSON.parse(e.data);if(shown||changed.some(p=>p===here||!/\.(html|xml|txt)$|\/$/.test(p))){location.reload();}});
}
if(document.readyState==="complete"){connect();}else{addEventListener("load",connect);setTimeout(connect,1000);}
})();"#;
