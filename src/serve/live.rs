//! Live reload: Server-Sent Events to every open page, and the small script that listens.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tiny_http::{Header, Request, Response, StatusCode};

/// One event for the pages: `reload` (with the changed URL paths), `css`, `build-error` or `ok`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) name: &'static str,
    /// JSON.
    pub(crate) data: String,
}

impl Event {
    /// Sent to every stream when another attaches, so the list drops streams that ended
    /// even when no build happens for hours; the pump skips it.
    const NONE: Event = Event {
        name: "",
        data: String::new(),
    };

    fn frame(&self) -> String {
        format!("event: {}\ndata: {}\n\n", self.name, self.data)
    }
}

/// The most event streams open at once. One browser needs one (its tabs share it), so this
/// leaves room for a whole office; beyond it a stream gets 503 at once and the page retries.
pub(crate) const MAX_STREAMS: usize = 64;
/// Every open stream gets at least a comment this often, which finds streams whose browser
/// went away and keeps the connection guard from closing a quiet stream as idle.
pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(3);
const _: () = assert!(KEEP_ALIVE.as_secs() * 2 < super::guard::IDLE.as_secs());

/// The open event streams. Each client has its own writer thread, so a slow or vanished
/// browser never holds up the others or the rebuild.
#[derive(Clone, Default)]
pub(crate) struct Clients {
    senders: Arc<Mutex<Vec<Sender<Event>>>>,
    /// Streams whose writer thread is running.
    open: Arc<AtomicUsize>,
}

impl Clients {
    /// Answers `request` with an event stream; `first` is sent at once. Beyond
    /// [`MAX_STREAMS`] the answer is 503, so a page that keeps opening streams exhausts nothing.
    pub(crate) fn attach(&self, request: Request, first: Option<Event>) {
        let taken = self
            .open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_STREAMS).then_some(n + 1)
            })
            .is_ok();
        if !taken {
            let response = Response::from_string("too many live-reload streams, try again")
                .with_status_code(StatusCode(503))
                .with_header(header("Retry-After", "2"));
            let _ = request.respond(response);
            return;
        }
        let open = StreamCount(self.open.clone());
        let mut stream = request.into_writer();
        let (sender, receiver) = mpsc::channel();
        if let Some(event) = first {
            let _ = sender.send(event);
        }
        // Registered before the client hears anything: once it reads `retry:`, no event can
        // pass it by (events wait in the channel until the pump starts).
        if let Ok(mut senders) = self.senders.lock() {
            senders.retain(|sender| sender.send(Event::NONE).is_ok());
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
        let spawned = std::thread::Builder::new()
            .name("mekong-events".to_owned())
            .spawn(move || pump(stream, receiver, open));
        drop(spawned); // a thread that cannot start drops the stream and gives its place back
    }

    pub(crate) fn broadcast(&self, event: &Event) {
        if let Ok(mut senders) = self.senders.lock() {
            senders.retain(|sender| sender.send(event.clone()).is_ok());
        }
    }
}

/// One running stream, counted until its writer thread ends.
struct StreamCount(Arc<AtomicUsize>);

impl Drop for StreamCount {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names and values are valid")
}

/// Writes events to one client until it goes away; a comment every [`KEEP_ALIVE`] finds dead
/// ones within seconds.
fn pump(mut stream: Box<dyn Write + Send>, events: Receiver<Event>, _open: StreamCount) {
    loop {
        let frame = match events.recv_timeout(KEEP_ALIVE) {
            Ok(event) if event == Event::NONE => continue,
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
        SCRIPT
            .replace("__EVENTS__", EVENTS_PATH)
            .replace("__WORKER__", WORKER_PATH)
            .replace("__STRINGS__", strings)
    )
}

/// Where the page script finds the event stream and the shared worker.
pub(crate) const EVENTS_PATH: &str = "/__mekong/events";
pub(crate) const WORKER_PATH: &str = "/__mekong/live-worker.js";

// Every tab of a browser shares one event stream through a SharedWorker: Chromium opens at most
// six connections per host, so a stream per tab left the seventh tab loading for ever. The
// worker holds the stream while any preview tab is open and relays its events; a browser
// without SharedWorker (or a worker that fails to start) gives the tab a stream of its own.
const SCRIPT: &str = r#"(()=>{const S=__STRINGS__;const L=S[document.documentElement.lang]||S.en||Object.values(S)[0];
const here=location.pathname;let shown=false;
function hide(){const o=document.getElementById("mekong-overlay");if(o){o.remove();}shown=false;}
function show(m){hide();const o=document.createElement("div");o.id="mekong-overlay";o.setAttribute("role","alertdialog");o.setAttribute("aria-live","assertive");
o.style.cssText="position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.94);color:#fff;padding:2rem;overflow:auto;font:16px/1.5 system-ui,sans-serif";
const h=document.createElement("h2");h.textContent=L.title;h.style.cssText="margin:0 0 .5rem;color:#ff8a80";
const p=document.createElement("p");p.textContent=L.hint;const pre=document.createElement("pre");pre.textContent=m;pre.lang="en";
pre.style.cssText="white-space:pre-wrap;background:#000;padding:1rem;border-radius:4px;font:14px/1.5 ui-monospace,monospace";
o.append(h,p,pre);document.body.append(o);shown=true;}
function on(name,data){
if(name==="open"){document.documentElement.dataset.mekongLive="connected";}
else if(name==="build-error"){show(JSON.parse(data).message);}
else if(name==="ok"){if(shown){location.reload();}}
else if(name==="css"){hide();for(const l of document.querySelectorAll('link[rel="stylesheet"]')){const u=new URL(l.href);u.searchParams.set("mekong-live",Date.now());l.href=u.href;}}
else if(name==="reload"){const changed=JSON.parse(data);if(shown||changed.some(p=>p===here||!/\.(html|xml|txt)$|\/$/.test(p))){location.reload();}}}
// A stream of this tab's own. Connect once the page has loaded (an open stream would keep it
// "loading"), or after a second at the latest; a refused stream (503) is tried again.
let alone=false;
function single(){if(alone){return;}alone=true;
const open=()=>{const es=new EventSource("__EVENTS__");es.addEventListener("open",()=>on("open"));
for(const n of ["build-error","ok","css","reload"]){es.addEventListener(n,e=>on(n,e.data));}
es.addEventListener("error",()=>{if(es.readyState===2){setTimeout(open,2000);}});};
if(document.readyState==="complete"){open();}else{addEventListener("load",open);setTimeout(open,1000);}}
if(typeof SharedWorker!=="function"){single();return;}
let w;try{w=new SharedWorker("__WORKER__",{name:"mekong-live"});}catch(e){single();return;}
w.addEventListener("error",single);w.port.onmessage=e=>on(e.data.name,e.data.data);w.port.start();
addEventListener("pagehide",()=>w.port.postMessage("bye"));
addEventListener("pageshow",e=>{if(e.persisted){w.port.postMessage("hello");}});
})();"#;

/// The shared worker: one event stream for every preview tab of a browser.
pub(crate) const WORKER: &str = r#""use strict";const ports=new Set();let open=false,error=null;
function post(m){for(const p of ports){p.postMessage(m);}}
function connect(){const es=new EventSource("__EVENTS__");
es.addEventListener("open",()=>{open=true;error=null;post({name:"open"});});
for(const name of ["build-error","ok","css","reload"]){es.addEventListener(name,e=>{
if(name==="build-error"){error=e.data;}else if(name==="ok"){error=null;}post({name,data:e.data});});}
es.addEventListener("error",()=>{open=false;if(es.readyState===2){setTimeout(connect,2000);}});}
onconnect=e=>{const p=e.ports[0];ports.add(p);
p.onmessage=m=>{if(m.data==="bye"){ports.delete(p);}else if(m.data==="hello"){ports.add(p);}};
if(open){p.postMessage({name:"open"});}if(error!==null){p.postMessage({name:"build-error",data:error});}};
connect();"#;

/// The worker's source with its paths filled in.
pub(crate) fn worker() -> String {
    WORKER.replace("__EVENTS__", EVENTS_PATH)
}
