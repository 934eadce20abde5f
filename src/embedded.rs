//! The default theme and UI strings, built into the binary so `mekong` works in any folder.

use include_dir::{Dir, include_dir};

static LOCALES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/locales");
static THEMES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

/// An embedded file: its path below the embedded folder and its bytes.
pub(crate) struct EmbeddedFile {
    pub(crate) path: String,
    pub(crate) bytes: &'static [u8],
}

fn files_under(dir: &'static Dir<'static>, prefix: &str) -> Vec<EmbeddedFile> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(rest) = path.strip_prefix(prefix) {
                out.push(EmbeddedFile {
                    path: rest.to_owned(),
                    bytes: file.contents(),
                });
            }
        }
        stack.extend(dir.dirs());
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// `.ftl` files of the built-in UI strings for `code`, with paths like `main.ftl`.
pub(crate) fn locale_files(code: &str) -> Vec<EmbeddedFile> {
    files_under(&LOCALES, &format!("{code}/"))
        .into_iter()
        .filter(|f| f.path.ends_with(".ftl"))
        .collect()
}

/// Files of a built-in theme below `sub` (`templates` or `static`), with paths relative to it.
pub(crate) fn theme_files(theme: &str, sub: &str) -> Vec<EmbeddedFile> {
    files_under(&THEMES, &format!("{theme}/{sub}/"))
}

pub(crate) fn has_theme(theme: &str) -> bool {
    THEMES.get_dir(theme).is_some()
}
