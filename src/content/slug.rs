//! Slugs for URLs: Vietnamese and English folded to ASCII (đ → d); Khmer is never transliterated.

/// True for characters of the Khmer script (Khmer and Khmer Symbols blocks).
pub fn is_khmer(c: char) -> bool {
    matches!(c, '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}')
}

/// A URL slug for `text`: `Hoạt động đối ngoại` → `hoat-dong-doi-ngoai`.
/// Text in Khmer script keeps its letters, joined by hyphens, since a romanisation would be wrong.
pub fn slugify(text: &str) -> String {
    if !text.chars().any(is_khmer) {
        return slug::slugify(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if is_khmer(c) && !matches!(c, '\u{17D4}'..='\u{17DA}') || c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_title_folds_to_ascii_with_d_for_dd() {
        assert_eq!(slugify("Hoạt động đối ngoại"), "hoat-dong-doi-ngoai");
        assert_eq!(slugify("Đắk Nông – Mondulkiri"), "dak-nong-mondulkiri");
    }

    #[test]
    fn khmer_is_kept_not_transliterated() {
        assert_eq!(slugify("ព័ត៌មាន ថ្មី។"), "ព័ត៌មាន-ថ្មី");
    }
}
