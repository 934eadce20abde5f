//! Code blocks as Zola writes them: ```` ```rust,linenos,linenostart=10,hl_lines=3-5 8,hide_lines=1-2,name=main.rs ````
//! — the language, line numbers, marked and hidden lines and a file name — highlighted by
//! syntect with CSS classes, in the HTML Zola 0.17–0.21 writes.

use super::escape_attribute;
use std::fmt::Write;
use std::ops::RangeInclusive;

use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// What the info string of a fenced code block asks for.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Fence<'a> {
    pub(crate) language: Option<&'a str>,
    pub(crate) line_numbers: bool,
    /// The number shown on the first line (`linenostart`); 1 unless set.
    pub(crate) first_number: usize,
    /// Lines wrapped in `<mark>` (`hl_lines`), counted from 1 in the source.
    pub(crate) marked: Vec<RangeInclusive<usize>>,
    /// Lines left out of the output (`hide_lines`), counted from 1 in the source.
    pub(crate) hidden: Vec<RangeInclusive<usize>>,
    /// A file name shown by the theme (`name`), as `data-name`.
    pub(crate) name: Option<&'a str>,
    /// Zola's `copy`: `data-copy` on `<pre>`, for a theme's copy button.
    pub(crate) copy: bool,
}

const OPTIONS_HINT: &str = "options come after the language, separated by commas: linenos, linenostart=10, \
     hl_lines=3-5 8, hide_lines=1-2, name=main.rs, copy";

/// Reads `rust,linenos,hl_lines=3-5 8`. Returns what is wrong with it, for the writer.
pub(crate) fn parse_fence(info: &str) -> Result<Fence<'_>, (String, &'static str)> {
    let mut fence = Fence {
        first_number: 1,
        ..Fence::default()
    };
    for token in info.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let Some((key, value)) = token.split_once('=') else {
            match token {
                "linenos" => fence.line_numbers = true,
                "copy" => fence.copy = true,
                language if fence.language.is_none() => fence.language = Some(language),
                other => {
                    return Err((format!("unknown code block option `{other}`"), OPTIONS_HINT));
                }
            }
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "linenostart" => {
                fence.first_number = value.parse().map_err(|_| {
                    (
                        format!("`linenostart` must be a whole number, not `{value}`"),
                        "write e.g. linenostart=10",
                    )
                })?;
            }
            "hl_lines" => fence.marked.extend(parse_ranges(key, value)?),
            "hide_lines" => fence.hidden.extend(parse_ranges(key, value)?),
            "name" if !value.is_empty() => fence.name = Some(value),
            "name" => return Err(("`name` is empty".to_owned(), "write e.g. name=main.rs")),
            _ => {
                return Err((format!("unknown code block option `{key}`"), OPTIONS_HINT));
            }
        }
    }
    Ok(fence)
}

/// `3-5 8`: line numbers and ranges separated by spaces; `5-3` is `3-5`, as in Zola.
fn parse_ranges(key: &str, value: &str) -> Result<Vec<RangeInclusive<usize>>, (String, &'static str)> {
    let malformed = || {
        (
            format!("`{key}` must list line numbers and ranges, not `{value}`"),
            "write e.g. hl_lines=3-5 8 (lines 3 to 5, and 8)",
        )
    };
    // `1 - 2` is a range too.
    let joined = value.replace(" -", "-").replace("- ", "-");
    let mut ranges = Vec::new();
    for part in joined.split_whitespace() {
        let number = |text: &str| text.trim().parse::<usize>().map_err(|_| malformed());
        let range = match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (number(from)?, number(to)?);
                from.min(to)..=from.max(to)
            }
            None => {
                let line = number(part)?;
                line..=line
            }
        };
        ranges.push(range);
    }
    if ranges.is_empty() {
        return Err(malformed());
    }
    Ok(ranges)
}

/// Writes the code block's HTML: Zola's `<pre data-lang … class="language-… hl-code"><code …>`,
/// with a `<table>` of numbered lines under `linenos` and `<mark>` around marked lines.
/// `syntaxes` is `None` when highlighting is off; `prefix` starts every highlighting class.
pub(crate) fn render(
    fence: &Fence<'_>,
    code: &str,
    syntaxes: Option<&SyntaxSet>,
    prefix: &'static str,
) -> String {
    let mut html = String::with_capacity(code.len() * 3 + 64);
    html.push_str("<pre");
    if fence.line_numbers {
        html.push_str(" data-linenos");
    }
    if fence.copy {
        html.push_str(" data-copy");
    }
    let language = fence.language.map(escape_attribute);
    let name = fence.name.map(escape_attribute);
    if let Some(language) = &language {
        let _ = write!(html, " data-lang=\"{language}\"");
    }
    if let Some(name) = &name {
        let _ = write!(html, " data-name=\"{name}\"");
    }
    let mut classes = Vec::new();
    if let Some(language) = &language {
        classes.push(format!("language-{language}"));
    }
    if syntaxes.is_some() {
        classes.push(format!("{prefix}code"));
    }
    if !classes.is_empty() {
        let _ = write!(html, " class=\"{}\"", classes.join(" "));
    }
    html.push_str("><code");
    if let Some(language) = &language {
        let _ = write!(html, " class=\"language-{language}\" data-lang=\"{language}\"");
    }
    if let Some(name) = &name {
        let _ = write!(html, " data-name=\"{name}\"");
    }
    html.push('>');

    let lines = match syntaxes {
        Some(syntaxes) => highlighted_lines(fence.language, code, syntaxes, prefix),
        None => LinesWithEndings::from(code).map(escape_text).collect(),
    };
    if fence.line_numbers {
        html.push_str("<table><tbody>");
    }
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        if fence.hidden.iter().any(|r| r.contains(&number)) {
            continue;
        }
        let marked = fence.marked.iter().any(|r| r.contains(&number));
        let push = |html: &mut String, text: &str| {
            if marked {
                let _ = write!(html, "<mark>{text}</mark>");
            } else {
                html.push_str(text);
            }
        };
        if fence.line_numbers {
            html.push_str("<tr><td>");
            push(&mut html, &fence.first_number.saturating_add(index).to_string());
            html.push_str("</td><td>");
            push(&mut html, line);
            html.push_str("</td></tr>");
        } else {
            push(&mut html, line);
        }
    }
    if fence.line_numbers {
        html.push_str("</tbody></table>");
    }
    html.push_str("</code></pre>\n");
    html
}

/// Each line of `code` as HTML whose `<span>`s open and close on that line, so a line can be
/// wrapped in `<mark>` or a table cell.
fn highlighted_lines(
    language: Option<&str>,
    code: &str,
    syntaxes: &SyntaxSet,
    prefix: &'static str,
) -> Vec<String> {
    let syntax = language
        .and_then(|l| syntaxes.find_syntax_by_token(l))
        .or_else(|| syntaxes.find_syntax_by_first_line(code))
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let style = ClassStyle::SpacedPrefixed { prefix };
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Vec::new();
    for line in LinesWithEndings::from(code) {
        let mut html = String::with_capacity(line.len() * 4);
        // Reopen the scopes still open from the lines before.
        for scope in stack.as_slice() {
            html.push_str("<span class=\"");
            for (i, atom) in scope.build_string().split('.').enumerate() {
                if i > 0 {
                    html.push(' ');
                }
                html.push_str(prefix);
                html.push_str(atom);
            }
            html.push_str("\">");
        }
        let open_before = stack.len() as isize;
        let spans = state
            .parse_line(line, syntaxes)
            .ok()
            .and_then(|ops| line_tokens_to_classed_spans(line, &ops, style, &mut stack).ok());
        match spans {
            Some((spans, opened)) => {
                html.push_str(&spans);
                for _ in 0..(open_before + opened).max(0) {
                    html.push_str("</span>");
                }
            }
            // A grammar that fails on a line: the rest of the block is plain text.
            None => {
                html.truncate(0);
                html.push_str(&escape_text(line));
                stack = ScopeStack::new();
                state = ParseState::new(syntaxes.find_syntax_plain_text());
            }
        }
        lines.push(html);
    }
    lines
}

/// Escaped as comrak escapes code, quotes included.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_first_and_options_follow() {
        let fence =
            parse_fence("rust,linenos,linenostart=10,hl_lines=3-5 8,hide_lines=1-2,name=main.rs").unwrap();
        assert_eq!(fence.language, Some("rust"));
        assert!(fence.line_numbers);
        assert_eq!(fence.first_number, 10);
        assert_eq!(fence.marked, vec![3..=5, 8..=8]);
        assert_eq!(fence.hidden, vec![1..=2]);
        assert_eq!(fence.name, Some("main.rs"));
    }

    #[test]
    fn ranges_are_read_as_zola_reads_them() {
        let fence = parse_fence("hl_lines=3-2,   hl_lines      = 1 - 2").unwrap();
        assert_eq!(fence.language, None);
        assert_eq!(fence.marked, vec![2..=3, 1..=2]);
    }

    #[test]
    fn a_bad_option_is_an_error_that_says_which() {
        assert!(
            parse_fence("rust,linenostart=ten")
                .unwrap_err()
                .0
                .contains("`ten`")
        );
        assert!(
            parse_fence("rust,hl_lines=a-b")
                .unwrap_err()
                .0
                .contains("hl_lines")
        );
        assert!(parse_fence("rust,hl_lines=").is_err());
        assert!(parse_fence("rust,linenoss").unwrap_err().0.contains("`linenoss`"));
        assert!(parse_fence("rust,colour=red").unwrap_err().0.contains("`colour`"));
    }

    #[test]
    fn numbered_marked_and_hidden_lines() {
        let fence = parse_fence("linenos,linenostart=7,hl_lines=2 9,hide_lines=3").unwrap();
        let html = render(&fence, "a\nb\nc\nd\n", None, "hl-");
        assert_eq!(
            html,
            "<pre data-linenos><code><table><tbody>\
             <tr><td>7</td><td>a\n</td></tr>\
             <tr><td><mark>8</mark></td><td><mark>b\n</mark></td></tr>\
             <tr><td>10</td><td>d\n</td></tr>\
             </tbody></table></code></pre>\n"
        );
    }

    #[test]
    fn the_largest_first_number_does_not_overflow() {
        let info = format!("linenos,linenostart={}", usize::MAX);
        let fence = parse_fence(&info).unwrap();
        assert!(render(&fence, "a\nb\n", None, "hl-").contains(&format!("<td>{}</td><td>b", usize::MAX)));
    }

    #[test]
    fn highlighted_lines_close_their_spans() {
        let syntaxes = SyntaxSet::load_defaults_newlines();
        let fence = parse_fence("rust,hl_lines=2").unwrap();
        let html = render(&fence, "/* a\nb */\nfn x() {}\n", Some(&syntaxes), "hl-");
        assert!(
            html.starts_with(
                "<pre data-lang=\"rust\" class=\"language-rust hl-code\"><code class=\"language-rust\" data-lang=\"rust\">"
            ),
            "{html}"
        );
        let marked = &html[html.find("<mark>").unwrap()..html.find("</mark>").unwrap()];
        assert!(
            marked.contains("hl-comment"),
            "the comment's scope is reopened: {marked}"
        );
        assert_eq!(
            marked.matches("<span").count(),
            marked.matches("</span>").count(),
            "{marked}"
        );
        assert!(
            html.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"),
            "{html}"
        );
        // A Zola site's stylesheet expects Zola's prefix.
        let zola = render(&fence, "fn x() {}\n", Some(&syntaxes), "z-");
        assert!(zola.contains("class=\"language-rust z-code\""), "{zola}");
        assert!(
            zola.contains("<span class=\"z-storage z-type z-function z-rust\">fn</span>"),
            "{zola}"
        );
        assert!(!zola.contains("hl-"), "{zola}");
    }
}
