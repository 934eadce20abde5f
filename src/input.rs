//! One answer to "is this path an input of the site?", shared by the build's walks and the
//! preview server's watcher.

use std::path::Path;

/// A theme's description, whose `[extra]` gives defaults for `config.extra` (as in Zola).
pub const THEME_FILE: &str = "theme.toml";

/// The one hidden folder a site publishes (RFC 8615): `static/.well-known/security.txt` and
/// the like belong on the site.
pub const WELL_KNOWN: &str = ".well-known";

/// True for names an editor, the OS or version control leaves behind, which are never
/// content: hidden files and folders (but `.well-known`) and editors' leftovers.
pub fn is_ignored_name(name: &str) -> bool {
    (name.starts_with('.') && name != WELL_KNOWN)
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

/// What kind of input changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Config,
    Content,
    Templates,
    Strings,
    Static,
}

/// Classifies a changed path of the site at `root`; `None` for paths that are not inputs
/// (the output folder, editor swap files, version control).
pub fn classify(root: &Path, path: &Path) -> Option<ChangeKind> {
    let relative = path.strip_prefix(root).ok()?;
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    let name = relative.file_name()?.to_string_lossy();
    // Editors save through temporary files; the final rename is the event that counts.
    if is_ignored_name(&name)
        || relative
            .components()
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
    {
        return None;
    }
    match first.as_str() {
        "config.toml" | "zola.toml" => Some(ChangeKind::Config),
        "content" => Some(ChangeKind::Content),
        "templates" => Some(ChangeKind::Templates),
        "locales" => Some(ChangeKind::Strings),
        // Stylesheets compiled to CSS (`compile_sass`) are static files of the output.
        "static" | "sass" => Some(ChangeKind::Static),
        // themes/<name>/templates/…, static/…, sass/… or theme.toml (its `[extra]` is config)
        "themes" => match parts.nth(1).as_deref() {
            Some("templates") => Some(ChangeKind::Templates),
            Some("static" | "sass") => Some(ChangeKind::Static),
            Some(THEME_FILE) => Some(ChangeKind::Config),
            _ => None,
        },
        // public/ (or any other folder) is output or unrelated: changes there never rebuild.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_recognised_and_output_is_not() {
        let root = Path::new("/site");
        let kind = |p: &str| classify(root, &root.join(p));
        assert_eq!(kind("content/news/a.md"), Some(ChangeKind::Content));
        assert_eq!(kind("config.toml"), Some(ChangeKind::Config));
        assert_eq!(kind("zola.toml"), Some(ChangeKind::Config));
        assert_eq!(
            kind("themes/default/templates/page.html"),
            Some(ChangeKind::Templates)
        );
        assert_eq!(
            kind("themes/default/static/css/style.css"),
            Some(ChangeKind::Static)
        );
        assert_eq!(kind("locales/km/main.ftl"), Some(ChangeKind::Strings));
        assert_eq!(kind("sass/parts/_colours.scss"), Some(ChangeKind::Static));
        assert_eq!(kind("themes/river/sass/site.scss"), Some(ChangeKind::Static));
        assert_eq!(kind("themes/river/theme.toml"), Some(ChangeKind::Config));
        assert_eq!(kind("themes/river/README.md"), None);
        assert_eq!(kind("public/index.html"), None);
        assert_eq!(kind("content/news/.a.md.swp"), None);
        assert_eq!(kind("content/news/a.md~"), None);
        assert_eq!(kind(".git/index"), None);
        assert_eq!(kind("static/.git/index"), None);
        assert_eq!(kind("static/.env"), None);
        assert_eq!(kind("static/.well-known/security.txt"), Some(ChangeKind::Static));
        assert_eq!(kind("static/.well-known/.security.txt.swp"), None);
    }
}
