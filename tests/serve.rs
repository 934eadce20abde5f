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
        ("/en/atom.xml", "application/xml"),
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
