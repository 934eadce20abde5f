//! What a Zola site's own templates see: pages, sections, taxonomies, terms and the config
//! under Zola's names and in Zola's shapes, built from the same content as mekong's views.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::Config;
use crate::config::LangId;
use crate::content::{Content, Page, PageId, Section, SectionId};
use crate::markdown::Heading;

/// Which template language a site's templates are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// mekong's own template API (its themes, and sites made for mekong).
    Mekong,
    /// A Zola 0.23 site's own templates: Tera 2, Zola's names and shapes.
    ZolaTera2,
    /// A Zola 0.22 (or earlier) site's own templates: Tera 1, Zola's names and shapes.
    ZolaTera1,
}

impl Dialect {
    pub fn is_zola(self) -> bool {
        self != Dialect::Mekong
    }
}

/// The templates Zola renders every page with, one of which makes a Zola site's templates
/// its own.
const PAGE_TEMPLATES: [&str; 3] = ["index.html", "section.html", "page.html"];

/// Whether `config` is a Zola site whose templates (or its theme's) render its pages: then
/// they are rendered with those alone, else with a mekong theme.
pub(crate) fn has_own_templates(config: &Config) -> bool {
    let theme = config.root.join("themes").join(&config.theme).join("templates");
    config.migration.from_zola
        && [config.root.join("templates"), theme]
            .iter()
            .any(|dir| PAGE_TEMPLATES.iter().any(|name| dir.join(name).is_file()))
}

/// The site's relative path of a content file, as Zola names it: `blog/post.vi.md`.
fn relative_path(shown_as: &str) -> String {
    shown_as.strip_prefix("content/").unwrap_or(shown_as).to_owned()
}

/// `blog/_index.md`, or `blog/_index.vi.md` in another language than the default.
pub(crate) fn section_relative_path(config: &Config, section: &Section) -> String {
    match &section.file {
        Some(file) => relative_path(&file.shown_as),
        None => {
            let folder = if section.dir.is_empty() {
                String::new()
            } else {
                format!("{}/", section.dir)
            };
            match section.lang {
                lang if lang.is_default() => format!("{folder}_index.md"),
                lang => format!("{folder}_index.{}.md", config.languages[lang].code),
            }
        }
    }
}

/// `/vi/blog/post/` → `["vi", "blog", "post"]`.
fn components(path: &str) -> Vec<&str> {
    path.split('/').filter(|part| !part.is_empty()).collect()
}

/// The relative paths of the sections above `parent`, the home section first.
fn ancestors(config: &Config, content: &Content, parent: Option<SectionId>) -> Vec<String> {
    let mut paths = Vec::new();
    let mut next = parent;
    while let Some(id) = next {
        let section = content.section(id);
        paths.push(section_relative_path(config, section));
        next = section.parent;
    }
    paths.reverse();
    paths
}

/// Zola's `Header`: a heading of the table of contents with a link to it.
#[derive(Serialize)]
struct HeadingView<'a> {
    level: u8,
    id: &'a str,
    title: &'a str,
    permalink: String,
    children: Vec<HeadingView<'a>>,
}

fn toc<'a>(headings: &'a [Heading], permalink: &str) -> Vec<HeadingView<'a>> {
    headings
        .iter()
        .map(|h| HeadingView {
            level: h.level,
            id: &h.id,
            title: &h.title,
            permalink: format!("{permalink}#{}", h.id),
            children: toc(&h.children, permalink),
        })
        .collect()
}

/// Zola's `TranslatedContent`: one existing language version, the current one included.
#[derive(Serialize)]
struct TranslationView<'a> {
    lang: &'a str,
    title: &'a str,
    permalink: String,
    path: &'a str,
}

/// A neighbouring page (`page.lower`, `page.higher`), with what a "next article" link shows:
/// nothing from its text, so an edit of that text leaves this page's value as it is.
#[derive(Serialize)]
struct NeighbourView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    date: Option<String>,
    slug: &'a str,
    path: &'a str,
    permalink: String,
    lang: &'a str,
}

fn neighbour<'a>(config: &'a Config, content: &'a Content, id: PageId) -> NeighbourView<'a> {
    let page = content.page(id);
    NeighbourView {
        title: &page.title,
        description: page.meta.description.as_deref(),
        date: page.meta.date.map(|d| d.to_string()),
        slug: &page.slug,
        path: &page.path,
        permalink: config.permalink(&page.path),
        lang: &config.languages[page.file.lang].code,
    }
}

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    relative_path: String,
    content: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    date: Option<String>,
    updated: Option<String>,
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
    slug: &'a str,
    path: &'a str,
    permalink: String,
    components: Vec<&'a str>,
    authors: &'a [String],
    draft: bool,
    summary: Option<&'a str>,
    /// Term names as the front matter writes them, by taxonomy.
    taxonomies: &'a BTreeMap<String, Vec<String>>,
    extra: &'a toml::Table,
    weight: Option<i64>,
    word_count: usize,
    reading_time: usize,
    toc: Vec<HeadingView<'a>>,
    /// The page after this one in its section's order (older, when sorted by date).
    lower: Option<NeighbourView<'a>>,
    /// The page before this one in its section's order (newer, when sorted by date).
    higher: Option<NeighbourView<'a>>,
    assets: Vec<String>,
    ancestors: Vec<String>,
    lang: &'a str,
    translations: Vec<TranslationView<'a>>,
}

pub(crate) fn page_view<'a>(config: &'a Config, content: &'a Content, id: PageId) -> PageView<'a> {
    let page: &Page = content.page(id);
    let permalink = config.permalink(&page.path);
    let date = page.meta.date;
    PageView {
        relative_path: relative_path(&page.file.shown_as),
        content: &page.rendered.html,
        title: &page.title,
        description: page.meta.description.as_deref(),
        date: date.map(|d| d.to_string()),
        updated: page.meta.updated.map(|d| d.to_string()),
        year: date.map(|d| d.year),
        month: date.map(|d| d.month),
        day: date.map(|d| d.day),
        slug: &page.slug,
        path: &page.path,
        components: components(&page.path),
        authors: &page.meta.authors,
        draft: page.meta.draft,
        summary: page.rendered.summary_html.as_deref(),
        taxonomies: &page.meta.taxonomies,
        extra: &page.meta.extra,
        weight: page.meta.weight,
        word_count: page.rendered.word_count,
        reading_time: page.rendered.reading_time,
        toc: toc(&page.rendered.toc, &permalink),
        lower: page.next.map(|p| neighbour(config, content, p)),
        higher: page.previous.map(|p| neighbour(config, content, p)),
        assets: page
            .assets
            .iter()
            .filter_map(|a| a.file_name())
            .map(|name| format!("{}{}", page.path, name.to_string_lossy()))
            .collect(),
        ancestors: ancestors(config, content, Some(page.section)),
        lang: &config.languages[page.file.lang].code,
        translations: config
            .languages
            .iter()
            .zip(&page.translations)
            .filter_map(|(language, version)| {
                let other = content.page((*version)?);
                // A fallback shows another language's text: Zola has no such version.
                other.original.is_none().then(|| TranslationView {
                    lang: &language.code,
                    title: &other.title,
                    permalink: config.permalink(&other.path),
                    path: &other.path,
                })
            })
            .collect(),
        permalink,
    }
}

/// Fields a page has only when it is rendered itself (Zola: "only set when rendering the
/// page itself"); lists carry the page without them.
const OWN_PAGE_FIELDS: &[&str] = &["lower", "higher"];

/// A page's value as sections, terms and paginators list it.
pub(crate) fn list_value(page_value: &Value) -> Value {
    let mut map = page_value.as_map().cloned().unwrap_or_default();
    for field in OWN_PAGE_FIELDS {
        map.shift_remove(&tera::value::Key::from(*field));
    }
    Value::from(map)
}

#[derive(Serialize)]
struct SectionView<'a> {
    relative_path: String,
    content: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    path: &'a str,
    permalink: String,
    components: Vec<&'a str>,
    extra: &'a toml::Table,
    word_count: usize,
    reading_time: usize,
    toc: Vec<HeadingView<'a>>,
    /// Relative paths of the direct subsections, for `get_section`.
    subsections: Vec<String>,
    ancestors: Vec<String>,
    lang: &'a str,
    paginate_by: Option<usize>,
    generate_feeds: bool,
    translations: Vec<TranslationView<'a>>,
}

/// A section as Zola shows it, with `pages` holding the pages' list values.
pub(crate) fn section_value(
    config: &Config,
    content: &Content,
    id: SectionId,
    list_values: &[Value],
) -> Value {
    let view = section_view(config, content, id);
    let pages: Vec<Value> = content
        .section(id)
        .pages
        .iter()
        .map(|p| list_values[p.0 as usize].clone())
        .collect();
    crate::render::views::with_entry(Value::from_serializable(&view), "pages", Value::from(pages))
}

fn section_view<'a>(config: &'a Config, content: &'a Content, id: SectionId) -> SectionView<'a> {
    let section: &Section = content.section(id);
    let permalink = config.permalink(&section.path);
    SectionView {
        relative_path: section_relative_path(config, section),
        content: &section.rendered.html,
        title: &section.title,
        description: section.meta.description.as_deref(),
        path: &section.path,
        components: components(&section.path),
        extra: &section.meta.extra,
        word_count: section.rendered.word_count,
        reading_time: section.rendered.reading_time,
        toc: toc(&section.rendered.toc, &permalink),
        subsections: section
            .subsections
            .iter()
            .filter(|s| !content.section(**s).hidden)
            .map(|s| section_relative_path(config, content.section(*s)))
            .collect(),
        ancestors: ancestors(config, content, section.parent),
        lang: &config.languages[section.lang].code,
        paginate_by: section.meta.paginate_by,
        generate_feeds: section.meta.feed,
        translations: config
            .languages
            .iter()
            .zip(&section.translations)
            .filter_map(|(language, version)| {
                let other = content.section((*version)?);
                (!other.hidden && other.fallback_from.is_none()).then(|| TranslationView {
                    lang: &language.code,
                    title: &other.title,
                    permalink: config.permalink(&other.path),
                    path: &other.path,
                })
            })
            .collect(),
        permalink,
    }
}

/// What a shortcode's `page` (or `section`) cannot hold: it is rendered while the Markdown it
/// belongs to is, so, as in Zola, `content` is empty and the table of contents, summary,
/// neighbours, translations and (of a section) pages and subsections are empty too. Word
/// counts are left out: mekong counts words after the Markdown is rendered.
const SHORTCODE_EMPTY: &[&str] = &[
    "content",
    "summary",
    "toc",
    "lower",
    "higher",
    "translations",
    "pages",
    "subsections",
];
const SHORTCODE_LEFT_OUT: &[&str] = &["word_count", "reading_time"];

fn for_shortcodes(value: Value) -> Value {
    let mut map = value.as_map().cloned().unwrap_or_default();
    for field in SHORTCODE_EMPTY {
        let key = tera::value::Key::from(*field);
        let empty = match *field {
            "content" => Value::from(""),
            "summary" | "lower" | "higher" => Value::none(),
            _ => Value::from(Vec::<Value>::new()),
        };
        if map.contains_key(&key) {
            map.insert(key, empty);
        }
    }
    for field in SHORTCODE_LEFT_OUT {
        map.shift_remove(&tera::value::Key::from(*field));
    }
    Value::from(map)
}

/// The `page` a Zola shortcode in page `id` sees.
pub(crate) fn shortcode_page_value(config: &Config, content: &Content, id: PageId) -> Value {
    for_shortcodes(Value::from_serializable(&page_view(config, content, id)))
}

/// The `section` a Zola shortcode in section `id` sees.
pub(crate) fn shortcode_section_value(config: &Config, content: &Content, id: SectionId) -> Value {
    let value = Value::from_serializable(&section_view(config, content, id));
    for_shortcodes(crate::render::views::with_entry(
        value,
        "pages",
        Value::from(Vec::<Value>::new()),
    ))
}

/// Zola's `TaxonomyConfig`, as `taxonomy` and `get_taxonomy(…).kind`.
#[derive(Serialize)]
struct TaxonomyConfigView<'a> {
    name: &'a str,
    slug: String,
    paginate_by: Option<usize>,
    paginate_path: &'static str,
    feed: bool,
    render: bool,
    lang: &'a str,
}

pub(crate) fn taxonomy_config_value(config: &Config, content: &Content, index: usize) -> Value {
    let taxonomy = &content.taxonomies[index];
    let own = &config.taxonomies[taxonomy.taxonomy];
    Value::from_serializable(&TaxonomyConfigView {
        name: &own.name,
        slug: crate::content::slug::slugify(&own.name),
        paginate_by: own.paginate_by,
        paginate_path: "page",
        feed: own.feed,
        render: own.render,
        lang: &config.languages[taxonomy.lang].code,
    })
}

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    path: &'a str,
    permalink: String,
    page_count: usize,
}

/// Zola's `TaxonomyTerm`, its pages (list values) included.
pub(crate) fn term_value(
    config: &Config,
    content: &Content,
    index: usize,
    term: usize,
    list_values: &[Value],
) -> Value {
    let entry = &content.taxonomies[index].terms[term];
    let view = TermView {
        name: &entry.name,
        slug: &entry.slug,
        path: &entry.path,
        permalink: config.permalink(&entry.path),
        page_count: entry.pages.len(),
    };
    let pages: Vec<Value> = entry
        .pages
        .iter()
        .map(|p| list_values[p.0 as usize].clone())
        .collect();
    crate::render::views::with_entry(Value::from_serializable(&view), "pages", Value::from(pages))
}

/// What `get_taxonomy` returns: the taxonomy's config, language, address and terms.
pub(crate) fn taxonomy_value(config: &Config, content: &Content, index: usize, terms: &[Value]) -> Value {
    let taxonomy = &content.taxonomies[index];
    let mut map = tera::value::Map::new();
    map.insert("kind".into(), taxonomy_config_value(config, content, index));
    map.insert(
        "lang".into(),
        Value::from(config.languages[taxonomy.lang].code.as_str()),
    );
    map.insert("permalink".into(), Value::from(config.permalink(&taxonomy.path)));
    map.insert("items".into(), Value::from(terms.to_vec()));
    Value::from(map)
}

/// Zola's `config` in one language (its `Config::serialize`): the title, description, feeds
/// and taxonomies of that language, and in `languages` the options of the *other* languages.
#[derive(Serialize)]
struct ConfigView<'a> {
    /// Without the trailing slash mekong keeps on it.
    base_url: &'a str,
    mode: &'static str,
    title: &'a str,
    description: &'a str,
    default_language: &'a str,
    languages: BTreeMap<&'a str, LanguageView<'a>>,
    generate_feed: bool,
    generate_feeds: bool,
    feed_filenames: Vec<&'static str>,
    taxonomies: Vec<TaxonomyEntry<'a>>,
    author: Option<&'a str>,
    build_search_index: bool,
    generate_sitemap: bool,
    generate_robots_txt: bool,
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct LanguageView<'a> {
    title: &'a str,
    description: &'a str,
    generate_feeds: bool,
    feed_filenames: Vec<&'static str>,
    build_search_index: bool,
    taxonomies: Vec<TaxonomyEntry<'a>>,
    translations: BTreeMap<&'a str, &'a str>,
}

fn taxonomy_entries<'a>(config: &'a Config, language: &crate::config::Language) -> Vec<TaxonomyEntry<'a>> {
    language
        .taxonomies
        .iter()
        .map(|&t| {
            let taxonomy = &config.taxonomies[t];
            TaxonomyEntry {
                name: &taxonomy.name,
                paginate_by: taxonomy.paginate_by,
                feed: taxonomy.feed,
                render: taxonomy.render,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct TaxonomyEntry<'a> {
    name: &'a str,
    paginate_by: Option<usize>,
    feed: bool,
    render: bool,
}

pub(crate) fn config_value(config: &Config, lang: LangId) -> Value {
    let language = &config.languages[lang];
    let mut feed_filenames = Vec::new();
    if config.feed_files.atom {
        feed_filenames.push("atom.xml");
    }
    if config.feed_files.rss {
        feed_filenames.push("rss.xml");
    }
    Value::from_serializable(&ConfigView {
        base_url: config.base_url.trim_end_matches('/'),
        mode: "build",
        title: &language.title,
        description: &language.description,
        default_language: &config.default_language().code,
        languages: config
            .languages
            .iter()
            .filter(|other| other.code != language.code)
            .map(|other| {
                (
                    other.code.as_str(),
                    LanguageView {
                        title: &other.title,
                        description: &other.description,
                        generate_feeds: other.generate_feeds,
                        feed_filenames: feed_filenames.clone(),
                        build_search_index: other.build_search_index,
                        taxonomies: taxonomy_entries(config, other),
                        translations: other
                            .translations
                            .iter()
                            .map(|(k, v)| (k.as_str(), v.as_str()))
                            .collect(),
                    },
                )
            })
            .collect(),
        generate_feed: language.generate_feeds,
        generate_feeds: language.generate_feeds,
        feed_filenames,
        taxonomies: taxonomy_entries(config, language),
        author: config.author.as_deref(),
        build_search_index: language.build_search_index,
        generate_sitemap: config.generate_sitemap,
        generate_robots_txt: config.generate_robots_txt,
        extra: &config.extra,
    })
}
