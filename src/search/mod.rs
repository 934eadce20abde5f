//! The search index: one per language, built from the rendered text of pages, written as
//! small static files that the dependency-free client (`js/search.js` in the theme) loads on
//! demand: a manifest, term shards keyed by the first letter of a term, and chunks of result
//! data. A first query loads the manifest, the shards of its words and one chunk.

pub mod tokenize;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::{Content, Page, PageId};
use crate::i18n::I18n;
use tokenize::{Token, tokenize};

/// Results per data chunk.
const CHUNK: usize = 32;
/// Characters of text kept per page for result snippets.
const EXCERPT: usize = 280;

/// Weight of a word by where it stands.
const TITLE: u32 = 8;
const HEADING: u32 = 3;
const DESCRIPTION: u32 = 2;
const BODY: u32 = 1;

/// One file of the index: its path below the output folder and its JSON.
pub struct IndexFile {
    pub path: String,
    pub json: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    lang: &'a str,
    docs: usize,
    chunk: usize,
    /// Shard names (hex code of the first character of their terms).
    shards: Vec<String>,
}

/// What is indexed of one page.
struct Doc {
    /// (folded term, weight) in order, and the exact forms.
    tokens: Vec<(Token, u32)>,
}

/// Whether `page` goes in the index: real pages of sections that do not opt out.
fn indexed(content: &Content, page: &Page) -> bool {
    if page.original.is_some() || page.meta.in_search_index == Some(false) {
        return false;
    }
    let mut section = Some(page.section);
    while let Some(id) = section {
        let s = content.section(id);
        if s.meta.in_search_index == Some(false) {
            return false;
        }
        section = s.parent;
    }
    true
}

fn headings_text(headings: &[crate::markdown::Heading], out: &mut String) {
    for heading in headings {
        out.push_str(&heading.title);
        out.push('\n');
        headings_text(&heading.children, out);
    }
}

fn doc(content: &Content, code: &str, id: PageId) -> Doc {
    let page = content.page(id);
    let mut tokens = Vec::new();
    let mut add = |text: &str, weight: u32| {
        tokens.extend(tokenize(text, code).into_iter().map(|t| (t, weight)));
    };
    add(&page.title, TITLE);
    let mut headings = String::new();
    headings_text(&page.rendered.toc, &mut headings);
    add(&headings, HEADING);
    add(page.meta.description.as_deref().unwrap_or(""), DESCRIPTION);
    add(&page.rendered.text, BODY);
    Doc { tokens }
}

/// First character of a term, as the shard name: its code point in hex.
fn shard_of(term: &str) -> String {
    term.chars()
        .next()
        .map_or_else(|| "0".to_owned(), |c| format!("{:x}", c as u32))
}

/// Ascending doc numbers as space-separated gaps: `3 2 10` is docs 3, 5, 15.
fn gaps(docs: &[u32]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&(doc - last).to_string());
        last = *doc;
    }
    out
}

/// Postings `doc:weight` as gaps, `:weight` left out when it is 1.
fn weighted_gaps(postings: &[(u32, u32)]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (i, (doc, weight)) in postings.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&(doc - last).to_string());
        if *weight != 1 {
            out.push(':');
            out.push_str(&weight.to_string());
        }
        last = *doc;
    }
    out
}

#[derive(Default, Serialize)]
struct Shard {
    /// Folded term → weighted postings.
    w: BTreeMap<String, String>,
    /// Exact (accented) word → docs, for words whose folding changes them.
    x: BTreeMap<String, String>,
    /// Two adjacent folded terms, space-joined → docs.
    b: BTreeMap<String, String>,
}

/// Builds every index file of every language.
pub fn build(config: &Config, content: &Content, i18n: &I18n) -> Vec<IndexFile> {
    if !config.build_search_index {
        return Vec::new();
    }
    (0..config.languages.len())
        .into_par_iter()
        .flat_map_iter(|lang| build_language(config, content, i18n, lang))
        .collect()
}

fn build_language(config: &Config, content: &Content, i18n: &I18n, lang: usize) -> Vec<IndexFile> {
    let code = &config.languages[lang].code;
    let base = format!("search/{code}/");
    let ids: Vec<PageId> = content
        .pages_in(lang)
        .filter(|id| indexed(content, content.page(*id)))
        .collect();
    let docs: Vec<Doc> = ids.par_iter().map(|id| doc(content, code, *id)).collect();

    let mut words: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
    let mut exact: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut pairs: HashMap<String, Vec<u32>> = HashMap::new();
    for (n, doc) in docs.iter().enumerate() {
        let n = n as u32;
        let mut weights: HashMap<&str, u32> = HashMap::new();
        for (token, weight) in &doc.tokens {
            *weights.entry(token.folded.as_str()).or_default() += weight;
            if token.exact != token.folded {
                let list = exact.entry(token.exact.as_str()).or_default();
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
        }
        for (term, weight) in weights {
            words.entry(term).or_default().push((n, weight.min(999)));
        }
        for pair in doc.tokens.windows(2) {
            let key = format!("{} {}", pair[0].0.folded, pair[1].0.folded);
            let list = pairs.entry(key).or_default();
            if list.last() != Some(&n) {
                list.push(n);
            }
        }
    }

    let mut shards: BTreeMap<String, Shard> = BTreeMap::new();
    for (term, mut postings) in words {
        postings.sort_unstable();
        shards
            .entry(shard_of(term))
            .or_default()
            .w
            .insert(term.to_owned(), weighted_gaps(&postings));
    }
    for (word, docs) in exact {
        let shard = shard_of(&tokenize::fold(word));
        shards
            .entry(shard)
            .or_default()
            .x
            .insert(word.to_owned(), gaps(&docs));
    }
    for (pair, docs) in pairs {
        shards
            .entry(shard_of(&pair))
            .or_default()
            .b
            .insert(pair, gaps(&docs));
    }

    let mut files = Vec::new();
    let manifest = Manifest {
        version: 1,
        lang: code,
        docs: docs.len(),
        chunk: CHUNK,
        shards: shards.keys().cloned().collect(),
    };
    files.push(IndexFile {
        path: format!("{base}index.json"),
        json: serde_json::to_string(&manifest).unwrap_or_default(),
    });
    for (name, shard) in shards {
        files.push(IndexFile {
            path: format!("{base}t-{name}.json"),
            json: serde_json::to_string(&shard).unwrap_or_default(),
        });
    }
    let formats = i18n.formats(lang);
    for (n, chunk) in ids.chunks(CHUNK).enumerate() {
        let rows: Vec<[String; 5]> = chunk
            .iter()
            .map(|id| {
                let page = content.page(*id);
                let excerpt: String = page
                    .rendered
                    .text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let excerpt: String = excerpt.chars().take(EXCERPT).collect();
                [
                    page.title.clone(),
                    config.permalink(&page.path),
                    page.meta.date.map(|d| formats.date(&d, None)).unwrap_or_default(),
                    content.section(page.section).title.clone(),
                    excerpt,
                ]
            })
            .collect();
        files.push(IndexFile {
            path: format!("{base}d-{n}.json"),
            json: serde_json::to_string(&rows).unwrap_or_default(),
        });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_gap_encoded() {
        assert_eq!(gaps(&[3, 5, 15]), "3 2 10");
        assert_eq!(weighted_gaps(&[(0, 8), (4, 1), (9, 2)]), "0:8 4 5:2");
        assert_eq!(shard_of("doi"), "64");
        assert_eq!(shard_of("ព្រំដែន"), "1796");
    }
}
