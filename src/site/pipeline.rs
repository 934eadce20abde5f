//! One build from start to end. `render_into` is the list of its stages: load the inputs;
//! render the Markdown and read the pages; make the template values; list the jobs and the
//! other files; render the jobs, writing each as it is made; put everything in place.

use super::markdown::{check_anchors, render_markdown, responsive_images};
use super::statics::{hash_statics, static_files};
use super::values::{page_values, zola_taxonomies};
use super::*;
use crate::images::Responsive;
use crate::render::deps::ValueHashes;
use crate::timings::Timings;

/// Renders the site; with `output` (a folder from `output::resolve_output_dir`), writes each
/// file there as it is rendered instead of keeping it, and puts them all in place only when
/// the whole site rendered without an error.
pub(super) fn render_into(
    options: &BuildOptions,
    errors: &mut Vec<Diagnostic>,
    cache: &mut BuildCache,
    output: Option<&Path>,
) -> Result<Rendering> {
    let (mut build, inputs) = Build::load(options, cache, output.is_some())?;
    let Inputs {
        statics,
        mut warnings,
        content,
        markdown,
    } = inputs;
    let asset_hashes = Arc::new(hash_statics(&statics)?);
    build.timings.mark("hash statics");
    let mut renderer = Renderer::load(&build.config, &build.i18n, asset_hashes.clone())?;
    build.timings.mark("templates");
    if renderer.dialect().is_zola() {
        // A Zola site's shortcodes may ask `get_url` for a page's URL while the Markdown renders.
        renderer.attach_links(Arc::new(content.links()));
    }
    let (content, images, mut index) = build.texts(content, &markdown, &renderer, cache, errors);
    let dialect = renderer.dialect();
    let (data, value_hashes) = build.values(&content, dialect, cache);
    renderer.attach(data.clone());

    let mut jobs = jobs::list(&build.config, &content);
    jobs.retain(|job| jobs::is_written(job, &renderer));
    let changed_values = build.changed_values(cache, &value_hashes);
    build.timings.mark("jobs list");
    let codes: Vec<String> = build.config.languages.iter().map(|l| l.code.clone()).collect();
    let previous = std::mem::take(&mut cache.jobs);
    let job_renderer = JobRenderer {
        renderer: &renderer,
        versions: Versions {
            data: &data,
            values: &value_hashes,
            i18n: &build.i18n,
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
    if build.writes {
        files.extend(index.files(&mut cache.analysis));
        index = SearchIndex::Made(Vec::new());
    }
    files.extend(build.other_files(&content, &images));
    warnings.extend(build.warnings(&content, &renderer));
    build.timings.mark("other files");

    let writer = match output {
        Some(dir) if errors.is_empty() => Some(build.open_writer(dir, &content, &jobs, &mut files)?),
        _ => None,
    };
    let outputs = build.render_jobs(&job_renderer, &data, &content, &jobs, writer.as_ref());
    let JobRenderer {
        records, rendered, ..
    } = job_renderer;
    let copies = build.resized_copies(&renderer, cache);
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
    build.timings.mark("render");

    match collect_all(outputs) {
        Ok(made) => files.extend(made.into_iter().flatten()),
        Err(err) => errors.extend(err.diagnostics),
    }
    files.extend(index.files(&mut cache.analysis));
    let written = finish(writer, &mut files, copies, errors)?;
    if cache.retain && errors.is_empty() {
        cache.content = Some(content.clone());
    }
    Ok(Rendering {
        config: build.config,
        i18n: build.i18n,
        content,
        files,
        warnings,
        rendered,
        written,
        leftovers,
        dialect,
    })
}

/// What every stage of one build reads.
struct Build<'a> {
    options: &'a BuildOptions,
    config: Arc<Config>,
    i18n: Arc<I18n>,
    /// In a save that changed only texts (the content tree is the last build's): the pages
    /// and sections whose text changed.
    changed_texts: Option<TextChanges>,
    /// Whether the files are written as they are rendered (`mekong build`), so that nothing
    /// needs to be kept once it is written.
    writes: bool,
    timings: Timings,
}

/// The inputs of a build besides config and strings.
struct Inputs {
    /// Static files and compiled stylesheets.
    statics: Vec<OutputFile>,
    warnings: Vec<Diagnostic>,
    content: Content,
    markdown: Arc<Markdown>,
}

impl<'a> Build<'a> {
    /// Reads config, then strings, static files and content side by side (or takes them from
    /// `cache`), reporting the errors of all three at once.
    fn load(options: &'a BuildOptions, cache: &mut BuildCache, writes: bool) -> Result<(Build<'a>, Inputs)> {
        let mut timings = Timings::start();
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
                // A Zola site rendered with its own templates has a stylesheet for Zola's classes.
                let classes = match zola::has_own_templates(&config) {
                    true => crate::markdown::ZOLA_HIGHLIGHT_CLASS_PREFIX,
                    false => crate::markdown::HIGHLIGHT_CLASS_PREFIX,
                };
                let markdown = cached_engine
                    .filter(|engine| engine.class_prefix() == classes)
                    .unwrap_or_else(|| Arc::new(Markdown::new(&config).with_class_prefix(classes)));
                (content, markdown)
            },
        );
        cache.markdown_engine = Some(markdown.clone());
        timings.mark("load");
        // Strings, static files and content fail independently: report all of their errors.
        let (i18n, (statics, warnings), mut content) = match (i18n, statics, content) {
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
        cache.parse = std::mem::take(&mut content.parse_cache);
        let build = Build {
            options,
            config,
            i18n,
            changed_texts,
            writes,
            timings,
        };
        let inputs = Inputs {
            statics,
            warnings,
            content,
            markdown,
        };
        Ok((build, inputs))
    }

    /// Renders the Markdown of pages and sections, checks their anchors and reads their text
    /// for word counts and the search index. A one-time build makes the index now, before it
    /// lets go of the pages' text; the preview server makes it on a thread of its own while
    /// the pages render.
    fn texts(
        &mut self,
        mut content: Content,
        markdown: &Markdown,
        renderer: &Renderer,
        cache: &mut BuildCache,
        errors: &mut Vec<Diagnostic>,
    ) -> (Arc<Content>, Vec<Vec<Responsive>>, SearchIndex) {
        let (config, i18n) = (&self.config, &self.i18n);
        let changed_texts = self.changed_texts.as_ref();
        crate::content::taxonomy::localise_names(config, &mut content, |lang, id| {
            i18n.has_message(lang, id)
                .then(|| i18n.translate(lang, id, None).ok())
                .flatten()
        });
        let images = responsive_images(config, &content, errors);
        self.timings.mark("images");
        errors.extend(render_markdown(
            config,
            &mut content,
            markdown,
            renderer,
            cache,
            &images,
            changed_texts,
        ));
        self.timings.mark("markdown");
        errors.extend(check_anchors(config, &content));
        self.timings.mark("anchors");
        let (word_counts, readings, made) = if cache.retain {
            let readings = crate::search::read_pages(config, &content, &mut cache.analysis, changed_texts);
            (readings.word_counts.clone(), Some(readings), Vec::new())
        } else {
            let analysis = crate::search::analyze(config, &content, i18n);
            (analysis.word_counts, None, analysis.files)
        };
        self.timings.mark("analysis");
        if self.writes && !cache.retain {
            // The Markdown source and the plain text are needed no more: both are as big as
            // the site's text, and the pages are about to be rendered from their HTML.
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
        let index = match readings {
            Some(readings) => {
                let (config, content, i18n) = (config.clone(), content.clone(), i18n.clone());
                let mut languages = std::mem::take(&mut cache.analysis.languages);
                SearchIndex::Making(std::thread::spawn(move || {
                    let files =
                        crate::search::build_index(&config, &content, &i18n, readings, &mut languages);
                    (files, languages)
                }))
            }
            None => SearchIndex::Made(made),
        };
        (content, images, index)
    }

    /// The values templates read (pages, lists, sections, taxonomies, config) in the shapes
    /// of `dialect`, and their hashes.
    fn values(
        &mut self,
        content: &Arc<Content>,
        dialect: Dialect,
        cache: &mut BuildCache,
    ) -> (Arc<SiteData>, ValueHashes) {
        let config = &self.config;
        let values = page_values(
            config,
            content,
            dialect,
            &mut cache.values,
            cache.retain,
            self.changed_texts.as_ref(),
        );
        self.timings.mark("page values");
        let page_hashes: Vec<u64> = values.iter().map(|v| v.page_hash).collect();
        let list_hashes: Vec<u64> = values.iter().map(|v| v.list_hash).collect();
        let (page_values, list_values): (Vec<Value>, Vec<Value>) =
            values.into_iter().map(|v| (v.page, v.list)).unzip();
        let section_values: Vec<Value> = (0..content.sections.len() as u32)
            .into_par_iter()
            .map(|i| match dialect.is_zola() {
                true => zola::section_value(config, content, SectionId(i), &list_values),
                false => views::section_value(config, content, SectionId(i), &list_values),
            })
            .collect();
        let taxonomies = match dialect.is_zola() {
            true => zola_taxonomies(config, content, &list_values),
            false => Vec::new(),
        };
        let config_values: Vec<Value> = match dialect.is_zola() {
            true => config
                .lang_ids()
                .map(|lang| zola::config_value(config, lang))
                .collect(),
            false => vec![Value::from_serializable(&ConfigView::new(config)); config.languages.len()],
        };
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
        let hashes = ValueHashes::new(&data, &page_hashes, &list_hashes);
        self.timings.mark("values");
        (data, hashes)
    }

    /// In a save that changed only texts, which site values changed since the last build, by
    /// `ValueId`: such a save keeps the tree's shape, so values keep their places. Keeps this
    /// build's hashes for the next.
    fn changed_values(&self, cache: &mut BuildCache, hashes: &ValueHashes) -> Option<Vec<bool>> {
        let changed = self
            .changed_texts
            .as_ref()
            .filter(|_| cache.value_hashes.len() == hashes.by_id().len())
            .map(|_| {
                cache
                    .value_hashes
                    .iter()
                    .zip(hashes.by_id())
                    .map(|(before, now)| before != now)
                    .collect()
            });
        if cache.retain {
            cache.value_hashes = hashes.by_id().to_vec();
        }
        changed
    }

    /// Files copied as they are: the assets of sections and page bundles, and the resized
    /// copies of pages' images.
    fn other_files(&self, content: &Content, images: &[Vec<Responsive>]) -> Vec<OutputFile> {
        let mut files = Vec::new();
        for (source, out) in &content.assets {
            files.push(OutputFile {
                path: out.clone(),
                bytes: Bytes::Copy(source.clone()),
                source: self.shown(source),
            });
        }
        for (page, images) in content.pages.iter().zip(images) {
            for variant in images.iter().flat_map(|i| &i.variants) {
                files.push(OutputFile {
                    path: format!("{}{}", page.path.trim_start_matches('/'), variant.name),
                    bytes: Bytes::Copy(variant.cached.clone()),
                    source: format!("a resized copy of {}", self.shown(&variant.cached)),
                });
            }
        }
        for page in &content.pages {
            for asset in &page.assets {
                let name = asset.file_name().unwrap_or_default().to_string_lossy();
                files.push(OutputFile {
                    path: format!("{}{name}", page.path.trim_start_matches('/')),
                    bytes: Bytes::Copy(asset.clone()),
                    source: self.shown(asset),
                });
            }
        }
        files
    }

    /// The warnings of templates, config, content and strings.
    fn warnings(&self, content: &Content, renderer: &Renderer) -> Vec<Diagnostic> {
        let mut warnings = renderer.warnings.clone();
        warnings.extend(self.config.ignored_keys_warning());
        warnings.extend(content.warnings.iter().cloned());
        warnings.extend(self.i18n.warnings.iter().cloned());
        warnings.extend(self.i18n.missing_reports());
        warnings
    }

    /// Opens the staged writer over `dir` and puts `files` (everything but the jobs) into it.
    /// Every path is known before anything is rendered, so collisions and whatever stands in
    /// the way are found before a single file is written.
    fn open_writer<'d>(
        &self,
        dir: &'d Path,
        content: &Content,
        jobs: &[jobs::Job],
        files: &mut Vec<OutputFile>,
    ) -> Result<output::Writer<'d>> {
        let config = &self.config;
        let mut listed: Vec<(String, String)> = jobs
            .iter()
            .map(|job| (job.output_path(config, content), job.source(config, content)))
            .collect();
        listed.extend(files.iter().map(|f| (f.path.clone(), f.source.clone())));
        let writer = output::Writer::open(dir, &listed)?;
        if let Some(progress) = &self.options.progress {
            progress.set_total(listed.len() as u64);
        }
        let staged: Vec<Result<bool>> = files
            .par_iter()
            .map(|file| counted(self.options, writer.put(file)))
            .collect();
        if let Err(err) = collect_all(staged) {
            writer.abort();
            return Err(err);
        }
        files.clear();
        Ok(writer)
    }

    /// Renders every job (or takes its last output), in parallel: each file goes to `writer`
    /// when there is one, else it is returned.
    fn render_jobs(
        &self,
        job_renderer: &JobRenderer<'_>,
        data: &SiteData,
        content: &Content,
        jobs: &[jobs::Job],
        writer: Option<&output::Writer<'_>>,
    ) -> Vec<Result<Option<OutputFile>>> {
        let config = &self.config;
        jobs.par_iter()
            .map(|job| {
                let expected = job.output_path(config, content);
                let (path, text) = match job_renderer.unchanged(&expected) {
                    Some(text) => (expected.clone(), text),
                    None => render_job(job_renderer, data, job)?,
                };
                if path != expected {
                    return Err(Error::new(Diagnostic::error(
                        job.source(config, content),
                        format!("internal error: rendered to {path}, listed as {expected}"),
                    )));
                }
                let file = OutputFile {
                    path,
                    bytes: Bytes::Text(text),
                    source: job.source(config, content),
                };
                match writer {
                    Some(writer) => counted(self.options, writer.put(&file)).map(|_| None),
                    None => Ok(Some(file)),
                }
            })
            .collect()
    }

    /// The copies Zola's `resize_image` made; the preview server keeps them all, since a page
    /// taken from the last build does not ask for its copies again.
    fn resized_copies(&self, renderer: &Renderer, cache: &mut BuildCache) -> Vec<OutputFile> {
        let mut processed = renderer.processed_images();
        if cache.retain {
            cache.processed_images.extend(processed);
            processed = cache.processed_images.clone().into_iter().collect();
        }
        processed
            .into_iter()
            .filter(|(_, cached)| cached.is_file())
            .map(|(path, cached)| OutputFile {
                source: format!("resize_image() ({})", self.shown(&cached)),
                path,
                bytes: Bytes::Copy(cached),
            })
            .collect()
    }

    /// `path` as the user knows it: relative to the site folder.
    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.config.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// Puts the files made after the jobs (`copies`) in place and, when nothing failed, commits
/// the writer; without a writer, checks that no two files claim one path.
fn finish(
    writer: Option<output::Writer<'_>>,
    files: &mut Vec<OutputFile>,
    copies: Vec<OutputFile>,
    errors: &mut Vec<Diagnostic>,
) -> Result<Option<WriteStats>> {
    let Some(mut writer) = writer else {
        files.extend(copies);
        let listed: Vec<(String, String)> =
            files.iter().map(|f| (f.path.clone(), f.source.clone())).collect();
        if let Err(err) = output::check_collisions(&listed) {
            errors.extend(err.diagnostics);
        }
        return Ok(None);
    };
    for file in &copies {
        if let Err(err) = writer.add(file) {
            errors.extend(err.diagnostics);
        }
    }
    if errors.is_empty() {
        Ok(Some(writer.commit()?))
    } else {
        writer.abort();
        Ok(None)
    }
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
