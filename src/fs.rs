//! File-system wrappers whose errors always name the path.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};

pub(crate) fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|err| Error::io(path, "read the file", &err))
}

/// Reads a UTF-8 text file; invalid bytes are reported at their line and column.
pub(crate) fn read_text(path: &Path, shown_as: &str) -> Result<String> {
    let bytes = read(path)?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        Error::new(
            Diagnostic::error(shown_as, "the file is not valid UTF-8 text")
                .at_offset(&before, before.len(), 1)
                .hint("save the file with the UTF-8 encoding (most editors offer it under \"Save with encoding\")"),
        )
    })
}

pub(crate) fn metadata(path: &Path) -> Result<std::fs::Metadata> {
    std::fs::metadata(path).map_err(|err| Error::io(path, "read the file's details", &err))
}

pub(crate) fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|err| Error::io(path, "create the folder", &err))
}

pub(crate) fn remove_file(path: &Path) -> Result<()> {
    std::fs::remove_file(path).map_err(|err| Error::io(path, "remove the stale file", &err))
}

pub(crate) fn read_dir_sorted(path: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let entries = std::fs::read_dir(path).map_err(|err| Error::io(path, "list the folder", &err))?;
    let mut entries: Vec<_> = entries
        .collect::<Result<_, _>>()
        .map_err(|err| Error::io(path, "list the folder", &err))?;
    entries.sort_by_key(|entry| entry.file_name());
    Ok(entries)
}

/// One folder met by `walk`: its path below the walked folder and its entries.
pub(crate) struct Folder {
    /// `/`-separated path below the walked folder; empty for the walked folder itself.
    pub(crate) rel: String,
    /// Files in the folder as (name, full path), sorted by name; editor leftovers skipped.
    pub(crate) files: Vec<(String, PathBuf)>,
}

/// Every folder below `dir`, parents before children, each entered once. Symbolic links are
/// followed only while they stay inside `inside` (the site): one that leaves it (or leads
/// nowhere) is skipped with a warning, and one that leads back to a folder above it (a loop)
/// is an error. `shown_as` is how `dir` is named in messages (`content`).
pub(crate) fn walk(dir: &Path, inside: &Path, shown_as: &str) -> Result<(Vec<Folder>, Vec<Diagnostic>)> {
    let inside = inside.canonicalize().unwrap_or_else(|_| inside.to_path_buf());
    let top = dir
        .canonicalize()
        .map_err(|err| Error::io(dir, "open the folder", &err))?;
    let mut folders = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut entered: HashSet<PathBuf> = HashSet::from([top.clone()]);
    // (folder, its path below `dir`, the real paths of it and the folders above it)
    let mut stack = vec![(dir.to_path_buf(), String::new(), vec![top])];
    while let Some((path, rel, chain)) = stack.pop() {
        let mut files = Vec::new();
        let mut children = Vec::new();
        for entry in read_dir_sorted(&path)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if crate::input::is_ignored_name(&name) {
                continue;
            }
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let shown = || format!("{shown_as}/{child_rel}");
            let file_type = entry.file_type().ok();
            let is_link = file_type.is_some_and(|t| t.is_symlink());
            // The listing tells files from folders; only a link costs a look at its target.
            if !is_link && file_type.is_some_and(|t| !t.is_dir()) {
                files.push((name, entry.path()));
                continue;
            }
            let real = if is_link {
                match entry.path().canonicalize() {
                    Ok(real) if real.starts_with(&inside) => real,
                    Ok(real) => {
                        warnings.push(
                            Diagnostic::warning(
                                shown(),
                                format!(
                                    "this link leads outside the site (to {}), so it is not followed",
                                    real.display()
                                ),
                            )
                            .hint("copy the file or folder into the site if it should be published"),
                        );
                        continue;
                    }
                    Err(_) => {
                        warnings.push(
                            Diagnostic::warning(shown(), "this link leads nowhere, so it is skipped")
                                .hint("remove the link, or point it at a file inside the site"),
                        );
                        continue;
                    }
                }
            } else {
                entry.path()
            };
            if !real.is_dir() {
                files.push((name, entry.path()));
                continue;
            }
            if is_link {
                if chain.last().is_some_and(|current| current.starts_with(&real)) {
                    let back_to = match real.strip_prefix(&inside) {
                        Ok(rel) if rel.as_os_str().is_empty() => "the site folder".to_owned(),
                        Ok(rel) => rel.display().to_string(),
                        Err(_) => real.display().to_string(),
                    };
                    errors.push(
                        Diagnostic::error(
                            shown(),
                            format!("this link leads back to {back_to}, which holds the link itself, so following it would never end"),
                        )
                        .hint("remove the link (a folder cannot contain itself)"),
                    );
                    continue;
                }
                if !entered.insert(real.clone()) {
                    warnings.push(
                        Diagnostic::warning(
                            shown(),
                            "this link leads to a folder that is already part of the site, so it is skipped",
                        )
                        .hint("remove the link; the folder is published from where it is"),
                    );
                    continue;
                }
            } else {
                entered.insert(real.clone());
            }
            let mut child_chain = chain.clone();
            child_chain.push(real);
            children.push((entry.path(), child_rel, child_chain));
        }
        folders.push(Folder { rel, files });
        // Reversed so that the stack pops them in name order.
        stack.extend(children.into_iter().rev());
    }
    if errors.is_empty() {
        Ok((folders, warnings))
    } else {
        Err(Error::from_list(errors))
    }
}

/// A file as (`a/b.html` below a folder, full path).
pub(crate) type RelativeFile = (String, PathBuf);

/// Files below `dir` as (`a/b.html`, full path), skipping editor leftovers; see `walk` for
/// links.
pub(crate) fn files_below(
    dir: &Path,
    inside: &Path,
    shown_as: &str,
) -> Result<(Vec<RelativeFile>, Vec<Diagnostic>)> {
    let (folders, warnings) = walk(dir, inside, shown_as)?;
    let mut out: Vec<RelativeFile> = folders
        .into_iter()
        .flat_map(|folder| {
            let prefix = if folder.rel.is_empty() {
                String::new()
            } else {
                format!("{}/", folder.rel)
            };
            folder
                .files
                .into_iter()
                .map(move |(name, path)| (format!("{prefix}{name}"), path))
        })
        .collect();
    out.sort();
    Ok((out, warnings))
}
