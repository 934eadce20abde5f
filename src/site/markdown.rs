//! The Markdown of pages and sections rendered (or taken from the cache), their images and
//! the anchors their links point at.

use super::*;

/// Renders the Markdown of every page and section, taking from `cache` what was rendered from
/// the same text. With `changed` (a text-only save: the tree is the last build's), only those
/// pages and sections are rendered; the others keep the rendering they carry.
pub(super) fn render_markdown(
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
pub(super) fn responsive_images(
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
pub(super) fn check_anchors(config: &Config, content: &Content) -> Vec<Diagnostic> {
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
