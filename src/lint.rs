//! The language lint of `mekong check`: ASCII digits and foreign number separators in the
//! prose of a language with its own digits, broken Khmer clusters, zero-width spaces and text
//! that is not NFC, each reported at `file:line:col` of the file as saved.

use crate::error::{Diagnostic, did_you_mean};
use crate::i18n::format::Formats;

/// Rules a page may silence with `[lint] allow = ["…"]` in its front matter.
pub const RULES: [&str; 5] = [
    ASCII_DIGITS,
    NUMBER_SEPARATORS,
    KHMER_COENG,
    ZERO_WIDTH_SPACE,
    NOT_NFC,
];
const ASCII_DIGITS: &str = "ascii-digits";
const NUMBER_SEPARATORS: &str = "number-separators";
const KHMER_COENG: &str = "khmer-coeng";
const ZERO_WIDTH_SPACE: &str = "zero-width-space";
const NOT_NFC: &str = "not-nfc";

const COENG: char = '\u{17D2}';
const ZWSP: char = '\u{200B}';

/// How a language writes numbers, read from its ICU formats.
pub struct NumberStyle {
    /// The language's digit zero (`០` for Khmer digits).
    zero: char,
    group: char,
    decimal: char,
    /// The language's name, for messages.
    name: String,
}

impl NumberStyle {
    /// The style of a language whose numbers are not written in ASCII digits; `None` for the
    /// others (their digits need no checking).
    pub fn of(formats: &Formats, name: &str) -> Option<NumberStyle> {
        let zero = formats.number(0.0, None).chars().next()?;
        if zero == '0' {
            return None;
        }
        // 1234.5 in the language, e.g. `១.២៣៤,៥`: the group separator, then the decimal one.
        let sample: Vec<char> = formats.number(1234.5, Some(1)).chars().collect();
        let group = *sample.get(1)?;
        let decimal = *sample.get(sample.len().checked_sub(2)?)?;
        Some(NumberStyle {
            zero,
            group,
            decimal,
            name: name.to_owned(),
        })
    }

    fn native(&self, digits: &str) -> String {
        digits
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(self.zero as u32 + d).unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    fn is_digit(&self, c: char) -> bool {
        c.is_ascii_digit()
            || (self.zero..=char::from_u32(self.zero as u32 + 9).unwrap_or(self.zero)).contains(&c)
    }
}

/// Lints one content file. `text` is the file exactly as saved (before NFC), `numbers` the
/// style of its language when that language has its own digits, `allow` the rules its front
/// matter silences.
pub fn lint_file(file: &str, text: &str, numbers: Option<&NumberStyle>, allow: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in allow {
        if !RULES.contains(&rule.as_str()) {
            let hint = match did_you_mean(rule, RULES) {
                Some(close) => format!("did you mean \"{close}\"? The rules are: {}", RULES.join(", ")),
                None => format!("the rules are: {}", RULES.join(", ")),
            };
            out.push(
                Diagnostic::warning(file, format!("[lint] allow names an unknown rule \"{rule}\""))
                    .hint(hint),
            );
        }
    }
    let allowed = |rule: &str| allow.iter().any(|a| a == rule);
    let mut in_front_matter = false;
    let mut fence: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if !allowed(NOT_NFC) {
            not_nfc(file, number, line, &mut out);
        }
        if !allowed(KHMER_COENG) || !allowed(ZERO_WIDTH_SPACE) {
            khmer_clusters(file, number, line, &allowed, &mut out);
        }
        // Which part of the line is prose.
        let trimmed = line.trim_start();
        if index == 0 && (line == "+++" || line == "---") {
            in_front_matter = true;
            continue;
        }
        if in_front_matter {
            if line == "+++" || line == "---" {
                in_front_matter = false;
            } else if let Some(numbers) = numbers
                && let Some(value) = prose_field(line)
            {
                prose_numbers(file, number, line, value, numbers, &allowed, &mut out);
            }
            continue;
        }
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        // Link reference definitions: `[label]: https://…`.
        if trimmed.starts_with('[') && trimmed.contains("]:") && !trimmed.starts_with("[^") {
            continue;
        }
        if let Some(numbers) = numbers {
            prose_numbers(file, number, line, 0..line.len(), numbers, &allowed, &mut out);
        }
    }
    out
}

/// The byte range of the quoted value of a `title` or `description` line of TOML or YAML.
fn prose_field(line: &str) -> Option<std::ops::Range<usize>> {
    let key = line.split(['=', ':']).next()?.trim();
    if key != "title" && key != "description" {
        return None;
    }
    let start = line.find(['=', ':'])? + 1;
    Some(start..line.len())
}

fn not_nfc(file: &str, line_number: usize, line: &str, out: &mut Vec<Diagnostic>) {
    let normalised = crate::text::nfc(line);
    if normalised == line {
        return;
    }
    let column = line
        .chars()
        .zip(normalised.chars())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| normalised.chars().count())
        + 1;
    out.push(
        Diagnostic::warning(file, "this text is not in Unicode NFC (letters and their accents are stored apart)")
            .at(line_number, column)
            .hint("mekong normalises it when building, but search tools and other programs may not: save the file as NFC (most editors have a setting), or retype the word"),
    );
}

fn khmer_clusters(
    file: &str,
    line_number: usize,
    line: &str,
    allowed: &dyn Fn(&str) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if c == COENG && !allowed(KHMER_COENG) && !next.is_some_and(is_khmer_consonant) {
            out.push(
                Diagnostic::warning(file, "a Khmer coeng (subscript sign ្) is not followed by a consonant")
                    .at(line_number, i + 1)
                    .hint("the coeng joins the next consonant below the one before it; delete it or type the consonant it was meant for"),
            );
        }
        if c == ZWSP && !allowed(ZERO_WIDTH_SPACE) {
            let previous = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            if previous.is_some_and(is_khmer) || next.is_some_and(is_khmer) {
                out.push(
                    Diagnostic::warning(file, "a zero-width space in Khmer text")
                        .at(line_number, i + 1)
                        .hint("browsers break Khmer lines by themselves, and the invisible space breaks search; delete it"),
                );
            }
        }
    }
}

fn is_khmer_consonant(c: char) -> bool {
    ('\u{1780}'..='\u{17A2}').contains(&c)
}

fn is_khmer(c: char) -> bool {
    ('\u{1780}'..='\u{17FF}').contains(&c) || ('\u{19E0}'..='\u{19FF}').contains(&c)
}

/// Checks the numbers in `range` of `line`, skipping code, URLs, link targets, HTML tags,
/// shortcodes and identifiers such as `22-NQ/TW`.
fn prose_numbers(
    file: &str,
    line_number: usize,
    line: &str,
    range: std::ops::Range<usize>,
    numbers: &NumberStyle,
    allowed: &dyn Fn(&str) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    let prose = mask_non_prose(line, range);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if !prose[at] || !numbers.is_digit(c) || (i > 0 && numbers.is_digit(chars[i - 1].1)) {
            i += 1;
            continue;
        }
        // The whole token around the number: one with Latin letters is an identifier.
        let token_start = chars[..i]
            .iter()
            .rposition(|(_, c)| c.is_whitespace())
            .map_or(0, |p| p + 1);
        let token_end = chars[i..]
            .iter()
            .position(|(_, c)| c.is_whitespace())
            .map_or(chars.len(), |p| i + p);
        let token: String = chars[token_start..token_end].iter().map(|(_, c)| *c).collect();
        if token
            .chars()
            .any(|c| c.is_alphabetic() && c.is_ascii() || is_latin_letter(c))
        {
            i = token_end;
            continue;
        }
        // The number: digits with separators between them.
        let mut end = i;
        while end < chars.len()
            && prose[chars[end].0]
            && (numbers.is_digit(chars[end].1)
                || (matches!(chars[end].1, '.' | ',')
                    && end + 1 < chars.len()
                    && numbers.is_digit(chars[end + 1].1)
                    && end > i))
        {
            end += 1;
        }
        let text: String = chars[i..end].iter().map(|(_, c)| *c).collect();
        let separators = separator_problem(&text, numbers);
        if text.chars().any(|c| c.is_ascii_digit()) && !allowed(ASCII_DIGITS) {
            // The suggestion also puts right separators written the English way round.
            let mut suggestion = numbers.native(&text);
            if separators.is_some() {
                suggestion = suggestion
                    .chars()
                    .map(|c| match c {
                        '.' => ',',
                        ',' => '.',
                        c => c,
                    })
                    .collect();
            }
            out.push(
                Diagnostic::warning(file, format!("ASCII digits \"{text}\" in {} text", numbers.name))
                    .at(line_number, i + 1)
                    .hint(format!(
                        "write the number in {} digits: \"{}\" (or add [lint] allow = [\"{ASCII_DIGITS}\"] to the front matter if it must stay)",
                        numbers.name, suggestion
                    )),
            );
        }
        if !allowed(NUMBER_SEPARATORS)
            && let Some((offset, message)) = separators
        {
            out.push(
                Diagnostic::warning(file, message)
                    .at(line_number, i + offset + 1)
                    .hint(format!(
                        "{} groups thousands with \"{}\" and writes decimals after \"{}\", e.g. {}",
                        numbers.name,
                        numbers.group,
                        numbers.decimal,
                        numbers.native(&format!("1{}137 and 89{}3", numbers.group, numbers.decimal))
                    )),
            );
        }
        i = end.max(i + 1);
    }
}

/// Vietnamese and other Latin letters beyond ASCII (`Đ` in `QĐ-UBND`).
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic() && ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// A separator in `number` that contradicts the language's convention: its position (in
/// characters) and what is wrong.
fn separator_problem(number: &str, style: &NumberStyle) -> Option<(usize, String)> {
    let chars: Vec<char> = number.chars().collect();
    let separators: Vec<(usize, char)> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, '.' | ','))
        .map(|(i, c)| (i, *c))
        .collect();
    let (&(last_at, last), rest) = separators.split_last()?;
    let digits_after = |at: usize| chars[at + 1..].iter().take_while(|c| style.is_digit(**c)).count();
    // Before the last separator every one must group three digits; otherwise it is a date or
    // a version number, not a quantity.
    if rest.iter().any(|(at, _)| digits_after(*at) != 3) {
        return None;
    }
    if let Some(&(at, c)) = rest.iter().find(|(_, c)| *c != style.group) {
        return Some((
            at,
            format!(
                "\"{c}\" groups thousands in \"{number}\", but {} groups them with \"{}\"",
                style.name, style.group
            ),
        ));
    }
    let groups = !rest.is_empty() || digits_after(last_at) == 3;
    if groups && last != style.group && (rest.is_empty() || last != style.decimal) {
        return Some((
            last_at,
            format!(
                "\"{last}\" groups thousands in \"{number}\", but {} groups them with \"{}\"",
                style.name, style.group
            ),
        ));
    }
    if !groups && last != style.decimal {
        return Some((
            last_at,
            format!(
                "\"{last}\" marks decimals in \"{number}\", but {} marks them with \"{}\"",
                style.name, style.decimal
            ),
        ));
    }
    None
}

/// For each byte of `line`: whether it is prose within `range` (not code, a URL, a link
/// target, an HTML tag, a shortcode or a footnote label).
fn mask_non_prose(line: &str, range: std::ops::Range<usize>) -> Vec<bool> {
    let mut prose = vec![false; line.len() + 1];
    for flag in &mut prose[range.clone()] {
        *flag = true;
    }
    let bytes = line.as_bytes();
    let mut hide = |from: usize, to: usize| {
        for flag in &mut prose[from..to.min(line.len())] {
            *flag = false;
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &line[i..];
        let skip_to = if rest.starts_with('`') {
            let ticks = rest.bytes().take_while(|b| *b == b'`').count();
            let fence = &rest[..ticks];
            rest[ticks..].find(fence).map(|end| i + ticks + end + ticks)
        } else if rest.starts_with("](") {
            rest.find(')').map(|end| i + end + 1)
        } else if rest.starts_with("[^") {
            rest.find(']').map(|end| i + end + 1)
        } else if rest.starts_with('<') {
            rest.find('>').map(|end| i + end + 1)
        } else if rest.starts_with("{{") || rest.starts_with("{%") {
            let close = if rest.starts_with("{{") { "}}" } else { "%}" };
            rest.find(close).map(|end| i + end + 2)
        } else if rest.starts_with("{#") {
            rest.find('}').map(|end| i + end + 1)
        } else if rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.") {
            Some(i + rest.find(char::is_whitespace).unwrap_or(rest.len()))
        } else {
            None
        };
        match skip_to {
            Some(end) => {
                hide(i, end);
                i = end;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    prose
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::DateStyle;
    use crate::i18n::format::icu_locale;

    fn khmer() -> NumberStyle {
        let formats = Formats::new(&icu_locale("km-KH", Some("khmr")).unwrap(), DateStyle::Long).unwrap();
        NumberStyle::of(&formats, "Khmer").unwrap()
    }

    fn positions(text: &str, allow: &[&str]) -> Vec<(usize, usize, String)> {
        let allow: Vec<String> = allow.iter().map(|s| (*s).to_owned()).collect();
        lint_file("a.km.md", text, Some(&khmer()), &allow)
            .into_iter()
            .map(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0), d.message))
            .collect()
    }

    #[test]
    fn khmer_number_style_comes_from_cldr() {
        let style = khmer();
        assert_eq!((style.zero, style.group, style.decimal), ('០', '.', ','));
        let vietnamese = Formats::new(&icu_locale("vi-VN", None).unwrap(), DateStyle::Long).unwrap();
        assert!(NumberStyle::of(&vietnamese, "Vietnamese").is_none());
    }

    #[test]
    fn ascii_digits_in_khmer_prose_are_found_but_not_in_code_links_or_identifiers() {
        let text = "+++\ntitle = \"ឆ្នាំ 2014\"\n+++\n\nសេចក្ដីសម្រេច 22-NQ/TW ឆ្នាំ ២០១៤ [តំណ](https://e.org/2014) `x = 5` ប្រវែង 130 គីឡូម៉ែត្រ[^1]\n\n```\nlet y = 7;\n```\n";
        let found = positions(text, &[]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (2, 16));
        assert_eq!((found[1].0, found[1].1), (5, 76));
        assert!(found[1].2.contains("\"130\""));
    }

    #[test]
    fn separators_follow_the_language() {
        let found = positions("ប្រវែង ១,១៣៧ និង ៨៩.៣ និង ៨៩,៣ និង ១.១៣៧ ថ្ងៃ ៣០.៦.២០១៤\n", &[]);
        let columns: Vec<usize> = found.iter().map(|f| f.1).collect();
        assert_eq!(columns, vec![9, 20], "{found:?}");
        assert!(found[0].2.contains("groups thousands"));
        assert!(found[1].2.contains("marks decimals"));
        // ASCII "1,137": both the digits and the comma are wrong.
        let allow: Vec<String> = Vec::new();
        let ascii = lint_file("a.km.md", "ប្រវែង 1,137 គីឡូម៉ែត្រ\n", Some(&khmer()), &allow);
        assert_eq!(ascii.len(), 2, "{ascii:?}");
        assert!(
            ascii[0].hint.as_deref().unwrap_or_default().contains("\"១.១៣៧\""),
            "{ascii:?}"
        );
    }

    #[test]
    fn broken_clusters_zero_width_spaces_and_decomposed_text_are_found() {
        let text = "ក\u{17D2} ខ\u{200B}គ\nVie\u{0323}\u{0302}t\n";
        let found = positions(text, &[]);
        let places: Vec<(usize, usize)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(places, vec![(1, 2), (1, 5), (2, 3)], "{found:?}");
    }

    #[test]
    fn a_page_silences_a_rule_and_hears_about_unknown_ones() {
        assert!(positions("ឆ្នាំ 2014\n", &["ascii-digits"]).is_empty());
        let found = positions("ឆ្នាំ ២០១៤\n", &["ascii-digit"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].2.contains("unknown rule"));
    }
}
