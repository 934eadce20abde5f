//! Markdown to HTML with comrak: GFM, footnotes, heading ids and attributes, a table of
//! contents, Zola's code-block options with syntect highlighting in CSS classes, `@/` internal
//! links, external-link attributes and shortcodes.

mod codeblock;
mod components;
mod footnotes;
mod headings;
mod links;
pub mod shortcodes;

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use comrak::nodes::{AlertType, AstNode, NodeHtmlBlock, NodeValue, Sourcepos};
use comrak::{Arena, Options, format_html_with_plugins, parse_document};
use syntect::parsing::SyntaxSet;

use crate::config::LangId;
use crate::config::{AnchorLinks, Config, ExternalLinks};
use crate::content::Content;
use crate::error::{Diagnostic, Error, Result};
use headings::{HeadingTags, HeadingWriter, IdMaker, heading_tags, nest_headings, split_attributes};
use shortcodes::Found;
pub use shortcodes::{Invocation, ShortcodeRenderer};

/// Class prefix of highlighted code; the theme's stylesheet uses the same.
pub const HIGHLIGHT_CLASS_PREFIX: &str = "hl-";
/// The prefix Zola gives the same classes (`highlight_theme = "css"`), which a Zola site's
/// stylesheet expects.
pub const ZOLA_HIGHLIGHT_CLASS_PREFIX: &str = "z-";

pub use crate::content::rendered::{AnchorLink, Heading, Rendered};

/// Everything a page's Markdown is rendered against.
pub struct RenderContext<'a> {
    pub config: &'a Config,
    pub content: &'a Content,
    pub shortcodes: &'a dyn ShortcodeRenderer,
    /// The file as shown in messages.
    pub file: &'a str,
    /// Line of the file on which the Markdown starts.
    pub first_line: usize,
    pub lang: LangId,
    /// Page-bundle images offered in several widths.
    pub images: &'a [crate::images::Responsive],
    /// Where headings get a link to themselves (the section's `insert_anchor_links`).
    pub anchor_links: AnchorLinks,
    /// A Zola site's `page` or `section` for its shortcodes (see `Invocation::owner`).
    pub shortcode_owner: Option<(&'a str, &'a tera::Value)>,
}

/// The Markdown engine: options and the syntax highlighter, built once per site.
pub struct Markdown {
    options: Options<'static>,
    /// syntect's grammars; `None` when highlighting is off.
    syntaxes: Option<SyntaxSet>,
    external_links: ExternalLinks,
    /// Host of `base_url`, lowercase: links to other hosts are external.
    site_host: String,
    lazy_async_image: bool,
    /// `HIGHLIGHT_CLASS_PREFIX`, or Zola's (see `with_class_prefix`).
    class_prefix: &'static str,
}

/// A comrak node in the arena of one page.
type Node<'a> = &'a AstNode<'a>;

impl Markdown {
    pub fn new(config: &Config) -> Markdown {
        let mut options = Options::default();
        options.extension.strikethrough = true;
        options.extension.table = true;
        // Zola's Markdown (pulldown-cmark) leaves bare URLs as text and titled images in `<img>`.
        let zola = config.migration.from_zola;
        options.extension.autolink = !zola;
        options.extension.tasklist = true;
        options.extension.footnotes = true;
        options.extension.description_lists = config.markdown.definition_list;
        options.extension.alerts = config.markdown.github_alerts;
        options.extension.shortcodes = config.markdown.render_emoji;
        options.parse.smart = config.markdown.smart_punctuation;
        options.render.r#unsafe = true;
        options.render.figure_with_caption = !zola;
        let syntaxes = config
            .markdown
            .highlight_code
            .then(SyntaxSet::load_defaults_newlines);
        let site_host = url::Url::parse(&config.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        Markdown {
            options,
            syntaxes,
            external_links: config.markdown.external_links.clone(),
            site_host,
            lazy_async_image: config.markdown.lazy_async_image,
            class_prefix: HIGHLIGHT_CLASS_PREFIX,
        }
    }

    /// The engine writing `prefix` before highlighting classes: Zola's for a Zola site
    /// rendered with its own templates, whose stylesheet expects Zola's classes.
    pub fn with_class_prefix(mut self, prefix: &'static str) -> Markdown {
        self.class_prefix = prefix;
        self
    }

    pub fn class_prefix(&self) -> &'static str {
        self.class_prefix
    }

    /// Renders `markdown` to HTML. Problems found are reported with their line in
    /// `Rendered::errors`; a page whose shortcodes fail is not rendered at all.
    pub fn render(&self, markdown: &str, cx: &RenderContext<'_>) -> Rendered {
        match expand_shortcodes(markdown, cx) {
            Ok((expanded, shortcode_html)) => self.render_expanded(&expanded, &shortcode_html, cx),
            Err(err) => Rendered {
                errors: err.diagnostics,
                ..Rendered::default()
            },
        }
    }

    fn render_expanded(&self, markdown: &str, shortcode_html: &[String], cx: &RenderContext<'_>) -> Rendered {
        let arena = Arena::new();
        let root = parse_document(&arena, markdown, &self.options);

        let mut diagnostics = Vec::new();
        let (headings, heading_tags) = self.headings(root, markdown, cx, &mut diagnostics);
        let mut anchor_links = Vec::new();
        let mut text = String::new();
        let mut images_without_alt = Vec::new();
        let mut external = Vec::new();
        let mut alerts = Vec::new();
        for node in root.descendants() {
            if let NodeValue::Image(image) = &node.data().value
                && node.collect_text().trim().is_empty()
            {
                let pos = node.data().sourcepos;
                let column = char_column(markdown, pos.start.line, pos.start.column);
                images_without_alt.push((cx.first_line + pos.start.line - 1, column, image.url.clone()));
            }
            let mut data = node.data_mut();
            let pos = data.sourcepos;
            let mut replacement = None;
            match &mut data.value {
                NodeValue::Link(link) | NodeValue::Image(link) if link.url.starts_with("@/") => {
                    match links::resolve_link(&link.url, cx) {
                        Ok((url, anchor)) => {
                            if let Some(anchor) = anchor {
                                anchor_links.push(AnchorLink {
                                    target: anchor.0,
                                    anchor: anchor.1,
                                    line: cx.first_line + pos.start.line - 1,
                                    column: char_column(markdown, pos.start.line, pos.start.column),
                                });
                            }
                            link.url = url;
                        }
                        Err(message) => diagnostics.push(locate(cx, markdown, pos, message).hint(
                            "internal links name the file under content/, e.g. [text](@/news/my-article.md)",
                        )),
                    }
                }
                NodeValue::Link(link)
                    if self.external_links.any() && links::is_external(&link.url, &self.site_host) =>
                {
                    external.push((
                        node,
                        links::external_link_tag(&self.external_links, &link.url, &link.title),
                    ));
                }
                NodeValue::Text(t) => {
                    text.push_str(t);
                    text.push(' ');
                }
                NodeValue::Code(code) => {
                    text.push_str(&code.literal);
                    text.push(' ');
                }
                NodeValue::CodeBlock(block) => {
                    text.push_str(&block.literal);
                    text.push(' ');
                    let info = if block.fenced { block.info.as_str() } else { "" };
                    match codeblock::parse_fence(info) {
                        Ok(fence) => {
                            replacement = Some(NodeValue::HtmlBlock(NodeHtmlBlock {
                                block_type: 0,
                                literal: codeblock::render(
                                    &fence,
                                    &block.literal,
                                    self.syntaxes.as_ref(),
                                    self.class_prefix,
                                ),
                            }));
                        }
                        Err((message, hint)) => {
                            diagnostics.push(locate(cx, markdown, pos, message).hint(hint));
                        }
                    }
                }
                NodeValue::Alert(alert) => alerts.push((node, alert.alert_type)),
                _ => {}
            }
            if let Some(value) = replacement {
                data.value = value;
            }
        }
        for (node, tag) in external {
            wrap(
                &arena,
                node,
                NodeValue::HtmlInline(tag),
                NodeValue::HtmlInline("</a>".to_owned()),
            );
        }
        for (node, kind) in alerts {
            let block = |literal: String| {
                NodeValue::HtmlBlock(NodeHtmlBlock {
                    block_type: 0,
                    literal,
                })
            };
            let open = format!("<blockquote class=\"markdown-alert-{}\">\n", alert_name(kind));
            wrap(&arena, node, block(open), block("</blockquote>\n".to_owned()));
        }

        let heading_writer = HeadingWriter(Mutex::new(heading_tags));
        let mut plugins = comrak::options::Plugins::default();
        plugins.render.heading_adapter = Some(&heading_writer);
        let mut html = String::with_capacity(markdown.len() * 3 / 2);
        if format_html_with_plugins(root, &self.options, &mut html, &plugins).is_err() {
            diagnostics.push(Diagnostic::error(
                cx.file,
                "the Markdown could not be turned into HTML",
            ));
        }
        html = footnotes::localise(&html, cx.lang, cx.shortcodes);
        if !shortcode_html.is_empty() {
            html = insert_shortcode_html(&html, shortcode_html);
        }
        if !cx.images.is_empty() {
            html = crate::images::rewrite_html(&html, cx.images);
        }
        if self.lazy_async_image {
            html = links::lazy_images(&html);
        }
        // An image with a title becomes a figure, which may not sit inside a paragraph.
        if html.contains("<p><figure>") {
            html = html
                .replace("<p><figure>", "<figure>")
                .replace("</figure></p>", "</figure>");
        }
        let summary_html = summary_marker(&html).map(|marker| {
            let summary = html[..marker.start].trim_end().into();
            // Zola leaves this in the marker's place, for "read more" links to point at.
            html.replace_range(marker, CONTINUE_READING);
            summary
        });
        // Headings are checked before the rest: report in the order of the text.
        diagnostics.sort_by_key(|d| (d.line, d.column));
        Rendered {
            summary_html,
            toc: nest_headings(&headings),
            anchors: headings.into_iter().map(|h| h.1).collect(),
            // Counted with the search index, which segments the text anyway.
            word_count: 0,
            reading_time: 0,
            anchor_links,
            images_without_alt,
            errors: diagnostics,
            text: text.into(),
            html: html.into(),
        }
    }

    /// Every heading's level, id and text, and the tags to write it with. `{#id .class}` at
    /// the end of a heading is taken off its text; ids written so must be unique.
    fn headings<'a>(
        &self,
        root: Node<'a>,
        markdown: &str,
        cx: &RenderContext<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Vec<(u8, String, String)>, VecDeque<HeadingTags>) {
        let nodes: Vec<Node<'a>> = root
            .descendants()
            .filter(|n| matches!(n.data().value, NodeValue::Heading(_)))
            .collect();
        let written: Vec<_> = nodes.iter().map(|node| take_attributes(node)).collect();
        let mut ids = IdMaker::default();
        let mut first_use: HashMap<&str, usize> = HashMap::new();
        for (node, attributes) in nodes.iter().zip(&written) {
            let Some(id) = &attributes.id else { continue };
            let pos = node.data().sourcepos;
            let line = cx.first_line + pos.start.line - 1;
            if ids.reserve(id) {
                first_use.insert(id, line);
            } else {
                let first = first_use.get(id.as_str()).copied().unwrap_or(line);
                diagnostics.push(
                    locate(
                        cx,
                        markdown,
                        pos,
                        format!("the heading id `{id}` is already used by the heading on line {first}"),
                    )
                    .hint("ids name one place on the page: give each heading its own {#id}"),
                );
            }
        }
        let mut headings = Vec::with_capacity(nodes.len());
        let mut tags = VecDeque::with_capacity(nodes.len());
        for (node, attributes) in nodes.iter().zip(written) {
            let NodeValue::Heading(heading) = node.data().value else {
                continue;
            };
            let title = node.collect_text();
            let id = attributes.id.unwrap_or_else(|| ids.make(&title));
            let label = if cx.anchor_links == AnchorLinks::None {
                String::new()
            } else {
                cx.shortcodes
                    .ui_string(headings::ANCHOR_LABEL_KEY, cx.lang, &[("id", &id)])
                    .unwrap_or_else(|| format!("Anchor link for: {id}"))
            };
            let own_link = match cx.anchor_links {
                AnchorLinks::Left | AnchorLinks::Right => {
                    cx.shortcodes.anchor_link(&id, heading.level, cx.lang)
                }
                AnchorLinks::None | AnchorLinks::Heading => None,
            };
            let own_link = match own_link {
                Some(Ok(html)) => Some(html),
                Some(Err(message)) => {
                    diagnostics.push(Diagnostic::error(
                        cx.file,
                        format!("the anchor link of heading `{id}` failed: {message}"),
                    ));
                    None
                }
                None => None,
            };
            tags.push_back(heading_tags(
                heading.level,
                &id,
                &attributes.classes,
                cx.anchor_links,
                &label,
                own_link.as_deref(),
            ));
            headings.push((heading.level, id, title));
        }
        (headings, tags)
    }
}

/// Takes `{#id .class}` off the end of `heading`'s text and returns it.
fn take_attributes(heading: Node<'_>) -> headings::Attributes {
    // The block may be split over several text nodes (comrak splits at `_`, `*`…).
    let mut trailing: Vec<Node<'_>> = Vec::new();
    let mut child = heading.last_child();
    while let Some(node) = child {
        if !matches!(node.data().value, NodeValue::Text(_)) {
            break;
        }
        trailing.push(node);
        child = node.previous_sibling();
    }
    trailing.reverse();
    let combined: String = trailing
        .iter()
        .map(|n| match &n.data().value {
            NodeValue::Text(t) => t.to_string(),
            _ => String::new(),
        })
        .collect();
    let Some((kept, attributes)) = split_attributes(&combined) else {
        return headings::Attributes::default();
    };
    let kept = kept.to_owned();
    if let Some((first, rest)) = trailing.split_first() {
        first.data_mut().value = NodeValue::Text(kept.into());
        for node in rest {
            node.detach();
        }
    }
    attributes
}

/// Puts `open` and `close` around the children of `node` in its place.
fn wrap<'a>(arena: &'a Arena<'a>, node: Node<'a>, open: NodeValue, close: NodeValue) {
    node.insert_before(arena.alloc(open.into()));
    let children: Vec<Node<'a>> = node.children().collect();
    for child in children {
        node.insert_before(child);
    }
    node.insert_before(arena.alloc(close.into()));
    node.detach();
}

fn alert_name(kind: AlertType) -> &'static str {
    match kind {
        AlertType::Note => "note",
        AlertType::Tip => "tip",
        AlertType::Important => "important",
        AlertType::Warning => "warning",
        AlertType::Caution => "caution",
    }
}

/// What takes the place of the summary marker in a page's HTML, as in Zola.
const CONTINUE_READING: &str = "<span id=\"continue-reading\"></span>";

/// Where the summary ends: the first `<!-- more -->`, with any spaces and case inside the
/// comment (`<!--more-->`, `<!-- MORE -->`), as Zola accepts.
fn summary_marker(html: &str) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(found) = html[from..].find("<!--") {
        let start = from + found;
        let inner = &html[start + 4..];
        if let Some(close) = inner.find("-->")
            && inner[..close].trim().eq_ignore_ascii_case("more")
        {
            return Some(start..start + 4 + close + 3);
        }
        from = start + 4;
    }
    None
}

/// `text` made safe inside a double-quoted HTML attribute.
fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn locate(cx: &RenderContext<'_>, markdown: &str, pos: Sourcepos, message: String) -> Diagnostic {
    let column = char_column(markdown, pos.start.line, pos.start.column);
    Diagnostic::error(cx.file, message).at(cx.first_line + pos.start.line - 1, column)
}

/// comrak counts columns in bytes; people count characters (`ê` is one, not two).
fn char_column(markdown: &str, line: usize, byte_column: usize) -> usize {
    let Some(text) = markdown.lines().nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    let mut end = byte_column.saturating_sub(1).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].chars().count() + 1
}

/// Replaces shortcode calls with placeholders; returns the text and each call's HTML.
fn expand_shortcodes(markdown: &str, cx: &RenderContext<'_>) -> Result<(String, Vec<String>)> {
    if !markdown.contains("{{") && !markdown.contains("{%") {
        return Ok((markdown.to_owned(), Vec::new()));
    }
    let is_known = |name: &str| cx.shortcodes.is_shortcode(name);
    let is_component = |name: &str| cx.shortcodes.is_component(name);
    let calls = shortcodes::find_calls(markdown, &is_known, &is_component).map_err(|err| {
        Diagnostic::error(cx.file, err.message)
            .at_offset(markdown, err.offset, cx.first_line)
            .hint(err.hint)
    })?;
    let mut out = String::with_capacity(markdown.len());
    let mut html = Vec::with_capacity(calls.len());
    let mut diagnostics = Vec::new();
    let mut copied = 0;
    let mut calls_so_far: HashMap<String, usize> = HashMap::new();
    for found in calls {
        let call = match found {
            Found::Call(call) => call,
            Found::Literal { range, text } => {
                out.push_str(&markdown[copied..range.start]);
                out.push_str(&text);
                copied = range.end;
                continue;
            }
        };
        out.push_str(&markdown[copied..call.range.start]);
        let nth = calls_so_far.entry(call.name.clone()).or_default();
        *nth += 1;
        let invocation = Invocation {
            name: &call.name,
            args: &call.args,
            body: call.body.as_deref(),
            lang: cx.lang,
            nth: *nth,
            owner: cx.shortcode_owner,
        };
        let (rendered, what) = if call.component {
            (cx.shortcodes.render_component(&invocation), "component")
        } else {
            (cx.shortcodes.render_shortcode(&invocation), "shortcode")
        };
        let markdown_output = !call.component && cx.shortcodes.is_markdown_shortcode(&call.name);
        match rendered {
            Ok(rendered) if markdown_output => {
                out.push_str(&rendered);
                copied = call.range.end;
                continue;
            }
            Ok(rendered) => html.push(rendered),
            Err(message) => {
                diagnostics.push(
                    Diagnostic::error(cx.file, format!("{what} `{}` failed: {message}", call.name))
                        .at_offset(markdown, call.range.start, cx.first_line),
                );
                html.push(String::new());
            }
        }
        out.push_str(&placeholder(html.len() - 1));
        copied = call.range.end;
    }
    out.push_str(&markdown[copied..]);
    if diagnostics.is_empty() {
        Ok((out, html))
    } else {
        Err(Error::from_list(diagnostics))
    }
}

// Private-use characters: Markdown leaves them alone and no writer types them.
fn placeholder(index: usize) -> String {
    format!("\u{F8F0}{index}\u{F8F1}")
}

fn insert_shortcode_html(html: &str, outputs: &[String]) -> String {
    let mut html = html.to_owned();
    for (index, output) in outputs.iter().enumerate() {
        let marker = placeholder(index);
        let paragraph = format!("<p>{marker}</p>");
        html = if html.contains(&paragraph) {
            html.replacen(&paragraph, output, 1)
        } else {
            html.replacen(&marker, output, 1)
        };
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_ends_at_more_with_any_spaces_and_case() {
        assert_eq!(summary_marker("<p>a</p>\n<!-- more -->\n<p>b</p>"), Some(9..22));
        assert_eq!(summary_marker("<p>a</p>\n<!--more-->"), Some(9..20));
        assert_eq!(summary_marker("<!--\t MoRe \t-->"), Some(0..15));
        assert_eq!(summary_marker("<!-- not more --><!--moreover-->"), None);
    }
}

#[cfg(test)]
mod stylesheet_tests {
    use syntect::highlighting::ThemeSet;
    use syntect::html::{ClassStyle, css_for_theme_with_class_style};

    /// The theme ships the highlighting stylesheet; it must match the classes the highlighter
    /// writes. Run with MEKONG_BLESS=1 to write it anew.
    #[test]
    fn theme_syntax_stylesheet_matches_the_highlighter() {
        let themes = ThemeSet::load_defaults();
        let style = ClassStyle::SpacedPrefixed {
            prefix: super::HIGHLIGHT_CLASS_PREFIX,
        };
        let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], style).unwrap();
        let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], style).unwrap();
        let css = format!(
            "/* Code highlighting, generated from syntect's InspiredGitHub and base16-ocean.dark themes. */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}}}\n"
        );
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/css/syntax.css"
        );
        if std::env::var_os("MEKONG_BLESS").is_some() {
            std::fs::write(path, &css).unwrap();
        }
        let shipped = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            shipped == css,
            "themes/default/static/css/syntax.css is out of date: run the test with MEKONG_BLESS=1"
        );
    }
}
