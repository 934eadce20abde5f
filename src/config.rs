//! `config.toml`: the raw file as written, and the validated `Config` the engine uses.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Result, did_you_mean};

pub const CONFIG_FILE: &str = "config.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    default_language: toml::Spanned<String>,
    #[serde(default)]
    languages: IndexMap<String, RawLanguage>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    taxonomies: Vec<RawTaxonomy>,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    #[serde(default)]
    feed_full_content: bool,
    #[serde(default = "yes")]
    build_search_index: bool,
    #[serde(default)]
    map: MapConfig,
    #[serde(default)]
    deploy: IndexMap<String, crate::deploy::RawTarget>,
    #[serde(default)]
    extra: toml::Table,
}

/// `[map]`: what route maps draw besides the route.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapConfig {
    /// A border line to draw, as `[latitude, longitude]` points.
    #[serde(default)]
    pub border: Vec<[f64; 2]>,
}

fn default_feed_limit() -> usize {
    20
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    locale: Option<String>,
    title: Option<String>,
    description: Option<String>,
    numerals: Option<String>,
    date_format: Option<String>,
    untranslated: Option<Untranslated>,
}

/// What a language shows for an article that has no translation into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Untranslated {
    /// The article does not exist in that language; the switcher marks it unavailable.
    #[default]
    Hide,
    /// The default-language text is shown under the language's navigation, with a notice.
    Fallback,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    paginate_by: Option<usize>,
    #[serde(default = "yes")]
    feed: bool,
}

fn yes() -> bool {
    true
}

fn default_theme() -> String {
    "default".to_owned()
}

/// `[markdown]`: how articles are turned into HTML.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Highlight fenced code blocks with CSS classes (the theme ships the stylesheet).
    pub highlight_code: bool,
    /// Turn straight quotes and `--` into typographic ones.
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_code: true,
            smart_punctuation: false,
        }
    }
}

/// One language of the site; the default language is always first.
#[derive(Debug, Clone, Serialize)]
pub struct Language {
    pub code: String,
    /// The language's name in its own script ("Tiếng Việt", "ភាសាខ្មែរ").
    pub name: String,
    /// BCP 47 locale, e.g. `vi-VN`, `km-KH`.
    pub locale: String,
    pub title: String,
    pub description: String,
    /// URL prefix of this language: empty for the default language, else `"<code>/"`.
    pub prefix: String,
    /// Numbering system for dates and numbers, e.g. `khmr` for Khmer digits.
    pub numerals: Option<String>,
    /// The house date style: one of `DateStyle::NAMES`.
    pub date_format: String,
    pub untranslated: Untranslated,
}

#[derive(Debug, Clone, Serialize)]
pub struct Taxonomy {
    pub name: String,
    pub paginate_by: Option<usize>,
    /// Write an Atom and an RSS feed for each term.
    pub feed: bool,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Absolute URL of the site; always ends with `/`.
    pub base_url: String,
    /// Path part of `base_url`; always starts and ends with `/`.
    pub base_path: String,
    pub languages: Vec<Language>,
    pub theme: String,
    pub taxonomies: Vec<Taxonomy>,
    pub markdown: MarkdownConfig,
    /// Most entries in a feed.
    pub feed_limit: usize,
    /// Feeds carry whole articles instead of their summaries.
    pub feed_full_content: bool,
    /// Write a search index and search page per language.
    pub build_search_index: bool,
    /// Border line drawn on route maps, as (latitude, longitude).
    pub map_border: Vec<(f64, f64)>,
    /// `[deploy.<name>]` targets in file order; at most one is the default.
    pub deploy: Vec<crate::deploy::Target>,
    pub extra: toml::Table,
}

impl Config {
    /// Reads `root/config.toml`; `base_url` replaces the file's value when given.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Diagnostic::error(
                path.display().to_string(),
                "no config.toml here: this folder is not a mekong site",
            )
            .hint("run mekong in the folder that holds config.toml, or pass --root DIR")
            .into());
        }
        let source = crate::fs::read_text(&path, CONFIG_FILE)?;
        Config::parse(root, &source, base_url)
    }

    pub fn parse(root: &Path, source: &str, base_url: Option<&str>) -> Result<Config> {
        let raw: RawConfig =
            toml::from_str(source).map_err(|err| toml_diagnostic(CONFIG_FILE, source, &err, 1))?;
        let default_code = raw.default_language.get_ref().clone();
        let mut languages = Vec::new();
        if raw.languages.is_empty() {
            languages.push(Language {
                code: default_code.clone(),
                name: default_code.clone(),
                locale: default_code.clone(),
                title: raw.title.clone(),
                description: raw.description.clone(),
                prefix: String::new(),
                numerals: None,
                date_format: "long".to_owned(),
                untranslated: Untranslated::Hide,
            });
        }
        for (code, language) in &raw.languages {
            let is_default = *code == default_code;
            let language = Language {
                code: code.clone(),
                name: language.name.clone(),
                locale: language.locale.clone().unwrap_or_else(|| code.clone()),
                title: language.title.clone().unwrap_or_else(|| raw.title.clone()),
                description: language
                    .description
                    .clone()
                    .unwrap_or_else(|| raw.description.clone()),
                prefix: if is_default {
                    String::new()
                } else {
                    format!("{code}/")
                },
                numerals: language.numerals.clone(),
                date_format: language.date_format.clone().unwrap_or_else(|| "long".to_owned()),
                untranslated: language.untranslated.unwrap_or_default(),
            };
            if crate::date::DateStyle::parse(&language.date_format).is_none() {
                let offset = source.find("date_format").unwrap_or(0);
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    format!(
                        "[languages.{code}] date_format `{}` is not a date style",
                        language.date_format
                    ),
                )
                .at_offset(source, offset, 1)
                .hint(format!("use one of: {}", crate::date::DateStyle::NAMES))
                .into());
            }
            if is_default {
                languages.insert(0, language);
            } else {
                languages.push(language);
            }
        }
        if languages[0].code != default_code {
            let codes: Vec<&str> = raw.languages.keys().map(String::as_str).collect();
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("default_language is `{default_code}`, but there is no [languages.{default_code}]"),
            )
            .at_offset(source, raw.default_language.span().start, 1)
            .hint(format!(
                "add a [languages.{default_code}] table, or set default_language to one of: {}",
                codes.join(", ")
            ))
            .into());
        }
        let base_url = normalise_base_url(base_url.unwrap_or(&raw.base_url)).map_err(|message| {
            let offset = source.find("base_url").unwrap_or(0);
            Error::new(
                Diagnostic::error(CONFIG_FILE, message)
                    .at_offset(source, offset, 1)
                    .hint("write the full address, e.g. base_url = \"https://example.org/\""),
            )
        })?;
        let base_path = base_path(&base_url);
        let deploy = deploy_targets(source, &raw.deploy)?;
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            description: raw.description,
            base_url,
            base_path,
            languages,
            theme: raw.theme,
            taxonomies: raw
                .taxonomies
                .into_iter()
                .map(|t| Taxonomy {
                    name: t.name,
                    paginate_by: t.paginate_by,
                    feed: t.feed,
                })
                .collect(),
            markdown: raw.markdown,
            feed_limit: raw.feed_limit,
            feed_full_content: raw.feed_full_content,
            build_search_index: raw.build_search_index,
            map_border: raw.map.border.iter().map(|p| (p[0], p[1])).collect(),
            deploy,
            extra: raw.extra,
        })
    }

    pub fn default_language(&self) -> &Language {
        &self.languages[0]
    }

    pub fn language_index(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.code == code)
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The absolute URL of a site path such as `/en/news/` (leading `/` optional).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// A path made for this site as the browser requests it: with the `base_url` prefix.
    pub fn site_path(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }
}

/// Validates every `[deploy.<name>]`; all bad urls are reported together, at their position.
fn deploy_targets(
    source: &str,
    raw: &IndexMap<String, crate::deploy::RawTarget>,
) -> Result<Vec<crate::deploy::Target>> {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for (name, raw_target) in raw {
        match crate::deploy::Target::from_raw(name, raw_target) {
            Ok(target) => targets.push(target),
            Err((message, span)) => errors.push(
                Diagnostic::error(CONFIG_FILE, message)
                    .at_offset(source, span.start, 1)
                    .hint(crate::deploy::URL_HINT),
            ),
        }
    }
    let defaults: Vec<&crate::deploy::Target> = targets.iter().filter(|t| t.default).collect();
    if defaults.len() > 1 {
        let names: Vec<&str> = defaults.iter().map(|t| t.name.as_str()).collect();
        let offset = source.rfind("default").unwrap_or(0);
        errors.push(
            Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "{} deploy targets say `default = true`: {}",
                    names.len(),
                    names.join(", ")
                ),
            )
            .at_offset(source, offset, 1)
            .hint("mark only one target as the default"),
        );
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(Error::from_list(errors))
    }
}

fn normalise_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!("base_url `{url}` is not an absolute URL"));
    };
    if scheme.is_empty() || rest.is_empty() || rest.starts_with('/') {
        return Err(format!("base_url `{url}` has no host"));
    }
    let mut url = url.to_owned();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
}

/// Turns a TOML error into a located diagnostic; `first_line` is where `source` starts in the file.
pub(crate) fn toml_diagnostic(
    file: &str,
    source: &str,
    err: &toml::de::Error,
    first_line: usize,
) -> Diagnostic {
    let message = err.message().trim().to_owned();
    let mut diagnostic = Diagnostic::error(file, message.clone());
    if let Some(span) = err.span() {
        diagnostic = diagnostic.at_offset(source, span.start, first_line);
    }
    if let Some(hint) = unknown_field_hint(&message) {
        diagnostic = diagnostic.hint(hint);
    } else if message.contains("missing field") {
        diagnostic = diagnostic.hint("add the field; see the README for the fields each file takes");
    } else {
        diagnostic = diagnostic.hint(
            "check the TOML syntax near that position: strings need double quotes, each field is `name = value`",
        );
    }
    diagnostic
}

/// serde says "unknown field `titel`, expected one of `title`, `date`": suggest the closest.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    Some(match did_you_mean(field, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? Field names are case-sensitive"),
        None => format!(
            "`{field}` is not a field mekong knows; the fields allowed here are: {}",
            candidates.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
title = "Sở Ngoại vụ"
base_url = "https://example.org/ngoai-vu"
default_language = "vi"
[languages.en]
name = "English"
[languages.vi]
name = "Tiếng Việt"
locale = "vi-VN"
"#;

    #[test]
    fn default_language_comes_first_and_sits_at_the_root() {
        let config = Config::parse(Path::new("."), MINIMAL, None).unwrap();
        assert_eq!(config.languages[0].code, "vi");
        assert_eq!(config.languages[0].prefix, "");
        assert_eq!(config.languages[1].prefix, "en/");
        assert_eq!(config.base_url, "https://example.org/ngoai-vu/");
        assert_eq!(config.base_path, "/ngoai-vu/");
        assert_eq!(
            config.permalink("/en/news/"),
            "https://example.org/ngoai-vu/en/news/"
        );
    }

    #[test]
    fn a_bad_deploy_url_is_reported_at_its_line_and_column() {
        let source = format!("{MINIMAL}\n[deploy.web]\nurl = \"ftp://host/www\"\n");
        let err = Config::parse(Path::new("."), &source, None).unwrap_err();
        let line = source.lines().position(|l| l.starts_with("url =")).unwrap() + 1;
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "config.toml:{line}:7: error: deploy url `ftp://host/www`"
            )),
            "{text}"
        );
        let source = format!("{MINIMAL}\n[deploy.web]\nurl = \"file:///srv/www\"\nbranch = \"main\"\n");
        let text = Config::parse(Path::new("."), &source, None)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains(&format!(
                ":{}:10: error: [deploy.web] branch is only for git",
                line + 1
            )),
            "{text}"
        );
    }

    #[test]
    fn unknown_key_names_the_line_and_suggests_the_right_one() {
        let source = MINIMAL.replace("title =", "titel =");
        let err = Config::parse(Path::new("."), &source, None).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("config.toml:2:1: error: unknown field `titel`"),
            "{text}"
        );
        assert!(text.contains("did you mean `title`?"), "{text}");
    }
}
