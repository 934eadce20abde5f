//! Zola's template functions (`get_url`, `get_page`, `trans`, `load_data`, `resize_image`…),
//! written once over JSON arguments so that Tera 2 and Tera 1 templates call the same code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value as Json};
use tera::Value;

use crate::config::Config;
use crate::config::LangId;
use crate::content::Target;
use crate::date::Date;
use crate::render::SiteData;
use crate::render::deps::{self, Read};

/// What a function that reads the rendered site says when a shortcode calls it.
const NOT_IN_SHORTCODES: &str = "this function is not available inside shortcodes";

/// Keyword arguments of a call, by name.
pub(crate) type Args = Map<String, Json>;

/// The names of Zola's functions, each answered by `ZolaFunctions::call`.
pub(crate) const FUNCTIONS: &[&str] = &[
    "get_url",
    "get_page",
    "get_section",
    "get_taxonomy",
    "get_taxonomy_url",
    "get_taxonomy_term",
    "load_data",
    "get_image_metadata",
    "get_hash",
    "now",
    "trans",
    "resize_image",
];

/// What Zola's functions read: the configuration, the static files' hashes, the content
/// files' paths while the Markdown is rendered, and, once it is, the site's values.
#[derive(Clone)]
pub(crate) struct ZolaFunctions {
    pub(crate) config: Arc<Config>,
    pub(crate) asset_hashes: Arc<HashMap<String, String>>,
    pub(crate) data: Option<Arc<SiteData>>,
    /// For `get_url(path="@/…")` in shortcodes, before `data` is there.
    pub(crate) links: Option<Arc<crate::content::Links>>,
    /// Images `resize_image` made, by output path (`processed_images/…`), with their cached
    /// file: the build copies them into the output.
    pub(crate) processed: Arc<std::sync::Mutex<std::collections::BTreeMap<String, PathBuf>>>,
}

pub(crate) fn string<'a>(args: &'a Args, name: &str) -> Result<Option<&'a str>, String> {
    match args.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(text)) => Ok(Some(text)),
        Some(other) => Err(format!("`{name}` must be a string, not {other}")),
    }
}

pub(crate) fn must_string<'a>(args: &'a Args, name: &str) -> Result<&'a str, String> {
    string(args, name)?.ok_or_else(|| format!("the argument `{name}` is missing"))
}

pub(crate) fn flag(args: &Args, name: &str, default: bool) -> Result<bool, String> {
    match args.get(name) {
        None | Some(Json::Null) => Ok(default),
        Some(Json::Bool(on)) => Ok(*on),
        Some(other) => Err(format!("`{name}` must be true or false, not {other}")),
    }
}

impl ZolaFunctions {
    /// Calls Zola's function `name` (one of `FUNCTIONS`).
    pub(crate) fn call(&self, name: &str, args: &Args) -> Result<Value, String> {
        let answer = match name {
            "get_url" => self.get_url(args).map(Value::from),
            "get_page" | "get_section" => self.get_content(name, args),
            "get_taxonomy" | "get_taxonomy_term" | "get_taxonomy_url" => self.taxonomy(name, args),
            "load_data" => self.load_data(args),
            "get_image_metadata" => self.image_metadata(args),
            "get_hash" => self.hash(args).map(Value::from),
            "now" => now(args),
            "trans" => self.trans(args).map(Value::from),
            "resize_image" => self.resize_image(args),
            _ => Err(format!("`{name}` is not one of Zola's functions")),
        };
        answer.map_err(|message| format!("{name}(): {message}"))
    }

    fn data(&self) -> Result<&SiteData, String> {
        self.data.as_deref().ok_or_else(|| NOT_IN_SHORTCODES.to_owned())
    }

    /// The language a call names with `lang=`, else the default one (Zola's functions do not
    /// see the page's language).
    fn lang(&self, args: &Args) -> Result<LangId, String> {
        match string(args, "lang")? {
            None => Ok(LangId::DEFAULT),
            Some(code) => self.config.language_index(code).ok_or_else(|| {
                let codes: Vec<&str> = self.config.languages.iter().map(|l| l.code.as_str()).collect();
                format!("there is no language `{code}`; the site has {}", codes.join(", "))
            }),
        }
    }

    fn codes(&self) -> Vec<String> {
        self.config.languages.iter().map(|l| l.code.clone()).collect()
    }

    fn get_url(&self, args: &Args) -> Result<String, String> {
        let path = must_string(args, "path")?;
        let lang = self.lang(args)?;
        if let Some(internal) = path.strip_prefix("@/") {
            let (file, anchor) = match internal.split_once('#') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (internal, None),
            };
            deps::record(Read::Link {
                path: file.to_owned(),
                lang,
            });
            let missing = || format!("there is no content file `{file}` (paths start in content/)");
            let site_path = match (&self.data, &self.links) {
                (Some(data), _) => {
                    let target = data
                        .content
                        .resolve(file, lang, &self.codes())
                        .ok_or_else(missing)?;
                    data.content.target_path(target).to_owned()
                }
                (None, Some(links)) => {
                    let target = links
                        .index
                        .resolve(file, lang, &self.codes())
                        .ok_or_else(missing)?;
                    links.target_path(target).to_owned()
                }
                (None, None) => return Err(NOT_IN_SHORTCODES.to_owned()),
            };
            let permalink = self.config.permalink(&site_path);
            return Ok(match anchor {
                Some(anchor) => format!("{permalink}#{anchor}"),
                None => permalink,
            });
        }
        let path = path.trim_start_matches('/');
        let mut permalink = self
            .config
            .permalink(&format!("{}{path}", self.config.languages[lang].prefix));
        if !flag(args, "trailing_slash", false)? && permalink.ends_with('/') && !path.is_empty() {
            permalink.pop();
        }
        if flag(args, "cachebust", false)? {
            deps::record(Read::Asset {
                path: path.to_owned(),
            });
            let hash = self
                .asset_hashes
                .get(path)
                .ok_or_else(|| format!("cachebust: there is no static file `{path}`"))?;
            permalink = format!("{permalink}?h={hash}");
        }
        Ok(permalink)
    }

    fn get_content(&self, name: &str, args: &Args) -> Result<Value, String> {
        let data = self.data()?;
        let path = must_string(args, "path")?;
        let lang = self.lang(args)?;
        deps::record(Read::Lookup {
            path: path.to_owned(),
            lang,
        });
        let missing =
            || format!("there is no content file `{path}` (paths start in content/, e.g. `blog/_index.md`)");
        let target = data
            .content
            .resolve(path, lang, &self.codes())
            .ok_or_else(missing)?;
        match (name, target) {
            ("get_page", Target::Page(id)) => Ok(data.page_values[id.0 as usize].clone()),
            ("get_section", Target::Section(id)) => {
                let section = data.section_values[id.0 as usize].clone();
                if !flag(args, "metadata_only", false)? {
                    return Ok(section);
                }
                let mut map = section.into_map().unwrap_or_default();
                map.shift_remove(&tera::value::Key::from("pages"));
                Ok(Value::from(map))
            }
            ("get_page", Target::Section(_)) => Err(format!("`{path}` is a section; use get_section")),
            _ => Err(format!("`{path}` is a page; use get_page")),
        }
    }

    fn taxonomy(&self, name: &str, args: &Args) -> Result<Value, String> {
        let data = self.data()?;
        let kind = must_string(args, "kind")?;
        let lang = self.lang(args)?;
        let required = flag(args, "required", true)?;
        deps::record(Read::Taxonomy {
            kind: kind.to_owned(),
            lang,
        });
        let found = data
            .content
            .taxonomies
            .iter()
            .position(|t| t.lang == lang && self.config.taxonomies[t.taxonomy].name == kind);
        let Some(index) = found else {
            if !required {
                return Ok(Value::none());
            }
            let names: Vec<&str> = self.config.taxonomies.iter().map(|t| t.name.as_str()).collect();
            return Err(format!(
                "there is no taxonomy `{kind}` with terms in `{}`; declared: {}",
                self.config.languages[lang].code,
                names.join(", ")
            ));
        };
        if name == "get_taxonomy" {
            return Ok(data.taxonomies[index].whole.clone());
        }
        let term_name = match name {
            "get_taxonomy_url" => must_string(args, "name")?,
            _ => must_string(args, "term")?,
        };
        let slug = crate::content::slug::slugify(term_name);
        let Some(term) = data.content.taxonomies[index]
            .terms
            .iter()
            .position(|t| t.slug == slug)
        else {
            if !required {
                return Ok(Value::none());
            }
            return Err(format!("the taxonomy `{kind}` has no term `{term_name}`"));
        };
        if name == "get_taxonomy_url" {
            let path = &data.content.taxonomies[index].terms[term].path;
            return Ok(Value::from(self.config.permalink(path)));
        }
        let value = data.taxonomies[index].terms[term].clone();
        if flag(args, "include_pages", true)? {
            return Ok(value);
        }
        let mut map = value.into_map().unwrap_or_default();
        map.shift_remove(&tera::value::Key::from("pages"));
        Ok(Value::from(map))
    }

    /// A file a function names, as Zola looks for it: `@/` in content/, else the site folder,
    /// then static/, content/ and the theme's static/. Nothing outside the site is read.
    fn find_file(&self, path: &str) -> Result<PathBuf, String> {
        if Path::new(path)
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(format!(
                "`{path}` leads out of the site folder; name a file inside it"
            ));
        }
        let root = &self.config.root;
        let candidates: Vec<PathBuf> = match path.strip_prefix("@/") {
            Some(rest) => vec![root.join("content").join(rest)],
            None => {
                let rel = path.trim_start_matches('/');
                vec![
                    root.join(rel),
                    root.join("static").join(rel),
                    root.join("content").join(rel),
                    root.join("themes")
                        .join(&self.config.theme)
                        .join("static")
                        .join(rel),
                ]
            }
        };
        let found = candidates
            .into_iter()
            .find(|c| c.is_file())
            .ok_or_else(|| format!("there is no file `{path}` in the site folder, static/ or content/"))?;
        deps::record(Read::File { path: found.clone() });
        Ok(found)
    }

    fn load_data(&self, args: &Args) -> Result<Value, String> {
        if string(args, "url")?.is_some() {
            return Err("`url` is not supported: mekong builds without the network; save the data in the site and give its `path`".to_owned());
        }
        let required = flag(args, "required", true)?;
        let (text, extension) = match (string(args, "path")?, string(args, "literal")?) {
            (Some(path), None) => {
                let file = match self.find_file(path) {
                    Ok(file) => file,
                    Err(_) if !required => return Ok(Value::none()),
                    Err(err) => return Err(err),
                };
                let text = std::fs::read_to_string(&file)
                    .map_err(|err| format!("`{path}` could not be read: {err}"))?;
                let extension = file.extension().map(|e| e.to_string_lossy().to_lowercase());
                (text, extension)
            }
            (None, Some(literal)) => (literal.to_owned(), None),
            _ => return Err("give either `path` or `literal`".to_owned()),
        };
        let format = match string(args, "format")? {
            Some(format) => format.to_owned(),
            None => extension.unwrap_or_else(|| "plain".to_owned()),
        };
        let parsed: Json = match format.as_str() {
            "toml" => {
                let table: toml::Table =
                    toml::from_str(&text).map_err(|err| format!("not valid TOML: {err}"))?;
                serde_json::to_value(table).map_err(|err| err.to_string())?
            }
            "json" => serde_json::from_str(&text).map_err(|err| format!("not valid JSON: {err}"))?,
            "yaml" | "yml" => {
                serde_norway::from_str(&text).map_err(|err| format!("not valid YAML: {err}"))?
            }
            "csv" => csv(&text)?,
            "bibtex" | "xml" => {
                return Err(format!(
                    "the `{format}` format is not supported; use toml, json, yaml, csv or plain"
                ));
            }
            _ => Json::String(text),
        };
        Ok(Value::from_serializable(&parsed))
    }

    fn image_metadata(&self, args: &Args) -> Result<Value, String> {
        let path = must_string(args, "path")?;
        let file = match self.find_file(path) {
            Ok(file) => file,
            Err(_) if flag(args, "allow_missing", false)? => return Ok(Value::none()),
            Err(err) => return Err(err),
        };
        let (width, height) = image::image_dimensions(&file)
            .map_err(|err| format!("`{path}` is not a JPEG or PNG image mekong can read: {err}"))?;
        let (format, mime) = match image::ImageFormat::from_path(&file) {
            Ok(image::ImageFormat::Png) => ("png", "image/png"),
            _ => ("jpg", "image/jpeg"),
        };
        Ok(Value::from_serializable(&serde_json::json!({
            "width": width,
            "height": height,
            "format": format,
            "mime": mime,
        })))
    }

    fn hash(&self, args: &Args) -> Result<String, String> {
        use sha2::Digest;
        let bytes = match (string(args, "path")?, string(args, "literal")?) {
            (Some(path), None) => {
                let file = self.find_file(path)?;
                std::fs::read(&file).map_err(|err| format!("`{path}` could not be read: {err}"))?
            }
            (None, Some(literal)) => literal.as_bytes().to_vec(),
            _ => return Err("give either `path` or `literal`".to_owned()),
        };
        let digest: Vec<u8> = match args.get("sha_type").and_then(Json::as_u64).unwrap_or(384) {
            256 => sha2::Sha256::digest(&bytes).to_vec(),
            384 => sha2::Sha384::digest(&bytes).to_vec(),
            512 => sha2::Sha512::digest(&bytes).to_vec(),
            other => return Err(format!("sha_type must be 256, 384 or 512, not {other}")),
        };
        if flag(args, "base64", true)? {
            use base64::Engine;
            Ok(base64::engine::general_purpose::STANDARD.encode(&digest))
        } else {
            Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
        }
    }

    /// Zola's `resize_image`: the resized copy's `url`, `static_path`, `width`, `height`,
    /// `orig_width` and `orig_height`; the copy is written to `processed_images/`.
    fn resize_image(&self, args: &Args) -> Result<Value, String> {
        let path = must_string(args, "path")?;
        let op_name = string(args, "op")?.unwrap_or("fill");
        let op = crate::images::ResizeOp::parse(op_name)
            .ok_or_else(|| format!("op `{op_name}` is not one of scale, fit_width, fit_height, fit, fill"))?;
        let size = |name: &str| -> Result<Option<u32>, String> {
            match args.get(name) {
                None | Some(Json::Null) => Ok(None),
                Some(value) => value
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(|| format!("`{name}` must be a whole number of pixels, not {value}")),
            }
        };
        let quality = match args.get("quality") {
            None | Some(Json::Null) => 75,
            Some(value) => value
                .as_u64()
                .filter(|q| (1..=100).contains(q))
                .ok_or_else(|| format!("`quality` must be between 1 and 100, not {value}"))?
                as u8,
        };
        let format = string(args, "format")?.unwrap_or("auto");
        let file = self.find_file(path)?;
        let made = crate::images::process(
            &self.config.root,
            &file,
            op,
            (size("width")?, size("height")?),
            format,
            quality,
        )
        .map_err(|err| format!("`{path}`: {err}"))?;
        let output = format!("processed_images/{}", made.name);
        if let Ok(mut processed) = self.processed.lock() {
            processed.insert(output.clone(), made.cached.clone());
        }
        Ok(Value::from_serializable(&serde_json::json!({
            "url": self.config.permalink(&output),
            "static_path": format!("static/{output}"),
            "width": made.width,
            "height": made.height,
            "orig_width": made.orig_width,
            "orig_height": made.orig_height,
        })))
    }

    /// A string of Zola's `[translations]` (or `[languages.<code>.translations]`).
    fn trans(&self, args: &Args) -> Result<String, String> {
        let key = must_string(args, "key")?;
        let language = &self.config.languages[self.lang(args)?];
        language
            .translations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, text)| text.clone())
            .ok_or_else(|| {
                format!(
                    "there is no translation `{key}` for `{}`; add it to [translations] (or [languages.{}.translations]) in {}",
                    language.code, language.code, self.config.file
                )
            })
    }
}

/// `now()`: the time of the build, in UTC (mekong has no time zone data: `utc=false` gives
/// UTC too), or seconds since 1970 with `timestamp=true`.
fn now(args: &Args) -> Result<Value, String> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    if flag(args, "timestamp", false)? {
        return Ok(Value::from(seconds));
    }
    flag(args, "utc", false)?;
    Ok(Value::from(Date::from_timestamp_utc(seconds).rfc3339()))
}

/// CSV as Zola's `load_data` gives it: `{ headers: [...], records: [[...], ...] }`.
fn csv(text: &str) -> Result<Json, String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            ',' if !quoted => row.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                line += 1;
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if quoted {
        return Err(format!("CSV: a quoted field is not closed (line {line})"));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let mut rows = rows.into_iter();
    let headers = rows.next().unwrap_or_default();
    let records: Vec<Vec<String>> = rows.collect();
    for (i, record) in records.iter().enumerate() {
        if record.len() != headers.len() {
            return Err(format!(
                "CSV: record {} has {} fields, the header {}",
                i + 1,
                record.len(),
                headers.len()
            ));
        }
    }
    Ok(serde_json::json!({ "headers": headers, "records": records }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_gives_headers_and_records_with_quoted_commas() {
        let parsed = csv("Number,Title\n1,\"Hà Nội, Việt Nam\"\n2,Huế\n").unwrap();
        assert_eq!(parsed["headers"], serde_json::json!(["Number", "Title"]));
        assert_eq!(parsed["records"][0][1], "Hà Nội, Việt Nam");
        assert_eq!(parsed["records"][1], serde_json::json!(["2", "Huế"]));
        assert!(csv("a,b\n1\n").unwrap_err().contains("record 1 has 1 fields"));
    }
}
