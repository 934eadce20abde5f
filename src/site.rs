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

/// A page's template values: the whole page, and the page as lists show it.
#[derive(Clone)]
struct PageValues {
    /// Hash of the view the values were made from; it also stands for the page value's own.
    page_hash: u64,
    page: Value,
    list: Value,
    list_hash: u64,
}

/// The template values of every page, in page order. A page whose view hashes as before keeps
/// its values (shared, not copied), and with them their hashes, which the job fingerprints use.
/// With `changed_texts` (the content is the last build's with only these pages' texts
/// changed), every other page keeps its values without its view being made again: a view
/// shows other pages only by title and path, which did not change.
fn page_values(
    config: &Config,
    content: &Content,
    dialect: Dialect,
    cache: &mut HashMap<String, PageValues>,
    retain: bool,
    changed_texts: Option<&TextChanges>,
) -> Vec<PageValues> {
    let previous = std::mem::take(cache);
    let values: Vec<PageValues> = (0..content.pages.len() as u32)
        .into_par_iter()
        .map(|i| {
            if changed_texts.is_some_and(|changed| !changed.has_page(PageId(i)))
                && let Some(known) = previous.get(&content.page(PageId(i)).path)
            {
                return known.clone();
            }
            let known = previous.get(&content.page(PageId(i)).path);
            if dialect.is_zola() {
                PageValues::of(
                    &zola::page_view(config, content, PageId(i)),
                    zola::list_value,
                    known,
                )
            } else {
                PageValues::of(
                    &views::page_view(config, content, PageId(i)),
                    views::list_value,
                    known,
                )
            }
        })
        .collect();
    if retain {
        *cache = content
            .pages
            .iter()
            .zip(&values)
            .map(|(page, values)| (page.path.clone(), values.clone()))
            .collect();
    }
    values
}

/// For a Zola site's templates: each taxonomy (in one language) with its terms, as
/// `get_taxonomy` returns it, and the terms as `get_taxonomy_term` returns them.
fn zola_taxonomies(config: &Config, content: &Content, list_values: &[Value]) -> Vec<TaxonomyValues> {
    (0..content.taxonomies.len())
        .map(|index| {
            let terms: Vec<Value> = (0..content.taxonomies[index].terms.len())
                .map(|term| zola::term_value(config, content, index, term, list_values))
                .collect();
            TaxonomyValues {
                whole: zola::taxonomy_value(config, content, index, &terms),
                kind: zola::taxonomy_config_value(config, content, index),
                terms,
            }
        })
        .collect()
}

impl PageValues {
    /// The values of a page's `view`, or the `known` ones when the view hashes as before.
    fn of(
        view: &impl serde::Serialize,
        list_value: fn(&Value) -> Value,
        known: Option<&PageValues>,
    ) -> PageValues {
        let page_hash = views::view_hash(view);
        if let Some(known) = known
            && known.page_hash == page_hash
        {
            return known.clone();
        }
        let page = Value::from_serializable(view);
        let list = list_value(&page);
        PageValues {
            page_hash,
            list_hash: crate::render::deps::ValueHashes::structural(&list),
            page,
            list,
        }
    }
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

/// Renders the site; with `output` (a folder from `output::resolve_output_dir`), writes each
/// file there as it is rendered instead of keeping it, and puts them all in place only when
/// the whole site rendered without an error.
fn render_into(
    options: &BuildOptions,
    errors: &mut Vec<Diagnostic>,
    cache: &mut BuildCache,
    output: Option<&Path>,
) -> Result<Rendering> {
    let mut timings = crate::timings::Timings::start();
    // The last tree is kept again only if this build succeeds.
    let (patched, changed_texts) = cache.patched.take().unzip();
    cache.content = None;
    let config = Arc::new(Config::load(&options.root, options.base_url.as_deref())?);
    let load_options = load_options(options);
    let cached_engine = cache.markdown_engine.clone();
    let retain = cache.retain;
    let parse_cache = std::mem::take(&mut cache.parse);
    let cached_i18n = cache.i18n.clone();
    let ((i18n, statics), (content, markdown)) = rayon::join(
        || {
            let i18n = match cached_i18n {
                Some(i18n) => Ok(i18n),
                None => I18n::load(&config).map(Arc::new),
            };
            (i18n, static_files(&config))
        },
        || {
            let content = match patched {
                Some(content) => Ok(content),
                None => Content::load_keeping(&config, load_options, &parse_cache, retain),
            };
            (
                content,
                cached_engine.unwrap_or_else(|| Arc::new(Markdown::new(&config))),
            )
        },
    );
    cache.markdown_engine = Some(markdown.clone());
    timings.mark("load");
    // Strings, static files and content fail independently: report all of their errors.
    let (i18n, statics, content) = match (i18n, statics, content) {
        (Ok(i18n), Ok(statics), Ok(content)) => (i18n, statics, content),
        (i18n, statics, content) => {
            let mut all = Vec::new();
            for err in [i18n.err(), statics.err(), content.err()].into_iter().flatten() {
                all.extend(err.diagnostics);
            }
            return Err(Error::from_list(all));
        }
    };
    if cache.retain {
        cache.i18n = Some(i18n.clone());
    }
    let (statics, mut warnings) = statics;
    let asset_hashes = Arc::new(hash_statics(&statics)?);
    timings.mark("hash statics");
    let mut renderer = Renderer::load(&config, &i18n, asset_hashes.clone())?;
    timings.mark("templates");
    let mut content = content;
    cache.parse = std::mem::take(&mut content.parse_cache);
    crate::content::taxonomy::localise_names(&config, &mut content, |lang, id| {
        i18n.has_message(lang, id)
            .then(|| i18n.translate(lang, id, None).ok())
            .flatten()
    });

    let images = responsive_images(&config, &content, errors);
    timings.mark("images");
    errors.extend(render_markdown(
        &config,
        &mut content,
        &markdown,
        &renderer,
        cache,
        &images,
        changed_texts.as_ref(),
    ));
    timings.mark("markdown");
    errors.extend(check_anchors(&config, &content));
    timings.mark("anchors");
    // A one-time build makes the search index now, before it lets go of the pages' text; the
    // preview server makes it on a thread of its own while the pages render (below).
    let (word_counts, readings, made) = if cache.retain {
        let readings =
            crate::search::read_pages(&config, &content, &mut cache.analysis, changed_texts.as_ref());
        (readings.word_counts.clone(), Some(readings), Vec::new())
    } else {
        let analysis = crate::search::analyze(&config, &content, &i18n);
        (analysis.word_counts, None, analysis.files)
    };
    timings.mark("analysis");
    if output.is_some() && !cache.retain {
        // A build that writes as it renders needs the Markdown source and the plain text no more: both are
        // as big as the site's text, and the pages are about to be rendered from their HTML.
        for page in &mut content.pages {
            page.body = "".into();
            page.rendered.text = "".into();
        }
        for section in &mut content.sections {
            section.body = "".into();
        }
    }
    for (page, words) in content.pages.iter_mut().zip(&word_counts) {
        page.rendered.word_count = *words;
        page.rendered.reading_time = crate::text::reading_time(*words);
    }

    let content = Arc::new(content);
    let mut index = match readings {
        Some(readings) => {
            let (config, content, i18n) = (config.clone(), content.clone(), i18n.clone());
            let mut languages = std::mem::take(&mut cache.analysis.languages);
            SearchIndex::Making(std::thread::spawn(move || {
                let files = crate::search::build_index(&config, &content, &i18n, readings, &mut languages);
                (files, languages)
            }))
        }
        None => SearchIndex::Made(made),
    };
    let dialect = renderer.dialect();
    let values = page_values(
        &config,
        &content,
        dialect,
        &mut cache.values,
        cache.retain,
        changed_texts.as_ref(),
    );
    timings.mark("page values");
    let page_hashes: Vec<u64> = values.iter().map(|v| v.page_hash).collect();
    let list_hashes: Vec<u64> = values.iter().map(|v| v.list_hash).collect();
    let (page_values, list_values): (Vec<Value>, Vec<Value>) =
        values.into_iter().map(|v| (v.page, v.list)).unzip();
    let section_values: Vec<Value> = (0..content.sections.len() as u32)
        .into_par_iter()
        .map(|i| match dialect.is_zola() {
            true => zola::section_value(&config, &content, SectionId(i), &list_values),
            false => views::section_value(&config, &content, SectionId(i), &list_values),
        })
        .collect();
    let taxonomies = match dialect.is_zola() {
        true => zola_taxonomies(&config, &content, &list_values),
        false => Vec::new(),
    };
    let config_values: Vec<Value> = match dialect.is_zola() {
        true => config
            .lang_ids()
            .map(|lang| zola::config_value(&config, lang))
            .collect(),
        false => vec![Value::from_serializable(&ConfigView::new(&config)); config.languages.len()],
    };
    timings.mark("values");
    let data = Arc::new(SiteData {
        config: config.clone(),
        content: content.clone(),
        dialect,
        page_values,
        list_values,
        section_values,
        taxonomies,
        config_values,
    });
    renderer.attach(data.clone());

    let mut jobs = jobs::list(&config, &content);
    jobs.retain(|job| jobs::is_written(job, &renderer));
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let previous = std::mem::take(&mut cache.jobs);
    let value_hashes = crate::render::deps::ValueHashes::new(&data, &page_hashes, &list_hashes);
    // In a save that changed only texts the tree keeps its shape, so values keep their places.
    let changed_values: Option<Vec<bool>> = changed_texts
        .as_ref()
        .filter(|_| cache.value_hashes.len() == value_hashes.by_id().len())
        .map(|_| {
            cache
                .value_hashes
                .iter()
                .zip(value_hashes.by_id())
                .map(|(before, now)| before != now)
                .collect()
        });
    if cache.retain {
        cache.value_hashes = value_hashes.by_id().to_vec();
    }
    timings.mark("jobs list");
    let job_renderer = JobRenderer {
        renderer: &renderer,
        versions: Versions {
            data: &data,
            values: &value_hashes,
            i18n: &i18n,
            asset_hashes: &asset_hashes,
            links: cache.link_targets,
            codes: &codes,
        },
        previous: &previous,
        changed_values: changed_values.as_deref(),
        records: Mutex::new(Vec::new()),
        rendered: Mutex::new(Vec::new()),
    };
    let mut files: Vec<OutputFile> = statics;
    if output.is_some() {
        files.extend(index.files(&mut cache.analysis));
        index = SearchIndex::Made(Vec::new());
    }
    let shown = |path: &Path| {
        path.strip_prefix(&config.root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    for (source, out) in &content.assets {
        files.push(OutputFile {
            path: out.clone(),
            bytes: Bytes::Copy(source.clone()),
            source: shown(source),
        });
    }
    for (page, images) in content.pages.iter().zip(&images) {
        for variant in images.iter().flat_map(|i| &i.variants) {
            files.push(OutputFile {
                path: format!("{}{}", page.path.trim_start_matches('/'), variant.name),
                bytes: Bytes::Copy(variant.cached.clone()),
                source: format!("a resized copy of {}", shown(&variant.cached)),
            });
        }
    }
    for page in &content.pages {
        for asset in &page.assets {
            let name = asset.file_name().unwrap_or_default().to_string_lossy();
            files.push(OutputFile {
                path: format!("{}{name}", page.path.trim_start_matches('/')),
                bytes: Bytes::Copy(asset.clone()),
                source: shown(asset),
            });
        }
    }
    warnings.extend(renderer.warnings.iter().cloned());
    warnings.extend(config.ignored_keys_warning());
    warnings.extend(content.warnings.iter().cloned());
    warnings.extend(i18n.warnings.iter().cloned());
    warnings.extend(i18n.missing_reports());
    timings.mark("other files");

    // Writing as it renders: every path is known before anything is rendered, so collisions
    // and whatever stands in the way are found before a single file is written.
    let mut writer = match output {
        Some(dir) if errors.is_empty() => {
            let mut listed: Vec<(String, String)> = jobs
                .iter()
                .map(|job| (job.output_path(&config, &content), job.source(&config, &content)))
                .collect();
            listed.extend(files.iter().map(|f| (f.path.clone(), f.source.clone())));
            let writer = output::Writer::open(dir, &listed)?;
            if let Some(progress) = &options.progress {
                progress.set_total(listed.len() as u64);
            }
            let staged: Vec<Result<bool>> = files
                .par_iter()
                .map(|file| counted(options, writer.put(file)))
                .collect();
            if let Err(err) = collect_all(staged) {
                writer.abort();
                return Err(err);
            }
            files.clear();
            Some(writer)
        }
        _ => None,
    };
    let outputs: Vec<Result<Option<OutputFile>>> = jobs
        .par_iter()
        .map(|job| {
            let expected = job.output_path(&config, &content);
            let (path, text) = match job_renderer.unchanged(&expected) {
                Some(text) => (expected.clone(), text),
                None => render_job(&job_renderer, &data, job)?,
            };
            if path != expected {
                return Err(Error::new(Diagnostic::error(
                    job.source(&config, &content),
                    format!("internal error: rendered to {path}, listed as {expected}"),
                )));
            }
            let file = OutputFile {
                path,
                bytes: Bytes::Text(text),
                source: job.source(&config, &content),
            };
            match &writer {
                Some(writer) => counted(options, writer.put(&file)).map(|_| None),
                None => Ok(Some(file)),
            }
        })
        .collect();
    let JobRenderer {
        records, rendered, ..
    } = job_renderer;
    let mut processed = renderer.processed_images();
    if cache.retain {
        cache.processed_images.extend(processed);
        processed = cache.processed_images.clone().into_iter().collect();
    }
    let processed: Vec<OutputFile> = processed
        .into_iter()
        .filter(|(_, cached)| cached.is_file())
        .map(|(path, cached)| OutputFile {
            source: format!("resize_image() ({})", shown(&cached)),
            path,
            bytes: Bytes::Copy(cached),
        })
        .collect();
    let mut leftovers = Leftovers::default();
    leftovers.keep(previous);
    leftovers.keep(renderer);
    leftovers.keep(data);
    leftovers.keep(value_hashes);
    if cache.retain {
        cache.jobs = records.into_inner().unwrap_or_default().into_iter().collect();
    }
    let mut rendered = rendered.into_inner().unwrap_or_default();
    rendered.sort();
    timings.mark("render");
    match collect_all(outputs) {
        Ok(made) => files.extend(made.into_iter().flatten()),
        Err(err) => errors.extend(err.diagnostics),
    }
    files.extend(index.files(&mut cache.analysis));
    match &mut writer {
        Some(writer) => {
            for file in &processed {
                if let Err(err) = writer.add(file) {
                    errors.extend(err.diagnostics);
                }
            }
        }
        None => files.extend(processed),
    }
    let written = match writer {
        Some(writer) if errors.is_empty() => Some(writer.commit()?),
        Some(writer) => {
            writer.abort();
            None
        }
        None => {
            let listed: Vec<(String, String)> =
                files.iter().map(|f| (f.path.clone(), f.source.clone())).collect();
            if let Err(err) = output::check_collisions(&listed) {
                errors.extend(err.diagnostics);
            }
            None
        }
    };
    if cache.retain && errors.is_empty() {
        cache.content = Some(content.clone());
    }
    Ok(Rendering {
        config,
        i18n,
        content,
        files,
        warnings,
        rendered,
        written,
        leftovers,
        dialect,
    })
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

/// The search index of a build: made, or being made on another thread.
enum SearchIndex {
    Made(Vec<crate::search::IndexFile>),
    Making(std::thread::JoinHandle<(Vec<crate::search::IndexFile>, crate::search::IndexCache)>),
}

impl SearchIndex {
    /// The index's files, waiting for them if they are being made; `cache` gets back the
    /// languages' index cache the thread took.
    fn files(self, cache: &mut crate::search::AnalysisCache) -> Vec<OutputFile> {
        let made = match self {
            SearchIndex::Made(files) => files,
            SearchIndex::Making(thread) => match thread.join() {
                Ok((files, languages)) => {
                    cache.languages = languages;
                    files
                }
                Err(panic) => std::panic::resume_unwind(panic),
            },
        };
        made.into_iter()
            .map(|f| OutputFile {
                path: f.path,
                bytes: Bytes::Owned(f.json.into_bytes()),
                source: "the search index".to_owned(),
            })
            .collect()
    }
}

/// Renders the Markdown of every page and section, taking from `cache` what was rendered from
/// the same text. With `changed` (a text-only save: the tree is the last build's), only those
/// pages and sections are rendered; the others keep the rendering they carry.
fn render_markdown(
    config: &Config,
    content: &mut Content,
    markdown: &Markdown,
    renderer: &Renderer,
    cache: &mut BuildCache,
    images: &[Vec<crate::images::Responsive>],
    changed: Option<&TextChanges>,
) -> Vec<Diagnostic> {
    let content_ref: &Content = content;
    // A text-only save moves no page, so the link targets are the last build's.
    if changed.is_none() {
        let link_targets = link_fingerprint(config, content_ref);
        if link_targets != cache.link_targets {
            cache.markdown.clear();
            cache.link_targets = link_targets;
        }
    }
    let previous = &cache.markdown;
    let no_images = Vec::new();
    // Zola: a section's `insert_anchor_links` holds for it and the pages directly in it.
    let anchor_links = |section: SectionId| {
        content_ref.sections[section.0 as usize]
            .meta
            .insert_anchor_links
            .unwrap_or(config.markdown.insert_anchor_links)
    };
    // A Zola site's shortcodes see the page or section their text belongs to.
    let zola_shortcodes = config.migration.from_zola;
    let may_call = |body: &str| zola_shortcodes && (body.contains("{{") || body.contains("{%"));
    let render = |body: &str,
                  file: &str,
                  first_line: usize,
                  lang: LangId,
                  images: &[crate::images::Responsive],
                  anchor_links: AnchorLinks,
                  owner: Option<(&str, tera::Value)>| {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&first_line.to_le_bytes());
        hasher.update(&[anchor_links as u8]);
        hasher.update(body.as_bytes());
        if !images.is_empty() {
            hash_debug(&mut hasher, &images);
        }
        if let Some(owner) = &owner {
            hash_debug(&mut hasher, owner);
        }
        let key = hasher.digest();
        if let Some((seen, rendered)) = previous.get(&(file.to_owned(), lang))
            && *seen == key
        {
            return (key, rendered.clone(), true);
        }
        let cx = RenderContext {
            config,
            content: content_ref,
            shortcodes: renderer,
            file,
            first_line,
            lang,
            images,
            anchor_links,
            shortcode_owner: owner.as_ref().map(|(name, value)| (*name, value)),
        };
        (key, markdown.render(body, &cx), false)
    };
    let pages: Vec<Option<(u64, Rendered, bool)>> = content_ref
        .pages
        .par_iter()
        .zip(images.par_iter())
        .enumerate()
        .map(|(i, (p, images))| {
            changed.is_none_or(|c| c.has_page(PageId(i as u32))).then(|| {
                let links = anchor_links(p.section);
                let id = PageId(i as u32);
                let owner = may_call(&p.body).then(|| {
                    (
                        "page",
                        crate::render::zola::shortcode_page_value(config, content_ref, id),
                    )
                });
                render(
                    &p.body,
                    &p.file.shown_as,
                    p.body_line,
                    p.file.lang,
                    images,
                    links,
                    owner,
                )
            })
        })
        .collect();
    let sections: Vec<Option<(u64, Rendered, bool)>> = content_ref
        .sections
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            changed
                .is_none_or(|c| c.has_section(SectionId(i as u32)))
                .then(|| {
                    let id = SectionId(i as u32);
                    let owner = may_call(&s.body).then(|| {
                        let value = crate::render::zola::shortcode_section_value(config, content_ref, id);
                        ("section", value)
                    });
                    render(
                        &s.body,
                        &s.shown_as(),
                        s.body_line,
                        s.lang,
                        &no_images,
                        anchor_links(id),
                        owner,
                    )
                })
        })
        .collect();
    // Only renders without errors are kept: a broken page is rendered (and reported) again.
    // Entries that were reused (or not looked at) move to the new cache as they are; only new
    // renders are copied.
    let mut old = std::mem::take(&mut cache.markdown);
    if cache.retain {
        let keys = content_ref
            .pages
            .iter()
            .map(|p| (p.file.shown_as.clone(), p.file.lang))
            .zip(&pages)
            .chain(
                content_ref
                    .sections
                    .iter()
                    .map(|s| (s.shown_as(), s.lang))
                    .zip(&sections),
            );
        for (key, made) in keys {
            match made {
                Some((hash, rendered, false)) => {
                    if rendered.errors.is_empty() {
                        cache.markdown.insert(key, (*hash, rendered.clone()));
                    }
                }
                None | Some((_, _, true)) => {
                    if let Some(entry) = old.remove(&key) {
                        cache.markdown.insert(key, entry);
                    }
                }
            }
        }
    }
    let mut errors = Vec::new();
    let mut keep = |mut rendered: Rendered| {
        for diagnostic in std::mem::take(&mut rendered.errors) {
            if !errors.contains(&diagnostic) {
                errors.push(diagnostic);
            }
        }
        rendered
    };
    for (page, made) in content.pages.iter_mut().zip(pages) {
        if let Some((_, rendered, _)) = made {
            page.rendered = keep(rendered);
        }
    }
    for (section, made) in content.sections.iter_mut().zip(sections) {
        if let Some((_, rendered, _)) = made {
            section.rendered = keep(rendered);
        }
    }
    errors
}

/// The responsive images of every page (indexed by page), with their copies made.
fn responsive_images(
    config: &Config,
    content: &Content,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Vec<crate::images::Responsive>> {
    let plans: Vec<Vec<crate::images::Responsive>> = content
        .pages
        .par_iter()
        .map(|page| {
            page.assets
                .iter()
                .filter_map(|a| crate::images::plan(&config.root, a))
                .collect()
        })
        .collect();
    // A bundle shared by translations is resized once.
    let mut unique: Vec<&crate::images::Responsive> = plans.iter().flatten().collect();
    unique.sort_by(|a, b| a.source.cmp(&b.source));
    unique.dedup_by(|a, b| a.source == b.source);
    let made: Vec<Result<()>> = unique
        .par_iter()
        .map(|image| crate::images::make(image))
        .collect();
    if let Err(err) = collect_all(made) {
        errors.extend(err.diagnostics);
    }
    plans
}

/// A hash of every URL a Markdown link can resolve to.
fn link_fingerprint(config: &Config, content: &Content) -> u64 {
    let mut text = config.base_url.clone();
    for page in &content.pages {
        text.push('\n');
        text.push_str(&page.file.canonical_key);
        text.push(' ');
        text.push_str(&page.path);
    }
    for section in &content.sections {
        text.push('\n');
        text.push_str(&section.path);
    }
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// `@/page.md#anchor` must name a heading of that page.
fn check_anchors(config: &Config, content: &Content) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for page in &content.pages {
        for link in &page.rendered.anchor_links {
            if !content.target_anchors(link.target).contains(&link.anchor) {
                let known = content.target_anchors(link.target).join(", ");
                diagnostics.push(
                    Diagnostic::error(
                        page.file.shown_as.clone(),
                        format!(
                            "the link points to #{}, which is not a heading of {}",
                            link.anchor,
                            config.permalink(content.target_path(link.target))
                        ),
                    )
                    .at(link.line, link.column)
                    .hint(if known.is_empty() {
                        "that page has no headings".to_owned()
                    } else {
                        format!("its headings are: {known}")
                    }),
                );
            }
        }
    }
    diagnostics
}

/// Static files: the theme's first, then the site's `static/`, which wins on equal paths, then
/// the stylesheets compiled from `sass/` (with `compile_sass = true`).
fn static_files(config: &Config) -> Result<(Vec<OutputFile>, Vec<Diagnostic>)> {
    let mut warnings = Vec::new();
    let mut files: HashMap<String, (Bytes, String)> = HashMap::new();
    let theme = format!("themes/{}/static", config.theme);
    let theme_dir = config.root.join(&theme);
    if theme_dir.is_dir() {
        let (found, links) = crate::fs::files_below(&theme_dir, &config.root, &theme)?;
        warnings.extend(links);
        for (rel, path) in found {
            let source = format!("{theme}/{rel}");
            files.insert(rel, (Bytes::Copy(path), source));
        }
    } else if !zola::has_own_templates(config) {
        // A Zola site rendered with its own templates has no use for mekong's theme files.
        for file in crate::embedded::theme_files(&config.theme, "static") {
            let source = format!("(built-in) {theme}/{}", file.path);
            files.insert(file.path, (Bytes::Static(file.bytes), source));
        }
    }
    let site_dir = config.root.join("static");
    if site_dir.is_dir() {
        let (found, links) = crate::fs::files_below(&site_dir, &config.root, "static")?;
        warnings.extend(links);
        for (rel, path) in found {
            let source = format!("static/{rel}");
            files.insert(rel, (Bytes::Copy(path), source));
        }
    }
    // Zola writes the compiled stylesheets over static files of the same name.
    let (compiled, links) = crate::sass::compile(config)?;
    warnings.extend(links);
    for file in compiled {
        files.insert(file.path, (file.bytes, file.source));
    }
    let mut files: Vec<OutputFile> = files
        .into_iter()
        .map(|(path, (bytes, source))| OutputFile { path, bytes, source })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, warnings))
}

/// Short content hashes of static files, for cache-busting `asset()` URLs.
fn hash_statics(files: &[OutputFile]) -> Result<HashMap<String, String>> {
    let hashes = files
        .par_iter()
        .map(|file| {
            let hash = match &file.bytes {
                Bytes::Owned(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
                Bytes::Static(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
                Bytes::Text(text) => xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
                Bytes::Copy(path) => xxhash_rust::xxh3::xxh3_64(&crate::fs::read(path)?),
            };
            Ok((file.path.clone(), format!("{:08x}", hash >> 32)))
        })
        .collect::<Vec<_>>();
    Ok(collect_all(hashes)?.into_iter().collect())
}

/// The site folder: `--root`, or the current folder.
pub fn resolve_root(root: Option<&Path>) -> PathBuf {
    root.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
