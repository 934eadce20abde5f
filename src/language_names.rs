//! Language names in their own language, from CLDR through ICU4X: `vi` → `Tiếng Việt`,
//! `km` → `ខ្មែរ`, for `config.toml` and anything else that names a language to its readers.

use icu_locale::LanguageIdentifier;
use icu_locale::names::{DisplayNamesPreferences, LanguageIdentifierDisplayName};
use writeable::TryWriteable;

/// The name CLDR gives language `code` (a BCP 47 tag such as `vi`, `km` or `pt-BR`) in that
/// language itself, as CLDR writes it (`Tiếng Việt`, `English`, `ខ្មែរ`, `français`).
/// `None` when the code is not a language tag or CLDR has no such name for it.
pub fn native_name(code: &str) -> Option<String> {
    let subject: LanguageIdentifier = code.parse().ok()?;
    if subject.language.is_unknown() {
        return None;
    }
    let prefs = DisplayNamesPreferences::from(&subject);
    // The "tiny" data holds each locale's names of its own language (and little else): exactly
    // what is asked here, at a few kilobytes in the binary instead of every name in every locale.
    let name = LanguageIdentifierDisplayName::try_new_tiny(prefs, subject, Default::default()).ok()?;
    // A name that fell back to the raw code means CLDR does not know the language.
    let name = name.as_borrowed().try_write_to_string().ok()?.into_owned();
    (!name.is_empty()).then_some(name)
}

/// The name to show in a menu such as a language switcher: `native_name` with its first
/// letter in upper case (`français` → `Français`), as CLDR's `uiListOrMenu` context
/// transform asks for language names in most languages that write lower case in running text.
pub fn native_menu_name(code: &str) -> Option<String> {
    let name = native_name(code)?;
    let mut chars = name.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_languages_are_named_in_their_own_scripts() {
        assert_eq!(native_name("vi").as_deref(), Some("Tiếng Việt"));
        assert_eq!(native_name("en").as_deref(), Some("English"));
        assert_eq!(native_name("km").as_deref(), Some("ខ្មែរ"));
        assert_eq!(native_name("lo").as_deref(), Some("ລາວ"));
        assert_eq!(native_name("th").as_deref(), Some("ไทย"));
        assert_eq!(native_name("zh").as_deref(), Some("中文"));
    }

    #[test]
    fn menus_capitalise_names_written_in_lower_case() {
        assert_eq!(native_name("fr").as_deref(), Some("français"));
        assert_eq!(native_menu_name("fr").as_deref(), Some("Français"));
        assert_eq!(native_menu_name("km").as_deref(), Some("ខ្មែរ"));
    }

    #[test]
    fn codes_cldr_does_not_know_have_no_name() {
        assert_eq!(native_name("xx"), None);
        assert_eq!(native_name("qqq"), None);
        assert_eq!(native_name("not a code"), None);
        assert_eq!(native_name(""), None);
    }
}
