//! mekong: a static site generator for multilingual news sites in Vietnamese, English and Khmer.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod deploy;
mod embedded;
pub mod error;
mod fs;
pub mod geo;
pub mod i18n;
pub mod images;
pub mod init;
pub mod input;
pub mod jobs;
pub mod language_names;
pub mod lint;
pub mod markdown;
pub mod media_type;
pub mod new;
pub mod output;
pub mod progress;
pub mod render;
mod sass;
pub mod search;
pub mod serve;
pub mod site;
pub mod syndication;
pub mod text;
pub mod timings;
pub mod translations;

pub use error::{Diagnostic, Error, Result};
pub use site::{BuildOptions, BuildReport, build};
