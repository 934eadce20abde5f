//! The content tree: pages and sections in every language, linked as translations.

pub mod front_matter;
mod load;
pub mod rendered;
pub mod slug;
pub mod taxonomy;

use std::collections::HashMap;
use std::path::PathBuf;

pub use front_matter::{FrontMatter, SortBy};
pub use load::{BodyEdit, LoadOptions, ParseCache, Scheduled, TextChanges, ZolaFrontMatter};

use crate::config::LangId;
use crate::error::Diagnostic;
use rendered::Rendered;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionId(pub u32);

/// Where a content file came from and which article and language it is.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Path shown to users, relative to the site root: `content/news/foo.km.md`.
    pub shown_as: String,
    /// The article shared by all translations: `news/foo` (`news/foo` for a bundle
    /// `news/foo/index.md` too; the folder for a section).
    pub canonical_key: String,
    /// Index into `Config::languages`.
    pub lang: LangId,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub file: SourceFile,
    pub meta: FrontMatter,
    pub title: String,
    pub slug: String,
    /// Site path without the `base_url` prefix; always starts and ends with `/`.
    pub path: String,
    /// The Markdown after the front matter, shared with the parse cache.
    pub body: std::sync::Arc<str>,
    /// Line of the source file on which `body` starts.
    pub body_line: usize,
    pub section: SectionId,
    /// Files beside `index.md` in a page bundle, copied next to the output page.
    pub assets: Vec<PathBuf>,
    /// This article in every language, indexed like `Config::languages`.
    pub translations: Vec<Option<PageId>>,
    /// Neighbours in the section's order: the one listed before and after this page.
    pub previous: Option<PageId>,
    pub next: Option<PageId>,
    /// For an untranslated article shown in this language: the default-language page whose
    /// text this is.
    pub original: Option<PageId>,
    pub rendered: Rendered,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// `None` when the section has no `_index` file in this language.
    pub file: Option<SourceFile>,
    /// The content folder, `/`-separated, empty for the home page: `news`.
    pub dir: String,
    pub lang: LangId,
    pub meta: FrontMatter,
    pub title: String,
    /// Site path without the `base_url` prefix; always starts and ends with `/`.
    pub path: String,
    /// The Markdown after the front matter, shared with the parse cache.
    pub body: std::sync::Arc<str>,
    pub body_line: usize,
    pub parent: Option<SectionId>,
    /// Pages directly in this section, in the section's order.
    pub pages: Vec<PageId>,
    pub subsections: Vec<SectionId>,
    pub translations: Vec<Option<SectionId>>,
    /// The section does not exist in this language (no `_index` and no pages, under `hide`).
    pub hidden: bool,
    /// Under `fallback`, the language whose `_index` text this untranslated section shows.
    pub fallback_from: Option<LangId>,
    /// Year and month archives, newest first, when the section sets `archive = true`.
    pub archives: Vec<Archive>,
    pub rendered: Rendered,
}

impl Section {
    pub fn shown_as(&self) -> String {
        self.file
            .as_ref()
            .map_or_else(|| format!("content/{}", self.dir), |f| f.shown_as.clone())
    }
}

/// The pages of a section from one year, or one month of a year.
#[derive(Debug, Clone)]
pub struct Archive {
    pub year: i32,
    pub month: Option<u8>,
    /// Site path: `/news/2014/` or `/news/2014/12/`; starts and ends with `/`.
    pub path: String,
    /// Newest first.
    pub pages: Vec<PageId>,
}

/// What an `@/…` link or `get_page` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Page(PageId),
    Section(SectionId),
}

/// Where `@/…` paths lead: pages by their key (`news/foo`), sections by their folder, each
/// per language.
#[derive(Debug, Default, Clone)]
pub struct LinkIndex {
    pages_by_key: HashMap<String, Vec<Option<PageId>>>,
    sections_by_dir: HashMap<String, Vec<Option<SectionId>>>,
}

impl LinkIndex {
    /// Resolves `news/foo.md`, `news/foo.en.md`, `news/foo/index.md` or `news/_index.md` (with
    /// or without `@/`) in `lang`, falling back to the default language when untranslated.
    pub fn resolve(&self, target: &str, lang: LangId, language_codes: &[String]) -> Option<Target> {
        let target = target.trim_start_matches("@/").trim_start_matches('/');
        let stem = target.strip_suffix(".md")?;
        let (stem, lang) = match stem.rsplit_once('.') {
            Some((rest, code)) if !code.contains('/') => {
                (rest, LangId::at(language_codes.iter().position(|c| c == code)?))
            }
            _ => (stem, lang),
        };
        let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
        let in_lang_or_default = |list: &Vec<Option<u32>>| list[lang].or(list[LangId::DEFAULT]);
        if name == "_index" {
            let list = self.sections_by_dir.get(dir)?;
            let ids: Vec<Option<u32>> = list.iter().map(|s| s.map(|s| s.0)).collect();
            return in_lang_or_default(&ids).map(|i| Target::Section(SectionId(i)));
        }
        let key = if name == "index" { dir } else { stem };
        let list = self.pages_by_key.get(key)?;
        let ids: Vec<Option<u32>> = list.iter().map(|p| p.map(|p| p.0)).collect();
        in_lang_or_default(&ids).map(|i| Target::Page(PageId(i)))
    }
}

/// The site paths of the content files, for `@/…` links resolved while the Markdown is being
/// rendered (a Zola site's shortcodes calling `get_url(path="@/…")`), when the content itself
/// is not to be shared.
#[derive(Debug)]
pub struct Links {
    pub index: LinkIndex,
    page_paths: Vec<String>,
    section_paths: Vec<String>,
}

impl Links {
    /// As `Content::target_path`.
    pub fn target_path(&self, target: Target) -> &str {
        match target {
            Target::Page(id) => &self.page_paths[id.0 as usize],
            Target::Section(id) => &self.section_paths[id.0 as usize],
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Content {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<taxonomy::TaxonomyTerms>,
    index: LinkIndex,
    /// Files in content folders that are not pages, copied as they are.
    pub assets: Vec<(PathBuf, String)>,
    /// Pages left out because they are embargoed or expired.
    pub scheduled: Vec<load::Scheduled>,
    /// What was parsed, for the next load to reuse (`mekong serve`).
    pub parse_cache: ParseCache,
    /// Zola front-matter keys the content uses, for the migration report.
    pub zola_front_matter: ZolaFrontMatter,
    /// Problems that do not stop the build (links not followed).
    pub warnings: Vec<Diagnostic>,
}

impl Content {
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0 as usize]
    }

    pub fn section(&self, id: SectionId) -> &Section {
        &self.sections[id.0 as usize]
    }

    pub fn home(&self, lang: LangId) -> SectionId {
        self.index.sections_by_dir[""][lang].expect("the home section exists in every language")
    }

    /// See `LinkIndex::resolve`.
    pub fn resolve(&self, target: &str, lang: LangId, language_codes: &[String]) -> Option<Target> {
        self.index.resolve(target, lang, language_codes)
    }

    /// What `resolve` and `target_path` read, apart from the rest of the content.
    pub fn links(&self) -> Links {
        Links {
            index: self.index.clone(),
            page_paths: self.pages.iter().map(|p| p.path.clone()).collect(),
            section_paths: self.sections.iter().map(|s| s.path.clone()).collect(),
        }
    }

    pub fn target_path(&self, target: Target) -> &str {
        match target {
            Target::Page(id) => &self.page(id).path,
            Target::Section(id) => &self.section(id).path,
        }
    }

    pub fn target_anchors(&self, target: Target) -> &[String] {
        match target {
            Target::Page(id) => &self.page(id).rendered.anchors,
            Target::Section(id) => &self.section(id).rendered.anchors,
        }
    }

    /// Pages in `lang`, in file order.
    pub fn pages_in(&self, lang: LangId) -> impl Iterator<Item = PageId> + '_ {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.file.lang == lang)
            .map(|(i, _)| PageId(i as u32))
    }
}
