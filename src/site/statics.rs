//! Static files and compiled stylesheets, and their hashes for cache-busting.

use super::*;

/// Static files: the theme's first, then the site's `static/`, which wins on equal paths, then
/// the stylesheets compiled from `sass/` (with `compile_sass = true`).
pub(super) fn static_files(config: &Config) -> Result<(Vec<OutputFile>, Vec<Diagnostic>)> {
    let mut warnings = Vec::new();
    let mut files: HashMap<String, (Bytes, String)> = HashMap::new();
    let theme = format!("themes/{}/static", config.theme);
    let theme_dir = config.root.join(&theme);
    if theme_dir.is_dir() {
        let (found, links) = crate::fs::files_below(&theme_dir, &config.root, &theme)?;
        warnings.extend(links);
        for (rel, path) in found {
            let source = format!("{theme}/{rel}");
            files.insert(rel, (Bytes::Copy(path), source));
        }
    } else if !zola::has_own_templates(config) {
        // A Zola site rendered with its own templates has no use for mekong's theme files.
        for file in crate::embedded::theme_files(&config.theme, "static") {
            let source = format!("(built-in) {theme}/{}", file.path);
            files.insert(file.path, (Bytes::Static(file.bytes), source));
        }
    }
    let site_dir = config.root.join("static");
    if site_dir.is_dir() {
        let (found, links) = crate::fs::files_below(&site_dir, &config.root, "static")?;
        warnings.extend(links);
        for (rel, path) in found {
            let source = format!("static/{rel}");
            files.insert(rel, (Bytes::Copy(path), source));
        }
    }
    // Zola writes the compiled stylesheets over static files of the same name.
    let (compiled, links) = crate::sass::compile(config)?;
    warnings.extend(links);
    for file in compiled {
        files.insert(file.path, (file.bytes, file.source));
    }
    let mut files: Vec<OutputFile> = files
        .into_iter()
        .map(|(path, (bytes, source))| OutputFile { path, bytes, source })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, warnings))
}

/// Short content hashes of static files, for cache-busting `asset()` URLs.
pub(super) fn hash_statics(files: &[OutputFile]) -> Result<HashMap<String, String>> {
    let hashes = files
        .par_iter()
        .map(|file| {
            let hash = match &file.bytes {
                Bytes::Owned(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
                Bytes::Static(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
                Bytes::Text(text) => xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
                Bytes::Copy(path) => xxhash_rust::xxh3::xxh3_64(&crate::fs::read(path)?),
            };
            Ok((file.path.clone(), format!("{:08x}", hash >> 32)))
        })
        .collect::<Vec<_>>();
    Ok(collect_all(hashes)?.into_iter().collect())
}
