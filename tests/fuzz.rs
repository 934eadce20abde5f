//! Fuzzing on stable Rust: mutations of the sample site's own files (front matter, Markdown
//! with shortcodes, `.ftl`, `config.toml`, templates) and a hand-made corpus of pathological
//! nesting go through the real loading code. No input may panic or abort; every rejected
//! input is an error naming its file; a failed build leaves an existing output as it was.
//!
//! Each format runs in a child process (this test binary again, selected by
//! `MEKONG_FUZZ_FORMAT`), so a stack overflow fails the test instead of killing the runner.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use mekong::config::Config;
use mekong::content::{Content, LoadOptions};
use mekong::i18n::I18n;
use mekong::markdown::{Markdown, RenderContext};
use mekong::render::Renderer;
use mekong::{BuildOptions, Diagnostic};

const FORMATS: [&str; 5] = ["front-matter", "markdown", "ftl", "config", "template"];
const MUTANTS_PER_FORMAT: usize = 2000;
/// Rejected inputs of each format that also go through a whole build over an existing output.
const BUILDS_PER_FORMAT: usize = 12;
const SEED: u64 = 0x6d65_6b6f_6e67;

/// A small deterministic generator (SplitMix64): the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const DELIMITERS: &[&str] = &[
    "+++\n",
    "---\n",
    "{",
    "}",
    "[",
    "]",
    "{{",
    "}}",
    "{%",
    "%}",
    "\"",
    "'",
    "=",
    "\n",
    "#",
    "|",
    "`",
    "```\n",
    "<",
    ">",
    "$",
    " -> ",
    "*[",
    ":",
    "\\",
    "(",
    ")",
    ",",
    "@/",
    "<!-- more -->",
    "\t",
];

/// One random change inside `region` (a byte range of `input`).
fn mutate_once(rng: &mut Rng, input: &mut Vec<u8>, region: std::ops::Range<usize>) {
    let at = region.start + rng.below(region.len() + 1);
    match rng.below(15) {
        // Inside a quoted value: the text stays well-formed and reaches the code behind the
        // parser (slugs, dates, links, names).
        12..=14 => {
            let text = &input[region.clone()];
            let quotes: Vec<usize> = text
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'"')
                .map(|(i, _)| i)
                .collect();
            if quotes.len() >= 2 {
                let pair = rng.below(quotes.len() / 2) * 2;
                let inside = region.start + quotes[pair] + 1;
                let extra = *rng.pick(&[
                    "{",
                    "}",
                    "[",
                    "]",
                    "..",
                    "/",
                    "#",
                    "@/",
                    "<b>",
                    "{{ x }}",
                    "ក្រុង",
                    "Đắk",
                    "\u{200B}",
                    " ",
                    "-",
                ]);
                input.splice(inside..inside, extra.bytes());
            }
        }
        0 | 1 => {
            if at < input.len() {
                input[at] ^= 1 << rng.below(8);
            }
        }
        2 => input.truncate(at),
        3..=5 => {
            let delimiter = rng.pick(DELIMITERS).as_bytes().to_vec();
            input.splice(at..at, delimiter);
        }
        6 => {
            let unit = *rng.pick(&["[", "{", "(", "> ", "- ", "1. ", "{{ ", "[\"", "*", "<div>"]);
            let depth = *rng.pick(&[50, 300, 3000, 10_000]);
            input.splice(at..at, unit.repeat(depth).into_bytes());
        }
        7 => input
            .splice(at..at, [*rng.pick(&[0xFF, 0xC3, 0xE1, 0x80])])
            .for_each(drop),
        8 => input.splice(0..0, "\u{FEFF}".bytes()).for_each(drop),
        9 => {
            let text = String::from_utf8_lossy(input).replace('\n', "\r\n");
            *input = text.into_bytes();
        }
        10 => input.insert(at.min(input.len()), 0),
        _ => {
            // Repeat a line: fields and headings appear twice.
            let start = input[..at.min(input.len())]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            let end = input[at.min(input.len())..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(input.len(), |p| at + p + 1);
            let line = input[start..end].to_vec();
            input.splice(start..start, line);
        }
    }
}

fn mutant(rng: &mut Rng, seed: &[u8], region: std::ops::Range<usize>) -> Vec<u8> {
    let mut input = seed.to_vec();
    let count = match rng.below(10) {
        0..=5 => 1,
        6..=8 => 2,
        _ => 3,
    };
    for _ in 0..count {
        let end = region.end.min(input.len());
        let start = region.start.min(end);
        mutate_once(rng, &mut input, start..end);
    }
    input
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_with(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Splits a content file into its front matter and body ranges.
fn regions(text: &[u8]) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let text = String::from_utf8_lossy(text);
    let close = text[3..].find("\n+++").map_or(text.len(), |i| i + 3);
    (3..close, (close + 4).min(text.len())..text.len())
}

const SHORTCODES: &str = "\n\n{{ note(kind=\"info\", text=\"Ghi chú\") }}\n\n{% callout(title=\"Lưu ý\") %}\nNội dung **quan trọng** với [liên kết](@/news/bien-gioi.md).\n{% end %}\n";

/// The seeds of a format, with the byte range of each that mutations may touch.
fn seeds(format: &str) -> Vec<(Vec<u8>, std::ops::Range<usize>)> {
    let with_region = |bytes: Vec<u8>| {
        let len = bytes.len();
        (bytes, 0..len)
    };
    match format {
        "front-matter" | "markdown" => files_with(&repo().join("site/content"), ".md")
            .into_iter()
            .map(|path| {
                let mut bytes = std::fs::read(path).unwrap();
                // Links to the sample site's pages would not resolve in the fixture site.
                let text = String::from_utf8(bytes)
                    .unwrap()
                    .replace("@/", "https://example.org/");
                bytes = text.into_bytes();
                if format == "markdown" {
                    bytes.extend_from_slice(SHORTCODES.as_bytes());
                }
                let (matter, body) = regions(&bytes);
                (bytes, if format == "front-matter" { matter } else { body })
            })
            .collect(),
        "ftl" => files_with(&repo().join("locales/vi"), ".ftl")
            .into_iter()
            .map(|p| with_region(std::fs::read(p).unwrap()))
            .collect(),
        "config" => vec![with_region(
            std::fs::read(repo().join("site/config.toml")).unwrap(),
        )],
        "template" => files_with(&repo().join("themes/default/templates"), ".html")
            .into_iter()
            .map(|p| with_region(std::fs::read(p).unwrap()))
            .collect(),
        _ => unreachable!(),
    }
}

/// Hand-made inputs a recursive parser could choke on: 10,000-deep lists, quotes, brackets
/// and braces, for every format.
fn pathological(format: &str) -> Vec<Vec<u8>> {
    let deep = |unit: &str| unit.repeat(10_000);
    let page = |body: String| format!("+++\ntitle = \"Sâu\"\n+++\n{body}\n").into_bytes();
    match format {
        "front-matter" => vec![
            format!("+++\ntitle = \"t\"\nx = {}{}\n+++\n", deep("["), deep("]")).into_bytes(),
            format!("+++\ntitle = \"t\"\nx = {}\n+++\n", deep("{ a = ")).into_bytes(),
            format!("---\ntitle: t\nx: {}{}\n---\n", deep("["), deep("]")).into_bytes(),
            format!("---\ntitle: t\nx: {}\n---\n", deep("{a: ")).into_bytes(),
            format!(
                "---\ntitle: t\n{}\n---\n",
                (0..3000)
                    .map(|i| format!("{}- a\n", "  ".repeat(i)))
                    .collect::<String>()
            )
            .into_bytes(),
            format!("---\nx: &a [*a, *a]\ny: {}\n---\n", deep("*a ")).into_bytes(),
        ],
        "markdown" => vec![
            page(deep("- ")),
            page(deep("> ")),
            page(deep("1. ")),
            page(format!("{}a{}", deep("["), deep("]"))),
            page(format!("{}a{}", deep("*_"), deep("_*"))),
            page(format!("{}x{}", deep("<div>"), deep("</div>"))),
            page(format!(
                "{}x{}",
                deep("{% callout(title=\"a\") %}\n"),
                deep("{% end %}\n")
            )),
            page(format!("{{{{ note(kind={}{}) }}}}", deep("["), deep("]"))),
            page(format!("{{{{ note(kind=\"{}\") }}}}", deep("{{"))),
            page(deep("[^1]")),
            page((0..2000).map(|i| format!("{}- a\n", "  ".repeat(i))).collect()),
        ],
        "ftl" => vec![
            format!("x = {}\n", deep("{")).into_bytes(),
            format!("x = {}$a{}\n", deep("{ "), deep(" }")).into_bytes(),
            format!("x = {}\n", deep("{ $a ->\n *[o] ")).into_bytes(),
            format!("x = {}\n", deep("{ NUMBER(")).into_bytes(),
            format!("x = {{ \"{}\" }}\n", deep("{")).into_bytes(),
        ],
        "config" => vec![
            format!("title = \"t\"\nx = {}{}\n", deep("["), deep("]")).into_bytes(),
            format!("title = \"t\"\n[extra]\nx = {}\n", deep("{ a = ")).into_bytes(),
            format!("title = \"t\"\n{}\n", deep("[a.")).into_bytes(),
        ],
        "template" => vec![
            format!("{}x{}", deep("{% if true %}"), deep("{% endif %}")).into_bytes(),
            format!("{{{{ {}1{} }}}}", deep("("), deep(")")).into_bytes(),
            format!("{{{{ {}{} }}}}", deep("["), deep("]")).into_bytes(),
            format!("{{{{ {}1 }}}}", deep("1 + ")).into_bytes(),
            format!("{{{{ {} }}}}", deep("not ")).into_bytes(),
            format!("{}x{}", deep("{% for a in [1] %}"), deep("{% endfor %}")).into_bytes(),
            format!("{{{{ x{} }}}}", deep(" | upper")).into_bytes(),
        ],
        _ => unreachable!(),
    }
}

/// Where the fuzzed input goes in the fixture site, as mekong names it in messages.
fn target(format: &str) -> &'static str {
    match format {
        "front-matter" | "markdown" => "content/news/fuzz.md",
        "ftl" => "locales/vi/fuzz.ftl",
        "config" => "config.toml",
        "template" => "templates/page.html",
        _ => unreachable!(),
    }
}

/// Loads the fixture site with the fuzzed file through the real loading code of its format.
/// `Ok(true)`: accepted; `Ok(false)`: rejected with errors that all name the file.
struct Loader {
    root: PathBuf,
    config: Arc<Config>,
    i18n: Arc<I18n>,
    renderer: Renderer,
    markdown: Markdown,
}

impl Loader {
    fn new(root: &Path) -> Loader {
        let config = Arc::new(Config::load(root, None).unwrap());
        let i18n = Arc::new(I18n::load(&config).unwrap());
        let renderer = Renderer::load(&config, &i18n, Arc::new(HashMap::new())).unwrap();
        let markdown = Markdown::new(&config);
        Loader {
            root: root.to_path_buf(),
            config,
            i18n,
            renderer,
            markdown,
        }
    }

    fn load(&self, format: &str) -> Result<(), Vec<Diagnostic>> {
        let errors = |err: mekong::Error| err.diagnostics;
        match format {
            "front-matter" | "markdown" => {
                let options = LoadOptions {
                    drafts: true,
                    future: true,
                    expired: true,
                    now: None,
                };
                let content = Content::load(&self.config, options).map_err(errors)?;
                let Some(page) = content
                    .pages
                    .iter()
                    .find(|p| p.file.shown_as == "content/news/fuzz.md")
                else {
                    return Ok(());
                };
                let cx = RenderContext {
                    config: &self.config,
                    content: &content,
                    shortcodes: &self.renderer,
                    file: &page.file.shown_as,
                    first_line: page.body_line,
                    lang: page.file.lang,
                    images: &[],
                    anchor_links: Default::default(),
                    shortcode_owner: None,
                };
                let rendered = self.markdown.render(&page.body, &cx);
                if rendered.errors.is_empty() {
                    Ok(())
                } else {
                    Err(rendered.errors)
                }
            }
            "ftl" => I18n::load(&self.config).map(drop).map_err(errors),
            "config" => Config::load(&self.root, None).map(drop).map_err(errors),
            "template" => Renderer::load(&self.config, &self.i18n, Arc::new(HashMap::new()))
                .map(drop)
                .map_err(errors),
            _ => unreachable!(),
        }
    }
}

fn fixture_copy(into: &Path) {
    common::copy_dir(&common::fixtures().join("basic"), into);
    std::fs::create_dir_all(into.join("locales/vi")).unwrap();
}

/// The child: fuzzes one format and prints `accepted rejected` on its last line.
#[test]
fn fuzz_child_process() {
    // Only as a child of `fuzzed_inputs_never_crash_and_never_touch_the_output`.
    let (Ok(format), Ok(scratch)) = (
        std::env::var("MEKONG_FUZZ_FORMAT"),
        std::env::var("MEKONG_FUZZ_SCRATCH"),
    ) else {
        return;
    };
    let scratch = PathBuf::from(scratch);
    let site = scratch.join("site");
    fixture_copy(&site);
    let target_path = site.join(target(&format));
    let original = std::fs::read(&target_path).ok();
    let loader = Loader::new(&site);

    // A second site with a good build in public/, for whole builds of rejected inputs.
    let built = scratch.join("built");
    fixture_copy(&built);
    let options = BuildOptions {
        root: built.clone(),
        ..BuildOptions::default()
    };
    mekong::build(&options).unwrap();
    let good_output = common::files_below(&built.join("public"));

    let mut rng = Rng(SEED ^ format.bytes().map(u64::from).sum::<u64>());
    let seeds = seeds(&format);
    let mut inputs: Vec<Vec<u8>> = pathological(&format);
    let handmade = inputs.len();
    for _ in 0..MUTANTS_PER_FORMAT {
        let (seed, region) = rng.pick(&seeds);
        inputs.push(mutant(&mut rng, seed, region.clone()));
    }
    let (mut accepted, mut rejected, mut builds) = (0, 0, 0);
    for (index, input) in inputs.iter().enumerate() {
        // The input being tried, for the parent to keep if this process dies.
        std::fs::write(scratch.join("current"), input).unwrap();
        std::fs::write(&target_path, input).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| loader.load(&format)));
        let Ok(outcome) = outcome else {
            panic!(
                "input {index} of {format} panicked (kept in {})",
                scratch.join("current").display()
            );
        };
        match outcome {
            Ok(()) => {
                if index >= handmade {
                    accepted += 1;
                }
            }
            Err(diagnostics) => {
                if index >= handmade {
                    rejected += 1;
                }
                assert!(
                    !diagnostics.is_empty(),
                    "input {index} of {format}: rejected without a message"
                );
                for diagnostic in &diagnostics {
                    assert!(
                        diagnostic.file.ends_with(target(&format))
                            || diagnostic.file.starts_with("content/news/fuzz.md"),
                        "input {index} of {format}: the error does not name {}: {diagnostic}",
                        target(&format)
                    );
                }
                if builds < BUILDS_PER_FORMAT || index < handmade {
                    builds += 1;
                    let built_target = built.join(target(&format));
                    let before = std::fs::read(&built_target).ok();
                    std::fs::write(&built_target, input).unwrap();
                    let result = mekong::build(&options);
                    assert!(
                        result.is_err(),
                        "input {index} of {format}: rejected when loaded, built in full"
                    );
                    assert!(
                        common::files_below(&built.join("public")) == good_output,
                        "input {index} of {format}: a failed build changed the output"
                    );
                    match before {
                        Some(bytes) => std::fs::write(&built_target, bytes).unwrap(),
                        None => std::fs::remove_file(&built_target).unwrap(),
                    }
                }
            }
        }
        match &original {
            Some(bytes) => std::fs::write(&target_path, bytes).unwrap(),
            None => std::fs::remove_file(&target_path).unwrap(),
        }
    }
    println!("FUZZ-RESULT {format} {accepted} {rejected} {handmade} {builds}");
}

#[test]
fn fuzzed_inputs_never_crash_and_never_touch_the_output() {
    let mut summary = Vec::new();
    for format in FORMATS {
        let scratch = tempfile::tempdir().unwrap();
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "fuzz_child_process", "--nocapture", "--test-threads=1"])
            .env("MEKONG_FUZZ_FORMAT", format)
            .env("MEKONG_FUZZ_SCRATCH", scratch.path())
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-crash-{format}"));
            let _ = std::fs::copy(scratch.path().join("current"), &kept);
            panic!(
                "fuzzing {format} failed ({}); the input is kept in {}\n{stdout}\n{}",
                output.status,
                kept.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("FUZZ-RESULT ").map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("the {format} child printed no result:\n{stdout}"));
        let numbers: Vec<usize> = line
            .split_whitespace()
            .skip(1)
            .map(|n| n.parse().unwrap())
            .collect();
        let (accepted, rejected, handmade, builds) = (numbers[0], numbers[1], numbers[2], numbers[3]);
        assert_eq!(accepted + rejected, MUTANTS_PER_FORMAT);
        eprintln!(
            "fuzz {format}: {accepted} accepted, {rejected} rejected of {MUTANTS_PER_FORMAT} mutants; {handmade} pathological inputs; {builds} whole builds over an existing output"
        );
        summary.push((format, accepted));
    }
    for (format, accepted) in summary {
        assert!(
            accepted * 100 >= MUTANTS_PER_FORMAT * 30,
            "only {accepted} of {MUTANTS_PER_FORMAT} {format} mutants loaded: the fuzzer does not reach past the first check"
        );
    }
}
