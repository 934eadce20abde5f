//! `mekong deploy` against real servers started here on loopback: a folder, OpenSSH's sshd,
//! a bare git repository and moto's S3 server. Each target goes through the same life:
//! first deploy, nothing changed, one article edited, manifest lost, article deleted, prune,
//! and a build error.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::Site;

const MANIFEST: &str = ".mekong-manifest.json";

/// What a test sees at a target: the files below its prefix, read with a client other than mekong.
trait Remote {
    /// Every file below the prefix but the manifest, with its bytes.
    fn files(&self) -> BTreeMap<String, Vec<u8>>;
    fn has_manifest(&self) -> bool;
    /// Puts a file there the way a department might, by hand.
    fn put_by_hand(&self, path: &str, bytes: &[u8]);
    fn delete_manifest(&self);
    /// Asserts that what lies outside the prefix is as the test left it.
    fn outside_untouched(&self);
    /// Git targets: how many commits the branch has.
    fn commits(&self) -> Option<usize> {
        None
    }
    /// Targets on this machine's disk: each file's modification time, to see what was written.
    fn modified(&self) -> Option<BTreeMap<String, std::time::SystemTime>> {
        None
    }
}

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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, child: &mut Child, what: &str) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited at start: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{what} did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A child process killed when the test ends, pass or fail.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tool(name: &str) -> Option<PathBuf> {
    for dir in ["/usr/sbin", "/usr/local/sbin", "/sbin"] {
        let path = Path::new(dir).join(name);
        if path.is_file() {
            return Some(path);
        }
    }
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .ok()?;
    let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (!path.is_empty()).then(|| PathBuf::from(path))
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

// ---------------------------------------------------------------- folder

/// A folder seen straight on disk; `sibling` and `beside` lie outside the target folder.
struct Folder {
    dir: PathBuf,
}

impl Folder {
    fn new(dir: PathBuf) -> Folder {
        let parent = dir.parent().unwrap();
        std::fs::create_dir_all(parent.join("www-old")).unwrap();
        std::fs::write(parent.join("www-old/index.html"), "old site").unwrap();
        std::fs::write(parent.join("ghi-chu.txt"), "beside").unwrap();
        Folder { dir }
    }
}

impl Remote for Folder {
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        if !self.dir.exists() {
            return BTreeMap::new();
        }
        common::files_below(&self.dir)
            .into_iter()
            .map(|(path, bytes)| (path.to_string_lossy().into_owned(), bytes))
            .filter(|(path, _)| path != MANIFEST)
            .collect()
    }

    fn has_manifest(&self) -> bool {
        self.dir.join(MANIFEST).is_file()
    }

    fn put_by_hand(&self, path: &str, bytes: &[u8]) {
        let path = self.dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn delete_manifest(&self) {
        std::fs::remove_file(self.dir.join(MANIFEST)).unwrap();
    }

    fn modified(&self) -> Option<BTreeMap<String, std::time::SystemTime>> {
        let files = self.files();
        Some(
            files
                .into_keys()
                .map(|path| {
                    let time = std::fs::metadata(self.dir.join(&path))
                        .unwrap()
                        .modified()
                        .unwrap();
                    (path, time)
                })
                .collect(),
        )
    }

    fn outside_untouched(&self) {
        let parent = self.dir.parent().unwrap();
        assert_eq!(
            std::fs::read_to_string(parent.join("www-old/index.html")).unwrap(),
            "old site"
        );
        assert_eq!(
            std::fs::read_to_string(parent.join("ghi-chu.txt")).unwrap(),
            "beside"
        );
        let names: BTreeSet<String> = std::fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            BTreeSet::from(["ghi-chu.txt".into(), "www".into(), "www-old".into()])
        );
    }
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

struct Sshd {
    _process: Killed,
    port: u16,
    /// HOME for mekong: .ssh/ with the user key, known_hosts and config.
    home: PathBuf,
    /// A folder with an `ssh` that reads that HOME's config.
    bin: PathBuf,
}

/// OpenSSH's sshd on a free loopback port with its own host key, letting in one generated user key.
fn start_sshd(dir: &Path) -> Option<Sshd> {
    let (Some(sshd), Some(ssh), Some(keygen)) = (tool("sshd"), tool("ssh"), tool("ssh-keygen")) else {
        common::missing_tool(
            "OpenSSH (sshd, ssh, ssh-keygen)",
            "apt-get install openssh-server openssh-client",
        );
        return None;
    };
    let home = dir.join("home");
    let dot_ssh = home.join(".ssh");
    std::fs::create_dir_all(&dot_ssh).unwrap();
    for (key, file) in [
        ("host", dir.join("host_key")),
        ("user", dot_ssh.join("id_ed25519")),
    ] {
        run(Command::new(&keygen)
            .args(["-q", "-t", "ed25519", "-N", "", "-C", key, "-f"])
            .arg(&file));
    }
    std::fs::copy(dot_ssh.join("id_ed25519.pub"), dir.join("authorized_keys")).unwrap();
    let port = free_port();
    let host_key = std::fs::read_to_string(dir.join("host_key.pub")).unwrap();
    let host_key: Vec<&str> = host_key.split_whitespace().take(2).collect();
    std::fs::write(
        dot_ssh.join("known_hosts"),
        format!("[127.0.0.1]:{port} {}\n", host_key.join(" ")),
    )
    .unwrap();
    std::fs::write(
        dot_ssh.join("config"),
        format!(
            "Host 127.0.0.1\n  IdentityFile {key}\n  IdentitiesOnly yes\n  UserKnownHostsFile {known}\n  \
             StrictHostKeyChecking yes\n  BatchMode yes\n",
            key = dot_ssh.join("id_ed25519").display(),
            known = dot_ssh.join("known_hosts").display()
        ),
    )
    .unwrap();
    // ssh reads ~/.ssh from the password database, not from HOME: this `ssh` points it at the
    // private HOME's config so the user's own ~/.ssh is never read or written.
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let wrapper = bin.join("ssh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec {} -F \"$HOME/.ssh/config\" \"$@\"\n",
            ssh.display()
        ),
    )
    .unwrap();
    run(Command::new("chmod").arg("755").arg(&wrapper));
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nPidFile {pid}\nAuthorizedKeysFile {auth}\n\
             StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
             PermitRootLogin prohibit-password\nUsePAM no\nSubsystem sftp internal-sftp\n",
            host = dir.join("host_key").display(),
            pid = dir.join("sshd.pid").display(),
            auth = dir.join("authorized_keys").display(),
        ),
    )
    .unwrap();
    // Run as root, sshd needs its privilege-separation folder.
    let _ = std::fs::create_dir_all("/run/sshd");
    let mut child = Command::new(&sshd)
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut child, "sshd");
    Some(Sshd {
        _process: Killed(child),
        port,
        home,
        bin,
    })
}

fn user_name() -> String {
    run(Command::new("id").arg("-un")).trim().to_owned()
}

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

struct GitBranch {
    bare: PathBuf,
    branch: &'static str,
    scratch: tempfile::TempDir,
    home: PathBuf,
}

impl GitBranch {
    fn git(&self, dir: &Path, args: &[&str]) -> String {
        run(Command::new("git")
            .current_dir(dir)
            .env("HOME", &self.home)
            .args(args))
    }

    /// A fresh clone of the branch.
    fn clone_branch(&self) -> PathBuf {
        let dir = self.scratch.path().join(format!("clone-{}", rand_suffix()));
        run(Command::new("git")
            .env("HOME", &self.home)
            .args(["clone", "--quiet", "--branch", self.branch])
            .arg(&self.bare)
            .arg(&dir));
        dir
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

impl Remote for GitBranch {
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let exists = !self
            .git(&self.bare, &["branch", "--list", self.branch])
            .trim()
            .is_empty();
        if !exists {
            return BTreeMap::new();
        }
        let clone = self.clone_branch();
        let files = common::files_below(&clone)
            .into_iter()
            .map(|(path, bytes)| (path.to_string_lossy().into_owned(), bytes))
            .filter(|(path, _)| path != MANIFEST && !path.starts_with(".git/"))
            .collect();
        std::fs::remove_dir_all(clone).unwrap();
        files
    }

    fn has_manifest(&self) -> bool {
        let listing = self.git(&self.bare, &["ls-tree", "--name-only", self.branch]);
        listing.lines().any(|l| l == MANIFEST)
    }

    fn put_by_hand(&self, path: &str, bytes: &[u8]) {
        let clone = self.clone_branch();
        let file = clone.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
        self.git(&clone, &["add", "--all"]);
        self.git(&clone, &["commit", "--quiet", "-m", "by hand"]);
        self.git(&clone, &["push", "--quiet", "origin", self.branch]);
    }

    fn delete_manifest(&self) {
        let clone = self.clone_branch();
        self.git(&clone, &["rm", "--quiet", MANIFEST]);
        self.git(&clone, &["commit", "--quiet", "-m", "lose the manifest"]);
        self.git(&clone, &["push", "--quiet", "origin", self.branch]);
    }

    fn outside_untouched(&self) {
        let listing = self.git(&self.bare, &["ls-tree", "--name-only", "main"]);
        assert_eq!(listing.trim(), "README.md", "the main branch is untouched");
        let log = self.git(&self.bare, &["log", "--format=%s", "main"]);
        assert_eq!(log.trim(), "source");
    }

    fn commits(&self) -> Option<usize> {
        let count = Command::new("git")
            .current_dir(&self.bare)
            .args(["rev-list", "--count", self.branch])
            .output()
            .unwrap();
        Some(String::from_utf8_lossy(&count.stdout).trim().parse().unwrap_or(0))
    }
}

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

/// Reads and writes the bucket with boto3 (which moto brings), not with mekong's client.
const BOTO: &str = r#"
import boto3, json, sys
endpoint, bucket, command = sys.argv[1], sys.argv[2], sys.argv[3]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
if command == "create":
    s3.create_bucket(Bucket=bucket)
elif command == "put":
    s3.put_object(Bucket=bucket, Key=sys.argv[4], Body=sys.argv[5].encode())
elif command == "delete":
    s3.delete_object(Bucket=bucket, Key=sys.argv[4])
elif command == "dump":
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            obj = s3.get_object(Bucket=bucket, Key=item["Key"])
            out[item["Key"]] = {"hex": obj["Body"].read().hex(), "type": obj.get("ContentType"),
                                "cache": obj.get("CacheControl")}
    json.dump(out, sys.stdout)
"#;

struct Bucket {
    endpoint: String,
    bucket: &'static str,
    prefix: &'static str,
}

#[derive(serde::Deserialize)]
struct Object {
    hex: String,
    #[serde(rename = "type")]
    content_type: Option<String>,
    cache: Option<String>,
}

impl Bucket {
    fn boto(&self, args: &[&str]) -> String {
        run(Command::new("python3")
            .arg("-c")
            .arg(BOTO)
            .arg(&self.endpoint)
            .arg(self.bucket)
            .args(args))
    }

    /// Every object in the bucket, prefix or not.
    fn dump(&self) -> BTreeMap<String, Object> {
        serde_json::from_str(&self.boto(&["dump"])).unwrap()
    }
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

impl Remote for Bucket {
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let prefix = format!("{}/", self.prefix);
        self.dump()
            .into_iter()
            .filter_map(|(key, object)| Some((key.strip_prefix(&prefix)?.to_owned(), unhex(&object.hex))))
            .filter(|(path, _)| path != MANIFEST)
            .collect()
    }

    fn has_manifest(&self) -> bool {
        self.dump().contains_key(&format!("{}/{MANIFEST}", self.prefix))
    }

    fn put_by_hand(&self, path: &str, bytes: &[u8]) {
        self.boto(&[
            "put",
            &format!("{}/{path}", self.prefix),
            &String::from_utf8_lossy(bytes),
        ]);
    }

    fn delete_manifest(&self) {
        self.boto(&["delete", &format!("{}/{MANIFEST}", self.prefix)]);
    }

    fn outside_untouched(&self) {
        let objects = self.dump();
        let outside: BTreeMap<&String, Vec<u8>> = objects
            .iter()
            .filter(|(key, _)| !key.starts_with(&format!("{}/", self.prefix)))
            .map(|(key, object)| (key, unhex(&object.hex)))
            .collect();
        let expected: BTreeMap<String, Vec<u8>> = BTreeMap::from([
            ("ghi-chu.txt".to_owned(), b"beside".to_vec()),
            (format!("{}-old/index.html", self.prefix), b"old site".to_vec()),
        ]);
        assert_eq!(
            outside,
            expected.iter().map(|(k, v)| (k, v.clone())).collect(),
            "objects outside the prefix"
        );
    }
}

fn start_moto() -> Option<(Killed, String)> {
    let Some(moto) = tool("moto_server") else {
        common::missing_tool("moto_server", "python3 -m pip install 'moto[server]'");
        return None;
    };
    let port = free_port();
    let mut child = Command::new(moto)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut child, "moto_server");
    Some((Killed(child), format!("http://127.0.0.1:{port}")))
}

fn s3_env() -> Vec<(String, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID".to_owned(), "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "test".to_owned()),
        ("HOME".to_owned(), std::env::temp_dir().display().to_string()),
    ]
}

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
    bucket.boto(&["create"]);
    // Outside the prefix: at the bucket's root, and under a key that merely starts like it.
    bucket.boto(&["put", "ghi-chu.txt", "beside"]);
    bucket.boto(&["put", "www-old/index.html", "old site"]);
    let url = format!("s3://so-ngoai-vu/www?endpoint={endpoint}&region=us-east-1");
    let deployer = Deployer::new(&format!("[deploy.cdn]\nurl = \"{url}\"\n"), s3_env(), None);
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
