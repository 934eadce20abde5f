//! The sample site is original writing: facts from the seed document, never its sentences.
//! No file in site/ or themes/ may repeat a run of eight or more words of it. Official names
//! are facts, not sentences: a name such as "Sở Lao động – Thương binh và Xã hội" is eight
//! words long and must be written in full, so the names below do not count as copied text.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Official names of state bodies, written as the state writes them.
const OFFICIAL_NAMES: &[&str] = &[
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động – Thương binh và Xã hội",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Đắk Nông",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
];

/// The text with every official name replaced by a mark no seed run contains, so a run of
/// words can never span a name.
fn without_names(text: &str) -> String {
    let mut text = text.to_owned();
    for name in OFFICIAL_NAMES {
        text = text.replace(name, " officialnamemark ");
    }
    text
}

fn runs(words: &[String]) -> impl Iterator<Item = String> + '_ {
    words.windows(8).map(|w| w.join(" "))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "public") {
                files(&path, out);
            }
        } else if path.extension().is_some_and(|e| {
            ["md", "html", "ftl", "toml", "css", "js", "svg", "txt"].contains(&e.to_str().unwrap_or(""))
        }) {
            out.push(path);
        }
    }
}

#[test]
fn no_file_repeats_eight_words_of_the_seed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed_dir = root.join("../shared/seed");
    let Ok(entries) = std::fs::read_dir(&seed_dir) else {
        common::missing_tool(
            "../shared/seed (the source document)",
            "check out the repository beside the project's shared/ folder",
        );
        return;
    };
    let mut seed = HashSet::new();
    for entry in entries {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        seed.extend(runs(&words(&text)));
    }
    assert!(seed.len() > 1000, "the seed was read");
    let mut checked = Vec::new();
    files(&root.join("site"), &mut checked);
    files(&root.join("themes"), &mut checked);
    let mut copied = Vec::new();
    for file in &checked {
        let text = without_names(&std::fs::read_to_string(file).unwrap_or_default());
        for run in runs(&words(&text)) {
            if seed.contains(&run) {
                copied.push(format!("{}: “{run}”", file.strip_prefix(root).unwrap().display()));
            }
        }
    }
    assert!(checked.len() > 50);
    assert!(
        copied.is_empty(),
        "runs of eight words copied from the seed:\n{}",
        copied.join("\n")
    );
}
