//! Rendering each kind of job: the context its template sees, its output path, and reuse of
//! the last output when nothing the job depends on changed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tera::{Context, Value};

use crate::config::LangId;
use crate::content::{PageId, SectionId};
use crate::error::Result;
use crate::jobs::{self, FeedFormat, FeedSource, Job};
use crate::render::deps::{Read, ValueHashes, ValueId, Versions};
use crate::render::views;
use crate::render::{Renderer, SiteData};
use crate::syndication::{self, Feed};

/// A job's last output and everything it was made from.
pub(crate) struct JobRecord {
    /// Hash of the template and everything in its context (or of a feed's entries).
    pub(crate) fingerprint: u64,
    /// What its template functions read, with the version each read had.
    pub(crate) reads: Arc<[(Read, u64)]>,
    /// The site values in its template context; `None` for a file made without a template.
    pub(crate) values: Option<Arc<[ValueId]>>,
    pub(crate) text: Arc<str>,
}

/// A template context that knows its keys, so its values can be hashed.
pub(crate) struct JobContext {
    context: Context,
    /// Keys whose values the fingerprint covers: every key but `config`, which a rebuild
    /// never sees change (a change of config.toml starts everything afresh).
    keys: Vec<&'static str>,
}

impl JobContext {
    /// A context holding only `config`, as language `lang` sees it.
    pub(crate) fn new(data: &SiteData, lang: LangId) -> JobContext {
        let mut context = Context::new();
        context.insert_value("config", data.config_values[lang].clone());
        JobContext {
            context,
            keys: Vec::new(),
        }
    }

    pub(crate) fn insert(&mut self, key: &'static str, value: &(impl serde::Serialize + ?Sized)) {
        self.insert_value(key, Value::from_serializable(value));
    }

    pub(crate) fn insert_value(&mut self, key: &'static str, value: Value) {
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
        self.context.insert_value(key, value);
    }

    /// Feeds every value but `config` to `hasher`; returns the site values met on the way.
    fn fingerprint(&self, hasher: &mut xxhash_rust::xxh3::Xxh3, values: &ValueHashes) -> Vec<ValueId> {
        let mut used = Vec::new();
        for key in &self.keys {
            hasher.update(key.as_bytes());
            if let Some(value) = self.context.get(key) {
                hasher.update(&values.hash_noting(value, Some(&mut used)).to_le_bytes());
            }
        }
        used
    }
}

fn base_context(data: &SiteData, lang: LangId, path: &str) -> JobContext {
    let config = &data.config;
    let mut context = JobContext::new(data, lang);
    context.insert("lang", &config.languages[lang].code);
    context.insert("language", &config.languages[lang]);
    context.insert("current_path", &config.site_path(path));
    context.insert("current_url", &config.permalink(path));
    context
}

/// Renders jobs, taking from the last build the output of each job whose inputs are unchanged:
/// the same template (and templates it loads), the same context values, and the same answers
/// to everything its template functions read.
pub(crate) struct JobRenderer<'a> {
    pub(crate) renderer: &'a Renderer,
    pub(crate) versions: Versions<'a>,
    pub(crate) previous: &'a HashMap<String, JobRecord>,
    /// In a save that changed only texts (the content tree is the last build's, with the
    /// same templates, strings and config): which site values changed, by `ValueId`.
    pub(crate) changed_values: Option<&'a [bool]>,
    /// This build's records, for the next build.
    pub(crate) records: Mutex<Vec<(String, JobRecord)>>,
    pub(crate) rendered: Mutex<Vec<String>>,
}

impl JobRenderer<'_> {
    /// Renders `template` with `context` into the file at `path`, or takes the last output.
    pub(crate) fn template(
        &self,
        path: String,
        template: &str,
        context: &JobContext,
        what: &str,
    ) -> Result<(String, Arc<str>)> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(template.as_bytes());
        hasher.update(&self.renderer.template_version(template).to_le_bytes());
        let used: Arc<[ValueId]> = context.fingerprint(&mut hasher, self.versions.values).into();
        let fingerprint = hasher.digest();
        if let Some(text) = self.reuse(&path, fingerprint) {
            return Ok((path, text));
        }
        let (html, reads) = crate::render::deps::recording(|| {
            self.renderer
                .render(template, &context.context, &context.keys, what)
        });
        let text: Arc<str> = html?.into();
        let reads = reads
            .into_iter()
            .map(|read| {
                let version = self.versions.of(&read);
                (read, version)
            })
            .collect();
        self.keep(&path, fingerprint, reads, Some(used), &text, true);
        Ok((path, text))
    }

    /// A file made without a template (feeds, the sitemap…) from inputs hashed as `fingerprint`.
    pub(crate) fn direct(
        &self,
        path: String,
        fingerprint: u64,
        make: impl FnOnce() -> String,
    ) -> (String, Arc<str>) {
        if let Some(text) = self.reuse(&path, fingerprint) {
            return (path, text);
        }
        let text: Arc<str> = make().into();
        self.keep(&path, fingerprint, Arc::from(Vec::new()), None, &text, true);
        (path, text)
    }

    /// The last output at `path`, when its fingerprint and every read's version still hold.
    fn reuse(&self, path: &str, fingerprint: u64) -> Option<Arc<str>> {
        let record = self.previous.get(path)?;
        let current = record.fingerprint == fingerprint
            && record
                .reads
                .iter()
                .all(|(read, version)| self.versions.of(read) == *version);
        if !current {
            return None;
        }
        let values = record.values.clone();
        self.keep(
            path,
            fingerprint,
            record.reads.clone(),
            values,
            &record.text,
            false,
        );
        Some(record.text.clone())
    }

    /// In a save that changed only texts, the last output of the template job writing `path`
    /// when none of the site values in its context changed and every read's version holds,
    /// found without making its context: the rest of a context comes from config, templates
    /// and the shape of the content tree, which such a save leaves as they were.
    pub(crate) fn unchanged(&self, path: &str) -> Option<Arc<str>> {
        let changed = self.changed_values?;
        let record = self.previous.get(path)?;
        let values = record.values.as_ref()?;
        let holds = values.iter().all(|id| changed.get(*id as usize) == Some(&false))
            && record
                .reads
                .iter()
                .all(|(read, version)| self.versions.of(read) == *version);
        if !holds {
            return None;
        }
        let (reads, values) = (record.reads.clone(), Some(values.clone()));
        self.keep(path, record.fingerprint, reads, values, &record.text, false);
        Some(record.text.clone())
    }

    fn keep(
        &self,
        path: &str,
        fingerprint: u64,
        reads: Arc<[(Read, u64)]>,
        values: Option<Arc<[ValueId]>>,
        text: &Arc<str>,
        rendered: bool,
    ) {
        let record = JobRecord {
            fingerprint,
            reads,
            values,
            text: text.clone(),
        };
        if let Ok(mut records) = self.records.lock() {
            records.push((path.to_owned(), record));
        }
        if rendered && let Ok(mut list) = self.rendered.lock() {
            list.push(path.to_owned());
        }
    }
}

/// Feeds the `Debug` form of `value` to a hasher without building the string.
pub(crate) fn hash_debug(hasher: &mut xxhash_rust::xxh3::Xxh3, value: &impl std::fmt::Debug) {
    struct Writer<'a>(&'a mut xxhash_rust::xxh3::Xxh3);
    impl std::fmt::Write for Writer<'_> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.update(text.as_bytes());
            Ok(())
        }
    }
    let _ = std::fmt::write(&mut Writer(hasher), format_args!("{value:?}"));
}

pub(crate) fn render_job(cx: &JobRenderer<'_>, data: &SiteData, job: &Job) -> Result<(String, Arc<str>)> {
    if data.dialect.is_zola()
        && let Some(rendered) = super::zola::render_job(cx, data, job)
    {
        return rendered;
    }
    let config = &data.config;
    let content = &data.content;
    match job {
        Job::Page(id) => render_page(cx, data, id),
        Job::Section { id, pager } => render_section(cx, data, id, pager),
        Job::TaxonomyList { index } => render_taxonomy_list(cx, data, index),
        Job::Term { index, term, pager } => render_term(cx, data, index, term, pager),
        Job::Alias { from, to, lang } => render_alias(cx, data, from, to, lang),
        Job::NotFound { lang } => render_not_found(cx, data, lang),
        Job::Archive { id, archive, pager } => render_archive(cx, data, id, archive, pager),
        Job::RouteGeoJson(id) => render_route_geojson(cx, data, id),
        Job::Search { lang } => render_search(cx, data, lang),
        Job::Sitemap => {
            let entries = syndication::sitemap_entries(config, content);
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            std::hash::Hash::hash(&entries, &mut hasher);
            Ok(cx.direct("sitemap.xml".to_owned(), hasher.digest(), || {
                syndication::sitemap_xml(config, entries)
            }))
        }
        // robots.txt changes only with config.toml, which starts everything afresh.
        Job::Robots => Ok(cx.direct("robots.txt".to_owned(), 0, || syndication::robots(config))),
        Job::Feed { source, format } => Ok(render_feed(cx, data, *source, *format)),
    }
}

#[derive(serde::Serialize)]
struct SearchIndexView<'a> {
    code: &'a str,
    name: &'a str,
    /// URL of the folder holding the language's index files.
    index: String,
}

#[derive(serde::Serialize)]
struct ArchiveView {
    year: i32,
    month: Option<u8>,
    /// The first day of the period, for the `date` filter (`format="month"` or `"year"`).
    date: String,
    permalink: String,
}

#[derive(serde::Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    permalink: String,
}

#[derive(serde::Serialize)]
struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    permalink: String,
    count: usize,
}

pub(crate) fn taxonomy_template(renderer: &Renderer, name: &str, kind: &str) -> String {
    let specific = format!("{name}/{kind}.html");
    if renderer.has_template(&specific) {
        specific
    } else {
        format!("taxonomy_{kind}.html")
    }
}

#[derive(serde::Serialize)]
struct PagerView {
    /// The address list pages add their number to: `…/news/page/`.
    base_url: String,
    current_index: usize,
    number_pagers: usize,
    paginate_by: usize,
    total_pages: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
}

/// The `paginator` of list page `pager`: its slice of `items` and links to its neighbours.
/// Only the slice is touched, so a long list costs what its list pages cost.
/// `folder` is where list pages after the first go (`page`, or a section's `paginate_path`).
pub(crate) fn paginator(
    data: &SiteData,
    base: &str,
    folder: &str,
    items: &[PageId],
    per_page: Option<usize>,
    pager: usize,
) -> Value {
    let config = &data.config;
    let count = jobs::pager_count(items.len(), per_page);
    let per = per_page.filter(|p| *p > 0).unwrap_or(items.len().max(1));
    let start = (pager * per).min(items.len());
    let end = (start + per).min(items.len());
    let link = |n: usize| config.permalink(&jobs::pager_path_in(base, folder, n));
    let view = PagerView {
        base_url: config.permalink(&format!("{base}{}/", folder.trim_matches('/'))),
        current_index: pager + 1,
        number_pagers: count,
        paginate_by: per,
        total_pages: items.len(),
        first: link(0),
        last: link(count - 1),
        previous: pager.checked_sub(1).map(link),
        next: (pager + 1 < count).then(|| link(pager + 1)),
    };
    views::with_entry(
        Value::from_serializable(&view),
        "pages",
        Value::from(
            items[start..end]
                .iter()
                .map(|p| data.list_values[p.0 as usize].clone())
                .collect::<Vec<_>>(),
        ),
    )
}

fn render_feed(
    cx: &JobRenderer<'_>,
    data: &SiteData,
    source: FeedSource,
    format: FeedFormat,
) -> (String, Arc<str>) {
    let (config, content) = (&data.config, &data.content);
    let limit = config.feed_limit;
    let feed = match source {
        FeedSource::Language(lang) => {
            let language = &config.languages[lang];
            Feed {
                title: &language.title,
                description: &language.description,
                lang,
                html_path: &content.section(content.home(lang)).path,
                pages: syndication::feed_pages(content, content.pages_in(lang), limit),
            }
        }
        FeedSource::Section(id) => {
            let section = content.section(id);
            Feed {
                title: &section.title,
                description: section.meta.description.as_deref().unwrap_or(""),
                lang: section.lang,
                html_path: &section.path,
                pages: syndication::feed_pages(content, section.pages.iter().copied(), limit),
            }
        }
        FeedSource::Term { index, term } => {
            let taxonomy = &content.taxonomies[index];
            let entry = &taxonomy.terms[term];
            Feed {
                title: &entry.name,
                description: &config.languages[taxonomy.lang].description,
                lang: taxonomy.lang,
                html_path: &entry.path,
                pages: syndication::feed_pages(content, entry.pages.iter().copied(), limit),
            }
        }
    };
    let path = format!("{}{}", feed.html_path, format.file_name());
    let fingerprint = syndication::feed_fingerprint(config, content, &feed) ^ format as u64;
    cx.direct(
        path.trim_start_matches('/').to_owned(),
        fingerprint,
        || match format {
            FeedFormat::Atom => syndication::atom(config, content, &feed, &path),
            FeedFormat::Rss => syndication::rss(config, content, &feed, &path),
        },
    )
}

/// Renders a news article, route or other page.
fn render_page(cx: &JobRenderer<'_>, data: &SiteData, id: &PageId) -> Result<(String, Arc<str>)> {
    let content = &data.content;
    let page = content.page(*id);
    let mut context = base_context(data, page.file.lang, &page.path);
    let page_value = data.page_values[id.0 as usize].clone();
    context.insert_value(
        "translations",
        page_value
            .as_map()
            .and_then(|m| m.get(&tera::value::Key::from("translations")))
            .cloned()
            .unwrap_or_else(Value::none),
    );
    context.insert_value("page", page_value);
    let template = page_template(content, *id);
    cx.template(
        jobs::output_file(&page.path),
        &template,
        &context,
        &page.file.shown_as,
    )
}

/// The template of a page: its own `template`, else its section's `page_template`, else
/// `page.html`.
pub(crate) fn page_template(content: &crate::content::Content, id: PageId) -> String {
    let page = content.page(id);
    page.meta
        .template
        .clone()
        .or_else(|| content.section(page.section).meta.page_template.clone())
        .unwrap_or_else(|| "page.html".to_owned())
}

/// Renders a list page of a section (or the home page).
fn render_section(
    cx: &JobRenderer<'_>,
    data: &SiteData,
    id: &SectionId,
    pager: &usize,
) -> Result<(String, Arc<str>)> {
    let content = &data.content;
    let section = content.section(*id);
    let path = jobs::pager_path_in(&section.path, jobs::section_pager_name(section), *pager);
    let mut context = base_context(data, section.lang, &path);
    let section_value = data.section_values[id.0 as usize].clone();
    context.insert_value(
        "translations",
        section_value
            .as_map()
            .and_then(|m| m.get(&tera::value::Key::from("translations")))
            .cloned()
            .unwrap_or_else(Value::none),
    );
    context.insert_value("section", section_value);
    context.insert_value(
        "paginator",
        paginator(
            data,
            &section.path,
            jobs::section_pager_name(section),
            &section.pages,
            section.meta.paginate_by,
            *pager,
        ),
    );
    let default_template = if section.dir.is_empty() {
        "index.html"
    } else {
        "section.html"
    };
    let template = section
        .meta
        .template
        .clone()
        .unwrap_or_else(|| default_template.to_owned());
    cx.template(jobs::output_file(&path), &template, &context, &section.shown_as())
}

/// Renders the list of every term of a taxonomy.
fn render_taxonomy_list(cx: &JobRenderer<'_>, data: &SiteData, index: &usize) -> Result<(String, Arc<str>)> {
    let config = &data.config;
    let content = &data.content;
    let taxonomy = &content.taxonomies[*index];
    let name = &config.taxonomies[taxonomy.taxonomy].name;
    let mut context = base_context(data, taxonomy.lang, &taxonomy.path);
    let terms: Vec<Value> = taxonomy
        .terms
        .iter()
        .map(|term| {
            Value::from_serializable(&TermView {
                name: &term.name,
                slug: &term.slug,
                permalink: config.permalink(&term.path),
                count: term.pages.len(),
            })
        })
        .collect();
    context.insert_value(
        "taxonomy",
        Value::from_serializable(&TaxonomyView {
            name,
            permalink: config.permalink(&taxonomy.path),
        }),
    );
    context.insert_value("terms", Value::from(terms));
    context.insert_value(
        "translations",
        Value::from_serializable(&views::translations(config, content, taxonomy.lang, |lang| {
            Some(format!(
                "/{}{}/",
                config.languages[lang].prefix,
                crate::content::slug::slugify(name)
            ))
        })),
    );
    let template = taxonomy_template(cx.renderer, name, "list");
    cx.template(
        jobs::output_file(&taxonomy.path),
        &template,
        &context,
        &format!("the `{name}` list"),
    )
}

/// Renders a list page of one term.
fn render_term(
    cx: &JobRenderer<'_>,
    data: &SiteData,
    index: &usize,
    term: &usize,
    pager: &usize,
) -> Result<(String, Arc<str>)> {
    let config = &data.config;
    let content = &data.content;
    let taxonomy = &content.taxonomies[*index];
    let name = &config.taxonomies[taxonomy.taxonomy].name;
    let entry = &taxonomy.terms[*term];
    let path = jobs::pager_path(&entry.path, *pager);
    let mut context = base_context(data, taxonomy.lang, &path);
    context.insert_value(
        "taxonomy",
        Value::from_serializable(&TaxonomyView {
            name,
            permalink: config.permalink(&taxonomy.path),
        }),
    );
    context.insert_value(
        "term",
        Value::from_serializable(&TermView {
            name: &entry.name,
            slug: &entry.slug,
            permalink: config.permalink(&entry.path),
            count: entry.pages.len(),
        }),
    );
    context.insert_value(
        "paginator",
        paginator(
            data,
            &entry.path,
            "page",
            &entry.pages,
            config.taxonomies[taxonomy.taxonomy].paginate_by,
            *pager,
        ),
    );
    context.insert_value(
        "translations",
        Value::from_serializable(&views::translations(config, content, taxonomy.lang, |lang| {
            content
                .term(taxonomy.taxonomy, lang, &entry.slug)
                .map(|t| t.path.clone())
        })),
    );
    let template = taxonomy_template(cx.renderer, name, "single");
    cx.template(
        jobs::output_file(&path),
        &template,
        &context,
        &format!("the `{name}` term {}", entry.name),
    )
}

/// Renders a redirect from an old address.
fn render_alias(
    cx: &JobRenderer<'_>,
    data: &SiteData,
    from: &str,
    to: &str,
    lang: &LangId,
) -> Result<(String, Arc<str>)> {
    let config = &data.config;
    let mut context = base_context(data, *lang, from);
    // A section's `redirect_to` may lead off the site.
    let target = if to.contains("://") {
        to.to_owned()
    } else {
        config.permalink(to)
    };
    context.insert("target", &target);
    context.insert_value("translations", Value::from(Vec::<Value>::new()));
    cx.template(
        jobs::output_file(from),
        "alias.html",
        &context,
        &format!("the redirect from {from}"),
    )
}

/// Renders the 404 page of a language.
fn render_not_found(cx: &JobRenderer<'_>, data: &SiteData, lang: &LangId) -> Result<(String, Arc<str>)> {
    let config = &data.config;
    let content = &data.content;
    let prefix = &config.languages[*lang].prefix;
    let path = format!("/{prefix}404.html");
    let mut context = base_context(data, *lang, &path);
    context.insert_value(
        "translations",
        Value::from_serializable(&views::translations(config, content, *lang, |l| {
            Some(format!("/{}404.html", config.languages[l].prefix))
        })),
    );
    cx.template(
        path.trim_start_matches('/').to_owned(),
        "404.html",
        &context,
        "the 404 page",
    )
}

/// Renders a list page of a year or month of a section.
fn render_archive(
    cx: &JobRenderer<'_>,
    data: &SiteData,
    id: &SectionId,
    archive: &usize,
    pager: &usize,
) -> Result<(String, Arc<str>)> {
    let config = &data.config;
    let content = &data.content;
    let section = content.section(*id);
    let entry = &section.archives[*archive];
    let path = jobs::pager_path(&entry.path, *pager);
    let mut context = base_context(data, section.lang, &path);
    context.insert_value("section", data.section_values[id.0 as usize].clone());
    context.insert_value(
        "archive",
        Value::from_serializable(&ArchiveView {
            year: entry.year,
            month: entry.month,
            date: format!("{:04}-{:02}-01", entry.year, entry.month.unwrap_or(1)),
            permalink: config.permalink(&entry.path),
        }),
    );
    context.insert_value(
        "paginator",
        paginator(
            data,
            &entry.path,
            "page",
            &entry.pages,
            section.meta.paginate_by,
            *pager,
        ),
    );
    context.insert_value(
        "translations",
        Value::from_serializable(&views::translations(config, content, section.lang, |lang| {
            section.translations[lang]
                .and_then(|s| {
                    content
                        .section(s)
                        .archives
                        .iter()
                        .find(|a| a.year == entry.year && a.month == entry.month)
                })
                .map(|a| a.path.clone())
        })),
    );
    cx.template(
        jobs::output_file(&path),
        "archive.html",
        &context,
        &format!("the archive {}", entry.path),
    )
}

/// Renders the GeoJSON file of a route.
fn render_route_geojson(cx: &JobRenderer<'_>, data: &SiteData, id: &PageId) -> Result<(String, Arc<str>)> {
    let config = &data.config;
    let content = &data.content;
    let page = content.page(*id);
    let url = config.permalink(&format!("{}route.geojson", page.path));
    let route = crate::geo::route_view(&page.slug, &page.title, &page.meta.stops, &config.map_border, url)
        .expect("jobs are listed only for pages with located stops");
    let path = format!("{}route.geojson", page.path.trim_start_matches('/'));
    let fingerprint = xxhash_rust::xxh3::xxh3_64(
        format!(
            "{}\0{}\0{:?}\0{:?}",
            page.title, page.slug, page.meta.stops, config.map_border
        )
        .as_bytes(),
    );
    Ok(cx.direct(path, fingerprint, || crate::geo::geojson(&page.title, &route)))
}

/// Renders the search page of a language.
fn render_search(cx: &JobRenderer<'_>, data: &SiteData, lang: &LangId) -> Result<(String, Arc<str>)> {
    let config = &data.config;
    let content = &data.content;
    let path = format!("/{}search/", config.languages[*lang].prefix);
    let mut context = base_context(data, *lang, &path);
    let indexes: Vec<SearchIndexView<'_>> = config
        .languages
        .iter()
        .map(|l| SearchIndexView {
            code: &l.code,
            name: &l.name,
            index: config.permalink(&format!("search/{}/", l.code)),
        })
        .collect();
    let language = &config.languages[*lang];
    let number_locale = match &language.numerals {
        Some(system) => format!("{}-u-nu-{system}", language.locale),
        None => language.locale.clone(),
    };
    let settings = serde_json::json!({
        "lang": language.code,
        "numberLocale": number_locale,
        "indexes": indexes,
    });
    context.insert("search_settings", &settings.to_string());
    context.insert_value(
        "translations",
        Value::from_serializable(&views::translations(config, content, *lang, |l| {
            Some(format!("/{}search/", config.languages[l].prefix))
        })),
    );
    cx.template(
        jobs::output_file(&path),
        "search.html",
        &context,
        "the search page",
    )
}
