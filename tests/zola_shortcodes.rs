//! Coming from Zola: a Zola site's shortcodes see what Zola gives them — `page` (or `section`),
//! `config`, `lang`, `nth`, their arguments and `body` — with either template engine.

mod common;

use common::Site;

/// A shortcode showing the page it is called from, and one showing the section.
fn with_shortcodes(fixture: &str) -> Site {
    let site = Site::fixture(fixture);
    site.write(
        "templates/shortcodes/where.html",
        "<span class=\"where\">#{{ nth }} {{ kind }} in {{ lang }}: {{ page.title }} at {{ page.permalink | safe }} \
         ({{ page.relative_path | safe }}, {{ page.taxonomies.tags | length }} tags) on {{ config.title }} \
         [{{ page.content }}]</span>",
    );
    site.write(
        "templates/shortcodes/boxed.html",
        "<div class=\"boxed\">#{{ nth }} {{ section.title }} of {{ config.base_url | safe }}: {{ body }}</div>",
    );
    site.write(
        "content/blog/mangroves.md",
        "+++\ntitle = \"Mangroves of Cà Mau\"\ndate = 2024-01-15\n[taxonomies]\ntags = [\"Travel\", \"Nature\"]\n+++\n\
         At the tip.\n\n{{ where(kind=\"first\") }}\n\nThen {{ where(kind=\"second\") }} again.\n",
    );
    site.write(
        "content/blog/floating-market.vi.md",
        "+++\ntitle = \"Chợ nổi Cái Răng\"\ndate = 2024-03-10\n+++\nGhe.\n\n{{ where(kind=\"vi\") }}\n",
    );
    site.write(
        "content/blog/_index.md",
        "+++\ntitle = \"Journal\"\nsort_by = \"date\"\npaginate_by = 2\n+++\n\
         {% boxed() %}\nStories\n{% end %}\n\n{% boxed() %}\nMore\n{% end %}\n",
    );
    site.build(&[]);
    site
}

fn shortcodes_see_the_page_config_lang_and_nth(fixture: &str) {
    let site = with_shortcodes(fixture);
    let page = site.public("blog/mangroves/index.html");
    // The page's content is what is being rendered: Zola gives shortcodes an empty one.
    assert!(
        page.contains(
            "<span class=\"where\">#1 first in en: Mangroves of Cà Mau at https://example.com/blog/mangroves/ \
             (blog/mangroves.md, 2 tags) on Mekong Delta Notes []</span>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"where\">#2 second in en: Mangroves of Cà Mau"),
        "{page}"
    );
    // The translation takes its tags from the English article, as mekong shares them.
    let vi = site.public("vi/blog/floating-market/index.html");
    assert!(
        vi.contains(
            "<span class=\"where\">#1 vi in vi: Chợ nổi Cái Răng at https://example.com/vi/blog/floating-market/ \
             (blog/floating-market.vi.md, 2 tags) on Ghi chép miền Tây []</span>"
        ),
        "{vi}"
    );
    let section = site.public("blog/index.html");
    assert!(
        section.contains("<div class=\"boxed\">#1 Journal of https://example.com: Stories</div>"),
        "{section}"
    );
    assert!(
        section.contains("<div class=\"boxed\">#2 Journal of https://example.com: More</div>"),
        "{section}"
    );
}

#[test]
fn a_zola_0_23_site_s_shortcodes_see_the_page_config_lang_and_nth() {
    shortcodes_see_the_page_config_lang_and_nth("zola-tera2");
}

#[test]
fn a_zola_0_22_site_s_shortcodes_see_the_page_config_lang_and_nth() {
    shortcodes_see_the_page_config_lang_and_nth("zola-tera1");
}
