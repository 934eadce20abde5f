//! What a deploy sends and deletes: the built folder's hashes against the target's manifest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Result, collect_all};

/// `.mekong-manifest.json` at the target: every file the last deploy left there, by content hash.
/// It is the only thing that makes a file "ours": files missing from it are never deleted
/// unless `--prune` says so.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Format version; a newer one than this mekong knows is ignored (treated as missing).
    pub(crate) version: u32,
    pub(crate) files: BTreeMap<String, ManifestEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ManifestEntry {
    pub(crate) hash: String,
    pub(crate) size: u64,
}

impl Manifest {
    const VERSION: u32 = 1;

    /// Reads a manifest; one that cannot be read is treated as missing (and rebuilt by hashing).
    pub(crate) fn parse(bytes: &[u8]) -> Option<Manifest> {
        serde_json::from_slice::<Manifest>(bytes)
            .ok()
            .filter(|m| m.version == Manifest::VERSION)
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    pub(crate) fn new(files: BTreeMap<String, ManifestEntry>) -> Manifest {
        Manifest {
            version: Manifest::VERSION,
            files,
        }
    }
}

/// The content hash recorded for a file: 128-bit xxh3, as 32 hex digits.
pub(crate) fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub(crate) struct LocalFile {
    /// `/`-separated path below the built folder.
    pub(crate) path: String,
    pub(crate) full: PathBuf,
    pub(crate) size: u64,
    pub(crate) hash: String,
}

/// Names in a built folder that are mekong's bookkeeping, not the site.
fn is_bookkeeping(name: &str) -> bool {
    name == crate::output::MARKER || name.starts_with(".mekong-tmp-") || name == super::Target::MANIFEST
}

/// Every file below `dir`, hashed in parallel, sorted by path. Symbolic links are followed
/// (the build never writes them); folders only reachable through a loop are an error.
pub(crate) fn local_files(dir: &Path) -> Result<Vec<LocalFile>> {
    let mut paths = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
    while let Some((folder, rel, depth)) = stack.pop() {
        if depth > 64 {
            return Err(Error::new(
                Diagnostic::error(
                    folder.display().to_string(),
                    "folders nested too deep (a symbolic link loop?)",
                )
                .hint("remove the link that leads back up"),
            ));
        }
        for entry in crate::fs::read_dir_sorted(&folder)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if rel.is_empty() && is_bookkeeping(&name) {
                continue;
            }
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let full = entry.path();
            let metadata = crate::fs::metadata(&full)?;
            if metadata.is_dir() {
                stack.push((full, child, depth + 1));
            } else if metadata.is_file() {
                paths.push((child, full));
            }
        }
    }
    let hashed: Vec<Result<LocalFile>> = paths
        .into_par_iter()
        .map(|(path, full)| {
            let bytes = crate::fs::read(&full)?;
            Ok(LocalFile {
                path,
                full,
                size: bytes.len() as u64,
                hash: hash(&bytes),
            })
        })
        .collect();
    let mut files = collect_all(hashed)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What to do at the target.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to send, as paths into the local files, sorted.
    pub uploads: Vec<(String, u64)>,
    /// Files to delete at the target, sorted.
    pub deletes: Vec<String>,
    /// Files already at the target with the same bytes.
    pub unchanged: usize,
    /// Files at the target that no deploy put there and that stay (no `--prune`), sorted.
    pub kept: Vec<String>,
}

impl Plan {
    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|(_, size)| size).sum()
    }
}

/// The files at the target whose bytes must be read and hashed: those the site also has but
/// the manifest does not vouch for (no manifest, or a file put there by other means).
pub(crate) fn to_hash(
    local: &[LocalFile],
    remote: &BTreeSet<String>,
    manifest: Option<&Manifest>,
) -> Vec<String> {
    local
        .iter()
        .filter(|file| remote.contains(&file.path))
        .filter(|file| manifest.is_none_or(|m| !m.files.contains_key(&file.path)))
        .map(|file| file.path.clone())
        .collect()
}

/// Compares the built site with the target. `remote` lists the files at the target, `hashed`
/// holds the hashes read for the files `to_hash` named.
pub(crate) fn plan(
    local: &[LocalFile],
    remote: &BTreeSet<String>,
    manifest: Option<&Manifest>,
    hashed: &BTreeMap<String, String>,
    prune: bool,
) -> Plan {
    let mut plan = Plan::default();
    let ours: BTreeSet<&str> = local.iter().map(|f| f.path.as_str()).collect();
    for file in local {
        let there = remote.contains(&file.path).then(|| {
            manifest
                .and_then(|m| m.files.get(&file.path))
                .map(|entry| &entry.hash)
                .or_else(|| hashed.get(&file.path))
        });
        if there.flatten() == Some(&file.hash) {
            plan.unchanged += 1;
        } else {
            plan.uploads.push((file.path.clone(), file.size));
        }
    }
    for path in remote {
        if ours.contains(path.as_str()) || path == super::Target::MANIFEST {
            continue;
        }
        let deployed_before = manifest.is_some_and(|m| m.files.contains_key(path));
        if deployed_before || prune {
            plan.deletes.push(path.clone());
        } else {
            plan.kept.push(path.clone());
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(files: &[(&str, &str)]) -> Vec<LocalFile> {
        files
            .iter()
            .map(|(path, text)| LocalFile {
                path: (*path).to_owned(),
                full: PathBuf::from(path),
                size: text.len() as u64,
                hash: hash(text.as_bytes()),
            })
            .collect()
    }

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        Manifest::new(
            files
                .iter()
                .map(|(path, text)| {
                    let entry = ManifestEntry {
                        hash: hash(text.as_bytes()),
                        size: text.len() as u64,
                    };
                    ((*path).to_owned(), entry)
                })
                .collect(),
        )
    }

    fn set(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn only_changed_files_are_sent_and_only_our_old_files_deleted() {
        let site = local(&[("index.html", "new"), ("news/a/index.html", "a")]);
        let remote = set(&[
            "index.html",
            "news/a/index.html",
            "news/old/index.html",
            "bao-cao.pdf",
            ".mekong-manifest.json",
        ]);
        let before = manifest(&[
            ("index.html", "old"),
            ("news/a/index.html", "a"),
            ("news/old/index.html", "x"),
        ]);
        let plan = plan(&site, &remote, Some(&before), &BTreeMap::new(), false);
        assert_eq!(plan.uploads, [("index.html".to_owned(), 3)]);
        assert_eq!(plan.deletes, ["news/old/index.html"]);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.kept, ["bao-cao.pdf"]);
    }

    #[test]
    fn prune_deletes_what_others_put_there_too() {
        let site = local(&[("index.html", "a")]);
        let remote = set(&["index.html", "bao-cao.pdf"]);
        let plan = plan(
            &site,
            &remote,
            Some(&manifest(&[("index.html", "a")])),
            &BTreeMap::new(),
            true,
        );
        assert_eq!(plan.deletes, ["bao-cao.pdf"]);
        assert!(plan.uploads.is_empty());
    }

    #[test]
    fn without_a_manifest_the_target_is_hashed_and_nothing_foreign_deleted() {
        let site = local(&[("index.html", "a"), ("new.html", "n"), ("changed.html", "2")]);
        let remote = set(&["index.html", "changed.html", "old.html"]);
        assert_eq!(to_hash(&site, &remote, None), ["index.html", "changed.html"]);
        let hashed = BTreeMap::from([
            ("index.html".to_owned(), hash(b"a")),
            ("changed.html".to_owned(), hash(b"1")),
        ]);
        let plan = plan(&site, &remote, None, &hashed, false);
        let sent: Vec<&str> = plan.uploads.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(sent, ["new.html", "changed.html"]);
        assert!(plan.deletes.is_empty());
        assert_eq!(plan.kept, ["old.html"]);
    }

    #[test]
    fn a_file_listed_in_the_manifest_but_gone_from_the_target_is_sent_again() {
        let site = local(&[("index.html", "a")]);
        let plan = plan(
            &site,
            &set(&[]),
            Some(&manifest(&[("index.html", "a")])),
            &BTreeMap::new(),
            false,
        );
        assert_eq!(plan.uploads.len(), 1);
    }
}
