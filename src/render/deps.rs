//! What each rendered output depended on, so a rebuild renders only the jobs whose inputs
//! changed. A job's inputs are the values put into its template context (hashed), the
//! templates it can load, and what its template functions read while it rendered: UI strings,
//! pages and sections looked up by path, links and asset hashes. No rule is written per kind
//! of job: every function that reads site data records the read, and the read's current
//! version is compared at the next rebuild.

use std::cell::RefCell;
use std::hash::Hasher;

use tera::Value;
use xxhash_rust::xxh3::Xxh3;

use crate::config::LangId;
use crate::content::Target;
use crate::i18n::I18n;
use crate::render::SiteData;

/// One thing a template function read while a job rendered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Read {
    /// `t(key=…)` in a language.
    Message { lang: LangId, key: String },
    /// `get_page(path=…)` or `get_section(path=…)` in a language.
    Lookup { path: String, lang: LangId },
    /// `url(path="@/…")` in a language.
    Link { path: String, lang: LangId },
    /// `asset(path=…)`.
    Asset { path: String },
    /// Zola's `get_taxonomy…(kind=…)` in a language.
    Taxonomy { kind: String, lang: LangId },
    /// A file a template function read (Zola's `load_data`, `get_hash`, `get_image_metadata`).
    File { path: std::path::PathBuf },
}

thread_local! {
    /// Reads of the job rendering on this thread; `None` when nothing is recording.
    static READS: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Records a read of the job rendering on this thread, if one is recording.
pub(crate) fn record(read: Read) {
    READS.with(|reads| {
        if let Some(reads) = reads.borrow_mut().as_mut()
            && !reads.contains(&read)
        {
            reads.push(read);
        }
    });
}

/// Runs `render` and returns what its template functions read.
pub(crate) fn recording<T>(render: impl FnOnce() -> T) -> (T, Vec<Read>) {
    let outer = READS.with(|reads| reads.borrow_mut().replace(Vec::new()));
    let result = render();
    let reads = READS
        .with(|reads| std::mem::replace(&mut *reads.borrow_mut(), outer))
        .unwrap_or_default();
    (result, reads)
}

/// What the reads of a build resolve to now, to compare with what they resolved to before.
pub struct Versions<'a> {
    pub data: &'a SiteData,
    pub values: &'a ValueHashes,
    pub i18n: &'a I18n,
    pub asset_hashes: &'a std::collections::HashMap<String, String>,
    /// Hash of every URL a link can resolve to.
    pub links: u64,
    pub codes: &'a [String],
}

impl Versions<'_> {
    /// The version of what `read` resolves to now. Versions are compared only with earlier
    /// versions of the same read, so they need to differ only when what it resolves to does.
    pub fn of(&self, read: &Read) -> u64 {
        match read {
            Read::Message { lang, key } => match self.i18n.message_version(*lang, key) {
                // A missing message falls back to the default language.
                0 => mix(1, self.i18n.message_version(LangId::DEFAULT, key)),
                own => own,
            },
            Read::Lookup { path, lang } => match self.data.content.resolve(path, *lang, self.codes) {
                Some(Target::Page(id)) => mix(1, self.values.hash(&self.data.page_values[id.0 as usize])),
                Some(Target::Section(id)) => {
                    mix(2, self.values.hash(&self.data.section_values[id.0 as usize]))
                }
                None => 0,
            },
            Read::Link { .. } => self.links,
            Read::Asset { path } => xxhash_rust::xxh3::xxh3_64(
                self.asset_hashes
                    .get(path.as_str())
                    .map_or("", |h| h.as_str())
                    .as_bytes(),
            ),
            Read::Taxonomy { kind, lang } => {
                let found =
                    self.data.content.taxonomies.iter().position(|t| {
                        t.lang == *lang && self.data.config.taxonomies[t.taxonomy].name == *kind
                    });
                match found.and_then(|index| self.data.taxonomies.get(index)) {
                    Some(values) => mix(3, self.values.hash(&values.whole)),
                    None => 0,
                }
            }
            Read::File { path } => match std::fs::metadata(path) {
                // A file's size and time of change stand for its bytes.
                Ok(meta) => {
                    let modified = meta
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                    mix(meta.len(), modified.map_or(0, |d| d.as_nanos() as u64))
                }
                Err(_) => 0,
            },
        }
    }
}

/// Folds `next` into `hash`: order matters, and every bit of both reaches every bit of the
/// result (splitmix64's finaliser).
fn mix(hash: u64, next: u64) -> u64 {
    let mut z = hash.rotate_left(23) ^ next ^ 0x9E37_79B9_7F4A_7C15;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A site value by its place: the page values (by `PageId`), then the list values, then
/// the section values.
pub type ValueId = u32;

/// Hashes of template values, with the site's own page, list and section values hashed once
/// per build: contexts share those values (clones share their maps), so hashing a list page's
/// context costs its own few fields, not its ten pages again.
pub struct ValueHashes {
    /// By the address of a site value's map, which lives as long as the build's `SiteData`:
    /// its hash and its place.
    known: std::collections::HashMap<usize, (u64, ValueId)>,
    /// The hash of each site value, by `ValueId`.
    by_id: Vec<u64>,
}

impl ValueHashes {
    /// `page_hashes` and `list_hashes` are the hashes of `data`'s page and list values, in
    /// their order (made with the values, see `site::page_values`).
    pub fn new(data: &SiteData, page_hashes: &[u64], list_hashes: &[u64]) -> ValueHashes {
        use rayon::prelude::*;
        let pages = data.page_values.iter().zip(page_hashes);
        let lists = data.list_values.iter().zip(list_hashes);
        let mut by_id: Vec<u64> = page_hashes.iter().chain(list_hashes).copied().collect();
        let mut hashes = ValueHashes {
            known: pages
                .chain(lists)
                .enumerate()
                .filter_map(|(id, (value, hash))| Some((map_address(value)?, (*hash, id as ValueId))))
                .collect(),
            by_id: Vec::new(),
        };
        // Sections hold list values: hash them once those are known.
        let sections: Vec<(Option<usize>, u64)> = data
            .section_values
            .par_iter()
            .map(|value| (map_address(value), hashes.hash(value)))
            .collect();
        for (address, hash) in sections {
            let id = by_id.len() as ValueId;
            by_id.push(hash);
            if let Some(address) = address {
                hashes.known.insert(address, (hash, id));
            }
        }
        hashes.by_id = by_id;
        hashes
    }

    /// A hash of `value`'s content, knowing no value of the site.
    pub fn structural(value: &Value) -> u64 {
        ValueHashes {
            known: std::collections::HashMap::new(),
            by_id: Vec::new(),
        }
        .hash(value)
    }

    /// The hash of each site value, by `ValueId`.
    pub fn by_id(&self) -> &[u64] {
        &self.by_id
    }

    /// A hash of `value`'s content.
    pub fn hash(&self, value: &Value) -> u64 {
        self.hash_noting(value, None)
    }

    /// A hash of `value`'s content; the site values met inside it are added to `used`.
    pub fn hash_noting(&self, value: &Value, mut used: Option<&mut Vec<ValueId>>) -> u64 {
        if let Some(address) = map_address(value)
            && let Some((hash, id)) = self.known.get(&address)
        {
            if let Some(used) = used
                && !used.contains(id)
            {
                used.push(*id);
            }
            return *hash;
        }
        if let Some(map) = value.as_map() {
            let mut hash = mix(u64::from(b'{'), map.len() as u64);
            for (key, item) in map {
                hash = mix(hash, key_hash(key));
                hash = mix(hash, self.hash_noting(item, used.as_deref_mut()));
            }
            hash
        } else if let Some(items) = value.as_array() {
            let mut hash = mix(u64::from(b'['), items.len() as u64);
            for item in items {
                hash = mix(hash, self.hash_noting(item, used.as_deref_mut()));
            }
            hash
        } else if let Some(text) = value.as_str() {
            let seed = if value.is_safe() { b'S' } else { b's' };
            xxhash_rust::xxh3::xxh3_64_with_seed(text.as_bytes(), u64::from(seed))
        } else {
            let mut hasher = Xxh3::new();
            hash_value(&mut hasher, value);
            hasher.finish()
        }
    }
}

fn key_hash(key: &tera::value::Key<'_>) -> u64 {
    match key.as_str() {
        Some(text) => xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        None => {
            let mut hasher = Xxh3::new();
            std::hash::Hash::hash(key, &mut hasher);
            hasher.finish()
        }
    }
}

fn map_address(value: &Value) -> Option<usize> {
    value.as_map().map(|map| map as *const tera::Map as usize)
}

/// Feeds a template value to a hasher, through its serialized form.
pub fn hash_value(hasher: &mut Xxh3, value: &Value) {
    hash_serialized(hasher, value);
}

/// Feeds the serialized form of `value` to a hasher without building any text.
pub(crate) fn hash_serialized(hasher: &mut Xxh3, value: &(impl serde::Serialize + ?Sized)) {
    crate::render::hash_serializer::hash_into(hasher, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recorded_only_while_recording_and_once_each() {
        record(Read::Asset { path: "lost".into() });
        let ((), reads) = recording(|| {
            record(Read::Asset { path: "a.css".into() });
            record(Read::Asset { path: "a.css".into() });
            let ((), inner) = recording(|| record(Read::Asset { path: "inner".into() }));
            assert_eq!(inner.len(), 1);
            record(Read::Message {
                lang: LangId::at(1),
                key: "read-more".into(),
            });
        });
        assert_eq!(
            reads,
            [
                Read::Asset { path: "a.css".into() },
                Read::Message {
                    lang: LangId::at(1),
                    key: "read-more".into()
                }
            ]
        );
    }
}
