//! Git targets: a temporary checkout of one branch, changed like a folder, committed and pushed
//! only when something changed. The `git` command does the work, with the user's own git setup
//! (SSH keys, credential helpers, name and email).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{Diagnostic, Error, Result};

const CREDENTIALS_HINT: &str = "git uses your own setup: for git+ssh:// your SSH agent or a key in ~/.ssh, \
     for git+https:// a credential helper (`git config --global credential.helper …`); check that \
     `git ls-remote <remote>` works from this computer";

/// A checkout of the target branch in a temporary folder, removed when dropped.
pub(crate) struct Checkout {
    _dir: tempfile::TempDir,
    pub(crate) path: PathBuf,
    remote: String,
    branch: String,
    label: String,
}

impl Checkout {
    /// Clones `branch` of `remote` (only its last commit), or starts it when it does not exist yet.
    pub(crate) fn open(label: &str, remote: &str, branch: &str) -> Result<Checkout> {
        let dir = tempfile::Builder::new()
            .prefix("mekong-deploy-")
            .tempdir()
            .map_err(|err| Error::io(&std::env::temp_dir(), "create a temporary folder", &err))?;
        let path = dir.path().join("site");
        let checkout = Checkout {
            path: path.clone(),
            _dir: dir,
            remote: remote.to_owned(),
            branch: branch.to_owned(),
            label: label.to_owned(),
        };
        let heads = checkout.git(
            None,
            &["ls-remote", "--heads", remote, &format!("refs/heads/{branch}")],
        )?;
        let exists = !String::from_utf8_lossy(&heads.stdout).trim().is_empty();
        if exists {
            let target = path.to_string_lossy();
            checkout.git(
                None,
                &[
                    "clone",
                    "--quiet",
                    "--depth",
                    "1",
                    "--single-branch",
                    "--branch",
                    branch,
                    remote,
                    &target,
                ],
            )?;
        } else {
            crate::fs::create_dir_all(&path)?;
            checkout.git(Some(&path), &["init", "--quiet"])?;
            checkout.git(Some(&path), &["checkout", "--quiet", "--orphan", branch])?;
        }
        Ok(checkout)
    }

    /// Commits everything in the checkout and pushes it; `Ok(false)` when nothing changed (then
    /// no commit is made).
    pub(crate) fn commit_and_push(&self, message: &str) -> Result<bool> {
        let path = Some(self.path.as_path());
        self.git(path, &["add", "--all"])?;
        let status = self.git(path, &["status", "--porcelain"])?;
        if status.stdout.is_empty() {
            return Ok(false);
        }
        let mut commit = vec!["commit", "--quiet", "--no-verify", "-m", message];
        // Name and email come from the user's git config; without them git refuses to commit.
        let has_identity = self.git(path, &["config", "user.email"]).is_ok();
        let fallback = [
            "-c",
            "user.name=mekong deploy",
            "-c",
            "user.email=mekong@localhost",
        ];
        if !has_identity {
            commit.splice(0..0, fallback);
        }
        self.git(path, &commit)?;
        let refspec = format!("HEAD:refs/heads/{}", self.branch);
        self.git(path, &["push", "--quiet", &self.remote, &refspec])?;
        Ok(true)
    }

    fn git(&self, dir: Option<&Path>, args: &[&str]) -> Result<Output> {
        let mut command = Command::new("git");
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        // Never wait for a password on a terminal nobody watches.
        command.env("GIT_TERMINAL_PROMPT", "0").args(args);
        let output = command.output().map_err(|err| {
            Error::new(
                Diagnostic::error(&self.label, format!("could not run git: {err}"))
                    .hint("install git (https://git-scm.com) and make sure `git` is on the PATH"),
            )
        })?;
        if output.status.success() {
            return Ok(output);
        }
        let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        let mut diagnostic = Diagnostic::error(
            &self.label,
            format!(
                "`git {}` failed: {said}",
                args.first().copied().unwrap_or_default()
            ),
        );
        if said.contains("[rejected]") || said.contains("non-fast-forward") || said.contains("fetch first") {
            diagnostic = diagnostic.hint(format!(
                "someone else changed the {} branch while mekong was deploying: run mekong deploy again",
                self.branch
            ));
        } else if matches!(args.first(), Some(&"ls-remote" | &"clone" | &"push")) {
            diagnostic = diagnostic.hint(CREDENTIALS_HINT);
        }
        Err(diagnostic.into())
    }
}
