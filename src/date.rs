//! Dates: parsed from front matter (`2014-12-22`, `2014-12-22 08:30` or RFC 3339 with an offset), and the styles they are shown in.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The names of a date's month and weekday in one language, in full and short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateNames {
    pub month: String,
    pub month_short: String,
    pub weekday: String,
    pub weekday_short: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Hour, minute, second, when the front matter gives a time.
    pub time: Option<(u8, u8, u8)>,
    /// Offset from UTC in minutes, when given.
    pub offset_minutes: Option<i16>,
}

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let invalid = |why: &str| {
            format!(
                "`{text}` is not a valid date: {why}; write it as 2014-12-22 or 2014-12-22T08:30:00+07:00"
            )
        };
        let (date_part, rest) = text.split_at(text.find(['T', 't', ' ']).unwrap_or(text.len()));
        let mut fields = date_part.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(invalid("expected year-month-day"));
        };
        let year: i32 = y.parse().map_err(|_| invalid("the year is not a number"))?;
        let month: u8 = m.parse().map_err(|_| invalid("the month is not a number"))?;
        let day: u8 = d.parse().map_err(|_| invalid("the day is not a number"))?;
        if !(1..=12).contains(&month) {
            return Err(invalid("the month must be between 1 and 12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(invalid("that month has no such day"));
        }
        let rest = rest.get(1..).unwrap_or("").trim();
        let (time, offset_minutes) = if rest.is_empty() {
            (None, None)
        } else {
            parse_time(rest).ok_or_else(|| invalid("the time must look like 08:30 or 08:30:00+07:00"))?
        };
        Ok(Date {
            year,
            month,
            day,
            time,
            offset_minutes,
        })
    }

    /// Seconds since 1970-01-01 UTC (a date without offset is taken as UTC): for sorting and feeds.
    pub fn timestamp(&self) -> i64 {
        let (h, m, s) = self.time.unwrap_or((0, 0, 0));
        days_from_civil(self.year, self.month, self.day) * 86_400
            + i64::from(h) * 3600
            + i64::from(m) * 60
            + i64::from(s)
            - i64::from(self.offset_minutes.unwrap_or(0)) * 60
    }

    /// The UTC calendar day of a Unix timestamp.
    pub fn from_timestamp(seconds: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let days = seconds.div_euclid(86_400) + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date {
            year,
            month,
            day,
            time: None,
            offset_minutes: None,
        }
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::from_timestamp(now)
    }

    /// RFC 3339 with a time and offset, as feeds and sitemaps want.
    pub fn rfc3339(&self) -> String {
        let (h, m, s) = self.time.unwrap_or((0, 0, 0));
        format!(
            "{:04}-{:02}-{:02}T{h:02}:{m:02}:{s:02}{}",
            self.year,
            self.month,
            self.day,
            offset_suffix(self.offset_minutes.unwrap_or(0))
        )
    }
}

impl Date {
    /// RFC 2822, as RSS wants: `Mon, 22 Dec 2014 00:00:00 +0700`.
    pub fn rfc2822(&self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (h, m, s) = self.time.unwrap_or((0, 0, 0));
        let weekday = DAYS[days_from_civil(self.year, self.month, self.day).rem_euclid(7) as usize];
        let offset = self.offset_minutes.unwrap_or(0);
        let sign = if offset < 0 { '-' } else { '+' };
        let offset = offset.unsigned_abs();
        format!(
            "{weekday}, {:02} {} {:04} {h:02}:{m:02}:{s:02} {sign}{:02}{:02}",
            self.day,
            MONTHS[usize::from(self.month) - 1],
            self.year,
            offset / 60,
            offset % 60
        )
    }
}

impl Date {
    /// The date and time at a Unix timestamp, in UTC.
    pub fn from_timestamp_utc(seconds: i64) -> Date {
        let second_of_day = seconds.rem_euclid(86_400);
        Date {
            time: Some((
                (second_of_day / 3600) as u8,
                (second_of_day / 60 % 60) as u8,
                (second_of_day % 60) as u8,
            )),
            offset_minutes: Some(0),
            ..Date::from_timestamp(seconds)
        }
    }

    /// The English names of the date's month and weekday, as C's `strftime` writes them.
    pub fn english_names(&self) -> DateNames {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        const DAYS: [&str; 7] = [
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "Monday",
            "Tuesday",
            "Wednesday",
        ];
        let month = MONTHS[usize::from(self.month) - 1];
        let weekday = DAYS[self.weekday_since_thursday()];
        DateNames {
            month: month.to_owned(),
            month_short: month[..3].to_owned(),
            weekday: weekday.to_owned(),
            weekday_short: weekday[..3].to_owned(),
        }
    }

    /// 0 for Thursday (1970-01-01 was one), 1 for Friday…
    fn weekday_since_thursday(&self) -> usize {
        days_from_civil(self.year, self.month, self.day).rem_euclid(7) as usize
    }

    /// The date as C's `strftime` (and Zola's `date` filter) writes it: `%Y-%m-%d`, `%d %B
    /// %Y`, with English month and day names; `%-d` leaves out the padding.
    pub fn strftime(&self, format: &str) -> Result<String, String> {
        self.strftime_named(format, &self.english_names())
    }

    /// Like `strftime`, with `names` for `%B`, `%b`, `%A` and `%a` (another language's).
    pub fn strftime_named(&self, format: &str, names: &DateNames) -> Result<String, String> {
        let (h, min, sec) = self.time.unwrap_or((0, 0, 0));
        let weekday = self.weekday_since_thursday();
        let day_of_year =
            days_from_civil(self.year, self.month, self.day) - days_from_civil(self.year, 1, 1) + 1;
        let offset = self.offset_minutes.unwrap_or(0);
        let mut out = String::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = chars.next().ok_or("the format ends with a lone `%`")?;
            let unpadded = spec == '-';
            if unpadded {
                spec = chars.next().ok_or("the format ends with `%-`")?;
            }
            let number = |n: i64, width: usize| match unpadded {
                true => n.to_string(),
                false => format!("{n:0width$}"),
            };
            let text = match spec {
                'Y' => self.year.to_string(),
                'C' => number(i64::from(self.year) / 100, 2),
                'y' => number(i64::from(self.year).rem_euclid(100), 2),
                'm' => number(i64::from(self.month), 2),
                'd' => number(i64::from(self.day), 2),
                'e' => format!("{:>2}", self.day),
                'j' => number(day_of_year, 3),
                'B' => names.month.clone(),
                'b' | 'h' => names.month_short.clone(),
                'A' => names.weekday.clone(),
                'a' => names.weekday_short.clone(),
                'u' => ((weekday + 3) % 7 + 1).to_string(),
                'w' => ((weekday + 4) % 7).to_string(),
                'H' => number(i64::from(h), 2),
                'I' => number(i64::from((h + 11) % 12 + 1), 2),
                'p' => (if h < 12 { "AM" } else { "PM" }).to_owned(),
                'P' => (if h < 12 { "am" } else { "pm" }).to_owned(),
                'M' => number(i64::from(min), 2),
                'S' => number(i64::from(sec), 2),
                'F' => format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
                'D' => format!(
                    "{:02}/{:02}/{:02}",
                    self.month,
                    self.day,
                    self.year.rem_euclid(100)
                ),
                'T' => format!("{h:02}:{min:02}:{sec:02}"),
                'R' => format!("{h:02}:{min:02}"),
                'z' => {
                    let sign = if offset < 0 { '-' } else { '+' };
                    format!(
                        "{sign}{:02}{:02}",
                        offset.unsigned_abs() / 60,
                        offset.unsigned_abs() % 60
                    )
                }
                ':' if chars.clone().next() == Some('z') => {
                    chars.next();
                    let sign = if offset < 0 { '-' } else { '+' };
                    format!(
                        "{sign}{:02}:{:02}",
                        offset.unsigned_abs() / 60,
                        offset.unsigned_abs() % 60
                    )
                }
                's' => self.timestamp().to_string(),
                '+' => self.rfc3339(),
                'n' => "\n".to_owned(),
                't' => "\t".to_owned(),
                '%' => "%".to_owned(),
                other => return Err(format!("`%{other}` is not a date format specifier mekong knows")),
            };
            out.push_str(&text);
        }
        Ok(out)
    }
}

impl fmt::Display for Date {
    /// ISO 8601: the date alone when no time was given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if let Some((h, m, s)) = self.time {
            write!(f, "T{h:02}:{m:02}:{s:02}")?;
            if let Some(offset) = self.offset_minutes {
                f.write_str(&offset_suffix(offset))?;
            }
        }
        Ok(())
    }
}

fn offset_suffix(offset: i16) -> String {
    if offset == 0 {
        return "Z".to_owned();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs();
    format!("{sign}{:02}:{:02}", offset / 60, offset % 60)
}

type TimeAndOffset = (Option<(u8, u8, u8)>, Option<i16>);

fn parse_time(text: &str) -> Option<TimeAndOffset> {
    let (clock, offset) = match text.find(['Z', 'z', '+', '-']) {
        Some(i) => (&text[..i], Some(&text[i..])),
        None => (text, None),
    };
    let clock = clock.split('.').next()?;
    let mut parts = clock.split(':');
    let h: u8 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let s: u8 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    if h > 23 || m > 59 || s > 60 || parts.next().is_some() {
        return None;
    }
    let offset = match offset {
        None => None,
        Some("Z" | "z") => Some(0),
        Some(o) => {
            let sign: i16 = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':')?;
            let (oh, om): (i16, i16) = (oh.parse().ok()?, om.parse().ok()?);
            Some(sign * (oh * 60 + om))
        }
    };
    Some((Some((h, m, s)), offset))
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2014-12-22")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            // TOML dates arrive as a one-entry map holding the date's text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date"));
                };
                Date::parse(&text).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// The date styles templates and `.ftl` files may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    Short,
    Medium,
    Long,
    /// The long date with the day of the week.
    Full,
    /// Day of the week, then the short numeric date: `Thứ Hai, 22/12/2014`.
    Weekday,
    /// Month and year, for archives.
    Month,
    Year,
    /// The written-out date of official documents: `ngày 25 tháng 7 năm 2014`,
    /// `ថ្ងៃទី២៥ ខែកក្កដា ឆ្នាំ២០១៤` (the long style in other languages).
    Formal,
}

impl DateStyle {
    pub const NAMES: &'static str = "short, medium, long, full, weekday, month, year, formal";

    pub fn parse(name: &str) -> Option<DateStyle> {
        Some(match name {
            "short" => DateStyle::Short,
            "medium" => DateStyle::Medium,
            "long" => DateStyle::Long,
            "full" => DateStyle::Full,
            "weekday" => DateStyle::Weekday,
            "month" => DateStyle::Month,
            "year" => DateStyle::Year,
            "formal" => DateStyle::Formal,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_every_form_staff_write() {
        let plain = Date::parse("2014-12-22").unwrap();
        assert_eq!(plain.to_string(), "2014-12-22");
        let local = Date::parse("2014-12-22 08:30").unwrap();
        assert_eq!(local.to_string(), "2014-12-22T08:30:00");
        let zoned = Date::parse("2014-12-22T08:30:00+07:00").unwrap();
        assert_eq!(zoned.rfc3339(), "2014-12-22T08:30:00+07:00");
        assert_eq!(zoned.timestamp(), local.timestamp() - 7 * 3600);
        assert!(Date::parse("2014-02-30").is_err());
    }

    #[test]
    fn rss_dates_name_the_weekday() {
        assert_eq!(
            Date::parse("2014-12-22").unwrap().rfc2822(),
            "Mon, 22 Dec 2014 00:00:00 +0000"
        );
        assert_eq!(
            Date::parse("2014-12-22T08:30:00+07:00").unwrap().rfc2822(),
            "Mon, 22 Dec 2014 08:30:00 +0700"
        );
    }

    #[test]
    fn timestamps_turn_back_into_days() {
        for text in ["1970-01-01", "2014-12-22", "2000-02-29", "2026-11-28"] {
            let date = Date::parse(text).unwrap();
            assert_eq!(Date::from_timestamp(date.timestamp() + 3600).to_string(), text);
        }
    }

    #[test]
    fn timestamp_of_a_known_day() {
        assert_eq!(Date::parse("1970-01-02").unwrap().timestamp(), 86_400);
        assert_eq!(Date::parse("2014-12-22").unwrap().timestamp(), 1_419_206_400);
    }

    #[test]
    fn toml_dates_deserialize() {
        #[derive(Deserialize)]
        struct T {
            date: Date,
        }
        let t: T = toml::from_str("date = 2014-12-22T08:00:00+07:00").unwrap();
        assert_eq!(t.date.offset_minutes, Some(420));
    }
}
