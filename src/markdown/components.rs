//! Zola 0.23's components called from Markdown: `{{ <youtube id="x"/> }}` without a body and
//! `{% <callout type="note"> %}body{% </callout> %}` with one, rendered from the components
//! the site's Tera 2 templates define (`templates/components/<name>.html`).

use serde_json::{Map, Value};

use super::shortcodes::{CallError, parse_value};

/// A component call starting at `start` (`{{` or `{%` then `<`): its name, attributes, body and
/// end. `None` when the text there is no component call.
pub(crate) struct ComponentCall {
    pub(crate) name: String,
    pub(crate) args: Map<String, Value>,
    pub(crate) body: Option<String>,
    pub(crate) end: usize,
}

pub(crate) fn component_at(
    text: &str,
    start: usize,
    is_known: &dyn Fn(&str) -> bool,
) -> Option<Result<ComponentCall, CallError>> {
    let rest = &text[start..];
    let block = rest.starts_with("{%");
    let inner = rest[2..].trim_start_matches([' ', '\t']);
    let after_lt = inner.strip_prefix('<')?;
    let name_len = after_lt
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(after_lt.len());
    let name = &after_lt[..name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let error = |message: String, hint: &str| {
        Some(Err(CallError {
            offset: start,
            message,
            hint: hint.to_owned(),
        }))
    };
    let close = if block { "%}" } else { "}}" };
    let (args, self_closing, after_tag) = match parse_attributes(&after_lt[name_len..], close) {
        Ok(parsed) => parsed,
        Err(message) => {
            return error(
                format!("the component call `<{name} …>` is malformed: {message}"),
                "write attributes as name=\"text\", name=12 or name=true, separated by spaces, and \
                 end the call with `/> }}` (no body) or `> %}` (a body closed by `{% </name> %}`)",
            );
        }
    };
    let head_end = text.len() - after_tag.len();
    if !is_known(name) {
        return error(
            format!("unknown component `{name}`"),
            &format!(
                "check the spelling, or define it in templates/components/{name}.html with \
                 `{{% component {name}(…) %}}…{{% endcomponent {name} %}}`"
            ),
        );
    }
    match (block, self_closing) {
        (false, true) => Some(Ok(ComponentCall {
            name: name.to_owned(),
            args,
            body: None,
            end: head_end,
        })),
        (false, false) => error(
            format!("the component `{name}` is called in `{{{{ }}}}` without closing its tag"),
            &format!("write `{{{{ <{name} …/> }}}}`, or `{{% <{name} …> %}}…{{% </{name}> %}}` for a body"),
        ),
        (true, true) => error(
            format!("the component `{name}` is closed with `/>` inside `{{% %}}`"),
            &format!("a component without a body is called as `{{{{ <{name} …/> }}}}`"),
        ),
        (true, false) => match find_closing(text, head_end, name) {
            Some((body_end, end)) => Some(Ok(ComponentCall {
                name: name.to_owned(),
                args,
                body: Some(text[head_end..body_end].trim_matches('\n').to_owned()),
                end,
            })),
            None => error(
                format!("the component `{name}` has a body but no closing `{{% </{name}> %}}`"),
                &format!("close the body with a line `{{% </{name}> %}}`"),
            ),
        },
    }
}

/// Parses ` a="x" b=2 />  }}` (or `> %}`): the attributes, whether the tag closes itself,
/// and the text after the closing delimiter.
fn parse_attributes<'a>(text: &'a str, close: &str) -> Result<(Map<String, Value>, bool, &'a str), String> {
    let mut args = Map::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\n']);
        let (self_closing, after) = if let Some(after) = rest.strip_prefix("/>") {
            (true, after)
        } else if let Some(after) = rest.strip_prefix('>') {
            (false, after)
        } else {
            let key_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let key = &rest[..key_len];
            let Some(value_text) = rest[key_len..].strip_prefix('=').filter(|_| !key.is_empty()) else {
                let found: String = rest.chars().take(12).collect();
                return Err(format!("expected name=value, `/>` or `>`, found `{found}`"));
            };
            let (value, after) = attribute_value(value_text)?;
            args.insert(key.to_owned(), value);
            rest = after;
            continue;
        };
        let tail = after.trim_start_matches([' ', '\t']);
        return match tail.strip_prefix(close) {
            Some(after_close) => Ok((args, self_closing, after_close)),
            None => Err(format!("expected `{close}` after the tag")),
        };
    }
}

fn attribute_value(text: &str) -> Result<(Value, &str), String> {
    if text.starts_with(['"', '\'', '`', '[']) {
        return parse_value(text, 0);
    }
    if text.starts_with('{') {
        return Err(
            "`{…}` expressions are not evaluated in Markdown: give the value itself (\"text\", 12, true)"
                .to_owned(),
        );
    }
    let end = text
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(text.len());
    let (value, _) = parse_value(&text[..end], 0)?;
    Ok((value, &text[end..]))
}

/// Finds `{% </name> %}` after `from`; returns (start of the tag, end of the tag).
fn find_closing(text: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(found) = text[at..].find("{%") {
        let start = at + found;
        let inner = text[start + 2..].trim_start_matches([' ', '\t']);
        if let Some(rest) = inner.strip_prefix("</").and_then(|r| r.strip_prefix(name))
            && let Some(rest) = rest.trim_start_matches([' ', '\t']).strip_prefix('>')
            && let Some(after) = rest.trim_start_matches([' ', '\t']).strip_prefix("%}")
        {
            return Some((start, text.len() - after.len()));
        }
        at = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        name == "callout" || name == "youtube"
    }

    fn call(text: &str) -> ComponentCall {
        component_at(text, 0, &known).unwrap().unwrap()
    }

    fn error(text: &str) -> CallError {
        match component_at(text, 0, &known) {
            Some(Err(err)) => err,
            _ => panic!("no error for {text}"),
        }
    }

    #[test]
    fn a_self_closing_call_gives_its_attributes() {
        let text = "{{ <youtube id=\"x y\" start=12 autoplay=true tags=['a', 'b']/> }} after";
        let found = call(text);
        assert_eq!(found.name, "youtube");
        assert_eq!(found.args["id"], "x y");
        assert_eq!(found.args["start"], 12);
        assert_eq!(found.args["autoplay"], true);
        assert_eq!(found.args["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(found.body, None);
        assert_eq!(&text[found.end..], " after");
    }

    #[test]
    fn a_block_call_gives_its_body_up_to_its_closing_tag() {
        let text = "{% <callout type=\"note\"> %}\nSome *text*.\n{% </callout> %}\nNext";
        let found = call(text);
        assert_eq!(found.args["type"], "note");
        assert_eq!(found.body.as_deref(), Some("Some *text*."));
        assert_eq!(&text[found.end..], "\nNext");
    }

    #[test]
    fn mistakes_are_errors_with_a_hint() {
        assert!(
            error("{% <callout> %}\nno end")
                .message
                .contains("no closing `{% </callout> %}`")
        );
        assert!(error("{{ <callout> }}").hint.contains("{{ <callout …/> }}"));
        assert!(error("{% <youtube/> %}").hint.contains("{{ <youtube …/> }}"));
        assert!(
            error("{{ <yutube/> }}")
                .message
                .contains("unknown component `yutube`")
        );
        assert!(
            error("{{ <youtube id={page.id}/> }}")
                .message
                .contains("not evaluated")
        );
        assert!(
            error("{{ <youtube open/> }}")
                .message
                .contains("expected name=value")
        );
    }

    #[test]
    fn text_that_is_no_call_is_left_alone() {
        assert!(component_at("{{ < 3 }}", 0, &known).is_none());
        assert!(component_at("{{ name }}", 0, &known).is_none());
    }
}
