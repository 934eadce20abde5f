//! File-system wrappers whose errors always name the path.

use std::path::Path;

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

pub(crate) fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|err| Error::io(path, "create the folder", &err))
}

/// Writes `bytes` unless the file already holds exactly them; returns whether it wrote.
pub(crate) fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    let same_size = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    if same_size && std::fs::read(path).is_ok_and(|existing| existing == bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).map_err(|err| Error::io(path, "write the file", &err))?;
    Ok(true)
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

/// A symbolic link whose target is outside `inside` (or broken): never read through it, so a
/// link cannot publish or serve a file from elsewhere on the computer.
pub(crate) fn links_outside(entry: &std::fs::DirEntry, inside: &Path) -> bool {
    if !entry.file_type().is_ok_and(|t| t.is_symlink()) {
        return false;
    }
    match (entry.path().canonicalize(), inside.canonicalize()) {
        (Ok(target), Ok(inside)) => !target.starts_with(inside),
        _ => true,
    }
}

/// Files below `dir` as (`a/b.html`, full path), skipping editor leftovers and links that
/// lead outside `inside`.
pub(crate) fn files_below(dir: &Path, inside: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        for entry in read_dir_sorted(&folder)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if crate::content::is_ignored_name(&name) || links_outside(&entry, inside) {
                continue;
            }
            let rel = format!("{prefix}{name}");
            if entry.path().is_dir() {
                stack.push((entry.path(), format!("{rel}/")));
            } else {
                out.push((rel, entry.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}
