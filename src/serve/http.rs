//! Answering one HTTP request from the in-memory site: safe path resolution, MIME types,
//! the live-reload script, the site's 404 page.

use std::collections::HashMap;
use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::hosts::AllowedHosts;
use super::live;

/// The built site as the server sees it.
#[derive(Default)]
pub(crate) struct Snapshot {
    /// Output files by path below the site root (`en/news/index.html`).
    pub(crate) files: HashMap<String, Arc<[u8]>>,
    /// URL prefix → 404 page path, longest prefix first (`km/` → `km/404.html`, `` → `404.html`).
    pub(crate) not_found: Vec<(String, String)>,
    /// The `<script>` injected into HTML pages (never written to disk).
    pub(crate) script: Arc<str>,
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BadPath {
    /// Malformed or trying to leave the site: 400.
    Invalid,
}

/// Turns a request target into a path below the site root, refusing anything that could name
/// a file outside it: `..` and `.` segments (raw or percent-encoded), encoded slashes,
/// backslashes, NUL bytes, empty segments and targets that are not absolute paths.
pub(crate) fn site_path(target: &str) -> Result<String, BadPath> {
    let Some(path) = target_path(target).strip_prefix('/') else {
        return Err(BadPath::Invalid);
    };
    let mut segments = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, raw) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if raw.is_empty() {
            if last {
                continue;
            }
            return Err(BadPath::Invalid);
        }
        let decoded = percent_decode(raw).ok_or(BadPath::Invalid)?;
        if decoded == "." || decoded == ".." || decoded.contains(['/', '\\', '\0']) {
            return Err(BadPath::Invalid);
        }
        segments.push(decoded);
    }
    let mut joined = segments.join("/");
    if path.is_empty() || path.ends_with('/') {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    Ok(joined)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names and values are valid")
}

/// The page's bytes, with the live-reload script before `</body>` for HTML.
fn with_script(path: &str, bytes: &[u8], script: &str) -> Vec<u8> {
    if !path.ends_with(".html") {
        return bytes.to_vec();
    }
    let text = String::from_utf8_lossy(bytes);
    match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// Lets `request` go on when its `Host` (and `Origin`, when a page sent one) names this server,
/// on every path: a page on another site cannot read the preview or its event stream through
/// a DNS name pointed at this machine, nor open streams from its own origin. Answers 403 otherwise.
pub(crate) fn admit(request: Request, hosts: &AllowedHosts) -> Option<Request> {
    let value = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str())
    };
    // A request without Host cannot come from a browser (HTTP/1.1 requires it).
    let host_ok = value("Host").is_none_or(|host| hosts.allows_host(host));
    let origin_ok = value("Origin").is_none_or(|origin| hosts.allows_origin(origin));
    if host_ok && origin_ok {
        return Some(request);
    }
    let message = if host_ok { "unknown origin" } else { "unknown host" };
    let _ = request.respond(Response::from_string(message).with_status_code(StatusCode(403)));
    None
}

/// The path of a request target, without query or fragment.
pub(crate) fn target_path(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or("")
}

/// 405 with the methods `allow` lists.
pub(crate) fn method_not_allowed(request: Request, allow: &str) {
    let response = Response::from_string(format!("only {}", allow.replace(", ", " and ")))
        .with_status_code(StatusCode(405))
        .with_header(header("Allow", allow));
    let _ = request.respond(response);
}

/// Answers a page request (GET or HEAD) from `snapshot`. Errors writing to a client that went
/// away are ignored.
pub(crate) fn respond(request: Request, snapshot: &Snapshot) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return method_not_allowed(request, "GET, HEAD");
    }
    if target_path(request.url()) == live::WORKER_PATH {
        let body = live::worker().into_bytes();
        let _ = request.respond(file_response(body, live::WORKER_PATH, 200));
        return;
    }
    let path = match site_path(request.url()) {
        Ok(path) => path,
        Err(BadPath::Invalid) => {
            let _ =
                request.respond(Response::from_string("bad request path").with_status_code(StatusCode(400)));
            return;
        }
    };
    if let Some(bytes) = snapshot.files.get(&path) {
        let body = with_script(&path, bytes, &snapshot.script);
        let _ = request.respond(file_response(body, &path, 200));
        return;
    }
    // `/news` → `/news/` when that is a folder with a page.
    let folder_index = format!("{path}/index.html");
    if !path.ends_with("index.html") && snapshot.files.contains_key(&folder_index) {
        let location = format!("/{path}/");
        // Site paths are made by mekong, but never let a header value panic a worker.
        let _ = match Header::from_bytes(&b"Location"[..], location.as_bytes()) {
            Ok(location) => request.respond(Response::empty(StatusCode(301)).with_header(location)),
            Err(()) => {
                request.respond(Response::from_string("bad request path").with_status_code(StatusCode(400)))
            }
        };
        return;
    }
    let not_found = snapshot
        .not_found
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix.as_str()))
        .and_then(|(_, page)| snapshot.files.get(page).map(|bytes| (page, bytes)));
    let response = match not_found {
        Some((page, bytes)) => file_response(with_script(page, bytes, &snapshot.script), page, 404),
        None => file_response(b"404 Not Found".to_vec(), "404.txt", 404),
    };
    let _ = request.respond(response);
}

fn file_response(body: Vec<u8>, path: &str, status: u16) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", crate::media_type::content_type(path)))
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_paths_map_to_files() {
        assert_eq!(site_path("/").unwrap(), "index.html");
        assert_eq!(site_path("/en/news/").unwrap(), "en/news/index.html");
        assert_eq!(site_path("/css/style.css?h=12ab").unwrap(), "css/style.css");
        assert_eq!(
            site_path("/km/tags/%E1%9E%96%E1%9F%92%E1%9E%9A/").unwrap(),
            "km/tags/ព្រ/index.html"
        );
    }

    #[test]
    fn every_traversal_form_is_refused() {
        for target in [
            "/../etc/passwd",
            "/news/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/news/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/..%2fetc%2fpasswd",
            "/..%5cetc%5cpasswd",
            "/..\\etc\\passwd",
            "//etc/passwd",
            "/etc/passwd%00.html",
            "etc/passwd",
            "http://evil.example/etc/passwd",
            "/./index.html",
            "/%c0%ae%c0%ae/etc/passwd",
        ] {
            assert_eq!(site_path(target), Err(BadPath::Invalid), "{target}");
        }
    }
}
