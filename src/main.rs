//! The `mekong` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mekong::config::Config;
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
        } => build(BuildOptions {
            output,
            base_url,
            ..site.options()
        }),
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
        Command::Check { site, format } => check(site.options(), format),
        Command::Translations { root, format, mark } => {
            translations(resolve_root(root.as_deref()), format, mark)
        }
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

fn build(options: BuildOptions) -> Result<ExitCode, Error> {
    let report = match mekong::build(&options) {
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
    Ok(ExitCode::SUCCESS)
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

fn check(options: BuildOptions, format: Format) -> Result<ExitCode, Error> {
    let report = mekong::check::check(&options)?;
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

fn new(root: PathBuf, path: &str, title: Option<&str>) -> Result<ExitCode, Error> {
    let config = Config::load(&root, None)?;
    for file in mekong::new::new_article(&config, path, title)? {
        println!("created {}", file.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn deploy(options: mekong::deploy::DeployOptions) -> Result<ExitCode, Error> {
    let report = mekong::deploy::deploy(&options, &mut |_done, _total| {})?;
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
