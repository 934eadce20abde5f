//! The `mekong` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mekong::{BuildOptions, Diagnostic, build};

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
        /// The site folder, holding config.toml [default: the current folder]
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Where to write the site [default: public/ inside the site folder]
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Use this address instead of base_url from config.toml, e.g. https://example.org/ngoai-vu/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages marked draft = true
        #[arg(long)]
        drafts: bool,
        /// Include pages dated in the future (normally held back until their date)
        #[arg(long)]
        future: bool,
        /// Include pages past their `expires` date
        #[arg(long)]
        expired: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            expired,
        } => {
            let options = BuildOptions {
                root: mekong::site::resolve_root(root.as_deref()),
                output,
                base_url,
                drafts,
                future,
                expired,
            };
            match build(&options) {
                Ok(report) => {
                    print_warnings(&report.warnings);
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
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("{err}");
                    let count = err.diagnostics.len();
                    eprintln!(
                        "Build failed with {count} error{}; the previous output was left as it was.",
                        if count == 1 { "" } else { "s" }
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn print_warnings(warnings: &[Diagnostic]) {
    for warning in warnings {
        eprintln!("{warning}");
    }
}
