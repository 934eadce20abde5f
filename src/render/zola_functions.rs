//! Zola's template functions and filters (`get_url`, `get_page`, `trans`, `load_data`,
//! `markdown`, `regex_replace`, `date`…), written once over JSON arguments so that Tera 2 and
//! Tera 1 templates call the same code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value as Json};
use tera::Value;

use crate::config::Config;
use crate::content::Target;
use crate::date::Date;
use crate::render::SiteData;
use crate::render::deps::{self, Read};

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

/// What Zola's functions read: the configuration, the static files' hashes, and, once the
/// Markdown is rendered, the site's values.
pub(crate) struct ZolaFunctions {
    pub(crate) config: Arc<Config>,
    pub(crate) asset_hashes: Arc<HashMap<String, String>>,
    pub(crate) data: Option<Arc<SiteData>>,
    /// Images `resize_image` made, by output path (`processed_images/…`), with their cached
    /// file: the build copies them into the output.
    pub(crate) processed: Arc<std::sync::Mutex<std::collections::BTreeMap<String, PathBuf>>>,
}

fn string<'a>(args: &'a Args, name: &str) -> Result<Option<&'a str>, String> {
    match args.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(text)) => Ok(Some(text)),
        Some(other) => Err(format!("`{name}` must be a string, not {other}")),
    }
}

fn must_string<'a>(args: &'a Args, name: &str) -> Result<&'a str, String> {
    string(args, name)?.ok_or_else(|| format!("the argument `{name}` is missing"))
}

fn flag(args: &Args, name: &str, default: bool) -> Result<bool, String> {
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
        self.data
            .as_deref()
            .ok_or_else(|| "this function is not available inside shortcodes".to_owned())
    }

    /// The language a call names with `lang=`, else the default one (Zola's functions do not
    /// see the page's language).
    fn lang(&self, args: &Args) -> Result<usize, String> {
        match string(args, "lang")? {
            None => Ok(0),
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
            let data = self.data()?;
            let (file, anchor) = match internal.split_once('#') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (internal, None),
            };
            deps::record(Read::Link {
                path: file.to_owned(),
                lang,
            });
            let target = data
                .content
                .resolve(file, lang, &self.codes())
                .ok_or_else(|| format!("there is no content file `{file}` (paths start in content/)"))?;
            let permalink = self.config.permalink(data.content.target_path(target));
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

/// Zola's filters that neither Tera 1 nor Tera 2 has, with whether their output is HTML
/// already (not escaped again).
pub(crate) const FILTERS: &[(&str, bool)] = &[
    ("markdown", true),
    ("base64_encode", false),
    ("base64_decode", false),
    ("regex_replace", false),
    ("num_format", false),
    ("date", false),
    ("urlencode", false),
    ("urlencode_strict", false),
    ("slugify", false),
    ("filesizeformat", false),
];

/// Tera 1's filters that Tera 2 lacks, which Zola 0.22 templates use.
pub(crate) const TERA1_FILTERS: &[(&str, bool)] = &[
    ("slice", false),
    ("json_encode", false),
    ("striptags", false),
    ("linebreaksbr", true),
    ("spaceless", false),
    ("filter", false),
    ("map", false),
    ("concat", false),
    ("as_str", false),
];

fn text_of(input: &Json) -> String {
    match input {
        Json::String(text) => text.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

/// Applies filter `name` (from `FILTERS` or `TERA1_FILTERS`) to `input`.
pub(crate) fn filter(name: &str, input: &Json, args: &Args) -> Result<Json, String> {
    let answer = match name {
        "markdown" => markdown(&text_of(input), flag(args, "inline", false)?).map(Json::String),
        "base64_encode" => {
            use base64::Engine;
            Ok(Json::String(
                base64::engine::general_purpose::STANDARD.encode(text_of(input)),
            ))
        }
        "base64_decode" => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text_of(input))
                .map_err(|err| format!("not valid base64: {err}"))?;
            Ok(Json::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
        "regex_replace" => {
            let pattern = must_string(args, "pattern")?;
            let replacement = must_string(args, "rep")?;
            let regex = regex::Regex::new(pattern)
                .map_err(|err| format!("`{pattern}` is not a valid regular expression: {err}"))?;
            Ok(Json::String(
                regex.replace_all(&text_of(input), replacement).into_owned(),
            ))
        }
        "num_format" => num_format(input, string(args, "locale")?.unwrap_or("en")),
        "date" => date(input, args),
        "urlencode" | "urlencode_strict" => {
            let set = match name {
                "urlencode" => &PATH_SAFE,
                _ => percent_encoding::NON_ALPHANUMERIC,
            };
            Ok(Json::String(
                percent_encoding::utf8_percent_encode(&text_of(input), set).to_string(),
            ))
        }
        "slugify" => Ok(Json::String(crate::content::slug::slugify(&text_of(input)))),
        "filesizeformat" => {
            let bytes = input.as_f64().ok_or("filesizeformat takes a number")?;
            Ok(Json::String(file_size(bytes)))
        }
        "slice" => slice(input, args),
        "json_encode" => {
            let text = match flag(args, "pretty", false)? {
                true => serde_json::to_string_pretty(input),
                false => serde_json::to_string(input),
            };
            text.map(Json::String).map_err(|err| err.to_string())
        }
        "striptags" => Ok(Json::String(strip_tags(&text_of(input)))),
        "linebreaksbr" => Ok(Json::String(
            text_of(input).replace("\r\n", "<br>").replace('\n', "<br>"),
        )),
        "spaceless" => Ok(Json::String(spaceless(&text_of(input)))),
        "filter" | "map" => {
            let attribute = must_string(args, "attribute")?;
            let items = input.as_array().ok_or_else(|| format!("{name} takes an array"))?;
            let field = |item: &Json| attribute.split('.').try_fold(item, |v, key| v.get(key)).cloned();
            Ok(Json::Array(match name {
                "map" => items.iter().filter_map(field).collect(),
                _ => {
                    let wanted = args.get("value").cloned().unwrap_or(Json::Null);
                    items
                        .iter()
                        .filter(|item| field(item).unwrap_or(Json::Null) == wanted)
                        .cloned()
                        .collect()
                }
            }))
        }
        "concat" => {
            let mut items = input.as_array().cloned().ok_or("concat takes an array")?;
            match args.get("with") {
                Some(Json::Array(more)) => items.extend(more.iter().cloned()),
                Some(one) => items.push(one.clone()),
                None => return Err("the argument `with` is missing".to_owned()),
            }
            Ok(Json::Array(items))
        }
        "as_str" => Ok(Json::String(text_of(input))),
        _ => Err(format!("`{name}` is not one of Zola's filters")),
    };
    answer.map_err(|message| format!("{name}: {message}"))
}

/// What `urlencode` leaves as it is: what a path may hold (`/` included).
const PATH_SAFE: percent_encoding::AsciiSet = percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// CommonMark with tables, strikethrough and autolinks; `inline` drops the paragraph around
/// a single paragraph.
pub(crate) fn markdown(text: &str, inline: bool) -> Result<String, String> {
    let mut options = comrak::Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    let html = comrak::markdown_to_html(text, &options);
    if inline
        && let Some(inner) = html
            .strip_prefix("<p>")
            .and_then(|h| h.trim_end().strip_suffix("</p>"))
        && !inner.contains("<p>")
    {
        return Ok(inner.to_owned());
    }
    Ok(html)
}

fn num_format(input: &Json, locale: &str) -> Result<Json, String> {
    let number = input
        .as_i64()
        .ok_or_else(|| format!("num_format takes a whole number, not {input}"))?;
    let tag = locale.replace('_', "-");
    let parsed: icu_locale_core::Locale = tag
        .parse()
        .map_err(|_| format!("`{locale}` is not a locale; write it as en, de or vi-VN"))?;
    let formatter = icu_decimal::DecimalFormatter::try_new(parsed.into(), Default::default())
        .map_err(|err| format!("no number format for `{locale}`: {err:?}"))?;
    Ok(Json::String(
        formatter
            .format(&icu_decimal::input::Decimal::from(number))
            .to_string(),
    ))
}

/// Tera's `date`: a date string (or a timestamp) in a `strftime` format, `%Y-%m-%d` unless
/// `format=` says otherwise.
fn date(input: &Json, args: &Args) -> Result<Json, String> {
    if string(args, "locale")?.is_some() {
        return Err("`locale` is not supported: month and day names are English; write the format with numbers (%d/%m/%Y), or use mekong's own templates for dates in the page's language".to_owned());
    }
    if string(args, "timezone")?.is_some() {
        return Err(
            "`timezone` is not supported: dates are shown at the offset they were written with".to_owned(),
        );
    }
    let date = match input {
        Json::String(text) => Date::parse(text)?,
        Json::Number(n) => {
            Date::from_timestamp_utc(n.as_i64().ok_or("the timestamp must be a whole number")?)
        }
        Json::Null => return Ok(Json::String(String::new())),
        other => return Err(format!("takes a date or a timestamp, not {other}")),
    };
    let format = string(args, "format")?.unwrap_or("%Y-%m-%d");
    date.strftime(format).map(Json::String)
}

fn file_size(bytes: f64) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut size = bytes;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{size} {}", UNITS[0]),
        _ => format!("{size:.2} {}", UNITS[unit]),
    }
}

fn slice(input: &Json, args: &Args) -> Result<Json, String> {
    let items = input
        .as_array()
        .ok_or_else(|| format!("slice takes an array, not {input}"))?;
    let len = items.len() as i64;
    let position = |name: &str, default: i64| -> Result<usize, String> {
        let at = match args.get(name) {
            None | Some(Json::Null) => default,
            Some(value) => value
                .as_i64()
                .ok_or_else(|| format!("`{name}` must be a whole number"))?,
        };
        let at = if at < 0 { len + at } else { at };
        Ok(at.clamp(0, len) as usize)
    };
    let start = position("start", 0)?;
    let end = position("end", len)?;
    Ok(Json::Array(items[start..end.max(start)].to_vec()))
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Removes whitespace between HTML tags.
fn spaceless(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(close) = rest.find('>') {
        out.push_str(&rest[..=close]);
        rest = &rest[close + 1..];
        let trimmed = rest.trim_start();
        if trimmed.starts_with('<') {
            rest = trimmed;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, Json)]) -> Args {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    #[test]
    fn csv_gives_headers_and_records_with_quoted_commas() {
        let parsed = csv("Number,Title\n1,\"Hà Nội, Việt Nam\"\n2,Huế\n").unwrap();
        assert_eq!(parsed["headers"], serde_json::json!(["Number", "Title"]));
        assert_eq!(parsed["records"][0][1], "Hà Nội, Việt Nam");
        assert_eq!(parsed["records"][1], serde_json::json!(["2", "Huế"]));
        assert!(csv("a,b\n1\n").unwrap_err().contains("record 1 has 1 fields"));
    }

    #[test]
    fn filters_give_what_zola_s_give() {
        let text = |s: &str| Json::String(s.to_owned());
        assert_eq!(
            filter(
                "markdown",
                &text("*Xin chào*"),
                &args(&[("inline", Json::Bool(true))])
            )
            .unwrap(),
            "<em>Xin chào</em>"
        );
        assert_eq!(
            filter("base64_encode", &text("mekong"), &Args::new()).unwrap(),
            "bWVrb25n"
        );
        assert_eq!(
            filter("base64_decode", &text("bWVrb25n"), &Args::new()).unwrap(),
            "mekong"
        );
        let replace = args(&[("pattern", text(r"(\d+)-(\d+)")), ("rep", text("$2/$1"))]);
        assert_eq!(
            filter("regex_replace", &text("12-2014"), &replace).unwrap(),
            "2014/12"
        );
        assert_eq!(
            filter("num_format", &Json::from(1234567), &Args::new()).unwrap(),
            "1,234,567"
        );
        assert_eq!(
            filter(
                "num_format",
                &Json::from(1234567),
                &args(&[("locale", text("vi"))])
            )
            .unwrap(),
            "1.234.567"
        );
        let format = args(&[("format", text("%-d %B %Y, %H:%M"))]);
        assert_eq!(
            filter("date", &text("2014-12-22T08:30:00+07:00"), &format).unwrap(),
            "22 December 2014, 08:30"
        );
        assert_eq!(
            filter("date", &text("2014-12-22"), &Args::new()).unwrap(),
            "2014-12-22"
        );
        let range = args(&[("start", Json::from(1)), ("end", Json::from(-1))]);
        assert_eq!(
            filter("slice", &serde_json::json!([1, 2, 3, 4]), &range).unwrap(),
            serde_json::json!([2, 3])
        );
        assert_eq!(
            filter("urlencode", &text("/tags/biên giới/"), &Args::new()).unwrap(),
            "/tags/bi%C3%AAn%20gi%E1%BB%9Bi/"
        );
    }
}
