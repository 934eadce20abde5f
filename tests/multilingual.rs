//! Multilingual publishing: hreflang, sitemap, feeds, untranslated pages, shared front matter,
//! linked taxonomy terms, archives and scheduling.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Site, main_of};

/// Whether an external checker is installed; a missing one fails the test (see `missing_tool`).
fn tool_available(program: &str, install: &str) -> bool {
    let found = Command::new(program).arg("--version").output().is_ok();
    if !found {
        common::missing_tool(program, install);
    }
    found
}

fn python_module_available(module: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        common::missing_tool(&format!("Python's {module}"), &format!("pip install {module}"));
    }
    found
}

fn xmllint(args: &[&str], file: &Path) {
    let output = Command::new("xmllint").args(args).arg(file).output().unwrap();
    assert!(
        output.status.success(),
        "xmllint rejects {}:\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Parses a feed with Python's feedparser; returns (entry count, declared language).
fn feedparser(file: &Path) -> (usize, String) {
    let script = "import sys, feedparser\nd = feedparser.parse(sys.argv[1])\n\
                  assert not d.bozo, repr(d.bozo_exception)\n\
                  print(len(d.entries), d.feed.get('language', ''))";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "feedparser rejects {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let (count, lang) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
    (count.parse().unwrap(), lang.to_owned())
}

fn html_files(site: &Site) -> Vec<(String, String)> {
    site.snapshot()
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .map(|(path, (bytes, _))| {
            let rel = path
                .strip_prefix(site.root().join("public"))
                .unwrap()
                .display()
                .to_string();
            (rel, String::from_utf8(bytes).unwrap())
        })
        .collect()
}

#[test]
fn every_sample_page_links_its_translations_and_x_default() {
    let site = Site::sample();
    site.build(&[]);
    let mut checked = 0;
    for (file, html) in html_files(&site) {
        if html.contains("http-equiv=\"refresh\"") {
            continue; // redirects of aliases
        }
        let lang = &html[html.find("<html lang=\"").unwrap() + 12..][..2];
        assert!(
            html.contains(&format!("hreflang=\"{lang}\" href=")),
            "{file} lacks its own alternate"
        );
        assert!(html.contains("hreflang=\"x-default\""), "{file} lacks x-default");
        checked += 1;
    }
    assert!(checked > 40, "{checked}");
    let article = site.public("km/news/hop-tac-dak-nong-mondulkiri/index.html");
    for (code, prefix) in [("vi", ""), ("en", "en/"), ("km", "km/")] {
        let link = format!(
            "<link rel=\"alternate\" hreflang=\"{code}\" href=\"https://ngoaivu.daknong.example/{prefix}news/hop-tac-dak-nong-mondulkiri/\">"
        );
        assert!(article.contains(&link), "missing {link}");
    }
    assert!(article.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://ngoaivu.daknong.example/news/hop-tac-dak-nong-mondulkiri/\">"));
}

#[test]
fn sitemap_and_feeds_validate_and_parse() {
    let site = Site::sample();
    site.build(&[]);
    let public = site.root().join("public");
    let sitemap = site.public("sitemap.xml");
    assert!(sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"km\" href=\"https://ngoaivu.daknong.example/km/news/hop-tac-dak-nong-mondulkiri/\"/>"));
    assert!(
        site.public("robots.txt")
            .contains("Sitemap: https://ngoaivu.daknong.example/sitemap.xml")
    );
    let feeds = [
        "atom.xml",
        "rss.xml",
        "en/atom.xml",
        "en/rss.xml",
        "km/atom.xml",
        "km/rss.xml",
        "news/atom.xml",
        "km/news/rss.xml",
    ];
    for feed in feeds {
        let text = site.public(feed);
        assert!(
            text.contains("https://ngoaivu.daknong.example/"),
            "{feed}: absolute URLs"
        );
    }
    assert!(site.public("km/atom.xml").contains("xml:lang=\"km\""));
    assert!(site.public("km/rss.xml").contains("<language>km-KH</language>"));
    if tool_available("xmllint", "apt-get install libxml2-utils") {
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sitemap.xsd");
        xmllint(
            &["--noout", "--schema", schema.to_str().unwrap()],
            &public.join("sitemap.xml"),
        );
        for feed in &feeds {
            xmllint(&["--noout"], &public.join(feed));
        }
    }
    if python_module_available("feedparser") {
        for feed in &feeds {
            let (entries, lang) = feedparser(&public.join(feed));
            assert!(entries >= 1, "{feed} has {entries} entries");
            assert!(!lang.is_empty(), "{feed} declares its language");
        }
    }
}

fn untranslated_site(policy: &str) -> Site {
    let site = Site::fixture("basic");
    std::fs::remove_file(site.root().join("content/news/_index.km.md")).unwrap();
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let config = config.replace(
        "title = \"មន្ទីរការបរទេសសាកល្បង\"",
        &format!("title = \"មន្ទីរការបរទេសសាកល្បង\"\nuntranslated = \"{policy}\""),
    );
    site.write("config.toml", &config);
    site.build(&[]);
    site
}

#[test]
fn hide_policy_leaves_untranslated_articles_out() {
    let site = untranslated_site("hide");
    // dau-tu.md has no Khmer version.
    assert!(!site.exists("km/news/dau-tu/index.html"));
    let vi = site.public("news/dau-tu/index.html");
    assert!(
        vi.contains("<span class=\"unavailable\" title=\"Chưa có bản tiếng Khmer\"><span lang=\"km\">"),
        "switcher marks Khmer unavailable, naming it in Vietnamese"
    );
    assert!(!site.public("km/atom.xml").contains("dau-tu"));
}

#[test]
fn fallback_policy_shows_the_original_under_khmer_navigation() {
    let site = untranslated_site("fallback");
    let km = site.public("km/news/dau-tu/index.html");
    assert!(km.contains("<html lang=\"km\">"));
    assert!(
        km.contains("អត្ថបទនេះមិនទាន់បានបកប្រែជាភាសាខ្មែរនៅឡើយទេ"),
        "Khmer notice"
    );
    assert!(
        km.contains("<div class=\"prose\" lang=\"vi\"><p>Tám dự án FDI"),
        "{}",
        main_of(&km)
    );
    assert!(km.contains("<link rel=\"canonical\" href=\"https://example.org/news/dau-tu/\">"));
    assert!(km.contains(">ទំព័រដើម</a>"), "Khmer navigation");
    assert!(
        !km.contains("hreflang=\"km\" href"),
        "a fallback is not announced as a translation"
    );
    assert!(
        !site.public("km/atom.xml").contains("dau-tu"),
        "left out of the Khmer feed"
    );
    assert!(!site.public("km/rss.xml").contains("dau-tu"));
    assert!(
        !site.public("sitemap.xml").contains("km/news/dau-tu"),
        "left out of the sitemap"
    );
    // The English policy is still `hide`.
    assert!(!site.exists("en/news/dau-tu/index.html"));
    // A section without a Khmer _index falls back the same way.
    let section = site.public("km/news/index.html");
    assert!(
        section.contains("<h1 lang=\"vi\">Tin tức</h1>"),
        "{}",
        main_of(&section)
    );
    assert!(section.contains("class=\"notice\""));
}

#[test]
fn translations_inherit_dates_and_tags_from_the_original() {
    let site = Site::fixture("basic");
    site.write(
        "locales/km/terms.ftl",
        "tags-doi-ngoai = ការបរទេស\ntags-bien-gioi = ព្រំដែន\n",
    );
    site.write(
        "content/news/bien-gioi.km.md",
        "+++\ntitle = \"ការខណ្ឌសីមា\"\n+++\nអត្ថបទ។\n",
    );
    site.build(&[]);
    let km = site.public("km/news/phan-gioi-cam-moc/index.html");
    assert!(km.contains("datetime=\"2014-07-01\""), "date inherited");
    let km_article = site.public("km/news/hoat-dong-doi-ngoai/index.html");
    // Tags written once, in Vietnamese, appear under their Khmer names with shared URL keys.
    assert!(km_article.contains("<a href=\"https://example.org/km/tags/doi-ngoai/\">ការបរទេស</a>"));
    let term = site.public("km/tags/doi-ngoai/index.html");
    assert!(term.contains("<h1>ការបរទេស</h1>"));
    assert!(
        term.contains("href=\"https://example.org/tags/doi-ngoai/\" hreflang=\"vi\""),
        "switcher links the Vietnamese term"
    );
}

#[test]
fn future_and_expired_pages_wait_for_their_dates() {
    let site = Site::fixture("basic");
    site.write(
        "content/news/sap-toi.md",
        "+++\ntitle = \"Sắp tới\"\ndate = 2999-01-01\n+++\nChưa đến ngày.\n",
    );
    site.write(
        "content/news/het-han.md",
        "+++\ntitle = \"Hết hạn\"\ndate = 2014-01-01\nexpires = 2015-01-01\n+++\nĐã hết hạn.\n",
    );
    site.build(&[]);
    assert!(!site.exists("news/sap-toi/index.html"));
    assert!(!site.exists("news/het-han/index.html"));
    site.build(&["--future", "--expired"]);
    assert!(site.exists("news/sap-toi/index.html"));
    assert!(site.exists("news/het-han/index.html"));
}

#[test]
fn news_archives_by_year_and_month() {
    let site = Site::sample();
    site.build(&[]);
    let month = site.public("news/2014/12/index.html");
    assert!(month.contains("<h1>Tháng 12 năm 2014</h1>"));
    assert!(main_of(&month).contains("hoi-nhap-quoc-te-thu-hut-dau-tu"));
    assert!(site.public("km/news/2014/index.html").contains("<h1>២០១៤</h1>"));
    assert!(
        site.public("en/news/2014/12/index.html")
            .contains("<h1>December 2014</h1>")
    );
}

#[test]
fn feeds_carry_summaries_not_whole_articles() {
    let site = Site::fixture("basic");
    let long = "Đoạn sau dài. ".repeat(200);
    site.write(
        "content/news/mo-ta.md",
        &format!("+++\ntitle = \"Có mô tả\"\ndescription = \"Tóm tắt do biên tập viên viết\"\ndate = 2016-03-01\n+++\nĐoạn đầu của bài.\n\n{long}\n"),
    );
    site.write(
        "content/news/khong-mo-ta.md",
        &format!("+++\ntitle = \"Không mô tả\"\ndate = 2016-03-02\n+++\n## Mở đầu\n\nĐoạn *đầu tiên* của bài.\n\n{long}\n"),
    );
    site.build(&[]);
    let rss = site.public("rss.xml");
    let item = |title: &str| {
        let start = rss.find(&format!("<title>{title}</title>")).unwrap();
        rss[start..start + rss[start..].find("</item>").unwrap()].to_owned()
    };
    let described = item("Có mô tả");
    assert!(
        described.contains("&lt;p&gt;Tóm tắt do biên tập viên viết&lt;/p&gt;"),
        "{described}"
    );
    assert!(!described.contains("Đoạn sau dài"), "{described}");
    let plain = item("Không mô tả");
    assert!(
        plain.contains("Đoạn &lt;em&gt;đầu tiên&lt;/em&gt; của bài."),
        "{plain}"
    );
    assert!(
        !plain.contains("Đoạn sau dài") && !plain.contains("Mở đầu"),
        "{plain}"
    );
    // The text before <!-- more --> wins over both.
    assert!(item("Hoạt động đối ngoại").contains("130 km"));
    assert!(!item("Hoạt động đối ngoại").contains("Mondulkiri"));

    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", &format!("feed_full_content = true\n{config}"));
    site.build(&[]);
    let rss = site.public("rss.xml");
    assert!(
        rss.contains("Đoạn sau dài"),
        "feed_full_content = true carries whole articles"
    );
}
