//! `[deploy.<name>]` in config.toml: where a site is published, parsed from its `url`.

use std::path::PathBuf;

use serde::Deserialize;

/// `[deploy.<name>]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTarget {
    pub(crate) url: toml::Spanned<String>,
    pub(crate) branch: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub(crate) default: bool,
}

/// A deploy target from config.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The `<name>` of `[deploy.<name>]`.
    pub name: String,
    /// The `url` as written, for messages.
    pub url: String,
    pub kind: TargetKind,
    /// Chosen when `--target` is not given and there are several targets.
    pub default: bool,
}

/// Where the files go. Paths below a target are always relative to its prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetKind {
    /// A local or mounted folder.
    Folder { path: PathBuf },
    /// A folder on a server reached with the system `ssh` client.
    Sftp {
        user: Option<String>,
        host: String,
        port: Option<u16>,
        /// Absolute path of the folder on the server.
        path: String,
    },
    /// A bucket of S3-compatible object storage.
    S3 {
        bucket: String,
        /// Key prefix inside the bucket, without leading or trailing `/`; empty for the whole bucket.
        prefix: String,
        endpoint: Option<String>,
        region: Option<String>,
    },
    /// A branch of a git repository: the site is the branch's whole tree.
    Git { remote: String, branch: String },
}

impl Target {
    /// Validates one `[deploy.<name>]` table; the error is a message for the `url` (or `branch`) key.
    pub(crate) fn from_raw(name: &str, raw: &RawTarget) -> Result<Target, (String, std::ops::Range<usize>)> {
        let url = raw.url.get_ref().trim();
        let kind = parse_url(url).map_err(|message| (message, raw.url.span()))?;
        let kind = match (kind, &raw.branch) {
            (TargetKind::Git { remote, .. }, Some(branch)) => {
                let branch = branch.get_ref().trim();
                if branch.is_empty() || branch.starts_with('-') || branch.contains(char::is_whitespace) {
                    let span = raw.branch.as_ref().map_or(raw.url.span(), toml::Spanned::span);
                    return Err((
                        format!("[deploy.{name}] branch `{branch}` is not a branch name"),
                        span,
                    ));
                }
                TargetKind::Git {
                    remote,
                    branch: branch.to_owned(),
                }
            }
            (TargetKind::Git { .. }, None) => {
                return Err((
                    format!("[deploy.{name}] is a git target but has no branch"),
                    raw.url.span(),
                ));
            }
            (_, Some(branch)) => {
                return Err((
                    format!("[deploy.{name}] branch is only for git targets (urls starting with git+)"),
                    branch.span(),
                ));
            }
            (kind, None) => kind,
        };
        Ok(Target {
            name: name.to_owned(),
            url: url.to_owned(),
            kind,
            default: raw.default,
        })
    }

    /// The path of the deploy manifest below the target's prefix.
    pub const MANIFEST: &'static str = ".mekong-manifest.json";
}

/// The hint shown with a bad `url`.
pub(crate) const URL_HINT: &str = "write one of: url = \"file:///srv/www\", \"sftp://user@host/var/www/site\", \
     \"s3://bucket/prefix?endpoint=https://…&region=…\", \"git+ssh://git@host/owner/repo.git\" (with branch = \"gh-pages\")";

fn parse_url(text: &str) -> Result<TargetKind, String> {
    let bad = |why: &str| format!("deploy url `{text}` {why}");
    if let Some(remote) = text.strip_prefix("git+") {
        let parsed = url::Url::parse(remote).map_err(|err| bad(&format!("is not a URL: {err}")))?;
        if !matches!(parsed.scheme(), "file" | "ssh" | "https" | "http" | "git") {
            return Err(bad(
                "is not a git remote (git+file://, git+ssh:// or git+https://)",
            ));
        }
        if parsed.password().is_some() {
            return Err(bad(
                "holds a password; git uses your credential helper or SSH key instead",
            ));
        }
        return Ok(TargetKind::Git {
            remote: remote.to_owned(),
            branch: String::new(),
        });
    }
    let parsed = url::Url::parse(text).map_err(|err| bad(&format!("is not a URL: {err}")))?;
    if parsed.password().is_some() {
        return Err(bad(
            "holds a password; passwords never go in config.toml (see the README on credentials)",
        ));
    }
    let path = percent_decode(parsed.path())?;
    let query: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    if parsed.scheme() != "s3" && !query.is_empty() {
        return Err(bad("has a `?query`, which only s3:// urls take"));
    }
    match parsed.scheme() {
        "file" => {
            if parsed
                .host_str()
                .is_some_and(|h| !h.is_empty() && h != "localhost")
            {
                return Err(bad("names a host; a folder url is file:///absolute/path"));
            }
            if path.trim_matches('/').is_empty() {
                return Err(bad("is the root of the file system"));
            }
            Ok(TargetKind::Folder {
                path: PathBuf::from(path),
            })
        }
        "sftp" | "ssh" => {
            let host = parsed
                .host_str()
                .filter(|h| !h.is_empty())
                .ok_or_else(|| bad("has no host"))?;
            if path.trim_matches('/').is_empty() {
                return Err(bad(
                    "has no folder: write the folder after the host, e.g. sftp://user@host/var/www/site",
                ));
            }
            let user = Some(parsed.username())
                .filter(|u| !u.is_empty())
                .map(str::to_owned);
            Ok(TargetKind::Sftp {
                user,
                host: host.to_owned(),
                port: parsed.port(),
                path,
            })
        }
        "s3" => {
            let bucket = parsed
                .host_str()
                .filter(|h| !h.is_empty())
                .ok_or_else(|| bad("has no bucket"))?;
            let mut endpoint = None;
            let mut region = None;
            for (key, value) in query {
                match key.as_str() {
                    "endpoint" => {
                        let ok =
                            url::Url::parse(&value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
                        if !ok {
                            return Err(bad(&format!(
                                "has endpoint `{value}`, which is not an http(s) address"
                            )));
                        }
                        endpoint = Some(value);
                    }
                    "region" => region = Some(value),
                    other => {
                        return Err(bad(&format!(
                            "has `{other}=`; an s3 url takes endpoint= and region="
                        )));
                    }
                }
            }
            Ok(TargetKind::S3 {
                bucket: bucket.to_owned(),
                prefix: path.trim_matches('/').to_owned(),
                endpoint,
                region,
            })
        }
        other => Err(bad(&format!(
            "starts with `{other}://`, which mekong cannot publish to (file, sftp, s3, git+…)"
        ))),
    }
}

fn percent_decode(path: &str) -> Result<String, String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| format!("deploy url path `{path}` is not UTF-8 once decoded"))?;
    if decoded.split('/').any(|part| part == "..") {
        return Err(format!("deploy url path `{path}` contains `..`"));
    }
    Ok(decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(url: &str) -> TargetKind {
        parse_url(url).unwrap()
    }

    #[test]
    fn each_kind_of_url_is_understood() {
        assert_eq!(
            kind("file:///srv/www"),
            TargetKind::Folder {
                path: PathBuf::from("/srv/www")
            }
        );
        assert_eq!(
            kind("sftp://web@so-ngoai-vu.example:2222/var/www/site"),
            TargetKind::Sftp {
                user: Some("web".into()),
                host: "so-ngoai-vu.example".into(),
                port: Some(2222),
                path: "/var/www/site".into()
            }
        );
        assert_eq!(
            kind("s3://tin-tuc/www/?endpoint=http://127.0.0.1:9000&region=auto"),
            TargetKind::S3 {
                bucket: "tin-tuc".into(),
                prefix: "www".into(),
                endpoint: Some("http://127.0.0.1:9000".into()),
                region: Some("auto".into())
            }
        );
        assert!(
            matches!(kind("git+ssh://git@github.com/so/site.git"), TargetKind::Git { remote, .. } if remote == "ssh://git@github.com/so/site.git")
        );
    }

    #[test]
    fn urls_that_cannot_be_published_to_say_why() {
        for (url, why) in [
            ("ftp://host/www", "cannot publish to"),
            ("s3://bucket?key=1", "takes endpoint= and region="),
            ("sftp://user:secret@host/www", "holds a password"),
            ("sftp://host", "has no folder"),
            ("file:///", "root of the file system"),
            ("www/public", "is not a URL"),
            ("git+ftp://host/repo", "is not a git remote"),
        ] {
            let err = parse_url(url).unwrap_err();
            assert!(err.contains(why), "{url}: {err}");
        }
    }
}
