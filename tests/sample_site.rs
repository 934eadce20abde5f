//! The real sample site in `site/`: every article in every language, readable by its readers.

mod common;

use common::{Site, links, points_inside_prefix};

const LANGUAGES: [(&str, &str); 3] = [("vi", ""), ("en", "en/"), ("km", "km/")];

/// Canonical keys of the sample site's news articles (file names without language).
fn articles() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site/content/news");
    let mut keys: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md") && !name.starts_with('_') && name.matches('.').count() == 1)
        .map(|name| name.trim_end_matches(".md").to_owned())
        .collect();
    keys.sort();
    keys
}

#[test]
fn sample_site_builds_every_article_in_three_languages() {
    let site = Site::sample();
    site.build(&[]);
    let articles = articles();
    assert!(articles.len() >= 3, "the sample site has at least three articles");
    for (code, prefix) in LANGUAGES {
        let home = site.public(&format!("{prefix}index.html"));
        assert!(
            home.contains(&format!("<html lang=\"{code}\">")),
            "home in {code}"
        );
        for key in &articles {
            let html = site.public(&format!("{prefix}news/{key}/index.html"));
            assert!(
                html.contains(&format!("<html lang=\"{code}\">")),
                "{key} in {code}"
            );
            // The switcher links the two other versions of the same article.
            for (other, other_prefix) in LANGUAGES {
                if other != code {
                    let href = format!(
                        "href=\"https://ngoaivu.daknong.example/{other_prefix}news/{key}/\" hreflang=\"{other}\""
                    );
                    assert!(html.contains(&href), "{key} in {code} links its {other} version");
                }
            }
        }
    }
}

#[test]
fn khmer_pages_speak_khmer() {
    let site = Site::sample();
    site.build(&[]);
    let html = site.public("km/index.html");
    for label in ["ទំព័រដើម", "ព័ត៌មាន", "អំពីយើង", "រំលងទៅខ្លឹមសារចម្បង"]
    {
        assert!(html.contains(label), "Khmer page shows {label}");
    }
    assert!(!html.contains("Trang chủ"), "no Vietnamese menu on a Khmer page");
    assert!(!html.contains('\u{200B}'), "no zero-width spaces are injected");
}

#[test]
fn sample_site_respects_a_base_url_with_a_path() {
    let site = Site::sample();
    site.build(&["--base-url", "https://example.org/ngoai-vu/"]);
    let files = site.snapshot();
    let html_files: Vec<_> = files
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(html_files.len() > 20);
    for (path, (bytes, _)) in html_files {
        for link in links(&String::from_utf8_lossy(bytes)) {
            assert!(
                points_inside_prefix(&link),
                "{}: {link} is outside /ngoai-vu/",
                path.display()
            );
        }
    }
}

#[test]
fn dates_read_naturally_in_each_language() {
    let site = Site::sample();
    site.build(&[]);
    let key = "news/hoi-nhap-quoc-te-thu-hut-dau-tu/index.html";
    assert!(
        site.public(&format!("km/{key}"))
            .contains("ចុះផ្សាយ៖ ថ្ងៃទី២២ ខែធ្នូ ឆ្នាំ២០១៤"),
        "Khmer digits and month, in the formal house style"
    );
    assert!(
        site.public(key).contains("Đăng ngày Thứ Hai, 22/12/2014"),
        "Vietnamese house style"
    );
    assert!(
        site.public(&format!("en/{key}"))
            .contains("Published December 22, 2014")
    );
    // Counts in Khmer pages use Khmer digits too.
    let km = site.public(&format!("km/{key}"));
    assert!(km.contains("រយៈពេលអាន ៣ នាទី"), "reading time in Khmer digits");
}

#[test]
fn the_same_input_builds_the_same_bytes_and_a_second_build_writes_nothing() {
    let site = Site::sample();
    let first = site.root().join("first");
    let second = site.root().join("second");
    site.build(&["--output", first.to_str().unwrap()]);
    site.build(&["--output", second.to_str().unwrap()]);
    let (a, b) = (common::files_below(&first), common::files_below(&second));
    assert!(a.len() > 300, "the sample site has hundreds of files");
    let differing: Vec<_> = a
        .iter()
        .filter(|(path, bytes)| b.get(*path) != Some(*bytes))
        .map(|(p, _)| p)
        .collect();
    assert!(
        differing.is_empty(),
        "two builds of the same input differ in {differing:?}"
    );
    assert_eq!(a.len(), b.len());
    let again = site.build(&["--output", first.to_str().unwrap()]);
    let summary = String::from_utf8_lossy(&again.stdout);
    assert!(summary.contains(": 0 files written,"), "{summary}");
}
