//! Tera templates: loading the site's and the theme's, the functions and filters templates
//! call, and rendering one output file per job.

pub mod deps;
mod hash_serializer;
pub(crate) mod views;
pub mod zola;
mod zola_filters;
mod zola_functions;
mod zola_tera1;

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Context, Kwargs, State, Tera, Value};

use crate::config::Config;
use crate::config::LangId;
use crate::content::{Content, Target};
use crate::date::Date;
use crate::date::DateStyle;
use crate::error::{Diagnostic, Error, Result};
use crate::i18n::{FluentArg, I18n, fluent_args};
use crate::markdown::{Invocation, ShortcodeRenderer};
use zola::Dialect;
use zola_functions::ZolaFunctions;
use zola_tera1::Tera1;

/// Name prefix of theme templates; a site template of the same name wins.
const THEME_PREFIX: &str = "__theme/";

/// Everything the content-aware template functions read, built once the Markdown is rendered.
pub struct SiteData {
    pub config: Arc<Config>,
    pub content: Arc<Content>,
    /// One value per page, indexed by `PageId`, with the rendered content.
    pub page_values: Vec<Value>,
    /// One value per page as lists show it (without its text), indexed by `PageId`.
    pub list_values: Vec<Value>,
    /// One value per section, indexed by `SectionId`, with its pages as lists show them.
    pub section_values: Vec<Value>,
    /// Which template API the values are shaped for.
    pub dialect: zola::Dialect,
    /// For Zola's templates: one entry per `Content::taxonomies`; empty for mekong's.
    pub taxonomies: Vec<TaxonomyValues>,
    /// `config` as templates see it, one per language (Zola's title and description differ).
    pub config_values: Vec<Value>,
}

/// A taxonomy in one language as Zola's templates see it.
pub struct TaxonomyValues {
    /// What `get_taxonomy` returns: `kind`, `lang`, `permalink`, `items`.
    pub whole: Value,
    /// Zola's `TaxonomyConfig`, the `taxonomy` of list and term pages.
    pub kind: Value,
    /// Each term with its pages, in `TaxonomyTerms::terms` order.
    pub terms: Vec<Value>,
}

/// Zola's template for the link a heading gets with `insert_anchor_links`.
const ANCHOR_LINK: &str = "anchor-link.html";

pub struct Renderer {
    tera: Tera,
    /// Registered template name → the file as users know it.
    shown_names: HashMap<String, String>,
    shortcode_names: Vec<String>,
    /// Zola's Markdown shortcodes (`shortcodes/<name>.md` without an HTML one), sorted.
    markdown_shortcodes: Vec<String>,
    /// The template of a Zola site's own anchor links, when it has one.
    anchor_link_template: Option<String>,
    language_codes: Arc<Vec<String>>,
    /// Problems met while finding the templates (links not followed).
    pub warnings: Vec<Diagnostic>,
    /// By template name: a hash of its text and of every template it extends or includes.
    template_versions: HashMap<String, u64>,
    /// UI strings and number formats, for the text Markdown rendering adds (footnotes).
    i18n: Arc<I18n>,
    dialect: Dialect,
    /// What Zola's functions read, for a Zola site's templates.
    zola_functions: Arc<ZolaFunctions>,
    /// The engine of a Zola 0.22 site's Tera 1 templates (then `tera` renders nothing).
    tera1: Option<Tera1>,
    /// Zola's `config` for a Zola site's shortcodes, one per language; empty for mekong's.
    shortcode_configs: Vec<Value>,
}

struct TemplateSource {
    name: String,
    shown_as: String,
    text: String,
}

impl Renderer {
    /// Loads the theme's and the site's templates and registers every function they may call.
    pub fn load(
        config: &Arc<Config>,
        i18n: &Arc<I18n>,
        asset_hashes: Arc<HashMap<String, String>>,
    ) -> Result<Renderer> {
        let (sources, warnings, dialect) = template_sources(config)?;
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.set_fallback_prefixes([THEME_PREFIX])
            .map_err(|err| Error::new(Diagnostic::error("templates", err.to_string())))?;
        let language_codes = Arc::new(
            config
                .languages
                .iter()
                .map(|l| l.code.clone())
                .collect::<Vec<_>>(),
        );
        register_language_functions(&mut tera, i18n.clone(), language_codes.clone());
        register_static_functions(&mut tera, config.clone(), asset_hashes.clone());
        register_site_functions(&mut tera, None, language_codes.clone());
        let zola_functions = Arc::new(ZolaFunctions {
            config: config.clone(),
            asset_hashes,
            data: None,
            links: None,
            processed: Default::default(),
        });
        if dialect.is_zola() {
            register_zola_functions(&mut tera, &zola_functions);
        }
        let shown_names: HashMap<String, String> = sources
            .iter()
            .map(|s| (s.name.clone(), s.shown_as.clone()))
            .collect();
        // Shortcodes by name: `shortcodes/<name>.html`, or Zola's `shortcodes/<name>.md`, whose
        // output is Markdown (the HTML one wins when there are both).
        let shortcode_file = |extension: &str| -> Vec<String> {
            let mut names: Vec<String> = sources
                .iter()
                .filter_map(|s| {
                    let name = s.name.strip_prefix(THEME_PREFIX).unwrap_or(&s.name);
                    name.strip_prefix("shortcodes/")?
                        .strip_suffix(extension)
                        .map(str::to_owned)
                })
                .collect();
            names.sort();
            names.dedup();
            names
        };
        let html_shortcodes = shortcode_file(".html");
        let markdown_shortcodes: Vec<String> = shortcode_file(".md")
            .into_iter()
            .filter(|name| html_shortcodes.binary_search(name).is_err())
            .collect();
        let mut shortcode_names: Vec<String> = html_shortcodes
            .into_iter()
            .chain(markdown_shortcodes.iter().cloned())
            .collect();
        shortcode_names.sort();
        // A Zola site's own `anchor-link.html` (or its theme's) replaces the default anchor link.
        let anchor_link_template = [ANCHOR_LINK, &format!("{THEME_PREFIX}{ANCHOR_LINK}")]
            .into_iter()
            .find(|name| config.migration.from_zola && sources.iter().any(|s| s.name == *name))
            .map(str::to_owned);
        let loaded = tera.add_raw_templates(sources.iter().map(|s| (s.name.as_str(), s.text.as_str())));
        let (dialect, tera1) = match dialect {
            Dialect::Mekong => {
                loaded.map_err(|err| template_error(&shown_names, &err, "loading the templates"))?;
                (dialect, None)
            }
            _ => choose_zola_engine(&sources, &shown_names, loaded, &zola_functions)?,
        };
        let template_versions = template_versions(&sources);
        Ok(Renderer {
            tera,
            shown_names,
            shortcode_names,
            markdown_shortcodes,
            anchor_link_template,
            language_codes,
            warnings,
            template_versions,
            i18n: i18n.clone(),
            dialect,
            zola_functions,
            tera1,
            shortcode_configs: if config.migration.from_zola {
                config
                    .lang_ids()
                    .map(|lang| zola::config_value(config, lang))
                    .collect()
            } else {
                Vec::new()
            },
        })
    }

    /// The images Zola's `resize_image` made so far: output path, cached file.
    pub fn processed_images(&self) -> Vec<(String, std::path::PathBuf)> {
        self.zola_functions
            .processed
            .lock()
            .map(|made| made.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// The template API the site's templates are written for.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Gives `get_page`, `get_section` and `url(path="@/…")` the rendered site.
    pub fn attach(&mut self, data: Arc<SiteData>) {
        register_site_functions(&mut self.tera, Some(data.clone()), self.language_codes.clone());
        self.set_zola_functions(ZolaFunctions {
            data: Some(data),
            links: None,
            ..(*self.zola_functions).clone()
        });
    }

    /// Gives a Zola site's `get_url(path="@/…")` the content files' paths, for the shortcodes
    /// called while the Markdown is rendered (before `attach`).
    pub fn attach_links(&mut self, links: Arc<crate::content::Links>) {
        self.set_zola_functions(ZolaFunctions {
            links: Some(links),
            ..(*self.zola_functions).clone()
        });
    }

    fn set_zola_functions(&mut self, functions: ZolaFunctions) {
        if self.dialect.is_zola() {
            self.zola_functions = Arc::new(functions);
            register_zola_functions(&mut self.tera, &self.zola_functions);
            if let Some(tera1) = &mut self.tera1 {
                tera1.attach(&self.zola_functions);
            }
        }
    }

    /// A hash of template `name` and of every template it can load: it changes when an edit
    /// could change what the template renders.
    pub fn template_version(&self, name: &str) -> u64 {
        let resolved = if self.template_versions.contains_key(name) {
            name.to_owned()
        } else {
            format!("{THEME_PREFIX}{name}")
        };
        self.template_versions.get(&resolved).copied().unwrap_or(0)
    }

    pub fn has_template(&self, name: &str) -> bool {
        match &self.tera1 {
            Some(tera1) => tera1.has_template(name),
            None => self.tera.contains_template(name),
        }
    }

    /// Renders `template` with `context`, whose variables are `keys` and `config`.
    pub fn render(&self, template: &str, context: &Context, keys: &[&str], what: &str) -> Result<String> {
        match &self.tera1 {
            Some(tera1) => {
                let values: Vec<(&str, &Value)> = std::iter::once("config")
                    .chain(keys.iter().copied())
                    .filter_map(|key| Some((key, context.get(key)?)))
                    .collect();
                tera1
                    .render(template, &values)
                    .map_err(|err| tera1.error(|name| self.shown_tera1(name), &err, what))
            }
            None => self
                .tera
                .render(template, context)
                .map_err(|err| template_error(&self.shown_names, &err, what)),
        }
    }

    /// What a call from Markdown sees besides its arguments: `lang` and `nth`, and for a Zola
    /// site the `page` (or `section`) and `config`.
    fn call_context<'a>(&self, call: &Invocation<'a>) -> Vec<(&'a str, Value)> {
        let mut values = vec![
            ("lang", Value::from(self.language_codes[call.lang].as_str())),
            ("nth", Value::from(call.nth)),
        ];
        if let Some((name, value)) = call.owner {
            values.push((name, value.clone()));
            if let Some(config) = self.shortcode_configs.get(call.lang.index()) {
                values.push(("config", config.clone()));
            }
        }
        values
    }

    /// Renders `template` with nothing but `values`, with the engine the site's templates use.
    fn render_with(
        &self,
        template: &str,
        values: Vec<(&str, Value)>,
        what: &str,
    ) -> std::result::Result<String, String> {
        if let Some(tera1) = &self.tera1 {
            let values: Vec<(&str, &Value)> = values.iter().map(|(k, v)| (*k, v)).collect();
            return tera1
                .render(template, &values)
                .map_err(|err| tera1.error(|name| self.shown_tera1(name), &err, what).to_string());
        }
        let mut context = Context::new();
        for (key, value) in values {
            context.insert_value(key.to_owned(), value);
        }
        self.tera
            .render(template, &context)
            .map_err(|err| template_error(&self.shown_names, &err, what).to_string())
    }

    /// How users know Tera 1 template `name`: the site's file, else its theme's.
    fn shown_tera1(&self, name: &str) -> String {
        self.shown_names
            .get(name)
            .or_else(|| self.shown_names.get(&format!("{THEME_PREFIX}{name}")))
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    }
}

impl ShortcodeRenderer for Renderer {
    fn is_shortcode(&self, name: &str) -> bool {
        self.shortcode_names.iter().any(|n| n == name)
    }

    fn is_markdown_shortcode(&self, name: &str) -> bool {
        self.markdown_shortcodes
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    fn render_shortcode(&self, call: &Invocation<'_>) -> std::result::Result<String, String> {
        let extension = match self.is_markdown_shortcode(call.name) {
            true => "md",
            false => "html",
        };
        let template = format!("shortcodes/{}.{extension}", call.name);
        let mut values: Vec<(&str, Value)> = call
            .args
            .iter()
            .map(|(key, value)| (key.as_str(), Value::from_serializable(value)))
            .collect();
        if let Some(body) = call.body {
            values.push(("body", Value::from(body)));
        }
        values.extend(self.call_context(call));
        self.render_with(&template, values, "a shortcode")
    }

    fn anchor_link(&self, id: &str, level: u8, lang: LangId) -> Option<std::result::Result<String, String>> {
        let template = self.anchor_link_template.as_deref()?;
        let values = vec![
            ("id", Value::from(id)),
            ("level", Value::from(level)),
            ("lang", Value::from(self.language_codes[lang].as_str())),
        ];
        Some(self.render_with(template, values, "anchor-link.html"))
    }

    fn is_component(&self, name: &str) -> bool {
        self.tera1.is_none() && self.tera.contains_component(name)
    }

    fn render_component(&self, call: &Invocation<'_>) -> std::result::Result<String, String> {
        let mut args = Context::new();
        for (key, value) in call.args {
            args.insert(key.clone(), value);
        }
        // What the shortcode would see is there for the component's implicit arguments.
        let mut implicits = Context::new();
        for (key, value) in self.call_context(call) {
            implicits.insert_value(key.to_owned(), value);
        }
        self.tera
            .render_component_with_implicits(call.name, &args, &implicits, call.body, true)
            .map_err(|err| template_error(&self.shown_names, &err, "a component").to_string())
    }

    fn ui_string(&self, key: &str, lang: LangId, args: &[(&str, &str)]) -> Option<String> {
        let args = fluent_args(
            args.iter()
                .map(|(name, value)| (*name, FluentArg::Text((*value).to_owned()))),
        );
        self.i18n.translate(lang, key, Some(&args)).ok()
    }

    fn integer(&self, value: u64, lang: LangId) -> String {
        self.i18n.formats(lang).number(value as f64, None)
    }
}

/// A Zola site's engine: Tera 2 (Zola 0.23) when its templates load there, else Tera 1 (Zola
/// 0.22), which is tried first when they use `{% macro %}` or `{% import %}`. When neither
/// loads them, the errors shown are those of the dialect the templates look written for.
fn choose_zola_engine(
    sources: &[TemplateSource],
    shown_names: &HashMap<String, String>,
    loaded: tera::TeraResult<()>,
    functions: &Arc<ZolaFunctions>,
) -> Result<(Dialect, Option<Tera1>)> {
    let looks_tera1 = sources.iter().any(|s| zola_tera1::looks_like_tera1(&s.text));
    if loaded.is_ok() && !looks_tera1 {
        return Ok((Dialect::ZolaTera2, None));
    }
    // Tera 1 has no fallback names: the site's template replaces its theme's of the same name.
    let templates: Vec<(String, String)> = sources
        .iter()
        .map(|s| {
            let name = s.name.strip_prefix(THEME_PREFIX).unwrap_or(&s.name);
            (name.to_owned(), s.text.clone())
        })
        .collect();
    match (Tera1::load(&templates, functions), loaded) {
        (Ok(tera1), _) => Ok((Dialect::ZolaTera1, Some(tera1))),
        (Err(_), Ok(())) => Ok((Dialect::ZolaTera2, None)),
        (Err(err), Err(_)) if looks_tera1 => {
            let shown = |name: &str| {
                shown_names
                    .get(name)
                    .or_else(|| shown_names.get(&format!("{THEME_PREFIX}{name}")))
                    .cloned()
                    .unwrap_or_else(|| format!("templates/{name}"))
            };
            let empty = Tera1::empty();
            Err(empty.error(shown, &err, "loading the templates"))
        }
        (Err(_), Err(err)) => Err(template_error(shown_names, &err, "loading the templates")),
    }
}

/// The templates of the site and of its theme, and the template API they are written for.
/// A Zola site whose templates (or theme) give `index.html`, `section.html` or `page.html` is
/// rendered with them alone; any other site falls back on a mekong theme.
fn template_sources(config: &Config) -> Result<(Vec<TemplateSource>, Vec<Diagnostic>, Dialect)> {
    let mut warnings = Vec::new();
    let read = |dir: &std::path::Path, shown_dir: &str, prefix: &str, warnings: &mut Vec<Diagnostic>| {
        let mut sources = Vec::new();
        let (files, links) = crate::fs::files_below(dir, &config.root, shown_dir)?;
        warnings.extend(links);
        for (rel, path) in files {
            let shown_as = format!("{shown_dir}/{rel}");
            let text = crate::fs::read_text(&path, &shown_as)?;
            sources.push(TemplateSource {
                name: format!("{prefix}{rel}"),
                shown_as,
                text,
            });
        }
        Ok::<_, Error>(sources)
    };
    let site_dir = config.root.join("templates");
    let site = match site_dir.is_dir() {
        true => read(&site_dir, "templates", "", &mut warnings)?,
        false => Vec::new(),
    };
    let theme_dir = config.root.join("themes").join(&config.theme).join("templates");
    let theme = match theme_dir.is_dir() {
        true => Some(read(
            &theme_dir,
            &format!("themes/{}/templates", config.theme),
            THEME_PREFIX,
            &mut warnings,
        )?),
        false => None,
    };
    let zola = zola::has_own_templates(config);
    let mut sources = match theme {
        Some(theme) => theme,
        None if zola => Vec::new(),
        None if crate::embedded::has_theme(&config.theme) => {
            crate::embedded::theme_files(&config.theme, "templates")
                .into_iter()
                .map(|file| TemplateSource {
                    name: format!("{THEME_PREFIX}{}", file.path),
                    shown_as: format!("(built-in) themes/{}/templates/{}", config.theme, file.path),
                    text: String::from_utf8_lossy(file.bytes).into_owned(),
                })
                .collect()
        }
        None => {
            return Err(Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("the theme `{}` does not exist", config.theme),
            )
            .hint(format!(
                "put it in themes/{}/, or set theme = \"default\"",
                config.theme
            ))
            .into());
        }
    };
    sources.extend(site);
    let dialect = match zola {
        true => Dialect::ZolaTera2,
        false => Dialect::Mekong,
    };
    Ok((sources, warnings, dialect))
}

/// For each template, a hash of its own text and of every template it extends or includes,
/// found by name as Tera finds them (the site's template first, then the theme's). Components
/// and imports can come from any template, so a theme that uses them makes every template
/// depend on all of them.
fn template_versions(sources: &[TemplateSource]) -> HashMap<String, u64> {
    let by_name: HashMap<&str, &TemplateSource> = sources.iter().map(|s| (s.name.as_str(), s)).collect();
    let resolve = |name: &str| -> Option<&str> {
        by_name
            .get_key_value(name)
            .or_else(|| by_name.get_key_value(format!("{THEME_PREFIX}{name}").as_str()))
            .map(|(k, _)| *k)
    };
    let shared = sources
        .iter()
        .any(|s| s.text.contains("component ") || s.text.contains("import "));
    let everything = xxhash_rust::xxh3::xxh3_64(
        sources
            .iter()
            .flat_map(|s| [s.name.as_str(), s.text.as_str()])
            .collect::<Vec<_>>()
            .join("\0")
            .as_bytes(),
    );
    let mut versions = HashMap::new();
    for source in sources {
        if shared {
            versions.insert(source.name.clone(), everything);
            continue;
        }
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut seen: Vec<&str> = vec![source.name.as_str()];
        let mut next = vec![source];
        while let Some(template) = next.pop() {
            hasher.update(template.name.as_bytes());
            hasher.update(template.text.as_bytes());
            for referenced in referenced_templates(&template.text) {
                if let Some(name) = resolve(referenced)
                    && !seen.contains(&name)
                {
                    seen.push(name);
                    next.push(by_name[name]);
                }
            }
        }
        versions.insert(source.name.clone(), hasher.digest());
    }
    versions
}

/// Names in `{% extends "…" %}` and `{% include "…" %}` (or with single quotes).
fn referenced_templates(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for keyword in ["extends ", "include "] {
        let mut rest = text;
        while let Some(at) = rest.find(keyword) {
            rest = rest[at + keyword.len()..].trim_start();
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                names.push(&rest[1..1 + end]);
            }
        }
    }
    names
}

/// A Tera error as `template:line:col: message`, with a hint for the common cases.
fn template_error(shown_names: &HashMap<String, String>, err: &tera::Error, what: &str) -> Error {
    let shown = |name: &str| {
        shown_names.get(name).cloned().unwrap_or_else(|| {
            let bare = name.strip_prefix(THEME_PREFIX).unwrap_or(name);
            format!("templates/{bare}")
        })
    };
    let diagnostic = match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let message = report.message().to_owned();
            let hint = if message.contains("not defined") || message.contains("is undefined") {
                "check the spelling, or give a fallback: {{ value | default(value=\"\") }} or {% if value is defined %}"
            } else if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                "check that every {{ has its }}, every {% if %}/{% for %}/{% block %} its end tag"
            } else {
                "see the template documentation in the README"
            };
            Diagnostic::error(shown(report.filename()), message)
                .at(span.start_line.max(1), span.start_col + 1)
                .hint(hint)
        }
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            "templates",
            format!("the template `{name}` does not exist (needed for {what})"),
        )
        .hint(format!(
            "create templates/{name}, or choose another with `template = \"…\"`"
        )),
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            shown(current),
            format!("extends `{parent}`, which does not exist"),
        )
        .hint("check the name in {% extends \"…\" %}"),
        // Unknown filters, tests and functions come as reports in a message:
        // `error: Unknown filter `x`` then ` --> page.html:8:115`, one pair per use.
        tera::ErrorKind::Msg(text) if text.lines().any(|l| l.trim_start().starts_with("--> ")) => {
            let mut diagnostics = Vec::new();
            let mut message = None;
            for line in text.lines() {
                if let Some(found) = line.strip_prefix("error: ") {
                    message = Some(found.to_owned());
                } else if let Some(at) = line.trim_start().strip_prefix("--> ")
                    && let Some(found) = message.take()
                {
                    let mut parts = at.rsplitn(3, ':');
                    let column = parts.next().and_then(|c| c.parse::<usize>().ok());
                    let line = parts.next().and_then(|l| l.parse::<usize>().ok());
                    let name = parts.next().unwrap_or(at);
                    let mut diagnostic = Diagnostic::error(shown(name), found).hint(
                        "check the spelling; the README lists the filters and functions templates can use",
                    );
                    if let (Some(line), Some(column)) = (line, column) {
                        diagnostic = diagnostic.at(line, column);
                    }
                    diagnostics.push(diagnostic);
                }
            }
            if diagnostics.is_empty() {
                diagnostics.push(Diagnostic::error("templates", format!("{what}: {err}")));
            }
            return Error::from_list(diagnostics);
        }
        _ => Diagnostic::error("templates", format!("{what}: {err}")),
    };
    Error::new(diagnostic)
}

/// The language of the page being rendered, from the `lang` variable of its context.
fn current_lang(state: &State<'_>, codes: &[String]) -> LangId {
    state
        .get::<String>("lang")
        .ok()
        .flatten()
        .and_then(|code| codes.iter().position(|c| *c == code))
        .map_or(LangId::DEFAULT, LangId::at)
}

/// `t()`, `date` and `number`: everything that speaks the page's language.
fn register_language_functions(tera: &mut Tera, i18n: Arc<I18n>, codes: Arc<Vec<String>>) {
    let date_i18n = i18n.clone();
    let date_codes = codes.clone();
    let number_i18n = i18n.clone();
    let number_codes = codes.clone();
    let plural_i18n = i18n.clone();
    let plural_codes = codes.clone();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State<'_>| -> tera::TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let lang = match kwargs.get::<String>("lang")? {
                Some(code) => codes
                    .iter()
                    .position(|c| *c == code)
                    .map(LangId::at)
                    .ok_or_else(|| tera::Error::message(format!("t(): unknown language `{code}`")))?,
                None => current_lang(state, &codes),
            };
            let mut pairs = Vec::new();
            for (name, value) in kwargs.iter() {
                let name = name.as_str().unwrap_or_default();
                if name == "key" || name == "lang" || name == "default" {
                    continue;
                }
                let arg = match value.as_f64() {
                    Some(n) if value.is_number() => FluentArg::Number(n),
                    _ => FluentArg::Text(value.as_str().map_or_else(|| value.to_string(), str::to_owned)),
                };
                pairs.push((name.to_owned(), arg));
            }
            let args = fluent_args(pairs.iter().map(|(n, a)| (n.as_str(), a.clone())));
            let args = (!pairs.is_empty()).then_some(&args);
            deps::record(deps::Read::Message {
                lang,
                key: key.clone(),
            });
            // `default=` stands in for a message no language defines (a language's name on a
            // site whose locales do not list it).
            if let Some(fallback) = kwargs.get::<String>("default")?
                && !i18n.has_message(lang, &key)
                && !i18n.has_message(LangId::DEFAULT, &key)
            {
                return Ok(fallback);
            }
            i18n.translate(lang, &key, args).map_err(tera::Error::message)
        },
    );
    tera.register_function(
        "plural_forms",
        move |kwargs: Kwargs, state: &State<'_>| -> tera::TeraResult<Value> {
            let key: String = kwargs.must_get("key")?;
            let arg: String = kwargs.get("arg")?.unwrap_or_else(|| "count".to_owned());
            let lang = lang_argument(&kwargs, state, &plural_codes)?;
            deps::record(deps::Read::Message {
                lang,
                key: key.clone(),
            });
            let forms = plural_i18n
                .plural_forms(lang, &key, &arg)
                .map_err(tera::Error::message)?;
            let mut map = tera::value::Map::new();
            for (category, text) in forms {
                map.insert(category.into(), Value::from(text));
            }
            Ok(Value::from(map))
        },
    );
    tera.register_filter(
        "capitalize_first",
        |text: String, _: Kwargs, _: &State<'_>| -> String { capitalize_first(&text) },
    );
    tera.register_filter(
        "date",
        move |value: Value, kwargs: Kwargs, state: &State<'_>| -> tera::TeraResult<String> {
            if value.is_none() || value.is_undefined() {
                return Ok(String::new());
            }
            let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
            let date = Date::parse(&text).map_err(tera::Error::message)?;
            let style = match kwargs.get::<String>("format")? {
                Some(name) if name != "default" => Some(DateStyle::parse(&name).ok_or_else(|| {
                    tera::Error::message(format!(
                        "date(): unknown format `{name}`; use one of: {}",
                        DateStyle::NAMES
                    ))
                })?),
                _ => None,
            };
            let lang = lang_argument(&kwargs, state, &date_codes)?;
            Ok(date_i18n.formats(lang).date(&date, style))
        },
    );
    tera.register_filter(
        "number",
        move |value: f64, kwargs: Kwargs, state: &State<'_>| -> tera::TeraResult<String> {
            let digits: Option<usize> = kwargs.get("decimals")?;
            let lang = lang_argument(&kwargs, state, &number_codes)?;
            Ok(number_i18n.formats(lang).number(value, digits))
        },
    );
}

/// `tháng 12 năm 2014` → `Tháng 12 năm 2014`: the first letter in upper case, the rest as
/// written (unlike `capitalize`, which lowers the rest). Scripts without case are unchanged.
fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn register_static_functions(
    tera: &mut Tera,
    config: Arc<Config>,
    asset_hashes: Arc<HashMap<String, String>>,
) {
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State<'_>| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            deps::record(deps::Read::Asset {
                path: path.to_owned(),
            });
            let hash = asset_hashes.get(path).ok_or_else(|| {
                tera::Error::message(format!(
                    "asset(): there is no static file `{path}` in static/ or the theme's static/"
                ))
            })?;
            Ok(format!("{}?h={hash}", config.permalink(path)))
        },
    );
    tera.register_filter("markdown", |text: String, _: Kwargs, _: &State<'_>| -> Value {
        let mut options = comrak::Options::default();
        options.extension.strikethrough = true;
        options.extension.table = true;
        options.extension.autolink = true;
        Value::safe_string(&comrak::markdown_to_html(&text, &options))
    });
}

fn register_site_functions(tera: &mut Tera, data: Option<Arc<SiteData>>, codes: Arc<Vec<String>>) {
    let not_yet = || tera::Error::message("this function is not available inside shortcodes");
    let for_page = data.clone();
    let page_codes = codes.clone();
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, state: &State<'_>| -> tera::TeraResult<Value> {
            let data = for_page.as_ref().ok_or_else(not_yet)?;
            let path: String = kwargs.must_get("path")?;
            match resolve(data, &path, &kwargs, state, &page_codes, Lookup::Value)? {
                Target::Page(id) => Ok(data.page_values[id.0 as usize].clone()),
                Target::Section(_) => Err(tera::Error::message(format!(
                    "get_page(): `{path}` is a section; use get_section"
                ))),
            }
        },
    );
    let for_section = data.clone();
    let section_codes = codes.clone();
    tera.register_function(
        "get_section",
        move |kwargs: Kwargs, state: &State<'_>| -> tera::TeraResult<Value> {
            let data = for_section.as_ref().ok_or_else(not_yet)?;
            let path: String = kwargs.must_get("path")?;
            match resolve(data, &path, &kwargs, state, &section_codes, Lookup::Value)? {
                Target::Section(id) => Ok(data.section_values[id.0 as usize].clone()),
                Target::Page(_) => Err(tera::Error::message(format!(
                    "get_section(): `{path}` is a page; use get_page"
                ))),
            }
        },
    );
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State<'_>| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let data = data.as_ref().ok_or_else(not_yet)?;
            if path.starts_with("@/") {
                let target = resolve(data, &path, &kwargs, state, &codes, Lookup::Link)?;
                return Ok(data.config.permalink(data.content.target_path(target)));
            }
            let lang = lang_argument(&kwargs, state, &codes)?;
            let prefix = &data.config.languages[lang].prefix;
            Ok(data
                .config
                .permalink(&format!("{prefix}{}", path.trim_start_matches('/'))))
        },
    );
}

fn lang_argument(kwargs: &Kwargs, state: &State<'_>, codes: &[String]) -> tera::TeraResult<LangId> {
    match kwargs.get::<String>("lang")? {
        Some(code) => codes
            .iter()
            .position(|c| *c == code)
            .map(LangId::at)
            .ok_or_else(|| tera::Error::message(format!("unknown language `{code}`"))),
        None => Ok(current_lang(state, codes)),
    }
}

/// What a template function takes from the content file it names.
enum Lookup {
    /// Its whole value (`get_page`, `get_section`).
    Value,
    /// Only its address (`url`).
    Link,
}

/// The content file `path` names in the page's (or the given) language; the lookup is
/// recorded as a read of the job rendering.
fn resolve(
    data: &SiteData,
    path: &str,
    kwargs: &Kwargs,
    state: &State<'_>,
    codes: &[String],
    lookup: Lookup,
) -> tera::TeraResult<Target> {
    let lang = lang_argument(kwargs, state, codes)?;
    let path_owned = path.to_owned();
    deps::record(match lookup {
        Lookup::Value => deps::Read::Lookup {
            path: path_owned,
            lang,
        },
        Lookup::Link => deps::Read::Link {
            path: path_owned,
            lang,
        },
    });
    data.content
        .resolve(path, lang, codes)
        .ok_or_else(|| tera::Error::message(format!("there is no content file `{path}`")))
}

/// Zola's functions and filters under Zola's names (and argument names), over mekong's of
/// the same name (`date`, `markdown`, `get_page`…).
fn register_zola_functions(tera: &mut Tera, functions: &ZolaFunctions) {
    let shared = Arc::new(functions.clone());
    for name in zola_functions::FUNCTIONS {
        let functions = shared.clone();
        tera.register_function(
            *name,
            move |kwargs: Kwargs, _: &State<'_>| -> tera::TeraResult<Value> {
                functions
                    .call(name, &json_args(&kwargs))
                    .map_err(tera::Error::message)
            },
        );
    }
    for (name, safe) in zola_filters::FILTERS.iter().chain(zola_filters::TERA1_FILTERS) {
        tera.register_filter(
            *name,
            move |value: Value, kwargs: Kwargs, _: &State<'_>| -> tera::TeraResult<Value> {
                let input =
                    serde_json::to_value(&value).map_err(|err| tera::Error::message(err.to_string()))?;
                let output =
                    zola_filters::filter(name, &input, &json_args(&kwargs)).map_err(tera::Error::message)?;
                Ok(match (output, *safe) {
                    (serde_json::Value::String(html), true) => Value::safe_string(&html),
                    (output, _) => Value::from_serializable(&output),
                })
            },
        );
    }
}

/// Tera 2's keyword arguments as JSON.
fn json_args(kwargs: &Kwargs) -> zola_functions::Args {
    kwargs
        .iter()
        .filter_map(|(key, value)| Some((key.as_str()?.to_owned(), serde_json::to_value(value).ok()?)))
        .collect()
}
