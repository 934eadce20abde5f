//! Coming from Zola: a site configured and written as Zola documents it builds, at the URLs
//! Zola gives, and `mekong check` says what was mapped, ignored and done differently.

mod common;

use common::Site;

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn zola_toml_is_read_and_the_default_language_is_english_at_the_root() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    let home = site.public("index.html");
    assert!(home.contains("<html lang=\"en"), "{home}");
    assert!(site.exists("fr/index.html"));
    // `fr` has no `name`: CLDR names it in French.
    assert!(home.contains("français"), "{home}");
}

#[test]
fn a_date_in_the_file_name_dates_the_page_and_leaves_its_url() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    let page = site.public("blog/a-post-with-dates/index.html");
    assert!(
        page.contains("2016-10-08"),
        "the date from the file name is the page's date: {page}"
    );
    assert!(page.contains("October 8, 2016"), "{page}");
    assert!(!site.exists("blog/2016-10-08_a-post-with-dates/index.html"));
    // The translation has the same URL under its language and inherits the date.
    let french = site.public("fr/blog/a-post-with-dates/index.html");
    assert!(french.contains("2016-10-08"), "{french}");
    // `-` separates a date too; a date in the front matter wins over the file name's.
    let second = site.public("blog/second-post/index.html");
    assert!(second.contains("2017-05-05"), "{second}");
    assert!(!second.contains("2017-01-02"), "{second}");
}

#[test]
fn paths_keep_dates_keeps_the_date_in_the_url() {
    let site = Site::fixture("zola-site");
    let config = std::fs::read_to_string(site.root().join("zola.toml")).unwrap();
    site.write(
        "zola.toml",
        &config.replace("paths = \"on\"", "paths = \"on\"\npaths_keep_dates = true"),
    );
    site.build(&[]);
    assert!(site.exists("blog/2016-10-08-a-post-with-dates/index.html"));
    assert!(!site.exists("blog/a-post-with-dates/index.html"));
}

#[test]
fn whitespace_before_the_front_matter_is_allowed() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    assert!(site.public("blog/spaced/index.html").contains("Spaced out"));
}

#[test]
fn zola_section_and_page_keys_take_effect() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    // redirect_to: the section's URL redirects.
    let old = site.public("old/index.html");
    assert!(old.contains("https://example.org/blog/"), "{old}");
    assert!(!old.contains("<h1>Old</h1>"), "{old}");
    // render = false on a section: no page for it, its pages still are.
    assert!(!site.exists("hidden/index.html"));
    assert!(site.exists("hidden/still-here/index.html"));
    // render = false on a page: nothing written.
    assert!(!site.exists("blog/unlisted/index.html"));
    let sitemap = site.public("sitemap.xml");
    assert!(!sitemap.contains("/blog/unlisted/"), "{sitemap}");
    assert!(!sitemap.contains("https://example.org/hidden/<"), "{sitemap}");
    // ignored_content: the spreadsheet is not copied.
    assert!(!site.exists("blog/data.xlsx"));
    // sort_by = "title_bytes": A… before S… before U…
    let blog = site.public("blog/index.html");
    let a = blog.find("A post with dates").unwrap();
    let s = blog.find("Second post").unwrap();
    assert!(a < s, "{blog}");
    // generate_feeds on the section: its feed, in the one format feed_filenames names.
    assert!(site.exists("blog/rss.xml"));
    assert!(!site.exists("blog/atom.xml"));
}

#[test]
fn feeds_search_and_translations_follow_the_zola_keys() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    assert!(site.exists("rss.xml"));
    assert!(!site.exists("atom.xml"), "feed_filenames names rss.xml only");
    assert!(
        !site.exists("fr/rss.xml"),
        "[languages.fr] generate_feeds = false"
    );
    assert!(!site.exists("search/index.html"), "build_search_index = false");
    // The theme links only the feeds and search pages that exist.
    let home = site.public("index.html");
    assert!(home.contains("https://example.org/rss.xml"), "{home}");
    assert!(!home.contains("atom.xml"), "{home}");
    assert!(!home.contains("/search/"), "{home}");
    let french_home = site.public("fr/index.html");
    assert!(!french_home.contains("fr/rss.xml"), "{french_home}");
    // author: pages that name none get it.
    assert!(site.public("blog/second-post/index.html").contains("River Desk"));
    // [translations] and [languages.fr.translations] become UI strings, braces kept as text.
    let english = site.public("blog/a-post-with-dates/index.html");
    assert!(
        english.contains("<span class=\"greeting\">Hello {friend}</span>"),
        "{english}"
    );
    let french = site.public("fr/blog/a-post-with-dates/index.html");
    assert!(
        french.contains("<span class=\"greeting\">Bonjour</span>"),
        "{french}"
    );
}

#[test]
fn each_language_has_only_the_taxonomies_it_declares() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    assert!(site.exists("tags/rust/index.html"));
    assert!(site.exists("fr/auteurs/jean/index.html"));
    assert!(!site.exists("fr/tags/index.html"));
    assert!(!site.exists("auteurs/index.html"));
}

#[test]
fn a_taxonomy_a_language_does_not_declare_is_an_error() {
    let site = Site::fixture("zola-site");
    site.write(
        "content/blog/2017-01-02-second-post.fr.md",
        "+++\ntitle = \"Deuxième\"\n[taxonomies]\ntags = [\"rust\"]\n+++\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/blog/2017-01-02-second-post.fr.md: error: [taxonomies] uses `tags`, which zola.toml does not declare for français (fr)"),
        "{err}"
    );
}

#[test]
fn a_draft_section_hides_every_page_below_it() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    for path in [
        "drafts/index.html",
        "drafts/in-draft/index.html",
        "drafts/sub/index.html",
        "drafts/sub/deeper/index.html",
    ] {
        assert!(!site.exists(path), "{path} is below a draft section");
    }
    assert!(!site.public("sitemap.xml").contains("/drafts/"));
    site.build(&["--drafts"]);
    assert!(site.exists("drafts/in-draft/index.html"));
    assert!(site.exists("drafts/sub/deeper/index.html"));
}

#[test]
fn build_prints_one_warning_naming_the_ignored_keys() {
    let site = Site::fixture("zola-site");
    let output = site.build(&[]);
    let text = stderr(&output);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Coming from Zola: ignored (these keys"))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    for key in [
        "`minify_html`",
        "`link_checker.internal_level`",
        "`search.index_format`",
        "`markdown.highlighting.theme`",
    ] {
        assert!(lines[0].contains(key), "{key} missing from: {}", lines[0]);
    }
    // Applied since Markdown parity: no longer ignored.
    assert!(!lines[0].contains("external_links_target_blank"), "{}", lines[0]);
}

#[test]
fn check_reports_what_was_mapped_ignored_and_what_differs() {
    let site = Site::fixture("zola-site");
    let output = site.mekong(&["check"]);
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output);
    assert!(output.status.success(), "a migrated site passes check: {text}");
    assert!(text.contains("0 errors"), "{text}");
    assert!(
        text.contains(
            "zola.toml\n  warning: Coming from Zola: ignored (these keys do nothing in mekong): `minify_html`"
        ),
        "{text}"
    );
    assert!(
        !text.contains("`compile_sass`"),
        "compile_sass is done, not ignored: {text}"
    );
    assert!(
        text.contains("  note: Coming from Zola: mapped: default_language not set: `en`, as in Zola"),
        "{text}"
    );
    for mapped in [
        "compile_sass: the sass/ folder is compiled to CSS",
        "generate_feeds = true",
        "feed_filenames = [\"rss.xml\"]",
        "[translations]",
        "[languages.fr] generate_feeds, taxonomies, translations",
        "[languages.fr] without name: named `français` from CLDR",
        "no [languages.en] table",
        "front matter redirect_to (content/old/_index.md)",
        "front matter transparent (content/archive/_index.md)",
        "front matter a date in the file name (content/blog/2016-10-08_a-post-with-dates",
        "front matter sort_by = \"title_bytes\" (content/blog/_index.md)",
    ] {
        assert!(text.contains(mapped), "{mapped} not reported as mapped: {text}");
    }
    assert!(
        text.contains("  warning: Coming from Zola: ignored (these keys do nothing in mekong): "),
        "{text}"
    );
    assert!(
        text.contains("front matter insert_anchor_links (content/blog/_index.md)"),
        "{text}"
    );
    assert!(!text.contains("`insert_anchor_links` does nothing"), "{text}");
    assert!(text.contains("[markdown] external_links_target_blank"), "{text}");
    assert!(
        text.contains("front matter paginate_path (content/updates/_index.md)"),
        "{text}"
    );
    assert!(text.contains("  note: Coming from Zola: differs: "), "{text}");
    assert!(text.contains("held back until their date"), "{text}");
    assert!(text.contains("newest first"), "{text}");
}

#[test]
fn a_key_neither_zola_nor_mekong_knows_is_still_an_error_with_a_suggestion() {
    let site = Site::fixture("zola-site");
    let config = std::fs::read_to_string(site.root().join("zola.toml")).unwrap();
    site.write(
        "zola.toml",
        &config.replace("minify_html = true", "minfy_html = true"),
    );
    let err = site.build_fails();
    assert!(
        err.contains("zola.toml:7:1: error: unknown field `minfy_html`"),
        "{err}"
    );
    assert!(err.contains("did you mean `minify_html`?"), "{err}");
}

#[test]
fn zola_toml_is_preferred_to_config_toml() {
    let site = Site::fixture("zola-site");
    site.write("config.toml", "this is not toml = = =\n");
    site.build(&[]);
    assert!(site.exists("blog/a-post-with-dates/index.html"));
}

#[test]
fn a_mekong_site_gets_no_migration_report() {
    let site = Site::fixture("basic");
    let output = site.mekong(&["check"]);
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output);
    assert!(!text.contains("Coming from Zola"), "{text}");
}

#[test]
fn zola_orders_transparent_sections_and_reversed_lists() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    let listing = site.public("listing/index.html");
    let list = |label: &str| -> String {
        let start = listing
            .find(label)
            .unwrap_or_else(|| panic!("{label} in {listing}"));
        let rest = &listing[start..];
        rest[..rest.find("</ol>").unwrap()].to_owned()
    };
    // transparent: the archive section's page is listed in the home section too.
    assert!(list("Home:").contains("<li>Old note</li>"), "{listing}");
    // update_date: the most recently updated first, even when its date is older.
    assert!(
        list("Updates:").contains("<li>Older but updated</li><li>Newer</li>"),
        "{listing}"
    );
    // paginate_reversed: weight order, reversed.
    assert!(
        list("Reversed:").contains("<li>Weight two</li><li>Weight one</li>"),
        "{listing}"
    );
    // The transparent section's page keeps its own URL and section page.
    assert!(site.exists("archive/old-note/index.html"));
    assert!(site.exists("archive/index.html"));
}

#[test]
fn paginate_path_names_the_folder_of_list_pages() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    assert!(site.exists("updates/p/2/index.html"));
    assert!(!site.exists("updates/page/2/index.html"));
    let first = site.public("updates/index.html");
    assert!(first.contains("https://example.org/updates/p/2/"), "{first}");
    assert!(first.contains("Older but updated"), "{first}");
    assert!(site.public("updates/p/2/index.html").contains("Newer"));
}

#[test]
fn compile_sass_writes_each_stylesheet_as_css_and_no_partial() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    assert_eq!(
        site.public("site.css"),
        "body{color:#1d6fa5}body nav{margin:0 auto}"
    );
    assert_eq!(site.public("css/print.css"), "a{text-decoration:underline}");
    assert!(!site.exists("_colours.css"));
    assert!(!site.exists("_parts/hidden.css"));
    assert!(!site.exists("site.scss"));
}

#[test]
fn a_sass_error_names_file_line_and_column_and_keeps_the_last_output() {
    let site = Site::fixture("zola-site");
    site.build(&[]);
    site.write("sass/_colours.scss", "$river: #1d6fa5;\n$sea: ;\n");
    let err = site.build_fails();
    assert!(
        err.contains("sass/_colours.scss:2:6: error: Sass: Expected expression."),
        "{err}"
    );
    assert!(
        err.contains("sass/site.scss is compiled because compile_sass = true"),
        "{err}"
    );
    assert_eq!(
        site.public("site.css"),
        "body{color:#1d6fa5}body nav{margin:0 auto}"
    );
}

#[test]
fn ignored_content_leaves_out_whole_folders_as_zola_does() {
    let site = Site::fixture("zola-site");
    let config = std::fs::read_to_string(site.root().join("zola.toml")).unwrap();
    site.write(
        "zola.toml",
        &config.replace(
            "ignored_content = [\"*.xlsx\"]",
            "ignored_content = [\"*.xlsx\", \"**/build_folder\", \"scratch\"]",
        ),
    );
    site.write(
        "content/blog/build_folder/out.md",
        "+++\ntitle = \"Built\"\n+++\nGenerated.\n",
    );
    site.write("content/blog/build_folder/log.txt", "a build log\n");
    site.write("content/scratch/_index.md", "+++\ntitle = \"Scratch\"\n+++\n");
    site.write(
        "content/scratch/idea.md",
        "+++\ntitle = \"Idea\"\n+++\nNot yet.\n",
    );
    site.write(
        "content/blog/kept.md",
        "+++\ntitle = \"Kept\"\ndate = 2024-02-02\n+++\nKept.\n",
    );
    site.build(&[]);
    assert!(site.exists("blog/kept/index.html"));
    for gone in [
        "blog/build_folder/out/index.html",
        "blog/build_folder/log.txt",
        "scratch/index.html",
        "scratch/idea/index.html",
    ] {
        assert!(!site.exists(gone), "{gone} is left out");
    }
    assert!(!site.public("sitemap.xml").contains("scratch"));
}
