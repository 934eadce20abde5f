//! A whole build: config → strings → content → Markdown → jobs → render → output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Value;

use crate::config::LangId;
use crate::config::{AnchorLinks, Config};
use crate::content::{Content, LoadOptions, PageId, SectionId, TextChanges};
use crate::error::{Diagnostic, Error, Result, collect_all};
use crate::i18n::I18n;
use crate::jobs;
use crate::jobs::render::{JobRecord, JobRenderer, hash_debug, render_job};
use crate::markdown::{Markdown, RenderContext, Rendered};
use crate::output::{self, Bytes, OutputFile, WriteStats};
use crate::render::deps::Versions;
use crate::render::views::{self, ConfigView};
use crate::render::zola::{self, Dialect};
use crate::render::{Renderer, SiteData, TaxonomyValues};

mod markdown;
mod pipeline;
mod statics;
mod values;

use pipeline::render_into;
use values::PageValues;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (holding config.toml).
    pub root: PathBuf,
    /// Where to write; `root/public` when unset.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from config.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// Include pages past their `expires` date.
    pub expired: bool,
    /// Counts the files of a build that writes (`mekong build`) as they are rendered and written.
    pub progress: Option<Arc<crate::progress::Progress>>,
}

#[derive(Debug)]
pub struct BuildReport {
    /// (language code, pages built) in config order.
    pub pages_per_language: Vec<(String, usize)>,
    pub files: WriteStats,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// The embargoed page due first, when the build held one back for its date.
    pub next_scheduled: Option<crate::content::Scheduled>,
}

/// A site rendered in memory: every output file, not yet written.
pub struct Rendering {
    pub config: Arc<Config>,
    pub i18n: Arc<I18n>,
    pub content: Arc<Content>,
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    /// Output paths of the template and feed jobs rendered anew, sorted; the others were
    /// taken from the cache because nothing they depend on changed.
    pub rendered: Vec<String>,
    /// When the site was written as it rendered (`mekong build`): what was written. `files`
    /// is then empty.
    pub written: Option<WriteStats>,
    /// What this build no longer needs but has not freed yet (the templates with the site data
    /// they hold, the last build's job records): the preview server frees it after the reload
    /// event is sent, off the path from save to reload.
    pub leftovers: Leftovers,
    /// Which template API the pages were rendered with.
    pub dialect: Dialect,
}

/// Memory to free later, on any thread.
#[derive(Default)]
pub struct Leftovers(Vec<Box<dyn std::any::Any + Send>>);

impl Leftovers {
    pub fn keep(&mut self, item: impl std::any::Any + Send) {
        self.0.push(Box::new(item));
    }

    /// Frees everything on a thread of its own.
    pub fn free_in_background(self) {
        if !self.0.is_empty() {
            std::thread::spawn(move || drop(self));
        }
    }
}

/// A site kept between builds (the preview server's): rendered whole once, then after each
/// change only what the change can affect, with the result equal to a fresh build.
///
/// ```no_run
/// # fn main() -> mekong::Result<()> {
/// use mekong::site::{Change, Site};
/// let mut site = Site::new(mekong::BuildOptions { root: "site".into(), ..Default::default() });
/// let first = site.render()?;
/// let next = site.update(&[Change::file("content/news/bai-viet.md")])?;
/// # let _ = (first, next);
/// # Ok(())
/// # }
/// ```
pub struct Site {
    options: BuildOptions,
    cache: BuildCache,
}

/// A changed input of a site: its path relative to the site folder, and what kind of input it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub kind: crate::input::ChangeKind,
}

impl Change {
    /// The change of the file at `path` (relative to the site folder, `/` separated); `None`
    /// when the path is not an input (the output folder, an editor's swap file).
    pub fn of(path: &str) -> Option<Change> {
        let kind = crate::input::classify(Path::new(""), Path::new(path))?;
        Some(Change {
            path: path.to_owned(),
            kind,
        })
    }

    /// Like `of`, for a path known to be an input; a path that is not counts as content.
    pub fn file(path: &str) -> Change {
        Change::of(path).unwrap_or(Change {
            path: path.to_owned(),
            kind: crate::input::ChangeKind::Content,
        })
    }
}

impl Site {
    pub fn new(options: BuildOptions) -> Site {
        Site {
            options,
            cache: BuildCache::default(),
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Renders the site in memory, reusing whatever the last render left that is still right.
    pub fn render(&mut self) -> Result<Rendering> {
        render_with(&self.options, &mut self.cache)
    }

    /// Renders again after `changes`: files the changes name are read again, and only the
    /// work their kinds can affect is redone.
    pub fn update(&mut self, changes: &[Change]) -> Result<Rendering> {
        if !self.cache.patch_texts(changes, &self.options) {
            let kinds: Vec<crate::input::ChangeKind> = changes.iter().map(|c| c.kind).collect();
            self.cache.forget_for(&kinds);
            self.cache.forget_files(changes.iter().map(|c| c.path.as_str()));
        }
        self.render()
    }
}

/// Builds the site and writes it; on any error nothing is written.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let root = &options.root;
    let output_dir = options.output.clone().unwrap_or_else(|| root.join("public"));
    let output_dir = output::resolve_output_dir(root, &output_dir)?;
    // Each file goes to the output folder as soon as it is rendered, so the build never holds
    // the whole site in memory; nothing is put in place unless everything succeeded.
    let mut errors = Vec::new();
    let rendering = render_into(
        options,
        &mut errors,
        &mut BuildCache::one_shot(),
        Some(&output_dir),
    )?;
    if !errors.is_empty() {
        return Err(Error::from_list(errors));
    }
    let files = rendering.written.unwrap_or_default();
    let pages_per_language = rendering
        .config
        .lang_ids()
        .zip(&rendering.config.languages)
        .map(|(lang, language)| (language.code.clone(), rendering.content.pages_in(lang).count()))
        .collect();
    let mut warnings = rendering.warnings;
    if !files.owned {
        warnings.push(
            Diagnostic::warning(
                output_dir.display().to_string(),
                "this folder was not made by mekong, so files from earlier builds were left in it",
            )
            .hint("build into an empty or new folder to let mekong keep it clean"),
        );
    }
    let next_scheduled = rendering
        .content
        .scheduled
        .iter()
        .filter(|s| s.embargoed)
        .min_by_key(|s| s.date.timestamp())
        .cloned();
    Ok(BuildReport {
        pages_per_language,
        files,
        output: output_dir,
        warnings,
        elapsed: started.elapsed(),
        next_scheduled,
    })
}

/// Renders every output file of the site in memory.
pub fn render(options: &BuildOptions) -> Result<Rendering> {
    render_with(options, &mut BuildCache::one_shot())
}

/// Renders every output file in memory, reusing and refreshing `cache`; fails on any error.
pub fn render_with(options: &BuildOptions, cache: &mut BuildCache) -> Result<Rendering> {
    let mut errors = Vec::new();
    let rendering = render_cached(options, &mut errors, cache)?;
    if errors.is_empty() {
        Ok(rendering)
    } else {
        Err(Error::from_list(errors))
    }
}

/// Renders as much of the site as can be rendered: errors that stop everything (config,
/// content that cannot be read) are returned; errors in single pages and templates are pushed
/// to `errors` and rendering goes on, so `mekong check` can report everything at once.
pub fn render_collecting(options: &BuildOptions, errors: &mut Vec<Diagnostic>) -> Result<Rendering> {
    render_cached(options, errors, &mut BuildCache::one_shot())
}

/// What one build can hand the next, so the preview server redoes only what a change needs:
/// files whose bytes are unchanged are not parsed again, and Markdown whose text and link
/// targets are unchanged is not rendered again.
pub struct BuildCache {
    /// Whether anything is kept for a next build: false for a one-time build, which then
    /// holds no second copy of the site.
    retain: bool,
    parse: crate::content::ParseCache,
    markdown_engine: Option<Arc<Markdown>>,
    /// Rendered Markdown by (file, language): the hash of its input, and the result.
    markdown: HashMap<(String, LangId), (u64, Rendered)>,
    /// Hash of every page's and section's URL: rendered links stay right while it holds.
    link_targets: u64,
    /// Pages read for word counts and the search index, by their text.
    analysis: crate::search::AnalysisCache,
    /// The last output of each template and feed job by output path, with what it read.
    jobs: HashMap<String, JobRecord>,
    /// The hash of each site value of the last build, by `ValueId`.
    value_hashes: Vec<u64>,
    /// The template values of every page by its path, with what they were made from.
    values: HashMap<String, PageValues>,
    /// The UI strings, read again only when a `.ftl` file or config.toml changes.
    i18n: Option<Arc<I18n>>,
    /// The content tree of the last build that succeeded.
    content: Option<Arc<Content>>,
    /// That tree with new texts for the next build, and the pages whose text changed: set
    /// when a change touched nothing but the text of pages and sections.
    patched: Option<(Content, TextChanges)>,
    /// Every copy Zola's `resize_image` made while serving, by output path: a page taken from
    /// the last build does not ask for its copies again.
    processed_images: std::collections::BTreeMap<String, PathBuf>,
}

impl Default for BuildCache {
    /// A cache for a series of builds (the preview server).
    fn default() -> BuildCache {
        BuildCache {
            retain: true,
            parse: Default::default(),
            markdown_engine: None,
            markdown: HashMap::new(),
            link_targets: 0,
            analysis: Default::default(),
            jobs: HashMap::new(),
            value_hashes: Vec::new(),
            values: HashMap::new(),
            i18n: None,
            content: None,
            patched: None,
            processed_images: Default::default(),
        }
    }
}

impl BuildCache {
    /// For a single build: keeps nothing.
    pub fn one_shot() -> BuildCache {
        BuildCache {
            retain: false,
            ..BuildCache::default()
        }
    }

    /// Forgets rendered Markdown (shortcode templates or UI strings changed).
    pub fn forget_markdown(&mut self) {
        self.markdown.clear();
    }

    /// Forgets the output of every job, so the next build renders everything.
    pub fn forget_jobs(&mut self) {
        self.jobs.clear();
    }

    /// Forgets what `changes` can make wrong: content and static changes reuse everything
    /// unchanged (each job checks its own inputs); templates and strings can change shortcode
    /// output inside Markdown; config.toml can change everything.
    pub fn forget_for(&mut self, changes: &[crate::input::ChangeKind]) {
        use crate::input::ChangeKind;
        if changes.contains(&ChangeKind::Config) {
            self.forget_all();
        } else if changes
            .iter()
            .any(|c| matches!(c, ChangeKind::Templates | ChangeKind::Strings))
        {
            self.forget_markdown();
        }
        if changes.contains(&ChangeKind::Strings) {
            self.i18n = None;
        }
    }

    /// Forgets what was read of the files at these paths (relative to the site folder, `/`
    /// separated), which the watcher saw change.
    pub fn forget_files<'a>(&mut self, paths: impl IntoIterator<Item = &'a str>) {
        for path in paths {
            self.parse.forget(path);
        }
    }

    /// When `changes` touch nothing but the text below the front matter of known pages and
    /// sections, puts the new texts into the last build's content tree for the next build,
    /// which then neither walks nor parses the content folder, nor rebuilds the values of
    /// pages whose text is unchanged. False when a full load is needed.
    fn patch_texts(&mut self, changes: &[Change], options: &BuildOptions) -> bool {
        if !self.retain
            || changes
                .iter()
                .any(|c| c.kind != crate::input::ChangeKind::Content)
        {
            return false;
        }
        let Some(content) = self.content.take() else {
            return false;
        };
        let mut paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        let Some(edits) = content.body_edits(&paths, &self.parse, load_options(options)) else {
            return false;
        };
        let mut content = Arc::try_unwrap(content).unwrap_or_else(|shared| (*shared).clone());
        let changed = content.apply_body_edits(edits, &mut self.parse);
        content.parse_cache = std::mem::take(&mut self.parse);
        self.patched = Some((content, changed));
        true
    }

    /// Forgets everything (config.toml changed).
    pub fn forget_all(&mut self) {
        *self = BuildCache {
            retain: self.retain,
            ..BuildCache::default()
        };
    }
}

/// Like `render_collecting`, reusing and refreshing `cache`.
pub fn render_cached(
    options: &BuildOptions,
    errors: &mut Vec<Diagnostic>,
    cache: &mut BuildCache,
) -> Result<Rendering> {
    render_into(options, errors, cache, None)
}
fn load_options(options: &BuildOptions) -> LoadOptions {
    LoadOptions {
        drafts: options.drafts,
        future: options.future,
        expired: options.expired,
        now: None,
    }
}

/// Counts a file put in the output on the build's progress line.
fn counted(options: &BuildOptions, put: Result<bool>) -> Result<bool> {
    if let (Some(progress), Ok(changed)) = (&options.progress, &put) {
        progress.inc(1);
        progress.inc_changed(u64::from(*changed));
    }
    put
}

/// The site folder: `--root`, or the current folder.
pub fn resolve_root(root: Option<&Path>) -> PathBuf {
    root.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
