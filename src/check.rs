//! `mekong check`: builds the site in memory and reports everything staff should fix or know,
//! grouped by file.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Content;
use crate::error::{Diagnostic, Result, Severity};
use crate::render::zola::Dialect;
use crate::site::{BuildOptions, Rendering};
use crate::translations::{self, Status};

/// Everything `check` found, most serious first within each file.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    fn by_file(&self) -> BTreeMap<&str, Vec<&Diagnostic>> {
        let mut files: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for diagnostic in &self.diagnostics {
            files.entry(&diagnostic.file).or_default().push(diagnostic);
        }
        for list in files.values_mut() {
            list.sort_by_key(|d| (std::cmp::Reverse(d.severity), d.line, d.column));
        }
        files
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (file, diagnostics) in self.by_file() {
            out.push_str(file);
            out.push('\n');
            for d in diagnostics {
                let label = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                };
                let place = match (d.line, d.column) {
                    (Some(l), Some(c)) => format!("{file}:{l}:{c}: "),
                    (Some(l), None) => format!("{file}:{l}: "),
                    _ => String::new(),
                };
                out.push_str(&format!("  {place}{label}: {}\n", d.message));
                if let Some(hint) = &d.hint {
                    out.push_str(&format!("    hint: {hint}\n"));
                }
            }
        }
        out.push_str(&format!(
            "{} errors, {} warnings, {} notes\n",
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Note)
        ));
        out
    }

    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Item<'a> {
            severity: &'static str,
            line: Option<usize>,
            column: Option<usize>,
            message: &'a str,
            hint: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            errors: usize,
            warnings: usize,
            notes: usize,
            files: BTreeMap<&'a str, Vec<Item<'a>>>,
        }
        let files = self
            .by_file()
            .into_iter()
            .map(|(file, list)| {
                let items = list
                    .into_iter()
                    .map(|d| Item {
                        severity: match d.severity {
                            Severity::Error => "error",
                            Severity::Warning => "warning",
                            Severity::Note => "note",
                        },
                        line: d.line,
                        column: d.column,
                        message: &d.message,
                        hint: d.hint.as_deref(),
                    })
                    .collect();
                (file, items)
            })
            .collect();
        let json = Json {
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
            notes: self.count(Severity::Note),
            files,
        };
        serde_json::to_string_pretty(&json).unwrap_or_default()
    }
}

/// Checks the site; `Err` only when it cannot be read at all (the error says why).
pub fn check(options: &BuildOptions) -> Result<Report> {
    let mut diagnostics = Vec::new();
    let rendering = match crate::site::render_collecting(options, &mut diagnostics) {
        Ok(rendering) => rendering,
        Err(err) => {
            return Ok(Report {
                diagnostics: err.diagnostics,
            });
        }
    };
    diagnostics.extend(rendering.warnings.iter().cloned());
    diagnostics.extend(translation_warnings(&rendering));
    diagnostics.extend(string_warnings(&rendering));
    diagnostics.extend(page_warnings(&rendering.content));
    diagnostics.extend(language_lint(&rendering));
    diagnostics.extend(schedule_notes(&rendering));
    diagnostics.extend(zola_notes(&rendering));
    Ok(Report { diagnostics })
}

/// The migration report of a site configured or written for Zola: what mekong mapped and
/// where it differs on purpose, as notes on the configuration file. (What it ignores is a
/// warning the build prints too.)
fn zola_notes(rendering: &Rendering) -> Vec<Diagnostic> {
    let config = &rendering.config;
    let migration = &config.migration;
    let front_matter = &rendering.content.zola_front_matter;
    if !migration.from_zola && front_matter.mapped.is_empty() && front_matter.ignored.is_empty() {
        return Vec::new();
    }
    let mut mapped = migration.mapped.clone();
    let engine = match rendering.dialect {
        Dialect::ZolaTera2 => Some("Zola 0.23 (Tera 2)"),
        Dialect::ZolaTera1 => Some("Zola 0.22 (Tera 1)"),
        Dialect::Mekong => None,
    };
    if let Some(engine) = engine {
        mapped.push(format!("templates: the site's own, as {engine} renders them"));
    }
    for (key, files) in &front_matter.mapped {
        let more = match files.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        mapped.push(format!("front matter {key} ({}{more})", files[0]));
    }
    let mut notes = Vec::new();
    if !mapped.is_empty() {
        notes.push(Diagnostic::note(
            config.file,
            format!("Coming from Zola: mapped: {}", mapped.join("; ")),
        ));
    }
    if !migration.differs.is_empty() {
        notes.push(
            Diagnostic::note(
                config.file,
                format!("Coming from Zola: differs: {}", migration.differs.join("; ")),
            )
            .hint("these are mekong's choices for news sites; README \"Coming from Zola\" explains each"),
        );
    }
    notes
}

fn translation_warnings(rendering: &Rendering) -> Vec<Diagnostic> {
    let config = &rendering.config;
    let mut out = Vec::new();
    for row in translations::table(config, &rendering.content) {
        for (lang, cell) in row.languages.iter().enumerate() {
            let language = &config.languages[lang];
            let name = format!("{} ({})", language.name, language.code);
            let warning = match &cell.status {
                Status::Missing => {
                    Diagnostic::warning(&row.source_file, format!("not translated into {name}"))
                        .hint(format!("add {}", sibling(&row.source_file, &language.code)))
                }
                Status::Fallback => Diagnostic::warning(
                    &row.source_file,
                    format!("not translated into {name}; the original is shown"),
                )
                .hint(format!("add {}", sibling(&row.source_file, &language.code))),
                Status::Stale { source_changed } => Diagnostic::warning(
                    cell.file.clone().unwrap_or_default(),
                    format!(
                        "stale translation: {} changed on {source_changed}, after it was translated",
                        row.source_file
                    ),
                )
                .hint(format!(
                    "update the translation, then run: mekong translations --mark {}",
                    cell.file.clone().unwrap_or_default()
                )),
                _ => continue,
            };
            out.push(warning);
        }
    }
    out
}

/// `content/news/a.md` → `content/news/a.km.md`.
fn sibling(file: &str, code: &str) -> String {
    match file.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{code}.md"),
        None => file.to_owned(),
    }
}

fn string_warnings(rendering: &Rendering) -> Vec<Diagnostic> {
    let config = &rendering.config;
    let i18n = &rendering.i18n;
    let mut out = Vec::new();
    for (lang, language) in config.lang_ids().zip(&config.languages) {
        for (other_lang, other) in config.lang_ids().zip(&config.languages) {
            if other_lang == lang {
                continue;
            }
            for id in i18n.message_ids(other_lang).difference(i18n.message_ids(lang)) {
                // Term names are reported below, once per term.
                if is_term_message(config, id) {
                    continue;
                }
                out.push(
                    Diagnostic::warning(
                        format!("locales/{}/", language.code),
                        format!(
                            "the UI string `{id}` exists in {} but not in {}",
                            other.code, language.code
                        ),
                    )
                    .hint(format!(
                        "add `{id} = …` to a .ftl file in locales/{}/",
                        language.code
                    )),
                );
            }
        }
    }
    out.dedup();
    for taxonomy in &rendering.content.taxonomies {
        // A Zola site's own templates show each language's terms as its pages write them.
        if taxonomy.lang.is_default() || rendering.dialect.is_zola() {
            continue;
        }
        let name = &config.taxonomies[taxonomy.taxonomy].name;
        let code = &config.languages[taxonomy.lang].code;
        for term in taxonomy.terms.iter().filter(|t| !t.translated) {
            let id = crate::content::taxonomy::message_id(name, &term.slug);
            out.push(
                Diagnostic::warning(
                    format!("locales/{code}/"),
                    format!(
                        "the {name} term `{}` has no name in {code}; it is shown as written",
                        term.name
                    ),
                )
                .hint(format!("add `{id} = …` to a .ftl file in locales/{code}/")),
            );
        }
    }
    out
}

fn is_term_message(config: &crate::config::Config, id: &str) -> bool {
    config
        .taxonomies
        .iter()
        .any(|t| id.starts_with(&format!("{}-", t.name)) && !id.starts_with("taxonomy-"))
}

fn page_warnings(content: &Content) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in content.pages.iter().filter(|p| p.original.is_none()) {
        let file = &page.file.shown_as;
        if page.title.trim().is_empty() {
            out.push(
                Diagnostic::warning(file, "the page has no title")
                    .hint("add title = \"…\" to the front matter"),
            );
        }
        if page
            .meta
            .description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
        {
            out.push(
                Diagnostic::warning(file, "the page has no description")
                    .hint("add description = \"…\": search engines, feeds and link previews show it"),
            );
        }
        for (line, column, source) in &page.rendered.images_without_alt {
            out.push(
                Diagnostic::warning(file, format!("the image {source} has no alt text"))
                    .at(*line, *column)
                    .hint("describe the image for readers who cannot see it: ![what it shows](image.jpg)"),
            );
        }
    }
    out
}

/// The language lint (`lint.rs`) over every content file as saved, in its own language.
fn language_lint(rendering: &Rendering) -> Vec<Diagnostic> {
    let config = &rendering.config;
    let content = &rendering.content;
    let styles: Vec<Option<crate::lint::NumberStyle>> = config
        .lang_ids()
        .zip(&config.languages)
        .map(|(lang, language)| {
            let name = format!("{} ({})", language.name, language.code);
            crate::lint::NumberStyle::of(rendering.i18n.formats(lang), &name)
        })
        .collect();
    // Fallbacks show another language's file: it is linted as that language's.
    let pages = content
        .pages
        .iter()
        .filter(|p| p.original.is_none())
        .map(|p| (&p.file, &p.meta));
    let sections = content
        .sections
        .iter()
        .filter(|s| s.fallback_from.is_none())
        .filter_map(|s| s.file.as_ref().map(|f| (f, &s.meta)));
    let files: Vec<_> = pages.chain(sections).collect();
    files
        .par_iter()
        .flat_map_iter(|(file, meta)| {
            // The loader read the file already; one that cannot be read again was reported.
            let Ok(text) = std::fs::read_to_string(&file.path) else {
                return Vec::new();
            };
            crate::lint::lint_file(
                &file.shown_as,
                &text,
                styles[file.lang].as_ref(),
                &meta.lint.allow,
            )
        })
        .collect()
}

fn schedule_notes(rendering: &Rendering) -> Vec<Diagnostic> {
    let config = &rendering.config;
    rendering
        .content
        .scheduled
        .iter()
        .map(|s| {
            let code = &config.languages[s.lang].code;
            if s.embargoed {
                Diagnostic::note(
                    &s.file,
                    format!("embargoed: “{}” ({code}) goes live on {}", s.title, s.date),
                )
                .hint("it is left out of builds until then; --future includes it")
            } else {
                Diagnostic::note(
                    &s.file,
                    format!("expired: “{}” ({code}) was taken down on {}", s.title, s.date),
                )
                .hint("it is left out of builds; --expired includes it")
            }
        })
        .collect()
}
