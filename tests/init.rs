//! `mekong init` makes a site that builds and checks clean in the languages asked for, and
//! refuses to touch a folder that holds anything; `mekong build` shows a progress bar only on a
//! terminal, and says when the next scheduled article is due.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{files_below, reader_text};

fn mekong_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mekong"))
        .args(args)
        .current_dir(dir)
        .env_remove("MEKONG_PROGRESS_AFTER_MS")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `mekong init` with `args` in a fresh empty folder, which it returns.
fn init(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["init", "."];
    all.extend_from_slice(args);
    let output = mekong_in(dir.path(), &all);
    assert!(
        output.status.success(),
        "init failed:\n{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    dir
}

fn build_and_check(dir: &Path) -> (Output, String) {
    let build = mekong_in(dir, &["build"]);
    assert!(build.status.success(), "build failed:\n{}", text(&build.stderr));
    let check = mekong_in(dir, &["check"]);
    let report = text(&check.stdout);
    assert!(
        check.status.success(),
        "check failed:\n{report}{}",
        text(&check.stderr)
    );
    assert!(
        report.lines().last().unwrap_or("").starts_with("0 errors,"),
        "{report}"
    );
    (build, report)
}

fn read(dir: &Path, rel: &str) -> String {
    let path = dir.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn language_names(dir: &Path) -> Vec<(String, String)> {
    let config: toml::Table = read(dir, "config.toml").parse().unwrap();
    config["languages"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(code, language)| (code.clone(), language["name"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn a_new_trilingual_site_builds_and_checks_without_errors_or_warnings() {
    let site = init(&["--languages", "vi,en,km"]);
    let dir = site.path();
    let (_, report) = build_and_check(dir);
    assert_eq!(report, "0 errors, 0 warnings, 0 notes\n");

    // CLDR's names of each language in itself, in the order given.
    assert_eq!(
        language_names(dir),
        [("vi", "Tiếng Việt"), ("en", "English"), ("km", "ខ្មែរ")].map(|(c, n)| (c.to_owned(), n.to_owned()))
    );
    assert!(read(dir, "config.toml").contains("default_language = \"vi\""));

    for (prefix, lang) in [("", "vi"), ("en/", "en"), ("km/", "km")] {
        for page in [
            "index.html",
            "news/index.html",
            "news/ra-mat-trang-thong-tin/index.html",
        ] {
            let html = read(dir, &format!("public/{prefix}{page}"));
            assert!(html.contains(&format!("<html lang=\"{lang}")), "{prefix}{page}");
        }
    }
    let article = read(dir, "public/km/news/ra-mat-trang-thong-tin/index.html");
    assert!(article.contains("គេហទំព័រព័ត៌មានផ្លូវការ ដាក់ឱ្យដំណើរការជាផ្លូវការ"));
    let article = read(dir, "public/en/news/ra-mat-trang-thong-tin/index.html");
    assert!(article.contains("Our new website is online"));
    // The tag is named in each language, and the footer names this site, not the sample's.
    assert!(read(dir, "public/en/tags/thong-bao/index.html").contains("announcements"));
    let home = read(dir, "public/index.html");
    assert!(
        !home.contains("Đắk Nông"),
        "the footer still names the sample site"
    );

    // Khmer pages: Khmer digits only, in dates and the footer's year alike.
    for (path, bytes) in files_below(&dir.join("public/km")) {
        if path.extension().is_some_and(|e| e == "html") {
            for line in reader_text(&text(&bytes)) {
                assert!(
                    !line.chars().any(|c| c.is_ascii_digit()),
                    "{}: ASCII digits in {line:?}",
                    path.display()
                );
            }
        }
    }

    for file in [
        ".gitignore",
        "README.md",
        "locales/vi/site.ftl",
        "locales/km/site.ftl",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    assert!(read(dir, ".gitignore").contains("/public/"));
    assert!(read(dir, "README.md").contains("mekong serve"));
}

#[test]
fn the_names_in_config_are_the_ones_the_library_gives() {
    for code in ["vi", "en", "km"] {
        assert!(mekong::language_names::native_name(code).is_some(), "{code}");
    }
    assert_eq!(mekong::language_names::native_name("km").as_deref(), Some("ខ្មែរ"));
}

#[test]
fn another_language_set_with_a_title_and_a_sub_path_builds_and_checks_clean() {
    let site = init(&[
        "--languages",
        "en,fr",
        "--title",
        "Provincial \"Office\"",
        "--base-url",
        "https://example.org/office/",
    ]);
    let dir = site.path();
    build_and_check(dir);
    assert_eq!(
        language_names(dir),
        [("en", "English"), ("fr", "Français")].map(|(c, n)| (c.to_owned(), n.to_owned()))
    );
    let home = read(dir, "public/index.html");
    assert!(home.contains("<html lang=\"en"));
    assert!(home.contains("Provincial &quot;Office&quot;") || home.contains("Provincial \"Office\""));
    assert!(home.contains("href=\"/office/fr/\"") || home.contains("https://example.org/office/fr/"));
    assert!(read(dir, "public/fr/index.html").contains("<html lang=\"fr"));
    assert!(dir.join("public/fr/news/our-new-website/index.html").is_file());
    assert!(!dir.join("public/vi").exists());
}

#[test]
fn init_without_a_folder_uses_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = mekong_in(dir.path(), &["init", "--languages", "vi"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(dir.path().join("config.toml").is_file());
    assert!(dir.path().join("content/news/_index.md").is_file());
    build_and_check(dir.path());
}

#[test]
fn a_folder_that_holds_anything_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ghi chú của phòng").unwrap();
    std::fs::create_dir(dir.path().join("photos")).unwrap();
    std::fs::write(dir.path().join("photos/a.jpg"), [0xff, 0xd8, 0xff]).unwrap();
    let before = files_below(dir.path());

    let hidden = tempfile::tempdir().unwrap();
    std::fs::write(hidden.path().join(".editorconfig"), "root = true\n").unwrap();
    let hidden_path = hidden.path().to_str().unwrap();
    for args in [
        vec!["init"],
        vec!["init", "."],
        vec!["init", "photos"],
        vec!["init", hidden_path],
    ] {
        let output = mekong_in(dir.path(), &args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("is not empty"), "{stderr}");
        assert!(stderr.contains("nothing was written"), "{stderr}");
        assert_eq!(files_below(dir.path()), before, "{args:?} changed the folder");
    }
    assert_eq!(files_below(hidden.path()).len(), 1, "a hidden file counts too");
}

#[test]
fn an_unknown_language_code_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = mekong_in(dir.path(), &["init", "new-site", "--languages", "vi,xx,en"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("`xx` is not a language code mekong knows"),
        "{stderr}"
    );
    assert!(!dir.path().join("new-site").exists(), "nothing is created");

    let output = mekong_in(dir.path(), &["init", "new-site", "--base-url", "example.org"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("--base-url"),
        "{}",
        text(&output.stderr)
    );
    assert!(!dir.path().join("new-site").exists(), "nothing is created");
}

/// What `mekong build` prints today when all went well: one line on stdout.
fn is_summary_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("Built ") else {
        return false;
    };
    rest.contains(" pages (")
        && rest.contains(") into ")
        && rest.contains(" ms: ")
        && rest.ends_with(" removed.")
        && rest.contains(" files written, ")
}

#[test]
fn without_a_terminal_the_build_prints_only_its_summary_line() {
    let site = init(&["--languages", "vi,en,km"]);
    // Even with the bar asked for at once: stderr is not a terminal here.
    let output = Command::new(env!("CARGO_BIN_EXE_mekong"))
        .arg("build")
        .current_dir(site.path())
        .env("MEKONG_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(text(&output.stderr), "", "nothing on stderr");
    let stdout = text(&output.stdout);
    assert!(stdout.ends_with('\n'));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout:?}");
    assert!(is_summary_line(lines[0]), "{stdout:?}");
    assert!(
        !stdout.trim_end_matches('\n').chars().any(char::is_control),
        "control characters in {stdout:?}"
    );
    assert!(
        lines[0].starts_with("Built 3 pages (1 vi, 1 en, 1 km) into "),
        "{stdout:?}"
    );

    let quiet = mekong_in(site.path(), &["build", "--quiet"]);
    assert!(quiet.status.success());
    assert_eq!(
        (text(&quiet.stdout), text(&quiet.stderr)),
        (String::new(), String::new())
    );
    let quiet = mekong_in(site.path(), &["check", "--quiet"]);
    assert!(quiet.status.success());
    assert_eq!(
        (text(&quiet.stdout), text(&quiet.stderr)),
        (String::new(), String::new())
    );
}

/// Runs `mekong build` with its output on a pseudo-terminal (util-linux `script`); `None`
/// when `script` is missing and skipping is allowed.
fn build_on_a_terminal(root: &Path, extra: &str) -> Option<String> {
    let found = Command::new("script").arg("--version").output().is_ok();
    if !found {
        common::missing_tool("script (util-linux)", "apt-get install util-linux");
        return None;
    }
    let command = format!(
        "'{}' build --root '{}' {extra}",
        env!("CARGO_BIN_EXE_mekong"),
        root.display()
    );
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("MEKONG_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stdout));
    Some(text(&output.stdout))
}

#[test]
fn on_a_terminal_a_long_build_draws_a_progress_bar_and_clears_it() {
    // The sample site takes well over the bar's first redraw (0.1 s) to build.
    let site = common::Site::sample();
    let Some(shown) = build_on_a_terminal(site.root(), "") else {
        return;
    };
    assert!(shown.contains("Building ["), "{shown:?}");
    assert!(shown.contains(" written)\x1b[K"), "{shown:?}");
    // The bar is cleared before the summary, which ends the output as it does without a terminal.
    let (bar, summary) = shown.rsplit_once("\r\x1b[K").expect("the bar is cleared");
    // The last state drawn is the whole site, every file counted.
    let last = bar.rsplit("\r").next().unwrap();
    let counts = last.split("] ").nth(1).and_then(|c| c.split(' ').next()).unwrap();
    let (done, total) = counts.split_once('/').unwrap();
    assert_eq!(done, total, "{last:?}");
    assert!(total.parse::<u32>().unwrap() > 100, "{last:?}");
    assert!(last.contains(&"█".repeat(24)), "{last:?}");
    assert!(is_summary_line(summary.trim_end()), "{summary:?}");

    let quiet = build_on_a_terminal(site.root(), "--quiet").unwrap();
    assert_eq!(quiet, "", "--quiet prints nothing when all is well");
}

#[test]
fn a_build_holding_back_a_future_article_says_when_it_is_due() {
    let site = init(&["--languages", "vi,en"]);
    let dir = site.path();
    let article = |name: &str, date: &str| {
        std::fs::write(
            dir.join(format!("content/news/{name}.md")),
            format!("+++\ntitle = \"Bài đăng sau\"\ndescription = \"Bài viết hẹn giờ đăng.\"\ndate = {date}\n+++\n\nNội dung.\n"),
        )
        .unwrap();
    };
    article("hen-gio-sau", "2099-12-06");
    article("hen-gio", "2099-12-05T08:00:00+07:00");
    let output = mekong_in(dir, &["build"]);
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(is_summary_line(lines[0]), "{stdout}");
    assert_eq!(
        lines[1],
        "Next scheduled article: 2099-12-05 08:00 +07:00 (content/news/hen-gio.md); build again after that time to publish it."
    );
    assert!(!dir.join("public/news/hen-gio").exists());

    std::fs::remove_file(dir.join("content/news/hen-gio.md")).unwrap();
    let stdout = text(&mekong_in(dir, &["build"]).stdout);
    assert!(
        stdout.contains("Next scheduled article: 2099-12-06 00:00 UTC (content/news/hen-gio-sau.md)"),
        "{stdout}"
    );
    let quiet = mekong_in(dir, &["build", "-q"]);
    assert_eq!(text(&quiet.stdout), "");
}
