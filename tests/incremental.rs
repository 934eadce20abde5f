//! The incremental engine: after an edit only the jobs whose inputs changed are rendered, and
//! the result is always the same, byte for byte, as a fresh full build.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::Site;
use mekong::BuildOptions;
use mekong::output::Bytes;
use mekong::site::{BuildCache, Change, Rendering, render_with};

fn options(site: &Site) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    }
}

/// Every output file's bytes.
fn bytes_of(rendering: Rendering) -> BTreeMap<String, Vec<u8>> {
    rendering
        .files
        .into_iter()
        .map(|file| {
            let bytes = match file.bytes {
                Bytes::Owned(bytes) => bytes,
                Bytes::Static(bytes) => bytes.to_vec(),
                Bytes::Text(text) => text.as_bytes().to_vec(),
                Bytes::Copy(path) => std::fs::read(path).unwrap(),
            };
            (file.path, bytes)
        })
        .collect()
}

/// A preview session: the site kept across rebuilds, told what changed as the watcher tells it.
struct Session<'a> {
    site: &'a Site,
    kept: mekong::site::Site,
}

impl<'a> Session<'a> {
    fn start(site: &'a Site) -> Session<'a> {
        let mut kept = mekong::site::Site::new(options(site));
        let first = kept.render().unwrap();
        assert!(first.rendered.len() > 20, "the first build renders everything");
        Session { site, kept }
    }

    /// Writes (or with `None` deletes) a file, then rebuilds; returns the rendered jobs.
    fn edit(&mut self, rel: &str, text: Option<&str>) -> Result<Rendering, mekong::Error> {
        let path = self.site.root().join(rel);
        match text {
            Some(text) => self.site.write(rel, text),
            None => std::fs::remove_file(&path).unwrap(),
        }
        let changes: Vec<Change> = Change::of(rel).into_iter().collect();
        self.kept.update(&changes)
    }

    fn rendered_after(&mut self, rel: &str, text: &str) -> Vec<String> {
        self.edit(rel, Some(text)).unwrap().rendered
    }
}

const ARTICLE: &str = "content/news/Hoạt động đối ngoại.md";

fn article(summary: &str, rest: &str, title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndescription = \"Tóm tắt hoạt động đối ngoại\"\ndate = 2014-12-22\nauthors = [\"Văn phòng Sở\"]\naliases = [\"/tin-cu/hoat-dong/\"]\n[taxonomies]\ntags = [\"Đối ngoại\", \"Biên giới\"]\n+++\n{summary} Xem bài [phân giới cắm mốc](@/news/bien-gioi.md) và\n[mục kết quả](@/news/bien-gioi.md#ket-qua).\n\n<!-- more -->\n\n## Hợp tác với Mondulkiri\n\n{rest}\n"
    )
}

#[test]
fn nothing_changed_renders_nothing() {
    let site = Site::fixture("basic");
    let mut session = Session::start(&site);
    let again = session.kept.render().unwrap();
    assert_eq!(again.rendered, Vec::<String>::new());
}

#[test]
fn two_saves_in_one_clock_tick_are_both_seen() {
    // A file saved twice within the file system's clock tick, at the same size, looks
    // unchanged by its time and size: the watcher's report of it must still be read.
    let site = Site::fixture("basic");
    let mut session = Session::start(&site);
    let title = "Hoạt động đối ngoại";
    session.rendered_after(ARTICLE, &article("Tóm tắt.", "Phiên bản số 1.", title));
    let path = site.root().join(ARTICLE);
    let stamp = std::fs::metadata(&path).unwrap().modified().unwrap();
    site.write(ARTICLE, &article("Tóm tắt.", "Phiên bản số 2.", title));
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(stamp)
        .unwrap();
    let page = |rendering: &Rendering| {
        let file = rendering
            .files
            .iter()
            .find(|f| f.path == "news/hoat-dong-doi-ngoai/index.html")
            .unwrap();
        match &file.bytes {
            Bytes::Text(text) => text.to_string(),
            _ => panic!("a page is text"),
        }
    };
    // Unreported, the edit is invisible (this is what the report is for)…
    let unreported = session.kept.render().unwrap();
    assert!(page(&unreported).contains("Phiên bản số 1."));
    // …reported, it is read.
    let reported = session.kept.update(&[Change::file(ARTICLE)]).unwrap();
    assert!(
        page(&reported).contains("Phiên bản số 2."),
        "the reported file was read again"
    );
    assert_eq!(reported.rendered, ["news/hoat-dong-doi-ngoai/index.html"]);
}

#[test]
fn a_body_edit_renders_only_that_article() {
    let site = Site::fixture("basic");
    let mut session = Session::start(&site);
    let summary = "Tỉnh có 130 km đường biên giới.";
    let title = "Hoạt động đối ngoại";
    session.rendered_after(ARTICLE, &article(summary, "Đoạn một.", title));
    // Text after the summary: the article only; its lists and feeds show the summary.
    let rendered = session.rendered_after(ARTICLE, &article(summary, "Đoạn hai, đã sửa.", title));
    assert_eq!(rendered, ["news/hoat-dong-doi-ngoai/index.html"]);
    let rendered = session.rendered_after(ARTICLE, &article(summary, "Đoạn hai, đã sửa.", title));
    assert_eq!(
        rendered,
        Vec::<String>::new(),
        "saving the same text renders nothing"
    );
}

/// The basic fixture with Khmer set to show untranslated articles and sections in Vietnamese,
/// and the Khmer news section left untranslated.
fn fallback_site() -> Site {
    let site = Site::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let config = config.replace(
        "locale = \"km-KH\"\n",
        "locale = \"km-KH\"\nuntranslated = \"fallback\"\n",
    );
    assert!(config.contains("untranslated"));
    site.write("config.toml", &config);
    std::fs::remove_file(site.root().join("content/news/_index.km.md")).unwrap();
    site
}

#[test]
fn a_text_edit_of_an_untranslated_article_reaches_the_languages_that_show_it() {
    let site = fallback_site();
    let mut session = Session::start(&site);
    let article = std::fs::read_to_string(site.root().join("content/news/dau-tu.md")).unwrap();
    let section = std::fs::read_to_string(site.root().join("content/news/_index.md")).unwrap();
    for (rel, text, expected) in [
        (
            "content/news/dau-tu.md",
            format!("{article}\nDự án thứ chín đã được cấp phép.\n"),
            vec!["km/news/dau-tu/index.html", "news/dau-tu/index.html"],
        ),
        (
            "content/news/_index.md",
            format!("{section}\nTin mới nhất về hợp tác.\n"),
            vec!["km/news/index.html", "news/index.html"],
        ),
    ] {
        let incremental = session.edit(rel, Some(&text)).unwrap();
        let rendered: Vec<&String> = incremental
            .rendered
            .iter()
            .filter(|p| expected.iter().any(|e| p.ends_with(e)))
            .collect();
        assert_eq!(rendered.len(), 2, "{rel}: {:?}", incremental.rendered);
        let fresh = render_with(&options(&site), &mut BuildCache::default()).unwrap();
        assert_eq!(bytes_of(incremental), bytes_of(fresh), "{rel}");
    }
}

#[test]
fn a_summary_edit_renders_the_article_its_lists_and_the_feeds_that_carry_it() {
    let site = Site::fixture("basic");
    let mut session = Session::start(&site);
    let title = "Hoạt động đối ngoại";
    session.rendered_after(
        ARTICLE,
        &article("Tỉnh có 130 km đường biên giới.", "Đoạn.", title),
    );
    let rendered = session.rendered_after(
        ARTICLE,
        &article("Tỉnh có 141 km đường biên giới.", "Đoạn.", title),
    );
    for expected in [
        "news/hoat-dong-doi-ngoai/index.html",
        "news/index.html",
        "index.html",
        "tags/doi-ngoai/index.html",
        "tags/bien-gioi/index.html",
        "rss.xml",
        "atom.xml",
        "tags/doi-ngoai/rss.xml",
    ] {
        assert!(
            rendered.iter().any(|r| r == expected),
            "{expected} not rendered: {rendered:?}"
        );
    }
    for untouched in [
        "news/phan-gioi-cam-moc/index.html",
        "news/dau-tu/index.html",
        "en/news/hoat-dong-doi-ngoai/index.html",
        "en/index.html",
        "km/index.html",
        "sitemap.xml",
        "404.html",
        "tags/index.html",
    ] {
        assert!(
            !rendered.iter().any(|r| r == untouched),
            "{untouched} rendered: {rendered:?}"
        );
    }
}

#[test]
fn a_title_edit_also_renders_the_pages_that_show_the_title() {
    let site = Site::fixture("basic");
    let mut session = Session::start(&site);
    let summary = "Tỉnh có 130 km đường biên giới.";
    let rendered = session.rendered_after(
        ARTICLE,
        &article(summary, "Đoạn.", "Hoạt động đối ngoại năm 2014"),
    );
    for expected in [
        "news/hoat-dong-doi-ngoai/index.html",
        "news/index.html",
        "tags/bien-gioi/index.html",
        // Its neighbour links to it by its title.
        "news/phan-gioi-cam-moc/index.html",
    ] {
        assert!(
            rendered.iter().any(|r| r == expected),
            "{expected} not rendered: {rendered:?}"
        );
    }
    for untouched in [
        "en/index.html",
        "en/news/hoat-dong-doi-ngoai/index.html",
        "sitemap.xml",
    ] {
        assert!(
            !rendered.iter().any(|r| r == untouched),
            "{untouched} rendered: {rendered:?}"
        );
    }
}

#[test]
fn a_template_edit_renders_the_jobs_that_use_it() {
    let site = Site::fixture("basic");
    let mut session = Session::start(&site);
    let theme =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials/pagination.html");
    let pagination = std::fs::read_to_string(theme).unwrap();
    let rendered = session.rendered_after(
        "templates/partials/pagination.html",
        &format!("{pagination}\n<!-- trang -->\n"),
    );
    assert!(rendered.iter().any(|r| r == "news/index.html"), "{rendered:?}");
    assert!(
        rendered.iter().any(|r| r == "en/tags/foreign-affairs/index.html"),
        "{rendered:?}"
    );
    for untouched in [
        "news/dau-tu/index.html",
        "en/news/phan-gioi-cam-moc/index.html",
        "rss.xml",
        "sitemap.xml",
    ] {
        assert!(
            !rendered.iter().any(|r| r == untouched),
            "{untouched} rendered: {rendered:?}"
        );
    }
}

#[test]
fn a_string_edit_renders_the_jobs_that_use_that_string_in_that_language() {
    let site = Site::fixture("basic");
    let mut session = Session::start(&site);
    let rendered = session.rendered_after("locales/vi/site.ftl", "read-more = Đọc tiếp\n");
    assert!(rendered.iter().any(|r| r == "news/index.html"), "{rendered:?}");
    for untouched in [
        "news/dau-tu/index.html",
        "en/news/index.html",
        "km/news/index.html",
        "rss.xml",
    ] {
        assert!(
            !rendered.iter().any(|r| r == untouched),
            "{untouched} rendered: {rendered:?}"
        );
    }
    assert!(
        rendered
            .iter()
            .all(|r| !r.starts_with("en/") && !r.starts_with("km/")),
        "{rendered:?}"
    );
}

/// A small deterministic generator, so a failure names an edit that can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn after_each_of_fifty_random_edits_the_result_equals_a_fresh_build() {
    random_edits(&Site::fixture("basic"), 0x6d65_6b6f_6e67);
}

#[test]
fn random_edits_equal_a_fresh_build_where_untranslated_articles_show_the_original_text() {
    // Under `fallback` an untranslated article and section appear in Khmer with the
    // Vietnamese text: an edit of that text must reach the copies too.
    random_edits(&fallback_site(), 0x006b_686d_6572);
}

/// Fifty edits of every kind (text only, summary and title, dates and terms, new and deleted
/// files, templates, UI strings, a broken link and its repair), each compared with a fresh
/// build of the same files.
fn random_edits(site: &Site, seed: u64) {
    let mut session = Session::start(site);
    let mut rng = Rng(seed);
    // Files whose text below the front matter is edited, with their original text.
    let originals: Vec<(&str, String)> = ["content/news/_index.md", "content/news/dau-tu.md"]
        .into_iter()
        .map(|rel| (rel, std::fs::read_to_string(site.root().join(rel)).unwrap()))
        .collect();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let words = [
        "hợp tác",
        "biên giới",
        "Mondulkiri",
        "cửa khẩu",
        "hữu nghị",
        "đầu tư",
    ];
    let tags = ["Đối ngoại", "Biên giới", "Kinh tế", "Du lịch"];
    let mut created: Vec<String> = Vec::new();
    for step in 0..50 {
        let word = words[rng.below(words.len())];
        let (rel, text): (String, Option<String>) = match rng.below(10) {
            0 => (
                ARTICLE.to_owned(),
                Some(article(
                    "Tỉnh có 130 km đường biên giới.",
                    &format!("Về {word} ({step})."),
                    "Hoạt động đối ngoại",
                )),
            ),
            1 => (
                ARTICLE.to_owned(),
                Some(article(
                    &format!("Tóm tắt: {word}."),
                    "Đoạn.",
                    &format!("Hoạt động {word}"),
                )),
            ),
            2 => (
                "content/news/dau-tu.md".to_owned(),
                Some(format!(
                    "+++\ntitle = \"Thu hút đầu tư\"\ndate = 2014-05-{:02}\n[taxonomies]\ntags = [\"{}\"]\n+++\nTám dự án về {word}.\n",
                    1 + rng.below(28),
                    tags[rng.below(tags.len())]
                )),
            ),
            3 => {
                let name = format!("content/news/moi-{}.md", rng.below(6));
                created.push(name.clone());
                (
                    name,
                    Some(format!(
                        "+++\ntitle = \"Tin mới về {word}\"\ndate = 2015-0{}-10\n[taxonomies]\ntags = [\"{}\"]\n+++\nNội dung {step}.\n",
                        1 + rng.below(9),
                        tags[rng.below(tags.len())]
                    )),
                )
            }
            4 if !created.is_empty() => {
                let name = created.remove(rng.below(created.len()));
                if site.root().join(&name).exists() {
                    (name, None)
                } else {
                    continue;
                }
            }
            5 => {
                let name = ["partials/article_list.html", "partials/footer.html", "page.html"][rng.below(3)];
                let original = std::fs::read_to_string(theme.join(name)).unwrap();
                (
                    format!("templates/{name}"),
                    Some(format!("{original}<!-- {word} {step} -->\n")),
                )
            }
            6 => {
                let (lang, key) = [
                    ("vi", "read-more"),
                    ("en", "read-more"),
                    ("vi", "latest-news"),
                    ("km", "no-articles"),
                ][rng.below(4)];
                (
                    format!("locales/{lang}/site.ftl"),
                    Some(format!("{key} = {word} {step}\n")),
                )
            }
            7 => {
                let (rel, original) = &originals[rng.below(originals.len())];
                (
                    (*rel).to_owned(),
                    Some(format!("{original}\nTin về {word} ({step}).\n")),
                )
            }
            8 if rng.below(4) == 0 => (
                ARTICLE.to_owned(),
                Some(article(
                    "Tỉnh có 130 km đường biên giới.",
                    &format!("Xem [bài chưa có](@/news/chua-co-{step}.md) về {word}."),
                    "Hoạt động đối ngoại",
                )),
            ),
            8 => (
                ARTICLE.to_owned(),
                Some(article(
                    "Tỉnh có 130 km đường biên giới.",
                    &format!("Đoạn {step} về {word}."),
                    "Hoạt động đối ngoại",
                )),
            ),
            _ => (
                "content/news/bien-gioi.en.md".to_owned(),
                Some(format!(
                    "+++\ntitle = \"Border {word}\"\ndate = 2014-07-01\n+++\nThe border, {step}.\n"
                )),
            ),
        };
        let incremental = session.edit(&rel, text.as_deref());
        let fresh = render_with(&options(site), &mut BuildCache::default());
        match (incremental, fresh) {
            (Ok(incremental), Ok(fresh)) => {
                let (incremental, fresh) = (bytes_of(incremental), bytes_of(fresh));
                let differing: Vec<&String> = fresh
                    .iter()
                    .filter(|(path, bytes)| incremental.get(*path) != Some(*bytes))
                    .map(|(path, _)| path)
                    .chain(incremental.keys().filter(|p| !fresh.contains_key(*p)))
                    .collect();
                assert!(
                    differing.is_empty(),
                    "step {step} ({rel}): the incremental build differs in {differing:?}"
                );
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "step {step} ({rel})"),
            (a, b) => panic!(
                "step {step} ({rel}): incremental ok: {}, fresh ok: {}",
                a.is_ok(),
                b.is_ok()
            ),
        }
    }
}
