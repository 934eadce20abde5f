//! Text measures shared by the pipeline: NFC normalisation and word counts that understand Khmer.

use std::borrow::Cow;

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The text in Unicode NFC (editors on some systems save decomposed Vietnamese).
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Words in `text`. Khmer is written without spaces between words, so words are found by
/// dictionary segmentation; Vietnamese counts syllables, as its writers do.
pub fn word_count(text: &str) -> usize {
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let mut words = 0;
    let mut iter = segmenter.segment_str(text);
    while iter.next().is_some() {
        if iter.is_word_like() {
            words += 1;
        }
    }
    words
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

    #[test]
    fn khmer_words_are_counted_without_spaces() {
        // "Cambodia and Vietnam cooperate" written as Khmer runs without spaces.
        let khmer = "កម្ពុជានិងវៀតណាមសហការគ្នា";
        assert!(word_count(khmer) >= 4, "{}", word_count(khmer));
        assert_eq!(word_count("Hoạt động đối ngoại, 2014."), 5);
    }
}
