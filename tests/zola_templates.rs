//! Zola sites with their own templates: a Zola 0.23 site (Tera 2, components) and a Zola 0.22
//! site (Tera 1, macros and imports) build unchanged, their templates seeing the variables,
//! functions and filters Zola documents, at the URLs Zola gives. Both fixtures hold the same
//! content and markup, so the same assertions check both.

mod common;

use common::{Site, main_of};

/// The fixture built, ready to read.
fn built(name: &str) -> Site {
    let site = Site::fixture(name);
    site.build(&[]);
    site
}

/// Asserts that `html` contains `expected`, showing the page when it does not.
#[track_caller]
fn has(html: &str, expected: &str) {
    assert!(html.contains(expected), "expected\n  {expected}\nin\n{html}");
}

/// What both fixtures must render identically: the home page in each language.
fn home_pages_use_zola_s_functions_and_filters(site: &Site) {
    let home = site.public("index.html");
    has(&home, "<html lang=\"en\">");
    has(&home, "<title>Mekong Delta Notes</title>");
    // get_url: `@/` links per language, static files with a cache-busting hash, and a
    // trailing slash only when asked for.
    has(&home, "<a class=\"home\" href=\"https://example.com/\">Home</a>");
    has(
        &home,
        "<a class=\"journal\" href=\"https://example.com/blog/\">Journal</a>",
    );
    has(
        &home,
        "<a class=\"tags\" href=\"https://example.com/tags/\">Tags</a>",
    );
    has(
        &home,
        "<link rel=\"stylesheet\" href=\"https://example.com/style.css?h=",
    );
    has(
        &home,
        "<img class=\"logo\" src=\"https://example.com/logo.png\" width=\"3\" height=\"2\" alt=\"\">",
    );
    let main = main_of(&home);
    has(main, "<h1>Welcome</h1>");
    // section.subsections are paths for get_section.
    has(
        main,
        "<p class=\"subsections\"><a href=\"https://example.com/blog/\">Journal (3)</a></p>",
    );
    has(
        main,
        "<p class=\"featured\"><a href=\"https://example.com/blog/floating-market/\">The floating market at Cái Răng</a></p>",
    );
    has(main, "<p class=\"latest\">The floating market at Cái Răng</p>");
    has(
        main,
        "<ul class=\"all-tags\"><li><a href=\"https://example.com/tags/can-tho/\">Cần Thơ</a> 1</li>\
         <li><a href=\"https://example.com/tags/food/\">Food</a> 1</li>\
         <li><a href=\"https://example.com/tags/nature/\">Nature</a> 1</li>\
         <li><a href=\"https://example.com/tags/travel/\">Travel</a> 3</li></ul>",
    );
    has(
        main,
        "<p class=\"term\">Cần Thơ → https://example.com/tags/can-tho/</p>",
    );
    has(
        main,
        "<table class=\"data\"><tr><td>Cần Thơ</td><td>1,258,000</td></tr><tr><td>Bến Tre</td><td>1,299,000</td></tr></table>",
    );
    has(
        main,
        "<p class=\"data-files\">Cần Thơ – Vĩnh Long: 45; 05:00, 300</p>",
    );
    has(main, "<p class=\"encoded\">TWVrb25n Mekong</p>");
    has(main, "<p class=\"replaced\">Travel [notes] from the delta</p>");
    has(
        main,
        "<p class=\"tagline\">Boats, <em>markets</em> and rice fields</p>",
    );
    // sha256("mekong"), in hexadecimal.
    has(
        main,
        "<p class=\"hash\">22d8ac3da84fd3286df0f8a45da962c271967e5287c93da1f4fb0254025f7a86</p>",
    );
    has(main, "<p class=\"where\">/ https://example.com/</p>");
    // config.languages holds the other languages, as Zola serializes it.
    has(
        &home,
        "Lan Nguyễn · default en · also vi: Ghi chép miền Tây</footer>",
    );

    let home = site.public("vi/index.html");
    has(&home, "<html lang=\"vi\">");
    has(&home, "<title>Ghi chép miền Tây</title>");
    has(
        &home,
        "<a class=\"home\" href=\"https://example.com/vi/\">Trang chủ</a>",
    );
    has(
        &home,
        "<a class=\"journal\" href=\"https://example.com/vi/blog/\">Nhật ký</a>",
    );
    has(
        &home,
        "<a class=\"tags\" href=\"https://example.com/vi/tags/\">Thẻ</a>",
    );
    let main = main_of(&home);
    has(
        main,
        "<p class=\"subsections\"><a href=\"https://example.com/vi/blog/\">Nhật ký (2)</a></p>",
    );
    has(
        main,
        "<p class=\"featured\"><a href=\"https://example.com/vi/blog/floating-market/\">Chợ nổi Cái Răng</a></p>",
    );
    has(
        main,
        "<ul class=\"all-tags\"><li><a href=\"https://example.com/vi/tags/am-thuc/\">Ẩm thực</a> 1</li>\
         <li><a href=\"https://example.com/vi/tags/can-tho/\">Cần Thơ</a> 1</li>\
         <li><a href=\"https://example.com/vi/tags/cho-noi/\">Chợ nổi</a> 1</li></ul>",
    );
    has(
        main,
        "<p class=\"term\">Cần Thơ → https://example.com/vi/tags/can-tho/</p>",
    );
    // num_format in Vietnamese groups thousands with dots.
    has(main, "<td>Cần Thơ</td><td>1.258.000</td>");
    has(main, "<p class=\"where\">/vi/ https://example.com/vi/</p>");
    has(
        &home,
        "Lan Nguyễn · default en · also en: Mekong Delta Notes</footer>",
    );
}

fn pages_get_zola_s_page_fields(site: &Site) {
    let page = site.public("blog/floating-market/index.html");
    has(
        &page,
        "<title>The floating market at Cái Răng | Mekong Delta Notes</title>",
    );
    let main = main_of(&page);
    has(
        main,
        "<time datetime=\"2024-03-10\">10 March 2024</time> · 2024 · ",
    );
    has(
        main,
        "<nav class=\"toc\"><a href=\"https://example.com/blog/floating-market/#early-morning\">Early morning</a> \
         <a href=\"https://example.com/blog/floating-market/#breakfast-on-the-water\">Breakfast on the water</a> </nav>",
    );
    has(
        main,
        "<p>Boats piled with pineapples meet at dawn.</p>\n<span id=\"continue-reading\"></span>",
    );
    has(
        main,
        "<ul class=\"tags\"><li><a href=\"https://example.com/tags/travel/\">Travel</a></li>\
         <li><a href=\"https://example.com/tags/can-tho/\">Cần Thơ</a></li></ul>",
    );
    has(
        main,
        "<ul class=\"translations\"><li><a hreflang=\"en\" href=\"https://example.com/blog/floating-market/\">The floating market at Cái Răng</a></li>\
         <li><a hreflang=\"vi\" href=\"https://example.com/vi/blog/floating-market/\">Chợ nổi Cái Răng</a></li></ul>",
    );
    // Sorted by date: the newest page has only an older neighbour.
    has(
        main,
        "<a class=\"older\" href=\"https://example.com/blog/coconut-candy/\">Coconut candy in Bến Tre</a>",
    );
    assert!(!main.contains("class=\"newer\""), "{main}");
    has(
        main,
        "<p class=\"where\">/blog/floating-market/ https://example.com/blog/floating-market/ blog/floating-market.md _index.md,blog/_index.md blog/floating-market</p>",
    );

    let middle = main_of(&site.public("blog/coconut-candy/index.html")).to_owned();
    has(
        &middle,
        "<a class=\"older\" href=\"https://example.com/blog/mangroves/\">Mangroves of Cà Mau</a>",
    );
    has(
        &middle,
        "<a class=\"newer\" href=\"https://example.com/blog/floating-market/\">The floating market at Cái Răng</a>",
    );

    let page = site.public("vi/blog/floating-market/index.html");
    let main = main_of(&page);
    has(main, "<h1>Chợ nổi Cái Răng</h1>");
    // `date(locale="vi_VN")`: the month as Vietnamese writes it inside a date.
    has(main, "<time datetime=\"2024-03-10\">10 tháng 3 2024</time>");
    has(
        main,
        "<nav class=\"toc\"><a href=\"https://example.com/vi/blog/floating-market/#sang-som\">Sáng sớm</a> </nav>",
    );
    has(
        main,
        "<ul class=\"tags\"><li><a href=\"https://example.com/vi/tags/cho-noi/\">Chợ nổi</a></li>\
         <li><a href=\"https://example.com/vi/tags/can-tho/\">Cần Thơ</a></li></ul>",
    );
    has(
        main,
        "<p class=\"where\">/vi/blog/floating-market/ https://example.com/vi/blog/floating-market/ blog/floating-market.vi.md _index.vi.md,blog/_index.vi.md vi/blog/floating-market</p>",
    );
}

fn sections_are_paginated_as_zola_paginates(site: &Site) {
    let first = site.public("blog/index.html");
    has(&first, "<title>Journal | Mekong Delta Notes</title>");
    let main = main_of(&first);
    has(main, "<p>Stories from the water.</p>");
    // Components render each card; the first card has a summary, the second none.
    has(
        main,
        "<article class=\"card\" lang=\"en\">\n<h2><a href=\"https://example.com/blog/floating-market/\">The floating market at Cái Răng</a></h2>\n\
         <time datetime=\"2024-03-10\">10.03.2024</time>\n<div class=\"summary\"><p>Boats piled with pineapples meet at dawn.</p></div>\n\
         <a class=\"more\" href=\"https://example.com/blog/floating-market/\">Read more</a>",
    );
    has(
        main,
        "<h2><a href=\"https://example.com/blog/coconut-candy/\">Coconut candy in Bến Tre</a></h2>",
    );
    assert!(!main.contains("Mangroves"), "the third page is on page 2: {main}");
    has(main, "<nav class=\"pager\">1/2 of 3, 2 a page");
    has(
        main,
        "<a rel=\"next\" href=\"https://example.com/blog/page/2/\">→</a>",
    );
    assert!(!main.contains("rel=\"prev\""), "{main}");
    has(
        main,
        "<a class=\"first\" href=\"https://example.com/blog/\">1</a> <a class=\"last\" href=\"https://example.com/blog/page/2/\">2</a> \
         <span class=\"base\">https://example.com/blog/page/</span>",
    );
    has(
        main,
        "<p class=\"translations\"><a hreflang=\"en\" href=\"https://example.com/blog/\">Journal</a> \
         <a hreflang=\"vi\" href=\"https://example.com/vi/blog/\">Nhật ký</a> </p>",
    );
    has(main, "<p class=\"where\">/blog/ blog/_index.md _index.md</p>");

    let second = main_of(&site.public("blog/page/2/index.html")).to_owned();
    has(
        &second,
        "<h2><a href=\"https://example.com/blog/mangroves/\">Mangroves of Cà Mau</a></h2>",
    );
    has(&second, "<nav class=\"pager\">2/2 of 3, 2 a page");
    has(
        &second,
        "<a rel=\"prev\" href=\"https://example.com/blog/\">←</a>",
    );
    has(
        &second,
        "<p class=\"where\">/blog/page/2/ blog/_index.md _index.md</p>",
    );

    let vietnamese = main_of(&site.public("vi/blog/index.html")).to_owned();
    has(&vietnamese, "<p>Chuyện kể từ sông nước.</p>");
    has(
        &vietnamese,
        "<a class=\"more\" href=\"https://example.com/vi/blog/floating-market/\">Đọc tiếp</a>",
    );
    has(&vietnamese, "<time datetime=\"2024-02-02\">02.02.2024</time>");
    has(&vietnamese, "<nav class=\"pager\">1/1 of 2, 2 a page");
    assert!(!site.exists("vi/blog/page/2/index.html"));
}

fn taxonomies_list_their_terms_and_pages(site: &Site) {
    let list = main_of(&site.public("tags/index.html")).to_owned();
    has(&list, "<h1>Tags (tags, en)</h1>");
    has(
        &list,
        "<ul class=\"terms\"><li><a href=\"https://example.com/tags/can-tho/\">Cần Thơ</a> (1)</li>\
         <li><a href=\"https://example.com/tags/food/\">Food</a> (1)</li>\
         <li><a href=\"https://example.com/tags/nature/\">Nature</a> (1)</li>\
         <li><a href=\"https://example.com/tags/travel/\">Travel</a> (3)</li></ul>",
    );
    let travel = main_of(&site.public("tags/travel/index.html")).to_owned();
    has(&travel, "<h1>#Travel</h1>");
    has(
        &travel,
        "<ul class=\"pages\"><li><a href=\"https://example.com/blog/floating-market/\">The floating market at Cái Răng</a></li>\
         <li><a href=\"https://example.com/blog/coconut-candy/\">Coconut candy in Bến Tre</a></li></ul>",
    );
    has(
        &travel,
        "<nav class=\"pager\">1/2 <a rel=\"next\" href=\"https://example.com/tags/travel/page/2/\">→</a></nav>",
    );
    let second = main_of(&site.public("tags/travel/page/2/index.html")).to_owned();
    has(
        &second,
        "<li><a href=\"https://example.com/blog/mangroves/\">Mangroves of Cà Mau</a></li>",
    );
    has(
        &second,
        "<nav class=\"pager\">2/2 <a rel=\"prev\" href=\"https://example.com/tags/travel/\">←</a></nav>",
    );

    let list = main_of(&site.public("vi/tags/index.html")).to_owned();
    has(&list, "<h1>Thẻ (tags, vi)</h1>");
    let market = main_of(&site.public("vi/tags/cho-noi/index.html")).to_owned();
    has(&market, "<h1>#Chợ nổi</h1>");
    has(
        &market,
        "<li><a href=\"https://example.com/vi/blog/floating-market/\">Chợ nổi Cái Răng</a></li>",
    );
}

/// Width and height of the PNG file at `path` below public/, from its header.
fn png_size(site: &Site, path: &str) -> (u32, u32) {
    let bytes = std::fs::read(site.root().join("public").join(path)).unwrap();
    assert_eq!(&bytes[1..4], b"PNG", "{path} is a PNG file");
    let number = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (number(16), number(20))
}

/// The output path of the image an `<img class="{class}" src="…">` shows.
fn image_path(html: &str, class: &str) -> String {
    let start = html
        .find(&format!("<img class=\"{class}\" src=\"https://example.com/"))
        .unwrap_or_else(|| panic!("no {class} image in {html}"));
    let rest = &html[start..];
    let src = &rest[rest.find("https://example.com/").unwrap() + "https://example.com/".len()..];
    src[..src.find('"').unwrap()].to_owned()
}

fn resized_images_are_written_at_the_size_asked_for(site: &Site) {
    // fit: 40 × 20 into 10 × 10 keeps the ratio.
    let page = site.public("blog/mangroves/index.html");
    let thumb = image_path(&page, "thumb");
    assert!(
        thumb.starts_with("processed_images/") && thumb.ends_with(".png"),
        "{thumb}"
    );
    has(&page, "width=\"10\" height=\"5\" data-original=\"40x20\"");
    assert_eq!(png_size(site, &thumb), (10, 5));
    // fill, Zola's default: cropped to exactly 8 × 8.
    let home = site.public("index.html");
    let square = image_path(&home, "square");
    has(&home, "width=\"8\" height=\"8\" alt=\"\">");
    assert_eq!(png_size(site, &square), (8, 8));
    assert_ne!(thumb, square);
}

fn only_the_site_s_own_files_are_written(site: &Site) {
    // mekong's theme (its style sheets, fonts and search page) stays out of a Zola site.
    assert!(site.exists("style.css"));
    assert!(!site.exists("css/style.css"));
    assert!(!site.exists("js/search.js"));
    assert!(!site.exists("search/index.html"));
    // Zola's built-in redirect page.
    let alias = site.public("old-market/index.html");
    has(
        &alias,
        "<link rel=\"canonical\" href=\"https://example.com/blog/floating-market/\">",
    );
    has(
        &alias,
        "<meta http-equiv=\"refresh\" content=\"0; url=https://example.com/blog/floating-market/\">",
    );
    // Without a 404.html of its own, the site gets Zola's built-in one.
    has(&site.public("404.html"), "<title>404 Not Found</title>");
}

#[test]
fn a_zola_0_23_site_renders_its_home_pages_with_zola_s_functions() {
    home_pages_use_zola_s_functions_and_filters(&built("zola-tera2"));
}

#[test]
fn a_zola_0_23_site_s_pages_see_zola_s_page_variables() {
    pages_get_zola_s_page_fields(&built("zola-tera2"));
}

#[test]
fn a_zola_0_23_site_s_sections_get_zola_s_paginator() {
    sections_are_paginated_as_zola_paginates(&built("zola-tera2"));
}

#[test]
fn a_zola_0_23_site_s_taxonomy_templates_get_terms_and_pages() {
    taxonomies_list_their_terms_and_pages(&built("zola-tera2"));
}

#[test]
fn a_zola_0_23_site_gets_none_of_mekong_s_theme() {
    only_the_site_s_own_files_are_written(&built("zola-tera2"));
}

#[test]
fn a_zola_0_23_site_s_templates_resize_images() {
    resized_images_are_written_at_the_size_asked_for(&built("zola-tera2"));
}

#[test]
fn a_mistake_in_a_zola_template_names_its_file_line_and_column() {
    let site = Site::fixture("zola-tera2");
    site.write(
        "templates/taxonomy_list.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ taxonomy.name }</h1>\n{% endblock content %}\n",
    );
    let stderr = site.build_fails();
    assert!(stderr.contains("templates/taxonomy_list.html:3:"), "{stderr}");
}

#[test]
fn a_missing_translation_is_an_error_that_names_the_key_and_the_template() {
    let site = Site::fixture("zola-tera2");
    let base = std::fs::read_to_string(site.root().join("templates/base.html")).unwrap();
    site.write(
        "templates/base.html",
        &base.replace("trans(key=\"home\"", "trans(key=\"contact\""),
    );
    let stderr = site.build_fails();
    assert!(stderr.contains("templates/base.html:10:"), "{stderr}");
    assert!(
        stderr.contains("trans(): there is no translation `contact` for `en`"),
        "{stderr}"
    );
}

#[test]
fn a_zola_0_22_site_renders_its_home_pages_with_zola_s_functions() {
    home_pages_use_zola_s_functions_and_filters(&built("zola-tera1"));
}

#[test]
fn a_zola_0_22_site_s_pages_see_zola_s_page_variables() {
    pages_get_zola_s_page_fields(&built("zola-tera1"));
}

#[test]
fn a_zola_0_22_site_s_sections_get_zola_s_paginator_and_its_macros_run() {
    sections_are_paginated_as_zola_paginates(&built("zola-tera1"));
}

#[test]
fn a_zola_0_22_site_s_taxonomy_templates_get_terms_and_pages() {
    taxonomies_list_their_terms_and_pages(&built("zola-tera1"));
}

#[test]
fn a_zola_0_22_site_gets_none_of_mekong_s_theme() {
    only_the_site_s_own_files_are_written(&built("zola-tera1"));
}

#[test]
fn a_zola_0_22_site_s_templates_resize_images() {
    resized_images_are_written_at_the_size_asked_for(&built("zola-tera1"));
}

#[test]
fn tera_1_escapes_slashes_as_zola_0_22_does() {
    let site = Site::fixture("zola-tera1");
    let page = std::fs::read_to_string(site.root().join("templates/page.html")).unwrap();
    site.write(
        "templates/page.html",
        &page.replace(
            "{{ page.title }}</h1>",
            "{{ page.title }}</h1><p class=\"raw\">{{ page.permalink }}</p>",
        ),
    );
    site.build(&[]);
    let page = site.public("blog/mangroves/index.html");
    has(
        &page,
        "<p class=\"raw\">https:&#x2F;&#x2F;example.com&#x2F;blog&#x2F;mangroves&#x2F;</p>",
    );
}

#[test]
fn a_syntax_error_in_a_tera_1_template_names_its_file_line_and_column() {
    let site = Site::fixture("zola-tera1");
    site.write(
        "templates/macros.html",
        "{% macro post_card(page, lang) %}\n<h2>{{ page.title }</h2>\n{% endmacro post_card %}\n",
    );
    let stderr = site.build_fails();
    assert!(stderr.contains("templates/macros.html:2:"), "{stderr}");
    assert!(stderr.contains("syntax error"), "{stderr}");
}

#[test]
fn a_failed_call_in_a_tera_1_template_names_the_template_and_the_call_s_place() {
    let site = Site::fixture("zola-tera1");
    let macros = std::fs::read_to_string(site.root().join("templates/macros.html")).unwrap();
    site.write(
        "templates/macros.html",
        &macros.replace("trans(key=\"read_more\"", "trans(key=\"more\""),
    );
    let stderr = site.build_fails();
    assert!(stderr.contains("templates/macros.html:6:"), "{stderr}");
    assert!(
        stderr.contains("trans(): there is no translation `more` for `en`"),
        "{stderr}"
    );
}

#[test]
fn load_data_reads_nothing_outside_the_site_and_nothing_from_the_network() {
    let site = Site::fixture("zola-tera2");
    let index = std::fs::read_to_string(site.root().join("templates/index.html")).unwrap();
    site.write(
        "templates/index.html",
        &index.replace("path=\"data/provinces.csv\"", "path=\"../../etc/passwd\""),
    );
    let stderr = site.build_fails();
    assert!(stderr.contains("templates/index.html:"), "{stderr}");
    assert!(
        stderr.contains("load_data(): `../../etc/passwd` leads out of the site folder"),
        "{stderr}"
    );
    site.write(
        "templates/index.html",
        &index.replace(
            "path=\"data/provinces.csv\"",
            "url=\"https://example.org/data.csv\"",
        ),
    );
    let stderr = site.build_fails();
    assert!(stderr.contains("load_data(): `url` is not supported"), "{stderr}");
}

#[test]
fn check_says_which_templates_render_a_zola_site() {
    for (fixture, engine) in [
        ("zola-tera2", "Zola 0.23 (Tera 2)"),
        ("zola-tera1", "Zola 0.22 (Tera 1)"),
    ] {
        let site = Site::fixture(fixture);
        let output = site.mekong(&["check"]);
        let stderr =
            String::from_utf8_lossy(&output.stderr).into_owned() + &String::from_utf8_lossy(&output.stdout);
        assert!(
            stderr.contains(&format!("templates: the site's own, as {engine} renders them")),
            "{stderr}"
        );
        assert!(!stderr.contains("has no name in vi"), "{stderr}");
    }
}

#[test]
fn a_zola_theme_gives_its_extra_defaults_and_its_sass() {
    let site = Site::fixture("zola-tera2");
    let config = std::fs::read_to_string(site.root().join("zola.toml")).unwrap();
    site.write(
        "zola.toml",
        &format!(
            "theme = \"river\"\ncompile_sass = true\n{config}\n[extra.social]\nemail = \"lan@example.com\"\n"
        ),
    );
    site.write(
        "themes/river/theme.toml",
        "name = \"river\"\ndescription = \"A theme\"\nlicense = \"MIT\"\nmin_version = \"0.22.0\"\n\n\
         [extra]\ntagline = \"The theme's tagline\"\nfooter_note = \"Made with River\"\n\n\
         [extra.social]\nmastodon = \"@river\"\nemail = \"theme@example.com\"\n\n[author]\nname = \"Someone\"\n",
    );
    site.write("themes/river/sass/site.scss", "p { color: red }\n");
    site.write("themes/river/sass/theme.scss", "$c: #00aa00;\n.t { color: $c }\n");
    site.write("sass/site.scss", "b { color: blue }\n");
    site.write(
        "templates/extra.html",
        "<p class=\"extra\">{{ config.extra.tagline }} | {{ config.extra.footer_note }} | \
         {{ config.extra.social.mastodon }} | {{ config.extra.social.email }}</p>\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\ntemplate = \"extra.html\"\n+++\nAbout.\n",
    );
    site.build(&[]);
    // The site's values win; the theme fills in what the site leaves out, inside tables too.
    assert_eq!(
        site.public("about/index.html"),
        "<p class=\"extra\">Boats, *markets* and rice fields | Made with River | @river | lan@example.com</p>\n"
    );
    // The theme's stylesheets are compiled too; the site's win on equal paths.
    assert_eq!(site.public("theme.css"), ".t{color:#0a0}");
    assert_eq!(site.public("site.css"), "b{color:blue}");

    // A broken theme.toml is an error at its line.
    site.write("themes/river/theme.toml", "[extra]\ntagline = \n");
    let err = site.build_fails();
    assert!(err.contains("themes/river/theme.toml:2:"), "{err}");
}
