//! The places the deploy tests publish to, each started here and read with a client other
//! than mekong: a folder, OpenSSH's sshd, a bare git repository, moto's S3 server.
#![allow(dead_code, unreachable_pub)]

use std::collections::{BTreeMap, BTreeSet};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;

pub const MANIFEST: &str = ".mekong-manifest.json";

/// What a test sees at a target: the files below its prefix, read with a client other than mekong.
pub trait Remote {
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

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn wait_for_port(port: u16, child: &mut Child, what: &str) {
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
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn tool(name: &str) -> Option<PathBuf> {
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

pub fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

// ---------------------------------------------------------------- folder

/// A folder seen straight on disk, with `www-old/` and `ghi-chu.txt` beside it, outside the target.
pub struct Folder {
    pub dir: PathBuf,
}

impl Folder {
    pub fn new(dir: PathBuf) -> Folder {
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

// ---------------------------------------------------------------- SFTP

pub struct Sshd {
    pub _process: Killed,
    pub port: u16,
    /// HOME for mekong: .ssh/ with the user key, known_hosts and config.
    pub home: PathBuf,
    /// A folder with an `ssh` that reads that HOME's config.
    pub bin: PathBuf,
}

/// OpenSSH's sshd on a free loopback port with its own host key, letting in one generated user key.
pub fn start_sshd(dir: &Path) -> Option<Sshd> {
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

pub fn user_name() -> String {
    run(Command::new("id").arg("-un")).trim().to_owned()
}

// ---------------------------------------------------------------- git

pub struct GitBranch {
    pub bare: PathBuf,
    pub branch: &'static str,
    pub scratch: tempfile::TempDir,
    pub home: PathBuf,
}

impl GitBranch {
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        run(Command::new("git")
            .current_dir(dir)
            .env("HOME", &self.home)
            .args(args))
    }

    /// A fresh clone of the branch.
    pub fn clone_branch(&self) -> PathBuf {
        let dir = self.scratch.path().join(format!("clone-{}", rand_suffix()));
        run(Command::new("git")
            .env("HOME", &self.home)
            .args(["clone", "--quiet", "--branch", self.branch])
            .arg(&self.bare)
            .arg(&dir));
        dir
    }
}

pub fn rand_suffix() -> u128 {
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

// ---------------------------------------------------------------- S3

/// Reads and writes the bucket with boto3 (which moto brings), not with mekong's client.
pub const BOTO: &str = r#"
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

pub struct Bucket {
    pub endpoint: String,
    pub bucket: &'static str,
    pub prefix: &'static str,
}

#[derive(serde::Deserialize)]
pub struct Object {
    pub hex: String,
    #[serde(rename = "type")]
    pub content_type: Option<String>,
    pub cache: Option<String>,
}

impl Bucket {
    pub fn boto(&self, args: &[&str]) -> String {
        run(Command::new("python3")
            .arg("-c")
            .arg(BOTO)
            .arg(&self.endpoint)
            .arg(self.bucket)
            .args(args))
    }

    /// Every object in the bucket, prefix or not.
    pub fn dump(&self) -> BTreeMap<String, Object> {
        serde_json::from_str(&self.boto(&["dump"])).unwrap()
    }
}

pub fn unhex(hex: &str) -> Vec<u8> {
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

pub fn start_moto() -> Option<(Killed, String)> {
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

pub fn s3_env() -> Vec<(String, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID".to_owned(), "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "test".to_owned()),
        ("HOME".to_owned(), std::env::temp_dir().display().to_string()),
    ]
}
