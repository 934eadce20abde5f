//! Headings: their ids (made from the text, or written `{#id .class}` as in Zola), the
//! links to themselves Zola's `insert_anchor_links` asks for, and the table of contents.

use super::escape_attribute;
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::Sourcepos;

use crate::config::AnchorLinks;
use crate::content::rendered::Heading;
use crate::content::slug::slugify;

/// UI string of an anchor link's label; `$id` is the heading's id.
pub(crate) const ANCHOR_LABEL_KEY: &str = "anchor-link-label";

/// What `{#id .class1 .class2}` at the end of a heading asks for.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Attributes {
    pub(crate) id: Option<String>,
    pub(crate) classes: Vec<String>,
}

/// Splits `Title {#id .class}` into the text before the braces and the attributes, as
/// pulldown-cmark (Zola's parser) reads them: the block ends the heading, and holds `#id`,
/// `.class` and `key=value` words (the last are ignored, as Zola does). Anything else in the
/// braces means they are text.
pub(crate) fn split_attributes(text: &str) -> Option<(&str, Attributes)> {
    let trimmed = text.trim_end();
    let inner_end = trimmed.strip_suffix('}')?;
    let open = inner_end.rfind('{')?;
    let inner = &inner_end[open + 1..];
    let mut attributes = Attributes::default();
    for word in inner.split_whitespace() {
        if let Some(id) = word.strip_prefix('#') {
            if id.is_empty() {
                return None;
            }
            attributes.id = Some(id.to_owned());
        } else if let Some(class) = word.strip_prefix('.') {
            if class.is_empty() {
                return None;
            }
            attributes.classes.push(class.to_owned());
        } else if !word.contains('=') || word.starts_with('=') {
            return None;
        }
    }
    Some((inner_end[..open].trim_end(), attributes))
}

/// Unique heading ids: Vietnamese folded to ASCII, Khmer kept, repeats numbered.
#[derive(Default)]
pub(crate) struct IdMaker {
    used: HashSet<String>,
}

impl IdMaker {
    /// Keeps `id` (written by the writer) from being made for another heading. Returns `false`
    /// when it was already taken.
    pub(crate) fn reserve(&mut self, id: &str) -> bool {
        self.used.insert(id.to_owned())
    }

    pub(crate) fn make(&mut self, title: &str) -> String {
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

/// The HTML around one heading's text: its opening tag (with any anchor link that comes
/// first) and what closes it.
pub(crate) struct HeadingTags {
    pub(crate) open: String,
    pub(crate) close: String,
}

/// The tags of a heading of `level` with `id` and `classes`, an anchor link placed as `links`
/// says, labelled `label`. The link is Zola's default `anchor-link.html`, or `own_link` (the
/// site's own `anchor-link.html`, rendered) when there is one.
pub(crate) fn heading_tags(
    level: u8,
    id: &str,
    classes: &[String],
    links: AnchorLinks,
    label: &str,
    own_link: Option<&str>,
) -> HeadingTags {
    let id = escape_attribute(id);
    let mut open = format!("<h{level} id=\"{id}\"");
    if !classes.is_empty() {
        open.push_str(" class=\"");
        open.push_str(&escape_attribute(&classes.join(" ")));
        open.push('"');
    }
    open.push('>');
    let link_open = format!(
        "<a class=\"zola-anchor\" href=\"#{id}\" aria-label=\"{}\">",
        escape_attribute(label)
    );
    let mut close = String::new();
    match links {
        AnchorLinks::None => {}
        AnchorLinks::Left => match own_link {
            Some(link) => open.push_str(link),
            None => {
                open.push_str(&link_open);
                open.push_str("🔗</a>");
            }
        },
        AnchorLinks::Right => match own_link {
            Some(link) => close.push_str(link),
            None => {
                close.push_str(&link_open);
                close.push_str("🔗</a>");
            }
        },
        AnchorLinks::Heading => {
            open.push_str(&link_open);
            close.push_str("</a>");
        }
    }
    close.push_str(&format!("</h{level}>\n"));
    HeadingTags { open, close }
}

/// Writes the headings with the tags made for them from the AST, in document order.
pub(crate) struct HeadingWriter(pub(crate) Mutex<VecDeque<HeadingTags>>);

impl HeadingWriter {
    fn next_open(&self) -> Option<String> {
        let mut tags = self.0.lock().ok()?;
        let first = tags.front_mut()?;
        Some(std::mem::take(&mut first.open))
    }

    fn next_close(&self) -> Option<String> {
        self.0.lock().ok()?.pop_front().map(|t| t.close)
    }
}

impl HeadingAdapter for HeadingWriter {
    fn enter(
        &self,
        output: &mut dyn std::fmt::Write,
        heading: &HeadingMeta,
        _: Option<Sourcepos>,
    ) -> std::fmt::Result {
        match self.next_open() {
            Some(open) => output.write_str(&open),
            None => write!(output, "<h{}>", heading.level),
        }
    }

    fn exit(&self, output: &mut dyn std::fmt::Write, heading: &HeadingMeta) -> std::fmt::Result {
        match self.next_close() {
            Some(close) => output.write_str(&close),
            None => writeln!(output, "</h{}>", heading.level),
        }
    }
}

pub(crate) fn nest_headings(flat: &[(u8, String, String)]) -> Vec<Heading> {
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

    #[test]
    fn a_reserved_id_is_not_made_again() {
        let mut ids = IdMaker::default();
        assert!(ids.reserve("hop-tac"));
        assert_eq!(ids.make("Hợp tác"), "hop-tac-1");
        assert!(!ids.reserve("hop-tac"));
    }

    #[test]
    fn attributes_end_the_heading() {
        let (text, attributes) = split_attributes("Title {#custom-id .a .b} ").unwrap();
        assert_eq!(text, "Title");
        assert_eq!(attributes.id.as_deref(), Some("custom-id"));
        assert_eq!(attributes.classes, ["a", "b"]);
        let (_, attributes) = split_attributes("Title {.only data-x=1}").unwrap();
        assert_eq!(attributes.id, None);
        assert_eq!(attributes.classes, ["only"]);
    }

    #[test]
    fn braces_that_are_not_attributes_stay_text() {
        assert_eq!(split_attributes("Set {a, b}"), None);
        assert_eq!(split_attributes("Title {#id} and more"), None);
        assert_eq!(split_attributes("Title {#}"), None);
        assert_eq!(split_attributes("No braces"), None);
    }

    #[test]
    fn anchor_links_go_where_they_are_asked() {
        let right = heading_tags(2, "a", &[], AnchorLinks::Right, "Anchor link for: a", None);
        assert_eq!(right.open, "<h2 id=\"a\">");
        assert_eq!(
            right.close,
            "<a class=\"zola-anchor\" href=\"#a\" aria-label=\"Anchor link for: a\">🔗</a></h2>\n"
        );
        let heading = heading_tags(3, "b", &["x".into()], AnchorLinks::Heading, "L", None);
        assert_eq!(
            heading.open,
            "<h3 id=\"b\" class=\"x\"><a class=\"zola-anchor\" href=\"#b\" aria-label=\"L\">"
        );
        assert_eq!(heading.close, "</a></h3>\n");
    }
}
