//! Khmer pages carry no English or ASCII the engine or theme added, and `mekong check`'s
//! language lint finds each Khmer writing mistake at its place. The pages are those of
//! `tests/fixtures/khmer`, whose text the tests control (the sample site's articles are being
//! converted to Khmer digits separately).

mod common;

use common::{Site, reader_text};

fn built() -> Site {
    let site = Site::fixture("khmer");
    site.build(&[]);
    site
}

fn khmer_pages(site: &Site) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    let mut folders = vec![site.root().join("public/km")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let text = std::fs::read_to_string(&path).unwrap();
                pages.push((path.display().to_string(), text));
            }
        }
    }
    assert!(pages.len() >= 6, "{pages:?}");
    pages
}

#[test]
fn khmer_pages_show_no_ascii_digits() {
    let site = built();
    for (path, html) in khmer_pages(&site) {
        for text in reader_text(&html) {
            assert!(
                !text.chars().any(|c| c.is_ascii_digit()),
                "{path}: ASCII digits in {text:?}"
            );
        }
    }
}

#[test]
fn khmer_pages_have_no_english_footnote_labels_or_ascii_colons() {
    let site = built();
    for (path, html) in khmer_pages(&site) {
        assert!(!html.contains("Back to reference"), "{path}");
        for text in reader_text(&html) {
            let chars: Vec<char> = text.chars().collect();
            for pair in chars.windows(2) {
                assert!(
                    !(('\u{1780}'..='\u{17FF}').contains(&pair[0]) && matches!(pair[1], ':' | ';')),
                    "{path}: ASCII punctuation after Khmer in {text:?}"
                );
            }
        }
    }
    let article = site.public("km/news/hop-tac/index.html");
    assert!(article.contains("data-footnote-ref>១</a>") && article.contains("data-footnote-ref>២</a>"));
    assert!(article.contains("aria-label=\"ត្រឡប់ទៅកន្លែងយោងលេខ១\""), "{article}");
    assert!(
        site.public("km/news/index.html")
            .contains("អានបន្ត<span class=\"visually-hidden\">៖ កិច្ចសហប្រតិបត្តិការព្រំដែន</span>"),
        "the hidden title after \"read more\" follows a Khmer colon"
    );
    let vietnamese = site.public("news/hop-tac/index.html");
    assert!(vietnamese.contains("aria-label=\"Quay lại chỗ dẫn chú thích 1\""));
}

#[test]
fn route_map_markers_count_in_khmer_digits_like_the_itinerary() {
    let site = built();
    let route = site.public("km/news/hop-tac/index.html");
    for digit in ["១", "២", "៣"] {
        assert!(
            route.contains(&format!("text-anchor=\"middle\">{digit}</text>")),
            "marker {digit}"
        );
        assert!(route.contains(&format!("<td>{digit}</td>")), "stop {digit}");
    }
    assert!(
        site.public("news/hop-tac/index.html")
            .contains("text-anchor=\"middle\">1</text>")
    );
}

#[test]
fn counts_dates_and_language_names_read_as_khmer_and_vietnamese() {
    let site = built();
    let tags = site.public("km/tags/index.html");
    assert!(tags.contains("<span class=\"count\">(១)</span>"), "{tags}");
    let article = site.public("km/news/hop-tac/index.html");
    assert!(article.contains("ថ្ងៃទី២៥ ខែកក្កដា ឆ្នាំ២០១៤"), "formal Khmer date");
    let vietnamese = site.public("news/hop-tac/index.html");
    assert!(
        vietnamese.contains("ngày 25 tháng 7 năm 2014"),
        "formal Vietnamese date"
    );
    let archive = site.public("news/2014/07/index.html");
    assert!(archive.contains("<h1>Tháng 7 năm 2014</h1>"), "{archive}");
}

#[test]
fn check_reports_each_khmer_writing_mistake_at_its_place() {
    let site = Site::fixture("khmer");
    site.overlay("khmer-lint");
    let output = site.mekong(&["check"]);
    let report =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    let file = "content/news/kiem-tra.km.md";
    for (place, what) in [
        ("2:21", "ASCII digits \"2014\""),
        ("6:8", "ASCII digits \"1,137\""),
        ("6:9", "\",\" groups thousands in \"1,137\""),
        ("8:9", "\".\" marks decimals in \"៨៩.៣\""),
        ("8:26", "\",\" groups thousands in \"១,១៣៧\""),
        ("10:8", "coeng"),
        ("10:15", "zero-width space"),
        ("12:3", "not in Unicode NFC"),
    ] {
        let expected = format!("{file}:{place}: warning: ");
        assert!(
            report.lines().any(|l| l.contains(&expected) && l.contains(what)),
            "expected {what} at {place} in:\n{report}"
        );
    }
    // Identifiers, link targets and code keep their ASCII.
    assert!(!report.contains("\"22\""), "{report}");
    assert!(!report.contains("ASCII digits \"2\""), "{report}");
    assert_eq!(
        report.lines().filter(|l| l.contains(&format!("{file}:"))).count(),
        8,
        "{report}"
    );
    // The correct Khmer page of the fixture has nothing to report.
    assert!(!report.contains("content/news/hop-tac.km.md:"), "{report}");
}

#[test]
fn a_page_silences_lint_rules_in_its_front_matter() {
    let site = Site::fixture("khmer");
    site.overlay("khmer-lint");
    let path = site.root().join("content/news/kiem-tra.km.md");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "description = \"ទំព័រមានកំហុស។\"\n",
        "description = \"ទំព័រមានកំហុស។\"\n[lint]\nallow = [\"ascii-digits\", \"number-separators\", \"khmer-coeng\", \"zero-width-space\", \"not-nfc\"]\n",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let output = site.mekong(&["check"]);
    let report =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(!report.contains("content/news/kiem-tra.km.md:"), "{report}");
    assert!(!report.contains("unknown"), "{report}");
}

/// The search status after typing `query` on `page`.
fn search_status(browser: &mut common::browser::Browser, page: &str, query: &str) -> String {
    let tab = browser.open(page);
    browser.wait_for(
        &tab,
        "document.querySelector('[data-search]').dataset.ready === 'true'",
        20,
    );
    let typed = serde_json::to_string(query).unwrap();
    browser.eval(
        &tab,
        &format!(
            "(() => {{ const i = document.querySelector('#search-input'); i.value = {typed}; i.dispatchEvent(new Event('input')); }})()"
        ),
    );
    browser.wait_for(
        &tab,
        "document.querySelector('[data-search-status]').textContent.length > 0",
        20,
    );
    browser
        .eval(&tab, "document.querySelector('[data-search-status]').textContent")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn search_counts_agree_in_number_and_use_the_page_digits() {
    let Some(chromium) = common::browser::chromium() else {
        return;
    };
    let site = Site::fixture("khmer");
    let port = common::server::free_port();
    let www = site.root().join("www");
    let base = format!("http://127.0.0.1:{port}/");
    site.build(&["--base-url", &base, "--output", www.to_str().unwrap()]);
    let _server = common::server::StaticServer::start(&www, port);
    let mut browser = common::browser::Browser::launch(&chromium);

    let one = search_status(&mut browser, &format!("{base}en/search/"), "minutes");
    assert_eq!(one, "1 result");
    let two = search_status(&mut browser, &format!("{base}en/search/"), "border");
    assert_eq!(two, "2 results");
    let khmer = search_status(&mut browser, &format!("{base}km/search/"), "ព្រំដែន");
    assert_eq!(
        khmer, "លទ្ធផល ២",
        "Khmer digits, which Chromium does not print by itself"
    );
}

#[test]
fn wide_screens_get_a_side_column_outside_main() {
    let site = built();
    let article = site.public("km/news/hop-tac/index.html");
    let main_end = article.find("</main>").unwrap();
    let side = article
        .find("<aside class=\"side\"")
        .expect("an article has a side column");
    assert!(
        side > main_end,
        "the side column is a landmark of its own, after <main>"
    );
    assert!(article[side..].contains("terms-tags"), "with the article's tags");
    let section = site.public("news/index.html");
    let side = section
        .find("<aside class=\"side\"")
        .expect("a section has a side column");
    assert!(section[side..].contains("Tháng 7 năm 2014"), "with its archives");
    let css = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/css/style.css"
    ))
    .unwrap();
    assert!(css.contains(".layout:has(> .side) { display: grid;"));
}

#[test]
fn the_sample_sites_khmer_pages_show_no_ascii_numbers() {
    let site = Site::sample();
    site.build(&[]);
    let mut found = Vec::new();
    for (path, html) in khmer_pages(&site) {
        for text in reader_text(&html) {
            // Identifiers keep their Latin form: document numbers (22-NQ/TW), addresses.
            for token in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
                if token.chars().any(|c| c.is_ascii_digit())
                    && !token.chars().any(|c| c.is_ascii_alphabetic())
                {
                    found.push(format!("{path}: {token:?} in {text:?}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "ASCII numbers on Khmer pages:\n{}",
        found.join("\n")
    );
}
