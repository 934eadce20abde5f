//! `mekong serve`: live reload over Server-Sent Events, the error overlay, and a server that
//! never hands out a file from outside the site.

mod common;

use common::Site;
use common::browser::{Browser, chromium};
use common::server::{Server, expect_event};

const ARTICLE: &str = "content/news/bien-gioi.md";

fn article(text: &str) -> String {
    // Another article links to #ket-qua, so the heading stays.
    format!(
        "+++\ntitle = \"Phân giới cắm mốc biên giới\"\nslug = \"phan-gioi-cam-moc\"\ndate = 2014-07-01\n+++\n{text}\n\n## Kết quả\n"
    )
}

#[test]
fn edits_reload_pages_and_errors_keep_the_last_good_build() {
    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    let events = server.events();

    site.write(ARTICLE, &article("Đường biên giới đã được cắm mốc xong."));
    let changed = expect_event(&events, "reload");
    assert!(changed.contains("\"/news/phan-gioi-cam-moc/\""), "{changed}");
    let (status, body) = server.raw_get("/news/phan-gioi-cam-moc/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Đường biên giới đã được cắm mốc xong."));

    site.write(
        ARTICLE,
        "+++\ntitle = \"Phân giới\ndate = 2014-07-01\n+++\nHỏng.\n",
    );
    let error = expect_event(&events, "build-error");
    assert!(error.contains("content/news/bien-gioi.md:2:"), "{error}");
    let (status, body) = server.raw_get("/news/phan-gioi-cam-moc/");
    assert_eq!(status, 200, "the last good build is still served");
    assert!(String::from_utf8_lossy(&body).contains("Đường biên giới đã được cắm mốc xong."));

    site.write(ARTICLE, &article("Đã sửa lỗi."));
    expect_event(&events, "ok");
    let changed = expect_event(&events, "reload");
    assert!(changed.contains("/news/phan-gioi-cam-moc/"), "{changed}");
}

#[test]
fn a_css_change_swaps_the_stylesheet_without_a_reload() {
    let site = Site::fixture("basic");
    site.write("static/css/extra.css", "body { color: black; }");
    let server = Server::start(site.root());
    let events = server.events();
    site.write("static/css/extra.css", "body { color: navy; }");
    expect_event(&events, "css");
}

#[test]
fn pages_get_the_script_but_the_built_site_never_does() {
    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    let (_, body) = server.raw_get("/km/");
    assert!(String::from_utf8_lossy(&body).contains("data-mekong-live"));
    site.build(&[]);
    assert!(!site.public("km/index.html").contains("data-mekong-live"));
    assert!(!site.exists("__mekong"));
}

#[test]
fn serve_leaves_a_built_public_folder_alone() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let before = site.snapshot();
    let server = Server::start(site.root());
    let events = server.events();
    site.write(ARTICLE, &article("Thay đổi khi đang xem trước."));
    expect_event(&events, "reload");
    assert_eq!(before, site.snapshot(), "public/ is untouched by the preview");
}

#[test]
fn responses_have_the_right_types_and_the_site_404() {
    let site = Site::fixture("basic");
    site.write("static/data/points.json", "{\"a\": 1}");
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let server = Server::start(site.root());
    let head = |target: &str| {
        let (status, body) = server.raw_get(target);
        let text = String::from_utf8_lossy(&body).into_owned();
        (status, text)
    };
    for (target, mime) in [
        ("/", "text/html; charset=utf-8"),
        ("/css/style.css", "text/css; charset=utf-8"),
        ("/data/points.json", "application/json"),
        ("/img/logo.svg", "image/svg+xml"),
        ("/sitemap.xml", "application/xml"),
        ("/en/atom.xml", "application/atom+xml"),
    ] {
        let (status, text) = head(target);
        assert_eq!(status, 200, "{target}");
        assert!(
            text.contains(&format!("Content-Type: {mime}")),
            "{target}: {text}"
        );
        assert!(
            !text.to_ascii_lowercase().contains("access-control-allow-origin"),
            "{target}"
        );
    }
    let (status, text) = head("/km/khong-co-trang-nay/");
    assert_eq!(status, 404);
    assert!(text.contains("<html lang=\"km\">"), "the Khmer 404 page");
    let (status, text) = head("/news");
    assert_eq!(status, 301);
    assert!(text.contains("Location: /news/"));
    let (status, body) = server.raw_request("HEAD", "/");
    assert_eq!(status, 200);
    assert!(
        !String::from_utf8_lossy(&body).contains("<html"),
        "HEAD has no body"
    );
}

#[test]
fn no_request_reads_a_file_outside_the_site() {
    let outer = tempfile::tempdir().unwrap();
    let marker = "TOP-SECRET-8c1f2e";
    std::fs::write(outer.path().join("secret.txt"), marker).unwrap();
    let root = outer.path().join("site");
    common::copy_dir(&common::fixtures().join("basic"), &root);
    std::fs::create_dir_all(root.join("static")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outer.path().join("secret.txt"), root.join("static/link.txt")).unwrap();
    let server = Server::start(&root);
    let targets = [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/news/..%2f..%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%2e%2e%5csecret.txt",
        "//secret.txt",
        &format!("/{}", outer.path().join("secret.txt").display()),
        &format!("{}", outer.path().join("secret.txt").display()),
        "/secret.txt%00.html",
        "/%00",
        "/link.txt",
        "/../config.toml",
        "/config.toml",
        "/content/news/bien-gioi.md",
    ];
    for target in targets {
        let (status, body) = server.raw_get(target);
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains(marker), "{target} leaked the secret");
        assert!(!text.contains("base_url"), "{target} leaked config.toml");
        assert!(matches!(status, 400 | 404), "{target}: status {status}");
    }
}

#[test]
fn the_page_updates_itself_in_a_real_browser_and_shows_errors() {
    let Some(chromium) = chromium() else { return };
    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    let mut browser = Browser::launch(&chromium);
    let tab = browser.open(&server.url("/news/phan-gioi-cam-moc/"));
    browser.wait_for(
        &tab,
        "document.body && document.body.innerText.includes('1.137 km')",
        20,
    );
    // The live-reload script marks the page once its event stream is open.
    browser.wait_for(
        &tab,
        "document.documentElement.dataset.mekongLive === 'connected'",
        20,
    );

    site.write(
        ARTICLE,
        &article("Văn bản mới xuất hiện mà không cần tải lại thủ công."),
    );
    browser.wait_for(
        &tab,
        "document.body.innerText.includes('Văn bản mới xuất hiện')",
        20,
    );

    site.write(
        ARTICLE,
        "+++\ntitle = \"Phân giới\ndate = 2014-07-01\n+++\nHỏng.\n",
    );
    browser.wait_for(&tab, "!!document.getElementById('mekong-overlay')", 20);
    let overlay = browser.eval(&tab, "document.getElementById('mekong-overlay').innerText");
    let overlay = overlay.as_str().unwrap();
    assert!(overlay.contains("content/news/bien-gioi.md:2:"), "{overlay}");
    assert!(
        overlay.contains("Không thể dựng lại trang"),
        "framing in the page's language: {overlay}"
    );

    site.write(ARTICLE, &article("Đã sửa xong."));
    browser.wait_for(
        &tab,
        "!document.getElementById('mekong-overlay') && document.body.innerText.includes('Đã sửa xong.')",
        20,
    );
}

fn text(response: &[u8]) -> String {
    String::from_utf8_lossy(response).into_owned()
}

#[test]
fn every_path_checks_the_host_and_the_event_stream_answers_get_only() {
    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    let own = format!("127.0.0.1:{}", server.port);
    let rebinding = format!("rebind.evil.example:{}", server.port);
    for target in ["/__mekong/events", "/", "/__mekong/live-worker.js"] {
        let (status, _) = server.request_with("GET", target, &[("Host", &rebinding)]);
        assert_eq!(status, 403, "a foreign Host on {target}");
        let (status, _) = server.request_with(
            "GET",
            target,
            &[("Host", &own), ("Origin", "http://evil.example")],
        );
        assert_eq!(status, 403, "a foreign Origin on {target}");
    }
    for method in ["POST", "HEAD", "PUT", "DELETE"] {
        let (status, response) = server.request_with(method, "/__mekong/events", &[("Host", &own)]);
        assert_eq!(status, 405, "{method} on the event stream");
        assert!(text(&response).contains("Allow: GET\r\n"), "{}", text(&response));
    }
    let (status, response) = server.request_with("POST", "/news/", &[("Host", &own)]);
    assert_eq!(status, 405);
    assert!(text(&response).contains("Allow: GET, HEAD\r\n"));

    let (status, response) = server.request_with("HEAD", "/news/", &[("Host", &own)]);
    assert_eq!(status, 200, "HEAD on a page works, as the README promises");
    assert!(text(&response).contains("Content-Type: text/html"));
    assert!(!text(&response).contains("<html"), "HEAD has no body");

    let (status, response) = server.raw_get("/__mekong/live-worker.js");
    assert_eq!(status, 200);
    assert!(text(&response).contains("Content-Type: text/javascript"));
    assert!(text(&response).contains("/__mekong/events"));
}

#[test]
fn bound_to_all_interfaces_it_answers_this_machines_addresses_and_allowed_names() {
    let site = Site::fixture("basic");
    let server = Server::start_with(
        site.root(),
        &["--interface", "0.0.0.0", "--allow-host", "Preview.Office.Test"],
        None,
    );
    let Some(line) = server.printed("Other computers on this network can open:", 10) else {
        common::missing_tool(
            "a network interface besides loopback",
            "run the test on a machine with a network address",
        );
        return;
    };
    // The address as colleagues type it; the request itself goes over loopback, with that
    // address in Host, exactly as the server sees a colleague's request.
    let lan_url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap();
    let lan_host = lan_url.trim_start_matches("http://").trim_end_matches('/');
    assert!(!lan_host.starts_with("127."), "{line}");
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|n| n.trim().to_owned())
        .unwrap_or_else(|_| "localhost".to_owned());
    for host in [
        lan_host.to_owned(),
        format!("preview.office.test:{}", server.port),
        format!("{name}:{}", server.port),
    ] {
        let (status, response) = server.request_with("GET", "/news/", &[("Host", &host)]);
        assert_eq!(status, 200, "{host}: {}", text(&response));
        let (status, _) = server.request_with(
            "GET",
            "/news/",
            &[("Host", &host), ("Origin", &format!("http://{host}"))],
        );
        assert_eq!(status, 200, "{host} as Origin");
    }
    let (status, _) = server.request_with(
        "GET",
        "/",
        &[("Host", &format!("rebind.evil.example:{}", server.port))],
    );
    assert_eq!(status, 403, "other names are still refused");

    // The same address is refused by a server that listens on loopback only.
    let loopback = Server::start(site.root());
    let lan_ip = lan_host.rsplit_once(':').unwrap().0;
    let (status, _) = loopback.request_with("GET", "/", &[("Host", &format!("{lan_ip}:{}", loopback.port))]);
    assert_eq!(status, 403);
}

#[test]
fn oversized_and_slow_requests_are_cut_off() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    let send = |head: &[u8]| {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        // The server stops reading after its limit: later writes may fail, which is the point.
        for chunk in head.chunks(64 * 1024) {
            if stream.write_all(chunk).is_err() {
                break;
            }
        }
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        text(&response)
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
    };
    let long_target = format!("GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "a".repeat(20_000));
    assert_eq!(send(long_target.as_bytes()), Some(414));
    // A megabyte of header line (the was 400 MB) is refused after 8 KiB.
    let mut huge = b"GET / HTTP/1.1\r\nX-Padding: ".to_vec();
    huge.resize(1024 * 1024, b'a');
    assert_eq!(send(&huge), Some(431));
    let many = format!(
        "GET / HTTP/1.1\r\n{}\r\n",
        "X-Header: a value of forty bytes or so.....\r\n".repeat(1000)
    );
    assert_eq!(send(many.as_bytes()), Some(431));

    // A client that connects and says nothing, and one that sends half a head, lose their
    // connection within seconds.
    for opening in [&b""[..], &b"GET / HTTP/1.1\r\nHost: 127.0"[..]] {
        let started = Instant::now();
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream.write_all(opening).unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        let waited = started.elapsed();
        assert!(
            waited < Duration::from_secs(12),
            "closed after {waited:?}: {}",
            text(&rest)
        );
        assert!(
            waited >= Duration::from_secs(5),
            "not before the time-out: {waited:?}"
        );
    }
    let (status, _) = server.raw_get("/");
    assert_eq!(status, 200, "the server still answers");
}

#[test]
fn beyond_the_cap_an_event_stream_is_refused_at_once() {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    let open_stream = || {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            stream,
            "GET /__mekong/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            server.port
        )
        .unwrap();
        let mut status = String::new();
        BufReader::new(&stream).read_line(&mut status).unwrap();
        (status, stream)
    };
    let mut held = Vec::new();
    for _ in 0..64 {
        let (status, stream) = open_stream();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        held.push(stream);
    }
    let started = Instant::now();
    let (status, _) = open_stream();
    assert!(status.starts_with("HTTP/1.1 503"), "{status}");
    assert!(started.elapsed() < Duration::from_secs(1), "answered at once");
    let (status, _) = server.raw_get("/");
    assert_eq!(status, 200, "pages are still served");

    // Streams whose browser went away free their places within seconds.
    held.clear();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _) = open_stream();
        if status.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "no place freed: {status}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn twenty_preview_tabs_all_load_and_all_update() {
    use std::time::{Duration, Instant};

    let Some(chromium) = chromium() else { return };
    let started = Instant::now();
    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    let mut browser = Browser::launch(&chromium);
    // Chromium opens at most six connections per host: with a stream per tab, the seventh
    // tab would never finish loading.
    let mut tabs = Vec::new();
    for _ in 0..20 {
        let tab = browser.open(&server.url("/news/phan-gioi-cam-moc/"));
        browser.wait_for(
            &tab,
            "document.documentElement.dataset.mekongLive === 'connected'",
            10,
        );
        tabs.push(tab);
    }
    site.write(ARTICLE, &article("Hai mươi thẻ cùng thấy thay đổi này."));
    for tab in &tabs {
        browser.wait_for(
            tab,
            "document.body.innerText.includes('Hai mươi thẻ cùng thấy thay đổi này.')",
            20,
        );
    }
    // Errors reach every tab too, and so does the fix.
    site.write(
        ARTICLE,
        "+++\ntitle = \"Phân giới\ndate = 2014-07-01\n+++\nHỏng.\n",
    );
    for tab in &tabs {
        browser.wait_for(tab, "!!document.getElementById('mekong-overlay')", 20);
    }
    site.write(ARTICLE, &article("Đã sửa cho cả hai mươi thẻ."));
    for tab in &tabs {
        browser.wait_for(
            tab,
            "!document.getElementById('mekong-overlay') && document.body.innerText.includes('Đã sửa cho cả hai mươi thẻ.')",
            20,
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

/// Inotify watches the process holds, from /proc.
fn inotify_watches(pid: u32) -> usize {
    let mut watches = 0;
    for entry in std::fs::read_dir(format!("/proc/{pid}/fdinfo")).unwrap() {
        let info = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        watches += info.lines().filter(|l| l.starts_with("inotify wd:")).count();
    }
    watches
}

#[test]
fn the_watcher_follows_no_link_out_of_the_site_and_survives_a_loop() {
    let site = Site::fixture("basic");
    std::os::unix::fs::symlink("/usr", site.root().join("content/usr")).unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink("/etc", site.root().join("static/etc")).unwrap();
    let server = Server::start(site.root());
    let events = server.events();
    let watches = inotify_watches(server.pid());
    assert!(
        watches < 100,
        "{watches} watches: the watcher followed a link out of the site"
    );
    assert!(watches > 0, "the site is watched");
    // A loop appearing while serving is an error on the page, and the server goes on.
    std::os::unix::fs::symlink(".", site.root().join("content/news/vong")).unwrap();
    site.write(ARTICLE, &article("Sau vòng lặp."));
    let error = expect_event(&events, "build-error");
    assert!(error.contains("content/news/vong"), "{error}");
    std::fs::remove_file(site.root().join("content/news/vong")).unwrap();
    site.write(ARTICLE, &article("Đã gỡ vòng lặp."));
    expect_event(&events, "ok");
    let (status, body) = server.raw_get("/news/phan-gioi-cam-moc/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Đã gỡ vòng lặp."));
    assert!(inotify_watches(server.pid()) < 100);
}

#[test]
fn input_that_would_overflow_a_parser_is_an_error_on_the_page_and_the_server_goes_on() {
    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    let events = server.events();
    site.write("locales/vi/sau.ftl", &format!("sau = {}\n", "{".repeat(2502)));
    let error = expect_event(&events, "build-error");
    assert!(error.contains("locales/vi/sau.ftl:1:"), "{error}");
    std::fs::remove_file(site.root().join("locales/vi/sau.ftl")).unwrap();
    expect_event(&events, "ok");
    site.write(
        ARTICLE,
        &article(&format!(
            "{{{{ note(kind={}{}) }}}}",
            "[".repeat(5429),
            "]".repeat(5429)
        )),
    );
    let error = expect_event(&events, "build-error");
    assert!(error.contains("content/news/bien-gioi.md:6:1"), "{error}");
    site.write(ARTICLE, &article("Đã sửa."));
    expect_event(&events, "ok");
    let (status, body) = server.raw_get("/news/phan-gioi-cam-moc/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Đã sửa."));
}
