//! What a page's Markdown became: its HTML, summary, headings and the facts checks need.

use std::sync::Arc;

use serde::Serialize;

use crate::content::Target;
use crate::error::Diagnostic;

/// What a page's Markdown becomes.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// Shared, like `summary_html` and `text`: the preview server keeps a page's rendering
    /// from one rebuild to the next without copying it.
    pub html: Arc<str>,
    /// The part before `<!-- more -->`, when the page has the marker.
    pub summary_html: Option<Arc<str>>,
    pub toc: Vec<Heading>,
    /// Every heading id, for checking `#anchor` links.
    pub anchors: Vec<String>,
    pub word_count: usize,
    pub reading_time: usize,
    /// `@/` links with an anchor, checked once every page is rendered.
    pub anchor_links: Vec<AnchorLink>,
    /// Images with no alt text, as (line, column, source), for `mekong check`.
    pub images_without_alt: Vec<(usize, usize, String)>,
    /// Problems found while rendering (broken `@/` links…); the HTML is still made.
    pub errors: Vec<Diagnostic>,
    /// The text a reader sees, without markup: for word counts and the search index.
    pub text: Arc<str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<Heading>,
}

#[derive(Debug, Clone)]
pub struct AnchorLink {
    pub target: Target,
    pub anchor: String,
    pub line: usize,
    pub column: usize,
}
