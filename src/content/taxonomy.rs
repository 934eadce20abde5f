//! Taxonomies (tags, categories…): which pages carry each term, per language.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::config::LangId;
use crate::content::slug::slugify;
use crate::content::{Content, PageId};
use crate::error::{Diagnostic, Error, Result, did_you_mean};

/// All terms of one taxonomy in one language.
#[derive(Debug, Clone)]
pub struct TaxonomyTerms {
    /// Index into `Config::taxonomies`.
    pub taxonomy: usize,
    pub lang: LangId,
    /// Site path of the list of terms; starts and ends with `/`.
    pub path: String,
    /// Terms ordered by slug.
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone)]
pub struct Term {
    /// The term's name in this language: from the `.ftl` message `<taxonomy>-<slug>` when
    /// there is one, else as first written in the front matter.
    pub name: String,
    /// Whether `name` came from a UI string of this language.
    pub translated: bool,
    pub slug: String,
    /// Site path of the term page; starts and ends with `/`.
    pub path: String,
    /// Newest first.
    pub pages: Vec<PageId>,
}

pub fn collect(config: &Config, content: &Content) -> Result<Vec<TaxonomyTerms>> {
    let mut diagnostics = Vec::new();
    let every_language = config
        .languages
        .iter()
        .all(|l| l.taxonomies.len() == config.taxonomies.len());
    // Fallback pages carry the original's terms; they are checked there.
    for page in content.pages.iter().filter(|p| p.original.is_none()) {
        let language = &config.languages[page.file.lang];
        // Under Zola's per-language taxonomies, a language has only the ones it declares.
        let declared: Vec<&str> = language
            .taxonomies
            .iter()
            .map(|&t| config.taxonomies[t].name.as_str())
            .collect();
        for name in page.meta.taxonomies.keys() {
            if !declared.contains(&name.as_str()) {
                let file = config.file;
                let hint = match did_you_mean(name, declared.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if every_language => format!(
                        "declare it in {file}: [[taxonomies]] name = \"{name}\"; declared now: {}",
                        declared.join(", ")
                    ),
                    None => format!(
                        "declare it in {file} under [languages.{}] taxonomies = [{{ name = \"{name}\" }}]; declared for this language now: {}",
                        language.code,
                        declared.join(", ")
                    ),
                };
                let message = if every_language {
                    format!("[taxonomies] uses `{name}`, which {file} does not declare")
                } else {
                    format!(
                        "[taxonomies] uses `{name}`, which {file} does not declare for {} ({})",
                        language.name, language.code
                    )
                };
                diagnostics.push(Diagnostic::error(page.file.shown_as.clone(), message).hint(hint));
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(Error::from_list(diagnostics));
    }
    let mut all = Vec::new();
    for (taxonomy_index, taxonomy) in config.taxonomies.iter().enumerate() {
        for (lang, language) in config.lang_ids().zip(&config.languages) {
            if !language.taxonomies.contains(&taxonomy_index) {
                continue;
            }
            let base = format!("/{}{}/", language.prefix, slugify(&taxonomy.name));
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for id in content.pages_in(lang) {
                let page = content.page(id);
                for name in page.meta.taxonomies.get(&taxonomy.name).into_iter().flatten() {
                    let slug = slugify(name);
                    terms
                        .entry(slug.clone())
                        .or_insert_with(|| Term {
                            name: name.clone(),
                            translated: false,
                            path: format!("{base}{slug}/"),
                            slug,
                            pages: Vec::new(),
                        })
                        .pages
                        .push(id);
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            for term in &mut terms {
                term.pages.sort_by(|a, b| {
                    let (a, b) = (content.page(*a), content.page(*b));
                    let date = |p: &crate::content::Page| p.meta.date.map(|d| d.timestamp());
                    date(b)
                        .cmp(&date(a))
                        .then_with(|| a.file.shown_as.cmp(&b.file.shown_as))
                });
            }
            all.push(TaxonomyTerms {
                taxonomy: taxonomy_index,
                lang,
                path: base,
                terms,
            });
        }
    }
    Ok(all)
}

/// The UI-string id holding a term's name in a language: `tags-bien-gioi`.
pub fn message_id(taxonomy: &str, slug: &str) -> String {
    format!("{taxonomy}-{slug}")
}

/// Gives terms their names in each language from the UI strings, so the Vietnamese tag
/// `Biên giới` reads `Border` on English pages and keeps one URL key across languages.
/// `string(lang, id)` is the UI string `id` of language `lang`, when it defines one.
pub fn localise_names(
    config: &Config,
    content: &mut Content,
    string: impl Fn(LangId, &str) -> Option<String>,
) {
    for taxonomy in &mut content.taxonomies {
        let name = &config.taxonomies[taxonomy.taxonomy].name;
        for term in &mut taxonomy.terms {
            if let Some(text) = string(taxonomy.lang, &message_id(name, &term.slug)) {
                term.name = text;
                term.translated = true;
            }
        }
    }
}

impl Content {
    /// The terms of taxonomy `taxonomy` (index in config) in `lang`.
    pub fn terms(&self, taxonomy: usize, lang: LangId) -> Option<&TaxonomyTerms> {
        self.taxonomies
            .iter()
            .find(|t| t.taxonomy == taxonomy && t.lang == lang)
    }

    pub fn term(&self, taxonomy: usize, lang: LangId, slug: &str) -> Option<&Term> {
        let terms = self.terms(taxonomy, lang)?;
        terms
            .terms
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &terms.terms[i])
    }
}
