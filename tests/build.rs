//! Building the `basic` fixture: what a reader of each language sees.

mod common;

use common::{Site, links, main_of};

#[test]
fn every_language_gets_its_own_pages_with_the_right_html_lang() {
    let site = Site::fixture("basic");
    site.build(&[]);
    assert!(site.public("index.html").contains("<html lang=\"vi\">"));
    assert!(site.public("en/index.html").contains("<html lang=\"en\">"));
    assert!(site.public("km/index.html").contains("<html lang=\"km\">"));
    let km = site.public("km/news/hoat-dong-doi-ngoai/index.html");
    assert!(km.contains("<html lang=\"km\">"));
    assert!(km.contains("<h1>សកម្មភាពការបរទេស</h1>"));
    // UI strings come from the Khmer bundle.
    assert!(km.contains(">ទំព័រដើម</a>"), "Khmer menu label");
    assert!(km.contains(">ព័ត៌មាន</a>"), "Khmer menu label");
}

#[test]
fn translations_are_linked_by_file_name_in_the_switcher() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let vi = site.public("news/hoat-dong-doi-ngoai/index.html");
    assert!(vi.contains(
        "<a href=\"https://example.org/en/news/hoat-dong-doi-ngoai/\" hreflang=\"en\" lang=\"en\">English</a>"
    ));
    assert!(vi.contains(
        "<a href=\"https://example.org/km/news/hoat-dong-doi-ngoai/\" hreflang=\"km\" lang=\"km\">ភាសាខ្មែរ</a>"
    ));
    assert!(vi.contains("<span class=\"current\" aria-current=\"true\" lang=\"vi\">Tiếng Việt</span>"));
    // A page with no English version says so instead of linking nowhere.
    let untranslated = site.public("news/dau-tu/index.html");
    assert!(untranslated.contains(
        "<span class=\"unavailable\" title=\"Chưa có bản tiếng Anh\"><span lang=\"en\">English</span></span>"
    ));
}

#[test]
fn vietnamese_file_names_become_ascii_slugs() {
    let site = Site::fixture("basic");
    site.build(&[]);
    // content/news/Hoạt động đối ngoại.md
    assert!(site.exists("news/hoat-dong-doi-ngoai/index.html"));
    assert!(site.exists("en/news/hoat-dong-doi-ngoai/index.html"));
    // Tags in Vietnamese fold too: Đối ngoại → doi-ngoai.
    assert!(site.exists("tags/doi-ngoai/index.html"));
}

#[test]
fn khmer_page_reuses_the_vietnamese_slug() {
    let site = Site::fixture("basic");
    site.build(&[]);
    // bien-gioi.md sets slug = "phan-gioi-cam-moc"; bien-gioi.km.md sets none.
    assert!(site.exists("news/phan-gioi-cam-moc/index.html"));
    assert!(site.exists("km/news/phan-gioi-cam-moc/index.html"));
    assert!(site.exists("en/news/phan-gioi-cam-moc/index.html"));
    assert!(!site.exists("km/news/bien-gioi/index.html"));
}

#[test]
fn decomposed_vietnamese_gives_the_same_slug_and_text_as_composed() {
    let site = Site::fixture("basic");
    // "Hợp tác biên giới" typed with combining marks (NFD), in both file name and title.
    let decomposed = "Ho\u{31b}\u{323}p ta\u{301}c bie\u{302}n gio\u{31b}\u{301}i";
    assert_ne!(decomposed, "Hợp tác biên giới");
    site.write(
        &format!("content/news/{decomposed}.md"),
        &format!("+++\ntitle = \"{decomposed}\"\ndate = 2014-03-01\n+++\n{decomposed} là trọng tâm.\n"),
    );
    site.build(&[]);
    let html = site.public("news/hop-tac-bien-gioi/index.html");
    assert!(html.contains("<h1>Hợp tác biên giới</h1>"), "title must be NFC");
    assert!(
        html.contains("<p>Hợp tác biên giới là trọng tâm.</p>"),
        "body must be NFC"
    );
    assert!(!html.contains(decomposed));
}

#[test]
fn internal_links_resolve_to_the_same_language() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let vi = site.public("news/hoat-dong-doi-ngoai/index.html");
    assert!(vi.contains("<a href=\"https://example.org/news/phan-gioi-cam-moc/\">phân giới cắm mốc</a>"));
    assert!(vi.contains("<a href=\"https://example.org/news/phan-gioi-cam-moc/#ket-qua\">mục kết quả</a>"));
    let en = site.public("en/news/hoat-dong-doi-ngoai/index.html");
    assert!(en.contains("<a href=\"https://example.org/en/news/phan-gioi-cam-moc/\">demarcation</a>"));
    let km = site.public("km/news/hoat-dong-doi-ngoai/index.html");
    assert!(km.contains("<a href=\"https://example.org/km/news/phan-gioi-cam-moc/\">ការបោះបង្គោលព្រំដែន</a>"));
}

#[test]
fn shortcodes_render_inline_and_with_a_body_but_not_in_code() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let html = site.public("news/hoat-dong-doi-ngoai/index.html");
    assert!(html.contains("<aside class=\"note note-info\">Ghi chú ngắn</aside>"));
    assert!(html.contains(
        "<div class=\"callout\"><strong>Lưu ý</strong><p>Nội dung <strong>quan trọng</strong>.</p>"
    ));
    assert!(
        html.contains("<code>{{ note(kind=&quot;x&quot;) }}</code>"),
        "a shortcode in inline code is text"
    );
}

#[test]
fn fenced_rust_is_highlighted_with_classes_the_theme_styles() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let html = site.public("news/hoat-dong-doi-ngoai/index.html");
    assert!(html.contains("<code class=\"language-rust\" data-lang=\"rust\">"));
    assert!(html.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"));
    let css = site.public("css/syntax.css");
    assert!(
        css.contains(".hl-storage"),
        "the shipped stylesheet styles the classes"
    );
    assert!(
        html.contains("css/syntax.css?h="),
        "pages load it with a cache-busting hash"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("basic");
    site.build(&[]);
    assert!(!site.exists("news/nhap/index.html"));
    assert!(!site.public("news/index.html").contains("Bản nháp"));
    site.build(&["--drafts"]);
    assert!(site.exists("news/nhap/index.html"));
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let alias = site.public("tin-cu/hoat-dong/index.html");
    assert!(alias.contains(
        "<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/news/hoat-dong-doi-ngoai/\">"
    ));
    assert!(
        alias.contains("<link rel=\"canonical\" href=\"https://example.org/news/hoat-dong-doi-ngoai/\">")
    );
}

#[test]
fn an_alias_ending_in_html_is_that_very_file() {
    let site = Site::fixture("basic");
    site.write(
        "content/news/chuyen-trang.md",
        "+++\ntitle = \"Chuyển trang\"\ndate = 2024-01-02\naliases = [\"/tin-cu/bai-12.html\"]\n+++\nNội dung.\n",
    );
    site.build(&[]);
    let alias = site.public("tin-cu/bai-12.html");
    assert!(
        alias.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/news/chuyen-trang/\">"
        ),
        "{alias}"
    );
    assert!(!site.exists("tin-cu/bai-12.html/index.html"));
}

#[test]
fn static_well_known_is_published_and_other_hidden_files_are_not() {
    let site = Site::fixture("basic");
    let contact = "Contact: mailto:so.ngoaivu@example.gov.vn\nExpires: 2027-12-31T00:00:00.000Z\n";
    site.write("static/.well-known/security.txt", contact);
    site.write("static/.env", "SECRET=1\n");
    site.write("static/.git/config", "[core]\n");
    site.write("static/.well-known/.security.txt.swp", "swap\n");
    site.build(&[]);
    assert_eq!(site.public(".well-known/security.txt"), contact);
    for hidden in [".env", ".git/config", ".well-known/.security.txt.swp"] {
        assert!(!site.exists(hidden), "{hidden} is not published");
    }
}

#[test]
fn sections_paginate_and_list_newest_first() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let first = site.public("news/index.html");
    let second = site.public("news/page/2/index.html");
    let newest = first.find("Hoạt động đối ngoại").unwrap();
    let older = first.find("Phân giới cắm mốc biên giới").unwrap();
    assert!(newest < older);
    assert!(main_of(&second).contains("Thu hút đầu tư"));
    assert!(first.contains("Trang 1/2"), "{}", main_of(&first));
}

#[test]
fn summary_stops_at_the_more_marker() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let list = site.public("news/index.html");
    assert!(list.contains("Tỉnh có 130 km đường biên giới."));
    assert!(!main_of(&list).contains("Ghi chú ngắn"));
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let site = Site::fixture("basic");
    site.build(&["--base-url", "https://example.org/ngoai-vu/"]);
    for file in [
        "index.html",
        "km/news/hoat-dong-doi-ngoai/index.html",
        "news/page/2/index.html",
        "en/404.html",
        "tags/index.html",
    ] {
        let html = site.public(file);
        for link in links(&html) {
            let ok = common::points_inside_prefix(&link);
            assert!(ok, "{file}: link {link} escapes the /ngoai-vu/ prefix");
        }
    }
}

#[test]
fn duplicate_urls_name_both_files() {
    let site = Site::fixture("basic");
    site.overlay("invalid/duplicate-url");
    let err = site.build_fails();
    assert!(err.contains("content/news/trung-lap.md: error: this page has the URL /news/phan-gioi-cam-moc/, which content/news/bien-gioi.md already has"), "{err}");
}

#[test]
fn output_folder_may_not_be_the_site_or_its_parent_or_inside_content() {
    let site = Site::fixture("basic");
    let root = site.root().to_str().unwrap().to_owned();
    let parent = site.root().parent().unwrap().to_str().unwrap().to_owned();
    let inside = format!("{root}/content/out");
    for output in [&root, &parent, &inside] {
        let result = site.mekong(&["build", "--output", output]);
        assert!(!result.status.success());
        let err = String::from_utf8_lossy(&result.stderr);
        assert!(err.contains("refusing to build into this folder"), "{err}");
    }
    assert!(site.root().join("content/news/bien-gioi.md").exists());
    assert!(site.root().join("config.toml").exists());
}

#[test]
fn stale_files_are_removed_only_from_a_folder_mekong_made() {
    let site = Site::fixture("basic");
    site.build(&[]);
    assert!(site.exists(".mekong-output"));
    std::fs::remove_file(site.root().join("content/news/dau-tu.md")).unwrap();
    site.build(&[]);
    assert!(
        !site.exists("news/dau-tu/index.html"),
        "stale page removed from our folder"
    );

    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("notes.txt"), "the user's file").unwrap();
    let output = site.mekong(&["build", "--output", foreign.path().to_str().unwrap()]);
    assert!(output.status.success());
    assert_eq!(
        std::fs::read_to_string(foreign.path().join("notes.txt")).unwrap(),
        "the user's file"
    );
    assert!(foreign.path().join("index.html").exists());
    assert!(String::from_utf8_lossy(&output.stderr).contains("was not made by mekong"));
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let before = site.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = site.build(&[]);
    assert_eq!(
        before,
        site.snapshot(),
        "a second identical build touches nothing"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains(" 0 files written"));
}

#[test]
fn page_bundle_assets_are_copied_beside_every_language_version() {
    let site = Site::fixture("basic");
    site.write("content/news/le-ky-ket/index.md", "+++\ntitle = \"Lễ ký kết\"\ndate = 2014-06-01\n+++\n![Toàn cảnh buổi lễ](anh.png \"Buổi lễ ký kết\")\n");
    site.write(
        "content/news/le-ky-ket/index.km.md",
        "+++\ntitle = \"ពិធីចុះហត្ថលេខា\"\n+++\n![ទិដ្ឋភាពពិធី](anh.png)\n",
    );
    site.write("content/news/le-ky-ket/anh.png", "not really a png");
    site.build(&[]);
    assert_eq!(site.public("news/le-ky-ket/anh.png"), "not really a png");
    assert_eq!(site.public("km/news/le-ky-ket/anh.png"), "not really a png");
    let html = site.public("news/le-ky-ket/index.html");
    assert!(html.contains("<figure><img src=\"anh.png\" alt=\"Toàn cảnh buổi lễ\" title=\"Buổi lễ ký kết\" /><figcaption>Buổi lễ ký kết</figcaption></figure>"), "{}", main_of(&html));
    assert!(
        !html.contains("<p><figure>"),
        "a figure never sits in a paragraph"
    );
}

#[test]
fn yaml_front_matter_works_too() {
    let site = Site::fixture("basic");
    site.write(
        "content/news/yaml.md",
        "---\ntitle: Bài viết YAML\ndate: 2014-02-02\n---\nNội dung YAML.\n",
    );
    site.build(&[]);
    assert!(
        site.public("news/yaml/index.html")
            .contains("<h1>Bài viết YAML</h1>")
    );
}

#[test]
fn a_missing_ui_string_falls_back_and_is_reported_once() {
    let site = Site::fixture("basic");
    site.write("locales/vi/site.ftl", "only-vi = Chỉ có tiếng Việt\n");
    site.write(
        "templates/shortcodes/motto.html",
        "<p class=\"motto\">{{ t(key=\"only-vi\") }}</p>",
    );
    site.write(
        "content/news/bien-gioi.km.md",
        "+++\ntitle = \"ព្រំដែន\"\n+++\n{{ motto() }}\n\n{{ motto() }}\n",
    );
    site.write(
        "content/news/dau-tu.km.md",
        "+++\ntitle = \"វិនិយោគ\"\n+++\n{{ motto() }}\n",
    );
    let output = site.build(&[]);
    let km = site.public("km/news/phan-gioi-cam-moc/index.html");
    assert!(km.contains("<p class=\"motto\">Chỉ có tiếng Việt</p>"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr
            .matches("the UI string `only-vi` is missing in `km`")
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        !stderr.contains("the UI string `only-vi` is missing in `en`"),
        "en never asked for it: {stderr}"
    );
}

#[test]
fn a_site_string_replaces_the_built_in_one() {
    let site = Site::fixture("basic");
    site.write("locales/en/site.ftl", "read-more = Continue reading\n");
    site.build(&[]);
    let en = site.public("en/news/index.html");
    assert!(en.contains("Continue reading"));
    assert!(!en.contains(">Read more<"));
}

#[test]
fn get_page_and_url_find_content_in_the_current_language() {
    let site = Site::fixture("basic");
    site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block content %}{% set p = get_page(path=\"news/bien-gioi.md\") %}<p id=\"rel\">{{ p.title }} {{ url(path=\"@/news/bien-gioi.md\") }}</p>{% endblock content %}",
    );
    site.build(&[]);
    assert!(site.public("km/news/index.html").contains(
        "<p id=\"rel\">ការខណ្ឌសីមា និងបោះបង្គោលព្រំដែន https://example.org/km/news/phan-gioi-cam-moc/</p>"
    ));
    assert!(site.public("news/index.html").contains(
        "<p id=\"rel\">Phân giới cắm mốc biên giới https://example.org/news/phan-gioi-cam-moc/</p>"
    ));
}

#[test]
fn khmer_reading_time_counts_segmented_words() {
    let site = Site::fixture("basic");
    // 450 Khmer words without a single space: a whitespace count would say one word.
    let body = "កិច្ចសហប្រតិបត្តិការព្រំដែន".repeat(150);
    site.write(
        "content/news/dau-tu.km.md",
        &format!("+++\ntitle = \"វិនិយោគ\"\n+++\n{body}\n"),
    );
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p id=\"wc\">{{ page.word_count }} {{ page.reading_time }}</p>{% endblock content %}");
    site.build(&[]);
    let html = site.public("km/news/dau-tu/index.html");
    let start = html.find("<p id=\"wc\">").unwrap() + 11;
    let numbers: Vec<usize> = html[start..]
        .split('<')
        .next()
        .unwrap()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(numbers[0] >= 300, "word count {}", numbers[0]);
    assert!(numbers[1] >= 2, "reading time {}", numbers[1]);
}

#[test]
fn search_can_be_switched_off_and_sections_left_out() {
    let site = Site::fixture("basic");
    site.build(&[]);
    assert!(site.exists("search/vi/index.json"));
    assert!(site.exists("km/search/index.html"));
    let index = site.public("search/vi/index.json");
    assert!(index.contains("\"docs\":3"), "{index}");

    let news = std::fs::read_to_string(site.root().join("content/news/_index.md")).unwrap();
    site.write(
        "content/news/_index.md",
        &news.replace("paginate_by = 2", "paginate_by = 2\nin_search_index = false"),
    );
    site.build(&[]);
    assert!(
        site.public("search/vi/index.json").contains("\"docs\":0"),
        "news is left out"
    );

    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace(
            "default_language = \"vi\"",
            "default_language = \"vi\"\nbuild_search_index = false",
        ),
    );
    site.build(&[]);
    assert!(!site.exists("search/vi/index.json"));
    assert!(!site.exists("search/index.html"));
    assert!(
        !site.public("index.html").contains("/search/"),
        "no search link in the menu"
    );
}

#[test]
fn bundle_photos_get_resized_copies_and_a_srcset() {
    let site = Site::fixture("basic");
    let photo = image::RgbImage::from_fn(1600, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let folder = site.root().join("content/news/le-don");
    std::fs::create_dir_all(&folder).unwrap();
    photo.save(folder.join("le-don.png")).unwrap();
    site.write(
        "content/news/le-don/index.md",
        "+++\ntitle = \"Lễ đón\"\ndate = 2014-08-01\n+++\n![Đoàn đại biểu tại cửa khẩu](le-don.png)\n",
    );
    site.build(&[]);
    let html = site.public("news/le-don/index.html");
    assert!(
        html.contains("<img src=\"le-don.png\" srcset=\"le-don-480w.png 480w, le-don-960w.png 960w, le-don-1440w.png 1440w, le-don.png 1600w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"1600\" height=\"900\" loading=\"lazy\""),
        "{}",
        main_of(&html)
    );
    let small = image::image_dimensions(site.root().join("public/news/le-don/le-don-480w.png")).unwrap();
    assert_eq!(small, (480, 270));
    // The copies are cached: a second build does not make them again.
    let cached: Vec<_> = std::fs::read_dir(site.root().join(".mekong-cache/images"))
        .unwrap()
        .collect();
    assert_eq!(cached.len(), 3);
    let stamp = |p: &std::path::Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let first = cached[0].as_ref().unwrap().path();
    let before = stamp(&first);
    site.build(&[]);
    assert_eq!(before, stamp(&first));
}
