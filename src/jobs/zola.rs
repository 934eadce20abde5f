//! Rendering jobs with a Zola site's own templates: each template gets the variables Zola
//! documents for it (`page`, `section`, `paginator`, `taxonomy`, `terms`, `term`, `config`,
//! `lang`, `current_url`, `current_path`).

use std::sync::Arc;

use tera::Value;

use crate::config::LangId;
use crate::content::{PageId, SectionId};
use crate::error::Result;
use crate::jobs::render::{JobContext, JobRenderer, page_template, paginator, taxonomy_template};
use crate::jobs::{self, Job};
use crate::render::SiteData;

/// Renders `job` the way Zola would; `None` for the jobs rendered as for any site (feeds,
/// the sitemap, and mekong's own pages when the site gives their templates).
pub(super) fn render_job(
    cx: &JobRenderer<'_>,
    data: &SiteData,
    job: &Job,
) -> Option<Result<(String, Arc<str>)>> {
    Some(match job {
        Job::Page(id) => render_page(cx, data, *id),
        Job::Section { id, pager } => render_section(cx, data, *id, *pager),
        Job::TaxonomyList { index } => render_taxonomy_list(cx, data, *index),
        Job::Term { index, term, pager } => render_term(cx, data, *index, *term, *pager),
        Job::Alias { from, to, .. } => Ok(render_alias(cx, data, from, to)),
        Job::NotFound { lang } => render_not_found(cx, data, *lang),
        _ => return None,
    })
}

/// `config`, `lang`, `current_url` and `current_path` (the site path, starting with `/`).
fn base_context(data: &SiteData, lang: LangId, path: &str) -> JobContext {
    let config = &data.config;
    let mut context = JobContext::new(data, lang);
    context.insert("lang", &config.languages[lang].code);
    context.insert("current_path", path);
    context.insert("current_url", &config.permalink(path));
    context
}

fn render_page(cx: &JobRenderer<'_>, data: &SiteData, id: PageId) -> Result<(String, Arc<str>)> {
    let page = data.content.page(id);
    let mut context = base_context(data, page.file.lang, &page.path);
    context.insert_value("page", data.page_values[id.0 as usize].clone());
    let template = page_template(&data.content, id);
    cx.template(
        jobs::output_file(&page.path),
        &template,
        &context,
        &page.file.shown_as,
    )
}

fn render_section(
    cx: &JobRenderer<'_>,
    data: &SiteData,
    id: SectionId,
    pager: usize,
) -> Result<(String, Arc<str>)> {
    let section = data.content.section(id);
    let folder = jobs::section_pager_name(section);
    let path = jobs::pager_path_in(&section.path, folder, pager);
    let mut context = base_context(data, section.lang, &path);
    context.insert_value("section", data.section_values[id.0 as usize].clone());
    // Zola: "the variable will not be defined if `paginate_by` is not set".
    if section.meta.paginate_by.is_some_and(|n| n > 0) {
        context.insert_value(
            "paginator",
            paginator(
                data,
                &section.path,
                folder,
                &section.pages,
                section.meta.paginate_by,
                pager,
            ),
        );
    }
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

fn render_taxonomy_list(cx: &JobRenderer<'_>, data: &SiteData, index: usize) -> Result<(String, Arc<str>)> {
    let taxonomy = &data.content.taxonomies[index];
    let name = &data.config.taxonomies[taxonomy.taxonomy].name;
    let values = &data.taxonomies[index];
    let mut context = base_context(data, taxonomy.lang, &taxonomy.path);
    context.insert_value("taxonomy", values.kind.clone());
    context.insert_value("terms", Value::from(values.terms.clone()));
    let template = taxonomy_template(cx.renderer, name, "list");
    cx.template(
        jobs::output_file(&taxonomy.path),
        &template,
        &context,
        &format!("the `{name}` list"),
    )
}

fn render_term(
    cx: &JobRenderer<'_>,
    data: &SiteData,
    index: usize,
    term: usize,
    pager: usize,
) -> Result<(String, Arc<str>)> {
    let taxonomy = &data.content.taxonomies[index];
    let own = &data.config.taxonomies[taxonomy.taxonomy];
    let entry = &taxonomy.terms[term];
    let path = jobs::pager_path(&entry.path, pager);
    let values = &data.taxonomies[index];
    let mut context = base_context(data, taxonomy.lang, &path);
    context.insert_value("taxonomy", values.kind.clone());
    context.insert_value("term", values.terms[term].clone());
    if own.paginate_by.is_some_and(|n| n > 0) {
        context.insert_value(
            "paginator",
            paginator(data, &entry.path, "page", &entry.pages, own.paginate_by, pager),
        );
    }
    let template = taxonomy_template(cx.renderer, &own.name, "single");
    cx.template(
        jobs::output_file(&path),
        &template,
        &context,
        &format!("the `{}` term {}", own.name, entry.name),
    )
}

/// Zola's built-in redirect page.
fn render_alias(cx: &JobRenderer<'_>, data: &SiteData, from: &str, to: &str) -> (String, Arc<str>) {
    let target = if to.contains("://") {
        to.to_owned()
    } else {
        data.config.permalink(to)
    };
    let fingerprint = xxhash_rust::xxh3::xxh3_64(target.as_bytes());
    cx.direct(jobs::output_file(from), fingerprint, || {
        let url = crate::syndication::escape_xml(&target);
        format!(
            "<!doctype html>\n<meta charset=\"utf-8\">\n<link rel=\"canonical\" href=\"{url}\">\n\
             <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<title>Redirect</title>\n\
             <p><a href=\"{url}\">Click here</a> to be redirected.</p>\n"
        )
    })
}

/// The site's `404.html` with `config` and `lang`, else Zola's built-in one.
fn render_not_found(cx: &JobRenderer<'_>, data: &SiteData, lang: LangId) -> Result<(String, Arc<str>)> {
    let config = &data.config;
    let file = format!("{}404.html", config.languages[lang].prefix);
    if !cx.renderer.has_template("404.html") {
        return Ok(cx.direct(file, 0, || {
            "<!doctype html>\n<title>404 Not Found</title>\n<h1>404 Not Found</h1>\n".to_owned()
        }));
    }
    let mut context = JobContext::new(data, lang);
    context.insert("lang", &config.languages[lang].code);
    cx.template(file, "404.html", &context, "the 404 page")
}
