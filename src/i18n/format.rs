//! Dates and numbers in each language's own way, with ICU4X: `22 tháng 12 2014`,
//! `December 22, 2014`, `២២ ធ្នូ ២០១៤` (Khmer digits when a language sets `numerals = "khmr"`).

use icu_calendar::{Date as IcuDate, Iso};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{self, E, M, Y, YM, YMD, YMDE};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::Locale;

use crate::date::{Date, DateStyle};

/// The ICU locale of a language: its BCP 47 tag, with `-u-nu-<numerals>` when set.
pub fn icu_locale(locale: &str, numerals: Option<&str>) -> Result<Locale, String> {
    let tag = match numerals {
        Some(system) if !locale.contains("-u-") => format!("{locale}-u-nu-{system}"),
        _ => locale.to_owned(),
    };
    tag.parse()
        .map_err(|_| format!("`{tag}` is not a valid locale; use a BCP 47 tag such as vi-VN, en-US or km-KH"))
}

/// A locale as Zola's filters take it: a BCP 47 tag, `_` allowed as in `vi_VN`.
pub fn zola_locale(locale: &str) -> Result<Locale, String> {
    locale
        .replace('_', "-")
        .parse()
        .map_err(|_| format!("`{locale}` is not a locale; write it as vi_VN, en_US or km_KH"))
}

/// The names of `date`'s month and weekday in `locale` (a BCP 47 tag, `_` allowed as in
/// `vi_VN`), from CLDR: `tháng 12`, `thg 12`, `Thứ Hai`, `Th 2` in Vietnamese. The formatters
/// of each locale are made once.
pub fn date_names(locale: &str, date: &Date) -> Result<crate::date::DateNames, String> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    struct NameFormats {
        month: DateTimeFormatter<M>,
        month_short: DateTimeFormatter<M>,
        weekday: DateTimeFormatter<E>,
        weekday_short: DateTimeFormatter<E>,
    }
    static MADE: OnceLock<Mutex<HashMap<String, Arc<NameFormats>>>> = OnceLock::new();
    let made = MADE.get_or_init(Default::default);
    let known = made.lock().ok().and_then(|m| m.get(locale).cloned());
    let formats = match known {
        Some(formats) => formats,
        None => {
            let parsed = zola_locale(locale)?;
            let prefs = || parsed.clone().into();
            let err = |e: icu_datetime::DateTimeFormatterLoadError| {
                format!("no month and day names for `{locale}`: {e:?}")
            };
            let formats = Arc::new(NameFormats {
                month: DateTimeFormatter::try_new(prefs(), M::long()).map_err(err)?,
                month_short: DateTimeFormatter::try_new(prefs(), M::medium()).map_err(err)?,
                weekday: DateTimeFormatter::try_new(prefs(), E::long()).map_err(err)?,
                weekday_short: DateTimeFormatter::try_new(prefs(), E::medium()).map_err(err)?,
            });
            if let Ok(mut made) = made.lock() {
                made.insert(locale.to_owned(), formats.clone());
            }
            formats
        }
    };
    let iso = IcuDate::<Iso>::try_new_iso(date.year, date.month, date.day)
        .map_err(|e| format!("{date} is outside the calendar: {e:?}"))?;
    // ICU gives a month's name as it stands alone (`Tháng 12`); inside a date Vietnamese
    // writes it in lower case (`22 tháng 12 2014`), as CLDR's format names have it.
    let in_date = |name: String| {
        let mut chars = name.chars();
        match (locale.starts_with("vi"), chars.next()) {
            (true, Some(first)) => first.to_lowercase().chain(chars).collect(),
            _ => name,
        }
    };
    Ok(crate::date::DateNames {
        month: in_date(formats.month.format(&iso).to_string()),
        month_short: in_date(formats.month_short.format(&iso).to_string()),
        weekday: formats.weekday.format(&iso).to_string(),
        weekday_short: formats.weekday_short.format(&iso).to_string(),
    })
}

/// Whole numbers as one language writes them, for places that have the language but not its
/// `Formats` (route maps drawn while page values are built).
pub struct Numbers(Option<DecimalFormatter>);

impl Numbers {
    pub fn for_language(language: &crate::config::Language) -> Numbers {
        let formatter = icu_locale(&language.locale, language.numerals.as_deref())
            .ok()
            .and_then(|locale| DecimalFormatter::try_new(locale.into(), Default::default()).ok());
        Numbers(formatter)
    }

    pub fn integer(&self, value: u64) -> String {
        match &self.0 {
            Some(formatter) => formatter.format(&Decimal::from(value)).to_string(),
            None => value.to_string(),
        }
    }
}

/// Every formatter one language needs, built once.
pub struct Formats {
    short: DateTimeFormatter<YMD>,
    medium: DateTimeFormatter<YMD>,
    long: DateTimeFormatter<YMD>,
    full: DateTimeFormatter<YMDE>,
    weekday_name: DateTimeFormatter<E>,
    month: DateTimeFormatter<YM>,
    year: DateTimeFormatter<Y>,
    month_name: DateTimeFormatter<M>,
    decimal: DecimalFormatter,
    /// Digits without grouping, for years and days inside formal dates.
    digits: DecimalFormatter,
    /// The language, to pick the formal date's wording.
    language: String,
    /// The style used when a template does not name one.
    pub house_style: DateStyle,
}

impl Formats {
    pub fn new(locale: &Locale, house_style: DateStyle) -> Result<Formats, String> {
        let prefs = || locale.clone().into();
        let err =
            |e: icu_datetime::DateTimeFormatterLoadError| format!("no date formats for {locale}: {e:?}");
        Ok(Formats {
            short: DateTimeFormatter::try_new(prefs(), YMD::short()).map_err(err)?,
            medium: DateTimeFormatter::try_new(prefs(), YMD::medium()).map_err(err)?,
            long: DateTimeFormatter::try_new(prefs(), YMD::long()).map_err(err)?,
            full: DateTimeFormatter::try_new(prefs(), YMDE::long()).map_err(err)?,
            weekday_name: DateTimeFormatter::try_new(prefs(), fieldsets::E::long()).map_err(err)?,
            month: DateTimeFormatter::try_new(prefs(), YM::long()).map_err(err)?,
            year: DateTimeFormatter::try_new(prefs(), Y::long()).map_err(err)?,
            month_name: DateTimeFormatter::try_new(prefs(), M::long()).map_err(err)?,
            decimal: DecimalFormatter::try_new(locale.clone().into(), Default::default())
                .map_err(|e| format!("no number formats for {locale}: {e:?}"))?,
            digits: DecimalFormatter::try_new(locale.clone().into(), {
                let mut options = icu_decimal::options::DecimalFormatterOptions::default();
                options.grouping_strategy = Some(icu_decimal::options::GroupingStrategy::Never);
                options
            })
            .map_err(|e| format!("no number formats for {locale}: {e:?}"))?,
            language: locale.id.language.as_str().to_owned(),
            house_style,
        })
    }

    pub fn date(&self, date: &Date, style: Option<DateStyle>) -> String {
        let Ok(iso) = IcuDate::<Iso>::try_new_iso(date.year, date.month, date.day) else {
            return date.to_string();
        };
        match style.unwrap_or(self.house_style) {
            DateStyle::Short => self.short.format(&iso).to_string(),
            DateStyle::Medium => self.medium.format(&iso).to_string(),
            DateStyle::Long => self.long.format(&iso).to_string(),
            DateStyle::Full => self.full.format(&iso).to_string(),
            DateStyle::Weekday => format!("{}, {}", self.weekday_name.format(&iso), self.short.format(&iso)),
            DateStyle::Month => self.month.format(&iso).to_string(),
            DateStyle::Year => self.year.format(&iso).to_string(),
            DateStyle::Formal => self.formal(date, &iso),
        }
    }

    /// The wording of official documents. CLDR has no such pattern, so it is written here
    /// for the languages that have one; the others use the long date.
    fn formal(&self, date: &Date, iso: &IcuDate<Iso>) -> String {
        let number = |n: i64| self.digits.format(&Decimal::from(n)).to_string();
        let (day, year) = (number(i64::from(date.day)), number(i64::from(date.year)));
        match self.language.as_str() {
            "km" => format!("ថ្ងៃទី{day} ខែ{} ឆ្នាំ{year}", self.month_name.format(iso)),
            "vi" => format!("ngày {day} tháng {} năm {year}", number(i64::from(date.month))),
            _ => self.long.format(iso).to_string(),
        }
    }

    /// `1234567` → `1.234.567` (vi), `1,234,567` (en), `១.២៣៤.៥៦៧` (km with Khmer digits).
    pub fn number(&self, value: f64, fraction_digits: Option<usize>) -> String {
        let text = match fraction_digits {
            Some(digits) => format!("{value:.digits$}"),
            None if value.fract() == 0.0 && value.abs() < 1e15 => format!("{}", value as i64),
            None => format!("{value}"),
        };
        match Decimal::try_from_str(&text) {
            Ok(decimal) => self.decimal.format(&decimal).to_string(),
            Err(_) => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(locale: &str, numerals: Option<&str>, style: DateStyle) -> Formats {
        Formats::new(&icu_locale(locale, numerals).unwrap(), style).unwrap()
    }

    fn december_22() -> Date {
        Date::parse("2014-12-22").unwrap()
    }

    #[test]
    fn khmer_dates_use_khmer_digits_and_month_names() {
        let km = formats("km-KH", Some("khmr"), DateStyle::Long);
        assert_eq!(km.date(&december_22(), None), "២២ ធ្នូ ២០១៤");
    }

    #[test]
    fn vietnamese_house_style_names_the_weekday() {
        let vi = formats("vi-VN", None, DateStyle::Weekday);
        assert_eq!(vi.date(&december_22(), None), "Thứ Hai, 22/12/2014");
        assert_eq!(vi.date(&december_22(), Some(DateStyle::Long)), "22 tháng 12 2014");
        assert_eq!(
            vi.date(&december_22(), Some(DateStyle::Month)),
            "tháng 12 năm 2014"
        );
    }

    #[test]
    fn formal_dates_are_written_out_in_khmer_and_vietnamese() {
        let july_25 = Date::parse("2014-07-25").unwrap();
        let km = formats("km-KH", Some("khmr"), DateStyle::Formal);
        assert_eq!(km.date(&july_25, None), "ថ្ងៃទី២៥ ខែកក្កដា ឆ្នាំ២០១៤");
        let vi = formats("vi-VN", None, DateStyle::Formal);
        assert_eq!(vi.date(&july_25, None), "ngày 25 tháng 7 năm 2014");
        let en = formats("en", None, DateStyle::Formal);
        assert_eq!(en.date(&july_25, None), "July 25, 2014");
    }

    #[test]
    fn english_dates_read_month_day_year() {
        let en = formats("en", None, DateStyle::Long);
        assert_eq!(en.date(&december_22(), None), "December 22, 2014");
        assert_eq!(
            en.date(&december_22(), Some(DateStyle::Full)),
            "Monday, December 22, 2014"
        );
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(
            formats("vi-VN", None, DateStyle::Long).number(1_234_567.0, None),
            "1.234.567"
        );
        assert_eq!(
            formats("en", None, DateStyle::Long).number(1_234_567.0, None),
            "1,234,567"
        );
        assert_eq!(
            formats("km-KH", Some("khmr"), DateStyle::Long).number(1137.0, None),
            "១.១៣៧"
        );
        assert_eq!(formats("en", None, DateStyle::Long).number(2.5, Some(2)), "2.50");
    }
}
