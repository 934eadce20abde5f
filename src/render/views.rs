//! What templates see: borrowed views of pages and sections, turned into Tera values once.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

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
    pub(crate) current: bool,
}

pub(crate) fn translations<'a>(
    config: &'a Config,
    content: &Content,
    current: usize,
    paths: impl Fn(usize) -> Option<String>,
) -> Vec<TranslationView<'a>> {
    config
        .languages
        .iter()
        .enumerate()
        .map(|(lang, language)| {
            let path = paths(lang);
            TranslationView {
                code: &language.code,
                name: &language.name,
                locale: &language.locale,
                exists: path.is_some(),
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
struct PageView<'a> {
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
}

fn link<'a>(config: &Config, title: &'a str, path: &str) -> LinkView<'a> {
    LinkView {
        title,
        permalink: config.permalink(path),
    }
}

pub(crate) fn page_value(config: &Config, content: &Content, id: PageId) -> Value {
    let page: &Page = content.page(id);
    let language = &config.languages[page.file.lang];
    let section = content.section(page.section);
    let taxonomies = page
        .meta
        .taxonomies
        .iter()
        .map(|(name, terms)| {
            let base = format!("/{}{}/", language.prefix, crate::content::slug::slugify(name));
            let refs = terms
                .iter()
                .map(|term| TermRef {
                    name: term,
                    permalink: config.permalink(&format!("{base}{}/", crate::content::slug::slugify(term))),
                })
                .collect();
            (name.as_str(), refs)
        })
        .collect();
    let view = PageView {
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
        translations: translations(config, content, page.file.lang, |lang| {
            page.translations[lang].map(|t| content.page(t).path.clone())
        }),
    };
    Value::from_serializable(&view)
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
    };
    let pages: Vec<Value> = section
        .pages
        .iter()
        .map(|p| page_values[p.0 as usize].clone())
        .collect();
    with_entry(Value::from_serializable(&view), "pages", Value::from(pages))
}

/// `value` (a map) with one more entry.
pub(crate) fn with_entry(value: Value, key: &'static str, entry: Value) -> Value {
    let mut map = value.as_map().cloned().unwrap_or_default();
    map.insert(key.into(), entry);
    Value::from(map)
}
