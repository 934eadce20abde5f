//! Text to search terms, the same way at build time (here) and in the browser (search.js):
//! NFC, lower case, words found by ICU's dictionary segmenter (Khmer has no spaces between
//! words), Vietnamese accents folded with đ → d, English plurals stemmed.

use std::sync::LazyLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use unicode_normalization::UnicodeNormalization;

/// ICU's word segmenter with its Khmer (and Lao, Thai, Burmese) dictionaries: built once, read
/// by every thread.
static SEGMENTER: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));

/// One word of a text: as written (lower case, NFC) and folded for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub exact: String,
    pub folded: String,
}

/// Lower case without accents: `Đắk Nông` → `dak nong`. Only Latin combining marks
/// (U+0300–U+036F) are dropped, so Khmer vowel signs and subscripts stay.
pub fn fold(text: &str) -> std::borrow::Cow<'_, str> {
    // Most words need no work: plain ASCII, or scripts without case or Latin accents.
    if text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ('\u{0530}'..'\u{1DC0}').contains(&c))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let lower = text.to_lowercase();
    let stripped: String = lower
        .nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect();
    std::borrow::Cow::Owned(stripped.nfc().collect())
}

/// The light English stemmer the browser mirrors: `affairs` → `affair`, `activities` →
/// `activity`, `taxes` → `tax`.
pub fn stem_english(word: &str) -> String {
    if word.len() > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..word.len() - 3]);
    }
    if word.len() > 4 && ["ches", "shes", "xes", "sses"].iter().any(|e| word.ends_with(e)) {
        return word[..word.len() - 2].to_owned();
    }
    if word.len() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

/// Calls `each(exact, folded)` for the words of `text` in language `lang` (its code), in
/// order, without allocating per word.
pub fn tokenize_with(text: &str, lang: &str, mut each: impl FnMut(&str, &str)) {
    let text = crate::text::nfc(text).to_lowercase();
    let mut start = 0;
    let mut iter = SEGMENTER.segment_str(&text);
    iter.next(); // the first boundary is 0
    while let Some(end) = iter.next() {
        if iter.is_word_like() {
            let word = &text[start..end];
            let folded = fold(word);
            if lang == "en" {
                each(word, &stem_english(&folded));
            } else {
                each(word, &folded);
            }
        }
        start = end;
    }
}

/// The words of `text` in language `lang` (its code), in order.
pub fn tokenize(text: &str, lang: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_with(text, lang, |exact, folded| {
        tokens.push(Token {
            exact: exact.to_owned(),
            folded: folded.to_owned(),
        });
    });
    tokens
}

/// How many words `text` has: Khmer counted by dictionary segmentation, Vietnamese by
/// syllables, as its writers count.
pub fn count_words(text: &str) -> usize {
    let mut iter = SEGMENTER.segment_str(text);
    let mut words = 0;
    while iter.next().is_some() {
        if iter.is_word_like() {
            words += 1;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str, lang: &str) -> Vec<String> {
        tokenize(text, lang).into_iter().map(|t| t.folded).collect()
    }

    #[test]
    fn vietnamese_folds_accents_and_dd() {
        assert_eq!(fold("Đắk Nông"), "dak nong");
        assert_eq!(fold("Đảng"), "dang");
        assert_eq!(
            folded("Hoạt động đối ngoại", "vi"),
            ["hoat", "dong", "doi", "ngoai"]
        );
    }

    #[test]
    fn decomposed_input_gives_the_same_terms_as_composed() {
        let composed = "Hợp tác biên giới Việt Nam – Campuchia";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(tokenize(composed, "vi"), tokenize(&decomposed, "vi"));
    }

    #[test]
    fn khmer_news_sentence_is_split_into_words() {
        // "Planting border markers between Viet Nam and Cambodia", written without spaces.
        let words: Vec<String> = tokenize("ការបោះបង្គោលព្រំដែនរវាងវៀតណាមនិងកម្ពុជា", "km")
            .into_iter()
            .map(|t| t.exact)
            .collect();
        assert_eq!(words, ["ការ", "បោះបង្គោល", "ព្រំដែន", "រវាង", "វៀតណាម", "និង", "កម្ពុជា"]);
    }

    #[test]
    fn khmer_words_are_counted_without_spaces() {
        // "Cambodia and Vietnam cooperate", one unspaced run: several words, not one.
        assert!(tokenize("កម្ពុជានិងវៀតណាមសហការគ្នា", "km").len() >= 4);
        assert_eq!(tokenize("Hoạt động đối ngoại, 2014.", "vi").len(), 5);
    }

    #[test]
    fn khmer_marks_are_kept() {
        assert_eq!(fold("ព្រំដែន"), "ព្រំដែន");
    }

    #[test]
    fn english_plurals_meet_their_singulars() {
        assert_eq!(
            folded("Foreign affairs activities", "en"),
            ["foreign", "affair", "activity"]
        );
        assert_eq!(stem_english("taxes"), "tax");
        assert_eq!(stem_english("status"), "status");
        assert_eq!(stem_english("business"), "business");
    }
}
