//! `config.toml` (or Zola's `zola.toml`): the raw file as written, and the validated `Config`
//! the engine uses.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Result, did_you_mean};

pub mod deploy_target;
mod zola;
use zola::{RawLinkChecker, RawMarkdown, RawSearch, RawSlugify, glob_match};

pub const CONFIG_FILE: &str = "config.toml";
/// Zola 0.23's name for its configuration; read in preference to `config.toml`, as Zola does.
pub const ZOLA_CONFIG_FILE: &str = "zola.toml";

/// The configuration file of the site at `root`: `zola.toml` when there is one, else
/// `config.toml`.
pub fn config_file_name(root: &Path) -> &'static str {
    if root.join(ZOLA_CONFIG_FILE).is_file() {
        ZOLA_CONFIG_FILE
    } else {
        CONFIG_FILE
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    #[serde(default)]
    description: String,
    base_url: String,
    default_language: Option<toml::Spanned<String>>,
    #[serde(default)]
    languages: IndexMap<String, RawLanguage>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    taxonomies: Vec<RawTaxonomy>,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    #[serde(default)]
    feed_full_content: bool,
    build_search_index: Option<bool>,
    #[serde(default)]
    map: MapConfig,
    #[serde(default)]
    deploy: IndexMap<String, deploy_target::RawTarget>,
    #[serde(default)]
    extra: toml::Table,
    // Zola's keys that mekong acts on.
    generate_feeds: Option<bool>,
    feed_filenames: Option<Vec<String>>,
    author: Option<String>,
    #[serde(default)]
    translations: IndexMap<String, toml::Value>,
    ignored_content: Option<Vec<String>>,
    generate_sitemap: Option<bool>,
    generate_robots_txt: Option<bool>,
    slugify: Option<RawSlugify>,
    // Zola's keys that do nothing in mekong: accepted, and named in one warning.
    output_dir: Option<toml::Value>,
    preserve_dotfiles_in_output: Option<toml::Value>,
    compile_sass: Option<bool>,
    minify_html: Option<toml::Value>,
    ignored_static: Option<toml::Value>,
    exclude_paginated_pages_in_sitemap: Option<toml::Value>,
    hard_link_static: Option<toml::Value>,
    taxonomy_root: Option<toml::Value>,
    link_checker: Option<RawLinkChecker>,
    search: Option<RawSearch>,
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
    name: Option<String>,
    locale: Option<String>,
    title: Option<String>,
    description: Option<String>,
    numerals: Option<String>,
    date_format: Option<String>,
    untranslated: Option<Untranslated>,
    // Zola's per-language keys.
    generate_feeds: Option<bool>,
    feed_filenames: Option<Vec<String>>,
    taxonomies: Option<Vec<RawTaxonomy>>,
    build_search_index: Option<bool>,
    search: Option<RawSearch>,
    #[serde(default)]
    translations: IndexMap<String, toml::Value>,
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    paginate_by: Option<usize>,
    #[serde(default = "yes")]
    feed: bool,
    /// Zola: `false` writes no pages for the taxonomy.
    render: Option<bool>,
    /// Zola: accepted; mekong's term pages always use `page/N/`.
    paginate_path: Option<String>,
    /// Zola before 0.16 named the language here; accepted and ignored.
    lang: Option<String>,
}

fn yes() -> bool {
    true
}

fn default_theme() -> String {
    "default".to_owned()
}

/// `[markdown]`: how articles are turned into HTML.
#[derive(Debug, Clone, Serialize)]
pub struct MarkdownConfig {
    /// Highlight fenced code blocks with CSS classes (the theme ships the stylesheet).
    pub highlight_code: bool,
    /// Turn straight quotes and `--` into typographic ones.
    pub smart_punctuation: bool,
    /// Where headings get a link to themselves, unless a section's front matter says otherwise.
    pub insert_anchor_links: AnchorLinks,
    /// What links to other sites get (Zola's `external_links_*`).
    pub external_links: ExternalLinks,
    /// `loading="lazy" decoding="async"` on every Markdown image.
    pub lazy_async_image: bool,
    /// `Term` / `: definition` lists become `<dl>`.
    pub definition_list: bool,
    /// `> [!NOTE]` blockquotes become GitHub's alerts.
    pub github_alerts: bool,
    /// Zola's `render_emoji`: `:smile:` becomes 😄.
    pub render_emoji: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_code: true,
            smart_punctuation: false,
            insert_anchor_links: AnchorLinks::None,
            external_links: ExternalLinks::default(),
            lazy_async_image: false,
            definition_list: false,
            github_alerts: false,
            render_emoji: false,
        }
    }
}

/// Where a heading gets a link to itself (Zola's `insert_anchor_links`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorLinks {
    #[default]
    None,
    /// Before the heading's text.
    Left,
    /// After the heading's text.
    Right,
    /// The heading's text is the link.
    Heading,
}

/// Attributes of links to other hosts than the site's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExternalLinks {
    /// `target="_blank"`, with `rel="noopener"`.
    pub target_blank: bool,
    /// `rel="nofollow"`.
    pub no_follow: bool,
    /// `rel="noreferrer"`.
    pub no_referrer: bool,
    /// `rel="external"`.
    pub external: bool,
    /// A `class` for them.
    pub class: Option<String>,
}

impl ExternalLinks {
    /// Whether external links get anything at all.
    pub fn any(&self) -> bool {
        self.target_blank || self.no_follow || self.no_referrer || self.external || self.class.is_some()
    }
}

/// A language of the site: its place in `Config::languages`, whose first is the default
/// language, `LangId::DEFAULT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct LangId(usize);

impl LangId {
    /// The site's default language (`default_language`), first in `Config::languages`.
    pub const DEFAULT: LangId = LangId(0);

    /// The language at `index` in `Config::languages`.
    pub const fn at(index: usize) -> LangId {
        LangId(index)
    }

    /// Its place in `Config::languages`, and in anything else kept per language in that order.
    pub const fn index(self) -> usize {
        self.0
    }

    pub const fn is_default(self) -> bool {
        self.0 == 0
    }
}

/// Anything kept per language in `Config::languages` order is indexed by `LangId`.
impl<T> std::ops::Index<LangId> for [T] {
    type Output = T;

    fn index(&self, lang: LangId) -> &T {
        &self[lang.0]
    }
}

impl<T> std::ops::IndexMut<LangId> for [T] {
    fn index_mut(&mut self, lang: LangId) -> &mut T {
        &mut self[lang.0]
    }
}

impl<T> std::ops::Index<LangId> for Vec<T> {
    type Output = T;

    fn index(&self, lang: LangId) -> &T {
        &self[lang.0]
    }
}

impl<T> std::ops::IndexMut<LangId> for Vec<T> {
    fn index_mut(&mut self, lang: LangId) -> &mut T {
        &mut self[lang.0]
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
    /// Write this language's feeds of its newest articles (Zola's `generate_feeds`).
    pub generate_feeds: bool,
    /// Write this language's search page and index.
    pub build_search_index: bool,
    /// The taxonomies this language has, as indices into `Config::taxonomies`.
    #[serde(skip)]
    pub taxonomies: Vec<usize>,
    /// UI strings from Zola's `[translations]` tables, key → text, added to the language's
    /// Fluent messages.
    #[serde(skip)]
    pub translations: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Taxonomy {
    pub name: String,
    pub paginate_by: Option<usize>,
    /// Write an Atom and an RSS feed for each term.
    pub feed: bool,
    /// Write the taxonomy's pages (Zola's `render = false` turns them off).
    #[serde(skip)]
    pub render: bool,
}

/// Which feed formats are written (Zola's `feed_filenames`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FeedFiles {
    pub atom: bool,
    pub rss: bool,
}

/// What the migration report says about a site configured with Zola's keys.
#[derive(Debug, Clone, Default)]
pub struct Migration {
    /// The configuration uses keys only Zola has (or is `zola.toml`).
    pub from_zola: bool,
    /// Zola keys mekong acts on, each with what it became.
    pub mapped: Vec<String>,
    /// Zola keys accepted that change nothing in mekong.
    pub ignored: Vec<String>,
    /// Where a Zola site builds differently in mekong on purpose.
    pub differs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    /// The file this configuration was read from: `config.toml` or `zola.toml`.
    pub file: &'static str,
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
    pub feed_files: FeedFiles,
    /// Write a search index and search page for at least one language.
    pub build_search_index: bool,
    pub generate_sitemap: bool,
    pub generate_robots_txt: bool,
    /// Zola's `compile_sass`: the `.scss` and `.sass` files of `sass/` become `.css` files.
    pub compile_sass: bool,
    /// The author of pages that name none (Zola's `author`).
    pub author: Option<String>,
    /// Glob patterns of files under `content/` to leave out (Zola's `ignored_content`).
    pub ignored_content: Vec<String>,
    /// Keep a date at the start of a file name in the page's URL (Zola's
    /// `[slugify] paths_keep_dates`).
    pub paths_keep_dates: bool,
    /// Border line drawn on route maps, as (latitude, longitude).
    pub map_border: Vec<(f64, f64)>,
    /// `[deploy.<name>]` targets in file order; at most one is the default.
    pub deploy: Vec<deploy_target::Target>,
    pub extra: toml::Table,
    pub migration: Migration,
}

impl Config {
    /// Every language of the site, the default first.
    pub fn lang_ids(&self) -> impl Iterator<Item = LangId> + use<> {
        (0..self.languages.len()).map(LangId)
    }

    /// Reads `root/zola.toml` or `root/config.toml`; `base_url` replaces the file's value when
    /// given.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config> {
        let file = config_file_name(root);
        let path = root.join(file);
        if !path.is_file() {
            return Err(Diagnostic::error(
                path.display().to_string(),
                "no config.toml here: this folder is not a mekong site",
            )
            .hint("run mekong in the folder that holds config.toml (or Zola's zola.toml), or pass --root DIR")
            .into());
        }
        let source = crate::fs::read_text(&path, file)?;
        let mut config = Config::parse_file(root, file, &source, base_url)?;
        config.add_theme_extra()?;
        Ok(config)
    }

    /// Adds the `[extra]` of the theme's `theme.toml` (Zola's themes give their defaults
    /// there) to `extra`: the site's own values win, tables are merged key by key.
    fn add_theme_extra(&mut self) -> Result<()> {
        let shown = format!("themes/{}/{}", self.theme, crate::input::THEME_FILE);
        let path = self.root.join(&shown);
        if !path.is_file() {
            return Ok(());
        }
        let source = crate::fs::read_text(&path, &shown)?;
        let mut theme: toml::Table =
            toml::from_str(&source).map_err(|err| toml_diagnostic(&shown, &source, &err, 1))?;
        match theme.remove("extra") {
            None => Ok(()),
            Some(toml::Value::Table(extra)) => {
                merge_missing(&mut self.extra, extra);
                Ok(())
            }
            Some(_) => Err(Diagnostic::error(shown, "`extra` must be a table")
                .hint("write the theme's defaults under [extra]")
                .into()),
        }
    }

    pub fn parse(root: &Path, source: &str, base_url: Option<&str>) -> Result<Config> {
        Config::parse_file(root, CONFIG_FILE, source, base_url)
    }

    /// Parses `source`, the text of `file` (`config.toml` or `zola.toml`).
    pub fn parse_file(
        root: &Path,
        file: &'static str,
        source: &str,
        base_url: Option<&str>,
    ) -> Result<Config> {
        let raw: RawConfig = toml::from_str(source).map_err(|err| toml_diagnostic(file, source, &err, 1))?;
        let mut migration = Migration {
            ignored: raw.ignored_keys(),
            ..Migration::default()
        };
        let default_code = raw
            .default_language
            .as_ref()
            .map_or_else(|| "en".to_owned(), |code| code.get_ref().clone());
        let site_title = raw.title.clone().unwrap_or_default();
        let top_feeds = raw.generate_feeds.unwrap_or(true);
        let top_search = raw.build_search_index.unwrap_or(true);

        // Zola's rule: once any language declares its own taxonomies, each language has only
        // its own, and the top-level list is the default language's. Otherwise every language
        // shares the top-level list, as mekong always did.
        let per_language_taxonomies = raw.languages.values().any(|l| l.taxonomies.is_some());
        let mut taxonomies: Vec<Taxonomy> = Vec::new();
        let mut add_taxonomies = |list: &[RawTaxonomy]| -> Vec<usize> {
            list.iter()
                .map(|t| {
                    taxonomies
                        .iter()
                        .position(|known| known.name == t.name)
                        .unwrap_or_else(|| {
                            taxonomies.push(Taxonomy {
                                name: t.name.clone(),
                                paginate_by: t.paginate_by,
                                feed: t.feed,
                                render: t.render.unwrap_or(true),
                            });
                            taxonomies.len() - 1
                        })
                })
                .collect()
        };
        let top_taxonomies = add_taxonomies(&raw.taxonomies);
        let mut language_taxonomies: Vec<Vec<usize>> = raw
            .languages
            .values()
            .map(|l| add_taxonomies(l.taxonomies.as_deref().unwrap_or_default()))
            .collect();
        let every_taxonomy: Vec<usize> = (0..taxonomies.len()).collect();

        let mut languages = Vec::new();
        let translations_of = |own: &IndexMap<String, toml::Value>, is_default: bool| {
            let mut all: Vec<(String, String)> = Vec::new();
            let tables: Vec<&IndexMap<String, toml::Value>> = if is_default {
                vec![&raw.translations, own]
            } else {
                vec![own]
            };
            for table in tables {
                for (key, value) in table {
                    let text = match value {
                        toml::Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    all.retain(|(k, _)| k != key);
                    all.push((key.clone(), text));
                }
            }
            all
        };
        if !raw.languages.contains_key(&default_code) {
            // Zola needs no table for the default language: it takes the top-level settings.
            // A code CLDR does not know beside other tables is more likely a typo (`vn`).
            let cldr_name = crate::language_names::native_name(&default_code);
            if let (None, Some(spanned), false) =
                (&cldr_name, &raw.default_language, raw.languages.is_empty())
            {
                let codes: Vec<&str> = raw.languages.keys().map(String::as_str).collect();
                return Err(Diagnostic::error(
                    file,
                    format!("default_language is `{default_code}`, which is not a language code, and there is no [languages.{default_code}]"),
                )
                .at_offset(source, spanned.span().start, 1)
                .hint(format!(
                    "set default_language to one of: {}, or add a [languages.{default_code}] table",
                    codes.join(", ")
                ))
                .into());
            }
            languages.push(Language {
                code: default_code.clone(),
                name: cldr_name.unwrap_or_else(|| default_code.clone()),
                locale: default_code.clone(),
                title: site_title.clone(),
                description: raw.description.clone(),
                prefix: String::new(),
                numerals: None,
                date_format: "long".to_owned(),
                untranslated: Untranslated::Hide,
                generate_feeds: top_feeds,
                build_search_index: top_search,
                taxonomies: if per_language_taxonomies {
                    top_taxonomies.clone()
                } else {
                    every_taxonomy.clone()
                },
                translations: translations_of(&IndexMap::new(), true),
            });
        }
        for (index, (code, language)) in raw.languages.iter().enumerate() {
            let is_default = *code == default_code;
            let mut own_taxonomies = std::mem::take(&mut language_taxonomies[index]);
            if is_default {
                own_taxonomies.extend(top_taxonomies.iter().copied());
                own_taxonomies.sort_unstable();
                own_taxonomies.dedup();
            }
            let language = Language {
                code: code.clone(),
                name: language.name.clone().unwrap_or_else(|| {
                    crate::language_names::native_name(code).unwrap_or_else(|| code.clone())
                }),
                locale: language.locale.clone().unwrap_or_else(|| code.clone()),
                title: language.title.clone().unwrap_or_else(|| site_title.clone()),
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
                generate_feeds: language.generate_feeds.unwrap_or(top_feeds),
                build_search_index: language.build_search_index.unwrap_or(top_search),
                taxonomies: if per_language_taxonomies {
                    own_taxonomies
                } else {
                    every_taxonomy.clone()
                },
                translations: translations_of(&language.translations, is_default),
            };
            if crate::date::DateStyle::parse(&language.date_format).is_none() {
                let offset = source.find("date_format").unwrap_or(0);
                return Err(Diagnostic::error(
                    file,
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
        let base_url = normalise_base_url(base_url.unwrap_or(&raw.base_url)).map_err(|message| {
            let offset = source.find("base_url").unwrap_or(0);
            Error::new(
                Diagnostic::error(file, message)
                    .at_offset(source, offset, 1)
                    .hint("write the full address, e.g. base_url = \"https://example.org/\""),
            )
        })?;
        let feed_files = match &raw.feed_filenames {
            None => FeedFiles {
                atom: true,
                rss: true,
            },
            Some(names) => {
                for name in names
                    .iter()
                    .filter(|n| !matches!(n.as_str(), "atom.xml" | "rss.xml"))
                {
                    migration.ignored.push(format!("feed_filenames `{name}`"));
                }
                FeedFiles {
                    atom: names.iter().any(|n| n == "atom.xml"),
                    rss: names.iter().any(|n| n == "rss.xml"),
                }
            }
        };
        let slugify = raw.slugify.as_ref();
        for (key, value) in [
            ("paths", slugify.and_then(|s| s.paths.as_deref())),
            ("taxonomies", slugify.and_then(|s| s.taxonomies.as_deref())),
            ("anchors", slugify.and_then(|s| s.anchors.as_deref())),
        ] {
            if let Some(strategy) = value.filter(|s| *s != "on") {
                migration.differs.push(format!(
                    "[slugify] {key} = \"{strategy}\": mekong always makes ASCII slugs (Vietnamese đ → d), as Zola's \"on\""
                ));
            }
        }
        for ignored in raw
            .taxonomies
            .iter()
            .chain(raw.languages.values().flat_map(|l| l.taxonomies.iter().flatten()))
        {
            if ignored.paginate_path.is_some() {
                migration
                    .ignored
                    .push(format!("taxonomies `{}` paginate_path", ignored.name));
            }
            if ignored.lang.is_some() {
                migration
                    .ignored
                    .push(format!("taxonomies `{}` lang", ignored.name));
            }
        }
        let md = &raw.markdown;
        let mut markdown = MarkdownConfig {
            highlight_code: md.highlight_code.unwrap_or(true),
            smart_punctuation: md.smart_punctuation.unwrap_or(false),
            insert_anchor_links: md.insert_anchor_links.unwrap_or_default(),
            external_links: ExternalLinks {
                target_blank: md.external_links_target_blank.unwrap_or(false),
                no_follow: md.external_links_no_follow.unwrap_or(false),
                no_referrer: md.external_links_no_referrer.unwrap_or(false),
                external: md.external_links_external.unwrap_or(false),
                class: md.external_links_class.clone().filter(|c| !c.is_empty()),
            },
            lazy_async_image: md.lazy_async_image.unwrap_or(false),
            definition_list: md.definition_list.unwrap_or(false),
            github_alerts: md.github_alerts.unwrap_or(false),
            render_emoji: md.render_emoji.unwrap_or(false),
        };

        zola::report(&raw, &languages, &default_code, file, &mut migration);
        // Zola highlights code only when told to: `highlight_code = true` before 0.22, a
        // `[markdown.highlighting]` table since.
        if migration.from_zola && md.highlight_code.is_none() {
            markdown.highlight_code = md.highlighting.is_some();
        }

        let base_path = base_path(&base_url);
        let deploy = deploy_targets(source, &raw.deploy)?;
        Ok(Config {
            root: root.to_path_buf(),
            file,
            title: site_title,
            description: raw.description,
            base_url,
            base_path,
            build_search_index: languages.iter().any(|l| l.build_search_index),
            languages,
            theme: raw.theme,
            taxonomies,
            markdown,
            feed_limit: raw.feed_limit,
            feed_full_content: raw.feed_full_content,
            feed_files,
            generate_sitemap: raw.generate_sitemap.unwrap_or(true),
            generate_robots_txt: raw.generate_robots_txt.unwrap_or(true),
            compile_sass: raw.compile_sass.unwrap_or(false),
            author: raw.author,
            ignored_content: raw.ignored_content.unwrap_or_default(),
            paths_keep_dates: slugify.and_then(|s| s.paths_keep_dates).unwrap_or(false),
            map_border: raw.map.border.iter().map(|p| (p[0], p[1])).collect(),
            deploy,
            extra: raw.extra,
            migration,
        })
    }

    /// The one warning a build prints about Zola keys that do nothing here.
    pub fn ignored_keys_warning(&self) -> Option<Diagnostic> {
        let ignored = &self.migration.ignored;
        if ignored.is_empty() {
            return None;
        }
        let keys: Vec<String> = ignored.iter().map(|k| format!("`{k}`")).collect();
        Some(
            Diagnostic::warning(
                self.file,
                format!(
                    "Coming from Zola: ignored (these keys do nothing in mekong): {}",
                    keys.join(", ")
                ),
            )
            .hint("the site builds without them; remove them to silence this warning"),
        )
    }

    /// Whether `rel` (a `/`-separated path below `content/`) matches `ignored_content`.
    pub fn is_ignored_content(&self, rel: &str) -> bool {
        self.ignored_content
            .iter()
            .any(|pattern| glob_match(pattern, rel))
    }

    pub fn default_language(&self) -> &Language {
        &self.languages[LangId::DEFAULT]
    }

    /// The language whose code is `code`.
    pub fn language_index(&self, code: &str) -> Option<LangId> {
        self.languages.iter().position(|l| l.code == code).map(LangId)
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
    raw: &IndexMap<String, deploy_target::RawTarget>,
) -> Result<Vec<deploy_target::Target>> {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for (name, raw_target) in raw {
        match deploy_target::Target::from_raw(name, raw_target) {
            Ok(target) => targets.push(target),
            Err((message, span)) => errors.push(
                Diagnostic::error(CONFIG_FILE, message)
                    .at_offset(source, span.start, 1)
                    .hint(deploy_target::URL_HINT),
            ),
        }
    }
    let defaults: Vec<&deploy_target::Target> = targets.iter().filter(|t| t.default).collect();
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
/// Puts into `into` every key of `from` it lacks, merging tables that both have.
fn merge_missing(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (None, value) => {
                into.insert(key, value);
            }
            (Some(toml::Value::Table(mine)), toml::Value::Table(theirs)) => merge_missing(mine, theirs),
            (Some(_), _) => {}
        }
    }
}

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

    const ZOLA: &str = r#"
base_url = "https://example.org"
minify_html = true
taxonomies = [{ name = "tags" }]
[translations]
hello = "Hello"
[languages.fr]
taxonomies = [{ name = "auteurs" }]
"#;

    #[test]
    fn a_zola_config_needs_no_default_language_nor_its_table() {
        let config = Config::parse_file(Path::new("."), ZOLA_CONFIG_FILE, ZOLA, None).unwrap();
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "fr"]);
        assert_eq!(config.languages[0].name, "English");
        assert_eq!(config.languages[1].name, "français");
        assert_eq!(config.languages[1].prefix, "fr/");
        assert_eq!(config.title, "");
        assert_eq!(
            config.languages[0].translations,
            [("hello".to_owned(), "Hello".to_owned())]
        );
        assert!(config.languages[1].translations.is_empty());
    }

    #[test]
    fn per_language_taxonomies_follow_zolas_rule() {
        let config = Config::parse_file(Path::new("."), ZOLA_CONFIG_FILE, ZOLA, None).unwrap();
        let names = |lang: LangId| -> Vec<&str> {
            config.languages[lang]
                .taxonomies
                .iter()
                .map(|&t| config.taxonomies[t].name.as_str())
                .collect()
        };
        assert_eq!(names(LangId::at(0)), ["tags"]);
        assert_eq!(names(LangId::at(1)), ["auteurs"]);
        // Without per-language lists every language shares the top-level ones, as before.
        let config = Config::parse(
            Path::new("."),
            &format!("{MINIMAL}\n[[taxonomies]]\nname = \"tags\"\n"),
            None,
        )
        .unwrap();
        assert!(config.languages.iter().all(|l| l.taxonomies == [0]));
    }

    #[test]
    fn a_default_language_that_is_no_language_code_is_a_typo() {
        let source = MINIMAL.replace("default_language = \"vi\"", "default_language = \"vn\"");
        let text = Config::parse(Path::new("."), &source, None)
            .unwrap_err()
            .to_string();
        assert!(
            text.starts_with("config.toml:4:20: error: default_language is `vn`"),
            "{text}"
        );
        assert!(text.contains("set default_language to one of: en, vi"), "{text}");
    }

    #[test]
    fn zola_keys_that_do_nothing_are_listed_once() {
        let config = Config::parse_file(Path::new("."), ZOLA_CONFIG_FILE, ZOLA, None).unwrap();
        assert_eq!(config.migration.ignored, ["minify_html"]);
        let warning = config.ignored_keys_warning().unwrap();
        assert_eq!(warning.file, "zola.toml");
        assert!(warning.message.contains("`minify_html`"), "{}", warning.message);
        assert!(
            Config::parse(Path::new("."), MINIMAL, None)
                .unwrap()
                .ignored_keys_warning()
                .is_none()
        );
        assert!(
            !Config::parse(Path::new("."), MINIMAL, None)
                .unwrap()
                .migration
                .from_zola
        );
    }

    #[test]
    fn a_typo_in_a_zola_table_is_an_error_with_a_suggestion() {
        let source = format!("{ZOLA}[link_checker]\ninternal_levle = \"warn\"\n");
        let text = Config::parse_file(Path::new("."), ZOLA_CONFIG_FILE, &source, None)
            .unwrap_err()
            .to_string();
        assert!(
            text.starts_with("zola.toml:10:1: error: unknown field `internal_levle`"),
            "{text}"
        );
        assert!(text.contains("did you mean `internal_level`?"), "{text}");
    }
}
