//! Reading `content/`: walking the folders, parsing every file in parallel, and linking
//! pages to their sections and translations.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::LangId;
use crate::config::{Config, Untranslated};
use crate::content::front_matter::{self, FrontMatter, SortBy};
use crate::content::rendered::Rendered;
use crate::content::slug::slugify;
use crate::content::{Content, Page, PageId, Section, SectionId, SourceFile, taxonomy};
use crate::error::{Diagnostic, Error, Result, collect_all};

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// Include pages past their `expires` date.
    pub expired: bool,
    /// "Now" as a Unix timestamp, for scheduling; the system clock when `None`.
    pub now: Option<i64>,
}

/// A page left out because of its dates: embargoed until `date`, or expired on it.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub file: String,
    pub title: String,
    pub lang: LangId,
    pub date: crate::date::Date,
    pub embargoed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Section,
    Page,
    /// `index.md` of a page bundle: the page is the folder.
    Bundle,
}

struct Found {
    file: SourceFile,
    kind: Kind,
    /// Content folder holding the file, `/`-separated.
    dir: String,
}

struct Parsed {
    found: Found,
    meta: FrontMatter,
    body: Arc<str>,
    body_line: usize,
}

impl Content {
    pub fn load(config: &Config, options: LoadOptions) -> Result<Content> {
        Content::load_keeping(config, options, &ParseCache::default(), false)
    }

    /// Like `load`, reusing the front matter and text of files that have not changed since
    /// `cache` saw them; the returned content carries the cache for the next load.
    pub fn load_cached(config: &Config, options: LoadOptions, cache: &ParseCache) -> Result<Content> {
        Content::load_keeping(config, options, cache, true)
    }

    /// Like `load_cached`; `keep` says whether to hand a parse cache to the next load (a
    /// one-time build does not, and so holds no second copy of every text).
    pub fn load_keeping(
        config: &Config,
        options: LoadOptions,
        cache: &ParseCache,
        keep: bool,
    ) -> Result<Content> {
        let mut t = crate::timings::Timings::start();
        let content_dir = config.content_dir();
        let mut found = Vec::new();
        let mut assets = Vec::new();
        let mut bundle_assets: HashMap<String, Vec<PathBuf>> = HashMap::new();
        let mut warnings = Vec::new();
        if content_dir.is_dir() {
            warnings = walk(config, &content_dir, &mut found, &mut assets, &mut bundle_assets)?;
        }
        t.mark("walk");
        let parsed = collect_all(
            found
                .into_par_iter()
                .map(|f| parse_cached(f, cache))
                .collect::<Vec<_>>(),
        )?;
        t.mark("parse");
        let parse_cache = ParseCache {
            files: parsed
                .iter()
                .filter(|_| keep)
                .filter_map(|(p, seen)| {
                    let (stamp, meta) = seen.as_ref()?;
                    let meta = meta.clone().unwrap_or_else(|| Arc::new(p.meta.clone()));
                    Some((
                        p.found.file.shown_as.clone(),
                        (*stamp, meta, p.body.clone(), p.body_line),
                    ))
                })
                .collect(),
        };
        let mut parsed: Vec<Parsed> = parsed.into_iter().map(|(p, _)| p).collect();
        t.mark("parse cache");
        inherit_front_matter(config, &mut parsed);
        let zola_front_matter = ZolaFrontMatter::of(&parsed);
        warnings.extend(zola_front_matter.ignored_warnings());
        t.mark("inherit");
        let now = options.now.unwrap_or_else(unix_now);
        let mut scheduled = Vec::new();
        let draft_folders = if options.drafts {
            Vec::new()
        } else {
            draft_folders(&parsed)
        };
        let parsed: Vec<Parsed> = parsed
            .into_iter()
            .filter(|p| options.drafts || !p.meta.draft)
            .filter(|p| !in_draft_folder(&draft_folders, p))
            .filter(|p| {
                if p.found.kind == Kind::Section {
                    return true;
                }
                let embargo = p.meta.date.filter(|d| d.timestamp() > now && !options.future);
                let expiry = p
                    .meta
                    .expires
                    .filter(|d| d.timestamp() <= now && !options.expired);
                let Some((date, embargoed)) = embargo.map(|d| (d, true)).or(expiry.map(|d| (d, false)))
                else {
                    return true;
                };
                scheduled.push(Scheduled {
                    file: p.found.file.shown_as.clone(),
                    title: p.meta.title.clone().unwrap_or_default(),
                    lang: p.found.file.lang,
                    date,
                    embargoed,
                });
                false
            })
            .collect();
        let mut content = Content {
            zola_front_matter,
            parse_cache,
            warnings,
            scheduled,
            assets: assets
                .into_iter()
                .map(|(path, dir)| {
                    let name = path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    let out = format!("{}{name}", dir_path(&dir));
                    (path, out)
                })
                .collect(),
            ..Content::default()
        };
        let (sections, pages): (Vec<Parsed>, Vec<Parsed>) =
            parsed.into_iter().partition(|p| p.found.kind == Kind::Section);
        content.build_sections(config, sections);
        t.mark("sections");
        content.build_pages(config, pages, &mut bundle_assets)?;
        t.mark("pages");
        content.add_fallback_pages(config);
        content.hide_empty_sections(config);
        content.check_unique_paths()?;
        content.order_sections();
        t.mark("order");
        content.taxonomies = taxonomy::collect(config, &content)?;
        t.mark("taxonomies");
        Ok(content)
    }

    fn build_sections(&mut self, config: &Config, files: Vec<Parsed>) {
        let languages = config.languages.len();
        let mut by_dir: HashMap<String, Vec<Option<Parsed>>> = HashMap::new();
        by_dir.insert(String::new(), (0..languages).map(|_| None).collect());
        for parsed in files {
            let slots = by_dir
                .entry(parsed.found.dir.clone())
                .or_insert_with(|| (0..languages).map(|_| None).collect());
            let lang = parsed.found.file.lang;
            slots[lang] = Some(parsed);
        }
        // Parents before children, so each section can find its parent's id.
        let dirs: BTreeSet<String> = by_dir.keys().cloned().collect();
        for dir in dirs {
            let mut slots = by_dir.remove(&dir).unwrap_or_default();
            // The default language's _index first: other languages take its settings.
            let template_meta = slots
                .iter()
                .flatten()
                .next()
                .map(|p| (p.meta.clone(), p.body.clone(), p.body_line, p.found.file.lang));
            if let Some((original, ..)) = &template_meta {
                for parsed in slots
                    .iter_mut()
                    .flatten()
                    .filter(|p| !p.found.file.lang.is_default())
                {
                    let meta = &mut parsed.meta;
                    meta.sort_by = meta.sort_by.or(original.sort_by);
                    meta.paginate_by = meta.paginate_by.or(original.paginate_by);
                    meta.page_template = meta
                        .page_template
                        .clone()
                        .or_else(|| original.page_template.clone());
                    meta.archive |= original.archive;
                    meta.feed |= original.feed;
                    meta.in_search_index = meta.in_search_index.or(original.in_search_index);
                    meta.render = meta.render.or(original.render);
                    meta.transparent |= original.transparent;
                    meta.paginate_reversed |= original.paginate_reversed;
                    meta.insert_anchor_links = meta.insert_anchor_links.or(original.insert_anchor_links);
                    meta.generate_feeds = meta.generate_feeds.or(original.generate_feeds);
                    meta.paginate_path = meta
                        .paginate_path
                        .clone()
                        .or_else(|| original.paginate_path.clone());
                }
            }
            let mut ids = Vec::with_capacity(languages);
            for (lang, slot) in config.lang_ids().zip(slots.iter_mut()) {
                let language = &config.languages[lang];
                let mut fallback_from = None;
                let (file, meta, body, body_line) = match slot.take() {
                    Some(p) => (Some(p.found.file), p.meta, p.body, p.body_line),
                    // No `_index` in this language: under `fallback` the original's text is
                    // shown (with a notice); otherwise only its settings and title are used.
                    None => match &template_meta {
                        Some((meta, body, line, from)) if language.untranslated == Untranslated::Fallback => {
                            fallback_from = Some(*from);
                            (None, meta.clone(), body.clone(), *line)
                        }
                        Some((meta, ..)) => (None, meta.clone(), "".into(), 1),
                        None => (None, FrontMatter::default(), "".into(), 1),
                    },
                };
                let title = meta.title.clone().unwrap_or_else(|| {
                    if dir.is_empty() {
                        language.title.clone()
                    } else {
                        dir.rsplit('/').next().unwrap_or(&dir).to_owned()
                    }
                });
                let parent = if dir.is_empty() {
                    None
                } else {
                    Some(self.section_for_dir(parent_dir(&dir), lang))
                };
                let id = SectionId(self.sections.len() as u32);
                self.sections.push(Section {
                    file,
                    dir: dir.clone(),
                    lang,
                    meta,
                    title,
                    path: format!("/{}{}", language.prefix, dir_path(&dir)),
                    body,
                    body_line,
                    parent,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                    translations: Vec::new(),
                    hidden: false,
                    fallback_from,
                    archives: Vec::new(),
                    rendered: Rendered::default(),
                });
                if let Some(parent) = parent {
                    self.sections[parent.0 as usize].subsections.push(id);
                }
                ids.push(Some(id));
            }
            for id in ids.iter().flatten() {
                self.sections[id.0 as usize].translations = ids.clone();
            }
            self.index.sections_by_dir.insert(dir, ids);
        }
    }

    /// The section a file in `dir` belongs to: the nearest folder with an `_index` file.
    fn section_for_dir(&self, mut dir: &str, lang: LangId) -> SectionId {
        loop {
            if let Some(Some(id)) = self.index.sections_by_dir.get(dir).map(|ids| ids[lang]) {
                return id;
            }
            if dir.is_empty() {
                return self.home(lang);
            }
            dir = parent_dir(dir);
        }
    }

    fn build_pages(
        &mut self,
        config: &Config,
        mut files: Vec<Parsed>,
        bundle_assets: &mut HashMap<String, Vec<PathBuf>>,
    ) -> Result<()> {
        // Default-language pages first: translations take their slug from them.
        files.sort_by_key(|p| p.found.file.lang);
        let mut default_slugs: HashMap<String, String> = HashMap::new();
        for parsed in files {
            let Parsed {
                found,
                meta,
                body,
                body_line,
            } = parsed;
            let lang = found.file.lang;
            let key = &found.file.canonical_key;
            let mut file_stem = key.rsplit('/').next().unwrap_or(key);
            // Zola: `2016-10-08_a-post.md` is at `a-post/` unless `paths_keep_dates`.
            if !config.paths_keep_dates
                && let Some((_, rest)) = date_prefix(file_stem)
            {
                file_stem = rest;
            }
            let slug = match &meta.slug {
                Some(own) => slugify(own),
                None => default_slugs
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| slugify(file_stem)),
            };
            if lang.is_default() {
                default_slugs.insert(key.clone(), slug.clone());
            }
            let prefix = &config.languages[lang].prefix;
            let path = match &meta.path {
                Some(own) => {
                    let own = own.trim_matches('/');
                    if own.is_empty() {
                        format!("/{prefix}")
                    } else {
                        format!("/{prefix}{own}/")
                    }
                }
                None => {
                    let page_dir = if found.kind == Kind::Bundle {
                        parent_dir(&found.dir)
                    } else {
                        &found.dir
                    };
                    format!("/{prefix}{}{slug}/", dir_path(page_dir))
                }
            };
            let section = self.section_for_dir(
                if found.kind == Kind::Bundle {
                    parent_dir(&found.dir)
                } else {
                    &found.dir
                },
                lang,
            );
            let assets = if found.kind == Kind::Bundle {
                bundle_assets.get(&found.dir).cloned().unwrap_or_default()
            } else {
                Vec::new()
            };
            let title = meta.title.clone().unwrap_or_default();
            let mut meta = meta;
            if meta.authors.is_empty()
                && let Some(author) = &config.author
            {
                meta.authors.push(author.clone());
            }
            let id = PageId(self.pages.len() as u32);
            self.index
                .pages_by_key
                .entry(key.clone())
                .or_insert_with(|| vec![None; config.languages.len()])[lang] = Some(id);
            self.sections[section.0 as usize].pages.push(id);
            self.pages.push(Page {
                file: found.file,
                meta,
                title,
                slug,
                path,
                body,
                body_line,
                section,
                assets,
                translations: Vec::new(),
                previous: None,
                next: None,
                original: None,
                rendered: Rendered::default(),
            });
        }
        bundle_assets.clear();
        for page in &mut self.pages {
            page.translations = self.index.pages_by_key[&page.file.canonical_key].clone();
        }
        Ok(())
    }

    /// Under the `fallback` policy, an untranslated article appears in that language with the
    /// default language's text.
    fn add_fallback_pages(&mut self, config: &Config) {
        for (lang, language) in config.lang_ids().zip(&config.languages).skip(1) {
            if language.untranslated != Untranslated::Fallback {
                continue;
            }
            let originals: Vec<PageId> = self
                .pages_in(LangId::DEFAULT)
                .filter(|id| self.page(*id).translations[lang].is_none())
                .collect();
            for original_id in originals {
                let original = self.page(original_id);
                let key = original.file.canonical_key.clone();
                let path = format!("/{}{}", language.prefix, original.path.trim_start_matches('/'));
                let section_dir = self.section(original.section).dir.clone();
                let page = Page {
                    file: SourceFile {
                        lang,
                        ..original.file.clone()
                    },
                    meta: original.meta.clone(),
                    title: original.title.clone(),
                    slug: original.slug.clone(),
                    path,
                    body: original.body.clone(),
                    body_line: original.body_line,
                    section: self.section_for_dir(&section_dir, lang),
                    assets: original.assets.clone(),
                    translations: Vec::new(),
                    previous: None,
                    next: None,
                    original: Some(original_id),
                    rendered: Rendered::default(),
                };
                let id = PageId(self.pages.len() as u32);
                self.sections[page.section.0 as usize].pages.push(id);
                self.pages.push(page);
                if let Some(slots) = self.index.pages_by_key.get_mut(&key) {
                    slots[lang] = Some(id);
                }
            }
        }
        for page in &mut self.pages {
            page.translations = self.index.pages_by_key[&page.file.canonical_key].clone();
        }
    }

    /// Under `hide`, a section with neither its own `_index` nor pages in a language does not
    /// exist there. The home page always exists.
    fn hide_empty_sections(&mut self, config: &Config) {
        for index in 0..self.sections.len() {
            let section = &self.sections[index];
            let lang = section.lang;
            let keep = section.dir.is_empty()
                || section.file.is_some()
                || !section.pages.is_empty()
                || config.languages[lang].untranslated == Untranslated::Fallback;
            if !keep {
                self.sections[index].hidden = true;
                if let Some(slots) = self.index.sections_by_dir.get_mut(&self.sections[index].dir) {
                    slots[lang] = None;
                }
            }
        }
        for section in &mut self.sections {
            section.translations = self.index.sections_by_dir[&section.dir].clone();
        }
    }

    fn check_unique_paths(&self) -> Result<()> {
        let mut seen: HashMap<&str, String> = HashMap::new();
        let mut diagnostics = Vec::new();
        let sections = self
            .sections
            .iter()
            .filter(|s| !s.hidden)
            .map(|s| (s.path.as_str(), s.shown_as()));
        let pages = self
            .pages
            .iter()
            .map(|p| (p.path.as_str(), p.file.shown_as.clone()));
        for (path, file) in sections.chain(pages) {
            if let Some(first) = seen.get(path) {
                diagnostics.push(
                    Diagnostic::error(
                        file.clone(),
                        format!("this page has the URL {path}, which {first} already has"),
                    )
                    .hint("give one of them a different `slug` or `path` in its front matter"),
                );
            } else {
                seen.insert(path, file);
            }
        }
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(Error::from_list(diagnostics))
        }
    }

    fn order_sections(&mut self) {
        // Zola's `transparent`: a section's pages are listed in its parent too (deepest
        // sections first, so they pass up through several transparent levels).
        let mut by_depth: Vec<usize> = (0..self.sections.len()).collect();
        by_depth.sort_by_key(|i| std::cmp::Reverse(self.sections[*i].dir.matches('/').count()));
        for index in by_depth {
            let section = &self.sections[index];
            if let (true, Some(parent)) = (section.meta.transparent, section.parent) {
                let pages = section.pages.clone();
                self.sections[parent.0 as usize].pages.extend(pages);
            }
        }
        for index in 0..self.sections.len() {
            let sort_by = self.sections[index].meta.sort_by.unwrap_or(SortBy::Date);
            let mut pages = std::mem::take(&mut self.sections[index].pages);
            self.sort_pages(&mut pages, sort_by);
            // Neighbours follow the page's own section, not a parent it is passed up to.
            let own: Vec<PageId> = pages
                .iter()
                .copied()
                .filter(|id| self.page(*id).section.0 as usize == index)
                .collect();
            for (i, id) in own.iter().enumerate() {
                let page = &mut self.pages[id.0 as usize];
                page.previous = i.checked_sub(1).map(|j| own[j]);
                page.next = own.get(i + 1).copied();
            }
            if self.sections[index].meta.paginate_reversed {
                pages.reverse();
            }
            if self.sections[index].meta.archive {
                self.sections[index].archives = self.archives(&self.sections[index].path, &pages);
            }
            self.sections[index].pages = pages;
        }
    }
}

impl Content {
    fn sort_pages(&self, pages: &mut [PageId], sort_by: SortBy) {
        // Ties fall back to the file name, compared in place (no copy per comparison).
        let by_file = |a: &PageId, b: &PageId| self.page(*a).file.shown_as.cmp(&self.page(*b).file.shown_as);
        let newest_first = |key: fn(&Page) -> Option<i64>| {
            move |a: &PageId, b: &PageId| {
                key(self.page(*b))
                    .cmp(&key(self.page(*a)))
                    .then_with(|| by_file(a, b))
            }
        };
        match sort_by {
            SortBy::Date => pages.sort_by(newest_first(|p| p.meta.date.map(|d| d.timestamp()))),
            SortBy::UpdateDate => pages.sort_by(newest_first(|p| {
                p.meta.updated.or(p.meta.date).map(|d| d.timestamp())
            })),
            SortBy::Weight => pages.sort_by(|a, b| {
                let weight = |p: &PageId| self.page(*p).meta.weight.unwrap_or(i64::MAX);
                weight(a).cmp(&weight(b)).then_with(|| by_file(a, b))
            }),
            SortBy::Title => pages.sort_by_cached_key(|p| {
                (
                    self.page(*p).title.to_lowercase(),
                    self.page(*p).file.shown_as.clone(),
                )
            }),
            SortBy::TitleBytes => pages.sort_by(|a, b| {
                self.page(*a)
                    .title
                    .cmp(&self.page(*b).title)
                    .then_with(|| by_file(a, b))
            }),
            SortBy::Slug => pages.sort_by(|a, b| {
                self.page(*a)
                    .slug
                    .cmp(&self.page(*b).slug)
                    .then_with(|| by_file(a, b))
            }),
            SortBy::None => pages.sort_by(by_file),
        }
    }

    /// Year and month groups of dated `pages`, newest first.
    fn archives(&self, base: &str, pages: &[PageId]) -> Vec<crate::content::Archive> {
        let mut groups: std::collections::BTreeMap<(i32, Option<u8>), Vec<PageId>> = Default::default();
        for id in pages {
            if let Some(date) = self.page(*id).meta.date {
                groups.entry((date.year, None)).or_default().push(*id);
                groups.entry((date.year, Some(date.month))).or_default().push(*id);
            }
        }
        let mut archives: Vec<crate::content::Archive> = groups
            .into_iter()
            .map(|((year, month), mut pages)| {
                pages.sort_by_key(|id| std::cmp::Reverse(self.page(*id).meta.date.map(|d| d.timestamp())));
                let path = match month {
                    Some(m) => format!("{base}{year}/{m:02}/"),
                    None => format!("{base}{year}/"),
                };
                crate::content::Archive {
                    year,
                    month,
                    path,
                    pages,
                }
            })
            .collect();
        archives.reverse();
        archives
    }
}

/// `news/world` → `news/world/` slugified, `` → ``.
fn dir_path(dir: &str) -> String {
    dir.split('/')
        .filter(|part| !part.is_empty())
        .map(|part| format!("{}/", slugify(part)))
        .collect()
}

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// Finds the content files below `content/` and the other files beside them.
fn walk(
    config: &Config,
    content_dir: &Path,
    found: &mut Vec<Found>,
    assets: &mut Vec<(PathBuf, String)>,
    bundle_assets: &mut HashMap<String, Vec<PathBuf>>,
) -> Result<Vec<Diagnostic>> {
    let (folders, warnings) = crate::fs::walk(content_dir, &config.root, "content")?;
    let mut diagnostics = Vec::new();
    for folder in folders {
        let dir = folder.rel;
        if folder_is_ignored(config, &dir) {
            continue;
        }
        let is_bundle = folder
            .files
            .iter()
            .any(|(name, _)| name == "index.md" || (name.starts_with("index.") && name.ends_with(".md")));
        for (name, path) in folder.files {
            let child = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            if config.is_ignored_content(&child) || config.is_ignored_content(&name) {
                continue;
            }
            let shown_as = format!("content/{child}");
            let Some(stem_and_lang) = name.strip_suffix(".md") else {
                if is_bundle {
                    bundle_assets.entry(dir.clone()).or_default().push(path);
                } else {
                    assets.push((path, dir.clone()));
                }
                continue;
            };
            let (stem, lang) = match split_language(config, stem_and_lang) {
                Ok(split) => split,
                Err(message) => {
                    diagnostics.push(Diagnostic::error(shown_as, message).hint(format!(
                        "name translations `name.<code>.md` with a configured language code: {}",
                        config.languages.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", ")
                    )));
                    continue;
                }
            };
            let (kind, canonical_key) = match stem {
                "_index" => (Kind::Section, dir.clone()),
                "index" if is_bundle => (Kind::Bundle, dir.clone()),
                _ => (
                    Kind::Page,
                    if dir.is_empty() {
                        stem.to_owned()
                    } else {
                        format!("{dir}/{stem}")
                    },
                ),
            };
            found.push(Found {
                file: SourceFile {
                    path,
                    shown_as,
                    canonical_key: crate::text::nfc(&canonical_key).into_owned(),
                    lang,
                },
                kind,
                dir: dir.clone(),
            });
        }
    }
    if diagnostics.is_empty() {
        Ok(warnings)
    } else {
        Err(Error::from_list(diagnostics))
    }
}

/// `foo.en` → (`foo`, index of en); `foo` → (`foo`, default). A suffix that looks like a
/// language code but is not configured is an error, so `bai.kh.md` is not silently a page.
fn split_language<'a>(config: &Config, stem: &'a str) -> std::result::Result<(&'a str, LangId), String> {
    let Some((base, code)) = stem.rsplit_once('.') else {
        return Ok((stem, LangId::DEFAULT));
    };
    if let Some(lang) = config.language_index(code) {
        return Ok((base, lang));
    }
    let looks_like_code = (2..=3).contains(&code.split('-').next().unwrap_or("").len())
        && code.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
    if looks_like_code {
        Err(format!("unknown language code `{code}` in the file name"))
    } else {
        Ok((stem, LangId::DEFAULT))
    }
}

/// Parsed files by path, with the modification time and size they had.
#[derive(Debug, Default, Clone)]
pub struct ParseCache {
    files: HashMap<String, (FileStamp, Arc<FrontMatter>, Arc<str>, usize)>,
}

impl ParseCache {
    /// Forgets the file at `shown_as` (`content/news/x.md`), so it is read again even if its
    /// time and size look unchanged (two saves within the file system's clock tick).
    pub fn forget(&mut self, shown_as: &str) {
        self.files.remove(shown_as);
    }
}

type FileStamp = (std::time::SystemTime, u64);

/// A content file whose text changed below an unchanged front matter: the new text, ready to
/// go into the content tree in place of the old (see `Content::body_edits`).
pub struct BodyEdit {
    shown_as: String,
    stamp: FileStamp,
    meta: Arc<FrontMatter>,
    body: Arc<str>,
    body_line: usize,
}

/// The pages and sections (untranslated copies included) whose text a save changed, and
/// nothing else.
#[derive(Debug, Default, Clone)]
pub struct TextChanges {
    pub pages: Vec<PageId>,
    pub sections: Vec<SectionId>,
}

impl TextChanges {
    pub fn has_page(&self, id: PageId) -> bool {
        self.pages.contains(&id)
    }

    pub fn has_section(&self, id: SectionId) -> bool {
        self.sections.contains(&id)
    }
}

impl Content {
    /// When every file at `paths` (`content/news/x.md`) is a page or section of this tree
    /// whose front matter reads as before, their new texts; `None` when any change is more
    /// than that (a new, deleted or unreadable file, other front matter, a page whose
    /// embargo or expiry date has come), so that only a full load gives the right tree.
    ///
    /// Titles, paths, order, terms and translations come from front matter and file names
    /// alone, so with the texts replaced this tree equals a fresh load's.
    pub fn body_edits(
        &self,
        paths: &[&str],
        cache: &ParseCache,
        options: LoadOptions,
    ) -> Option<Vec<BodyEdit>> {
        let now = options.now.unwrap_or_else(unix_now);
        let due = |date: Option<crate::date::Date>| date.is_some_and(|d| d.timestamp() <= now);
        let expiring = !options.expired && self.pages.iter().any(|p| due(p.meta.expires));
        let coming = !options.future && self.scheduled.iter().any(|s| s.embargoed && due(Some(s.date)));
        if expiring || coming {
            return None;
        }
        paths
            .iter()
            .map(|path| {
                let (file, kind) = self.file_named(path)?;
                let (_, meta, ..) = cache.files.get(*path)?;
                let stamp = stamp(&file.path)?;
                let found = Found {
                    file: file.clone(),
                    kind,
                    dir: String::new(),
                };
                let parsed = parse(found).ok()?;
                (parsed.meta == **meta).then(|| BodyEdit {
                    shown_as: (*path).to_owned(),
                    stamp,
                    meta: meta.clone(),
                    body: parsed.body,
                    body_line: parsed.body_line,
                })
            })
            .collect()
    }

    /// Puts the texts of `edits` in place (in the pages and sections showing them untranslated
    /// too) and in `cache`; returns the pages and sections whose text changed.
    pub fn apply_body_edits(&mut self, edits: Vec<BodyEdit>, cache: &mut ParseCache) -> TextChanges {
        let mut changed = TextChanges::default();
        for edit in edits {
            let own = |file: Option<&SourceFile>| file.is_some_and(|f| f.shown_as == edit.shown_as);
            let originals: Vec<PageId> = (0..self.pages.len() as u32)
                .map(PageId)
                .filter(|id| self.page(*id).original.is_none() && own(Some(&self.page(*id).file)))
                .collect();
            for (index, page) in self.pages.iter_mut().enumerate() {
                let copy = page.original.is_some_and(|o| originals.contains(&o));
                if copy || (page.original.is_none() && own(Some(&page.file))) {
                    page.body = edit.body.clone();
                    page.body_line = edit.body_line;
                    changed.pages.push(PageId(index as u32));
                }
            }
            let languages: Vec<(String, LangId)> = self
                .sections
                .iter()
                .filter(|s| own(s.file.as_ref()))
                .map(|s| (s.dir.clone(), s.lang))
                .collect();
            for (index, section) in self.sections.iter_mut().enumerate() {
                let copy = section.file.is_none()
                    && languages
                        .iter()
                        .any(|(dir, lang)| *dir == section.dir && section.fallback_from == Some(*lang));
                if copy || own(section.file.as_ref()) {
                    section.body = edit.body.clone();
                    section.body_line = edit.body_line;
                    changed.sections.push(SectionId(index as u32));
                }
            }
            cache
                .files
                .insert(edit.shown_as, (edit.stamp, edit.meta, edit.body, edit.body_line));
        }
        changed
    }

    /// The page or section read from the file shown as `shown_as`, and how it was read.
    fn file_named(&self, shown_as: &str) -> Option<(&SourceFile, Kind)> {
        if let Some(page) = self
            .pages
            .iter()
            .find(|p| p.original.is_none() && p.file.shown_as == shown_as)
        {
            let name = page.file.path.file_name()?.to_string_lossy();
            let bundle = name.starts_with("index.");
            return Some((&page.file, if bundle { Kind::Bundle } else { Kind::Page }));
        }
        self.sections
            .iter()
            .filter_map(|s| s.file.as_ref())
            .find(|f| f.shown_as == shown_as)
            .map(|f| (f, Kind::Section))
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// What the parse cache learns of a file: its stamp, and the cached front matter when it was
/// taken from the cache (shared, so the next cache need not copy it).
type Seen = Option<(FileStamp, Option<Arc<FrontMatter>>)>;

/// Parses `found`, or takes it from `cache` when the file is unchanged.
fn parse_cached(found: Found, cache: &ParseCache) -> Result<(Parsed, Seen)> {
    let current = stamp(&found.file.path);
    if let (Some(current), Some((seen, meta, body, body_line))) =
        (current, cache.files.get(&found.file.shown_as))
        && *seen == current
    {
        let parsed = Parsed {
            meta: (**meta).clone(),
            body: body.clone(),
            body_line: *body_line,
            found,
        };
        return Ok((parsed, Some((current, Some(meta.clone())))));
    }
    parse(found).map(|p| (p, current.map(|c| (c, None))))
}

fn parse(found: Found) -> Result<Parsed> {
    let source = crate::fs::read_text(&found.file.path, &found.file.shown_as)?;
    let source = crate::text::nfc(&source);
    let split = front_matter::split(&found.file.shown_as, &source)?;
    if let Some(error) = term_without_slug(&found.file.shown_as, &source, &split.front_matter) {
        return Err(error.into());
    }
    if let Some(field) = section_only_fields(&split.front_matter, found.kind) {
        return Err(Diagnostic::error(
            found.file.shown_as.clone(),
            format!("`{field}` only applies to sections (`_index.md`), not to pages"),
        )
        .hint(format!("move `{field}` to the section's _index.md, or remove it"))
        .into());
    }
    let mut meta = split.front_matter;
    if found.kind == Kind::Section {
        meta.feed |= meta.generate_feeds == Some(true);
    } else if meta.date.is_none() {
        // Zola: a date at the start of the file (or bundle folder) name dates the page.
        let key = &found.file.canonical_key;
        meta.date = date_prefix(key.rsplit('/').next().unwrap_or(key)).map(|(date, _)| date);
    }
    Ok(Parsed {
        body: split.body.into(),
        body_line: split.body_line,
        meta,
        found,
    })
}

/// Folders of sections marked `draft = true`, with the language they hide: a draft
/// default-language section hides its folder in every language (`None`), a draft translation
/// only in its own. The home section never hides the whole site.
fn draft_folders(parsed: &[Parsed]) -> Vec<(String, Option<LangId>)> {
    parsed
        .iter()
        .filter(|p| p.found.kind == Kind::Section && p.meta.draft && !p.found.dir.is_empty())
        .map(|p| {
            let lang = p.found.file.lang;
            (p.found.dir.clone(), (!lang.is_default()).then_some(lang))
        })
        .collect()
}

/// Whether `file` lies in (or below) a draft section's folder, for its language.
fn in_draft_folder(draft_folders: &[(String, Option<LangId>)], file: &Parsed) -> bool {
    let dir = &file.found.dir;
    draft_folders.iter().any(|(folder, lang)| {
        lang.is_none_or(|l| l == file.found.file.lang)
            && (dir == folder
                || dir
                    .strip_prefix(folder.as_str())
                    .is_some_and(|rest| rest.starts_with('/')))
    })
}

/// A term such as `".."`, `"/"` or `""` has no letters for a URL: its page would replace the
/// taxonomy's own list. Such a term is an error at its position in the front matter.
fn term_without_slug(shown_as: &str, source: &str, meta: &FrontMatter) -> Option<Diagnostic> {
    let (taxonomy, name) = meta
        .taxonomies
        .iter()
        .flat_map(|(taxonomy, names)| names.iter().map(move |name| (taxonomy, name)))
        .find(|(_, name)| slugify(name).trim_matches(['.', '-']).is_empty())?;
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    let offset = quoted
        .iter()
        .filter_map(|q| source.find(q.as_str()))
        .min()
        .or_else(|| source.find(taxonomy.as_str()))
        .unwrap_or(0);
    Some(
        Diagnostic::error(
            shown_as,
            format!("the {taxonomy} term \"{name}\" has no letters or digits to make its address from"),
        )
        .at_offset(source, offset, 1)
        .hint(format!(
            "give the term a name with letters, e.g. {taxonomy} = [\"Biên giới\"], or remove it"
        )),
    )
}

fn section_only_fields(meta: &FrontMatter, kind: Kind) -> Option<&'static str> {
    if kind == Kind::Section {
        return None;
    }
    if meta.sort_by.is_some() {
        Some("sort_by")
    } else if meta.paginate_by.is_some() {
        Some("paginate_by")
    } else if meta.page_template.is_some() {
        Some("page_template")
    } else if meta.archive {
        Some("archive")
    } else if meta.feed {
        Some("feed")
    } else {
        None
    }
}

/// Translations take unset dates, tags, stops and extra data from the default-language page.
fn inherit_front_matter(config: &Config, parsed: &mut [Parsed]) {
    let originals: HashMap<String, FrontMatter> = parsed
        .iter()
        .filter(|p| p.found.file.lang.is_default() && p.found.kind != Kind::Section)
        .map(|p| (p.found.file.canonical_key.clone(), p.meta.clone()))
        .collect();
    for p in parsed
        .iter_mut()
        .filter(|p| !p.found.file.lang.is_default() && p.found.kind != Kind::Section)
    {
        if let Some(original) = originals.get(&p.found.file.canonical_key) {
            let own_terms = !p.meta.taxonomies.is_empty();
            p.meta.inherit_from(original);
            // Under Zola's per-language taxonomies a translation inherits only the terms of
            // taxonomies its language has.
            if !own_terms {
                let language = &config.languages[p.found.file.lang];
                p.meta.taxonomies.retain(|name, _| {
                    language
                        .taxonomies
                        .iter()
                        .any(|&t| &config.taxonomies[t].name == name)
                });
            }
        }
    }
}

/// A date at the start of a file name, as Zola reads it: `2016-10-08`, optionally with a time
/// (`2016-10-08T10:00:00Z`), then `_`, `-` or a space, then the rest of the name.
pub(crate) fn date_prefix(stem: &str) -> Option<(crate::date::Date, &str)> {
    let bytes = stem.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        range
            .clone()
            .all(|i| bytes.get(i).is_some_and(u8::is_ascii_digit))
    };
    if !(digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10))
    {
        return None;
    }
    let mut end = 10;
    if bytes.get(10) == Some(&b'T') {
        // THH:MM:SS, then Z or an offset ±HH:MM.
        let time_ok = digits(11..13)
            && bytes.get(13) == Some(&b':')
            && digits(14..16)
            && bytes.get(16) == Some(&b':')
            && digits(17..19);
        if !time_ok {
            return None;
        }
        end = 19;
        match bytes.get(19) {
            Some(b'Z') => end = 20,
            Some(b'+' | b'-') if digits(20..22) && bytes.get(22) == Some(&b':') && digits(23..25) => end = 25,
            _ => {}
        }
    }
    let separator = *bytes.get(end)?;
    if !matches!(separator, b'_' | b'-' | b' ') {
        return None;
    }
    let rest = &stem[end + 1..];
    if rest.is_empty() {
        return None;
    }
    let date = crate::date::Date::parse(&stem[..end]).ok()?;
    Some((date, rest))
}

/// Which of Zola's front-matter keys the content uses, by key, with the files using it.
#[derive(Debug, Default, Clone)]
pub struct ZolaFrontMatter {
    /// Keys mekong acts on.
    pub mapped: std::collections::BTreeMap<&'static str, Vec<String>>,
    /// Keys accepted and not applied (yet).
    pub ignored: std::collections::BTreeMap<&'static str, Vec<String>>,
}

impl ZolaFrontMatter {
    fn of(parsed: &[Parsed]) -> ZolaFrontMatter {
        let mut found = ZolaFrontMatter::default();
        for p in parsed {
            let m = &p.meta;
            let file = &p.found.file.shown_as;
            let section = p.found.kind == Kind::Section;
            let mut mark = |mapped: bool, key: &'static str| {
                let list = if mapped {
                    &mut found.mapped
                } else {
                    &mut found.ignored
                };
                list.entry(key).or_default().push(file.clone());
            };
            if m.render.is_some() {
                mark(true, "render");
            }
            if m.redirect_to.is_some() {
                mark(
                    section,
                    if section {
                        "redirect_to"
                    } else {
                        "redirect_to (on a page)"
                    },
                );
            }
            if m.transparent {
                mark(
                    section,
                    if section {
                        "transparent"
                    } else {
                        "transparent (on a page)"
                    },
                );
            }
            if m.paginate_reversed {
                mark(
                    section,
                    if section {
                        "paginate_reversed"
                    } else {
                        "paginate_reversed (on a page)"
                    },
                );
            }
            if m.generate_feeds.is_some() {
                mark(
                    section,
                    if section {
                        "generate_feeds"
                    } else {
                        "generate_feeds (on a page)"
                    },
                );
            }
            if m.paginate_path.is_some() {
                mark(
                    section,
                    if section {
                        "paginate_path"
                    } else {
                        "paginate_path (on a page)"
                    },
                );
            }
            if m.insert_anchor_links.is_some() {
                mark(
                    section,
                    if section {
                        "insert_anchor_links"
                    } else {
                        "insert_anchor_links (on a page)"
                    },
                );
            }
            if let Some(sort_by) = m
                .sort_by
                .filter(|s| matches!(s, SortBy::UpdateDate | SortBy::TitleBytes | SortBy::Slug))
            {
                mark(
                    true,
                    match sort_by {
                        SortBy::UpdateDate => "sort_by = \"update_date\"",
                        SortBy::TitleBytes => "sort_by = \"title_bytes\"",
                        _ => "sort_by = \"slug\"",
                    },
                );
            }
            let stem = p.found.file.canonical_key.rsplit('/').next().unwrap_or_default();
            if !section && date_prefix(stem).is_some() {
                mark(true, "a date in the file name");
            }
        }
        found
    }

    /// One warning per key that is accepted but does nothing yet.
    fn ignored_warnings(&self) -> Vec<Diagnostic> {
        self.ignored
            .iter()
            .map(|(key, files)| {
                let more = match files.len() {
                    1 => String::new(),
                    n => format!(" (and {} more files)", n - 1),
                };
                Diagnostic::warning(
                    files[0].clone(),
                    format!("Coming from Zola: ignored: the front-matter key `{key}` does nothing in mekong yet{more}"),
                )
                .hint("the page builds without it; remove it to silence this warning")
            })
            .collect()
    }
}

/// Whether `ignored_content` leaves out the folder `dir` (below `content/`) and all it holds:
/// as in Zola, a pattern may name the folder's path or its name (`**/build_folder`, `drafts`).
fn folder_is_ignored(config: &Config, dir: &str) -> bool {
    let mut path = String::new();
    dir.split('/').filter(|name| !name.is_empty()).any(|name| {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(name);
        config.is_ignored_content(&path) || config.is_ignored_content(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_at_the_start_of_file_names_are_read_as_zola_reads_them() {
        let (date, rest) = date_prefix("2016-10-08_a-post-with-dates").unwrap();
        assert_eq!((date.year, date.month, date.day), (2016, 10, 8));
        assert_eq!(rest, "a-post-with-dates");
        assert_eq!(date_prefix("2016-10-08-a-post").unwrap().1, "a-post");
        let (date, rest) = date_prefix("2016-10-08T10:30:00Z_timed").unwrap();
        assert_eq!((date.time, rest), (Some((10, 30, 0)), "timed"));
        assert_eq!(date_prefix("2016-10-08T10:30:00+07:00-x").unwrap().1, "x");
        assert!(
            date_prefix("2016-10-08").is_none(),
            "a date alone is the whole name"
        );
        assert!(date_prefix("2016-13-08_x").is_none(), "no month 13");
        assert!(date_prefix("20161008_x").is_none());
        assert!(date_prefix("le-ky-ket").is_none());
    }
}
