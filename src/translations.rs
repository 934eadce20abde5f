//! Translation tracking without git: each translation records a hash of the source text it
//! was made from, so a later change to the source shows the translation as stale.

use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::config::LangId;
use crate::content::{Content, LoadOptions, Page};
use crate::date::Date;
use crate::error::{Diagnostic, Error, Result};

/// Where one article stands in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "status")]
pub enum Status {
    /// The source language itself.
    Source,
    /// Translated and marked against the current source text.
    Translated,
    /// Translated, but never marked with `--mark`: its freshness is unknown.
    Unmarked,
    /// Marked against an older source text.
    Stale {
        /// When the source last changed (its `updated` date, else its file's date).
        source_changed: String,
    },
    /// The default-language text is shown in its place.
    Fallback,
    Missing,
}

impl Status {
    pub fn label(&self) -> String {
        match self {
            Status::Source => "source".to_owned(),
            Status::Translated => "translated".to_owned(),
            Status::Unmarked => "unmarked".to_owned(),
            Status::Stale { source_changed } => format!("stale (source changed {source_changed})"),
            Status::Fallback => "fallback".to_owned(),
            Status::Missing => "missing".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub lang: String,
    #[serde(flatten)]
    pub status: Status,
    /// The translation's file, when it exists.
    pub file: Option<String>,
}

/// One article across every language.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The article as its default-language file names it: `news/hop-tac`.
    pub article: String,
    pub source_file: String,
    pub languages: Vec<Cell>,
}

/// Short hash of what translators translate: title, description and body.
pub fn source_hash(page: &Page) -> String {
    let mut text = String::new();
    text.push_str(&page.title);
    text.push('\n');
    text.push_str(page.meta.description.as_deref().unwrap_or(""));
    text.push('\n');
    text.push_str(page.body.trim());
    format!("{:012x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()) >> 16)
}

fn source_changed(page: &Page) -> String {
    if let Some(updated) = page.meta.updated {
        return updated.to_string();
    }
    std::fs::metadata(&page.file.path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or_else(
            || "at an unknown date".to_owned(),
            |d| Date::from_timestamp(d.as_secs() as i64).to_string(),
        )
}

/// Every article of the site (default-language pages) and its status in each language.
pub fn table(config: &Config, content: &Content) -> Vec<Row> {
    let mut rows: Vec<Row> = content
        .pages_in(LangId::DEFAULT)
        .map(|id| {
            let original = content.page(id);
            let hash = source_hash(original);
            let languages = config
                .lang_ids()
                .zip(&config.languages)
                .map(|(lang, language)| {
                    let translation = original.translations[lang].map(|t| content.page(t));
                    let status = match translation {
                        _ if lang.is_default() => Status::Source,
                        None => Status::Missing,
                        Some(t) if t.original.is_some() => Status::Fallback,
                        Some(t) => match &t.meta.translation {
                            None => Status::Unmarked,
                            Some(record) if record.source == hash => Status::Translated,
                            Some(_) => Status::Stale {
                                source_changed: source_changed(original),
                            },
                        },
                    };
                    Cell {
                        lang: language.code.clone(),
                        status,
                        file: translation
                            .filter(|t| t.original.is_none())
                            .map(|t| t.file.shown_as.clone()),
                    }
                })
                .collect();
            Row {
                article: original.file.canonical_key.clone(),
                source_file: original.file.shown_as.clone(),
                languages,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.article.cmp(&b.article));
    rows
}

/// The table as text: a line per article, then totals per language.
pub fn to_text(config: &Config, rows: &[Row]) -> String {
    let width = rows
        .iter()
        .map(|r| r.article.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!("{:width$}", "article");
    for language in &config.languages {
        out.push_str(&format!("  {:<12}", language.code));
    }
    out.push('\n');
    for row in rows {
        out.push_str(&format!("{:width$}", row.article));
        for cell in &row.languages {
            out.push_str(&format!("  {:<12}", cell.status.label()));
        }
        out.push('\n');
    }
    out.push('\n');
    for (lang, language) in config.lang_ids().zip(&config.languages).skip(1) {
        let count =
            |wanted: fn(&Status) -> bool| rows.iter().filter(|r| wanted(&r.languages[lang].status)).count();
        out.push_str(&format!(
            "{} ({}): {} translated, {} unmarked, {} stale, {} fallback, {} missing, of {}\n",
            language.name,
            language.code,
            count(|s| *s == Status::Translated),
            count(|s| *s == Status::Unmarked),
            count(|s| matches!(s, Status::Stale { .. })),
            count(|s| *s == Status::Fallback),
            count(|s| *s == Status::Missing),
            rows.len()
        ));
    }
    out
}

/// Records in `file`'s front matter that it translates the current text of its source.
/// Only the `[translation]` table is written; the rest of the file is kept byte for byte.
pub fn mark(config: &Config, file: &Path) -> Result<String> {
    let content = Content::load(
        config,
        LoadOptions {
            drafts: true,
            future: true,
            expired: true,
            now: None,
        },
    )?;
    let wanted = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let wanted = wanted.canonicalize().unwrap_or(wanted);
    let shown = file.display().to_string();
    let page = content
        .pages
        .iter()
        .filter(|p| p.original.is_none())
        .find(|p| p.file.path.canonicalize().is_ok_and(|path| path == wanted))
        .ok_or_else(|| {
            Error::new(
                Diagnostic::error(&shown, "this is not a page of the site")
                    .hint("give the path of a translation, e.g. content/news/bai-viet.km.md"),
            )
        })?;
    if page.file.lang.is_default() {
        return Err(
            Diagnostic::error(&page.file.shown_as, "this is the original, not a translation")
                .hint("mark the translations of it, e.g. the .en.md or .km.md file beside it")
                .into(),
        );
    }
    let original = page
        .translations
        .first()
        .copied()
        .flatten()
        .map(|id| content.page(id))
        .ok_or_else(|| {
            Error::new(Diagnostic::error(
                &page.file.shown_as,
                "there is no default-language article this translates",
            ))
        })?;
    let hash = source_hash(original);
    let text = crate::fs::read_text(&page.file.path, &page.file.shown_as)?;
    let updated = set_translation_record(&text, &hash, &Date::today()).ok_or_else(|| {
        Error::new(Diagnostic::error(
            &page.file.shown_as,
            "the front matter could not be found",
        ))
    })?;
    let temp = page.file.path.with_extension("md.mekong-tmp");
    std::fs::write(&temp, updated).map_err(|err| Error::io(&temp, "write", &err))?;
    std::fs::rename(&temp, &page.file.path).map_err(|err| Error::io(&page.file.path, "replace", &err))?;
    Ok(format!(
        "{}: marked as translated from {} ({hash})",
        page.file.shown_as, original.file.shown_as
    ))
}

/// The file text with its `[translation]` record set; `None` without TOML or YAML front matter.
fn set_translation_record(text: &str, hash: &str, today: &Date) -> Option<String> {
    let delimiter = if text.starts_with("+++") {
        "+++"
    } else if text.starts_with("---") {
        "---"
    } else {
        return None;
    };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let close = lines.iter().skip(1).position(|l| l.trim_end() == delimiter)? + 1;
    let record = if delimiter == "+++" {
        format!("[translation]\nsource = \"{hash}\"\nmarked = {today}\n")
    } else {
        format!("translation:\n  source: \"{hash}\"\n  marked: {today}\n")
    };
    // Drop an earlier record: its header line and the key lines under it.
    let header = if delimiter == "+++" {
        "[translation]"
    } else {
        "translation:"
    };
    if let Some(start) = lines[..close].iter().position(|l| l.trim_end() == header) {
        let mut end = start + 1;
        while end < close {
            let line = lines[end].trim_start();
            let is_key = line.starts_with("source") || line.starts_with("marked");
            if !is_key {
                break;
            }
            end += 1;
        }
        lines.drain(start..end);
        let close = close - (end - start);
        return Some(insert_before(&lines, close, &record));
    }
    Some(insert_before(&lines, close, &record))
}

fn insert_before(lines: &[&str], index: usize, record: &str) -> String {
    let mut out: String = lines[..index].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(record);
    out.push_str(&lines[index..].concat());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_is_added_then_replaced_keeping_the_rest() {
        let today = Date::parse("2026-11-28").unwrap();
        let text = "+++\ntitle = \"ព្រំដែន\"\n[extra]\nx = 1\n+++\nអត្ថបទ។\n";
        let once = set_translation_record(text, "abc", &today).unwrap();
        assert_eq!(
            once,
            "+++\ntitle = \"ព្រំដែន\"\n[extra]\nx = 1\n[translation]\nsource = \"abc\"\nmarked = 2026-11-28\n+++\nអត្ថបទ។\n"
        );
        let twice = set_translation_record(&once, "def", &today).unwrap();
        assert_eq!(twice, once.replace("abc", "def"));
    }
}
