//! Helpers shared by the integration tests: copy a fixture site to a temp folder, run the real
//! `mekong` binary on it, and read what it wrote.
#![allow(dead_code, unreachable_pub)]

pub mod browser;
pub mod server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fixture site copied into a fresh temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), dir.path());
        Site { dir }
    }

    /// The real sample site from the repository.
    pub fn sample() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("site");
        for part in ["config.toml", "content", "static", "templates", "locales"] {
            let from = root.join(part);
            if from.is_dir() {
                copy_dir(&from, &dir.path().join(part));
            } else if from.is_file() {
                std::fs::copy(&from, dir.path().join(part)).unwrap();
            }
        }
        Site { dir }
    }

    /// Lays the files of `tests/fixtures/<overlay>` over the site.
    pub fn overlay(&self, overlay: &str) {
        copy_dir(&fixtures().join(overlay), self.dir.path());
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn mekong(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_mekong"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .unwrap()
    }

    /// Builds into `public/`, panicking with mekong's output if it fails.
    pub fn build(&self, extra: &[&str]) -> Output {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let output = self.mekong(&args);
        assert!(
            output.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Runs a build that must fail; returns its error output.
    pub fn build_fails(&self) -> String {
        let output = self.mekong(&["build"]);
        assert!(!output.status.success(), "the build should have failed");
        assert_eq!(
            output.status.code(),
            Some(1),
            "a failed build exits with 1, not a panic"
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    pub fn public(&self, rel: &str) -> String {
        let path = self.root().join("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).exists()
    }

    /// Every file under public/ with its bytes and modification time.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
        let mut files = BTreeMap::new();
        let mut stack = vec![self.root().join("public")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_dir() {
                    stack.push(entry.path());
                } else {
                    let meta = entry.metadata().unwrap();
                    files.insert(
                        entry.path(),
                        (std::fs::read(entry.path()).unwrap(), meta.modified().unwrap()),
                    );
                }
            }
        }
        files
    }
}

/// Every file below `dir` (a built site, say), by its path below `dir`, with its bytes.
pub fn files_below(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// The text of `<main>…</main>`, where the article is.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>");
    &html[start..end]
}

/// Every `href` and `src` value in the HTML.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    out
}

/// For a site built with `--base-url https://example.org/ngoai-vu/`: a link either leaves the
/// site (another host, `mailto:`, `tel:`), stays on the page (`#…`), or stays under the prefix.
pub fn points_inside_prefix(link: &str) -> bool {
    if link.starts_with('#') || link.starts_with("mailto:") || link.starts_with("tel:") {
        return true;
    }
    if link.starts_with('/') {
        return link.starts_with("/ngoai-vu/");
    }
    match link.split_once("://") {
        Some((_, rest)) if rest.starts_with("example.org") => rest.starts_with("example.org/ngoai-vu/"),
        Some(_) => true,
        // Relative links (page-bundle images) resolve under the page, inside the prefix.
        None => !link.starts_with(".."),
    }
}

/// Text a reader meets: text nodes and `alt`, `title` and `aria-label` values, without code,
/// scripts and styles (whose digits are not prose). SVG text (map markers) is included; its
/// coordinates are attributes and are not.
pub fn reader_text(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut hidden_until: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if hidden_until.is_none() && !text.trim().is_empty() {
            out.push(text.to_owned());
        }
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        match hidden_until {
            Some(end) if tag.starts_with(end) => hidden_until = None,
            Some(_) => {}
            None => {
                for (start, end) in [
                    ("<code", "</code"),
                    ("<pre", "</pre"),
                    ("<script", "</script"),
                    ("<style", "</style"),
                ] {
                    if tag.starts_with(start) {
                        hidden_until = Some(end);
                    }
                }
                for attribute in [" alt=\"", " title=\"", " aria-label=\""] {
                    if let Some(at) = tag.find(attribute) {
                        let value = &tag[at + attribute.len()..];
                        out.push(value[..value.find('"').unwrap_or(value.len())].to_owned());
                    }
                }
            }
        }
        rest = &rest[close..];
    }
    out
}

/// A tool a test needs is missing. Without `MEKONG_ALLOW_SKIP=1` the test fails, naming what
/// to install; with it the test is skipped with a loud message. Returns only when skipping.
pub fn missing_tool(what: &str, install: &str) {
    let allowed = std::env::var_os("MEKONG_ALLOW_SKIP").is_some_and(|v| v == "1");
    assert!(
        allowed,
        "{what} is needed by this test and is not installed: {install} \
         (or set MEKONG_ALLOW_SKIP=1 to skip tests whose tools are missing)"
    );
    eprintln!("\n!!! SKIPPED: {what} is not installed ({install}); this check did not run !!!\n");
}
