//! The `mekong` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use mekong::config::Config;
use mekong::date::Date;
use mekong::error::Severity;
use mekong::progress::Progress;
use mekong::site::resolve_root;
use mekong::{BuildOptions, Diagnostic, Error};

#[derive(Parser)]
#[command(
    name = "mekong",
    version,
    about = "Build multilingual news sites (Vietnamese, English, Khmer) from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of static files ready to upload.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: public/ inside the site folder]
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Use this address instead of base_url from config.toml, e.g. https://example.org/ngoai-vu/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Print errors only: no progress, warnings or summary
        #[arg(long, short)]
        quiet: bool,
    },
    /// Preview the site: serve it on this computer and reload open pages when files change.
    Serve {
        /// The site folder, holding config.toml [default: the current folder]
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Address to listen on; other than 127.0.0.1 lets other computers see the preview
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// Port to listen on; when it is taken the next ones are tried (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Also answer requests for this host name (repeatable), e.g. a name the office network
        /// gives this computer; its own names and addresses are always accepted
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Include pages marked draft = true
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site without writing it: broken links, missing and stale translations,
    /// missing UI strings, images without alt text, pages without a description.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// How to print the report
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Print errors only (nothing at all when there are none)
        #[arg(long, short)]
        quiet: bool,
    },
    /// Show every article in every language: translated, unmarked, stale, fallback or missing.
    Translations {
        /// The site folder, holding config.toml [default: the current folder]
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// How to print the table
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Record that this translation (e.g. content/news/bai.km.md) matches its source now
        #[arg(long, value_name = "FILE")]
        mark: Option<PathBuf>,
    },
    /// Create a new site: config, a home page and a news section in every language, an
    /// example article with its translations, and a README for the people who will edit it.
    Init {
        /// The folder to create the site in; it must be new or empty [default: the current folder]
        dir: Option<PathBuf>,
        /// Language codes, the default language first, e.g. vi,en,km
        #[arg(long, value_delimiter = ',', default_value = "vi,en,km")]
        languages: Vec<String>,
        /// The site's name, in the default language
        #[arg(long)]
        title: Option<String>,
        /// The address the site will be published at, e.g. https://example.org/ngoai-vu/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Build, check and publish the site to a [deploy.<name>] target of config.toml, sending only
    /// the files that changed.
    Deploy {
        /// The site folder, holding config.toml [default: the current folder]
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Which [deploy.<name>] to publish to [default: the only one, or the one with default = true]
        #[arg(long, value_name = "NAME")]
        target: Option<String>,
        /// Publish this folder, built earlier, instead of building the site
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Show what would be sent and deleted, and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Also delete files at the target that mekong did not put there
        #[arg(long)]
        prune: bool,
        /// Publish even when `mekong check` finds errors (a failed build always stops)
        #[arg(long)]
        force: bool,
    },
    /// Create a new article with a draft stub for each translation, e.g. `mekong new news/le-ky-ket`.
    New {
        /// Section and file name, e.g. news/le-ky-ket
        path: String,
        /// The article's title [default: made from the file name]
        #[arg(long)]
        title: Option<String>,
        /// The site folder, holding config.toml [default: the current folder]
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
}

/// What selects the pages of a build.
#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder, holding config.toml [default: the current folder]
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Include pages marked draft = true
    #[arg(long)]
    drafts: bool,
    /// Include pages dated in the future (normally held back until their date)
    #[arg(long)]
    future: bool,
    /// Include pages past their `expires` date
    #[arg(long)]
    expired: bool,
}

impl SiteArgs {
    fn options(self) -> BuildOptions {
        BuildOptions {
            root: resolve_root(self.root.as_deref()),
            drafts: self.drafts,
            future: self.future,
            expired: self.expired,
            ..BuildOptions::default()
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            quiet,
        } => build(
            BuildOptions {
                output,
                base_url,
                ..site.options()
            },
            quiet,
        ),
        Command::Serve {
            root,
            interface,
            port,
            allow_hosts,
            open,
            drafts,
        } => serve(mekong::serve::ServeOptions {
            root: resolve_root(root.as_deref()),
            interface,
            port,
            drafts,
            open,
            allow_hosts,
        }),
        Command::Check { site, format, quiet } => check(site.options(), format, quiet),
        Command::Translations { root, format, mark } => {
            translations(resolve_root(root.as_deref()), format, mark)
        }
        Command::Init {
            dir,
            languages,
            title,
            base_url,
        } => init(mekong::init::InitOptions {
            dir: mekong::init::resolve_dir(dir.as_deref()),
            languages,
            title,
            base_url,
        }),
        Command::Deploy {
            root,
            target,
            from,
            dry_run,
            prune,
            force,
        } => deploy(mekong::deploy::DeployOptions {
            build: BuildOptions {
                root: resolve_root(root.as_deref()),
                ..BuildOptions::default()
            },
            target,
            from,
            dry_run,
            prune,
            force,
        }),
        Command::New { path, title, root } => new(resolve_root(root.as_deref()), &path, title.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{err}");
            let count = err.diagnostics.len();
            eprintln!("Failed with {count} error{}.", if count == 1 { "" } else { "s" });
            ExitCode::FAILURE
        }
    }
}

/// How long a build runs before it shows a progress bar: about a second, or
/// `MEKONG_PROGRESS_AFTER_MS` (the tests set 0 to see the bar on a small site).
fn progress_delay() -> Duration {
    std::env::var("MEKONG_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

fn build(mut options: BuildOptions, quiet: bool) -> Result<ExitCode, Error> {
    let progress = (!quiet).then(|| {
        let progress = Progress::on_terminal("Building", progress_delay());
        progress.set_changed_word("written");
        Arc::new(progress)
    });
    options.progress = progress.clone();
    let result = mekong::build(&options);
    if let Some(progress) = progress {
        progress.finish();
    }
    let report = match result {
        Ok(report) => report,
        Err(err) => {
            eprintln!("{err}");
            let count = err.diagnostics.len();
            eprintln!(
                "Build failed with {count} error{}; the previous output was left as it was.",
                if count == 1 { "" } else { "s" }
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    if quiet {
        return Ok(ExitCode::SUCCESS);
    }
    print_diagnostics(&report.warnings);
    let per_language: Vec<String> = report
        .pages_per_language
        .iter()
        .map(|(code, count)| format!("{count} {code}"))
        .collect();
    println!(
        "Built {} pages ({}) into {} in {} ms: {} files written, {} unchanged, {} removed.",
        report.pages_per_language.iter().map(|(_, n)| n).sum::<usize>(),
        per_language.join(", "),
        report.output.display(),
        report.elapsed.as_millis(),
        report.files.written,
        report.files.unchanged,
        report.files.removed,
    );
    if let Some(next) = &report.next_scheduled {
        println!(
            "Next scheduled article: {} ({}); build again after that time to publish it.",
            publication_time(&next.date),
            next.file
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// When an embargoed page goes live: `2026-12-05 08:00 +07:00`; a date without a time or an
/// offset is taken as UTC, and says so.
fn publication_time(date: &Date) -> String {
    let (h, m, _) = date.time.unwrap_or((0, 0, 0));
    let zone = match date.offset_minutes {
        None | Some(0) => "UTC".to_owned(),
        Some(offset) => format!(
            "{}{:02}:{:02}",
            if offset < 0 { '-' } else { '+' },
            offset.unsigned_abs() / 60,
            offset.unsigned_abs() % 60
        ),
    };
    format!(
        "{:04}-{:02}-{:02} {h:02}:{m:02} {zone}",
        date.year, date.month, date.day
    )
}

/// Prints what the preview server reports: progress to stdout, problems to stderr.
struct Terminal;

impl mekong::serve::Reporter for Terminal {
    fn info(&mut self, message: &str) {
        println!("{message}");
    }

    fn problem(&mut self, message: &str) {
        eprintln!("{message}");
    }
}

fn serve(options: mekong::serve::ServeOptions) -> Result<ExitCode, Error> {
    mekong::serve::serve(&options, &mut Terminal)?;
    Ok(ExitCode::SUCCESS)
}

fn check(options: BuildOptions, format: Format, quiet: bool) -> Result<ExitCode, Error> {
    let mut report = mekong::check::check(&options)?;
    if quiet {
        report.diagnostics.retain(|d| d.severity == Severity::Error);
        if report.diagnostics.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    match format {
        Format::Text => print!("{}", report.to_text()),
        Format::Json => println!("{}", report.to_json()),
    }
    Ok(if report.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn translations(root: PathBuf, format: Format, mark: Option<PathBuf>) -> Result<ExitCode, Error> {
    let config = Config::load(&root, None)?;
    if let Some(file) = mark {
        println!("{}", mekong::translations::mark(&config, &file)?);
        return Ok(ExitCode::SUCCESS);
    }
    let options = mekong::content::LoadOptions {
        drafts: false,
        future: true,
        expired: false,
        now: None,
    };
    let content = mekong::content::Content::load(&config, options)?;
    let rows = mekong::translations::table(&config, &content);
    match format {
        Format::Text => print!("{}", mekong::translations::to_text(&config, &rows)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default()),
    }
    Ok(ExitCode::SUCCESS)
}

fn init(options: mekong::init::InitOptions) -> Result<ExitCode, Error> {
    let created = mekong::init::init(&options)?;
    let dir = options.dir.display();
    println!("Created a new site in {dir} ({} files).", created.files.len());
    for code in &created.untranslated {
        println!(
            "mekong has no built-in texts in `{code}`: its pages start in English, and `mekong check` \
             lists the interface strings to add to locales/{code}/site.ftl."
        );
    }
    if options.dir == std::path::Path::new(".") {
        println!("Next: mekong serve   (and read README.md)");
    } else {
        println!("Next: cd {dir} && mekong serve   (and read README.md there)");
    }
    Ok(ExitCode::SUCCESS)
}

fn new(root: PathBuf, path: &str, title: Option<&str>) -> Result<ExitCode, Error> {
    let config = Config::load(&root, None)?;
    for file in mekong::new::new_article(&config, path, title)? {
        println!("created {}", file.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn deploy(mut options: mekong::deploy::DeployOptions) -> Result<ExitCode, Error> {
    // The same bar as `mekong build` while the site builds, then one for the files sent.
    let building = Arc::new(Progress::on_terminal("Building", progress_delay()));
    building.set_changed_word("written");
    options.build.progress = Some(building.clone());
    let uploading = Progress::on_terminal("Uploading", progress_delay());
    let report = mekong::deploy::deploy(&options, &mut |done, total| {
        building.finish();
        uploading.set_total(total as u64);
        uploading.inc((done as u64).saturating_sub(uploading.done()));
    });
    building.finish();
    uploading.finish();
    let report = report?;
    let target = &report.target;
    if let Some(build) = &report.build {
        print_diagnostics(&build.warnings);
        println!(
            "Built {} pages into {} in {} ms.",
            build.pages_per_language.iter().map(|(_, n)| n).sum::<usize>(),
            build.output.display(),
            build.elapsed.as_millis()
        );
    }
    // Errors only reach here under --force: show them. Warnings are `mekong check`'s to list.
    let check = &report.check;
    let errors: Vec<Diagnostic> = check
        .diagnostics
        .iter()
        .filter(|d| d.severity == mekong::error::Severity::Error)
        .cloned()
        .collect();
    print_diagnostics(&errors);
    let warnings = check.count(mekong::error::Severity::Warning);
    let warnings = format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" });
    if !errors.is_empty() {
        let count = errors.len();
        eprintln!(
            "Checked: {count} error{} (published anyway: --force), {warnings}; mekong check lists them.",
            if count == 1 { "" } else { "s" }
        );
    } else if check.count(mekong::error::Severity::Warning) > 0 {
        eprintln!("Checked: {warnings}; mekong check lists them.");
    }
    let plan = &report.plan;
    if report.dry_run {
        for (path, size) in &plan.uploads {
            println!("would upload {path} ({})", bytes(*size));
        }
        for path in &plan.deletes {
            println!("would delete {path}");
        }
    }
    for path in &plan.kept {
        println!("kept {path} (not put there by mekong; --prune deletes it)");
    }
    let verb = if report.dry_run {
        "Would upload"
    } else {
        "Uploaded"
    };
    let deleted = if report.dry_run { "would delete" } else { "deleted" };
    let mut summary = format!(
        "{verb} {} file{} / {} to {} ({}), {deleted} {}, unchanged {}",
        plan.uploads.len(),
        if plan.uploads.len() == 1 { "" } else { "s" },
        bytes(plan.upload_bytes()),
        target.name,
        target.url,
        plan.deletes.len(),
        plan.unchanged,
    );
    match report.committed {
        Some(true) => summary.push_str("; committed and pushed"),
        Some(false) => summary.push_str("; nothing changed, no commit"),
        None => {}
    }
    if report.dry_run {
        summary.push_str(" (dry run: nothing was changed)");
    }
    println!("{summary}.");
    Ok(ExitCode::SUCCESS)
}

/// `1234567` → `1.2 MB`; exact bytes below 10 kB.
fn bytes(n: u64) -> String {
    match n {
        0..10_000 => format!("{n} bytes"),
        10_000..1_000_000 => format!("{:.1} kB", n as f64 / 1000.0),
        _ => format!("{:.1} MB", n as f64 / 1_000_000.0),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
}
