//! Zola's configuration keys: the tables mekong accepts from a Zola site, which of them it
//! ignores, and the migration report of what it made of them.

use serde::Deserialize;

use super::{Language, Migration, RawConfig, ZOLA_CONFIG_FILE};

/// `[slugify]` of Zola: how paths, terms and anchors become URLs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSlugify {
    pub(super) paths: Option<String>,
    pub(super) taxonomies: Option<String>,
    pub(super) anchors: Option<String>,
    pub(super) paths_keep_dates: Option<bool>,
}

/// `[link_checker]` of Zola; mekong checks internal links always and external ones never.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLinkChecker {
    pub(super) skip_prefixes: Option<toml::Value>,
    pub(super) skip_anchor_prefixes: Option<toml::Value>,
    pub(super) internal_level: Option<toml::Value>,
    pub(super) external_level: Option<toml::Value>,
}

/// `[search]` of Zola (elasticlunr/fuse settings); mekong builds its own index.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSearch {
    pub(super) include_title: Option<toml::Value>,
    pub(super) include_description: Option<toml::Value>,
    pub(super) include_date: Option<toml::Value>,
    pub(super) include_path: Option<toml::Value>,
    pub(super) include_content: Option<toml::Value>,
    pub(super) truncate_content_length: Option<toml::Value>,
    pub(super) index_format: Option<toml::Value>,
}

/// `[markdown]` as written: mekong's keys and Zola's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarkdown {
    pub(super) highlight_code: Option<bool>,
    pub(super) smart_punctuation: Option<bool>,
    pub(super) highlighting: Option<RawHighlighting>,
    // Zola's keys that mekong acts on.
    pub(super) insert_anchor_links: Option<super::AnchorLinks>,
    pub(super) external_links_class: Option<String>,
    pub(super) external_links_target_blank: Option<bool>,
    pub(super) external_links_no_follow: Option<bool>,
    pub(super) external_links_no_referrer: Option<bool>,
    pub(super) external_links_external: Option<bool>,
    pub(super) definition_list: Option<bool>,
    pub(super) lazy_async_image: Option<bool>,
    pub(super) github_alerts: Option<bool>,
    /// `:smile:` → 😄, GitHub's names.
    pub(super) render_emoji: Option<bool>,
    /// mekong always puts footnotes at the bottom: `true` is what it does, `false` differs.
    pub(super) bottom_footnotes: Option<bool>,
    // Zola's keys that do nothing in mekong.
    pub(super) highlight_theme: Option<toml::Value>,
    pub(super) highlight_themes_css: Option<toml::Value>,
    pub(super) extra_syntaxes_and_themes: Option<toml::Value>,
}

/// `[markdown.highlighting]` of Zola 0.22+: its presence turns highlighting on.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHighlighting {
    pub(super) error_on_missing_language: Option<toml::Value>,
    pub(super) style: Option<toml::Value>,
    pub(super) theme: Option<toml::Value>,
    pub(super) light_theme: Option<toml::Value>,
    pub(super) dark_theme: Option<toml::Value>,
    pub(super) extra_grammars: Option<toml::Value>,
    pub(super) extra_themes: Option<toml::Value>,
    pub(super) data_attr_position: Option<toml::Value>,
}

/// The names of the keys in `pairs` that are set, prefixed with `table`.
pub(super) fn set_keys(table: &str, pairs: &[(&str, bool)]) -> Vec<String> {
    pairs
        .iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| format!("{table}{name}"))
        .collect()
}

impl RawConfig {
    /// Zola keys accepted here that change nothing in mekong.
    pub(super) fn ignored_keys(&self) -> Vec<String> {
        let mut keys = set_keys(
            "",
            &[
                ("output_dir", self.output_dir.is_some()),
                (
                    "preserve_dotfiles_in_output",
                    self.preserve_dotfiles_in_output.is_some(),
                ),
                ("minify_html", self.minify_html.is_some()),
                ("ignored_static", self.ignored_static.is_some()),
                (
                    "exclude_paginated_pages_in_sitemap",
                    self.exclude_paginated_pages_in_sitemap.is_some(),
                ),
                ("hard_link_static", self.hard_link_static.is_some()),
                ("taxonomy_root", self.taxonomy_root.is_some()),
            ],
        );
        if let Some(checker) = &self.link_checker {
            keys.extend(set_keys(
                "link_checker.",
                &[
                    ("skip_prefixes", checker.skip_prefixes.is_some()),
                    ("skip_anchor_prefixes", checker.skip_anchor_prefixes.is_some()),
                    ("internal_level", checker.internal_level.is_some()),
                    ("external_level", checker.external_level.is_some()),
                ],
            ));
        }
        if let Some(search) = &self.search {
            keys.extend(search.set_keys("search."));
        }
        for (code, language) in &self.languages {
            if let Some(search) = &language.search {
                keys.extend(search.set_keys(&format!("languages.{code}.search.")));
            }
            if language.feed_filenames.is_some() {
                keys.push(format!("languages.{code}.feed_filenames"));
            }
        }
        let md = &self.markdown;
        keys.extend(set_keys(
            "markdown.",
            &[
                ("highlight_theme", md.highlight_theme.is_some()),
                ("highlight_themes_css", md.highlight_themes_css.is_some()),
                (
                    "extra_syntaxes_and_themes",
                    md.extra_syntaxes_and_themes.is_some(),
                ),
            ],
        ));
        if let Some(h) = &md.highlighting {
            keys.extend(set_keys(
                "markdown.highlighting.",
                &[
                    ("error_on_missing_language", h.error_on_missing_language.is_some()),
                    ("style", h.style.is_some()),
                    ("theme", h.theme.is_some()),
                    ("light_theme", h.light_theme.is_some()),
                    ("dark_theme", h.dark_theme.is_some()),
                    ("extra_grammars", h.extra_grammars.is_some()),
                    ("extra_themes", h.extra_themes.is_some()),
                    ("data_attr_position", h.data_attr_position.is_some()),
                ],
            ));
        }
        keys
    }
}

impl RawSearch {
    fn set_keys(&self, table: &str) -> Vec<String> {
        set_keys(
            table,
            &[
                ("include_title", self.include_title.is_some()),
                ("include_description", self.include_description.is_some()),
                ("include_date", self.include_date.is_some()),
                ("include_path", self.include_path.is_some()),
                ("include_content", self.include_content.is_some()),
                ("truncate_content_length", self.truncate_content_length.is_some()),
                ("index_format", self.index_format.is_some()),
            ],
        )
    }
}

/// Fills `migration` with what mekong made of the Zola keys in `raw`.
pub(super) fn report(
    raw: &RawConfig,
    languages: &[Language],
    default_code: &str,
    file: &str,
    migration: &mut Migration,
) {
    // The migration report: what of Zola's was used, and what it became.
    let mapped = &mut migration.mapped;
    if raw.default_language.is_none() {
        mapped.push(format!("default_language not set: `{default_code}`, as in Zola"));
    }
    if raw.title.is_none() {
        mapped.push("title not set: the site has no title".to_owned());
    }
    if let Some(on) = raw.generate_feeds {
        mapped.push(format!(
            "generate_feeds = {on}: the default language's Atom/RSS feeds"
        ));
    }
    if let Some(names) = &raw.feed_filenames {
        mapped.push(format!(
            "feed_filenames = {names:?}: which of atom.xml and rss.xml are written"
        ));
    }
    if raw.author.is_some() {
        mapped.push("author: the author of pages whose front matter names none".to_owned());
    }
    if !raw.translations.is_empty() {
        mapped.push("[translations]: UI strings of the default language, for t(key=…)".to_owned());
    }
    if raw.ignored_content.is_some() {
        mapped.push("ignored_content: files under content/ left out".to_owned());
    }
    if raw.generate_sitemap.is_some() {
        mapped.push("generate_sitemap".to_owned());
    }
    if raw.compile_sass == Some(true) {
        mapped.push("compile_sass: the sass/ folder is compiled to CSS".to_owned());
    }
    if raw.generate_robots_txt.is_some() {
        mapped.push("generate_robots_txt".to_owned());
    }
    if raw.slugify.as_ref().is_some_and(|s| s.paths_keep_dates.is_some()) {
        mapped.push("[slugify] paths_keep_dates: dates in file names kept in URLs".to_owned());
    }
    if raw.markdown.highlighting.is_some() {
        mapped.push("[markdown.highlighting]: code highlighted with CSS classes".to_owned());
    }
    let md = &raw.markdown;
    let markdown_keys = set_keys(
        "",
        &[
            ("insert_anchor_links", md.insert_anchor_links.is_some()),
            (
                "external_links_target_blank",
                md.external_links_target_blank.is_some(),
            ),
            ("external_links_no_follow", md.external_links_no_follow.is_some()),
            (
                "external_links_no_referrer",
                md.external_links_no_referrer.is_some(),
            ),
            ("external_links_external", md.external_links_external.is_some()),
            ("external_links_class", md.external_links_class.is_some()),
            ("lazy_async_image", md.lazy_async_image.is_some()),
            ("definition_list", md.definition_list.is_some()),
            ("github_alerts", md.github_alerts.is_some()),
            ("render_emoji", md.render_emoji.is_some()),
            ("bottom_footnotes", md.bottom_footnotes == Some(true)),
        ],
    );
    if !markdown_keys.is_empty() {
        mapped.push(format!("[markdown] {}", markdown_keys.join(", ")));
    }
    if raw.taxonomies.iter().any(|t| t.render.is_some()) {
        mapped.push("taxonomies render".to_owned());
    }
    for (code, language) in &raw.languages {
        let zola_keys = set_keys(
            "",
            &[
                ("generate_feeds", language.generate_feeds.is_some()),
                ("build_search_index", language.build_search_index.is_some()),
                ("taxonomies", language.taxonomies.is_some()),
                ("translations", !language.translations.is_empty()),
            ],
        );
        if !zola_keys.is_empty() {
            mapped.push(format!("[languages.{code}] {}", zola_keys.join(", ")));
        }
        if language.name.is_none() {
            let name = languages
                .iter()
                .find(|l| &l.code == code)
                .map_or("", |l| l.name.as_str());
            mapped.push(format!(
                "[languages.{code}] without name: named `{name}` from CLDR"
            ));
        }
    }
    if !raw.languages.is_empty() && !raw.languages.contains_key(default_code) {
        mapped.push(format!(
            "no [languages.{default_code}] table: the default language takes the top-level settings"
        ));
    }
    migration.from_zola =
        file == ZOLA_CONFIG_FILE || !migration.mapped.is_empty() || !migration.ignored.is_empty();
    if migration.from_zola {
        let differs = &mut migration.differs;
        if raw.build_search_index.is_none() {
            differs.push("build_search_index is on unless set to false (Zola: off)".to_owned());
        }
        if raw.generate_feeds.is_none() {
            differs.push("feeds are written unless generate_feeds = false (Zola: none)".to_owned());
        }
        if raw.taxonomies.iter().any(|t| t.feed) {
            differs.push("each taxonomy term has a feed unless its `feed = false` (Zola: none)".to_owned());
        }
        differs.push(
            "sections without sort_by list their pages newest first (Zola: sort_by = \"none\")".to_owned(),
        );
        differs.push(
            "pages dated in the future are held back until their date (scheduled publishing; --future shows them)"
                .to_owned(),
        );
        differs.push(format!(
            "feeds hold at most feed_limit = {} entries (Zola: all)",
            raw.feed_limit
        ));
        if raw.markdown.bottom_footnotes == Some(false) {
            differs.push(
                "bottom_footnotes = false: footnotes are listed at the bottom of the page all the same"
                    .to_owned(),
            );
        }
        differs.push(
            "shortcode calls inside code are shown as written (Zola expands them there too)".to_owned(),
        );
    }
}

/// Zola's (globset's) glob: `*` and `**` match any characters, `/` included; `?` one
/// character; `{a,b}` either alternative; anything else itself.
pub(super) fn glob_match(pattern: &str, text: &str) -> bool {
    if let Some(open) = pattern.find('{')
        && let Some(close) = pattern[open..].find('}').map(|i| open + i)
    {
        let (head, alternatives, tail) = (&pattern[..open], &pattern[open + 1..close], &pattern[close + 1..]);
        return alternatives
            .split(',')
            .any(|alt| glob_match(&format!("{head}{alt}{tail}"), text));
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Classic wildcard matching with one backtrack point for the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                while pattern.get(p) == Some(&'*') {
                    p += 1;
                }
                star = Some((p, t));
            }
            Some('?') => {
                p += 1;
                t += 1;
            }
            Some(c) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_zola_s_do() {
        assert!(glob_match("*.{graphml,xlsx}", "blog/data.xlsx"));
        assert!(glob_match("*.{graphml,xlsx}", "a.graphml"));
        assert!(!glob_match("*.{graphml,xlsx}", "a.md"));
        assert!(glob_match("temp.*", "temp.txt"));
        assert!(glob_match("**/build_folder", "x/y/build_folder"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
    }
}
