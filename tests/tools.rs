//! The staff's tools: `mekong check`, `mekong translations` and `mekong new`.

mod common;

use common::Site;

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_reports_each_problem_with_its_file_and_fails() {
    let site = Site::fixture("basic");
    site.overlay("invalid/check-problems");
    let output = site.mekong(&["check"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("content/news/dau-tu.md:10:10: error: the link @/news/da-xoa.md points to a page that does not exist"), "{report}");
    assert!(
        report.contains("content/news/dau-tu.md\n"),
        "grouped by file: {report}"
    );
    assert!(
        report.contains("warning: not translated into ភាសាខ្មែរ (km)"),
        "{report}"
    );
    assert!(
        report.contains("content/news/dau-tu.md:8:1: warning: the image bieu-do.png has no alt text"),
        "{report}"
    );
    assert!(report.contains("locales/km/\n"), "{report}");
    assert!(
        report.contains("warning: the UI string `hotline` exists in vi but not in km"),
        "{report}"
    );
    assert!(!site.root().join("public").exists(), "check writes nothing");
}

#[test]
fn check_speaks_json_for_ci() {
    let site = Site::fixture("basic");
    site.overlay("invalid/check-problems");
    let output = site.mekong(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["errors"], 1);
    let items = json["files"]["content/news/dau-tu.md"].as_array().unwrap();
    assert!(items.iter().any(|i| i["severity"] == "error" && i["line"] == 10));
}

#[test]
fn check_passes_on_the_sample_site() {
    let site = Site::sample();
    let output = site.mekong(&["check"]);
    assert!(output.status.success(), "{}", stdout(&output));
    // No language-lint warning either: Khmer digits and separators, coeng, NFC.
    assert!(
        stdout(&output).contains("0 errors, 0 warnings"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn check_lists_embargoed_articles_with_their_go_live_date() {
    let site = Site::fixture("basic");
    site.write(
        "content/news/sap-toi.md",
        "+++\ntitle = \"Sắp tới\"\ndescription = \"x\"\ndate = 2999-01-01\n+++\n",
    );
    let report = stdout(&site.mekong(&["check"]));
    assert!(
        report.contains("content/news/sap-toi.md\n  note: embargoed: “Sắp tới” (vi) goes live on 2999-01-01"),
        "{report}"
    );
}

#[test]
fn editing_the_source_after_marking_makes_the_translation_stale() {
    let site = Site::fixture("basic");
    let table = || stdout(&site.mekong(&["translations"]));
    let line = |table: &str| {
        table
            .lines()
            .find(|l| l.starts_with("news/bien-gioi "))
            .unwrap()
            .to_owned()
    };
    assert!(line(&table()).contains("unmarked"), "{}", table());

    let km = site.root().join("content/news/bien-gioi.km.md");
    let before = std::fs::read_to_string(&km).unwrap();
    let marked = site.mekong(&["translations", "--mark", km.to_str().unwrap()]);
    assert!(
        marked.status.success(),
        "{}",
        String::from_utf8_lossy(&marked.stderr)
    );
    let after = std::fs::read_to_string(&km).unwrap();
    assert!(
        after.starts_with(
            before
                .split("+++\n")
                .nth(1)
                .map(|fm| format!("+++\n{fm}"))
                .unwrap()
                .as_str()
        )
    );
    assert!(
        after.ends_with(before.split("+++\n").nth(2).unwrap()),
        "the body is untouched"
    );
    let row = line(&table());
    assert!(row.contains("translated"), "{row}");

    // The source changes: the Khmer translation is now stale, the unmarked English one is not judged.
    let vi = site.root().join("content/news/bien-gioi.md");
    let text = std::fs::read_to_string(&vi)
        .unwrap()
        .replace("1.137 km", "1.137 km, với 10 tỉnh");
    std::fs::write(&vi, text).unwrap();
    let row = line(&table());
    assert!(row.contains("stale (source changed "), "{row}");
    assert!(
        stdout(&site.mekong(&["check"])).contains("stale translation: content/news/bien-gioi.md changed on")
    );

    // Re-marking after updating the translation clears it.
    site.mekong(&["translations", "--mark", km.to_str().unwrap()]);
    assert!(!line(&table()).contains("stale"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&site.mekong(&["translations", "--format", "json"]))).unwrap();
    let row = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["article"] == "news/bien-gioi")
        .unwrap();
    assert_eq!(row["languages"][2]["status"], "translated");
}

#[test]
fn new_creates_three_files_that_build_and_never_overwrites() {
    let site = Site::fixture("basic");
    let output = site.mekong(&["new", "news/thu-nghiem", "--title", "Thử nghiệm"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for file in ["thu-nghiem.md", "thu-nghiem.en.md", "thu-nghiem.km.md"] {
        assert!(site.root().join("content/news").join(file).exists(), "{file}");
    }
    let vi = std::fs::read_to_string(site.root().join("content/news/thu-nghiem.md")).unwrap();
    assert!(vi.contains("title = \"Thử nghiệm\""));
    site.build(&[]);
    assert!(
        site.public("news/thu-nghiem/index.html")
            .contains("<h1>Thử nghiệm</h1>")
    );

    std::fs::write(
        site.root().join("content/news/thu-nghiem.md"),
        "+++\ntitle = \"Đã viết\"\n+++\nNội dung.\n",
    )
    .unwrap();
    let again = site.mekong(&["new", "news/thu-nghiem", "--title", "Thử nghiệm"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("this file exists already; nothing was written"));
    let kept = std::fs::read_to_string(site.root().join("content/news/thu-nghiem.md")).unwrap();
    assert!(kept.contains("Đã viết"), "the writer's text is kept");
}
