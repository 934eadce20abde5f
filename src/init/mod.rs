//! `mekong init`: a new site that builds and checks clean at once, in the languages asked for.

mod texts;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::slug::slugify;
use crate::content::taxonomy::message_id;
use crate::date::Date;
use crate::error::{Diagnostic, Error, Result};
use crate::language_names::native_menu_name;
use texts::{SiteTexts, site_texts};

/// What to make, as `mekong init` was asked.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The new site's folder: absent or empty.
    pub dir: PathBuf,
    /// Language codes, the default language first.
    pub languages: Vec<String>,
    /// The site's name in the default language.
    pub title: Option<String>,
    pub base_url: Option<String>,
}

/// What `init` wrote.
#[derive(Debug)]
pub struct Created {
    /// Every file written, below `InitOptions::dir`, sorted.
    pub files: Vec<PathBuf>,
    /// Languages for which mekong has no built-in UI strings or example texts: their pages
    /// start in English until someone translates them.
    pub untranslated: Vec<String>,
}

/// One language of the new site, as `config.toml` will name it.
struct NewLanguage {
    code: String,
    /// For the language switcher: CLDR's own name, first letter capitalised.
    name: String,
    texts: &'static SiteTexts,
    /// Whether `texts` are really in this language (else English, waiting for a translator).
    native: bool,
}

/// Writes a new site into `options.dir`; refuses (writing nothing) when the folder holds
/// anything or a language code is unknown.
pub fn init(options: &InitOptions) -> Result<Created> {
    let languages = resolve_languages(&options.languages)?;
    let dir = &options.dir;
    let shown = dir.display().to_string();
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(&shown, "this is a file, not a folder")
                .hint("give mekong init the name of a new or empty folder")
                .into());
        }
        let entries = crate::fs::read_dir_sorted(dir)?;
        if !entries.is_empty() {
            let names: Vec<String> = entries
                .iter()
                .take(5)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            return Err(Diagnostic::error(
                &shown,
                format!(
                    "this folder is not empty ({}{}); nothing was written",
                    names.join(", "),
                    if entries.len() > names.len() { ", …" } else { "" }
                ),
            )
            .hint("run mekong init with the name of a new folder, e.g. `mekong init my-site`, or in an empty one")
            .into());
        }
    }
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| languages[0].texts.site_title.to_owned());
    let base_url = options.base_url.clone().unwrap_or_else(|| EXAMPLE_URL.to_owned());
    let config = config_toml(&languages, &title, options.title.as_deref(), &base_url);
    // The file must be one mekong reads: this also checks --base-url before anything is written.
    Config::parse(dir, &config, None).map_err(|err| {
        let diagnostics = err.diagnostics.into_iter().map(|mut d| {
            if d.message.contains("base_url") {
                (d.file, d.line, d.column) = ("--base-url".to_owned(), None, None);
            }
            d
        });
        Error::from_list(diagnostics.collect())
    })?;

    let mut files: Vec<(String, String)> = vec![
        ("config.toml".to_owned(), config),
        (".gitignore".to_owned(), GITIGNORE.to_owned()),
        ("README.md".to_owned(), staff_readme(&languages, &title)),
        ("static/.gitkeep".to_owned(), String::new()),
    ];
    files.extend(content_files(&languages, options.title.as_deref()));
    for language in &languages {
        files.push((
            format!("locales/{}/site.ftl", language.code),
            site_ftl(&languages, language, options.title.as_deref()),
        ));
    }

    crate::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text).map_err(|err| Error::io(&path, "write", &err))?;
        written.push(path);
    }
    written.sort();
    Ok(Created {
        files: written,
        untranslated: languages
            .iter()
            .filter(|l| !l.native)
            .map(|l| l.code.clone())
            .collect(),
    })
}

/// Checks every code and gives each its name; every unknown code is reported at once.
fn resolve_languages(codes: &[String]) -> Result<Vec<NewLanguage>> {
    let mut errors = Vec::new();
    let mut languages: Vec<NewLanguage> = Vec::new();
    for code in codes {
        let code = code.trim();
        // `EN` and `en` are one language; the file names and URLs use the canonical form.
        let canonical = code
            .parse::<icu_locale::LanguageIdentifier>()
            .map(|id| id.to_string())
            .unwrap_or_else(|_| code.to_owned());
        let Some(name) = native_menu_name(&canonical) else {
            errors.push(
                Diagnostic::error(
                    "--languages",
                    format!("`{code}` is not a language code mekong knows"),
                )
                .hint("use ISO 639 codes as in CLDR, e.g. --languages vi,en,km (the first is the default language)"),
            );
            continue;
        };
        if languages.iter().any(|l| l.code == canonical) {
            errors.push(
                Diagnostic::error("--languages", format!("`{code}` is listed twice"))
                    .hint("name each language once, the default language first"),
            );
            continue;
        }
        let (texts, native) = match site_texts(&canonical) {
            Some(texts) => (texts, true),
            None => (&texts::EN, false),
        };
        languages.push(NewLanguage {
            code: canonical,
            name,
            texts,
            native,
        });
    }
    if languages.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::error("--languages", "no language given")
                .hint("e.g. --languages vi,en,km (the first is the default language)"),
        );
    }
    if errors.is_empty() {
        Ok(languages)
    } else {
        Err(Error::from_list(errors))
    }
}

const EXAMPLE_URL: &str = "https://example.org/";

const GITIGNORE: &str = "\
# What mekong writes: the built site and its cache of resized images.
/public/
/.mekong-cache/
";

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn config_toml(languages: &[NewLanguage], title: &str, given_title: Option<&str>, base_url: &str) -> String {
    let example_url = base_url == EXAMPLE_URL;
    let default = &languages[0];
    let mut out = String::from(
        "# Site settings. README.md beside this file says how to write, preview and publish;\n\
         # mekong's README lists every setting.\n",
    );
    out.push_str(&format!("title = {}\n", toml_string(title)));
    out.push_str(&format!(
        "description = {}\n",
        toml_string(default.texts.site_description)
    ));
    if example_url {
        out.push_str(
            "# The address the site will be published at (it may end in a folder: https://host/news/).\n",
        );
    }
    out.push_str(&format!("base_url = {}\n", toml_string(base_url)));
    out.push_str(&format!(
        "# The language at the root of the site (/); the others are under /<code>/.\ndefault_language = {}\n",
        toml_string(&default.code)
    ));
    out.push_str("theme = \"default\"\n");
    for (index, language) in languages.iter().enumerate() {
        out.push_str(&format!("\n[languages.{}]\n", language.code));
        out.push_str(&format!("name = {}\n", toml_string(&language.name)));
        if index > 0 {
            let mut note = String::new();
            if given_title.is_some() {
                note.push_str("\n# Translate the name: it is the one given to `mekong init`.");
            }
            if !language.native {
                note.push_str("\n# Translate the description: it is in English until then.");
            }
            out.push_str(&format!(
                "# The site's name and description in this language.{note}\ntitle = {}\ndescription = {}\n",
                toml_string(&site_title(language, given_title)),
                toml_string(language.texts.site_description)
            ));
        }
        if language.code == "km" {
            out.push_str("# Khmer digits in dates and numbers.\nnumerals = \"khmr\"\n");
        }
    }
    out.push_str(
        "\n[[taxonomies]]\nname = \"tags\"\npaginate_by = 10\n\n\
         [extra]\n\
         # The main navigation: a UI string (locales/) and a path in the current language.\n\
         menu = [{ key = \"nav-news\", path = \"news/\" }]\n\
         # Sections whose latest articles the home page lists.\n\
         home_sections = [\"news/_index.md\"]\n",
    );
    out
}

/// The site's name in `language`: the one given with `--title` (in the default language,
/// until someone translates it), else the language's own example name.
fn site_title(language: &NewLanguage, given: Option<&str>) -> String {
    given.unwrap_or(language.texts.site_title).to_owned()
}

fn content_files(languages: &[NewLanguage], title: Option<&str>) -> Vec<(String, String)> {
    let default = &languages[0];
    let slug = default.texts.article_slug;
    let tag = default.texts.tag;
    let today = Date::today();
    let mut files = Vec::new();
    for (index, language) in languages.iter().enumerate() {
        let texts = language.texts;
        let suffix = if index == 0 {
            String::new()
        } else {
            format!(".{}", language.code)
        };
        let note = translate_note(language);
        let home_title = site_title(language, title);
        files.push((
            format!("content/_index{suffix}.md"),
            format!(
                "+++\n{note}title = {}\ndescription = {}\n+++\n\n{}\n",
                toml_string(&home_title),
                toml_string(texts.site_description),
                texts.home_body
            ),
        ));
        let section_settings = if index == 0 {
            "# Newest first, ten articles a page, with Atom and RSS feeds.\nsort_by = \"date\"\npaginate_by = 10\nfeed = true\n"
        } else {
            ""
        };
        files.push((
            format!("content/news/_index{suffix}.md"),
            format!(
                "+++\n{note}title = {}\ndescription = {}\n{section_settings}+++\n\n{}\n",
                toml_string(texts.news_title),
                toml_string(texts.news_description),
                texts.news_body
            ),
        ));
        let head = if index == 0 {
            format!(
                "date = {today}\nauthors = [{}]\n\n[taxonomies]\ntags = [{}]\n",
                toml_string(texts.article_author),
                toml_string(tag)
            )
        } else {
            // Date and tags come from the default-language article.
            format!("authors = [{}]\n", toml_string(texts.article_author))
        };
        let mut body = texts.article_body.to_owned();
        if languages.len() > 1 {
            body.push_str("\n\n");
            body.push_str(texts.article_languages);
        }
        body.push_str("\n\n");
        body.push_str(
            &texts
                .article_closing
                .replace("{news}", &format!("[{}](@/news/_index.md)", texts.news_title)),
        );
        files.push((
            format!("content/news/{slug}{suffix}.md"),
            format!(
                "+++\n{note}title = {}\ndescription = {}\n{head}+++\n\n{body}\n",
                toml_string(texts.article_title),
                toml_string(texts.article_description),
            ),
        ));
    }
    files
}

/// A front-matter comment on pages whose example text is not in their language.
fn translate_note(language: &NewLanguage) -> String {
    if language.native {
        String::new()
    } else {
        format!(
            "# This example is in English: translate the title, description and text into {}.\n",
            language.name
        )
    }
}

/// `locales/<code>/site.ftl`: the footer, which names the site, and the example tag's name.
fn site_ftl(languages: &[NewLanguage], language: &NewLanguage, title: Option<&str>) -> String {
    let texts = language.texts;
    let default = &languages[0];
    let name = site_title(language, title);
    let mut out = format!(
        "# UI strings of this site in {}. A message here replaces mekong's built-in message of the\n\
         # same name (see the README of mekong for the list); `mekong check` names any a language lacks.\n\n\
         # The footer: what the site is, and whose it is. Put the name of the office that\n\
         # holds the copyright after the year.\n\
         footer-about = {}\n\
         footer-copyright = {}© {{ $year }} {}\n",
        language.name,
        texts.site_description,
        if language.code == "km" {
            "រក្សាសិទ្ធិ "
        } else {
            ""
        },
        name
    );
    if !std::ptr::eq(language, default) {
        out.push_str(&format!(
            "\n# The example tag `{}` as readers of this language see it.\n{} = {}\n",
            default.texts.tag,
            message_id("tags", &slugify(default.texts.tag)),
            texts.tag
        ));
    }
    out
}

fn staff_readme(languages: &[NewLanguage], title: &str) -> String {
    let default = &languages[0];
    let template = if default.code == "vi" {
        include_str!("README.vi.md")
    } else {
        include_str!("README.en.md")
    };
    let others: Vec<&NewLanguage> = languages.iter().skip(1).collect();
    let example = others.first().map_or("en", |l| l.code.as_str());
    let list = languages
        .iter()
        .map(|l| {
            // Inside a Vietnamese sentence the language is "tiếng Việt", not a title.
            let name = match (default.code.as_str(), l.name.strip_prefix("Tiếng ")) {
                ("vi", Some(rest)) => format!("tiếng {rest}"),
                _ => l.name.clone(),
            };
            format!("`{}` ({name})", l.code)
        })
        .collect::<Vec<_>>()
        .join(", ");
    template
        .replace("{title}", title)
        .replace("{languages}", &list)
        .replace("{default}", &default.code)
        .replace("{slug}", default.texts.article_slug)
        .replace("{other}", example)
}

/// The folder `mekong init` writes to: `DIR`, or the current folder.
pub fn resolve_dir(dir: Option<&Path>) -> PathBuf {
    dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
