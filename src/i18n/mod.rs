//! UI strings: Project Fluent bundles per language, built-in strings overridden by the site's,
//! with `NUMBER()` and `DATETIME()` formatted by ICU4X.

pub mod format;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::{FluentNumber, FluentNumberOptions};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_memoizer::concurrent::IntlLangMemoizer;
use unic_langid::LanguageIdentifier;

use crate::config::LangId;
use crate::config::{Config, Language};
use crate::date::DateStyle;
use crate::error::{Diagnostic, Error, Result, collect_all};
use format::Formats;

pub struct I18n {
    codes: Vec<String>,
    /// Each language's BCP 47 locale.
    locales: Vec<String>,
    bundles: Vec<FluentBundle<FluentResource>>,
    formats: Vec<Arc<Formats>>,
    /// Every message id each language defines (built-in and the site's).
    message_ids: Vec<BTreeSet<String>>,
    /// A hash of each message's text (and of the language's terms), to tell which messages an
    /// edit of a `.ftl` file changed.
    /// Fx-hashed: every template job looks its strings up here on every rebuild.
    message_versions: Vec<rustc_hash::FxHashMap<String, u64>>,
    /// (message, language) pairs that fell back to the default language, reported once each.
    missing: Mutex<BTreeSet<(String, String)>>,
    /// Problems met while finding the site's `.ftl` files (links not followed).
    pub warnings: Vec<Diagnostic>,
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
        let mut message_ids = Vec::new();
        let mut message_versions = Vec::new();
        let mut formats = Vec::new();
        let mut all_errors = Vec::new();
        let mut warnings = Vec::new();
        for language in &config.languages {
            let language_formats = match language_formats(language) {
                Ok(f) => Arc::new(f),
                Err(err) => {
                    all_errors.extend(err.diagnostics);
                    continue;
                }
            };
            match load_language(config, language, language_formats.clone(), &mut warnings) {
                Ok((bundle, ids, versions)) => {
                    bundles.push(bundle);
                    message_ids.push(ids);
                    message_versions.push(versions.into_iter().collect());
                }
                Err(err) => all_errors.extend(err.diagnostics),
            }
            formats.push(language_formats);
        }
        if !all_errors.is_empty() {
            return Err(Error::from_list(all_errors));
        }
        Ok(I18n {
            codes: config.languages.iter().map(|l| l.code.clone()).collect(),
            locales: config.languages.iter().map(|l| l.locale.clone()).collect(),
            bundles,
            message_ids,
            message_versions,
            formats,
            missing: Mutex::new(BTreeSet::new()),
            warnings,
        })
    }

    /// Date and number formats of language `lang`.
    pub fn formats(&self, lang: LangId) -> &Formats {
        &self.formats[lang]
    }

    /// Every message id language `lang` defines.
    pub fn message_ids(&self, lang: LangId) -> &BTreeSet<String> {
        &self.message_ids[lang]
    }

    /// Whether language `lang` has its own message `key` (without falling back).
    /// A hash of message `key` as language `lang` defines it (0 when it does not), which
    /// changes whenever the message's text does.
    pub fn message_version(&self, lang: LangId, key: &str) -> u64 {
        self.message_versions[lang].get(key).copied().unwrap_or(0)
    }

    pub fn has_message(&self, lang: LangId, key: &str) -> bool {
        self.bundles[lang].has_message(key)
    }

    /// The message `key` in language `lang`, falling back to the default language.
    pub fn translate(
        &self,
        lang: LangId,
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

    /// Every plural form of message `key` in language `lang`, by CLDR category (`one`,
    /// `other`…), with `PLURAL_PLACEHOLDER` where the number `$arg` goes: the page's script
    /// picks the form for a count it learns only in the browser. Categories the message does
    /// not tell apart come out with the same text.
    pub fn plural_forms(
        &self,
        lang: LangId,
        key: &str,
        arg: &str,
    ) -> std::result::Result<Vec<(&'static str, String)>, String> {
        let locale = format::icu_locale(&self.locales[lang], None)?;
        let rules = icu_plurals::PluralRules::try_new_cardinal(locale.into())
            .map_err(|e| format!("no plural rules for {}: {e:?}", self.locales[lang]))?;
        let mut forms = Vec::new();
        for (category, name) in PLURAL_CATEGORIES {
            // The smallest count of the category stands for it; the formatter prints the
            // placeholder instead of the number.
            let Some(sample) = (0u32..1000).find(|n| rules.category_for(*n) == category) else {
                continue;
            };
            let options = FluentNumberOptions {
                minimum_integer_digits: Some(PLACEHOLDER_DIGITS),
                ..Default::default()
            };
            let mut args = FluentArgs::new();
            args.set(arg.to_owned(), FluentNumber::new(f64::from(sample), options));
            forms.push((name, self.translate(lang, key, Some(&args))?));
        }
        Ok(forms)
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

fn language_formats(language: &Language) -> Result<Formats> {
    let located = |message: String| {
        Error::new(
            Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("[languages.{}]: {message}", language.code),
            )
            .hint("locale is a BCP 47 tag such as vi-VN, en-US or km-KH; numerals a system such as khmr"),
        )
    };
    let locale = format::icu_locale(&language.locale, language.numerals.as_deref()).map_err(located)?;
    let style = DateStyle::parse(&language.date_format).unwrap_or(DateStyle::Long);
    Formats::new(&locale, style).map_err(located)
}

fn load_language(
    config: &Config,
    language: &Language,
    formats: Arc<Formats>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<LoadedLanguage> {
    let (code, locale) = (language.code.as_str(), language.locale.as_str());
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
        let (files, links) = crate::fs::files_below(&site_dir, &config.root, &format!("locales/{code}"))?;
        warnings.extend(links);
        for (name, path) in files {
            if !name.ends_with(".ftl") || name.contains('/') {
                continue;
            }
            let shown_as = format!("locales/{code}/{name}");
            let text = crate::fs::read_text(&path, &shown_as)?;
            sources.push(Source {
                shown_as,
                text: crate::text::nfc(&text).into_owned(),
                overrides: true,
            });
        }
    }
    if !language.translations.is_empty() {
        sources.push(Source {
            shown_as: format!("{} [translations] of {code}", config.file),
            text: translations_ftl(&language.translations),
            overrides: true,
        });
    }
    let resources = collect_all(sources.into_iter().map(|source| {
        let Source { shown_as, text, overrides } = source;
        if let Some(offset) = too_deep(&text) {
            return Err(Error::new(
                Diagnostic::error(
                    shown_as,
                    format!("braces are nested more than {MAX_PLACEABLE_DEPTH} deep here"),
                )
                .at_offset(&text, offset, 1)
                .hint("a message needs at most a few levels of { }; check for braces that are never closed"),
            ));
        }
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
    register_functions(&mut bundle, language, formats);
    let mut diagnostics = Vec::new();
    let mut ids = BTreeSet::new();
    let mut versions = HashMap::new();
    let mut terms = xxhash_rust::xxh3::Xxh3::new();
    for (shown_as, resource, overrides) in resources {
        for entry in resource.entries() {
            match entry {
                fluent_syntax::ast::Entry::Message(message) => {
                    ids.insert(message.id.name.to_owned());
                    let text = format!("{message:?}");
                    versions.insert(
                        message.id.name.to_owned(),
                        xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
                    );
                }
                fluent_syntax::ast::Entry::Term(term) => terms.update(format!("{term:?}").as_bytes()),
                _ => {}
            }
        }
        if overrides {
            bundle.add_resource_overriding(resource);
        } else if let Err(errors) = bundle.add_resource(resource) {
            for err in errors {
                diagnostics.push(Diagnostic::error(shown_as.clone(), err.to_string()));
            }
        }
    }
    // Messages may use terms: a changed term changes every message of the language.
    let terms = terms.digest();
    for version in versions.values_mut() {
        *version ^= terms;
    }
    if diagnostics.is_empty() {
        Ok((bundle, ids, versions))
    } else {
        Err(Error::from_list(diagnostics))
    }
}

/// Zola's `[translations]` (key = "text") as Fluent messages: braces become string literals,
/// later lines are indented, and keys Fluent cannot name are left out (with the `t()` call
/// reporting them as missing).
fn translations_ftl(translations: &[(String, String)]) -> String {
    let mut ftl = String::new();
    for (key, text) in translations {
        let valid_id = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid_id {
            continue;
        }
        let escaped = text
            .replace('{', "\u{1}")
            .replace('}', "{\"}\"}")
            .replace('\u{1}', "{\"{\"}");
        let mut lines = escaped.lines();
        let first = lines.next().unwrap_or("");
        if first.trim().is_empty() {
            // A message needs text on its first line: an empty literal keeps leading blanks.
            ftl.push_str(&format!("{key} = {{\"\"}}{first}\n"));
        } else {
            ftl.push_str(&format!("{key} = {first}\n"));
        }
        for line in lines {
            // Continuation lines starting with `[`, `*` or `.` would be read as syntax.
            let line = match line.trim_start().chars().next() {
                Some('[' | '*' | '.') => format!("{{\"\"}}{line}"),
                _ => line.to_owned(),
            };
            ftl.push_str(&format!("    {line}\n"));
        }
    }
    ftl
}

/// Placeables nested deeper than this are refused before parsing: fluent-syntax recurses
/// for each level and would overflow the stack on a few thousand.
const MAX_PLACEABLE_DEPTH: usize = 32;

/// The byte offset of the first `{` that opens a placeable deeper than `MAX_PLACEABLE_DEPTH`.
/// Braces inside string literals (`{"{"}`) do not count.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '{' => {
                depth += 1;
                if depth > MAX_PLACEABLE_DEPTH {
                    return Some(offset);
                }
            }
            '}' => depth = depth.saturating_sub(1),
            '"' if depth > 0 => in_string = true,
            _ => {}
        }
    }
    None
}

/// A language's bundle, its message ids and their versions.
type LoadedLanguage = (
    FluentBundle<FluentResource>,
    BTreeSet<String>,
    HashMap<String, u64>,
);

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

/// `NUMBER()` keeps the value a number (so plural selection still works) and every number is
/// printed by ICU; `DATETIME()` formats an ISO date in the language's style.
fn register_functions(bundle: &mut FluentBundle<FluentResource>, language: &Language, formats: Arc<Formats>) {
    let khmer_digits = language.numerals.as_deref() == Some("khmr");
    bundle.set_formatter(Some(if khmer_digits {
        format_number::<true>
    } else {
        format_number::<false>
    }));
    // Names are fixed and registered once on a fresh bundle, so these calls cannot fail.
    let _ = bundle.add_function("NUMBER", |positional, named| match positional.first() {
        Some(FluentValue::Number(n)) => {
            let mut n = n.clone();
            n.options.merge(named);
            FluentValue::Number(n)
        }
        Some(FluentValue::String(s)) => match s.parse::<f64>() {
            Ok(value) => {
                let mut n = FluentNumber::new(value, Default::default());
                n.options.merge(named);
                FluentValue::Number(n)
            }
            Err(_) => FluentValue::Error,
        },
        _ => FluentValue::Error,
    });
    let _ = bundle.add_function("DATETIME", move |positional, named| {
        let Some(FluentValue::String(text)) = positional.first() else {
            return FluentValue::Error;
        };
        let Ok(date) = crate::date::Date::parse(text) else {
            return FluentValue::Error;
        };
        let style = ["format", "dateStyle"]
            .iter()
            .find_map(|name| match named.get(*name) {
                Some(FluentValue::String(s)) => DateStyle::parse(s),
                _ => None,
            });
        FluentValue::String(formats.date(&date, style).into())
    });
}

/// What `plural_forms` puts where the count goes; the page's script replaces it.
pub const PLURAL_PLACEHOLDER: &str = "__COUNT__";

/// A `minimumIntegerDigits` no message asks for: marks the number `plural_forms` passes, so
/// the formatter prints `PLURAL_PLACEHOLDER` while plural selection still sees the number.
const PLACEHOLDER_DIGITS: usize = 999_983;

const PLURAL_CATEGORIES: [(icu_plurals::PluralCategory, &str); 6] = [
    (icu_plurals::PluralCategory::Zero, "zero"),
    (icu_plurals::PluralCategory::One, "one"),
    (icu_plurals::PluralCategory::Two, "two"),
    (icu_plurals::PluralCategory::Few, "few"),
    (icu_plurals::PluralCategory::Many, "many"),
    (icu_plurals::PluralCategory::Other, "other"),
];

/// ICU's number formatter for a language, memoized per bundle.
struct IcuNumbers(icu_decimal::DecimalFormatter);

impl intl_memoizer::Memoizable for IcuNumbers {
    type Args = (bool,);
    type Error = String;

    fn construct(lang: LanguageIdentifier, (khmer_digits,): (bool,)) -> Result<Self, String> {
        let locale = format::icu_locale(&lang.to_string(), khmer_digits.then_some("khmr"))?;
        icu_decimal::DecimalFormatter::try_new(locale.into(), Default::default())
            .map(IcuNumbers)
            .map_err(|e| format!("{e:?}"))
    }
}

fn format_number<const KHMER_DIGITS: bool>(
    value: &FluentValue<'_>,
    intls: &IntlLangMemoizer,
) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    if number.options.minimum_integer_digits == Some(PLACEHOLDER_DIGITS) {
        return Some(PLURAL_PLACEHOLDER.to_owned());
    }
    let digits = number.options.minimum_fraction_digits;
    let text = match digits {
        Some(d) => format!("{:.d$}", number.value),
        None if number.value.fract() == 0.0 && number.value.abs() < 1e15 => {
            format!("{}", number.value as i64)
        }
        None => format!("{}", number.value),
    };
    let decimal = icu_decimal::input::Decimal::try_from_str(&text).ok()?;
    intls
        .with_try_get::<IcuNumbers, _, _>((KHMER_DIGITS,), |f| f.0.format(&decimal).to_string())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(ftl: &[(&str, &str)]) -> (tempfile::TempDir, I18n) {
        let dir = tempfile::tempdir().unwrap();
        for (code, text) in ftl {
            let folder = dir.path().join("locales").join(code);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("test.ftl"), text).unwrap();
        }
        let config = Config::parse(
            dir.path(),
            "title = \"t\"\nbase_url = \"https://e.org/\"\ndefault_language = \"vi\"\n\
             [languages.vi]\nname = \"Tiếng Việt\"\nlocale = \"vi-VN\"\n\
             [languages.en]\nname = \"English\"\nlocale = \"en-US\"\n\
             [languages.km]\nname = \"ខ្មែរ\"\nlocale = \"km-KH\"\nnumerals = \"khmr\"\n",
            None,
        )
        .unwrap();
        let i18n = I18n::load(&config).unwrap();
        (dir, i18n)
    }

    fn args(pairs: &[(&str, FluentArg)]) -> FluentArgs<'static> {
        fluent_args(pairs.iter().map(|(n, a)| (*n, a.clone())))
    }

    #[test]
    fn placeables_nested_too_deep_are_found_before_parsing() {
        assert_eq!(too_deep(&format!("x = {}", "{".repeat(2502))), Some(4 + 32));
        assert_eq!(too_deep("x = { \"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\" }"), None);
        assert_eq!(too_deep("x = { $a ->\n *[one] { $b }\n}"), None);
    }

    #[test]
    fn vietnamese_number_groups_with_dots() {
        let (_dir, i18n) = site_with(&[("vi", "articles = { NUMBER($count) } bài viết\n")]);
        let text = i18n.translate(
            LangId::at(0),
            "articles",
            Some(&args(&[("count", FluentArg::Number(1_234_567.0))])),
        );
        assert_eq!(text.unwrap(), "1.234.567 bài viết");
    }

    #[test]
    fn number_keeps_english_plurals_working() {
        let (_dir, i18n) = site_with(&[(
            "en",
            "articles = { NUMBER($count) ->\n    [one] one article\n   *[other] { $count } articles\n}\n",
        )]);
        let one = i18n.translate(
            LangId::at(1),
            "articles",
            Some(&args(&[("count", FluentArg::Number(1.0))])),
        );
        assert_eq!(one.unwrap(), "one article");
        let many = i18n.translate(
            LangId::at(1),
            "articles",
            Some(&args(&[("count", FluentArg::Number(2500.0))])),
        );
        assert_eq!(many.unwrap(), "2,500 articles");
    }

    #[test]
    fn plural_forms_come_out_for_every_category_of_the_language() {
        let (_dir, i18n) = site_with(&[(
            "en",
            "hits = { $count ->\n    [one] { $count } result\n   *[other] { $count } results\n}\n",
        )]);
        let en = i18n.plural_forms(LangId::at(1), "hits", "count").unwrap();
        assert_eq!(
            en,
            vec![
                ("one", "__COUNT__ result".to_owned()),
                ("other", "__COUNT__ results".to_owned())
            ]
        );
        let (_dir, i18n) = site_with(&[("km", "hits = លទ្ធផល { $count }\n")]);
        assert_eq!(
            i18n.plural_forms(LangId::at(2), "hits", "count").unwrap(),
            vec![("other", "លទ្ធផល __COUNT__".to_owned())]
        );
    }

    #[test]
    fn datetime_formats_in_the_language_with_khmer_digits() {
        let (_dir, i18n) = site_with(&[("km", "published = ចុះផ្សាយ { DATETIME($date, format: \"long\") }\n")]);
        let text = i18n.translate(
            LangId::at(2),
            "published",
            Some(&args(&[("date", FluentArg::Text("2014-12-22".into()))])),
        );
        assert_eq!(text.unwrap(), "ចុះផ្សាយ ២២ ធ្នូ ២០១៤");
    }

    #[test]
    fn no_isolation_marks_leak_into_text() {
        let (_dir, i18n) = site_with(&[]);
        let text = i18n
            .translate(
                LangId::at(0),
                "published-on",
                Some(&args(&[("date", FluentArg::Text("22/12/2014".into()))])),
            )
            .unwrap();
        assert!(
            !text.contains('\u{2068}') && !text.contains('\u{2069}'),
            "{text:?}"
        );
    }
}
