//! Nothing is lost: odd output paths, collisions, a full disk, links in the output, inputs
//! that would crash a recursive parser, link loops, terms that are not paths and draft
//! sections. Each test reproduces a case that once broke a promise of the README.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::Site;

fn mekong() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mekong"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file and link below `dir` (not following links) with its bytes or target, and its
/// modification time: equal snapshots mean nothing was touched.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, Option<std::time::SystemTime>)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                files.insert(path, (target.into_os_string().into_encoded_bytes(), None));
            } else if kind.is_dir() {
                files.insert(path.clone(), (b"<folder>".to_vec(), None));
                stack.push(path);
            } else {
                let modified = entry.metadata().unwrap().modified().ok();
                files.insert(path.clone(), (std::fs::read(&path).unwrap(), modified));
            }
        }
    }
    files
}

fn no_temporaries_below(dir: &Path) {
    for path in snapshot(dir).keys() {
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(
            !name.starts_with(".mekong-tmp-"),
            "a temporary was left: {}",
            path.display()
        );
    }
}

#[test]
fn dot_dot_after_a_missing_folder_never_reaches_the_site_or_a_users_folder() {
    let site = Site::fixture("basic");
    let before = snapshot(site.root());
    let output = site.mekong(&[
        "build",
        "--output",
        &format!("{}/nonexist/..", site.root().display()),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("refusing to build into this folder: it is the site folder itself"));
    assert_eq!(snapshot(site.root()), before, "the site folder was touched");

    // A folder of the user's, reached as `other/zzz/..` from the working folder.
    let work = tempfile::tempdir().unwrap();
    let other = work.path().join("other");
    std::fs::create_dir_all(other.join("sub")).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    std::fs::write(other.join("sub/b.txt"), "mine too").unwrap();
    let output = mekong()
        .current_dir(work.path())
        .args(["build", "--root"])
        .arg(site.root())
        .args(["--output", "other/zzz/.."])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("was not made by mekong"),
        "{}",
        stderr(&output)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("0 removed"));
    assert_eq!(std::fs::read_to_string(other.join("notes.txt")).unwrap(), "mine");
    assert_eq!(
        std::fs::read_to_string(other.join("sub/b.txt")).unwrap(),
        "mine too"
    );
    assert!(!other.join("zzz").exists() && !other.join(".mekong-output").exists());

    // The home folder, however it is spelled, and the root of the file system.
    let home = work.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join("thesis.txt"), "years of work").unwrap();
    for spelled in ["home/zzz/..", "home/.", "./home", "/"] {
        let output = mekong()
            .current_dir(work.path())
            .env("HOME", &home)
            .args(["build", "--root"])
            .arg(site.root())
            .args(["--output", spelled])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{spelled}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("refusing to build into this folder"),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(
        std::fs::read_dir(&home).unwrap().count(),
        1,
        "nothing was added to the home folder"
    );
}

#[test]
fn an_output_through_a_link_is_checked_where_the_link_leads() {
    let site = Site::fixture("basic");
    let work = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(site.root().join("content/news"), work.path().join("news")).unwrap();
    let before = snapshot(site.root());
    // news/.. is the site's content/ folder, not the temporary folder.
    let output = site.mekong(&[
        "build",
        "--output",
        &format!("{}/news/../out", work.path().display()),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("inside the site's content/ folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn a_page_at_a_static_files_path_fails_naming_both_and_changes_nothing() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let before = snapshot(&site.root().join("public"));
    // Changes to other pages must not be written either.
    site.write(
        "content/news/dau-tu.md",
        "+++\ntitle = \"Đầu tư mới\"\ndate = 2015-01-01\n+++\nNội dung mới.\n",
    );
    site.write(
        "content/news/va-cham.md",
        "+++\ntitle = \"Va chạm\"\npath = \"css/style.css\"\n+++\nChữ.\n",
    );
    let err = site.build_fails();
    assert!(err.contains("content/news/va-cham.md: error: its output css/style.css/index.html needs a folder where there is the output of (built-in) themes/default/static/css/style.css"), "{err}");
    assert!(err.contains("the previous output was left as it was"), "{err}");
    assert_eq!(
        snapshot(&site.root().join("public")),
        before,
        "a failed build touched the output"
    );
}

/// A big article that cannot be written, with every other page changed too.
fn change_everything_and_add_a_big_article(site: &Site) {
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace("Sở Ngoại vụ thử nghiệm", "Sở Ngoại vụ (đã đổi)"),
    );
    let paragraph = "Hai tỉnh thống nhất mở rộng hợp tác thương mại qua cửa khẩu. ".repeat(40);
    let body: String = (0..80)
        .map(|i| format!("## Phần {i}\n\n{paragraph}\n\n"))
        .collect();
    site.write(
        "content/news/bai-dai.md",
        &format!("+++\ntitle = \"Bài dài\"\ndate = 2016-01-01\n+++\n{body}"),
    );
}

#[test]
fn a_write_that_fails_midway_leaves_every_file_as_it_was() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let public = site.root().join("public");
    let before = snapshot(&public);
    change_everything_and_add_a_big_article(&site);
    // Files may grow to 64 KiB: small pages are staged, the big article fails with EFBIG
    // (SIGXFSZ is ignored so the write returns the error instead of killing the process).
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" build --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_mekong"))
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("could not write the file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(&public), before, "a failed write changed the output");
    no_temporaries_below(&public);
    // With room again, the same build succeeds and writes everything.
    site.build(&[]);
    assert!(site.public("news/bai-dai/index.html").contains("Phần 79"));
    no_temporaries_below(&public);
}

#[test]
fn a_full_disk_leaves_every_file_as_it_was() {
    // A real small file system: a tmpfs in a private mount namespace, just big enough for the
    // first build.
    let probe = Command::new("unshare").args(["-m", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        common::missing_tool(
            "unshare with mount rights (util-linux, run as root)",
            "run the tests as root, as CI does",
        );
        return;
    }
    let site = Site::fixture("basic");
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // First build outside the small disk to learn its size.
    let first = scratch.path().join("first");
    site.build(&["--output", first.to_str().unwrap()]);
    let size: u64 = snapshot(&first)
        .values()
        .map(|(b, _)| b.len() as u64 + 4096)
        .sum();
    let script = r#"
        set -e
        mount -t tmpfs -o size="$SIZE" tmpfs "$OUT"
        "$MEKONG" build --root "$SITE" --output "$OUT" >/dev/null
        (cd "$OUT" && find . -type f -printf '%p %s %T@\n' | sort && find . -type f -exec sha256sum {} + | sort) > "$SCRATCH/before.txt"
        "$EDIT"
        set +e
        "$MEKONG" build --root "$SITE" --output "$OUT" 2> "$SCRATCH/err.txt"
        echo $? > "$SCRATCH/code.txt"
        set -e
        (cd "$OUT" && find . -type f -printf '%p %s %T@\n' | sort && find . -type f -exec sha256sum {} + | sort) > "$SCRATCH/after.txt"
    "#;
    // The edit runs inside the namespace, between the builds.
    let edit = scratch.path().join("edit.sh");
    let paragraph = "Hai tỉnh thống nhất mở rộng hợp tác thương mại qua cửa khẩu. ".repeat(40);
    let body: String = (0..400)
        .map(|i| format!("## Phần {i}\n\n{paragraph}\n\n"))
        .collect();
    std::fs::write(
        scratch.path().join("big.md"),
        format!("+++\ntitle = \"Bài dài\"\n+++\n{body}"),
    )
    .unwrap();
    std::fs::write(
        &edit,
        format!(
            "#!/bin/sh\nsed -i 's/thử nghiệm/đã đổi/' '{root}/config.toml'\ncp '{big}' '{root}/content/news/bai-dai.md'\n",
            root = site.root().display(),
            big = scratch.path().join("big.md").display()
        ),
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&edit).status().unwrap();
    let status = Command::new("unshare")
        .args(["-m", "sh", "-c", script])
        .env("SIZE", (size + 64 * 1024).to_string())
        .env("OUT", &out)
        .env("SITE", site.root())
        .env("SCRATCH", scratch.path())
        .env("EDIT", &edit)
        .env("MEKONG", env!("CARGO_BIN_EXE_mekong"))
        .status()
        .unwrap();
    assert!(status.success(), "the full-disk script failed");
    let read = |name: &str| std::fs::read_to_string(scratch.path().join(name)).unwrap();
    assert_eq!(
        read("code.txt").trim(),
        "1",
        "the build should fail on a full disk: {}",
        read("err.txt")
    );
    assert!(
        read("err.txt").contains("No space left on device"),
        "{}",
        read("err.txt")
    );
    assert_eq!(
        read("after.txt"),
        read("before.txt"),
        "a full disk changed the output"
    );
    assert!(
        !read("after.txt").contains(".mekong-tmp-"),
        "a temporary was left"
    );
}

#[test]
fn links_in_the_output_are_replaced_and_their_targets_never_touched() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let public = site.root().join("public");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir(elsewhere.path().join("css")).unwrap();
    std::fs::write(elsewhere.path().join("css/style.css"), "theirs").unwrap();
    std::fs::write(elsewhere.path().join("index.html"), "theirs").unwrap();
    std::fs::remove_dir_all(public.join("css")).unwrap();
    std::fs::remove_file(public.join("index.html")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("css"), public.join("css")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("index.html"), public.join("index.html")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), public.join("stale-link")).unwrap();
    let before = snapshot(elsewhere.path());
    site.build(&[]);
    assert_eq!(snapshot(elsewhere.path()), before, "a link's target was touched");
    assert!(!public.join("css").is_symlink() && public.join("css/style.css").is_file());
    assert!(!public.join("index.html").is_symlink() && site.public("index.html").contains("<html"));
    assert!(
        !public.join("stale-link").is_symlink(),
        "the stale link itself is removed"
    );

    // Into a folder mekong did not make: refused before anything is written.
    let foreign = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("css"), foreign.path().join("css")).unwrap();
    let output = site.mekong(&["build", "--output", foreign.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("css: error: this is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(elsewhere.path()), before);
    assert_eq!(
        std::fs::read_dir(foreign.path()).unwrap().count(),
        1,
        "nothing was written"
    );
}

#[test]
fn input_that_would_overflow_a_parser_is_an_error_at_its_position() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let before = snapshot(&site.root().join("public"));
    site.write(
        "locales/vi/sau.ftl",
        &format!("ok = Được\nsau = {}\n", "{".repeat(2502)),
    );
    let err = site.build_fails();
    assert!(
        err.contains("locales/vi/sau.ftl:2:39: error: braces are nested more than 32 deep here"),
        "{err}"
    );
    std::fs::remove_file(site.root().join("locales/vi/sau.ftl")).unwrap();

    site.write(
        "content/news/sau.md",
        &format!(
            "+++\ntitle = \"Sâu\"\n+++\nĐoạn đầu.\n\n{{{{ note(kind={}{}) }}}}\n",
            "[".repeat(5429),
            "]".repeat(5429)
        ),
    );
    let err = site.build_fails();
    assert!(err.contains("content/news/sau.md:6:1: error: the arguments of shortcode `note` are malformed: lists are nested more than 32 deep"), "{err}");
    assert_eq!(snapshot(&site.root().join("public")), before);
}

/// Runs mekong with a time limit, killing it past the limit.
fn run_for_at_most(mut command: Command, limit: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("mekong still ran after {limit:?}: a walk did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn link_loops_are_errors_and_links_leaving_the_site_are_not_followed() {
    let site = Site::fixture("basic");
    std::os::unix::fs::symlink(".", site.root().join("content/news/l1")).unwrap();
    std::os::unix::fs::symlink(".", site.root().join("content/news/l2")).unwrap();
    for command in ["check", "build"] {
        let mut run = mekong();
        run.args([command, "--root"]).arg(site.root());
        let output = run_for_at_most(run, Duration::from_secs(30));
        assert!(!output.status.success());
        // `check` prints its report on stdout, the file on a line of its own.
        let err = format!("{}{}", stderr(&output), String::from_utf8_lossy(&output.stdout))
            .replace("\n  error", ": error");
        assert!(
            err.contains(
                "content/news/l1: error: this link leads back to content/news, which holds the link itself"
            ),
            "{err}"
        );
        assert!(
            err.contains("content/news/l2: error: this link leads back to content/news"),
            "{err}"
        );
    }
    for link in ["l1", "l2"] {
        std::fs::remove_file(site.root().join("content/news").join(link)).unwrap();
    }
    // Loops through a parent and in static/ and templates/ too.
    std::os::unix::fs::symlink("..", site.root().join("content/news/up")).unwrap();
    std::fs::create_dir_all(site.root().join("static/a")).unwrap();
    std::os::unix::fs::symlink("../..", site.root().join("static/a/loop")).unwrap();
    let mut run = mekong();
    run.args(["build", "--root"]).arg(site.root());
    let err = stderr(&run_for_at_most(run, Duration::from_secs(30)));
    assert!(
        err.contains("content/news/up: error: this link leads back to content, which holds"),
        "{err}"
    );
    std::fs::remove_file(site.root().join("content/news/up")).unwrap();
    let mut run = mekong();
    run.args(["build", "--root"]).arg(site.root());
    let err = stderr(&run_for_at_most(run, Duration::from_secs(30)));
    assert!(
        err.contains("static/a/loop: error: this link leads back to the site folder, which holds"),
        "{err}"
    );
    std::fs::remove_file(site.root().join("static/a/loop")).unwrap();

    // Links out of the site: skipped with a warning, never published.
    std::os::unix::fs::symlink("/etc", site.root().join("content/etc")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", site.root().join("static/hostname")).unwrap();
    let output = site.build(&[]);
    let err = stderr(&output);
    assert!(
        err.contains("content/etc: warning: this link leads outside the site"),
        "{err}"
    );
    assert!(
        err.contains("static/hostname: warning: this link leads outside the site"),
        "{err}"
    );
    assert!(!site.exists("etc") && !site.exists("hostname"));
}

#[test]
fn a_term_that_is_not_a_path_is_an_error_at_its_position() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let before = snapshot(&site.root().join("public"));
    for term in ["..", "/", "", " . ", "-"] {
        site.write(
            "content/news/the.md",
            &format!("+++\ntitle = \"Thẻ\"\n[taxonomies]\ntags = [\"Biên giới\", \"{term}\"]\n+++\nChữ.\n"),
        );
        let err = site.build_fails();
        let expected = format!(
            "content/news/the.md:4:22: error: the tags term \"{term}\" has no letters or digits to make its address from"
        );
        assert!(err.contains(&expected), "{term}: {err}");
        assert_eq!(snapshot(&site.root().join("public")), before);
    }
    site.write(
        "content/news/the.md",
        "---\ntitle: Thẻ\ntaxonomies:\n  tags:\n    - '..'\n---\nChữ.\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/news/the.md:5:7: error: the tags term \"..\""),
        "{err}"
    );
}

#[test]
fn a_draft_section_hides_everything_below_it() {
    let site = Site::fixture("basic");
    site.write(
        "content/noi-bo/_index.md",
        "+++\ntitle = \"Nội bộ\"\ndraft = true\n+++\n",
    );
    site.write("content/noi-bo/_index.en.md", "+++\ntitle = \"Internal\"\n+++\n");
    site.write("content/noi-bo/ke-hoach.md", "+++\ntitle = \"Kế hoạch mật\"\ndate = 2020-01-01\n[taxonomies]\ntags = [\"Nội bộ riêng\"]\n+++\nChưa công bố.\n");
    site.write(
        "content/noi-bo/ke-hoach.en.md",
        "+++\ntitle = \"Secret plan\"\n+++\nNot public.\n",
    );
    site.write("content/noi-bo/con/_index.md", "+++\ntitle = \"Mục con\"\n+++\n");
    site.write(
        "content/noi-bo/con/bai.md",
        "+++\ntitle = \"Bài con\"\ndate = 2020-01-02\n+++\nChưa công bố.\n",
    );
    site.write(
        "content/noi-bo/goi/index.md",
        "+++\ntitle = \"Gói\"\ndate = 2020-01-03\n+++\nChưa công bố.\n",
    );
    site.build(&[]);
    let all: String = snapshot(&site.root().join("public"))
        .into_iter()
        .map(|(path, (bytes, _))| format!("{}\n{}\n", path.display(), String::from_utf8_lossy(&bytes)))
        .collect();
    for secret in [
        "noi-bo",
        "Kế hoạch mật",
        "Secret plan",
        "Bài con",
        "Gói",
        "Nội bộ riêng",
        "Chưa công bố",
    ] {
        assert!(!all.contains(secret), "{secret} leaked into the output");
    }
    site.build(&["--drafts"]);
    for page in [
        "noi-bo/ke-hoach/index.html",
        "en/noi-bo/ke-hoach/index.html",
        "noi-bo/con/bai/index.html",
        "noi-bo/goi/index.html",
    ] {
        assert!(site.exists(page), "{page} is built with --drafts");
    }
}
