//! The sample site as its readers' tools see it: the Nu Html Checker over every page, axe-core
//! in headless Chromium on the kinds of page in each language, and screenshots of Khmer pages
//! (written to target/screenshots/ for a person to look at).
//!
//! Needs Java, Chromium and the npm packages vnu-jar and axe-core in target/npm-tools
//! (`scripts/check-site.sh` installs them; `.ci/run` too).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Site;
use common::browser::{Browser, chromium};
use common::server::{StaticServer, free_port};
use serde_json::json;

fn tool(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/npm-tools/node_modules")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    common::missing_tool(
        relative,
        "run scripts/check-site.sh, or npm install --prefix target/npm-tools vnu-jar@26 axe-core@4",
    );
    None
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let Some(vnu) = tool("vnu-jar/build/dist/vnu.jar") else {
        return;
    };
    let site = Site::sample();
    site.build(&[]);
    let output = Command::new("java")
        .args(["-jar"])
        .arg(&vnu)
        .args(["--errors-only", "--skip-non-html"])
        .arg(site.root().join("public"))
        .output()
        .expect("java runs the Nu Html Checker");
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "Nu Html Checker errors:\n{report}"
    );
}

/// The slug of the first tag of the first news article, e.g. `bien-gioi`.
fn first_term() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("site/content/news");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with('_') && n.matches('.').count() == 1)
        .collect();
    names.sort();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("site/content/news")
            .join(&names[0]),
    )
    .unwrap();
    let front: toml::Table = toml::from_str(text.split("+++").nth(1).unwrap()).unwrap();
    let tag = front["taxonomies"]["tags"][0].as_str().unwrap();
    mekong::content::slug::slugify(tag)
}

/// The pages axe checks: a home page, an article, a route and a tag page in each language.
fn pages() -> Vec<String> {
    let first = |dir: &str| -> String {
        let mut names: Vec<String> = std::fs::read_dir(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("site/content")
                .join(dir),
        )
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
        names.retain(|n| n.ends_with(".md") && !n.starts_with('_') && n.matches('.').count() == 1);
        names.sort();
        names
            .first()
            .map(|n| n.trim_end_matches(".md").to_owned())
            .unwrap_or_default()
    };
    let article = format!("news/{}/", first("news"));
    let route = first("routes");
    let mut pages = Vec::new();
    for prefix in ["", "en/", "km/"] {
        pages.push(prefix.to_owned());
        pages.push(format!("{prefix}{article}"));
        if !route.is_empty() {
            pages.push(format!("{prefix}routes/{route}/"));
        }
        pages.push(format!("{prefix}tags/"));
        pages.push(format!("{prefix}tags/{}/", first_term()));
        pages.push(format!("{prefix}search/"));
    }
    pages
}

#[test]
fn axe_finds_no_violations_and_khmer_is_photographed() {
    let Some(chromium) = chromium() else { return };
    let Some(axe) = tool("axe-core/axe.min.js") else {
        return;
    };
    let axe = std::fs::read_to_string(axe).unwrap();
    let site = Site::sample();
    let www = site.root().join("www");
    let port = free_port();
    site.build(&[
        "--base-url",
        &format!("http://127.0.0.1:{port}/"),
        "--output",
        www.to_str().unwrap(),
    ]);
    let _server = StaticServer::start(&www, port);
    let mut browser = Browser::launch(&chromium);
    let mut failures = Vec::new();
    for page in pages() {
        let url = format!("http://127.0.0.1:{port}/{page}");
        let tab = browser.open(&url);
        browser.wait_for(
            &tab,
            "document.readyState === 'complete' && document.fonts.status === 'loaded'",
            20,
        );
        browser.eval(&tab, &format!("{axe};undefined"));
        let violations = browser.eval(
            &tab,
            "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => \
             `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`))",
        );
        for violation in violations.as_array().unwrap() {
            failures.push(format!("{page}: {}", violation.as_str().unwrap()));
        }
    }
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );

    // Screenshots of Khmer pages at a phone's and a desktop's width.
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let route = pages().into_iter().find(|p| p.starts_with("km/routes/"));
    // A news article: its text, numbers and the side column.
    let article = pages().into_iter().find(|p| p.starts_with("km/news/"));
    for (name, page) in [
        ("km-home", Some("km/".to_owned())),
        ("km-route", route),
        ("km-article", article),
    ] {
        let page = page.unwrap_or_else(|| panic!("the sample site has a page for the {name} screenshot"));
        for width in [390, 1280] {
            let tab = browser.open(&format!("http://127.0.0.1:{port}/{page}"));
            browser.call(
                Some(&tab),
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600 }),
            );
            browser.wait_for(
                &tab,
                "document.readyState === 'complete' && document.fonts.status === 'loaded'",
                20,
            );
            let shot = browser.call(
                Some(&tab),
                "Page.captureScreenshot",
                json!({ "format": "png", "captureBeyondViewport": true }),
            );
            let png = base64_decode(shot["data"].as_str().unwrap());
            std::fs::write(shots.join(format!("{name}-{width}.png")), png).unwrap();
        }
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let Some(value) = ALPHABET.iter().position(|c| *c == byte) else {
            continue;
        };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}
