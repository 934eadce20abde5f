//! Coming from Zola: a Zola site's shortcodes see what Zola gives them — `page` (or `section`),
//! `config`, `lang`, `nth`, their arguments and `body` — with either template engine, and a Zola
//! 0.23 site's Markdown calls the components its templates define.

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
        "templates/shortcodes/link.html",
        "<a class=\"link\" href=\"{{ get_url(path=path, lang=lang) | safe }}\">{{ path | safe }}</a>",
    );
    site.write("templates/shortcodes/saying.md", "> *{{ text }}* — {{ who }}\n");
    site.write(
        "content/blog/mangroves.md",
        "+++\ntitle = \"Mangroves of Cà Mau\"\ndate = 2024-01-15\n[taxonomies]\ntags = [\"Travel\", \"Nature\"]\n+++\n\
         At the tip.\n\n{{ where(kind=\"first\") }}\n\nThen {{ where(kind=\"second\") }} again.\n\n\
         See {{ link(path=\"@/blog/floating-market.md#sang-som\") }}.\n\n\
         {{ saying(text=\"Nước chảy đá mòn\", who=\"tục ngữ\") }}\n",
    );
    site.write(
        "content/blog/floating-market.vi.md",
        "+++\ntitle = \"Chợ nổi Cái Răng\"\ndate = 2024-03-10\n+++\nGhe.\n\n{{ where(kind=\"vi\") }}\n\n\
         Xem {{ link(path=\"@/blog/coconut-candy.md\") }}.\n",
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
    // A Markdown shortcode (`.md`): its output is rendered with the page's Markdown.
    assert!(
        page.contains("<blockquote>\n<p><em>Nước chảy đá mòn</em> — tục ngữ</p>\n</blockquote>"),
        "{page}"
    );
    // `get_url("@/…")` in a shortcode: the page's URL in the shortcode's language.
    assert!(
        page.contains(
            "See <a class=\"link\" href=\"https://example.com/blog/floating-market/#sang-som\">@/blog/floating-market.md#sang-som</a>."
        ),
        "{page}"
    );
    assert!(
        vi.contains(
            "Xem <a class=\"link\" href=\"https://example.com/vi/blog/coconut-candy/\">@/blog/coconut-candy.md</a>."
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

/// The Zola 0.23 fixture with a callout (with a body) and a video (without) as components.
fn with_components() -> Site {
    let site = Site::fixture("zola-tera2");
    site.write(
        "templates/components/callout.html",
        "{% component callout(type, title=\"Note\") %}<aside class=\"callout {{ type }}\">\
         <strong>{{ title }}</strong>{{ body | markdown | safe }}</aside>{% endcomponent callout %}",
    );
    site.write(
        "templates/components/video.html",
        "{% component video(id, start=0) %}<iframe src=\"https://www.youtube.com/embed/{{ id }}?start={{ start }}\">\
         </iframe>{% endcomponent video %}",
    );
    site
}

#[test]
fn a_zola_0_23_site_s_markdown_calls_its_components_with_and_without_a_body() {
    let site = with_components();
    site.write(
        "content/blog/mangroves.md",
        "+++\ntitle = \"Mangroves\"\ndate = 2024-01-15\n[taxonomies]\ntags = [\"Nature\"]\n+++\nAt the tip.\n\n\
         {% <callout type=\"warning\" title=\"Tide\"> %}\nMind the *tide*.\n{% </callout> %}\n\n\
         {{ <video id=\"abc123\" start=42/> }}\n\n{% <callout type=\"note\"> %}\nDefault title.\n{% </callout> %}\n\n\
         `{{ <video id=\"in-code\"/> }}` stays text.\n",
    );
    site.build(&[]);
    let page = site.public("blog/mangroves/index.html");
    assert!(
        page.contains(
            "<aside class=\"callout warning\"><strong>Tide</strong><p>Mind the <em>tide</em>.</p>\n</aside>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<iframe src=\"https://www.youtube.com/embed/abc123?start=42\"></iframe>"),
        "{page}"
    );
    assert!(
        page.contains("<aside class=\"callout note\"><strong>Note</strong><p>Default title.</p>"),
        "{page}"
    );
    assert!(
        page.contains("<code>{{ &lt;video id=&quot;in-code&quot;/&gt; }}</code> stays text."),
        "{page}"
    );
}

#[test]
fn an_unknown_or_unclosed_component_is_an_error_naming_file_line_and_column() {
    let site = with_components();
    site.write(
        "content/blog/mangroves.md",
        "+++\ntitle = \"Mangroves\"\n+++\nAt the tip.\n\nSee {{ <vidoe id=\"x\"/> }}.\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/blog/mangroves.md:6:5: error: unknown component `vidoe`"),
        "{err}"
    );
    assert!(err.contains("templates/components/vidoe.html"), "{err}");

    site.write(
        "content/blog/mangroves.md",
        "+++\ntitle = \"Mangroves\"\n+++\nAt the tip.\n\n{% <callout type=\"note\"> %}\nNo end.\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains(
            "content/blog/mangroves.md:6:1: error: the component `callout` has a body but no closing `{% </callout> %}`"
        ),
        "{err}"
    );

    site.write(
        "content/blog/mangroves.md",
        "+++\ntitle = \"Mangroves\"\n+++\n{{ <video start=3/> }}\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/blog/mangroves.md:4:1: error: component `video` failed"),
        "{err}"
    );
}
