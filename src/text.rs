//! Text measures shared by the pipeline: NFC normalisation and reading time. (Words are
//! counted where the search index segments the text: `search::analyze`.)

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The text in Unicode NFC (editors on some systems save decomposed Vietnamese).
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Minutes to read `words` at an unhurried news-reading pace, never less than one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(200).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_vietnamese_becomes_composed() {
        let decomposed: String = "Đắk Nông".nfd().collect();
        assert_ne!(decomposed, "Đắk Nông");
        assert_eq!(nfc(&decomposed), "Đắk Nông");
    }
}
