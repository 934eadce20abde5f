//! Zola's `compile_sass`: every `.scss` and `.sass` file below the theme's and the site's
//! `sass/` folders, partials aside, compiled with grass (compressed, as Zola does) to a `.css`
//! file at the same path of the output.

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::output::{Bytes, OutputFile};

/// The folder compiled, below the site's root.
const SASS_DIR: &str = "sass";

/// The compiled stylesheets — the theme's `sass/` first, then the site's, which wins on equal
/// paths — and warnings about links not followed. Every file that fails is reported, at its
/// `file:line:column`.
pub(crate) fn compile(config: &Config) -> Result<(Vec<OutputFile>, Vec<Diagnostic>)> {
    if !config.compile_sass {
        return Ok((Vec::new(), Vec::new()));
    }
    let theme = format!("themes/{}/{SASS_DIR}", config.theme);
    let mut files: std::collections::BTreeMap<String, OutputFile> = Default::default();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for folder in [theme.as_str(), SASS_DIR] {
        match compile_folder(config, folder) {
            Ok((compiled, links)) => {
                warnings.extend(links);
                files.extend(compiled.into_iter().map(|file| (file.path.clone(), file)));
            }
            Err(err) => errors.extend(err.diagnostics),
        }
    }
    if errors.is_empty() {
        Ok((files.into_values().collect(), warnings))
    } else {
        Err(Error::from_list(errors))
    }
}

/// The stylesheets of one folder (`folder` below the site's root), when it exists.
fn compile_folder(config: &Config, folder: &str) -> Result<(Vec<OutputFile>, Vec<Diagnostic>)> {
    let dir = config.root.join(folder);
    if !dir.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let (found, warnings) = crate::fs::files_below(&dir, &config.root, folder)?;
    // A name starting with `_` is a partial (or a folder of them): imported, never written.
    let sources: Vec<(String, std::path::PathBuf)> = found
        .into_iter()
        .filter(|(rel, _)| !rel.split('/').any(|part| part.starts_with('_')))
        .filter(|(rel, _)| rel.ends_with(".scss") || rel.ends_with(".sass"))
        .collect();
    let mut errors = Vec::new();
    let mut targets: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for (rel, _) in &sources {
        let css = css_path(rel);
        if let Some(other) = targets.insert(css.clone(), rel) {
            errors.push(
                Diagnostic::error(
                    format!("{folder}/{rel}"),
                    format!("`{folder}/{other}` and `{folder}/{rel}` both compile to `{css}`"),
                )
                .hint("rename one of them"),
            );
        }
    }
    let compiled: Vec<std::result::Result<OutputFile, Diagnostic>> = sources
        .par_iter()
        .map(|(rel, path)| {
            let options = grass::Options::default()
                .style(grass::OutputStyle::Compressed)
                .logger(&grass::NullLogger);
            let shown_as = format!("{folder}/{rel}");
            match grass::from_path(path, &options) {
                Ok(css) => Ok(OutputFile {
                    path: css_path(rel),
                    bytes: Bytes::Owned(css.into_bytes()),
                    source: shown_as,
                }),
                Err(err) => Err(sass_error(config, &shown_as, *err)),
            }
        })
        .collect();
    let mut files = Vec::with_capacity(compiled.len());
    for result in compiled {
        match result {
            Ok(file) => files.push(file),
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
    if errors.is_empty() {
        Ok((files, warnings))
    } else {
        errors.sort_by(|a, b| a.file.cmp(&b.file));
        Err(Error::from_list(errors))
    }
}

/// `css/main.scss` → `css/main.css`.
fn css_path(rel: &str) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
    format!("{stem}.css")
}

/// A grass error at the file and position it names (a partial's, when the mistake is there).
fn sass_error(config: &Config, compiled: &str, err: grass::Error) -> Diagnostic {
    match err.kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => {
            let file = std::path::Path::new(loc.file.name());
            let shown = file
                .strip_prefix(&config.root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| compiled.to_owned());
            // grass counts columns in bytes; people count characters.
            let line = loc.file.source_line(loc.begin.line);
            let mut end = loc.begin.column.min(line.len());
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            Diagnostic::error(shown, format!("Sass: {message}"))
                .at(loc.begin.line + 1, line[..end].chars().count() + 1)
                .hint(format!(
                    "fix the stylesheet; {compiled} is compiled because compile_sass = true"
                ))
        }
        grass::ErrorKind::IoError(io) => Diagnostic::error(compiled, format!("Sass: {io}")),
        grass::ErrorKind::FromUtf8Error(message) => Diagnostic::error(compiled, format!("Sass: {message}")),
        _ => Diagnostic::error(compiled, "Sass: the stylesheet could not be compiled"),
    }
}
