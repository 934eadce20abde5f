//! One build from start to end: load, Markdown, analysis, values, jobs, render, output.

use super::markdown::{check_anchors, render_markdown, responsive_images};
use super::statics::{hash_statics, static_files};
use super::values::{page_values, zola_taxonomies};
use super::*;

/// Renders the site; with `output` (a folder from `output::resolve_output_dir`), writes each
/// file there as it is rendered instead of keeping it, and puts them all in place only when
/// the whole site rendered without an error.
pub(super) fn render_into(
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
