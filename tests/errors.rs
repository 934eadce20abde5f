//! Broken input: each case names the file, line and column, exits non-zero without a
//! panic, and leaves the previous build's output exactly as it was.

mod common;

use common::Site;

/// Builds `basic`, lays `tests/fixtures/invalid/<case>` over it, and returns the error output.
fn fails_cleanly(case: &str) -> String {
    let site = Site::fixture("basic");
    site.build(&[]);
    let before = site.snapshot();
    site.overlay(&format!("invalid/{case}"));
    let err = site.build_fails();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        before,
        site.snapshot(),
        "{case}: the previous public/ must be untouched"
    );
    err
}

#[test]
fn toml_syntax_error_in_front_matter() {
    let err = fails_cleanly("toml-syntax");
    assert!(
        err.contains("content/news/dau-tu.md:4:35: error: invalid basic string"),
        "{err}"
    );
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let err = fails_cleanly("unknown-key");
    assert!(
        err.contains("content/news/dau-tu.md:4:1: error: unknown field `titel`"),
        "{err}"
    );
    assert!(err.contains("hint: did you mean `title`?"), "{err}");
}

#[test]
fn missing_closing_delimiter() {
    let err = fails_cleanly("unclosed-front-matter");
    assert!(
        err.contains(
            "content/news/dau-tu.md:1:1: error: the front matter opened with `+++` on line 1 is never closed"
        ),
        "{err}"
    );
    assert!(err.contains("hint: add a line holding only `+++`"), "{err}");
}

#[test]
fn unknown_language_code_in_a_file_name() {
    let err = fails_cleanly("unknown-language");
    // The file name itself is the mistake, so there is no line to point at.
    assert!(
        err.contains("content/news/dau-tu.fr.md: error: unknown language code `fr` in the file name"),
        "{err}"
    );
    assert!(err.contains("configured language code: vi, en, km"), "{err}");
}

#[test]
fn link_to_a_missing_page() {
    let err = fails_cleanly("missing-link");
    assert!(err.contains("content/news/dau-tu.md:7:5: error: the link @/news/khong-co.md points to a page that does not exist"), "{err}");
}

#[test]
fn template_syntax_error() {
    let err = fails_cleanly("template-syntax");
    assert!(err.contains("templates/page.html:6:4: error:"), "{err}");
}

#[test]
fn undefined_template_variable_is_reported_once() {
    let err = fails_cleanly("undefined-variable");
    assert!(
        err.contains("templates/page.html:4:7: error: Variable `page_subtitle` is not defined"),
        "{err}"
    );
    assert_eq!(err.matches("page_subtitle` is not defined").count(), 1, "{err}");
}

#[test]
fn broken_fluent_file() {
    let err = fails_cleanly("broken-ftl");
    assert!(
        err.contains("locales/km/extra.ftl:3:1: error: Fluent syntax error"),
        "{err}"
    );
}

#[test]
fn file_that_is_not_utf8() {
    let err = fails_cleanly("invalid-utf8");
    assert!(
        err.contains("content/news/dau-tu.md:2:15: error: the file is not valid UTF-8 text"),
        "{err}"
    );
}

#[test]
fn every_error_of_a_phase_is_reported_together() {
    let site = Site::fixture("basic");
    site.overlay("invalid/unknown-key");
    site.overlay("invalid/toml-syntax");
    site.write(
        "content/news/khac.md",
        "+++\ntitle = \"Khác\"\nsort_by = \"date\"\n+++\n",
    );
    site.write("content/news/thu-ba.md", "+++\ntitel = \"x\"\n+++\n");
    let err = site.build_fails();
    assert!(
        err.contains("content/news/khac.md: error: `sort_by` only applies to sections"),
        "{err}"
    );
    assert!(
        err.contains("content/news/thu-ba.md:2:1: error: unknown field `titel`"),
        "{err}"
    );
    assert!(err.contains("Build failed with 3 errors"), "{err}");
}

#[test]
fn a_folder_without_config_is_not_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mekong"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no config.toml here"));
    assert!(!dir.path().join("public").exists());
}
