//! Every output file is a job: a flat list that can be inspected without rendering and
//! rendered in parallel.

pub(crate) mod render;
mod zola;

use crate::config::Config;
use crate::config::LangId;
use crate::content::{Content, PageId, SectionId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Page(PageId),
    /// List page `pager` (0-based) of a section.
    Section {
        id: SectionId,
        pager: usize,
    },
    /// The list of all terms of `Content::taxonomies[index]`.
    TaxonomyList {
        index: usize,
    },
    /// List page `pager` of one term.
    Term {
        index: usize,
        term: usize,
        pager: usize,
    },
    /// A redirect from an old path (`aliases`) to `to` (a site path).
    Alias {
        from: String,
        to: String,
        lang: LangId,
    },
    NotFound {
        lang: LangId,
    },
    /// List page `pager` of archive `archive` of a section.
    Archive {
        id: SectionId,
        archive: usize,
        pager: usize,
    },
    /// The GeoJSON file of a route page.
    RouteGeoJson(PageId),
    /// The search page of a language.
    Search {
        lang: LangId,
    },
    Sitemap,
    Robots,
    Feed {
        source: FeedSource,
        format: FeedFormat,
    },
}

/// Which pages a feed follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedSource {
    /// Every article of a language.
    Language(LangId),
    Section(SectionId),
    Term {
        index: usize,
        term: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Atom,
    Rss,
}

impl FeedFormat {
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
        }
    }
}

fn feeds(jobs: &mut Vec<Job>, config: &Config, source: FeedSource) {
    let files = config.feed_files;
    for format in [FeedFormat::Atom, FeedFormat::Rss] {
        let wanted = match format {
            FeedFormat::Atom => files.atom,
            FeedFormat::Rss => files.rss,
        };
        if wanted {
            jobs.push(Job::Feed { source, format });
        }
    }
}

/// Pages per list page of a section or term; everything on one page when unset.
pub fn pager_count(items: usize, per_page: Option<usize>) -> usize {
    match per_page {
        Some(per) if per > 0 => items.div_ceil(per).max(1),
        _ => 1,
    }
}

/// Site path of list page `pager` (0-based) of a list at `base`.
pub fn pager_path(base: &str, pager: usize) -> String {
    pager_path_in(base, "page", pager)
}

/// Like `pager_path`, with list pages in the folder `name` (a section's `paginate_path`).
pub fn pager_path_in(base: &str, name: &str, pager: usize) -> String {
    let name = name.trim_matches('/');
    if pager == 0 {
        base.to_owned()
    } else if name.is_empty() {
        format!("{base}{}/", pager + 1)
    } else {
        format!("{base}{name}/{}/", pager + 1)
    }
}

/// The folder of a section's list pages: Zola's `paginate_path`, `page` by default.
pub fn section_pager_name(section: &crate::content::Section) -> &str {
    section.meta.paginate_path.as_deref().unwrap_or("page")
}

/// Whether `job` is written with the site's templates: a Zola site's templates have no search
/// or archive pages of mekong's unless they give `search.html` or `archive.html`.
pub fn is_written(job: &Job, renderer: &crate::render::Renderer) -> bool {
    match job {
        Job::Search { .. } if renderer.dialect().is_zola() => renderer.has_template("search.html"),
        Job::Archive { .. } if renderer.dialect().is_zola() => renderer.has_template("archive.html"),
        _ => true,
    }
}

pub fn list(config: &Config, content: &Content) -> Vec<Job> {
    // Zola's `render = false` keeps a page out of the output (lists still show it).
    let mut jobs: Vec<Job> = (0..content.pages.len() as u32)
        .filter(|i| content.page(PageId(*i)).meta.render != Some(false))
        .map(|i| Job::Page(PageId(i)))
        .collect();
    for (i, page) in content.pages.iter().enumerate() {
        if crate::geo::located(&page.meta.stops).is_some() {
            jobs.push(Job::RouteGeoJson(PageId(i as u32)));
        }
    }
    for (i, section) in content.sections.iter().enumerate().filter(|(_, s)| !s.hidden) {
        for (archive, entry) in section.archives.iter().enumerate() {
            for pager in 0..pager_count(entry.pages.len(), section.meta.paginate_by) {
                jobs.push(Job::Archive {
                    id: SectionId(i as u32),
                    archive,
                    pager,
                });
            }
        }
        if section.meta.feed {
            feeds(&mut jobs, config, FeedSource::Section(SectionId(i as u32)));
        }
        for alias in &section.meta.aliases {
            jobs.push(Job::Alias {
                from: alias_path(alias),
                to: section.path.clone(),
                lang: section.lang,
            });
        }
        // Zola: `redirect_to` writes a redirect where the section's page would be, and
        // `render = false` writes nothing there.
        if let Some(target) = &section.meta.redirect_to {
            jobs.push(Job::Alias {
                from: section.path.clone(),
                to: redirect_target(target),
                lang: section.lang,
            });
            continue;
        }
        if section.meta.render == Some(false) {
            continue;
        }
        for pager in 0..pager_count(section.pages.len(), section.meta.paginate_by) {
            jobs.push(Job::Section {
                id: SectionId(i as u32),
                pager,
            });
        }
    }
    for (index, taxonomy) in content.taxonomies.iter().enumerate() {
        if taxonomy.terms.is_empty() || !config.taxonomies[taxonomy.taxonomy].render {
            continue;
        }
        jobs.push(Job::TaxonomyList { index });
        let per_page = config.taxonomies[taxonomy.taxonomy].paginate_by;
        for (term, entry) in taxonomy.terms.iter().enumerate() {
            if config.taxonomies[taxonomy.taxonomy].feed {
                feeds(&mut jobs, config, FeedSource::Term { index, term });
            }
            for pager in 0..pager_count(entry.pages.len(), per_page) {
                jobs.push(Job::Term { index, term, pager });
            }
        }
    }
    for page in &content.pages {
        for alias in &page.meta.aliases {
            jobs.push(Job::Alias {
                from: alias_path(alias),
                to: page.path.clone(),
                lang: page.file.lang,
            });
        }
    }
    for (lang, language) in config.lang_ids().zip(&config.languages) {
        jobs.push(Job::NotFound { lang });
        if language.build_search_index {
            jobs.push(Job::Search { lang });
        }
        if language.generate_feeds {
            feeds(&mut jobs, config, FeedSource::Language(lang));
        }
    }
    if config.generate_sitemap {
        jobs.push(Job::Sitemap);
    }
    if config.generate_robots_txt {
        jobs.push(Job::Robots);
    }
    jobs
}

/// Where a section's `redirect_to` leads: a full URL as written, else a path of this site
/// (`docs/intro`, `/docs/intro/`).
fn redirect_target(target: &str) -> String {
    if target.contains("://") {
        return target.to_owned();
    }
    format!("/{}", target.trim_start_matches('/'))
}

impl Job {
    /// The file the job writes, below the output folder (`en/news/index.html`), known without
    /// rendering: the build checks every output for collisions before it renders anything.
    pub fn output_path(&self, config: &Config, content: &Content) -> String {
        match self {
            Job::Page(id) => output_file(&content.page(*id).path),
            Job::Section { id, pager } => {
                let section = content.section(*id);
                output_file(&pager_path_in(&section.path, section_pager_name(section), *pager))
            }
            Job::TaxonomyList { index } => output_file(&content.taxonomies[*index].path),
            Job::Term { index, term, pager } => {
                output_file(&pager_path(&content.taxonomies[*index].terms[*term].path, *pager))
            }
            Job::Alias { from, .. } => output_file(from),
            Job::NotFound { lang } => format!("{}404.html", config.languages[*lang].prefix),
            Job::Archive { id, archive, pager } => {
                output_file(&pager_path(&content.section(*id).archives[*archive].path, *pager))
            }
            Job::RouteGeoJson(id) => {
                format!("{}route.geojson", content.page(*id).path.trim_start_matches('/'))
            }
            Job::Search { lang } => format!("{}search/index.html", config.languages[*lang].prefix),
            Job::Sitemap => "sitemap.xml".to_owned(),
            Job::Robots => "robots.txt".to_owned(),
            Job::Feed { source, format } => {
                let html_path = match source {
                    FeedSource::Language(lang) => &content.section(content.home(*lang)).path,
                    FeedSource::Section(id) => &content.section(*id).path,
                    FeedSource::Term { index, term } => &content.taxonomies[*index].terms[*term].path,
                };
                format!("{}{}", html_path.trim_start_matches('/'), format.file_name())
            }
        }
    }

    /// What the job's output comes from, for messages: a content file, or what it lists.
    pub fn source(&self, config: &Config, content: &Content) -> String {
        match self {
            Job::Page(id) | Job::RouteGeoJson(id) => content.page(*id).file.shown_as.clone(),
            Job::Section { id, .. } | Job::Archive { id, .. } => content.section(*id).shown_as(),
            Job::Alias { from, to, .. } => content.pages.iter().find(|p| &p.path == to).map_or_else(
                || format!("the alias {from}"),
                |p| format!("{} (alias {from})", p.file.shown_as),
            ),
            Job::TaxonomyList { index } | Job::Term { index, .. } => {
                format!(
                    "the `{}` taxonomy",
                    config.taxonomies[content.taxonomies[*index].taxonomy].name
                )
            }
            Job::Feed { source, .. } => match source {
                FeedSource::Section(id) => format!("the feed of {}", content.section(*id).shown_as()),
                _ => "a feed".to_owned(),
            },
            Job::NotFound { .. } => "the 404 page".to_owned(),
            Job::Search { .. } => "the search page".to_owned(),
            Job::Sitemap => "the sitemap".to_owned(),
            Job::Robots => "robots.txt".to_owned(),
        }
    }
}

/// The site path an alias redirects from: a folder (`old/page` → `/old/page/`), or, as in
/// Zola, the very file when it ends in `.html` (`old/page.html`, the URL of many old sites).
fn alias_path(alias: &str) -> String {
    let trimmed = alias.trim_matches('/');
    match trimmed.ends_with(".html") {
        true => format!("/{trimmed}"),
        false => format!("/{trimmed}/"),
    }
}

/// Output file of a site path: `/en/news/` → `en/news/index.html`.
pub fn output_file(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_and_their_paths() {
        assert_eq!(pager_count(0, Some(10)), 1);
        assert_eq!(pager_count(700, Some(10)), 70);
        assert_eq!(pager_path("/en/news/", 0), "/en/news/");
        assert_eq!(pager_path("/en/news/", 1), "/en/news/page/2/");
        assert_eq!(pager_path_in("/en/news/", "trang", 2), "/en/news/trang/3/");
        assert_eq!(pager_path_in("/en/news/", "/trang/", 0), "/en/news/");
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/en/news/page/2/"), "en/news/page/2/index.html");
        assert_eq!(output_file(&alias_path("tin-cu/bai")), "tin-cu/bai/index.html");
        assert_eq!(output_file(&alias_path("/tin-cu/bai.html")), "tin-cu/bai.html");
    }
}
