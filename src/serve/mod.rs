//! `mekong serve`: builds the site in memory, serves it on 127.0.0.1 with tiny_http behind a
//! connection guard, watches the site's files and pushes reloads (or the build error) to open
//! pages.

mod backend;
mod guard;
mod hosts;
mod http;
mod live;
mod watch;

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error, Result};
use crate::output::Bytes;
use crate::site::BuildOptions;
use hosts::AllowedHosts;
use http::Snapshot;
use live::{Clients, Event};

pub use crate::input::{ChangeKind, classify};
use crate::site::Change;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: String,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Host names accepted besides this machine's own (`--allow-host`).
    pub allow_hosts: Vec<String>,
}

/// What the server tells the person running it, as it happens.
pub trait Reporter: Send {
    fn info(&mut self, message: &str);
    fn problem(&mut self, message: &str);
}

/// What wakes the main loop: changed files, or a part of the server that stopped for good.
enum Wake {
    Files(notify_debouncer_full::DebounceEventResult),
    Stopped(String),
}

/// What the request threads share: the current build, the open event streams, the host rules.
struct Served {
    snapshot: RwLock<Arc<Snapshot>>,
    last_error: RwLock<Option<String>>,
    clients: Clients,
    hosts: AllowedHosts,
}

/// Request threads tiny_http hands requests to. Answers are quick (the site is in memory) and
/// an event stream gets a thread of its own, so a few are enough.
const WORKERS: usize = 4;

/// Serves until the process is stopped (Ctrl-C). Returns only when it cannot start, or when
/// the server stops accepting connections (then with the reason, so the caller exits non-zero
/// instead of leaving a server that answers nothing).
pub fn serve(options: &ServeOptions, reporter: &mut dyn Reporter) -> Result<()> {
    let (listener, address) = bind(&options.interface, options.port)?;
    let host = if address.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        address.ip().to_string()
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    let base_url = format!("http://{host}:{}/", address.port());
    let hosts = AllowedHosts::new(address, &options.allow_hosts);
    if !address.ip().is_loopback() {
        reporter.problem(&format!(
            "warning: serving on {} — other computers on this network can read the preview",
            address.ip()
        ));
    }

    let build_options = BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: Some(base_url.clone()),
        drafts: options.drafts,
        future: false,
        expired: false,
        ..BuildOptions::default()
    };
    let served = Arc::new(Served {
        snapshot: RwLock::new(Arc::new(Snapshot::default())),
        last_error: RwLock::new(None),
        clients: Clients::default(),
        hosts,
    });
    let mut strings = live::json_string("{}");
    let mut state = State {
        site: crate::site::Site::new(build_options),
        served: served.clone(),
    };
    state.rebuild(reporter, &mut strings, &[], true);

    let (wake, woken) = mpsc::channel();
    start_server(listener, &served, &wake).map_err(|err| {
        Error::new(Diagnostic::error(
            "mekong serve",
            format!("could not start the preview server: {err}"),
        ))
    })?;

    let files = wake.clone();
    // Links are not followed: a link to /usr or /etc would add thousands of watches, and a
    // link loop would never end. Targets inside the site are watched where they are.
    let watch_config = notify_debouncer_full::notify::Config::default().with_follow_symlinks(false);
    let mut debouncer = notify_debouncer_full::new_debouncer_opt::<
        _,
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >(
        Duration::from_millis(20),
        None,
        move |result| {
            let _ = files.send(Wake::Files(result));
        },
        notify_debouncer_full::RecommendedCache::new(),
        watch_config,
    )
    .map_err(|err| {
        Error::new(Diagnostic::error(
            options.root.display().to_string(),
            format!("cannot watch the site folder: {err}"),
        ))
    })?;
    debouncer
        .watch(
            &options.root,
            notify_debouncer_full::notify::RecursiveMode::Recursive,
        )
        .map_err(|err| {
            Error::new(Diagnostic::error(
                options.root.display().to_string(),
                format!("cannot watch the site folder: {err}"),
            ))
        })?;
    reporter.info(&format!("Serving the site at {base_url} (Ctrl-C stops)"));
    let lan_urls = served.hosts.lan_urls();
    if !lan_urls.is_empty() {
        reporter.info(&format!(
            "Other computers on this network can open: {}",
            lan_urls.join("  ")
        ));
    }
    if options.open {
        open_browser(&base_url);
    }
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    // Block on the first event, take whatever else arrived, rebuild, tell the pages, repeat.
    while let Ok(first) = woken.recv() {
        let mut batches = vec![first];
        while let Ok(more) = woken.try_recv() {
            batches.push(more);
        }
        let mut changes: Vec<Change> = Vec::new();
        for batch in batches {
            let events = match batch {
                Wake::Files(Ok(events)) => events,
                // The watcher's own errors (a folder vanished mid-scan) pass; the next
                // event brings a fresh view.
                Wake::Files(Err(_)) => continue,
                Wake::Stopped(reason) => {
                    return Err(Diagnostic::error("mekong serve", reason)
                        .hint("start `mekong serve` again; if this repeats, raise the open-file limit (`ulimit -n 4096`)")
                        .into());
                }
            };
            for path in events
                .into_iter()
                .filter(|event| watch::is_change(&event.event.kind))
                .flat_map(|event| event.event.paths)
            {
                if let Some(kind) = classify(&root, &path) {
                    let path = path.strip_prefix(&root).unwrap_or(&path);
                    changes.push(Change {
                        path: path.to_string_lossy().replace('\\', "/"),
                        kind,
                    });
                }
            }
        }
        if changes.is_empty() {
            continue;
        }
        state.rebuild(reporter, &mut strings, &changes, false);
    }
    Ok(())
}

/// Starts tiny_http behind the connection guard, with its request threads. Whatever stops
/// for good sends the reason to `wake`.
fn start_server(
    listener: TcpListener,
    served: &Arc<Served>,
    wake: &mpsc::Sender<Wake>,
) -> std::io::Result<()> {
    let (private, backend) = backend::Backend::listen()?;
    let server = tiny_http::Server::from_listener(private, None).map_err(std::io::Error::other)?;
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let server = server.clone();
        let served = served.clone();
        let wake = wake.clone();
        std::thread::Builder::new()
            .name("mekong-requests".to_owned())
            .spawn(move || {
                loop {
                    match server.recv() {
                        Ok(request) => answer(request, &served),
                        Err(err) => {
                            let reason = format!("the preview server stopped answering: {err}");
                            let _ = wake.send(Wake::Stopped(reason));
                            return;
                        }
                    }
                }
            })?;
    }
    let wake = wake.clone();
    let max_connections = guard::connection_cap();
    guard::deepen_queue(&listener);
    std::thread::Builder::new()
        .name("mekong-accept".to_owned())
        .spawn(move || {
            let reason = guard::accept_loop(&listener, &backend, max_connections);
            let _ = wake.send(Wake::Stopped(reason));
        })?;
    Ok(())
}

/// Routes one request: the Host rules first, for every path; then the event stream (GET only)
/// or the site (GET and HEAD).
fn answer(request: tiny_http::Request, served: &Served) {
    let Some(request) = http::admit(request, &served.hosts) else {
        return;
    };
    if http::target_path(request.url()) == live::EVENTS_PATH {
        if *request.method() != tiny_http::Method::Get {
            return http::method_not_allowed(request, "GET");
        }
        let first = served
            .last_error
            .read()
            .ok()
            .and_then(|e| e.clone())
            .map(error_event);
        served.clients.attach(request, first);
        return;
    }
    let current = served.snapshot.read().map(|s| s.clone()).unwrap_or_default();
    http::respond(request, &current);
}

fn bind(interface: &str, port: u16) -> Result<(TcpListener, SocketAddr)> {
    let attempts = if port == 0 { 1 } else { 10 };
    let mut last_error = String::new();
    for offset in 0..attempts {
        let port = port.saturating_add(offset);
        let address = format!("{interface}:{port}");
        match TcpListener::bind(&address).and_then(|listener| {
            let bound = listener.local_addr()?;
            Ok((listener, bound))
        }) {
            Ok(bound) => return Ok(bound),
            Err(err) => last_error = format!("{address}: {err}"),
        }
    }
    Err(Diagnostic::error(
        "mekong serve",
        format!(
            "could not listen on {interface} ports {port}–{}: {last_error}",
            port.saturating_add(attempts - 1)
        ),
    )
    .hint("another program uses these ports: stop it, or pass --port with another number")
    .into())
}

fn error_event(message: String) -> Event {
    Event {
        name: "build-error",
        data: format!("{{\"message\":{}}}", live::json_string(&message)),
    }
}

struct State {
    /// The site as the last build left it.
    site: crate::site::Site,
    served: Arc<Served>,
}

impl State {
    /// Rebuilds in memory. On success the new files replace the old and pages whose files
    /// changed reload; on failure the last good site stays up and every page shows the error.
    fn rebuild(
        &mut self,
        reporter: &mut dyn Reporter,
        strings: &mut String,
        changes: &[Change],
        first: bool,
    ) {
        let started = Instant::now();
        match self.site.update(changes) {
            Ok(mut rendering) => {
                *strings = overlay_strings(&rendering);
                let files = load_files(std::mem::take(&mut rendering.files));
                let old = self.served.snapshot.read().map(|s| s.clone()).unwrap_or_default();
                let changed: Vec<String> = files
                    .iter()
                    .filter(|(path, bytes)| {
                        old.files
                            .get(*path)
                            .is_none_or(|o| !Arc::ptr_eq(o, bytes) && o != *bytes)
                    })
                    .map(|(path, _)| url_path(path))
                    .chain(
                        old.files
                            .keys()
                            .filter(|p| !files.contains_key(*p))
                            .map(|p| url_path(p)),
                    )
                    .collect();
                let mut not_found: Vec<(String, String)> = rendering
                    .config
                    .languages
                    .iter()
                    .map(|l| (l.prefix.clone(), format!("{}404.html", l.prefix)))
                    .collect();
                not_found.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
                let snapshot = Snapshot {
                    files,
                    not_found,
                    script: live::script(strings).into(),
                };
                let mut replaced = None;
                if let Ok(mut current) = self.served.snapshot.write() {
                    replaced = Some(std::mem::replace(&mut *current, Arc::new(snapshot)));
                }
                let had_error = self
                    .served
                    .last_error
                    .write()
                    .map(|mut e| e.take().is_some())
                    .unwrap_or(false);
                for warning in &rendering.warnings {
                    reporter.problem(&warning.to_string());
                }
                reporter.info(&format!(
                    "{} in {} ms: {} pages rendered, {} files changed",
                    if first { "Built" } else { "Rebuilt" },
                    started.elapsed().as_millis(),
                    rendering.rendered.len(),
                    changed.len()
                ));
                if had_error {
                    self.served.clients.broadcast(&Event {
                        name: "ok",
                        data: "{}".to_owned(),
                    });
                }
                if !changed.is_empty() && !first {
                    let only_css = changed.iter().all(|p| p.ends_with(".css"));
                    let event = if only_css {
                        Event {
                            name: "css",
                            data: "{}".to_owned(),
                        }
                    } else {
                        Event {
                            name: "reload",
                            data: serde_json::to_string(&changed).unwrap_or_else(|_| "[]".to_owned()),
                        }
                    };
                    self.served.clients.broadcast(&event);
                }
                // The old site is freed after the event is out, not before.
                let mut leftovers = std::mem::take(&mut rendering.leftovers);
                leftovers.keep((old, replaced, rendering));
                leftovers.free_in_background();
            }
            Err(err) => {
                let message = err.to_string();
                reporter.problem(&format!(
                    "{message}\nThe preview keeps showing the last good build."
                ));
                if let Ok(mut last) = self.served.last_error.write() {
                    *last = Some(message.clone());
                }
                self.served.clients.broadcast(&error_event(message));
            }
        }
    }
}

/// `en/news/index.html` → `/en/news/`; `css/style.css` → `/css/style.css`.
fn url_path(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{file}"),
    }
}

fn load_files(files: Vec<crate::output::OutputFile>) -> HashMap<String, Arc<[u8]>> {
    files
        .into_iter()
        .filter_map(|file| {
            let bytes: Arc<[u8]> = match file.bytes {
                Bytes::Owned(bytes) => bytes.into(),
                Bytes::Static(bytes) => bytes.into(),
                // Shared with the build cache, not copied: an unchanged page stays the same
                // allocation from one rebuild to the next.
                Bytes::Text(text) => Arc::<[u8]>::from(text),
                Bytes::Copy(path) => std::fs::read(&path).ok()?.into(),
            };
            Some((file.path, bytes))
        })
        .collect()
}

/// The overlay's framing text in each language, from the UI strings.
fn overlay_strings(rendering: &crate::site::Rendering) -> String {
    let mut map = serde_json::Map::new();
    for (lang, language) in rendering.config.lang_ids().zip(&rendering.config.languages) {
        let text = |key: &str, fallback: &str| {
            rendering
                .i18n
                .translate(lang, key, None)
                .unwrap_or_else(|_| fallback.to_owned())
        };
        map.insert(
            language.code.clone(),
            serde_json::json!({
                "title": text("preview-error-title", "The site could not be rebuilt"),
                "hint": text("preview-error-hint", "Fix the problem below and save: this page updates by itself."),
            }),
        );
    }
    serde_json::Value::Object(map).to_string()
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(command).arg(url).spawn();
}
