//! Coming from Zola: Markdown written for Zola renders as Zola renders it — heading attributes,
//! shortcode escapes, code-block options and the `[markdown]` keys that change the HTML — and
//! what would go wrong is an error naming the file and line.

mod common;

use common::{Site, main_of};

fn built() -> Site {
    let site = Site::fixture("zola-markdown");
    site.build(&[]);
    site
}

/// The article's HTML (the theme's `<div class="prose">`).
fn prose(site: &Site, page: &str) -> String {
    let html = site.public(&format!("{page}/index.html"));
    let main = main_of(&html);
    let start = main
        .find("<div class=\"prose\">")
        .expect("the page has its prose");
    main[start..].to_owned()
}

#[test]
fn heading_attributes_give_the_id_and_classes_and_leave_the_text() {
    let site = built();
    let html = prose(&site, "docs/headings");
    assert!(
        html.contains(
            "<h2 id=\"install\" class=\"wide first\">Installing<a class=\"zola-anchor\" href=\"#install\""
        ),
        "{html}"
    );
    // The written id is taken: the next "Installing" keeps its own, unnumbered.
    assert!(html.contains("<h2 id=\"installing\">Installing<a"), "{html}");
    // Classes alone, and text split by emphasis before the braces.
    assert!(
        html.contains("<h2 id=\"setup-now\" class=\"only_class\">Setup <em>now</em><a"),
        "{html}"
    );
    // Braces that are not attributes are text.
    assert!(html.contains("<h2 id=\"a-set-a-b\">A set {a, b}<a"), "{html}");
    let page = site.public("docs/headings/index.html");
    assert!(
        !page.contains("{#install"),
        "the attributes are not shown: {page}"
    );
    assert!(!page.contains(".only_class}"), "{page}");
    // The table of contents and `@/…#id` links use the written id.
    let toc = &page[page.find("<nav class=\"toc\"").unwrap()..];
    assert!(toc.contains("<a href=\"#install\">Installing</a>"), "{toc}");
    assert!(toc.contains("<a href=\"#setup-now\">Setup now</a>"), "{toc}");
    assert!(
        html.contains("<a href=\"https://example.org/docs/headings/#install\">the install step</a>"),
        "{html}"
    );
}

#[test]
fn an_id_written_on_two_headings_is_an_error_naming_file_and_line() {
    let site = Site::fixture("zola-markdown");
    site.write(
        "content/docs/twice.md",
        "+++\ntitle = \"Twice\"\n+++\n## One {#same}\n\nText.\n\n## Two {#same}\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains(
            "content/docs/twice.md:8:1: error: the heading id `same` is already used by the heading on line 4"
        ),
        "{err}"
    );
}

#[test]
fn an_anchor_link_must_name_a_written_id_not_the_text_it_replaced() {
    let site = Site::fixture("zola-markdown");
    site.write(
        "content/docs/linking.md",
        "+++\ntitle = \"Linking\"\n+++\nSee [it](@/docs/headings.md#installing-1).\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/docs/linking.md:4:5: error: the link points to #installing-1, which is not a heading of https://example.org/docs/headings/"),
        "{err}"
    );
    assert!(
        err.contains("its headings are: install, installing, setup-now, a-set-a-b"),
        "{err}"
    );
}

#[test]
fn shortcode_escapes_are_shown_as_written_and_calls_in_code_stay_text() {
    let site = built();
    let html = prose(&site, "docs/shortcodes");
    assert!(
        html.contains("<p>Call it as {{ youtube(id=&quot;abc&quot;) }} in a paragraph.</p>"),
        "{html}"
    );
    assert!(html.contains("<div class=\"video\">real</div>"), "{html}");
    // In a code block: the inline escape, and a body escape whose call inside is not run.
    let code = &html[html.find("<pre").unwrap()..html.find("</pre>").unwrap()];
    assert!(code.contains("{{ youtube(id=&quot;in-code&quot;) }}"), "{code}");
    assert!(code.contains("{% note() %}"), "{code}");
    assert!(
        code.contains("A note with {{ youtube(id=&quot;not-run&quot;) }}"),
        "{code}"
    );
    assert!(code.contains("{% end %}"), "{code}");
    assert!(!code.contains("/*"), "{code}");
    assert!(!html.contains("not-run</div>"), "{html}");
    assert!(
        html.contains("<code>{{ youtube(id=&quot;inline&quot;) }}</code>"),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ youtube(id=&quot;x&quot;) }}</code>"),
        "{html}"
    );
    // An escape inside a shortcode's body reaches the template unescaped.
    assert!(
        html.contains("<aside class=\"note\"><p>Write {{ youtube(id=&quot;b&quot;) }} for a video.</p>"),
        "{html}"
    );
}

#[test]
fn an_unclosed_shortcode_escape_is_an_error_naming_file_and_line() {
    let site = Site::fixture("zola-markdown");
    site.write(
        "content/docs/open.md",
        "+++\ntitle = \"Open\"\n+++\nIntro.\n\n{%/* note() */%}\nA body with no end.\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/docs/open.md:6:1: error: the escaped shortcode `{%/* note(…) */%}` has no closing `{%/* end */%}`"),
        "{err}"
    );
}

#[test]
fn code_block_options_number_mark_hide_and_name_lines() {
    let site = built();
    let html = prose(&site, "docs/code");
    let first = &html[html.find("<pre").unwrap()..html.find("</pre>").unwrap()];
    assert!(
        first.starts_with(
            "<pre data-linenos data-lang=\"rust\" data-name=\"main.rs\" class=\"language-rust hl-code\">\
             <code class=\"language-rust\" data-lang=\"rust\" data-name=\"main.rs\"><table><tbody><tr><td><mark>12</mark></td><td><mark>"
        ),
        "{first}"
    );
    // Lines 1-2 are hidden; numbers count from linenostart=10 in the source, so 12 comes first.
    assert!(!first.contains("hidden"), "{first}");
    assert_eq!(first.matches("<tr>").count(), 5, "{first}");
    for number in [
        "<mark>12</mark>",
        "<mark>13</mark>",
        "<td>14</td>",
        "<mark>15</mark>",
        "<td>16</td>",
    ] {
        assert!(first.contains(number), "{number} in {first}");
    }
    assert!(
        first.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"),
        "still highlighted: {first}"
    );
    // Every highlighted line closes what it opens, so a <mark> holds whole elements.
    for row in first.split("<tr>").skip(1) {
        assert_eq!(
            row.matches("<span").count(),
            row.matches("</span>").count(),
            "{row}"
        );
    }
    // hl_lines past the end of the block mark what there is.
    assert!(
        html.contains("<pre data-lang=\"toml\" class=\"language-toml hl-code\"><code class=\"language-toml\" data-lang=\"toml\"><span class=\"hl-text hl-plain\">a = 1\n</span><mark><span class=\"hl-text hl-plain\">b = 2\n</span></mark></code></pre>"),
        "{html}"
    );
    // A block without a language is escaped plain text.
    assert!(
        html.contains("<pre class=\"hl-code\"><code><span class=\"hl-text hl-plain\">plain &lt;text&gt;\n"),
        "{html}"
    );
}

#[test]
fn code_block_options_without_highlighting_keep_their_lines() {
    let site = Site::fixture("zola-markdown");
    let config = std::fs::read_to_string(site.root().join("zola.toml")).unwrap();
    site.write(
        "zola.toml",
        &config.replace("[markdown]\n", "[markdown]\nhighlight_code = false\n"),
    );
    site.build(&[]);
    let html = prose(&site, "docs/code");
    assert!(
        html.contains(
            "<tr><td><mark>15</mark></td><td><mark>    println!(&quot;{x}{y}&quot;);\n</mark></td></tr>"
        ),
        "{html}"
    );
    assert!(!html.contains("hl-"), "{html}");
}

#[test]
fn a_bad_code_block_option_is_an_error_naming_file_and_line() {
    let site = Site::fixture("zola-markdown");
    site.write(
        "content/docs/bad.md",
        "+++\ntitle = \"Bad\"\n+++\nText.\n\n```rust,linenostart=ten\nfn main() {}\n```\n\n```rust,hl_lines=two\nfn main() {}\n```\n\n```rust,linenoss\n```\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/docs/bad.md:6:1: error: `linenostart` must be a whole number, not `ten`"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/docs/bad.md:10:1: error: `hl_lines` must list line numbers and ranges, not `two`"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/docs/bad.md:14:1: error: unknown code block option `linenoss`"),
        "{err}"
    );
}

#[test]
fn anchor_links_follow_the_section_then_the_config() {
    let site = built();
    // docs/_index.md: insert_anchor_links = "right", for the section's pages.
    assert!(
        prose(&site, "docs/headings").contains(
            "<h2 id=\"installing\">Installing<a class=\"zola-anchor\" href=\"#installing\" aria-label=\"Anchor link for: installing\">🔗</a></h2>"
        )
    );
    // The home section sets none: [markdown] insert_anchor_links = "left".
    let plain = prose(&site, "plain");
    assert!(
        plain.contains(
            "<h2 id=\"first\"><a class=\"zola-anchor\" href=\"#first\" aria-label=\"Anchor link for: first\">🔗</a>First</h2>"
        ),
        "{plain}"
    );

    let site = Site::fixture("zola-markdown");
    site.write(
        "content/docs/_index.md",
        "+++\ntitle = \"Docs\"\ninsert_anchor_links = \"heading\"\n+++\n",
    );
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\ninsert_anchor_links = \"none\"\n+++\n",
    );
    site.build(&[]);
    assert!(
        prose(&site, "docs/headings").contains(
            "<h2 id=\"installing\"><a class=\"zola-anchor\" href=\"#installing\" aria-label=\"Anchor link for: installing\">Installing</a></h2>"
        )
    );
    assert!(prose(&site, "plain").contains("<h2 id=\"first\">First</h2>"));
}

#[test]
fn an_unknown_anchor_placement_is_an_error_with_its_position() {
    let site = Site::fixture("zola-markdown");
    site.write(
        "content/docs/_index.md",
        "+++\ntitle = \"Docs\"\ninsert_anchor_links = \"rigth\"\n+++\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/docs/_index.md:3:23: error: unknown variant `rigth`, expected one of `none`, `left`, `right`, `heading`"),
        "{err}"
    );
}

#[test]
fn external_links_images_definition_lists_and_alerts_follow_the_markdown_keys() {
    let site = built();
    let html = prose(&site, "docs/keys");
    assert!(
        html.contains("<a rel=\"noopener nofollow noreferrer\" target=\"_blank\" title=\"Zola's site\" href=\"https://www.getzola.org/\">Zola</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a rel=\"noopener nofollow noreferrer\" target=\"_blank\" href=\"https://example.com/x\">https://example.com/x</a>"),
        "autolinks too: {html}"
    );
    // The site's own host and relative links are not external.
    assert!(
        html.contains("<a href=\"https://example.org/docs/code/\">our own page</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/docs/code/\">a relative one</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"https://example.com/photo.jpg\" alt=\"A photo\" loading=\"lazy\" decoding=\"async\" />"),
        "{html}"
    );
    assert!(
        html.contains("<dl>\n<dt>Term</dt>\n<dd>Its definition</dd>\n</dl>"),
        "{html}"
    );
    assert!(
        html.contains("<blockquote class=\"markdown-alert-warning\">\n<p>Mind the river.</p>\n</blockquote>"),
        "{html}"
    );
    // Footnotes are at the bottom, as bottom_footnotes = true asks.
    let footnotes = html.find("<section class=\"footnotes\"").unwrap();
    assert!(footnotes > html.find("After the summary.").unwrap(), "{html}");
}

#[test]
fn without_the_keys_links_images_and_quotes_are_left_as_they_are() {
    let site = Site::fixture("zola-markdown");
    site.write(
        "zola.toml",
        "base_url = \"https://example.org/\"\ntitle = \"Markdown parity\"\n",
    );
    site.build(&[]);
    let html = prose(&site, "docs/keys");
    assert!(
        html.contains("<a href=\"https://www.getzola.org/\" title=\"Zola's site\">Zola</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"https://example.com/photo.jpg\" alt=\"A photo\" />"),
        "{html}"
    );
    assert!(!html.contains("<dl>"), "{html}");
    assert!(!html.contains("markdown-alert"), "{html}");
    assert!(!html.contains("zola-anchor"), "{html}");
}

#[test]
fn the_summary_marker_may_be_written_without_spaces() {
    let site = built();
    let list = site.public("docs/index.html");
    let item = &list[list.find("Keys").expect("the page is listed")..];
    let summary = &item[item.find("<div class=\"summary\">").unwrap()..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    assert!(summary.contains("Summary ends here."), "{summary}");
    assert!(!summary.contains("After the summary."), "{summary}");
    // In the page, Zola's span takes the marker's place.
    let page = prose(&site, "docs/keys");
    assert!(
        page.contains(
            "<p>Summary ends here.</p>\n<span id=\"continue-reading\"></span>\n<p>After the summary.</p>"
        ),
        "{page}"
    );
    assert!(!page.contains("<!--more-->"), "{page}");
}

#[test]
fn check_reports_the_markdown_keys_as_mapped() {
    let site = Site::fixture("zola-markdown");
    let config = std::fs::read_to_string(site.root().join("zola.toml")).unwrap();
    site.write(
        "zola.toml",
        &config.replace(
            "bottom_footnotes = true",
            "bottom_footnotes = false\nrender_emoji = true",
        ),
    );
    let output = site.mekong(&["check"]);
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("0 errors"), "{text}");
    assert!(
        text.contains(
            "; [markdown] insert_anchor_links, external_links_target_blank, external_links_no_follow, \
             external_links_no_referrer, lazy_async_image, definition_list, github_alerts"
        ),
        "{text}"
    );
    assert!(
        text.contains("front matter insert_anchor_links (content/docs/_index.md)"),
        "{text}"
    );
    assert!(
        text.contains(
            "bottom_footnotes = false: footnotes are listed at the bottom of the page all the same"
        ),
        "{text}"
    );
    assert!(
        text.contains("shortcode calls inside code are shown as written"),
        "{text}"
    );
    let ignored = text
        .lines()
        .find(|l| l.contains("Coming from Zola: ignored (these keys"))
        .unwrap_or_default();
    assert!(ignored.contains("Coming from Zola: ignored"), "{text}");
    for mapped in [
        "insert_anchor_links",
        "external_links",
        "lazy_async_image",
        "bottom_footnotes",
        "github_alerts",
        "render_emoji",
    ] {
        assert!(
            !ignored.contains(mapped),
            "{mapped} is mapped, not ignored: {ignored}"
        );
    }
}

#[test]
fn anchor_links_are_labelled_in_the_page_language() {
    let site = Site::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace(
            "[extra]",
            "[markdown]\ninsert_anchor_links = \"right\"\n\n[extra]",
        ),
    );
    site.build(&[]);
    let html = site.public("news/phan-gioi-cam-moc/index.html");
    assert!(
        html.contains(
            "<h2 id=\"ket-qua\">Kết quả<a class=\"zola-anchor\" href=\"#ket-qua\" aria-label=\"Liên kết tới mục: ket-qua\">🔗</a></h2>"
        ),
        "{html}"
    );
}

#[test]
fn a_site_with_its_own_templates_gets_the_html_zola_writes() {
    let site = Site::fixture("zola-tera2");
    site.write(
        "content/blog/code.md",
        "+++\ntitle = \"Code\"\ndate = 2024-05-01\n[taxonomies]\ntags = [\"Travel\"]\n+++\nSee https://example.org/x now.\n\n\
         ![A boat](https://example.org/boat.jpg \"On the river\")\n\n```rust\nfn main() {}\n```\n",
    );
    site.build(&[]);
    let html = site.public("blog/code/index.html");
    // Zola highlights only when told to.
    assert!(
        html.contains(
            "<pre data-lang=\"rust\" class=\"language-rust\"><code class=\"language-rust\" data-lang=\"rust\">fn main() {}\n</code></pre>"
        ),
        "{html}"
    );
    // pulldown-cmark leaves a bare URL as text and a titled image in an <img>.
    assert!(html.contains("<p>See https://example.org/x now.</p>"), "{html}");
    assert!(
        html.contains("<img src=\"https://example.org/boat.jpg\" alt=\"A boat\" title=\"On the river\""),
        "{html}"
    );
    assert!(!html.contains("<figure"), "{html}");

    // Told to, it writes Zola's classes, which the site's stylesheet is written for.
    let config = std::fs::read_to_string(site.root().join("zola.toml")).unwrap();
    site.write(
        "zola.toml",
        &format!("{config}\n[markdown.highlighting]\ntheme = \"github-dark\"\n"),
    );
    site.build(&[]);
    let html = site.public("blog/code/index.html");
    assert!(
        html.contains("<pre data-lang=\"rust\" class=\"language-rust z-code\"><code class=\"language-rust\" data-lang=\"rust\">"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"z-storage z-type z-function z-rust\">fn</span>"),
        "{html}"
    );
    assert!(!html.contains("hl-"), "{html}");
}

#[test]
fn render_emoji_turns_github_names_into_emoji_outside_code() {
    let site = Site::fixture("zola-markdown");
    let config = std::fs::read_to_string(site.root().join("zola.toml")).unwrap();
    site.write(
        "zola.toml",
        &config.replace("[markdown]\n", "[markdown]\nrender_emoji = true\n"),
    );
    site.write(
        "content/docs/emoji.md",
        "+++\ntitle = \"Emoji\"\n+++\nGặp lại nhé :smile: :vietnam: at 08:30:00, :not_an_emoji:.\n\n`:smile:` stays.\n",
    );
    site.build(&[]);
    let html = prose(&site, "docs/emoji");
    assert!(
        html.contains("<p>Gặp lại nhé 😄 🇻🇳 at 08:30:00, :not_an_emoji:.</p>"),
        "{html}"
    );
    assert!(html.contains("<code>:smile:</code> stays."), "{html}");
}

#[test]
fn a_site_s_own_anchor_link_template_replaces_the_default_link() {
    let site = Site::fixture("zola-markdown");
    site.write(
        "templates/anchor-link.html",
        "<a class=\"own-anchor\" href=\"#{{ id }}\" data-level=\"{{ level }}\" data-lang=\"{{ lang }}\">#</a>",
    );
    site.build(&[]);
    let html = prose(&site, "docs/headings");
    assert!(
        html.contains(
            "<h2 id=\"install\" class=\"wide first\">Installing<a class=\"own-anchor\" href=\"#install\" data-level=\"2\" data-lang=\"en\">#</a></h2>"
        ),
        "{html}"
    );
    assert!(!html.contains("zola-anchor"), "{html}");

    // A failing template is an error naming the page.
    site.write("templates/anchor-link.html", "{{ missing.field }}");
    let err = site.build_fails();
    assert!(err.contains("content/docs/headings.md"), "{err}");
    assert!(
        err.contains("the anchor link of heading `install` failed"),
        "{err}"
    );
}
