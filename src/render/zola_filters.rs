//! Zola's filters (`markdown`, `regex_replace`, `num_format`, `date`…) and the Tera 1 filters
//! Tera 2 lacks, written once over JSON so that Tera 2 and Tera 1 templates call the same code.

use serde_json::Value as Json;

use crate::date::Date;
use crate::render::zola_functions::{Args, flag, must_string, string};

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
    let parsed = crate::i18n::format::zola_locale(locale)?;
    let formatter = icu_decimal::DecimalFormatter::try_new(parsed.into(), Default::default())
        .map_err(|err| format!("no number format for `{locale}`: {err:?}"))?;
    Ok(Json::String(
        formatter
            .format(&icu_decimal::input::Decimal::from(number))
            .to_string(),
    ))
}

/// Tera's `date`: a date string (or a timestamp) in a `strftime` format, `%Y-%m-%d` unless
/// `format=` says otherwise; month and day names in English, or in the language of `locale=`
/// (`vi_VN`: `22 tháng 12 2014`).
fn date(input: &Json, args: &Args) -> Result<Json, String> {
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
    let names = match string(args, "locale")? {
        Some(locale) => crate::i18n::format::date_names(locale, &date)?,
        None => date.english_names(),
    };
    date.strftime_named(format, &names).map(Json::String)
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
        // Zola's `locale`: the month and day names of that language, from CLDR.
        let in_locale = |locale: &str, format: &str| {
            let args = args(&[("locale", text(locale)), ("format", text(format))]);
            filter("date", &text("2014-12-22"), &args).unwrap()
        };
        assert_eq!(in_locale("vi_VN", "%A, %-d %B %Y"), "Thứ Hai, 22 tháng 12 2014");
        assert_eq!(in_locale("vi", "%a %-d %b"), "Thứ 2 22 tháng 12");
        assert_eq!(in_locale("km_KH", "%-d %B %Y"), "22 ធ្នូ 2014");
        assert_eq!(in_locale("en_GB", "%A %-d %B"), "Monday 22 December");
        let bad = args(&[("locale", text("no such locale"))]);
        assert!(
            filter("date", &text("2014-12-22"), &bad)
                .unwrap_err()
                .contains("is not a locale")
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
