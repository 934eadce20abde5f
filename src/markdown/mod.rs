//! Markdown to HTML with comrak: GFM, footnotes, heading ids, a table of contents,
//! syntect highlighting with CSS classes, `@/` internal links and shortcodes.

mod footnotes;
pub mod shortcodes;

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{NodeValue, Sourcepos};
use comrak::plugins::syntect::{SyntectAdapter, SyntectAdapterBuilder};
use comrak::{Arena, Options, format_html_with_plugins, parse_document};

use crate::config::Config;
use crate::content::slug::slugify;
use crate::content::{Content, Target};
use crate::error::{Diagnostic, Error, Result};
pub use shortcodes::ShortcodeRenderer;

/// Class prefix of highlighted code; the theme's stylesheet uses the same.
pub const HIGHLIGHT_CLASS_PREFIX: &str = "hl-";

const SUMMARY_MARKER: &str = "<!-- more -->";

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
    pub lang: usize,
    /// Page-bundle images offered in several widths.
    pub images: &'a [crate::images::Responsive],
}

/// The Markdown engine: options and the syntax highlighter, built once per site.
pub struct Markdown {
    options: Options<'static>,
    highlighter: Option<SyntectAdapter>,
}

impl Markdown {
    pub fn new(config: &Config) -> Markdown {
        let mut options = Options::default();
        options.extension.strikethrough = true;
        options.extension.table = true;
        options.extension.autolink = true;
        options.extension.tasklist = true;
        options.extension.footnotes = true;
        options.parse.smart = config.markdown.smart_punctuation;
        options.render.r#unsafe = true;
        options.render.figure_with_caption = true;
        let highlighter = config.markdown.highlight_code.then(|| {
            SyntectAdapterBuilder::new()
                .css_with_class_prefix(HIGHLIGHT_CLASS_PREFIX)
                .build()
        });
        Markdown { options, highlighter }
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
        let mut anchor_links = Vec::new();
        let mut ids = IdMaker::default();
        let mut headings = Vec::new();
        let mut text = String::new();
        let mut images_without_alt = Vec::new();
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
            match &mut data.value {
                NodeValue::Link(link) | NodeValue::Image(link) if link.url.starts_with("@/") => {
                    match resolve_link(&link.url, cx) {
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
                NodeValue::Heading(heading) => {
                    let level = heading.level;
                    drop(data);
                    let title = node.collect_text();
                    let id = ids.make(&title);
                    headings.push((level, id, title));
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
                }
                _ => {}
            }
        }
        let heading_ids = HeadingIds(Mutex::new(headings.iter().map(|h| h.1.clone()).collect()));
        let mut plugins = comrak::options::Plugins::default();
        plugins.render.heading_adapter = Some(&heading_ids);
        if let Some(highlighter) = &self.highlighter {
            plugins.render.codefence_syntax_highlighter = Some(highlighter);
        }
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
        // An image with a title becomes a figure, which may not sit inside a paragraph.
        if html.contains("<p><figure>") {
            html = html
                .replace("<p><figure>", "<figure>")
                .replace("</figure></p>", "</figure>");
        }
        let summary_html = html.find(SUMMARY_MARKER).map(|i| html[..i].trim_end().into());
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

/// Turns `@/news/foo.md#bar` into the URL of that page in the current language.
fn resolve_link(
    url: &str,
    cx: &RenderContext<'_>,
) -> std::result::Result<(String, Option<(Target, String)>), String> {
    let (file, anchor) = match url.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (url, None),
    };
    let codes: Vec<String> = cx.config.languages.iter().map(|l| l.code.clone()).collect();
    let target = cx
        .content
        .resolve(file, cx.lang, &codes)
        .ok_or_else(|| format!("the link {url} points to a page that does not exist"))?;
    let mut resolved = cx.config.permalink(cx.content.target_path(target));
    let anchor = anchor.map(|a| {
        resolved.push('#');
        resolved.push_str(a);
        (target, a.to_owned())
    });
    Ok((resolved, anchor))
}

/// Replaces shortcode calls with placeholders; returns the text and each call's HTML.
fn expand_shortcodes(markdown: &str, cx: &RenderContext<'_>) -> Result<(String, Vec<String>)> {
    if !markdown.contains("{{") && !markdown.contains("{%") {
        return Ok((markdown.to_owned(), Vec::new()));
    }
    let is_known = |name: &str| cx.shortcodes.is_shortcode(name);
    let calls = shortcodes::find_calls(markdown, &is_known).map_err(|err| {
        Diagnostic::error(cx.file, err.message)
            .at_offset(markdown, err.offset, cx.first_line)
            .hint(err.hint)
    })?;
    let mut out = String::with_capacity(markdown.len());
    let mut html = Vec::with_capacity(calls.len());
    let mut diagnostics = Vec::new();
    let mut copied = 0;
    for call in calls {
        out.push_str(&markdown[copied..call.range.start]);
        match cx
            .shortcodes
            .render_shortcode(&call.name, &call.args, call.body.as_deref(), cx.lang)
        {
            Ok(rendered) => html.push(rendered),
            Err(message) => {
                diagnostics.push(
                    Diagnostic::error(cx.file, format!("shortcode `{}` failed: {message}", call.name))
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

/// Unique heading ids: Vietnamese folded to ASCII, Khmer kept, repeats numbered.
#[derive(Default)]
struct IdMaker {
    used: HashSet<String>,
}

impl IdMaker {
    fn make(&mut self, title: &str) -> String {
        let base = match slugify(title) {
            s if s.is_empty() => "section".to_owned(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Renders headings with the ids computed from the AST, in document order.
struct HeadingIds(Mutex<VecDeque<String>>);

impl HeadingAdapter for HeadingIds {
    fn enter(
        &self,
        output: &mut dyn std::fmt::Write,
        heading: &HeadingMeta,
        _: Option<Sourcepos>,
    ) -> std::fmt::Result {
        let id = self.0.lock().map(|mut ids| ids.pop_front()).unwrap_or_default();
        match id {
            Some(id) => write!(output, "<h{} id=\"{id}\">", heading.level),
            None => write!(output, "<h{}>", heading.level),
        }
    }

    fn exit(&self, output: &mut dyn std::fmt::Write, heading: &HeadingMeta) -> std::fmt::Result {
        writeln!(output, "</h{}>", heading.level)
    }
}

fn nest_headings(flat: &[(u8, String, String)]) -> Vec<Heading> {
    let mut roots: Vec<Heading> = Vec::new();
    for (level, id, title) in flat {
        let heading = Heading {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < *level) {
            siblings = &mut siblings.last_mut().expect("checked above").children;
        }
        siblings.push(heading);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_nest_by_level() {
        let flat = vec![
            (2, "a".into(), "A".into()),
            (3, "b".into(), "B".into()),
            (2, "c".into(), "C".into()),
        ];
        let toc = nest_headings(&flat);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children[0].id, "b");
    }

    #[test]
    fn repeated_headings_get_numbered_ids() {
        let mut ids = IdMaker::default();
        assert_eq!(ids.make("Hợp tác"), "hop-tac");
        assert_eq!(ids.make("Hợp tác"), "hop-tac-1");
        assert_eq!(ids.make("ការងារ"), "ការងារ");
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
