//! Strong's session duration as text, in the language of the app: `1h 5m`,
//! `35min`, `55s`, `51m`, `2h`, `1小时13分钟`, `1 Std. 5 Min.`, `1h 5min`,
//! `1h05`.
//!
//! Rules: a duration is one or more `<number><unit>` parts (space between
//! them or not), each of hours, minutes and seconds at most once; a unit may
//! end in a dot (`Std.`, `Min.`); a bare number after the hours is minutes
//! (`1h05`), anywhere else it is refused, since `75` could be minutes or
//! seconds.

/// Units of an hour, lower-case, without a trailing dot.
const HOURS: &[&str] = &[
    "h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden", "heure", "heures", "hora", "horas", "ora", "ore",
    "小时", "時間",
];
/// Units of a minute.
const MINUTES: &[&str] =
    &["m", "min", "mins", "minute", "minutes", "minuten", "mn", "minuto", "minutos", "minuti", "分钟", "分"];
/// Units of a second.
const SECONDS: &[&str] = &[
    "s", "sec", "secs", "second", "seconds", "sek", "sekunde", "sekunden", "seconde", "secondes", "segundo",
    "segundos", "secondi", "秒",
];

/// The seconds a duration text stands for.
pub(super) fn seconds(text: &str) -> Result<u64, String> {
    let refuse = || format!("`{text}` is not a duration (such as `1h 5m`, `35min` or `55s`)");
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err("it has no duration".to_owned());
    }
    // Seconds per unit already used, so none appears twice.
    let mut used: Vec<u64> = Vec::new();
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return Err(refuse());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| refuse())?;
        rest = rest[digits..].trim_start();
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c.is_whitespace()).unwrap_or(rest.len());
        let unit = rest[..unit_end].trim_end_matches('.').to_lowercase();
        rest = rest[unit_end..].trim_start();
        let per = if unit.is_empty() {
            // `1h05`: the minutes of an hour, and only as the last part.
            if used.last() == Some(&3600) && rest.is_empty() {
                60
            } else {
                return Err(refuse());
            }
        } else if HOURS.contains(&unit.as_str()) {
            3600
        } else if MINUTES.contains(&unit.as_str()) {
            60
        } else if SECONDS.contains(&unit.as_str()) {
            1
        } else {
            return Err(refuse());
        };
        if used.contains(&per) {
            return Err(refuse());
        }
        used.push(per);
        total = number.checked_mul(per).and_then(|part| total.checked_add(part)).ok_or_else(refuse)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn english_forms() {
        assert_eq!(seconds("1h 5m"), Ok(3900));
        assert_eq!(seconds("35min"), Ok(2100));
        assert_eq!(seconds("55s"), Ok(55));
        assert_eq!(seconds("51m"), Ok(3060));
        assert_eq!(seconds("2h"), Ok(7200));
        assert_eq!(seconds("2h 18m"), Ok(8280));
        assert_eq!(seconds("1h 2m 3s"), Ok(3723));
        assert_eq!(seconds(" 1 h 5 min "), Ok(3900));
    }

    #[test]
    fn chinese_german_and_french_forms() {
        assert_eq!(seconds("1小时13分钟"), Ok(73 * 60));
        assert_eq!(seconds("45分钟"), Ok(45 * 60));
        assert_eq!(seconds("1小时"), Ok(3600));
        assert_eq!(seconds("30秒"), Ok(30));
        assert_eq!(seconds("1 Std. 5 Min."), Ok(3900));
        assert_eq!(seconds("2h 23min"), Ok(143 * 60));
        assert_eq!(seconds("13min"), Ok(13 * 60));
        assert_eq!(seconds("1h 5min"), Ok(3900));
        assert_eq!(seconds("1h05"), Ok(3900));
        assert_eq!(seconds("1 heure 5 minutes"), Ok(3900));
    }

    #[test]
    fn anything_else_is_refused() {
        for text in ["", "  ", "75", "h", "1x", "1h 2h", "5m 1h05", "1h05m 3", "-5m", "1.5h", "99999999999999999999h"] {
            assert!(seconds(text).is_err(), "{text:?} read as {:?}", seconds(text));
        }
        assert!(seconds("abc").unwrap_err().contains("`abc` is not a duration"));
    }
}
