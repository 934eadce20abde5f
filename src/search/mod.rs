//! The search index: one per language, built from the rendered text of pages, written as
//! small static files that the dependency-free client (`js/search.js` in the theme) loads on
//! demand: a manifest, term shards keyed by the first letter of a term, and chunks of result
//! data. A first query loads the manifest, the shards of its words and one chunk.

pub mod tokenize;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::config::Config;
use crate::config::LangId;
use crate::content::{Content, Page, PageId, TextChanges};
use crate::i18n::I18n;
use tokenize::tokenize_with;

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
#[derive(Clone)]
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

/// What is indexed of one page, with its terms numbered locally.
#[derive(Default)]
struct Doc {
    /// Local term number → folded term.
    terms: Vec<String>,
    /// Local term number → summed weight.
    weights: Vec<u32>,
    /// Words whose exact spelling differs from their folding (accented), once each.
    exact: Vec<String>,
    /// Pairs of local term numbers standing side by side, once each.
    pairs: Vec<(u32, u32)>,
    text_bytes: usize,
}

/// Builds a `Doc` from text, field by field.
#[derive(Default)]
struct DocBuilder {
    doc: Doc,
    numbers: HashMap<String, u32>,
    exact: std::collections::HashSet<String>,
    pairs: std::collections::HashSet<(u32, u32)>,
    previous: Option<u32>,
}

impl DocBuilder {
    fn add(&mut self, text: &str, code: &str, weight: u32) {
        self.doc.text_bytes += text.len();
        // Words of different fields are not neighbours.
        self.previous = None;
        tokenize_with(text, code, |exact, folded| {
            let number = match self.numbers.get(folded) {
                Some(n) => *n,
                None => {
                    let n = self.doc.terms.len() as u32;
                    self.numbers.insert(folded.to_owned(), n);
                    self.doc.terms.push(folded.to_owned());
                    self.doc.weights.push(0);
                    n
                }
            };
            self.doc.weights[number as usize] += weight;
            if exact != folded && !self.exact.contains(exact) {
                self.exact.insert(exact.to_owned());
            }
            if let Some(previous) = self.previous {
                self.pairs.insert((previous, number));
            }
            self.previous = Some(number);
        });
    }

    fn finish(mut self) -> Doc {
        self.doc.exact = self.exact.into_iter().collect();
        self.doc.pairs = self.pairs.into_iter().collect();
        self.doc
    }
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

/// Reads a page once: its body's word count, and (when it is searchable) its index entry.
fn analyze_page(content: &Content, code: &str, id: PageId, searchable: bool) -> (usize, Option<Doc>) {
    let page = content.page(id);
    if !searchable {
        return (tokenize::count_words(&page.rendered.text), None);
    }
    let mut builder = DocBuilder::default();
    builder.add(&page.title, code, TITLE);
    let mut headings = String::new();
    headings_text(&page.rendered.toc, &mut headings);
    builder.add(&headings, code, HEADING);
    builder.add(page.meta.description.as_deref().unwrap_or(""), code, DESCRIPTION);
    let before = builder.doc.weights.iter().sum::<u32>();
    builder.add(&page.rendered.text, code, BODY);
    let words = (builder.doc.weights.iter().sum::<u32>() - before) as usize;
    (words, Some(builder.finish()))
}

/// First character of a term, as the shard name: its code point in hex.
fn shard_of(term: &str) -> String {
    term.chars()
        .next()
        .map_or_else(|| "0".to_owned(), |c| format!("{:x}", c as u32))
}

/// Ascending doc numbers as space-separated gaps: `3 2 10` is docs 3, 5, 15.
fn gaps(docs: &[u32]) -> String {
    let mut out = String::with_capacity(docs.len() * 3);
    let mut last = 0;
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_number(&mut out, doc - last);
        last = *doc;
    }
    out
}

/// Postings `doc:weight` as gaps, `:weight` left out when it is 1.
fn weighted_gaps(postings: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(postings.len() * 3);
    let mut last = 0;
    for (i, (doc, weight)) in postings.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_number(&mut out, doc - last);
        if *weight != 1 {
            out.push(':');
            push_number(&mut out, *weight);
        }
        last = *doc;
    }
    out
}

/// Writes `n` in decimal, without the formatting machinery: these lists hold millions of
/// numbers, and a preview rebuilds a language's lists on every save.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for digit in &digits[start..] {
        out.push(char::from(*digit));
    }
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

/// Pages already read, by a hash of everything reading them looks at: a rebuild segments
/// only the pages whose text changed.
#[derive(Default)]
pub struct AnalysisCache {
    pages: HashMap<u64, PageAnalysis>,
    /// The last reading of each page, by `PageId`, with its key.
    last: Vec<(u64, PageAnalysis)>,
    /// Each language's index files.
    pub languages: IndexCache,
}

/// A page's body word count, and its index entry when it is searchable.
type PageAnalysis = (usize, Option<Arc<Doc>>);

/// A hash of what `analyze_page` reads of a page.
fn page_key(content: &Content, code: &str, id: PageId, searchable: bool) -> u64 {
    let page = content.page(id);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [
        code,
        &page.title,
        page.meta.description.as_deref().unwrap_or(""),
        &page.rendered.text,
    ] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    let mut headings = String::new();
    headings_text(&page.rendered.toc, &mut headings);
    hasher.update(headings.as_bytes());
    hasher.update(&[u8::from(searchable)]);
    hasher.digest()
}

/// Segments every page's text once, for its word count and for the search index.
pub fn analyze(config: &Config, content: &Content, i18n: &I18n) -> Analysis {
    analyze_cached(config, content, i18n, &mut AnalysisCache::default())
}

/// Like `analyze`, reading again only the pages `cache` has not seen as they are now.
pub fn analyze_cached(
    config: &Config,
    content: &Content,
    i18n: &I18n,
    cache: &mut AnalysisCache,
) -> Analysis {
    let pages = read_pages(config, content, cache, None);
    let word_counts = pages.word_counts.clone();
    let files = build_index(config, content, i18n, pages, &mut cache.languages);
    Analysis { word_counts, files }
}

/// What reading each page yields, before the index is made of it.
pub struct PageReadings {
    /// Words in each page's body, by `PageId`.
    pub word_counts: Vec<usize>,
    keys: Vec<u64>,
    docs: Vec<Option<Arc<Doc>>>,
}

/// The index files of each language, by a hash of everything they were made from.
#[derive(Default)]
pub struct IndexCache(HashMap<LangId, (u64, Vec<IndexFile>)>);

/// Reads (segments) every page, or takes it from `cache` when `cache` read it as it is now.
/// With `changed` (a text-only save: `content` is the tree `cache` last read, with only these
/// texts changed), every other page is taken from the last reading without being looked at.
pub fn read_pages(
    config: &Config,
    content: &Content,
    cache: &mut AnalysisCache,
    changed: Option<&TextChanges>,
) -> PageReadings {
    let search = config.build_search_index;
    let seen = &cache.pages;
    let last = (cache.last.len() == content.pages.len()).then_some(&cache.last);
    let analyzed: Vec<(u64, PageAnalysis)> = content
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            if let (Some(changed), Some(last)) = (changed, last)
                && !changed.has_page(PageId(i as u32))
            {
                return last[i].clone();
            }
            let code = &config.languages[page.file.lang].code;
            let searchable =
                search && config.languages[page.file.lang].build_search_index && indexed(content, page);
            let key = page_key(content, code, PageId(i as u32), searchable);
            if let Some(known) = seen.get(&key) {
                return (key, known.clone());
            }
            let (words, doc) = analyze_page(content, code, PageId(i as u32), searchable);
            (key, (words, doc.map(Arc::new)))
        })
        .collect();
    cache.pages = analyzed.iter().cloned().collect();
    cache.last.clone_from(&analyzed);
    let keys: Vec<u64> = analyzed.iter().map(|(key, _)| *key).collect();
    let (word_counts, docs): (Vec<usize>, Vec<Option<Arc<Doc>>>) =
        analyzed.into_iter().map(|(_, analysis)| analysis).unzip();
    PageReadings {
        word_counts,
        keys,
        docs,
    }
}

/// Makes every language's index from the pages' readings; a language whose pages read as
/// before keeps its files from `cache`. Needs the pages' text (for result snippets).
pub fn build_index(
    config: &Config,
    content: &Content,
    i18n: &I18n,
    pages: PageReadings,
    cache: &mut IndexCache,
) -> Vec<IndexFile> {
    let PageReadings { keys, mut docs, .. } = pages;
    let mut files = Vec::new();
    if !config.build_search_index {
        return files;
    }
    for lang in config.lang_ids() {
        let ids: Vec<PageId> = content
            .pages_in(lang)
            .filter(|id| docs[id.0 as usize].is_some())
            .collect();
        let language_docs: Vec<Arc<Doc>> = ids.iter().filter_map(|id| docs[id.0 as usize].take()).collect();
        // The index is made from the pages' analysis and what its result rows show.
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for id in &ids {
            let page = content.page(*id);
            hasher.update(&keys[id.0 as usize].to_le_bytes());
            hasher.update(page.path.as_bytes());
            hasher.update(format!("{:?}\0", page.meta.date).as_bytes());
            hasher.update(content.section(page.section).title.as_bytes());
            hasher.update(b"\0");
        }
        let key = hasher.digest();
        if let Some((known, made)) = cache.0.get(&lang)
            && *known == key
        {
            files.extend(made.iter().cloned());
            continue;
        }
        let made = build_language(config, content, i18n, lang, &ids, &language_docs);
        files.extend(made.iter().cloned());
        cache.0.insert(lang, (key, made));
    }
    files
}

fn build_language(
    config: &Config,
    content: &Content,
    i18n: &I18n,
    lang: LangId,
    ids: &[PageId],
    docs: &[Arc<Doc>],
) -> Vec<IndexFile> {
    let code = &config.languages[lang].code;
    let base = format!("search/{code}/");

    // Number every term of the language, and gather postings, spellings and pairs.
    // Fx hashing: these maps take every word of the language, and none of their orders
    // reaches the output (shards are sorted maps).
    let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
    let mut terms: Vec<&str> = Vec::new();
    let mut postings: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut exact: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    let mut pairs: FxHashMap<(u32, u32), Vec<u32>> = FxHashMap::default();
    for (n, doc) in docs.iter().enumerate() {
        let n = n as u32;
        let global: Vec<u32> = doc
            .terms
            .iter()
            .map(|term| {
                *numbers.entry(term.as_str()).or_insert_with(|| {
                    terms.push(term.as_str());
                    postings.push(Vec::new());
                    (terms.len() - 1) as u32
                })
            })
            .collect();
        for (local, weight) in doc.weights.iter().enumerate() {
            postings[global[local] as usize].push((n, (*weight).min(999)));
        }
        for word in &doc.exact {
            exact.entry(word.as_str()).or_default().push(n);
        }
        for (a, b) in &doc.pairs {
            pairs
                .entry((global[*a as usize], global[*b as usize]))
                .or_default()
                .push(n);
        }
    }

    // A pair of words is kept only where it tells documents apart: when it stands in several
    // documents, and some document has both words but not side by side. (A pair in a single
    // document costs as much as the text around it and rarely changes the order.)
    pairs.retain(|(a, b), docs| {
        let rarer = postings[*a as usize].len().min(postings[*b as usize].len());
        docs.len() >= 2 && docs.len() < rarer
    });
    // Exact spellings matter only where one folded term has several: `đảng`, `đang`, `dạng`.
    let mut spellings: FxHashMap<String, usize> = FxHashMap::default();
    for word in exact.keys() {
        *spellings.entry(tokenize::fold(word).into_owned()).or_default() += 1;
    }
    exact.retain(|word, _| spellings.get(tokenize::fold(word).as_ref()).copied().unwrap_or(0) > 1);

    let mut by_letter: BTreeMap<String, Shard> = BTreeMap::new();
    for (term, list) in terms.iter().zip(&postings) {
        let shard = by_letter.entry(shard_of(term)).or_default();
        shard.w.insert((*term).to_owned(), weighted_gaps(list));
    }
    for (word, docs) in exact {
        let shard = by_letter.entry(shard_of(&tokenize::fold(word))).or_default();
        shard.x.insert(word.to_owned(), gaps(&docs));
    }
    for ((a, b), docs) in pairs {
        let (first, second) = (terms[a as usize], terms[b as usize]);
        let shard = by_letter.entry(shard_of(first)).or_default();
        shard.b.insert(format!("{first} {second}"), gaps(&docs));
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
                let excerpt = excerpt(&page.rendered.text);
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

/// The first `EXCERPT` characters of `text`, its runs of white space made single spaces.
fn excerpt(text: &str) -> String {
    let mut excerpt = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars >= EXCERPT {
            break;
        }
        if chars > 0 {
            excerpt.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars >= EXCERPT {
                return excerpt;
            }
            excerpt.push(c);
            chars += 1;
        }
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_take_the_first_characters_with_single_spaces() {
        assert_eq!(excerpt("  Đắk   Nông\n\thợp tác "), "Đắk Nông hợp tác");
        for word in ["ព្រំដែន", "a", "ab", "abc"] {
            let long = format!("{word} ").repeat(300);
            let joined: String = long.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(excerpt(&long), joined.chars().take(EXCERPT).collect::<String>());
        }
    }

    #[test]
    fn postings_are_gap_encoded() {
        assert_eq!(gaps(&[3, 5, 15]), "3 2 10");
        assert_eq!(weighted_gaps(&[(0, 8), (4, 1), (9, 2)]), "0:8 4 5:2");
        assert_eq!(gaps(&[0, 10, 4_294_967_295]), "0 10 4294967285");
        assert_eq!(shard_of("doi"), "64");
        assert_eq!(shard_of("ព្រំដែន"), "1796");
    }
}
