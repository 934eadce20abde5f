//! What machines read: Atom and RSS feeds, the sitemap with language alternates, robots.txt.

use crate::config::Config;
use crate::config::LangId;
use crate::content::{Content, Page, PageId};
use crate::date::Date;

/// The XML text of `text`, safe inside elements and attributes.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// One feed: its title, where it lives, and the pages in it (newest first).
#[derive(Debug)]
pub struct Feed<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub lang: LangId,
    /// Site path of the HTML page the feed follows, e.g. `/en/news/`.
    pub html_path: &'a str,
    pub pages: Vec<PageId>,
}

/// Pages that belong in a feed: dated, and really in that language (no fallbacks).
pub fn feed_pages(content: &Content, ids: impl IntoIterator<Item = PageId>, limit: usize) -> Vec<PageId> {
    let mut pages: Vec<PageId> = ids
        .into_iter()
        .filter(|id| {
            let page = content.page(*id);
            page.original.is_none() && page.meta.date.is_some()
        })
        .collect();
    pages.sort_by_key(|id| std::cmp::Reverse(content.page(*id).meta.date.map(|d| d.timestamp())));
    pages.truncate(limit);
    pages
}

fn newest(content: &Content, pages: &[PageId]) -> Option<Date> {
    pages
        .iter()
        .filter_map(|id| {
            let page = content.page(*id);
            page.meta.updated.or(page.meta.date)
        })
        .max_by_key(Date::timestamp)
}

/// A hash of everything a feed shows: its own fields and, for each entry, what `atom` and
/// `rss` write of the page (title, address, dates, authors, description, the entry's HTML).
pub fn feed_fingerprint(config: &Config, content: &Content, feed: &Feed<'_>) -> u64 {
    use std::hash::Hash;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    (
        feed.title,
        feed.description,
        feed.lang,
        feed.html_path,
        &feed.pages,
    )
        .hash(&mut hasher);
    for id in &feed.pages {
        let page = content.page(*id);
        (page.meta.date, page.meta.updated, page.meta.authors.len()).hash(&mut hasher);
        let description = page.meta.description.as_deref().unwrap_or_default();
        let entry = entry_html(config, page);
        for part in [&page.title, &page.path, description, &entry]
            .into_iter()
            .chain(page.meta.authors.iter().map(String::as_str))
        {
            part.hash(&mut hasher);
        }
    }
    hasher.digest()
}

/// What a feed carries of an article: the whole text only with `feed_full_content`; else the
/// part before `<!-- more -->`, else the description, else the first paragraph.
fn entry_html<'a>(config: &Config, page: &'a Page) -> std::borrow::Cow<'a, str> {
    if config.feed_full_content {
        return (*page.rendered.html).into();
    }
    if let Some(summary) = &page.rendered.summary_html {
        return (**summary).into();
    }
    if let Some(description) = page.meta.description.as_deref().filter(|d| !d.trim().is_empty()) {
        return format!("<p>{}</p>", escape_xml(description.trim())).into();
    }
    first_paragraph(&page.rendered.html).into()
}

/// The first `<p>…</p>` of an article's HTML (the whole HTML when it has none).
fn first_paragraph(html: &str) -> &str {
    let Some(start) = html.find("<p>").or_else(|| html.find("<p ")) else {
        return html;
    };
    match html[start..].find("</p>") {
        Some(end) => &html[start..start + end + "</p>".len()],
        None => html,
    }
}

pub fn atom(config: &Config, content: &Content, feed: &Feed<'_>, self_path: &str) -> String {
    let language = &config.languages[feed.lang];
    let self_url = escape_xml(&config.permalink(self_path));
    let updated =
        newest(content, &feed.pages).map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |d| d.rfc3339());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link href=\"{self_url}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{self_url}</id>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        escape_xml(&language.code),
        escape_xml(feed.title),
        escape_xml(feed.description),
        escape_xml(&config.permalink(feed.html_path)),
        escape_xml(&language.title),
    );
    for id in &feed.pages {
        let page = content.page(*id);
        let link = escape_xml(&config.permalink(&page.path));
        let published = page.meta.date.map(|d| d.rfc3339()).unwrap_or_default();
        let updated = page
            .meta
            .updated
            .or(page.meta.date)
            .map(|d| d.rfc3339())
            .unwrap_or_default();
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{link}\" rel=\"alternate\" type=\"text/html\"/>\n    <id>{link}</id>\n    <published>{published}</published>\n    <updated>{updated}</updated>\n",
            escape_xml(&page.title)
        ));
        for author in &page.meta.authors {
            xml.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape_xml(author)
            ));
        }
        if let Some(description) = &page.meta.description {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape_xml(description)));
        }
        xml.push_str(&format!(
            "    <content type=\"html\" xml:base=\"{link}\">{}</content>\n  </entry>\n",
            escape_xml(&entry_html(config, page))
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

pub fn rss(config: &Config, content: &Content, feed: &Feed<'_>, self_path: &str) -> String {
    let language = &config.languages[feed.lang];
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n  <title>{}</title>\n  <link>{}</link>\n  <description>{}</description>\n  <language>{}</language>\n  <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape_xml(feed.title),
        escape_xml(&config.permalink(feed.html_path)),
        escape_xml(feed.description),
        escape_xml(&language.locale),
        escape_xml(&config.permalink(self_path)),
    );
    if let Some(date) = newest(content, &feed.pages) {
        xml.push_str(&format!("  <lastBuildDate>{}</lastBuildDate>\n", date.rfc2822()));
    }
    for id in &feed.pages {
        let page = content.page(*id);
        let link = escape_xml(&config.permalink(&page.path));
        xml.push_str(&format!(
            "  <item>\n    <title>{}</title>\n    <link>{link}</link>\n    <guid isPermaLink=\"true\">{link}</guid>\n",
            escape_xml(&page.title)
        ));
        if let Some(date) = page.meta.date {
            xml.push_str(&format!("    <pubDate>{}</pubDate>\n", date.rfc2822()));
        }
        xml.push_str(&format!(
            "    <description>{}</description>\n  </item>\n",
            escape_xml(&entry_html(config, page))
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

/// One URL of the sitemap and its versions in other languages.
#[derive(Debug, Hash)]
pub struct SitemapEntry {
    path: String,
    lastmod: Option<Date>,
    /// (language code, site path) of every real version, this one included.
    alternates: Vec<(String, String)>,
}

pub fn sitemap(config: &Config, content: &Content) -> String {
    sitemap_xml(config, sitemap_entries(config, content))
}

/// Everything the sitemap lists: every page and section in its real languages, and the terms.
pub fn sitemap_entries(config: &Config, content: &Content) -> Vec<SitemapEntry> {
    let code = |lang: LangId| config.languages[lang].code.clone();
    let mut entries = Vec::new();
    // Sections that redirect or are not rendered (Zola's `redirect_to`, `render = false`)
    // have no page to list.
    let rendered_section = |s: &crate::content::Section| {
        !s.hidden && s.meta.redirect_to.is_none() && s.meta.render != Some(false)
    };
    for section in content.sections.iter().filter(|s| rendered_section(s)) {
        let alternates = config
            .lang_ids()
            .zip(&section.translations)
            .filter_map(|(lang, s)| s.map(|s| (code(lang), content.section(s).path.clone())))
            .collect();
        entries.push(SitemapEntry {
            path: section.path.clone(),
            lastmod: section.meta.updated.or(section.meta.date),
            alternates,
        });
    }
    for page in content
        .pages
        .iter()
        .filter(|p| p.original.is_none() && p.meta.render != Some(false))
    {
        let alternates = config
            .lang_ids()
            .zip(&page.translations)
            .filter_map(|(lang, p)| p.map(|p| (lang, content.page(p))))
            .filter(|(_, p)| p.original.is_none())
            .map(|(lang, p)| (code(lang), p.path.clone()))
            .collect();
        entries.push(SitemapEntry {
            path: page.path.clone(),
            lastmod: page.meta.updated.or(page.meta.date),
            alternates,
        });
    }
    for taxonomy in content
        .taxonomies
        .iter()
        .filter(|t| config.taxonomies[t.taxonomy].render)
    {
        for term in &taxonomy.terms {
            entries.push(SitemapEntry {
                path: term.path.clone(),
                lastmod: None,
                alternates: Vec::new(),
            });
        }
    }
    entries
}

pub fn sitemap_xml(config: &Config, entries: Vec<SitemapEntry>) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for entry in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_xml(&config.permalink(&entry.path)));
        xml.push_str("</loc>\n");
        if let Some(date) = entry.lastmod {
            xml.push_str(&format!("    <lastmod>{}</lastmod>\n", date.rfc3339()));
        }
        if entry.alternates.len() > 1 {
            for (lang, path) in &entry.alternates {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>\n",
                    escape_xml(&config.permalink(path))
                ));
            }
            if let Some((_, path)) = entry
                .alternates
                .iter()
                .find(|(lang, _)| *lang == config.languages[0].code)
            {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                    escape_xml(&config.permalink(path))
                ));
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        config.base_url
    )
}
