//! Footnotes in the page's language: comrak writes "Back to reference 1" and ASCII numbers on
//! every page, with no option to change them, so its footnote HTML is rewritten here.

use super::ShortcodeRenderer;
use super::escape_attribute;
use crate::config::LangId;

/// UI string of a footnote's back-link label; `$number` is the footnote's number.
pub(crate) const BACK_LABEL_KEY: &str = "footnote-back";

/// Rewrites comrak's footnote references and back-links in `html` for language `lang`.
pub(crate) fn localise(html: &str, lang: LangId, strings: &dyn ShortcodeRenderer) -> String {
    if !html.contains("data-footnote-ref") {
        return html.to_owned();
    }
    // `1` or `1-2` (second reference to footnote 1) in the language's digits.
    let digits = |text: &str| -> String {
        text.split('-')
            .map(|part| {
                part.parse::<u64>()
                    .map_or_else(|_| part.to_owned(), |n| strings.integer(n, lang))
            })
            .collect::<Vec<_>>()
            .join("-")
    };
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let reference = rest.find("data-footnote-ref>");
        let label = rest.find("aria-label=\"Back to reference ");
        let backref_number = rest.find("↩<sup class=\"footnote-ref\">");
        let Some((at, kind)) = [(reference, 0), (label, 1), (backref_number, 2)]
            .into_iter()
            .filter_map(|(at, kind)| at.map(|at| (at, kind)))
            .min()
        else {
            out.push_str(rest);
            return out;
        };
        let (prefix, close) = match kind {
            0 => ("data-footnote-ref>", "</a>"),
            1 => ("aria-label=\"Back to reference ", "\""),
            _ => ("↩<sup class=\"footnote-ref\">", "</sup>"),
        };
        let start = at + prefix.len();
        let Some(len) = rest[start..].find(close) else {
            out.push_str(rest);
            return out;
        };
        let number = &rest[start..start + len];
        out.push_str(&rest[..at]);
        if kind == 1 {
            let shown = digits(number);
            let text = strings
                .ui_string(BACK_LABEL_KEY, lang, &[("number", &shown)])
                .unwrap_or_else(|| format!("Back to reference {shown}"));
            out.push_str("aria-label=\"");
            out.push_str(&escape_attribute(&text));
        } else {
            out.push_str(prefix);
            out.push_str(&digits(number));
        }
        rest = &rest[start + len..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Khmer;

    impl ShortcodeRenderer for Khmer {
        fn is_shortcode(&self, _: &str) -> bool {
            false
        }
        fn render_shortcode(
            &self,
            _: &crate::markdown::shortcodes::Invocation<'_>,
        ) -> Result<String, String> {
            Err(String::new())
        }
        fn ui_string(&self, key: &str, _: LangId, args: &[(&str, &str)]) -> Option<String> {
            (key == BACK_LABEL_KEY).then(|| format!("ត្រឡប់ទៅឯកសារយោងទី{}", args[0].1))
        }
        fn integer(&self, value: u64, _: LangId) -> String {
            value
                .to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + 0x17E0).unwrap_or(c))
                .collect()
        }
    }

    #[test]
    fn footnote_numbers_and_back_links_speak_khmer() {
        let html = "<p>ក<sup class=\"footnote-ref\"><a href=\"#fn-a\" id=\"fnref-a\" data-footnote-ref>1</a></sup> ខ<sup class=\"footnote-ref\"><a href=\"#fn-a\" id=\"fnref-a-2\" data-footnote-ref>1</a></sup></p>\n<section class=\"footnotes\" data-footnotes>\n<ol>\n<li id=\"fn-a\">\n<p>គ <a href=\"#fnref-a\" class=\"footnote-backref\" data-footnote-backref data-footnote-backref-idx=\"1\" aria-label=\"Back to reference 1\">↩</a> <a href=\"#fnref-a-2\" class=\"footnote-backref\" data-footnote-backref data-footnote-backref-idx=\"1-2\" aria-label=\"Back to reference 1-2\">↩<sup class=\"footnote-ref\">2</sup></a></p>\n</li>\n</ol>\n</section>\n";
        let out = localise(html, LangId::at(2), &Khmer);
        assert!(!out.contains("Back to reference"), "{out}");
        assert!(out.contains("data-footnote-ref>១</a>"), "{out}");
        assert!(out.contains("aria-label=\"ត្រឡប់ទៅឯកសារយោងទី១\""), "{out}");
        assert!(out.contains("aria-label=\"ត្រឡប់ទៅឯកសារយោងទី១-២\""), "{out}");
        assert!(out.contains("↩<sup class=\"footnote-ref\">២</sup>"), "{out}");
        // Ids and link targets keep their ASCII.
        assert!(out.contains("href=\"#fnref-a-2\"") && out.contains("data-footnote-backref-idx=\"1-2\""));
    }
}
