//! Front matter: splitting it from the body and reading its fields (TOML `+++` or YAML `---`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::toml_diagnostic;
use crate::date::Date;
use crate::error::{Diagnostic, Result};

/// The fields a page or section may set. Unknown fields are an error, so typos never pass.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    /// After this date the page is left out (unless `--expired`).
    pub expires: Option<Date>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Sections only: how pages are ordered (`date`, `update_date`, `weight`, `title`,
    /// `title_bytes`, `slug`, `none`).
    pub sort_by: Option<SortBy>,
    /// Sections only: pages per list page.
    pub paginate_by: Option<usize>,
    /// Sections only: the template for the pages in this section.
    pub page_template: Option<String>,
    /// Sections only: also write year and month archive pages (`/news/2014/12/`).
    #[serde(default)]
    pub archive: bool,
    /// Sections only: write an Atom and an RSS feed of this section.
    #[serde(default)]
    pub feed: bool,
    /// `false` keeps the page (or, on a section, its pages) out of the search index.
    pub in_search_index: Option<bool>,
    /// Zola: `false` writes no page for this file (it still appears in lists).
    pub render: Option<bool>,
    /// Zola, sections only: write a redirect to this path or URL instead of the section.
    pub redirect_to: Option<String>,
    /// Zola, sections only: the section's pages are also listed in its parent section.
    #[serde(default)]
    pub transparent: bool,
    /// Zola, sections only: list the pages in the opposite order.
    #[serde(default)]
    pub paginate_reversed: bool,
    /// Zola, sections only: write feeds of this section (mekong's `feed`).
    pub generate_feeds: Option<bool>,
    /// Zola, sections only: the folder of list pages after the first (`page` by default).
    pub paginate_path: Option<String>,
    /// Zola, sections only: where the headings of the section and its pages get a link to
    /// themselves (`[markdown] insert_anchor_links` when unset).
    pub insert_anchor_links: Option<crate::config::AnchorLinks>,
    /// Ordered stops of a tourism route. Translations give names and descriptions;
    /// coordinates and images come from the default-language page.
    #[serde(default)]
    pub stops: Vec<Stop>,
    /// What this translation was made from, written by `mekong translations --mark`.
    pub translation: Option<TranslationRecord>,
    /// `[lint]`: rules of `mekong check`'s language lint this page silences.
    #[serde(default)]
    pub lint: LintSettings,
    #[serde(default)]
    pub extra: toml::Table,
}

/// `[lint] allow = ["ascii-digits"]`: language-lint rules a page silences (`lint::RULES`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LintSettings {
    #[serde(default)]
    pub allow: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stop {
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub description: Option<String>,
    pub image: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationRecord {
    /// Short hash of the source article's text when this translation was made or reviewed.
    pub source: String,
    /// When it was marked.
    pub marked: Option<Date>,
}

impl FrontMatter {
    /// Fills what a translation left unset from its default-language page, so staff enter
    /// dates, tags, route stops and extra data once.
    pub fn inherit_from(&mut self, original: &FrontMatter) {
        self.date = self.date.or(original.date);
        self.updated = self.updated.or(original.updated);
        self.expires = self.expires.or(original.expires);
        self.weight = self.weight.or(original.weight);
        if self.taxonomies.is_empty() {
            self.taxonomies = original.taxonomies.clone();
        }
        for (key, value) in &original.extra {
            self.extra.entry(key.clone()).or_insert_with(|| value.clone());
        }
        if self.stops.is_empty() {
            self.stops = original.stops.clone();
        } else {
            for (stop, source) in self.stops.iter_mut().zip(&original.stops) {
                stop.lat = stop.lat.or(source.lat);
                stop.lon = stop.lon.or(source.lon);
                stop.image = stop.image.clone().or_else(|| source.image.clone());
                stop.description = stop.description.clone().or_else(|| source.description.clone());
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Most recently updated first (`updated`, else `date`).
    UpdateDate,
    Weight,
    /// By title, ignoring case.
    Title,
    /// By title, byte by byte (Zola's `title_bytes`).
    TitleBytes,
    Slug,
    None,
}

/// The parsed parts of a content file.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// 1-based line of the file on which `body` starts.
    pub body_line: usize,
}

enum Format {
    Toml,
    Yaml,
}

/// Splits `source` (the whole file) into front matter and body, and parses the front matter.
pub fn split<'a>(file: &str, source: &'a str) -> Result<Split<'a>> {
    let source_no_bom = source.strip_prefix('\u{feff}').unwrap_or(source);
    // Zola allows blank lines and spaces before the opening delimiter.
    let leading = source_no_bom.len() - source_no_bom.trim_start().len();
    let skipped_lines = source_no_bom[..leading].matches('\n').count();
    let source_no_bom = &source_no_bom[leading..];
    let (format, delimiter) = if first_line(source_no_bom) == "+++" {
        (Format::Toml, "+++")
    } else if first_line(source_no_bom) == "---" {
        (Format::Yaml, "---")
    } else {
        return Err(Diagnostic::error(file, "the file does not start with front matter")
            .at(1, 1)
            .hint("start the file with a line `+++`, then fields such as title = \"…\", then a closing `+++` line")
            .into());
    };
    let after_open = &source_no_bom[source_no_bom.find('\n').map_or(source_no_bom.len(), |i| i + 1)..];
    let Some((matter, body, closing_line)) = find_closing(after_open, delimiter) else {
        return Err(Diagnostic::error(
            file,
            format!(
                "the front matter opened with `{delimiter}` on line {} is never closed",
                skipped_lines + 1
            ),
        )
        .at(skipped_lines + 1, 1)
        .hint(format!(
            "add a line holding only `{delimiter}` after the last front-matter field"
        ))
        .into());
    };
    let front_matter = match format {
        Format::Toml => {
            toml::from_str(matter).map_err(|err| toml_diagnostic(file, matter, &err, skipped_lines + 2))?
        }
        Format::Yaml => parse_yaml(file, matter, skipped_lines)?,
    };
    Ok(Split {
        front_matter,
        body,
        body_line: skipped_lines + closing_line + 1,
    })
}

fn first_line(source: &str) -> &str {
    source.lines().next().unwrap_or("").trim_end()
}

/// Finds the closing delimiter line; returns (front matter, body, 1-based line of the delimiter).
fn find_closing<'a>(after_open: &'a str, delimiter: &str) -> Option<(&'a str, &'a str, usize)> {
    let mut offset = 0;
    for (index, line) in after_open.split_inclusive('\n').enumerate() {
        if line.trim_end() == delimiter {
            let body = &after_open[offset + line.len()..];
            return Some((&after_open[..offset], body, index + 2));
        }
        offset += line.len();
    }
    None
}

fn parse_yaml(file: &str, matter: &str, skipped_lines: usize) -> Result<FrontMatter> {
    if matter.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_norway::from_str(matter).map_err(|err| {
        let mut diagnostic = Diagnostic::error(file, err.to_string())
            .hint("check the YAML syntax near that position (`name: value`, two-space indents)");
        if let Some(location) = err.location() {
            diagnostic = diagnostic.at(location.line() + 1 + skipped_lines, location.column());
        }
        diagnostic.into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter_is_split_from_the_body() {
        let source = "+++\ntitle = \"Tin\"\ndate = 2014-12-22\n+++\nBody\n";
        let split = split("a.md", source).unwrap();
        assert_eq!(split.front_matter.title.as_deref(), Some("Tin"));
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn yaml_front_matter_is_accepted() {
        let source = "---\ntitle: Tin\ntags_free: []\n---\nBody";
        let err = split("a.md", source).unwrap_err().to_string();
        assert!(err.contains("a.md:3"), "{err}");
        let source = "---\ntitle: Tin\ndraft: true\n---\nBody";
        let split = split("a.md", source).unwrap();
        assert!(split.front_matter.draft);
    }

    #[test]
    fn blank_lines_before_the_opening_delimiter_are_allowed_and_counted() {
        let source = "\n  \n+++\ntitle = \"Tin\"\n+++\nBody\n";
        let split = split("a.md", source).unwrap();
        assert_eq!(split.front_matter.title.as_deref(), Some("Tin"));
        assert_eq!(split.body_line, 6);
        let err = split_err("\n\n+++\ndate = \n+++\n");
        assert!(err.starts_with("a.md:4:"), "{err}");
    }

    fn split_err(source: &str) -> String {
        split("a.md", source).unwrap_err().to_string()
    }

    #[test]
    fn zola_sort_orders_are_read() {
        let source = "+++\nsort_by = \"update_date\"\n+++\n";
        assert_eq!(
            split("a.md", source).unwrap().front_matter.sort_by,
            Some(SortBy::UpdateDate)
        );
        let source = "+++\nsort_by = \"title_bytes\"\n+++\n";
        assert_eq!(
            split("a.md", source).unwrap().front_matter.sort_by,
            Some(SortBy::TitleBytes)
        );
    }

    #[test]
    fn toml_error_points_at_the_file_line() {
        let source = "+++\ntitle = \"Tin\"\ndate = \n+++\n";
        let err = split("news/a.md", source).unwrap_err().to_string();
        assert!(err.starts_with("news/a.md:3:"), "{err}");
    }

    #[test]
    fn missing_closing_delimiter_says_how_to_fix_it() {
        let err = split("a.md", "+++\ntitle = \"x\"\n\nBody")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a.md:1:1: error: the front matter opened with `+++`"),
            "{err}"
        );
        assert!(err.contains("hint: add a line holding only `+++`"), "{err}");
    }
}
