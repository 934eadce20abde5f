//! Zola-style shortcodes in Markdown: `{{ name(arg=…) }}` inline and
//! `{% name(arg=…) %}body{% end %}`, expanded from `templates/shortcodes/<name>.html`, and
//! Zola's escapes `{{/* name() */}}` and `{%/* name() */%}…{%/* end */%}`, shown as written
//! without the comment marks.

use crate::config::LangId;
use serde_json::{Map, Value};

/// What Markdown rendering asks of the template layer: shortcode templates, and the UI strings
/// and digits of the text it adds itself (footnote labels and numbers). Implemented by the
/// template renderer.
pub trait ShortcodeRenderer: Sync {
    fn is_shortcode(&self, name: &str) -> bool;
    /// Renders one call of a shortcode template.
    fn render_shortcode(&self, call: &Invocation<'_>) -> Result<String, String>;

    /// The site's own anchor link (Zola's `anchor-link.html`) for the heading `id` of `level`,
    /// rendered; `None` when the site has none and the default link is written.
    fn anchor_link(&self, _id: &str, _level: u8, _lang: LangId) -> Option<Result<String, String>> {
        None
    }

    /// Whether shortcode `name` writes Markdown (Zola's `shortcodes/<name>.md`), which goes
    /// into the page's text before it is rendered, rather than HTML.
    fn is_markdown_shortcode(&self, _name: &str) -> bool {
        false
    }

    /// Whether the site's templates define component `name` (Zola 0.23, Tera 2).
    fn is_component(&self, _name: &str) -> bool {
        false
    }

    /// Renders one call of a component from the Markdown.
    fn render_component(&self, call: &Invocation<'_>) -> Result<String, String> {
        Err(format!("no component `{}`", call.name))
    }

    /// The UI string `key` in language `lang` with text arguments; `None` when there is none.
    fn ui_string(&self, _key: &str, _lang: LangId, _args: &[(&str, &str)]) -> Option<String> {
        None
    }

    /// A whole number as language `lang` writes it (in its own digits).
    fn integer(&self, value: u64, _lang: LangId) -> String {
        value.to_string()
    }
}

/// One shortcode call as its template gets it.
pub struct Invocation<'a> {
    pub name: &'a str,
    pub args: &'a Map<String, Value>,
    /// The body of a block shortcode.
    pub body: Option<&'a str>,
    pub lang: LangId,
    /// How many times this shortcode has been called in this text so far, this call included.
    pub nth: usize,
    /// A Zola site's `page` or `section` (the name and its value) as Zola gives it to
    /// shortcodes; `None` for mekong's sites.
    pub owner: Option<(&'a str, &'a tera::Value)>,
}

/// A shortcode call found in the text.
#[derive(Debug, PartialEq)]
pub(crate) struct Call {
    pub(crate) name: String,
    pub(crate) args: Map<String, Value>,
    pub(crate) body: Option<String>,
    /// Byte range of the whole call in the text.
    pub(crate) range: std::ops::Range<usize>,
    /// A Zola 0.23 component (`{{ <name …/> }}`), not a shortcode.
    pub(crate) component: bool,
}

/// What the text holds at a range: a call to expand, or an escaped call to show as written.
#[derive(Debug, PartialEq)]
pub(crate) enum Found {
    Call(Call),
    /// `{{/* name() */}}`: the text `{{ name() }}` replaces the range.
    Literal {
        range: std::ops::Range<usize>,
        text: String,
    },
}

/// A malformed or unknown shortcode, at a byte offset of the text.
#[derive(Debug, PartialEq)]
pub(crate) struct CallError {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) hint: String,
}

/// Finds shortcode calls outside code blocks and code spans, and escaped calls everywhere
/// (Zola's escapes are how documentation shows a call inside code).
pub(crate) fn find_calls(
    text: &str,
    is_known: &dyn Fn(&str) -> bool,
    is_component: &dyn Fn(&str) -> bool,
) -> Result<Vec<Found>, CallError> {
    let code = code_ranges(text);
    let mut calls = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find(['{']) {
        let start = at + found;
        at = start + 1;
        if let Some(escaped) = escape_at(text, start) {
            let (range, literal) = escaped?;
            at = range.end;
            calls.push(Found::Literal { range, text: literal });
            continue;
        }
        if code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let rest = &text[start..];
        let block = rest.starts_with("{%");
        if !block && !rest.starts_with("{{") {
            continue;
        }
        if let Some(component) = super::components::component_at(text, start, is_component) {
            let component = component?;
            calls.push(Found::Call(Call {
                name: component.name,
                args: component.args,
                body: component.body.as_deref().map(unescape),
                range: start..component.end,
                component: true,
            }));
            at = component.end;
            continue;
        }
        let Some((name, args_text, after)) = parse_head(&rest[2..], if block { "%}" } else { "}}" }) else {
            continue;
        };
        if block && name == "end" {
            continue;
        }
        if !is_known(name) {
            return Err(CallError {
                offset: start,
                message: format!("unknown shortcode `{name}`"),
                hint: format!("check the spelling, or add the template templates/shortcodes/{name}.html"),
            });
        }
        let args = parse_args(args_text).map_err(|message| CallError {
            offset: start,
            message: format!("the arguments of shortcode `{name}` are malformed: {message}"),
            hint: "write arguments as name=\"text\", name=12 or name=true, separated by commas".to_owned(),
        })?;
        let head_end = start + 2 + after;
        let (body, end) = if block {
            let Some((body_end, end)) = find_end(text, head_end) else {
                return Err(CallError {
                    offset: start,
                    message: format!("shortcode `{name}` has a body but no closing `{{% end %}}`"),
                    hint: "close the body with a line `{% end %}`".to_owned(),
                });
            };
            (Some(unescape(text[head_end..body_end].trim_matches('\n'))), end)
        } else {
            (None, head_end)
        };
        calls.push(Found::Call(Call {
            name: name.to_owned(),
            args,
            body,
            range: start..end,
            component: false,
        }));
        at = end;
    }
    Ok(calls)
}

/// An escaped call starting at `start`: its range and the text shown for it. `None` when
/// there is none there (`{{/* not a call */}}` is text, as in Zola).
fn escape_at(text: &str, start: usize) -> Option<Result<(std::ops::Range<usize>, String), CallError>> {
    let rest = &text[start..];
    if let Some(after) = rest.strip_prefix("{{/*") {
        let (name, _, consumed) = parse_head(after, "*/}}")?;
        if name == "end" {
            return None;
        }
        let inner = &after[..consumed - "*/}}".len()];
        return Some(Ok((start..start + 4 + consumed, format!("{{{{{inner}}}}}"))));
    }
    let after = rest.strip_prefix("{%/*")?;
    let (name, _, consumed) = parse_head(after, "*/%}")?;
    if name == "end" {
        return None;
    }
    let head_end = start + 4 + consumed;
    let Some((end_start, end)) = find_escaped_end(text, head_end) else {
        return Some(Err(CallError {
            offset: start,
            message: format!(
                "the escaped shortcode `{{%/* {name}(…) */%}}` has no closing `{{%/* end */%}}`"
            ),
            hint:
                "close it with `{%/* end */%}`, as the shortcode itself is closed with `{% end %}`; to show \
                   an inline call, write `{{/* name() */}}`"
                    .to_owned(),
        }));
    };
    let head = &after[..consumed - "*/%}".len()];
    let body = &text[head_end..end_start];
    let end_inner = &text[end_start + 4..end - "*/%}".len()];
    Some(Ok((start..end, format!("{{%{head}%}}{body}{{%{end_inner}%}}"))))
}

/// Finds `{%/* end */%}` after `from`; returns (start of the tag, end of the tag).
fn find_escaped_end(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(found) = text[at..].find("{%/*") {
        let start = at + found;
        let inner = text[start + 4..].trim_start();
        if let Some(rest) = inner.strip_prefix("end")
            && let Some(after) = rest.trim_start().strip_prefix("*/%}")
        {
            return Some((start, text.len() - after.len()));
        }
        at = start + 4;
    }
    None
}

/// `text` with its escaped calls shown as written (the body of a shortcode, which Zola
/// unescapes too); an unclosed escape stays as it is.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        at = start + 1;
        if let Some(Ok((range, literal))) = escape_at(text, start) {
            out.push_str(&text[copied..range.start]);
            out.push_str(&literal);
            copied = range.end;
            at = range.end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// After `{{`/`{%`: ` name(args) }}`. Returns the name, the argument text, and the byte
/// length consumed including the closing delimiter.
fn parse_head<'a>(text: &'a str, close: &str) -> Option<(&'a str, &'a str, usize)> {
    let trimmed = text.trim_start_matches([' ', '\t']);
    let skipped = text.len() - trimmed.len();
    let name_len = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(trimmed.len());
    let name = &trimmed[..name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if name == "end" {
        let after = trimmed[name_len..].trim_start();
        return after.starts_with(close).then_some((name, "", 0));
    }
    let after_name = &trimmed[name_len..];
    let paren = after_name.trim_start_matches([' ', '\t']);
    if !paren.starts_with('(') {
        return None;
    }
    let close_paren = matching_paren(paren)?;
    let args = &paren[1..close_paren];
    let after_args = &paren[close_paren + 1..];
    let tail = after_args.trim_start_matches([' ', '\t']);
    if !tail.starts_with(close) {
        return None;
    }
    let consumed = skipped
        + name_len
        + (after_name.len() - paren.len())
        + close_paren
        + 1
        + (after_args.len() - tail.len())
        + close.len();
    Some((name, args, consumed))
}

/// Index of the `)` closing the `(` at 0, skipping quoted strings.
fn matching_paren(text: &str) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            '\n' => return None,
            _ => {}
        }
    }
    None
}

/// Finds `{% end %}` after `from`; returns (start of the tag, end of the tag).
fn find_end(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(found) = text[at..].find("{%") {
        let start = at + found;
        let inner = text[start + 2..].trim_start_matches([' ', '\t']);
        if let Some(rest) = inner.strip_prefix("end") {
            let rest_trimmed = rest.trim_start_matches([' ', '\t']);
            if let Some(after) = rest_trimmed.strip_prefix("%}") {
                return Some((start, text.len() - after.len()));
            }
        }
        at = start + 2;
    }
    None
}

fn parse_args(text: &str) -> Result<Map<String, Value>, String> {
    let mut args = Map::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            return Err(format!("expected name=value, found `{rest}`"));
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{key}` is not an argument name"));
        }
        let (value, after) = parse_value(after.trim_start(), 0)?;
        args.insert(key.to_owned(), value);
        rest = after.trim_start();
        if let Some(after_comma) = rest.strip_prefix(',') {
            rest = after_comma.trim_start();
        } else if !rest.is_empty() {
            return Err(format!("expected `,` before `{rest}`"));
        }
    }
    Ok(args)
}

/// Lists inside lists deeper than this are refused rather than parsed: the parser recurses.
const MAX_LIST_DEPTH: usize = 32;

pub(super) fn parse_value(text: &str, depth: usize) -> Result<(Value, &str), String> {
    // Strings in double quotes, single quotes or backticks, as Tera writes them.
    if let Some(quote) = text.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) {
        let mut value = String::new();
        let mut escaped = false;
        for (i, c) in text.char_indices().skip(1) {
            if escaped {
                value.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == quote {
                return Ok((Value::String(value), &text[i + 1..]));
            } else {
                value.push(c);
            }
        }
        return Err("a string is not closed".to_owned());
    }
    if let Some(inner) = text.strip_prefix('[') {
        if depth >= MAX_LIST_DEPTH {
            return Err(format!("lists are nested more than {MAX_LIST_DEPTH} deep"));
        }
        let mut items = Vec::new();
        let mut rest = inner.trim_start();
        loop {
            if let Some(after) = rest.strip_prefix(']') {
                return Ok((Value::Array(items), after));
            }
            let (item, after) = parse_value(rest, depth + 1)?;
            items.push(item);
            rest = after.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
            if rest.is_empty() {
                return Err("a list is not closed with `]`".to_owned());
            }
        }
    }
    let end = text.find([',', ']']).unwrap_or(text.len());
    let word = text[..end].trim();
    let value = match word {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => {
            if let Ok(i) = word.parse::<i64>() {
                Value::from(i)
            } else if let Ok(f) = word.parse::<f64>() {
                Value::from(f)
            } else {
                return Err(format!("`{word}` is not a string, number or true/false"));
            }
        }
    };
    Ok((value, &text[end..]))
}

/// Byte ranges of fenced code blocks and inline code spans, where shortcodes are text.
fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut offset = 0;
    let mut fence: Option<(String, usize)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
        match &fence {
            Some((open, start)) => {
                if marker.len() >= open.len()
                    && marker.starts_with(&open[..1])
                    && trimmed[marker.len()..].trim().is_empty()
                {
                    ranges.push(*start..offset + line.len());
                    fence = None;
                }
            }
            None => {
                if marker.len() >= 3 && (marker.chars().all(|c| c == '`') || marker.chars().all(|c| c == '~'))
                {
                    fence = Some((marker, offset));
                } else {
                    inline_code(line, offset, &mut ranges);
                }
            }
        }
        offset += line.len();
    }
    if let Some((_, start)) = fence {
        ranges.push(start..text.len());
    }
    ranges
}

fn inline_code(line: &str, offset: usize, ranges: &mut Vec<std::ops::Range<usize>>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            let ticks = &line[i..i + run];
            if let Some(close) = line[i + run..].find(ticks) {
                let end = i + run + close + run;
                ranges.push(offset + i..offset + end);
                i = end;
                continue;
            }
            i += run;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        name == "youtube" || name == "note"
    }

    fn calls(text: &str) -> Vec<Call> {
        find_calls(text, &known, &|_| false)
            .unwrap()
            .into_iter()
            .filter_map(|f| match f {
                Found::Call(call) => Some(call),
                Found::Literal { .. } => None,
            })
            .collect()
    }

    /// The text with escapes shown as written, and the names of the calls.
    fn expand(text: &str) -> (String, Vec<String>) {
        let mut out = String::new();
        let mut names = Vec::new();
        let mut copied = 0;
        for found in find_calls(text, &known, &|_| false).unwrap() {
            match found {
                Found::Call(call) => {
                    out.push_str(&text[copied..call.range.start]);
                    out.push_str("CALL");
                    names.push(call.name);
                    copied = call.range.end;
                }
                Found::Literal { range, text: literal } => {
                    out.push_str(&text[copied..range.start]);
                    out.push_str(&literal);
                    copied = range.end;
                }
            }
        }
        out.push_str(&text[copied..]);
        (out, names)
    }

    #[test]
    fn escaped_calls_are_shown_as_written_even_in_code() {
        let text = "{{/* youtube(id=\"x\") */}} and `{{/* note() */}}`\n```\n{%/* note(kind=\"a\") */%}\nBody {{ youtube() }}\n{%/* end */%}\n```\n";
        let (out, names) = expand(text);
        assert_eq!(
            out,
            "{{ youtube(id=\"x\") }} and `{{ note() }}`\n```\n{% note(kind=\"a\") %}\nBody {{ youtube() }}\n{% end %}\n```\n"
        );
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn an_escaped_body_hides_the_calls_in_it_and_a_real_call_after_it_runs() {
        let (out, names) = expand("{%/* note() */%}{{ youtube() }}{%/* end */%} {{ youtube() }}");
        assert_eq!(out, "{% note() %}{{ youtube() }}{% end %} CALL");
        assert_eq!(names, ["youtube"]);
    }

    #[test]
    fn escapes_in_a_body_are_unescaped_for_the_template() {
        let found = calls("{% note() %}\nUse {{/* youtube(id=1) */}}.\n{% end %}");
        assert_eq!(found[0].body.as_deref(), Some("Use {{ youtube(id=1) }}."));
    }

    #[test]
    fn an_unclosed_escape_is_an_error_at_its_offset() {
        let err = find_calls("ab\n{%/* note() */%}\nno end", &known, &|_| false).unwrap_err();
        assert_eq!(err.offset, 3);
        assert!(
            err.message.contains("no closing `{%/* end */%}`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn comment_marks_around_what_is_no_call_stay_text() {
        let (out, names) = expand("{{/* not a call */}} {%/* end */%}");
        assert_eq!(out, "{{/* not a call */}} {%/* end */%}");
        assert!(names.is_empty());
    }

    #[test]
    fn inline_and_block_calls_are_found_with_their_arguments() {
        let text =
            "A {{ youtube(id=\"abc\", autoplay=true, n=3) }} B\n{% note(kind='info') %}\nHello\n{% end %}\n";
        let calls = calls(text);
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "youtube");
        assert_eq!(calls[0].args["id"], "abc");
        assert_eq!(calls[0].args["autoplay"], true);
        assert_eq!(
            &text[calls[0].range.clone()],
            "{{ youtube(id=\"abc\", autoplay=true, n=3) }}"
        );
        assert_eq!(calls[1].body.as_deref(), Some("Hello"));
        assert_eq!(calls[1].args["kind"], "info");
    }

    #[test]
    fn calls_in_code_are_left_alone() {
        let text = "`{{ youtube(id=\"x\") }}`\n```\n{{ youtube(id=\"y\") }}\n```\n";
        assert!(calls(text).is_empty());
    }

    #[test]
    fn backtick_strings_are_arguments_too() {
        let found = calls("See {{ youtube(id=`a \"quoted\" (id)`, n=2) }} here, and `code`.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].args["id"], "a \"quoted\" (id)");
        assert_eq!(found[0].args["n"], 2);
    }

    #[test]
    fn template_like_text_that_is_no_call_is_left_alone() {
        assert!(calls("{{ not a call }} and { braces }").is_empty());
    }

    #[test]
    fn deeply_nested_list_arguments_are_an_error_not_a_crash() {
        let deep = format!("{{{{ note(a={}{}) }}}}", "[".repeat(5429), "]".repeat(5429));
        let err = find_calls(&deep, &known, &|_| false).unwrap_err();
        assert!(
            err.message.contains("nested more than 32 deep"),
            "{}",
            err.message
        );
        let fine = format!("{{{{ note(a={}{}) }}}}", "[".repeat(32), "]".repeat(32));
        assert!(find_calls(&fine, &known, &|_| false).is_ok());
    }

    #[test]
    fn an_unknown_shortcode_is_an_error_at_its_offset() {
        let err = find_calls("ab {{ yutube(id=\"x\") }}", &known, &|_| false).unwrap_err();
        assert_eq!(err.offset, 3);
        assert!(err.message.contains("yutube"));
    }
}
