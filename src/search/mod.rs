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
/// Raw bytes of terms and postings after which a new shard file starts.
const SHARD_BYTES: usize = 48 * 1024;
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
    /// Bytes of text indexed (titles, headings, descriptions, bodies), for size budgets.
    text_bytes: usize,
    chunk: usize,
    /// First letter of a term (hex code point) → number of the shard file holding it.
    shards: BTreeMap<String, usize>,
}

/// What is indexed of one page.
struct Doc {
    /// (folded term, weight) in order, and the exact forms.
    tokens: Vec<(Token, u32)>,
    text_bytes: usize,
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

/// Segments a page once: its body's word count, and (when it is searchable) its index entry.
fn analyze_page(content: &Content, code: &str, id: PageId, searchable: bool) -> (usize, Option<Doc>) {
    let page = content.page(id);
    let body = tokenize(&page.rendered.text, code);
    let words = body.len();
    if !searchable {
        return (words, None);
    }
    let mut tokens = Vec::new();
    let mut text_bytes = page.rendered.text.len();
    let mut add = |text: &str, weight: u32| {
        text_bytes += text.len();
        tokens.extend(tokenize(text, code).into_iter().map(|t| (t, weight)));
    };
    add(&page.title, TITLE);
    let mut headings = String::new();
    headings_text(&page.rendered.toc, &mut headings);
    add(&headings, HEADING);
    add(page.meta.description.as_deref().unwrap_or(""), DESCRIPTION);
    tokens.extend(body.into_iter().map(|t| (t, BODY)));
    (words, Some(Doc { tokens, text_bytes }))
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

/// What reading the text of every page yields.
pub struct Analysis {
    /// Words in each page's body (Khmer counted by dictionary segmentation), by `PageId`.
    pub word_counts: Vec<usize>,
    /// Every file of every language's index (none when search is off).
    pub files: Vec<IndexFile>,
}

/// Segments every page's text once, for its word count and for the search index.
pub fn analyze(config: &Config, content: &Content, i18n: &I18n) -> Analysis {
    let search = config.build_search_index;
    let analyzed: Vec<(usize, Option<Doc>)> = content
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let code = &config.languages[page.file.lang].code;
            analyze_page(content, code, PageId(i as u32), search && indexed(content, page))
        })
        .collect();
    let (word_counts, mut docs): (Vec<usize>, Vec<Option<Doc>>) = analyzed.into_iter().unzip();
    let mut files = Vec::new();
    if search {
        for lang in 0..config.languages.len() {
            let ids: Vec<PageId> = content
                .pages_in(lang)
                .filter(|id| docs[id.0 as usize].is_some())
                .collect();
            let language_docs: Vec<Doc> = ids.iter().filter_map(|id| docs[id.0 as usize].take()).collect();
            files.extend(build_language(config, content, i18n, lang, &ids, &language_docs));
        }
    }
    Analysis { word_counts, files }
}

fn build_language(
    config: &Config,
    content: &Content,
    i18n: &I18n,
    lang: usize,
    ids: &[PageId],
    docs: &[Doc],
) -> Vec<IndexFile> {
    let code = &config.languages[lang].code;
    let base = format!("search/{code}/");

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

    // A pair of words is kept only where it tells documents apart: when it stands in several
    // documents, and some document has both words but not side by side. (A pair in a single
    // document costs as much as the text around it and rarely changes the order.)
    let df: HashMap<&str, usize> = words
        .iter()
        .map(|(term, postings)| (*term, postings.len()))
        .collect();
    pairs.retain(|pair, docs| {
        let (first, second) = pair.split_once(' ').unwrap_or((pair, ""));
        let rarer = df
            .get(first)
            .copied()
            .unwrap_or(0)
            .min(df.get(second).copied().unwrap_or(0));
        docs.len() >= 2 && docs.len() < rarer
    });
    // Exact spellings matter only where one folded term has several: `đảng`, `đang`, `dạng`.
    let mut spellings: HashMap<String, usize> = HashMap::new();
    for word in exact.keys() {
        *spellings.entry(tokenize::fold(word)).or_default() += 1;
    }
    exact.retain(|word, _| spellings.get(&tokenize::fold(word)).copied().unwrap_or(0) > 1);

    let mut by_letter: BTreeMap<String, Shard> = BTreeMap::new();
    for (term, mut postings) in words {
        postings.sort_unstable();
        by_letter
            .entry(shard_of(term))
            .or_default()
            .w
            .insert(term.to_owned(), weighted_gaps(&postings));
    }
    for (word, docs) in exact {
        let shard = shard_of(&tokenize::fold(word));
        by_letter
            .entry(shard)
            .or_default()
            .x
            .insert(word.to_owned(), gaps(&docs));
    }
    for (pair, docs) in pairs {
        by_letter
            .entry(shard_of(&pair))
            .or_default()
            .b
            .insert(pair, gaps(&docs));
    }
    // Letters are packed into files of a useful size: a small site loads one or two files,
    // a large one only the files of the letters its words start with.
    let mut files_of_letters: Vec<(Vec<String>, Shard)> = Vec::new();
    let mut size = usize::MAX;
    for (letter, shard) in by_letter {
        let shard_size: usize = shard
            .w
            .iter()
            .chain(&shard.x)
            .chain(&shard.b)
            .map(|(k, v)| k.len() + v.len() + 6)
            .sum();
        if size >= SHARD_BYTES {
            files_of_letters.push((Vec::new(), Shard::default()));
            size = 0;
        }
        let (letters, packed) = files_of_letters.last_mut().expect("pushed above");
        letters.push(letter);
        packed.w.extend(shard.w);
        packed.x.extend(shard.x);
        packed.b.extend(shard.b);
        size += shard_size;
    }

    let mut files = Vec::new();
    let manifest = Manifest {
        version: 1,
        lang: code,
        docs: docs.len(),
        text_bytes: docs.iter().map(|d| d.text_bytes).sum(),
        chunk: CHUNK,
        shards: files_of_letters
            .iter()
            .enumerate()
            .flat_map(|(n, (letters, _))| letters.iter().map(move |l| (l.clone(), n)))
            .collect(),
    };
    files.push(IndexFile {
        path: format!("{base}index.json"),
        json: serde_json::to_string(&manifest).unwrap_or_default(),
    });
    for (n, (_, shard)) in files_of_letters.into_iter().enumerate() {
        files.push(IndexFile {
            path: format!("{base}t-{n}.json"),
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
