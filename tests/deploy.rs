//! `mekong deploy` against real servers started here on loopback: a folder, OpenSSH's sshd,
//! a bare git repository and moto's S3 server. Each target goes through the same life:
//! first deploy, nothing changed, one article edited, manifest lost, article deleted, prune,
//! and a build error.

mod common;
#[path = "deploy/targets.rs"]
mod targets;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output};

use common::Site;
use targets::{
    Bucket, Folder, GitBranch, MANIFEST, Remote, run, s3_env, start_moto, start_sshd, tool, user_name,
};

/// A site and the environment `mekong deploy` runs in (a private HOME, credentials).
struct Deployer {
    site: Site,
    env: Vec<(String, String)>,
    /// Prepended to PATH (the test's `ssh` that reads the private HOME's config).
    path: Option<PathBuf>,
}

/// The numbers of deploy's closing line.
#[derive(Debug, PartialEq, Eq)]
struct Summary {
    uploaded: usize,
    deleted: usize,
    unchanged: usize,
}

impl Deployer {
    fn new(config: &str, env: Vec<(String, String)>, path: Option<PathBuf>) -> Deployer {
        let site = Site::fixture("basic");
        let mut text = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
        // [deploy] goes before [extra]: a table opened there would swallow what follows.
        let at = text.find("[[taxonomies]]").unwrap();
        text.insert_str(at, &format!("{config}\n"));
        std::fs::write(site.root().join("config.toml"), text).unwrap();
        // A file whose name has Vietnamese letters and spaces must arrive under that same name.
        site.write(
            "static/tài liệu/báo cáo năm 2024.txt",
            "Báo cáo tổng kết công tác đối ngoại",
        );
        Deployer { site, env, path }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mekong"));
        command
            .arg("deploy")
            .args(args)
            .arg("--root")
            .arg(self.site.root());
        command.env_remove("SSH_AUTH_SOCK");
        for (key, value) in &self.env {
            command.env(key, value);
        }
        if let Some(dir) = &self.path {
            let path = std::env::var("PATH").unwrap_or_default();
            command.env("PATH", format!("{}:{path}", dir.display()));
        }
        command.output().unwrap()
    }

    /// Runs a deploy that must succeed; returns its summary and what it printed.
    fn deploy(&self, args: &[&str]) -> (Summary, String) {
        let output = self.run(args);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "mekong deploy {args:?} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let summary = summary(&stdout);
        eprintln!("deploy {args:?}: {summary:?}");
        (summary, stdout)
    }

    /// The built site as deploy publishes it.
    fn public(&self) -> BTreeMap<String, Vec<u8>> {
        common::files_below(&self.site.root().join("public"))
            .into_iter()
            .map(|(path, bytes)| (path.to_string_lossy().into_owned(), bytes))
            .filter(|(path, _)| path != ".mekong-output")
            .collect()
    }
}

fn summary(stdout: &str) -> Summary {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Uploaded ") || l.starts_with("Would upload "))
        .unwrap_or_else(|| panic!("no summary line in:\n{stdout}"));
    let number_after = |word: &str| -> usize {
        let rest = &line[line.find(word).unwrap_or_else(|| panic!("{word} in {line}")) + word.len()..];
        rest.trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    Summary {
        uploaded: number_after(if line.starts_with("Uploaded ") {
            "Uploaded "
        } else {
            "Would upload "
        }),
        deleted: number_after(if line.contains("deleted ") {
            "deleted "
        } else {
            "delete "
        }),
        unchanged: number_after("unchanged"),
    }
}

/// The paths `--dry-run` lists as `would upload PATH (N bytes)`.
fn would_upload(stdout: &str) -> BTreeSet<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("would upload "))
        .map(|rest| rest[..rest.rfind(" (").unwrap()].to_owned())
        .collect()
}

fn changed_files(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect()
}

fn assert_same_files(remote: &BTreeMap<String, Vec<u8>>, expected: &BTreeMap<String, Vec<u8>>, step: &str) {
    let remote_paths: BTreeSet<&String> = remote.keys().collect();
    let expected_paths: BTreeSet<&String> = expected.keys().collect();
    assert_eq!(
        remote_paths, expected_paths,
        "{step}: the target's listing differs from the built site"
    );
    for (path, bytes) in expected {
        assert!(remote[path] == *bytes, "{step}: {path} differs at the target");
    }
}

/// The whole life of a target. `hand` is a file a department puts there itself.
fn exercise(deployer: &Deployer, remote: &dyn Remote) {
    let hand = "tai-lieu/bao-cao.pdf";
    let commits = |step: &str| {
        let count = remote.commits();
        eprintln!("{step}: {count:?} commits");
        count
    };

    // 1. First deploy: everything goes, and the target holds exactly the built site.
    let (first, _) = deployer.deploy(&[]);
    let public = deployer.public();
    assert!(
        public.len() > 20,
        "the fixture builds a real site ({} files)",
        public.len()
    );
    assert!(
        public.contains_key("tài liệu/báo cáo năm 2024.txt"),
        "{:?}",
        public.keys()
    );
    assert_eq!(
        first,
        Summary {
            uploaded: public.len(),
            deleted: 0,
            unchanged: 0
        }
    );
    assert_same_files(&remote.files(), &public, "first deploy");
    assert!(remote.has_manifest(), "the manifest is written at the target");
    remote.outside_untouched();

    // 2. Nothing changed: nothing is sent (and git makes no commit).
    remote.put_by_hand(hand, b"%PDF-1.4 bao cao");
    let after_first = commits("first deploy and a file by hand");
    let (second, _) = deployer.deploy(&[]);
    assert_eq!(
        second,
        Summary {
            uploaded: 0,
            deleted: 0,
            unchanged: public.len()
        }
    );
    assert_eq!(
        commits("second deploy"),
        after_first,
        "a deploy with nothing to send makes no commit"
    );

    // 3. One article edited: a dry run lists exactly the files whose bytes differ between the
    // two builds and changes nothing; the deploy then sends exactly those.
    let article = deployer.site.root().join("content/news/bien-gioi.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replace("\n\n", "\n\nHai bên đã ký biên bản.\n\n")).unwrap();
    let at_target = remote.files();
    let (dry, stdout) = deployer.deploy(&["--dry-run"]);
    assert!(stdout.contains("dry run: nothing was changed"), "{stdout}");
    let edited = deployer.public();
    let differ = changed_files(&public, &edited);
    assert!(
        !differ.is_empty() && differ.len() < public.len() / 2,
        "{differ:?}"
    );
    assert!(differ.contains("news/phan-gioi-cam-moc/index.html"), "{differ:?}");
    assert_eq!(
        would_upload(&stdout),
        differ,
        "dry run lists exactly the changed files"
    );
    assert_eq!(dry.uploaded, differ.len());
    assert_eq!(remote.files(), at_target, "--dry-run changed the target");
    let times_before = remote.modified();
    let (third, _) = deployer.deploy(&[]);
    assert_eq!(third.uploaded, differ.len(), "only the changed files are sent");
    if let (Some(before), Some(after)) = (times_before, remote.modified()) {
        let written: BTreeSet<String> = after
            .into_iter()
            .filter(|(path, time)| before.get(path) != Some(time))
            .map(|(path, _)| path)
            .collect();
        assert_eq!(
            written, differ,
            "the files written at the target are exactly the changed ones"
        );
    }
    assert_eq!(third.deleted, 0);
    let mut expected = edited.clone();
    expected.insert(hand.to_owned(), b"%PDF-1.4 bao cao".to_vec());
    assert_same_files(&remote.files(), &expected, "after the edit");
    let after_edit = commits("edit deployed");
    if let (Some(before), Some(after)) = (after_first, after_edit) {
        assert_eq!(after, before + 1, "one commit for the edit");
    }

    // 4. Manifest lost: the target is hashed instead, and nothing is sent again.
    remote.delete_manifest();
    let (rehash, _) = deployer.deploy(&[]);
    assert_eq!(
        rehash.uploaded, 0,
        "a lost manifest is rebuilt from the target's own bytes"
    );
    assert!(remote.has_manifest());

    // 5. An article deleted: its files go, the hand-made file stays.
    std::fs::remove_file(deployer.site.root().join("content/news/dau-tu.md")).unwrap();
    let (fifth, _) = deployer.deploy(&[]);
    let shrunk = deployer.public();
    let gone: Vec<&String> = edited.keys().filter(|p| !shrunk.contains_key(*p)).collect();
    assert!(gone.contains(&&"news/dau-tu/index.html".to_owned()), "{gone:?}");
    assert_eq!(fifth.deleted, gone.len());
    let mut expected = shrunk.clone();
    expected.insert(hand.to_owned(), b"%PDF-1.4 bao cao".to_vec());
    assert_same_files(&remote.files(), &expected, "after deleting an article");

    // 6. --prune also removes what others put there.
    let (pruned, _) = deployer.deploy(&["--prune"]);
    assert_eq!((pruned.uploaded, pruned.deleted), (0, 1));
    assert_same_files(&remote.files(), &shrunk, "after --prune");

    // 7. A build error stops the deploy before anything is sent.
    deployer.site.write(
        "content/news/hong.md",
        "+++\ntitle = \"Hỏng\"\ndate = 2024-13-45\n+++\nx\n",
    );
    let before = remote.files();
    let commits_before = remote.commits();
    let output = deployer.run(&[]);
    assert_eq!(output.status.code(), Some(1), "a build error fails the deploy");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("hong.md"), "{stderr}");
    assert_eq!(remote.files(), before, "nothing was sent after a build error");
    assert_eq!(remote.commits(), commits_before);
    remote.outside_untouched();
}

#[test]
fn folder_target_holds_exactly_the_built_site() {
    let srv = tempfile::tempdir().unwrap();
    let folder = Folder::new(srv.path().join("www"));
    let url = format!("file://{}", folder.dir.display());
    let deployer = Deployer::new(&format!("[deploy.web]\nurl = \"{url}\"\n"), vec![], None);
    exercise(&deployer, &folder);
    // Deleting an article left no empty folder behind.
    assert!(!folder.dir.join("news/dau-tu").exists());
}

// ---------------------------------------------------------------- SFTP

#[test]
fn sftp_target_holds_exactly_the_built_site() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sshd) = start_sshd(dir.path()) else {
        return;
    };
    // sshd serves this machine's files, so the test reads the target straight from disk.
    let folder = Folder::new(dir.path().join("srv/www"));
    let url = format!(
        "sftp://{}@127.0.0.1:{}{}",
        user_name(),
        sshd.port,
        folder.dir.display()
    );
    let env = vec![("HOME".to_owned(), sshd.home.display().to_string())];
    let deployer = Deployer::new(
        &format!("[deploy.server]\nurl = \"{url}\"\n"),
        env,
        Some(sshd.bin.clone()),
    );
    exercise(&deployer, &folder);
    assert!(
        !folder.dir.join("news/bien-gioi").exists(),
        "empty folders are removed over SFTP too"
    );
}

#[test]
fn sftp_without_a_usable_key_says_where_keys_are_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sshd) = start_sshd(dir.path()) else {
        return;
    };
    std::fs::remove_file(sshd.home.join(".ssh/id_ed25519")).unwrap();
    let url = format!(
        "sftp://{}@127.0.0.1:{}{}/www",
        user_name(),
        sshd.port,
        dir.path().display()
    );
    let env = vec![("HOME".to_owned(), sshd.home.display().to_string())];
    let deployer = Deployer::new(
        &format!("[deploy.server]\nurl = \"{url}\"\n"),
        env,
        Some(sshd.bin.clone()),
    );
    let output = deployer.run(&[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("SSH agent or a key in ~/.ssh"), "{stderr}");
    assert!(!dir.path().join("www/index.html").exists());
}

// ---------------------------------------------------------------- git

#[test]
fn git_target_commits_only_what_changed() {
    if tool("git").is_none() {
        common::missing_tool("git", "apt-get install git");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let home = scratch.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join(".gitconfig"),
        "[user]\n\tname = Phòng Thông tin\n\temail = thongtin@example.org\n[init]\n\tdefaultBranch = main\n",
    )
    .unwrap();
    let bare = scratch.path().join("site.git");
    run(Command::new("git")
        .env("HOME", &home)
        .args(["init", "--quiet", "--bare"])
        .arg(&bare));
    let branch = GitBranch {
        bare: bare.clone(),
        branch: "gh-pages",
        home: home.clone(),
        scratch,
    };
    // Another branch, outside the target: it must survive every deploy.
    let source = branch.scratch.path().join("source");
    run(Command::new("git")
        .env("HOME", &home)
        .args(["init", "--quiet"])
        .arg(&source));
    std::fs::write(source.join("README.md"), "nguồn").unwrap();
    branch.git(&source, &["add", "README.md"]);
    branch.git(&source, &["commit", "--quiet", "-m", "source"]);
    branch.git(
        &source,
        &["push", "--quiet", bare.to_str().unwrap(), "HEAD:refs/heads/main"],
    );

    let url = format!("git+file://{}", bare.display());
    let env = vec![("HOME".to_owned(), home.display().to_string())];
    let deployer = Deployer::new(
        &format!("[deploy.pages]\nurl = \"{url}\"\nbranch = \"gh-pages\"\n"),
        env,
        None,
    );
    exercise(&deployer, &branch);
    let author = branch.git(&bare, &["log", "-1", "--format=%an", "gh-pages"]);
    assert_eq!(
        author.trim(),
        "Phòng Thông tin",
        "commits carry the user's own git identity"
    );
}

// ---------------------------------------------------------------- S3

#[test]
fn s3_target_holds_exactly_the_built_site_with_the_right_headers() {
    let Some((_moto, endpoint)) = start_moto() else {
        return;
    };
    let bucket = Bucket {
        endpoint: endpoint.clone(),
        bucket: "so-ngoai-vu",
        prefix: "www",
    };
    let url = format!("s3://so-ngoai-vu/www?endpoint={endpoint}&region=us-east-1");
    let deployer = Deployer::new(&format!("[deploy.cdn]\nurl = \"{url}\"\n"), s3_env(), None);
    // mekong never creates a bucket: a missing one is named as such.
    let output = deployer.run(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the bucket does not exist"), "{stderr}");

    bucket.boto(&["create"]);
    // Outside the prefix: at the bucket's root, and under a key that merely starts like it.
    bucket.boto(&["put", "ghi-chu.txt", "beside"]);
    bucket.boto(&["put", "www-old/index.html", "old site"]);
    exercise(&deployer, &bucket);

    let objects = bucket.dump();
    let headers = |key: &str| {
        let object = &objects[&format!("www/{key}")];
        (
            object.content_type.as_deref().unwrap_or(""),
            object.cache.as_deref().unwrap_or(""),
        )
    };
    assert_eq!(
        headers("index.html"),
        ("text/html; charset=utf-8", "public, max-age=300")
    );
    assert_eq!(
        headers("atom.xml"),
        ("application/atom+xml; charset=utf-8", "public, max-age=300")
    );
    let css = objects
        .keys()
        .find(|k| k.ends_with(".css"))
        .expect("the site has a style sheet");
    assert_eq!(
        headers(css.strip_prefix("www/").unwrap()),
        ("text/css; charset=utf-8", "public, max-age=86400")
    );
}

#[test]
fn s3_without_credentials_says_where_they_are_looked_for() {
    let deployer = Deployer::new(
        "[deploy.cdn]\nurl = \"s3://bucket/www?endpoint=http://127.0.0.1:9&region=us-east-1\"\n",
        vec![("AWS_ACCESS_KEY_ID".to_owned(), String::new())],
        None,
    );
    let output = deployer.run(&[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("AWS_ACCESS_KEY_ID is not set in the environment"),
        "{stderr}"
    );
    assert!(stderr.contains("never go in config.toml"), "{stderr}");
}

// ---------------------------------------------------------------- choosing a target

#[test]
fn several_targets_without_a_default_are_listed() {
    let deployer = Deployer::new(
        "[deploy.web]\nurl = \"file:///tmp/mekong-never-a\"\n[deploy.backup]\nurl = \"file:///tmp/mekong-never-b\"\n",
        vec![],
        None,
    );
    let output = deployer.run(&["--dry-run"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("choose one with --target NAME (web, backup)"),
        "{stderr}"
    );
    let output = deployer.run(&["--dry-run", "--target", "bakup"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean `backup`?"), "{stderr}");
}

#[test]
fn check_errors_stop_the_deploy_of_a_built_folder_unless_forced() {
    let srv = tempfile::tempdir().unwrap();
    let target = srv.path().join("www");
    let deployer = Deployer::new(
        &format!("[deploy.web]\nurl = \"file://{}\"\n", target.display()),
        vec![],
        None,
    );
    deployer.site.build(&[]);
    let built = deployer.site.root().join("public");
    let from = built.to_str().unwrap();
    // Since that build, an article gained a link to a page that does not exist.
    let article = deployer.site.root().join("content/news/dau-tu.md");
    let mut file = std::fs::OpenOptions::new().append(true).open(&article).unwrap();
    writeln!(file, "\n[Xem thêm](@/news/khong-co.md)").unwrap();
    let output = deployer.run(&["--from", from]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("dau-tu.md"), "{stderr}");
    assert!(stderr.contains("nothing was published"), "{stderr}");
    assert!(!target.exists(), "nothing was sent");
    let (forced, _) = deployer.deploy(&["--from", from, "--force"]);
    assert_eq!(forced.uploaded, deployer.public().len());
    // Without --from the same error is a build error, which --force does not override.
    let output = deployer.run(&["--force"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_file_that_cannot_be_sent_is_reported_and_sent_by_the_next_deploy() {
    let srv = tempfile::tempdir().unwrap();
    let folder = Folder::new(srv.path().join("www"));
    let deployer = Deployer::new(
        &format!("[deploy.web]\nurl = \"file://{}\"\n", folder.dir.display()),
        vec![],
        None,
    );
    // A folder where the home page must go: writing it fails however often it is tried.
    std::fs::create_dir_all(folder.dir.join("index.html")).unwrap();
    let output = deployer.run(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("index.html: error: could not upload the file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 file could not be sent or deleted, even after retrying"),
        "{stderr}"
    );
    assert!(folder.has_manifest(), "what was sent is recorded");
    let manifest = std::fs::read_to_string(folder.dir.join(MANIFEST)).unwrap();
    assert!(
        !manifest.contains("\"index.html\""),
        "the failed file is not in the manifest"
    );

    std::fs::remove_dir(folder.dir.join("index.html")).unwrap();
    let (resumed, _) = deployer.deploy(&[]);
    assert_eq!(
        (resumed.uploaded, resumed.deleted),
        (1, 0),
        "only the missing file is sent"
    );
    assert_same_files(&folder.files(), &deployer.public(), "after the retry");
}
