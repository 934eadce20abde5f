//! Search on the built sample site, in a real headless Chromium, served from a sub-path.

mod common;

use std::process::Command;

use common::Site;
use common::browser::{Browser, chromium};
use common::server::{StaticServer, free_port};
use serde_json::Value;

/// Runs a query on a search page and returns the result links, best first.
fn results(browser: &mut Browser, url: &str) -> Vec<String> {
    let tab = browser.open(url);
    browser.wait_for(
        &tab,
        "document.querySelector('[data-search-status]') && document.querySelector('[data-search-status]').textContent.length > 0",
        20,
    );
    let links = browser.eval(
        &tab,
        "[...document.querySelectorAll('[data-search-results] h2 a')].map(a => a.href)",
    );
    links
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn query(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Builds `site` for `http://127.0.0.1:PORT/<prefix>` and serves it there; returns the
/// server and that address.
fn build_and_serve(site: &Site, prefix: &str) -> (StaticServer, String) {
    let port = free_port();
    let www = site.root().join("www");
    let base = format!("http://127.0.0.1:{port}/{prefix}");
    site.build(&[
        "--base-url",
        &base,
        "--output",
        www.join(prefix).to_str().unwrap(),
    ]);
    (StaticServer::start(&www, port), base)
}

#[test]
fn search_finds_vietnamese_khmer_and_english_from_a_sub_path() {
    let Some(chromium) = chromium() else { return };
    let site = Site::sample();
    let (_server, base) = build_and_serve(&site, "ngoai-vu/");
    let mut browser = Browser::launch(&chromium);

    // Vietnamese without accents finds the foreign-affairs articles.
    let found = results(&mut browser, &format!("{base}search/?q={}", query("doi ngoai")));
    assert!(
        found
            .iter()
            .any(|u| u.ends_with("/ngoai-vu/news/duong-loi-doi-ngoai-dai-hoi-xi/")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .all(|u| u.starts_with(&base) && !u.contains("/en/") && !u.contains("/km/")),
        "{found:?}"
    );

    // A Khmer word that only occurs inside longer unspaced phrases.
    let found = results(&mut browser, &format!("{base}km/search/?q={}", query("បង្គោល")));
    assert!(
        found
            .iter()
            .any(|u| u.ends_with("/ngoai-vu/km/news/phan-gioi-cam-moc-bien-gioi/")),
        "{found:?}"
    );

    // English, two words.
    let found = results(
        &mut browser,
        &format!("{base}en/search/?q={}", query("border markers")),
    );
    assert!(!found.is_empty());
    assert!(found.iter().all(|u| u.contains("/ngoai-vu/en/")), "{found:?}");

    // With accents, the articles that write the word exactly so come first: "Đảng" (the
    // Party) before "đang" (currently), which folds to the same letters.
    let found = results(&mut browser, &format!("{base}search/?q={}", query("Đảng")));
    let position = |slug: &str| found.iter().position(|u| u.contains(slug));
    let party = [
        position("duong-loi-doi-ngoai-dai-hoi-xi"),
        position("hoi-nhap-quoc-te-thu-hut-dau-tu"),
    ];
    let currently = position("hop-tac-dak-nong-mondulkiri").expect("the folded match is found too");
    for p in party {
        assert!(p.expect("exact-accent article found") < currently, "{found:?}");
    }
}

#[test]
fn search_can_cover_every_language_and_types_ahead() {
    let Some(chromium) = chromium() else { return };
    let site = Site::sample();
    let (_server, base) = build_and_serve(&site, "");
    let mut browser = Browser::launch(&chromium);
    let tab = browser.open(&format!("{base}en/search/"));
    // The page is there and its script listens (typing earlier would be lost).
    browser.wait_for(
        &tab,
        "document.querySelector('[data-search]').dataset.ready === 'true'",
        20,
    );
    // Type the start of a word, with every language switched on, as a user would.
    let typed = browser.eval(
        &tab,
        "(() => { const box = document.querySelector('[data-all-languages]'); box.checked = true; \
         const input = document.querySelector('#search-input'); input.focus(); input.value = 'Mondulk'; \
         input.dispatchEvent(new Event('input')); return true; })()",
    );
    assert_eq!(typed, Value::Bool(true));
    browser.wait_for(
        &tab,
        "document.querySelectorAll('[data-search-results] li').length > 0",
        20,
    );
    let languages = browser.eval(
        &tab,
        "[...new Set([...document.querySelectorAll('[data-search-results] li')].map(li => li.lang))]",
    );
    let languages: Vec<&str> = languages
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        languages.contains(&"en") && languages.contains(&"vi"),
        "{languages:?}"
    );
    let marked = browser.eval(
        &tab,
        "document.querySelector('[data-search-results] mark') !== null",
    );
    assert_eq!(marked, Value::Bool(true), "matched words are highlighted");
}

/// Benchmark, not a check: `scripts/bench-search.sh` runs it on a generated site and reports
/// the time of a query in the browser (first query, with its index files to load, and later).
#[test]
#[ignore]
fn query_time_in_the_browser() {
    let Some(chromium) = chromium() else { return };
    let root = std::env::var("MEKONG_BENCH_SITE").expect("MEKONG_BENCH_SITE: a generated site");
    let queries: Vec<(String, String)> = std::env::var("MEKONG_BENCH_QUERIES")
        .unwrap_or_else(|_| "vi:hop tac,en:border cooperation,km:ព្រំដែន".to_owned())
        .split(',')
        .filter_map(|q| q.split_once(':').map(|(l, q)| (l.to_owned(), q.to_owned())))
        .collect();
    let port = free_port();
    let www = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{port}/");
    let output = Command::new(env!("CARGO_BIN_EXE_mekong"))
        .args(["build", "--root", &root, "--base-url", &base, "--output"])
        .arg(www.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let _server = StaticServer::start(www.path(), port);
    let mut browser = Browser::launch(&chromium);
    for (lang, text) in queries {
        let prefix = if lang == "vi" {
            String::new()
        } else {
            format!("{lang}/")
        };
        let tab = browser.open(&format!("{base}{prefix}search/"));
        browser.wait_for(
            &tab,
            "document.querySelector('[data-search]').dataset.ready === 'true'",
            20,
        );
        let measure = format!(
            "new Promise(resolve => {{ const status = document.querySelector('[data-search-status]'); \
             const input = document.querySelector('#search-input'); status.textContent = ''; \
             const start = performance.now(); \
             new MutationObserver((_, o) => {{ o.disconnect(); resolve(performance.now() - start); }}) \
               .observe(status, {{ childList: true, characterData: true, subtree: true }}); \
             input.value = {}; document.querySelector('[data-search]').requestSubmit(); }})",
            serde_json::Value::String(text.clone())
        );
        let first = browser.eval(&tab, &measure);
        let again = browser.eval(&tab, &measure);
        let count = browser.eval(
            &tab,
            "document.querySelectorAll('[data-search-results] li').length",
        );
        println!(
            "query {lang} \"{text}\": first {:.1} ms (loads its index files), again {:.1} ms, {count} results",
            first.as_f64().unwrap_or(0.0),
            again.as_f64().unwrap_or(0.0)
        );
    }
}
