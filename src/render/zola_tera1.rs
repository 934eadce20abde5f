//! Zola 0.22 (and earlier) templates: a Tera 1 engine with Zola's functions and filters,
//! fed the same values as Tera 2 templates, as JSON.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::error::{Diagnostic, Error};
use crate::render::zola_filters;
use crate::render::zola_functions::{self, ZolaFunctions};

pub(crate) struct Tera1 {
    tera: tera1::Tera,
    /// Template name → its text, to find where a call that failed is written.
    texts: HashMap<String, String>,
}

/// Whether a template uses what only Tera 1 has: `{% macro %}` or `{% import %}`.
pub(crate) fn looks_like_tera1(text: &str) -> bool {
    text.split("{%").skip(1).any(|tag| {
        let tag = tag.trim_start_matches('-').trim_start();
        tag.starts_with("macro ") || tag.starts_with("import ")
    })
}

impl Tera1 {
    /// Loads `templates` (name, text), a later one replacing an earlier one of the same name
    /// (the site's over its theme's).
    pub(crate) fn load(
        templates: &[(String, String)],
        functions: &Arc<ZolaFunctions>,
    ) -> Result<Tera1, tera1::Error> {
        let mut tera = tera1::Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        register(&mut tera, functions);
        let texts: HashMap<String, String> = templates.iter().cloned().collect();
        tera.add_raw_templates(texts.iter().map(|(name, text)| (name.as_str(), text.as_str())))?;
        Ok(Tera1 { tera, texts })
    }

    /// An engine without templates, to report errors of a set that did not load.
    pub(crate) fn empty() -> Tera1 {
        Tera1 {
            tera: tera1::Tera::default(),
            texts: HashMap::new(),
        }
    }

    /// Gives the functions the site's values.
    pub(crate) fn attach(&mut self, functions: &Arc<ZolaFunctions>) {
        register(&mut self.tera, functions);
    }

    pub(crate) fn has_template(&self, name: &str) -> bool {
        self.texts.contains_key(name)
    }

    /// Renders `name` with `values` (Tera 2 values, as JSON).
    pub(crate) fn render(&self, name: &str, values: &[(&str, &tera::Value)]) -> Result<String, tera1::Error> {
        let mut context = tera1::Context::new();
        for (key, value) in values {
            context.insert(*key, value);
        }
        self.tera.render(name, &context)
    }

    /// A Tera 1 error as `template:line:col: message` when the position is known: Tera 1
    /// gives it for syntax errors; for a failed call, the call's place is given when the
    /// template writes it once.
    pub(crate) fn error(&self, shown: impl Fn(&str) -> String, err: &tera1::Error, what: &str) -> Error {
        let mut messages = Vec::new();
        let mut source: Option<&dyn std::error::Error> = Some(err);
        while let Some(current) = source {
            messages.push(current.to_string());
            source = current.source();
        }
        // "Failed to render 'page.html' (error happened in 'base.html')."
        let first = messages.first().cloned().unwrap_or_default();
        let quoted = |text: &str, after: &str| -> Option<String> {
            let start = text.find(after)? + after.len();
            let end = text[start..].find('\'')? + start;
            Some(text[start..end].to_owned())
        };
        // In a macro: "… error while rendering macro `m::card`"; the macro's own file is
        // where the mistake is.
        let in_macro = first
            .split_once("error while rendering macro `")
            .and_then(|(_, rest)| rest.split('`').next())
            .and_then(|call| call.rsplit("::").next())
            .and_then(|name| self.defining(name));
        let template = in_macro
            .or_else(|| quoted(&first, "(error happened in '"))
            .or_else(|| quoted(&first, "Failed to render '"))
            .or_else(|| quoted(&first, "Failed to parse '"));
        // The innermost message says what is wrong; a syntax error carries ` --> line:col`.
        let detail = messages.last().cloned().unwrap_or_default();
        let mut position = detail.lines().find_map(|line| {
            let at = line.trim_start().strip_prefix("--> ")?;
            let (line, column) = at.split_once(':')?;
            Some((
                line.trim().parse::<usize>().ok()?,
                column.trim().parse::<usize>().ok()?,
            ))
        });
        let call = messages
            .iter()
            .find_map(|m| quoted(m, "Function call '").or_else(|| quoted(m, "Filter call '")));
        if position.is_none()
            && let (Some(template), Some(call)) = (&template, &call)
            && let Some(text) = self.texts.get(template)
        {
            position = only_place(text, call);
        }
        let message = if detail.contains("\n") {
            // Tera 1's syntax errors draw the line; the expectation is on the last line.
            let expected = detail.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
            format!("syntax error: {}", expected.trim().trim_start_matches("= "))
        } else {
            detail
        };
        let Some(template) = template else {
            return Error::new(Diagnostic::error("templates", format!("{what}: {message}")));
        };
        let mut diagnostic = Diagnostic::error(shown(&template), message).hint(
            "Zola 0.22 templates are Tera 1: see https://keats.github.io/tera/docs/ and the README's \"Coming from Zola\"",
        );
        if let Some((line, column)) = position {
            diagnostic = diagnostic.at(line, column);
        }
        Error::new(diagnostic)
    }
}

impl Tera1 {
    /// The one template that defines macro `name`.
    fn defining(&self, name: &str) -> Option<String> {
        let mut found = self.texts.iter().filter(|(_, text)| {
            text.split("{%").skip(1).any(|tag| {
                let tag = tag.trim_start_matches('-').trim_start();
                tag.strip_prefix("macro ")
                    .is_some_and(|rest| rest.trim_start().starts_with(&format!("{name}(")))
            })
        });
        let (template, _) = found.next()?;
        found.next().is_none().then(|| template.clone())
    }
}

/// Line and column of `name(` in `text` when it is written there exactly once.
fn only_place(text: &str, name: &str) -> Option<(usize, usize)> {
    let needle = format!("{name}(");
    let mut found = text.match_indices(&needle).filter(|(at, _)| {
        // A whole name: `trans(`, not `my_trans(`.
        text[..*at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    });
    let (at, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some((line, column))
}

/// A Zola filter for Tera 1, which knows whether its output is HTML already.
struct ZolaFilter {
    name: &'static str,
    safe: bool,
}

impl tera1::Filter for ZolaFilter {
    fn filter(&self, value: &Json, args: &HashMap<String, Json>) -> tera1::Result<Json> {
        let args: zola_functions::Args = args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        zola_filters::filter(self.name, value, &args).map_err(tera1::Error::msg)
    }

    fn is_safe(&self) -> bool {
        self.safe
    }
}

fn register(tera: &mut tera1::Tera, functions: &Arc<ZolaFunctions>) {
    for name in zola_functions::FUNCTIONS {
        let functions = functions.clone();
        tera.register_function(name, move |args: &HashMap<String, Json>| -> tera1::Result<Json> {
            let args: zola_functions::Args = args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            let value = functions.call(name, &args).map_err(tera1::Error::msg)?;
            serde_json::to_value(&value).map_err(|err| tera1::Error::msg(err.to_string()))
        });
    }
    // Tera 1 has the others of TERA1_FILTERS built in.
    for (name, safe) in zola_filters::FILTERS {
        tera.register_filter(name, ZolaFilter { name, safe: *safe });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_and_imports_mark_tera_1_templates() {
        assert!(looks_like_tera1("{% import \"macros.html\" as m %}"));
        assert!(looks_like_tera1("x {%- macro card(page) -%}"));
        assert!(!looks_like_tera1("{% component card(page) %}{% endcomponent %}"));
        assert!(!looks_like_tera1("{{ macro }}"));
    }

    #[test]
    fn a_call_is_placed_only_when_written_once() {
        assert_eq!(only_place("<p>\n  {{ trans(key=\"a\") }}", "trans"), Some((2, 6)));
        assert_eq!(only_place("{{ trans() }}{{ trans() }}", "trans"), None);
        assert_eq!(
            only_place("{{ my_trans() }}{{ trans() }}", "trans"),
            Some((1, 20))
        );
    }
}
