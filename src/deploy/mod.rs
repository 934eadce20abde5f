//! `mekong deploy`: builds and checks the site, then brings a target (folder, SFTP server, S3
//! bucket, git branch) to exactly the built files, sending only what changed.

mod git;
mod plan;
mod store;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use crate::config::deploy_target::{Target, TargetKind};
pub use crate::media_type::content_type;
pub use plan::Plan;
pub use store::cache_control;

use crate::check;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result, did_you_mean};
use crate::site::{BuildOptions, BuildReport};
use plan::{Manifest, ManifestEntry};

#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    /// The site to build and check; `output` unset builds into the usual folder.
    pub build: BuildOptions,
    /// `[deploy.<name>]` to publish to; the only or the default one when unset.
    pub target: Option<String>,
    /// Publish this folder, built earlier, instead of building.
    pub from: Option<PathBuf>,
    /// Say what would change and change nothing.
    pub dry_run: bool,
    /// Also delete files at the target that no deploy put there.
    pub prune: bool,
    /// Publish even when the checks find errors (a failed build still stops).
    pub force: bool,
}

/// What a deploy did (or, with `--dry-run`, would do).
#[derive(Debug)]
pub struct DeployReport {
    pub target: Target,
    /// The build, unless `--from` named a folder.
    pub build: Option<BuildReport>,
    /// The folder that was published.
    pub folder: PathBuf,
    /// What `mekong check` said: warnings and notes, and errors when `--force` overrode them.
    pub check: check::Report,
    pub plan: Plan,
    pub dry_run: bool,
    /// Git targets: whether a commit was pushed (none when nothing changed).
    pub committed: Option<bool>,
}

/// Builds, checks and publishes. `on_file(done, total)` is called after each file sent or
/// deleted, for a progress bar.
pub fn deploy(options: &DeployOptions, on_file: &mut dyn FnMut(usize, usize)) -> Result<DeployReport> {
    let config = Config::load(&options.build.root, options.build.base_url.as_deref())?;
    let target = choose_target(&config, options.target.as_deref())?.clone();

    let (build, folder) = match &options.from {
        Some(folder) => {
            if !folder.is_dir() {
                return Err(Diagnostic::error(
                    folder.display().to_string(),
                    "there is no such folder to publish",
                )
                .hint("--from takes the folder a build wrote, e.g. --from public")
                .into());
            }
            (None, folder.clone())
        }
        // A build that fails stops here, before anything is sent.
        None => {
            let report = crate::site::build(&options.build)?;
            let folder = report.output.clone();
            (Some(report), folder)
        }
    };

    let check = check::check(&options.build)?;
    if check.has_errors() && !options.force {
        let mut errors: Vec<Diagnostic> = check
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == crate::error::Severity::Error)
            .collect();
        errors.push(
            Diagnostic::error(
                format!("deploy target `{}`", target.name),
                "nothing was published: `mekong check` found the errors above",
            )
            .hint("fix them and deploy again, or publish anyway with --force"),
        );
        return Err(Error::from_list(errors));
    }

    let label = format!("deploy target `{}` ({})", target.name, target.url);
    let checkout = match &target.kind {
        TargetKind::Git { remote, branch } => Some(git::Checkout::open(&label, remote, branch)?),
        _ => None,
    };
    let at = match &checkout {
        Some(checkout) => TargetKind::Folder {
            path: checkout.path.clone(),
        },
        None => target.kind.clone(),
    };
    if let TargetKind::Folder { path } = &target.kind {
        refuse_overlap(&target, path, &folder)?;
    }
    let store = store::Store::open(&target, &at)?;

    let local = plan::local_files(&folder)?;
    let remote = store.list()?;
    let manifest_bytes = if remote.contains(Target::MANIFEST) {
        store.read(Target::MANIFEST)?
    } else {
        None
    };
    let manifest = manifest_bytes.as_deref().and_then(Manifest::parse);
    let mut hashed = BTreeMap::new();
    let to_hash = plan::to_hash(&local, &remote, manifest.as_ref());
    store.read_each(&to_hash, &mut |path, bytes| {
        hashed.insert(path.to_owned(), plan::hash(&bytes));
    })?;
    let plan = plan::plan(&local, &remote, manifest.as_ref(), &hashed, options.prune);

    let mut report = DeployReport {
        target,
        build,
        folder,
        check,
        plan,
        dry_run: options.dry_run,
        committed: None,
    };
    if options.dry_run {
        return Ok(report);
    }

    let total = report.plan.uploads.len() + report.plan.deletes.len();
    let mut done = 0;
    let mut failures = Vec::new();
    let mut failed_uploads = std::collections::BTreeSet::new();
    let by_path: BTreeMap<&str, &plan::LocalFile> = local.iter().map(|f| (f.path.as_str(), f)).collect();
    // Pictures, styles and scripts first, pages once they are all there: a page never points
    // at a file not yet sent.
    let (pages, assets): (Vec<&str>, Vec<&str>) = report
        .plan
        .uploads
        .iter()
        .map(|(p, _)| p.as_str())
        .partition(|p| is_page(p));
    for group in [assets, pages] {
        let puts: Vec<store::Put<'_>> = group
            .into_iter()
            .map(|path| store::Put {
                path,
                file: &by_path[path].full,
            })
            .collect();
        store.put_each(&puts, &mut |path, error| {
            done += 1;
            on_file(done, total);
            if let Some(error) = error {
                failed_uploads.insert(path.to_owned());
                failures.push(error);
            }
        });
    }
    let mut failed_deletes = std::collections::BTreeSet::new();
    store.delete_each(&report.plan.deletes, &mut |path, error| {
        done += 1;
        on_file(done, total);
        if let Some(error) = error {
            failed_deletes.insert(path.to_owned());
            failures.push(error);
        }
    });

    // Last, so an interrupted deploy leaves the old manifest and the next one resumes: it
    // lists what is surely there (files that failed are left out and compared again).
    let mut files: BTreeMap<String, ManifestEntry> = local
        .iter()
        .filter(|f| !failed_uploads.contains(&f.path))
        .map(|f| {
            let entry = ManifestEntry {
                hash: f.hash.clone(),
                size: f.size,
            };
            (f.path.clone(), entry)
        })
        .collect();
    if let Some(previous) = &manifest {
        for path in &failed_deletes {
            if let Some(entry) = previous.files.get(path) {
                files.insert(path.clone(), entry.clone());
            }
        }
    }
    let manifest_now = Manifest::new(files).to_bytes();
    if manifest_bytes.as_deref() != Some(manifest_now.as_slice()) {
        store.put(Target::MANIFEST, manifest_now)?;
    }
    if !failures.is_empty() {
        let count = failures.len();
        failures.push(
            Diagnostic::error(
                label,
                format!(
                    "{count} file{} could not be sent or deleted, even after retrying",
                    plural(count)
                ),
            )
            .hint("run mekong deploy again: it sends only what is still missing"),
        );
        return Err(Error::from_list(failures));
    }
    if let Some(checkout) = &checkout {
        let plan = &report.plan;
        let message = format!(
            "mekong deploy: {} file{} updated, {} deleted",
            plan.uploads.len(),
            plural(plan.uploads.len()),
            plan.deletes.len()
        );
        report.committed = Some(checkout.commit_and_push(&message)?);
    }
    Ok(report)
}

/// A folder target inside the built folder, or holding it, would publish onto itself.
fn refuse_overlap(target: &Target, path: &std::path::Path, built: &std::path::Path) -> Result<()> {
    let real = |p: &std::path::Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (path, built) = (real(path), real(built));
    if path.starts_with(&built) || built.starts_with(&path) {
        return Err(Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!(
                "[deploy.{}] publishes to {}, which overlaps the built site in {}",
                target.name,
                path.display(),
                built.display()
            ),
        )
        .hint("publish to a folder outside the site's output folder (and not one that holds it)")
        .into());
    }
    Ok(())
}

fn is_page(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The target `--target` names, else the only one, else the one marked `default = true`.
pub fn choose_target<'a>(config: &'a Config, name: Option<&str>) -> Result<&'a Target> {
    let names: Vec<&str> = config.deploy.iter().map(|t| t.name.as_str()).collect();
    if config.deploy.is_empty() {
        return Err(Diagnostic::error(
            crate::config::CONFIG_FILE,
            "there is nowhere to deploy to: config.toml has no [deploy.<name>] table",
        )
        .hint("add one, e.g.\n  [deploy.web]\n  url = \"sftp://user@server.example/var/www/site\"\n  (the README's Publish section has one for each kind of host)")
        .into());
    }
    if let Some(name) = name {
        return config.deploy.iter().find(|t| t.name == name).ok_or_else(|| {
            let hint = match did_you_mean(name, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? The targets are: {}", names.join(", ")),
                None => format!("the targets in config.toml are: {}", names.join(", ")),
            };
            Diagnostic::error(crate::config::CONFIG_FILE, format!("there is no [deploy.{name}]"))
                .hint(hint)
                .into()
        });
    }
    if let [only] = config.deploy.as_slice() {
        return Ok(only);
    }
    config.deploy.iter().find(|t| t.default).ok_or_else(|| {
        Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!("there are {} deploy targets and none is the default", names.len()),
        )
        .hint(format!(
            "choose one with --target NAME ({}), or mark one with `default = true`",
            names.join(", ")
        ))
        .into()
    })
}
