//! UI strings: Project Fluent bundles per language, built-in strings overridden by the site's.

use std::collections::BTreeSet;
use std::sync::Mutex;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result, collect_all};

pub struct I18n {
    codes: Vec<String>,
    bundles: Vec<FluentBundle<FluentResource>>,
    /// (message, language) pairs that fell back to the default language, reported once each.
    missing: Mutex<BTreeSet<(String, String)>>,
}

/// A resource to load: where it is shown to the user and its text.
struct Source {
    shown_as: String,
    text: String,
    /// Site files override built-in messages of the same id.
    overrides: bool,
}

impl I18n {
    pub fn load(config: &Config) -> Result<I18n> {
        let mut bundles = Vec::new();
        let mut all_errors = Vec::new();
        for language in &config.languages {
            match load_language(config, &language.code, &language.locale) {
                Ok(bundle) => bundles.push(bundle),
                Err(err) => all_errors.extend(err.diagnostics),
            }
        }
        if !all_errors.is_empty() {
            return Err(Error::from_list(all_errors));
        }
        Ok(I18n {
            codes: config.languages.iter().map(|l| l.code.clone()).collect(),
            bundles,
            missing: Mutex::new(BTreeSet::new()),
        })
    }

    /// The message `key` in language `lang`, falling back to the default language.
    pub fn translate(
        &self,
        lang: usize,
        key: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> std::result::Result<String, String> {
        let (bundle, message) = match self.bundles[lang].get_message(key) {
            Some(message) => (&self.bundles[lang], message),
            None => {
                let message = self.bundles[0].get_message(key).ok_or_else(|| {
                    format!(
                        "there is no UI string `{key}` in locales/{}/ (nor in the default language)",
                        self.codes[lang]
                    )
                })?;
                if let Ok(mut missing) = self.missing.lock() {
                    missing.insert((key.to_owned(), self.codes[lang].clone()));
                }
                (&self.bundles[0], message)
            }
        };
        let pattern = message
            .value()
            .ok_or_else(|| format!("the UI string `{key}` has no value, only attributes"))?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if let Some(err) = errors.first() {
            return Err(format!("the UI string `{key}` could not be formatted: {err}"));
        }
        Ok(text.into_owned())
    }

    /// Warnings for every UI string a language lacked, once per message and language.
    pub fn missing_reports(&self) -> Vec<Diagnostic> {
        let missing = self.missing.lock().map(|m| m.clone()).unwrap_or_default();
        missing
            .into_iter()
            .map(|(key, code)| {
                Diagnostic::warning(
                    format!("locales/{code}/"),
                    format!(
                        "the UI string `{key}` is missing in `{code}`; the default language's text was used"
                    ),
                )
                .hint(format!("add `{key} = …` to a .ftl file in locales/{code}/"))
            })
            .collect()
    }
}

fn load_language(config: &Config, code: &str, locale: &str) -> Result<FluentBundle<FluentResource>> {
    let langid: LanguageIdentifier = locale.parse().or_else(|_| code.parse()).map_err(|_| {
        Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!("`{locale}` is not a valid locale for [languages.{code}]"),
        )
        .hint("use a BCP 47 tag such as vi-VN, en-US or km-KH")
    })?;
    let mut sources: Vec<Source> = crate::embedded::locale_files(code)
        .into_iter()
        .map(|file| Source {
            shown_as: format!("(built-in) locales/{code}/{}", file.path),
            text: String::from_utf8_lossy(file.bytes).into_owned(),
            overrides: false,
        })
        .collect();
    let site_dir = config.root.join("locales").join(code);
    if site_dir.is_dir() {
        for entry in crate::fs::read_dir_sorted(&site_dir)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".ftl") || crate::content::is_ignored_name(&name) {
                continue;
            }
            let shown_as = format!("locales/{code}/{name}");
            let text = crate::fs::read_text(&entry.path(), &shown_as)?;
            sources.push(Source {
                shown_as,
                text: crate::text::nfc(&text).into_owned(),
                overrides: true,
            });
        }
    }
    let resources = collect_all(sources.into_iter().map(|source| {
        let Source { shown_as, text, overrides } = source;
        match FluentResource::try_new(text) {
            Ok(resource) => Ok((shown_as, resource, overrides)),
            Err((resource, errors)) => Err(Error::from_list(
                errors
                    .iter()
                    .map(|err| {
                        Diagnostic::error(shown_as.clone(), format!("Fluent syntax error: {err}"))
                            .at_offset(resource.source(), err.pos.start, 1)
                            .hint("each message is `id = text`; continuation lines are indented; braces hold { $variables }")
                    })
                    .collect(),
            )),
        }
    }))?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    bundle.set_use_isolating(false);
    let mut diagnostics = Vec::new();
    for (shown_as, resource, overrides) in resources {
        if overrides {
            bundle.add_resource_overriding(resource);
        } else if let Err(errors) = bundle.add_resource(resource) {
            for err in errors {
                diagnostics.push(Diagnostic::error(shown_as.clone(), err.to_string()));
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(bundle)
    } else {
        Err(Error::from_list(diagnostics))
    }
}

/// Builds Fluent arguments from template keyword arguments.
pub fn fluent_args<'a>(pairs: impl IntoIterator<Item = (&'a str, FluentArg)>) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    for (name, value) in pairs {
        match value {
            FluentArg::Text(text) => args.set(name.to_owned(), text),
            FluentArg::Number(n) => args.set(name.to_owned(), n),
        }
    }
    args
}

#[derive(Clone)]
pub enum FluentArg {
    Text(String),
    Number(f64),
}
