//! What templates see: borrowed views of pages and sections, turned into Tera values once.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::LangId;
use crate::config::{Config, Language};
use crate::content::{Content, Page, PageId, Section, SectionId};
use crate::markdown::Heading;

#[derive(Serialize)]
pub(crate) struct ConfigView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) base_url: &'a str,
    pub(crate) default_language: &'a str,
    pub(crate) languages: &'a [Language],
    pub(crate) taxonomies: Vec<&'a str>,
    /// Whether the site has search pages (in at least one language).
    pub(crate) build_search_index: bool,
    /// Which feed formats are written: `atom`, `rss`.
    pub(crate) feed_files: crate::config::FeedFiles,
    pub(crate) extra: &'a toml::Table,
}

impl<'a> ConfigView<'a> {
    pub(crate) fn new(config: &'a Config) -> Self {
        ConfigView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            default_language: &config.default_language().code,
            languages: &config.languages,
            taxonomies: config.taxonomies.iter().map(|t| t.name.as_str()).collect(),
            build_search_index: config.build_search_index,
            feed_files: config.feed_files,
            extra: &config.extra,
        }
    }
}

/// One language version of the current page, for the language switcher.
#[derive(Serialize)]
pub(crate) struct TranslationView<'a> {
    pub(crate) code: &'a str,
    pub(crate) name: &'a str,
    pub(crate) locale: &'a str,
    /// The translation's URL, or the language's home page when `exists` is false.
    pub(crate) permalink: String,
    pub(crate) exists: bool,
    /// The version exists only as the default-language text shown under this language.
    pub(crate) fallback: bool,
    pub(crate) current: bool,
}

pub(crate) fn translations<'a>(
    config: &'a Config,
    content: &Content,
    current: LangId,
    paths: impl Fn(LangId) -> Option<String>,
) -> Vec<TranslationView<'a>> {
    translations_with_fallbacks(config, content, current, |lang| paths(lang).map(|p| (p, false)))
}

/// Like `translations`, where each version may be a fallback.
pub(crate) fn translations_with_fallbacks<'a>(
    config: &'a Config,
    content: &Content,
    current: LangId,
    versions: impl Fn(LangId) -> Option<(String, bool)>,
) -> Vec<TranslationView<'a>> {
    config
        .lang_ids()
        .zip(&config.languages)
        .map(|(lang, language)| {
            let version = versions(lang);
            let fallback = version.as_ref().is_some_and(|v| v.1);
            let path = version.map(|v| v.0);
            TranslationView {
                code: &language.code,
                name: &language.name,
                locale: &language.locale,
                exists: path.is_some(),
                fallback,
                permalink: config
                    .permalink(&path.unwrap_or_else(|| content.section(content.home(lang)).path.clone())),
                current: lang == current,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct LinkView<'a> {
    title: &'a str,
    permalink: String,
}

#[derive(Serialize)]
struct TermRef<'a> {
    name: &'a str,
    permalink: String,
}

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    date: Option<String>,
    updated: Option<String>,
    draft: bool,
    slug: &'a str,
    path: &'a str,
    permalink: String,
    lang: &'a str,
    content: &'a str,
    summary: Option<&'a str>,
    toc: &'a [Heading],
    word_count: usize,
    reading_time: usize,
    authors: &'a [String],
    weight: Option<i64>,
    taxonomies: BTreeMap<&'a str, Vec<TermRef<'a>>>,
    extra: &'a toml::Table,
    assets: Vec<String>,
    section: LinkView<'a>,
    previous: Option<LinkView<'a>>,
    next: Option<LinkView<'a>>,
    translations: Vec<TranslationView<'a>>,
    /// True when this is the default-language text shown under another language.
    fallback: bool,
    /// Language of the text itself (differs from `lang` on a fallback).
    content_lang: &'a str,
    /// Where the text really lives: the page itself, or the original of a fallback.
    canonical: String,
    stops: &'a [crate::content::front_matter::Stop],
    /// For a page with located `[[stops]]`: the itinerary with distances, map and GeoJSON.
    route: Option<crate::geo::RouteView>,
    /// Up to three pages of the same language sharing the most terms, newest first on ties.
    related: Vec<LinkView<'a>>,
}

fn link<'a>(config: &Config, title: &'a str, path: &str) -> LinkView<'a> {
    LinkView {
        title,
        permalink: config.permalink(path),
    }
}

/// What a page's template value is made from: everything a template can read of the page.
pub(crate) fn page_view<'a>(config: &'a Config, content: &'a Content, id: PageId) -> PageView<'a> {
    let page: &Page = content.page(id);
    let language = &config.languages[page.file.lang];
    let section = content.section(page.section);
    let taxonomies = page
        .meta
        .taxonomies
        .iter()
        .filter_map(|(name, terms)| {
            let index = config.taxonomies.iter().position(|t| &t.name == name)?;
            let refs = terms
                .iter()
                .filter_map(|term| content.term(index, page.file.lang, &crate::content::slug::slugify(term)))
                .map(|term| TermRef {
                    name: &term.name,
                    permalink: config.permalink(&term.path),
                })
                .collect();
            Some((name.as_str(), refs))
        })
        .collect();
    PageView {
        title: &page.title,
        description: page.meta.description.as_deref(),
        date: page.meta.date.map(|d| d.to_string()),
        updated: page.meta.updated.map(|d| d.to_string()),
        draft: page.meta.draft,
        slug: &page.slug,
        path: &page.path,
        permalink: config.permalink(&page.path),
        lang: &language.code,
        content: &page.rendered.html,
        summary: page.rendered.summary_html.as_deref(),
        toc: &page.rendered.toc,
        word_count: page.rendered.word_count,
        reading_time: page.rendered.reading_time,
        authors: &page.meta.authors,
        weight: page.meta.weight,
        taxonomies,
        extra: &page.meta.extra,
        assets: page
            .assets
            .iter()
            .filter_map(|a| a.file_name())
            .map(|name| config.permalink(&format!("{}{}", page.path, name.to_string_lossy())))
            .collect(),
        section: link(config, &section.title, &section.path),
        previous: page
            .previous
            .map(|p| link(config, &content.page(p).title, &content.page(p).path)),
        next: page
            .next
            .map(|p| link(config, &content.page(p).title, &content.page(p).path)),
        translations: translations_with_fallbacks(config, content, page.file.lang, |lang| {
            page.translations[lang]
                .map(|t| (content.page(t).path.clone(), content.page(t).original.is_some()))
        }),
        fallback: page.original.is_some(),
        content_lang: &config.languages[page
            .original
            .map_or(page.file.lang, |o| content.page(o).file.lang)]
        .code,
        canonical: config.permalink(page.original.map_or(&page.path, |o| &content.page(o).path)),
        stops: &page.meta.stops,
        related: related(config, content, id)
            .into_iter()
            .map(|p| link(config, &content.page(p).title, &content.page(p).path))
            .collect(),
        route: crate::geo::route_view_in(
            language,
            &page.slug,
            &page.title,
            &page.meta.stops,
            &config.map_border,
            config.permalink(&format!("{}route.geojson", page.path)),
        ),
    }
}

/// A hash of a view's serialized form: equal hashes, equal template values.
pub(crate) fn view_hash(view: &impl Serialize) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    crate::render::deps::hash_serialized(&mut hasher, view);
    hasher.digest()
}

/// Pages sharing terms with `id`. Only the newest 200 pages of each term are looked at, so a
/// tag on thousands of articles costs no more than a small one.
fn related(config: &Config, content: &Content, id: PageId) -> Vec<PageId> {
    let page = content.page(id);
    let mut candidates: Vec<PageId> = Vec::new();
    for (name, terms) in &page.meta.taxonomies {
        let Some(index) = config.taxonomies.iter().position(|t| &t.name == name) else {
            continue;
        };
        for term in terms {
            let slug = crate::content::slug::slugify(term);
            let Some(term) = content.term(index, page.file.lang, &slug) else {
                continue;
            };
            candidates.extend(term.pages.iter().take(200).filter(|p| **p != id));
        }
    }
    // Each candidate once, with the number of terms it shares, then its rank: more terms
    // first, then newer, then site order.
    candidates.sort_unstable();
    let mut ranked: Vec<(std::cmp::Reverse<usize>, std::cmp::Reverse<Option<i64>>, PageId)> = Vec::new();
    for group in candidates.chunk_by(|a, b| a == b) {
        let date = content.page(group[0]).meta.date.map(|d| d.timestamp());
        ranked.push((std::cmp::Reverse(group.len()), std::cmp::Reverse(date), group[0]));
    }
    // Only the best three are needed: pick them without sorting every candidate.
    if ranked.len() > 3 {
        ranked.select_nth_unstable(2);
        ranked.truncate(3);
    }
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, _, p)| p).collect()
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    path: &'a str,
    permalink: String,
    lang: &'a str,
    content: &'a str,
    toc: &'a [Heading],
    extra: &'a toml::Table,
    paginate_by: Option<usize>,
    subsections: Vec<LinkView<'a>>,
    translations: Vec<TranslationView<'a>>,
    archives: Vec<ArchiveLink>,
    /// True when the text is another language's, shown untranslated.
    fallback: bool,
    content_lang: &'a str,
}

#[derive(Serialize)]
struct ArchiveLink {
    year: i32,
    month: Option<u8>,
    /// First day of the period, for `| date(format="month")`.
    date: String,
    permalink: String,
    count: usize,
}

/// A section as a map, with `pages` holding the already-built page values (shared, not copied).
pub(crate) fn section_value(
    config: &Config,
    content: &Content,
    id: SectionId,
    page_values: &[Value],
) -> Value {
    let section: &Section = content.section(id);
    let view = SectionView {
        title: &section.title,
        description: section.meta.description.as_deref(),
        path: &section.path,
        permalink: config.permalink(&section.path),
        lang: &config.languages[section.lang].code,
        content: &section.rendered.html,
        toc: &section.rendered.toc,
        extra: &section.meta.extra,
        paginate_by: section.meta.paginate_by,
        subsections: section
            .subsections
            .iter()
            .map(|s| link(config, &content.section(*s).title, &content.section(*s).path))
            .collect(),
        translations: translations(config, content, section.lang, |lang| {
            section.translations[lang].map(|s| content.section(s).path.clone())
        }),
        archives: section
            .archives
            .iter()
            .map(|a| ArchiveLink {
                year: a.year,
                month: a.month,
                date: format!("{:04}-{:02}-01", a.year, a.month.unwrap_or(1)),
                permalink: config.permalink(&a.path),
                count: a.pages.len(),
            })
            .collect(),
        fallback: section.fallback_from.is_some(),
        content_lang: &config.languages[section.fallback_from.unwrap_or(section.lang)].code,
    };
    let pages: Vec<Value> = section
        .pages
        .iter()
        .map(|p| page_values[p.0 as usize].clone())
        .collect();
    with_entry(Value::from_serializable(&view), "pages", Value::from(pages))
}

/// Fields of a page that only the page itself shows: lists (sections, terms, archives, feeds
/// of lists, `get_section`) carry the page without them, so editing an article's text
/// re-renders the article, not every list it appears in.
const OWN_PAGE_FIELDS: &[&str] = &[
    "content",
    "toc",
    "word_count",
    "reading_time",
    "previous",
    "next",
    "related",
    "stops",
];

/// A page's value as lists show it: title, date, summary, description, path, terms, route…
pub(crate) fn list_value(page_value: &Value) -> Value {
    let mut map = page_value.as_map().cloned().unwrap_or_default();
    for field in OWN_PAGE_FIELDS {
        map.shift_remove(&tera::value::Key::from(*field));
    }
    Value::from(map)
}

/// `value` (a map) with one more entry.
pub(crate) fn with_entry(value: Value, key: &'static str, entry: Value) -> Value {
    let mut map = value.as_map().cloned().unwrap_or_default();
    map.insert(key.into(), entry);
    Value::from(map)
}
