//! `mekong new`: a new article in the default language with a stub for each translation.

use std::path::PathBuf;

use crate::config::Config;
use crate::content::slug::slugify;
use crate::date::Date;
use crate::error::{Diagnostic, Error, Result};

/// Creates `content/<section>/<slug>.md` and a draft stub per other language; writes nothing
/// when any of them exists already. Returns the files written.
pub fn new_article(config: &Config, target: &str, title: Option<&str>) -> Result<Vec<PathBuf>> {
    let target = target.trim_matches('/').trim_end_matches(".md");
    let (section, name) = target.rsplit_once('/').unwrap_or(("", target));
    if name.is_empty() || slugify(name) != name {
        return Err(
            Diagnostic::error(target, format!("`{name}` is not a file name for an article"))
                .hint(format!(
                    "use lowercase letters, digits and hyphens, e.g. {}",
                    slugify(if name.is_empty() { "bai-viet" } else { name })
                ))
                .into(),
        );
    }
    let folder = config.content_dir().join(section);
    let title = title.map_or_else(|| name.replace('-', " "), str::to_owned);
    let today = Date::today();
    let files: Vec<(PathBuf, String)> = config
        .lang_ids()
        .zip(&config.languages)
        .map(|(lang, language)| {
            let file = if lang.is_default() { format!("{name}.md") } else { format!("{name}.{}.md", language.code) };
            let text = if lang.is_default() {
                format!(
                    "+++\ntitle = {}\ndescription = \"\"\ndate = {today}\nauthors = []\n\n[taxonomies]\ntags = []\n+++\n\n",
                    toml_string(&title)
                )
            } else {
                format!(
                    "+++\n# Translation into {} of {name}.md: translate the title and the text below,\n# then remove `draft = true` so it is published.\ntitle = {}\ndescription = \"\"\ndraft = true\n+++\n\n",
                    language.name,
                    toml_string(&title)
                )
            };
            (folder.join(file), text)
        })
        .collect();
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::from_list(
            existing
                .into_iter()
                .map(|file| {
                    Diagnostic::error(file, "this file exists already; nothing was written")
                        .hint("choose another name, or edit the existing article")
                })
                .collect(),
        ));
    }
    crate::fs::create_dir_all(&folder)?;
    for (path, text) in &files {
        std::fs::write(path, text).map_err(|err| Error::io(path, "write", &err))?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}
