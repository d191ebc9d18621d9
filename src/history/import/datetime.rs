//! Dates and times as the apps write them, read into a civil date and time
//! and written back as a session's `start` (`YYYY-MM-DDTHH:MM[:SS]`).
//!
//! Forms read:
//! - Strong: `2021-02-10 16:46:13` (also `…T16:46:13`, `16:46`, or 12-hour
//!   `6:46:13 PM`);
//! - Hevy: `3 Jan 2026, 17:29`, `Jul 28, 2026, 6:49 PM`, and the same with
//!   month names in English, German, French, Spanish, Portuguese and
//!   Italian, with or without a trailing dot (`Dez.`, `déc.`, `3. Jan.`),
//!   and the small words those languages put between (`3 de jan. de 2026`,
//!   `3 janv. 2026 à 17:29`).
//!
//! The year has four digits; the day must exist in its month. No time zone
//! is read or assumed: the times are the lifter's local clock.

/// A local date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    /// Absent when the app writes minutes only (Hevy).
    second: Option<u32>,
}

/// Month names and abbreviations, lower-case, without a trailing dot.
const MONTHS: [&[&str]; 12] = [
    &["jan", "january", "januar", "jän", "jänner", "janvier", "janv", "enero", "ene", "janeiro", "gennaio", "gen"],
    &[
        "feb",
        "february",
        "februar",
        "février",
        "févr",
        "fév",
        "fevrier",
        "fevr",
        "febrero",
        "fevereiro",
        "fev",
        "febbraio",
    ],
    &["mar", "march", "märz", "mär", "mrz", "marz", "mars", "marzo", "março", "marco"],
    &["apr", "april", "avril", "avr", "abril", "abr", "aprile"],
    &["may", "mai", "mayo", "maio", "maggio", "mag"],
    &["jun", "june", "juni", "juin", "junio", "junho", "giugno", "giu"],
    &["jul", "july", "juli", "juillet", "juil", "julio", "julho", "luglio", "lug"],
    &["aug", "august", "août", "aout", "agosto", "ago"],
    &["sep", "sept", "september", "septembre", "septiembre", "setiembre", "set", "setembro", "settembre"],
    &["oct", "october", "okt", "oktober", "octobre", "octubre", "out", "outubro", "ott", "ottobre"],
    &["nov", "november", "novembre", "noviembre", "novembro"],
    &["dec", "december", "dez", "dezember", "déc", "décembre", "decembre", "dic", "diciembre", "dezembro", "dicembre"],
];

/// Words some languages put between the parts (`3 de jan. de 2026`, `à 17:29`).
const FILLERS: &[&str] = &["de", "del", "à", "a", "às", "at", "um", "alle", "ore", "le"];

impl Civil {
    /// Reads a date and time in any of the forms above.
    pub(super) fn parse(text: &str) -> Result<Civil, String> {
        let refuse = || {
            format!("`{}` is not a date and time (such as `2021-02-10 16:46:13` or `3 Jan 2026, 17:29`)", text.trim())
        };
        let chunks: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .map(|chunk| chunk.trim_end_matches('.').to_lowercase())
            .filter(|chunk| !chunk.is_empty())
            .collect();
        let mut date: Option<(i64, u32, u32)> = None;
        let mut time: Option<(u32, u32, Option<u32>)> = None;
        let mut month: Option<u32> = None;
        let mut numbers: Vec<&str> = Vec::new();
        let mut meridiem: Option<bool> = None;
        let mut i = 0;
        while i < chunks.len() {
            let chunk = chunks[i].as_str();
            // `a. m.` / `p. m.` split in two by the space.
            let marker = match (chunk, chunks.get(i + 1).map(String::as_str)) {
                ("am" | "a.m", _) => Some(false),
                ("pm" | "p.m", _) => Some(true),
                ("a", Some("m")) => {
                    i += 1;
                    Some(false)
                }
                ("p", Some("m")) => {
                    i += 1;
                    Some(true)
                }
                _ => None,
            };
            if let Some(pm) = marker {
                if meridiem.replace(pm).is_some() {
                    return Err(refuse());
                }
            } else if let Some((day_part, time_part)) = chunk.split_once('t').filter(|(d, _)| d.contains('-')) {
                // `2021-02-10T16:46:13`
                if date.replace(iso_date(day_part).ok_or_else(refuse)?).is_some()
                    || time.replace(clock(time_part).ok_or_else(refuse)?).is_some()
                {
                    return Err(refuse());
                }
            } else if chunk.contains('-') {
                if date.replace(iso_date(chunk).ok_or_else(refuse)?).is_some() {
                    return Err(refuse());
                }
            } else if chunk.contains(':') {
                if time.replace(clock(chunk).ok_or_else(refuse)?).is_some() {
                    return Err(refuse());
                }
            } else if chunk.bytes().all(|b| b.is_ascii_digit()) {
                numbers.push(chunk);
            } else if let Some(index) = MONTHS.iter().position(|names| names.contains(&chunk)) {
                if month.replace(index as u32 + 1).is_some() {
                    return Err(refuse());
                }
            } else if !FILLERS.contains(&chunk) {
                return Err(refuse());
            }
            i += 1;
        }
        let (year, month, day) = match (date, month, numbers.as_slice()) {
            (Some(date), None, []) => date,
            // A month name: the four-digit number is the year, the other the day.
            (None, Some(month), [a, b]) => {
                let (year, day) = match (a.len(), b.len()) {
                    (4, 1..=2) => (a, b),
                    (1..=2, 4) => (b, a),
                    _ => return Err(refuse()),
                };
                (year.parse().map_err(|_| refuse())?, month, day.parse().map_err(|_| refuse())?)
            }
            _ => return Err(refuse()),
        };
        let (mut hour, minute, second) = time.ok_or_else(refuse)?;
        if let Some(pm) = meridiem {
            if !(1..=12).contains(&hour) {
                return Err(refuse());
            }
            hour = hour % 12 + if pm { 12 } else { 0 };
        }
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(refuse());
        }
        Ok(Civil { year, month, day, hour, minute, second })
    }

    /// Seconds since 1970-01-01 00:00 of the same clock.
    pub(super) fn seconds(&self) -> i64 {
        let minutes = days_from_civil(self.year, self.month, self.day) * 1440
            + i64::from(self.hour) * 60
            + i64::from(self.minute);
        minutes * 60 + i64::from(self.second.unwrap_or(0))
    }

    /// The session's `start`: `YYYY-MM-DDTHH:MM`, with `:SS` when the app wrote seconds.
    pub(super) fn start(&self) -> String {
        let Civil { year, month, day, hour, minute, second } = *self;
        match second {
            Some(second) => format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"),
            None => format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}"),
        }
    }
}

/// `YYYY-MM-DD`.
fn iso_date(text: &str) -> Option<(i64, u32, u32)> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
        return None;
    }
    Some((digits(year)?.into(), digits(month)?, digits(day)?))
}

/// `H:MM` or `H:MM:SS`.
fn clock(text: &str) -> Option<(u32, u32, Option<u32>)> {
    let mut parts = text.split(':');
    let (hour, minute, second) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() || !(1..=2).contains(&hour.len()) || minute.len() != 2 {
        return None;
    }
    let (hour, minute) = (digits(hour)?, digits(minute)?);
    let second = match second {
        Some(second) if second.len() == 2 => Some(digits(second)?),
        Some(_) => return None,
        None => None,
    };
    (hour < 24 && minute < 60 && second.is_none_or(|s| s < 60)).then_some((hour, minute, second))
}

/// ASCII digits only (no sign, no space), as a number.
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(text: &str) -> String {
        Civil::parse(text).unwrap_or_else(|e| panic!("{e}")).start()
    }

    fn minutes_between(from: &str, to: &str) -> i64 {
        (Civil::parse(to).unwrap().seconds() - Civil::parse(from).unwrap().seconds()) / 60
    }

    #[test]
    fn days_from_civil_counts_from_1970() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2, "2024 is a leap year");
        assert_eq!(days_from_civil(2023, 3, 1) - days_from_civil(2023, 2, 28), 1);
        assert_eq!(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28), 1, "2100 is not");
        assert_eq!(days_from_civil(2001, 1, 1) - days_from_civil(2000, 1, 1), 366);
        // Every day of four centuries follows the one before.
        let mut expected = days_from_civil(1900, 1, 1);
        for year in 1900..2300 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, day), expected, "{year}-{month}-{day}");
                    expected += 1;
                }
            }
        }
    }

    #[test]
    fn strong_dates() {
        assert_eq!(start("2021-02-10 16:46:13"), "2021-02-10T16:46:13");
        assert_eq!(start("2021-02-10T16:46:13"), "2021-02-10T16:46:13");
        assert_eq!(start("2021-02-10 16:46"), "2021-02-10T16:46");
        assert_eq!(start("2023-01-05 6:46:13\u{202f}PM"), "2023-01-05T18:46:13");
        assert_eq!(start("2023-01-05 12:05:00 AM"), "2023-01-05T00:05:00");
        assert_eq!(start("2023-01-05 12:05:00 PM"), "2023-01-05T12:05:00");
    }

    #[test]
    fn hevy_dates_in_english() {
        assert_eq!(start("3 Jan 2026, 17:29"), "2026-01-03T17:29");
        assert_eq!(start("Jul 28, 2026, 6:49 PM"), "2026-07-28T18:49");
        assert_eq!(start("Jul 28, 2026, 6:49 AM"), "2026-07-28T06:49");
        assert_eq!(start("28 September 2025, 07:05"), "2025-09-28T07:05");
    }

    #[test]
    fn hevy_dates_in_other_languages() {
        let cases = [
            ("3 Dez. 2025, 17:29", "2025-12-03T17:29"),
            ("3. Dez. 2025, 17:29", "2025-12-03T17:29"),
            ("3 Dez 2025, 17:29", "2025-12-03T17:29"),
            ("14 März 2025, 08:00", "2025-03-14T08:00"),
            ("3 déc. 2025, 17:29", "2025-12-03T17:29"),
            ("3 févr. 2025 à 17:29", "2025-02-03T17:29"),
            ("3 août 2025, 17:29", "2025-08-03T17:29"),
            ("3 ene 2025, 17:29", "2025-01-03T17:29"),
            ("3 dic. 2025, 5:29 p. m.", "2025-12-03T17:29"),
            ("3 de set. de 2025, 17:29", "2025-09-03T17:29"),
            ("3 de out de 2025 17:29", "2025-10-03T17:29"),
            ("3 mag 2025, 17:29", "2025-05-03T17:29"),
            ("3 gen 2026, 17:29", "2026-01-03T17:29"),
            ("3 ott. 2025, 17:29", "2025-10-03T17:29"),
        ];
        for (text, expected) in cases {
            assert_eq!(start(text), expected, "{text}");
        }
    }

    #[test]
    fn end_minus_start_across_midnight_month_and_year() {
        assert_eq!(minutes_between("3 Jan 2026, 17:29", "3 Jan 2026, 18:38"), 69);
        assert_eq!(minutes_between("31 Dec 2025, 23:30", "1 Jan 2026, 0:45"), 75);
        assert_eq!(minutes_between("28 Feb 2024, 23:00", "1 Mar 2024, 1:00"), 26 * 60, "leap day between");
        assert_eq!(minutes_between("30 Apr 2025, 23:50", "1 May 2025, 0:10"), 20);
        assert_eq!(minutes_between("Jul 28, 2026, 11:49 PM", "Jul 29, 2026, 12:19 AM"), 30);
    }

    #[test]
    fn anything_else_is_refused() {
        let refused = [
            "",
            "yesterday",
            "2021-02-10",
            "2021-02-30 10:00:00",
            "2021-13-01 10:00:00",
            "2023-02-29 10:00",
            "21-02-10 10:00",
            "2021-02-10 24:00",
            "2021-02-10 10:60",
            "2021-02-10 13:00 PM",
            "3 Foo 2026, 17:29",
            "3 Jan, 17:29",
            "3 Jan 26, 17:29",
            "3 Jan 2026 Feb, 17:29",
            "32 Jan 2026, 17:29",
            "3 Jan 2026",
            "3 Jan 2026, 17:29, 18:00",
            "2021-02-10 10:00:00 2021-02-11",
        ];
        for text in refused {
            assert!(Civil::parse(text).is_err(), "{text:?} read as {:?}", Civil::parse(text));
        }
    }
}
