//! The files at a target, through Apache OpenDAL: a folder, an SFTP server or an S3 bucket.
//! Every path is relative to the target's prefix, which OpenDAL's `root` keeps us inside.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::StreamExt;
use opendal::{ErrorKind, Operator, options};

use super::{Target, TargetKind};
use crate::error::{Diagnostic, Error, Result};

/// Parallel transfers to object storage and folders.
const CONCURRENCY: usize = 8;
/// Parallel transfers over SFTP: each one may open its own `ssh` connection.
const SFTP_CONCURRENCY: usize = 4;
/// Tries per file before a transfer is reported as failed.
const ATTEMPTS: u32 = 3;

/// One file to send: its path at the target and where its bytes are.
pub(crate) struct Put<'a> {
    pub(crate) path: &'a str,
    pub(crate) file: &'a std::path::Path,
}

pub(crate) struct Store {
    op: Operator,
    runtime: tokio::runtime::Runtime,
    /// How the target is named in messages: `deploy target "web" (sftp://…)`.
    label: String,
    concurrency: usize,
    /// Folders exist on their own (fs, SFTP): empty ones are removed after deletions.
    has_folders: bool,
    /// Object storage: send Content-Type and Cache-Control with each file.
    sends_headers: bool,
    /// Paths below the root that belong to something else and are never listed (`.git/`).
    hidden: Vec<&'static str>,
}

impl Store {
    /// Opens the target. `kind` is where its files are: the target's own kind, or for a git
    /// target the folder of its checkout, whose `.git/` is then never listed.
    pub(crate) fn open(target: &Target, kind: &TargetKind) -> Result<Store> {
        let label = format!("deploy target `{}` ({})", target.name, target.url);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| Error::new(Diagnostic::error(&label, format!("could not start: {err}"))))?;
        let fail = |err: opendal::Error| Error::new(Diagnostic::error(&label, describe(&err)));
        let hidden = if matches!(target.kind, TargetKind::Git { .. }) {
            vec![".git/"]
        } else {
            vec![]
        };
        let (op, concurrency, has_folders, sends_headers) = match kind {
            TargetKind::Folder { path } => {
                let builder = opendal::services::Fs::default().root(&path.to_string_lossy());
                (Operator::new(builder).map_err(fail)?, CONCURRENCY, true, false)
            }
            TargetKind::Sftp {
                user,
                host,
                port,
                path,
            } => {
                let user = user.as_deref().map(|u| format!("{u}@")).unwrap_or_default();
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                let builder = opendal::services::Sftp::default()
                    .endpoint(&format!("ssh://{user}{host}{port}"))
                    .root(path)
                    .known_hosts_strategy("strict");
                (
                    Operator::new(builder).map_err(fail)?,
                    SFTP_CONCURRENCY,
                    true,
                    false,
                )
            }
            TargetKind::S3 {
                bucket,
                prefix,
                endpoint,
                region,
            } => {
                let (key, secret) = s3_credentials().map_err(|message| {
                    Error::new(Diagnostic::error(&label, message).hint(
                        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary \
                         keys) in the environment of mekong deploy; keys never go in config.toml",
                    ))
                })?;
                // HTTPS goes through rustls, which needs its crypto provider installed once per
                // process; an error only means it already is.
                let _ = rustls::crypto::ring::default_provider().install_default();
                opendal_http_transport_reqwest::install_default();
                let mut builder = opendal::services::S3::default()
                    .bucket(bucket)
                    .root(&format!("/{prefix}"))
                    .region(region.as_deref().unwrap_or("us-east-1"))
                    .access_key_id(&key)
                    .secret_access_key(&secret)
                    // Only what the environment says: no ~/.aws files, no cloud metadata service.
                    .disable_config_load()
                    .disable_ec2_metadata();
                if let Some(endpoint) = endpoint {
                    builder = builder.endpoint(endpoint);
                }
                if let Ok(token) = std::env::var("AWS_SESSION_TOKEN") {
                    builder = builder.session_token(&token);
                }
                (Operator::new(builder).map_err(fail)?, CONCURRENCY, false, true)
            }
            TargetKind::Git { .. } => {
                return Err(Diagnostic::error(
                    &label,
                    "a git target is changed through a checkout of its branch",
                )
                .into());
            }
        };
        Ok(Store {
            op,
            runtime,
            label,
            concurrency,
            has_folders,
            sends_headers,
            hidden,
        })
    }

    fn error(&self, path: &str, action: &str, err: &opendal::Error) -> Diagnostic {
        let place = if path.is_empty() {
            self.label.clone()
        } else {
            format!("{}: {path}", self.label)
        };
        let mut diagnostic = Diagnostic::error(place, format!("could not {action}: {}", describe(err)));
        if let Some(hint) = hint(err) {
            diagnostic = diagnostic.hint(hint);
        }
        diagnostic
    }

    /// Every file below the prefix.
    pub(crate) fn list(&self) -> Result<BTreeSet<String>> {
        let opts = options::ListOptions {
            recursive: true,
            ..Default::default()
        };
        let entries = match self.runtime.block_on(self.op.list_options("", opts)) {
            Ok(entries) => entries,
            // A target that does not exist yet is an empty one.
            Err(err) if err.kind() == ErrorKind::NotFound => Vec::new(),
            Err(err) => return Err(self.error("", "list the files at the target", &err).into()),
        };
        let mut files = BTreeSet::new();
        for entry in entries {
            let path = entry.path().trim_start_matches('/');
            if !entry.metadata().is_file() || self.hidden.iter().any(|h| path.starts_with(h)) {
                continue;
            }
            files.insert(path.to_owned());
        }
        Ok(files)
    }

    /// The bytes of one file, or `None` when it is not there.
    pub(crate) fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        match self.runtime.block_on(self.op.read(path)) {
            Ok(buffer) => Ok(Some(buffer.to_vec())),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(None),
            Err(err) => Err(self.error(path, "read the file", &err).into()),
        }
    }

    /// Reads many files in parallel and hands each one's bytes to `each` as it arrives.
    pub(crate) fn read_each(&self, paths: &[String], each: &mut dyn FnMut(&str, Vec<u8>)) -> Result<()> {
        let mut errors = Vec::new();
        self.runtime.block_on(async {
            let mut reads = futures::stream::iter(paths)
                .map(|path| async move { (path, with_retries(|| self.op.read(path)).await) })
                .buffer_unordered(self.concurrency);
            while let Some((path, result)) = reads.next().await {
                match result {
                    Ok(buffer) => each(path, buffer.to_vec()),
                    Err(err) => errors.push(self.error(path, "read the file", &err)),
                }
            }
        });
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::from_list(errors))
        }
    }

    /// Sends files in parallel, each read from disk only when its turn comes (so at most
    /// `concurrency` files are in memory); `done(path, error)` is called as each one finishes.
    pub(crate) fn put_each(&self, puts: &[Put<'_>], done: &mut dyn FnMut(&str, Option<Diagnostic>)) {
        self.runtime.block_on(async {
            let mut writes = futures::stream::iter(puts)
                .map(|put| async move {
                    let error = match std::fs::read(put.file) {
                        Err(err) => Some(Diagnostic::error(
                            put.file.display().to_string(),
                            format!("could not read the file: {err}"),
                        )),
                        Ok(bytes) => {
                            // Shared, so a retry does not copy the file.
                            let bytes = opendal::Buffer::from(bytes);
                            let result = with_retries(|| {
                                let opts = self.write_options(put.path);
                                self.op.write_options(put.path, bytes.clone(), opts)
                            })
                            .await;
                            result
                                .err()
                                .map(|err| self.error(put.path, "upload the file", &err))
                        }
                    };
                    (put.path, error)
                })
                .buffer_unordered(self.concurrency);
            while let Some((path, error)) = writes.next().await {
                done(path, error);
            }
        });
    }

    fn write_options(&self, path: &str) -> options::WriteOptions {
        if !self.sends_headers {
            return options::WriteOptions::default();
        }
        options::WriteOptions {
            content_type: Some(crate::media_type::content_type(path).to_owned()),
            cache_control: Some(cache_control(path).to_owned()),
            ..Default::default()
        }
    }

    /// Deletes files in parallel, then the folders they leave empty; `done` as for `put_each`.
    pub(crate) fn delete_each(&self, paths: &[String], done: &mut dyn FnMut(&str, Option<Diagnostic>)) {
        self.runtime.block_on(async {
            let mut deletes = futures::stream::iter(paths)
                .map(|path| async move { (path, with_retries(|| self.op.delete(path)).await) })
                .buffer_unordered(self.concurrency);
            while let Some((path, result)) = deletes.next().await {
                done(
                    path,
                    result.err().map(|err| self.error(path, "delete the file", &err)),
                );
            }
            if self.has_folders {
                // Deepest first; a folder that still holds something is simply not removed.
                let mut folders: Vec<String> = paths.iter().flat_map(|p| parent_folders(p)).collect();
                folders.sort_by(|a, b| b.matches('/').count().cmp(&a.matches('/').count()).then(a.cmp(b)));
                folders.dedup();
                for folder in folders {
                    let _ = self.op.delete(&folder).await;
                }
            }
        });
    }

    /// Writes one small file (the manifest), retrying like any upload.
    pub(crate) fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        let opts = self.write_options(path);
        self.runtime
            .block_on(with_retries(|| {
                self.op.write_options(path, bytes.clone(), opts.clone())
            }))
            .map(|_| ())
            .map_err(|err| self.error(path, "write the file", &err).into())
    }
}

/// `a/b/c.html` → `a/b/`, `a/`.
fn parent_folders(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(i) = rest.rfind('/') {
        rest = &rest[..i];
        out.push(format!("{rest}/"));
    }
    out
}

async fn with_retries<T, F, Fut>(mut attempt: F) -> opendal::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = opendal::Result<T>>,
{
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(err) if tries >= ATTEMPTS || !worth_retrying(&err) => return Err(err),
            Err(_) => tokio::time::sleep(Duration::from_millis(300 * 2u64.pow(tries))).await,
        }
    }
}

fn worth_retrying(err: &opendal::Error) -> bool {
    !matches!(
        err.kind(),
        ErrorKind::NotFound | ErrorKind::PermissionDenied | ErrorKind::ConfigInvalid | ErrorKind::Unsupported
    )
}

fn s3_credentials() -> std::result::Result<(String, String), String> {
    let read = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (read("AWS_ACCESS_KEY_ID"), read("AWS_SECRET_ACCESS_KEY")) {
        (Some(key), Some(secret)) => Ok((key, secret)),
        (None, _) => Err("no S3 credentials: AWS_ACCESS_KEY_ID is not set in the environment".to_owned()),
        (_, None) => Err("no S3 credentials: AWS_SECRET_ACCESS_KEY is not set in the environment".to_owned()),
    }
}

/// OpenDAL's message and its source chain, which holds what the server, the system or `ssh`
/// said (OpenDAL's own context, for developers, is left out).
fn describe(err: &opendal::Error) -> String {
    let mut text = err.message().to_owned();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        let inner_text = inner.to_string();
        if !text.contains(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        source = inner.source();
    }
    text
}

fn hint(err: &opendal::Error) -> Option<&'static str> {
    let text = describe(err);
    if text.contains("ssh") || text.contains("Permission denied (publickey") {
        return Some(
            "mekong logs in with the system ssh client: your SSH agent or a key in ~/.ssh, and ~/.ssh/config; \
             check that `ssh user@host` works from this computer without a password prompt, and that the \
             server's key is in ~/.ssh/known_hosts",
        );
    }
    if text.contains("NoSuchBucket") {
        return Some(
            "the bucket does not exist: create it first (mekong never creates buckets) or check its name in the deploy url",
        );
    }
    if ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"]
        .iter()
        .any(|code| text.contains(code))
    {
        return Some(
            "the S3 keys were refused: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, \
             and that they may write to this bucket",
        );
    }
    if text.contains("error sending request") {
        return Some("check the endpoint in the deploy url and that this computer can reach it");
    }
    match err.kind() {
        ErrorKind::PermissionDenied => Some(
            "the credentials were refused: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the \
             environment (S3) or the SSH key (SFTP), and that they may write to this place",
        ),
        ErrorKind::NotFound => Some("check the bucket or folder name in the deploy url"),
        _ => None,
    }
}

/// Pages, feeds and indexes change with every article: caches keep them five minutes. A file
/// whose name carries its content hash (`app.3f9a1c2e.js`) never changes: a year. Anything else
/// (images, style sheets, fonts at fixed names) a day, so a replaced picture shows the next day
/// at the latest.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    if matches!(
        extension.as_str(),
        "html" | "htm" | "xml" | "json" | "txt" | "webmanifest" | "xsl"
    ) {
        "public, max-age=300"
    } else if has_content_hash(name) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    }
}

/// A part of the name between dots that is 8 or more hex digits with a digit in it.
fn has_content_hash(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() >= 8
                && part.chars().all(|c| c.is_ascii_hexdigit())
                && part.chars().any(|c| c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_cached_briefly_and_hashed_assets_for_a_year() {
        assert_eq!(cache_control("index.html"), "public, max-age=300");
        assert_eq!(cache_control("en/atom.xml"), "public, max-age=300");
        assert_eq!(
            cache_control("js/app.3f9a1c2e.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("css/style.css"), "public, max-age=86400");
        assert_eq!(cache_control("img/deadbeef.cafe.png"), "public, max-age=86400");
    }

    #[test]
    fn parent_folders_go_up_to_the_prefix() {
        assert_eq!(parent_folders("news/bai/index.html"), ["news/bai/", "news/"]);
        assert!(parent_folders("index.html").is_empty());
    }
}
