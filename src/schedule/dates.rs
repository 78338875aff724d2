//! What date and date-time fields accept, in forms and on the command line.
//!
//! Dates: `2025-09-03`, `2025-9-3` (also with `/`), `today`/`今天`, `yesterday`/`昨天`,
//! `tomorrow`/`明天`, `+3d`, `-2d`, `+1w`, and weekday names `mon`..`sun` (or `monday`..),
//! `周一`..`周日`, `星期一`..`星期日` (`周天`/`星期天` too).
//!
//! A weekday name means its next occurrence, today included: `fri` typed on a Friday is
//! today, on a Saturday the coming Friday. Weekday names are for scheduling (due dates lie
//! ahead); to log a past contact, type the date or `-2d`.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::periods::shift;
use crate::model::Term;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateInputError {
    #[error("no date given")]
    Empty,
    #[error(
        "not a date: '{0}' (try 2025-09-03, today, yesterday, +3d, -2d, +1w, mon … sun, 周一 … 周日)"
    )]
    Unrecognised(String),
    #[error("no such date: '{input}' ({why})")]
    NoSuchDate { input: String, why: NoSuchDay },
    #[error("date out of range: '{0}'")]
    OutOfRange(String),
    #[error("not a time: '{input}' (expected HH:MM, e.g. 14:30)")]
    BadTime { input: String },
}

/// Why a date that looks like one does not exist; the CLI words it in either language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSuchDay {
    Month(u32),
    Day { year: i32, month: u32, days: u32 },
}

impl std::fmt::Display for NoSuchDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoSuchDay::Month(m) => write!(f, "month {m} is not between 1 and 12"),
            NoSuchDay::Day { year, month, days } => {
                write!(f, "{year}-{month:02} has {days} days")
            }
        }
    }
}

impl NoSuchDay {
    pub fn zh(&self) -> String {
        match self {
            NoSuchDay::Month(m) => format!("月份 {m} 不在 1 到 12 之间"),
            NoSuchDay::Day { year, month, days } => format!("{year}-{month:02} 只有 {days} 天"),
        }
    }
}

/// Parses a date typed by a user, relative words counted from `today`.
pub fn parse_date_input(s: &str, today: NaiveDate) -> Result<NaiveDate, DateInputError> {
    let input = s.trim();
    if input.is_empty() {
        return Err(DateInputError::Empty);
    }
    let lower = input.to_lowercase();
    if let Some(offset) = word_offset(&lower) {
        return Ok(shift(today, offset));
    }
    if let Some(weekday) = weekday_name(&lower) {
        let ahead = (i64::from(weekday.num_days_from_monday())
            - i64::from(today.weekday().num_days_from_monday()))
        .rem_euclid(7);
        return Ok(shift(today, ahead));
    }
    if let Some(days) = relative_days(&lower) {
        return days
            .and_then(chrono::TimeDelta::try_days)
            .and_then(|t| today.checked_add_signed(t))
            .ok_or_else(|| DateInputError::OutOfRange(input.to_string()));
    }
    calendar_date(input)
}

fn word_offset(lower: &str) -> Option<i64> {
    match lower {
        "today" | "今天" | "今日" => Some(0),
        "yesterday" | "昨天" | "昨日" => Some(-1),
        "tomorrow" | "明天" | "明日" => Some(1),
        _ => None,
    }
}

fn weekday_name(lower: &str) -> Option<Weekday> {
    const EN: [(&str, &str, Weekday); 7] = [
        ("mon", "monday", Weekday::Mon),
        ("tue", "tuesday", Weekday::Tue),
        ("wed", "wednesday", Weekday::Wed),
        ("thu", "thursday", Weekday::Thu),
        ("fri", "friday", Weekday::Fri),
        ("sat", "saturday", Weekday::Sat),
        ("sun", "sunday", Weekday::Sun),
    ];
    if let Some(&(_, _, w)) = EN
        .iter()
        .find(|(short, long, _)| lower == *short || lower == *long)
    {
        return Some(w);
    }
    let day = lower
        .strip_prefix("星期")
        .or_else(|| lower.strip_prefix("周"))?;
    Some(match day {
        "一" => Weekday::Mon,
        "二" => Weekday::Tue,
        "三" => Weekday::Wed,
        "四" => Weekday::Thu,
        "五" => Weekday::Fri,
        "六" => Weekday::Sat,
        "日" | "天" => Weekday::Sun,
        _ => return None,
    })
}

/// `+3d`, `-2d`, `+1w`: `Some(None)` when the shape fits but the number is absurd.
fn relative_days(lower: &str) -> Option<Option<i64>> {
    let sign = match lower.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &lower[1..];
    let (number, unit_days) = if let Some(n) = body.strip_suffix('d') {
        (n, 1)
    } else if let Some(n) = body.strip_suffix('w') {
        (n, 7)
    } else {
        return None;
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        number
            .parse::<i64>()
            .ok()
            .and_then(|n| n.checked_mul(unit_days * sign)),
    )
}

/// `YYYY-M-D` / `YYYY/M/D`, with a precise reason when the numbers name no real day.
fn calendar_date(input: &str) -> Result<NaiveDate, DateInputError> {
    let unrecognised = || DateInputError::Unrecognised(input.to_string());
    let sep = if input.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = input.split(sep).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(unrecognised());
    };
    let digits = |p: &str, max_len: usize| {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return Err(unrecognised());
    };
    if y.len() != 4 {
        return Err(unrecognised());
    }
    let no_such = |why: NoSuchDay| DateInputError::NoSuchDate {
        input: input.to_string(),
        why,
    };
    if !(1..=12).contains(&month) {
        return Err(no_such(NoSuchDay::Month(month)));
    }
    // Four digits always fit i32, and every month 1..=12 has a first day.
    let year = i32::try_from(year).map_err(|_| unrecognised())?;
    let month_len = days_in_month(year, month);
    if !(1..=month_len).contains(&day) {
        return Err(no_such(NoSuchDay::Day {
            year,
            month,
            days: month_len,
        }));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(unrecognised)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => u32::try_from(b.signed_duration_since(a).num_days()).unwrap_or(31),
        _ => 31,
    }
}

/// Parses a date and optional time: `2025-09-03`, `2025-09-03T14:30`, `2025-09-03 14:30`
/// (seconds allowed). The date part takes everything [`parse_date_input`] takes, so
/// `yesterday 16:00` works. A date alone means midnight; `now`/`现在` means `now`.
pub fn parse_datetime_input(s: &str, now: NaiveDateTime) -> Result<NaiveDateTime, DateInputError> {
    let input = s.trim();
    if matches!(input.to_lowercase().as_str(), "now" | "现在") {
        return Ok(now);
    }
    let (date_part, time_part) = split_date_time(input);
    let date = parse_date_input(date_part, now.date())?;
    let time = match time_part {
        None => NaiveTime::MIN,
        Some(t) => parse_time(t)?,
    };
    Ok(date.and_time(time))
}

/// Splits at the first space, or at a `T` between a digit and a digit (ISO 8601); a `t`
/// inside words like `today` or `Tue` never splits.
fn split_date_time(input: &str) -> (&str, Option<&str>) {
    if let Some((d, t)) = input.split_once(char::is_whitespace) {
        return (d, Some(t.trim()));
    }
    let bytes = input.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if (b == b'T' || b == b't')
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            return (&input[..i], Some(&input[i + 1..]));
        }
    }
    (input, None)
}

fn parse_time(t: &str) -> Result<NaiveTime, DateInputError> {
    let bad = || DateInputError::BadTime {
        input: t.to_string(),
    };
    let parts: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let num = |i: usize| parts.get(i).map_or(Ok(0), |p| p.parse::<u32>());
    match (num(0), num(1), num(2)) {
        (Ok(h), Ok(m), Ok(sec)) => NaiveTime::from_hms_opt(h, m, sec).ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// Term dates to use when none are configured, for academic year Y-(Y+1):
/// term 1: Y-09-01 .. (Y+1)-01-15; term 2: (Y+1)-02-20 .. (Y+1)-07-10;
/// terms 3 and 4 (summer terms, rare): (Y+1)-07-11 .. (Y+1)-08-31.
/// These are typical Chinese university calendars; real dates vary by school and year.
pub fn default_term_dates(term: Term) -> (NaiveDate, NaiveDate) {
    let y = i32::from(term.year);
    // Fixed real calendar days of years 0..=65536: always valid, the fallback is never used.
    let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    match term.n {
        1 => (ymd(y, 9, 1), ymd(y + 1, 1, 15)),
        2 => (ymd(y + 1, 2, 20), ymd(y + 1, 7, 10)),
        _ => (ymd(y + 1, 7, 11), ymd(y + 1, 8, 31)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    // 2025-09-03 is a Wednesday.
    const TODAY: &str = "2025-09-03";

    #[test]
    fn absolute_and_word_dates() {
        let t = d(TODAY);
        let cases = [
            ("2025-09-03", "2025-09-03"),
            ("2025-9-3", "2025-09-03"),
            ("2024/2/29", "2024-02-29"),
            (" today ", "2025-09-03"),
            ("今天", "2025-09-03"),
            ("Yesterday", "2025-09-02"),
            ("昨天", "2025-09-02"),
            ("tomorrow", "2025-09-04"),
            ("+3d", "2025-09-06"),
            ("-2d", "2025-09-01"),
            ("+1w", "2025-09-10"),
            ("-1W", "2025-08-27"),
            ("+0d", "2025-09-03"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_date_input(input, t), Ok(d(want)), "{input}");
        }
    }

    #[test]
    fn weekday_names_mean_the_next_occurrence_today_included() {
        let t = d(TODAY); // Wednesday
        let cases = [
            ("wed", "2025-09-03"),
            ("周三", "2025-09-03"),
            ("thu", "2025-09-04"),
            ("Sunday", "2025-09-07"),
            ("周日", "2025-09-07"),
            ("星期天", "2025-09-07"),
            ("mon", "2025-09-08"),
            ("周一", "2025-09-08"),
            ("tue", "2025-09-09"),
            ("星期二", "2025-09-09"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_date_input(input, t), Ok(d(want)), "{input}");
        }
    }

    #[test]
    fn impossible_dates_say_why() {
        let t = d(TODAY);
        let err = parse_date_input("2025-02-30", t).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no such date: '2025-02-30' (2025-02 has 28 days)"
        );
        let err = parse_date_input("2025-02-29", t).unwrap_err();
        assert!(err.to_string().contains("28 days"));
        assert_eq!(parse_date_input("2028-02-29", t), Ok(d("2028-02-29")));
        let err = parse_date_input("2025-13-01", t).unwrap_err();
        assert!(err.to_string().contains("month 13"));
        assert!(matches!(
            parse_date_input("2025-04-31", t),
            Err(DateInputError::NoSuchDate { .. })
        ));
        assert!(matches!(
            parse_date_input("2025-01-00", t),
            Err(DateInputError::NoSuchDate { .. })
        ));
    }

    #[test]
    fn junk_is_unrecognised() {
        let t = d(TODAY);
        for s in [
            "next week",
            "25-9-3",
            "2025-9",
            "2025-09-03-01",
            "+d",
            "3d",
            "+3x",
            "周八",
            "2025-0x-01",
        ] {
            assert!(
                matches!(parse_date_input(s, t), Err(DateInputError::Unrecognised(_))),
                "{s}"
            );
        }
        assert_eq!(parse_date_input("  ", t), Err(DateInputError::Empty));
        assert!(matches!(
            parse_date_input("+99999999999999999d", t),
            Err(DateInputError::OutOfRange(_))
        ));
    }

    #[test]
    fn date_times() {
        let now = d(TODAY).and_hms_opt(10, 15, 0).unwrap();
        let at = |s: &str, h, m| d(s).and_hms_opt(h, m, 0).unwrap();
        assert_eq!(
            parse_datetime_input("2025-09-01", now),
            Ok(at("2025-09-01", 0, 0))
        );
        assert_eq!(
            parse_datetime_input("2025-09-01T14:30", now),
            Ok(at("2025-09-01", 14, 30))
        );
        assert_eq!(
            parse_datetime_input("2025-09-01 14:30", now),
            Ok(at("2025-09-01", 14, 30))
        );
        assert_eq!(
            parse_datetime_input("2025-9-1 8:05", now),
            Ok(at("2025-09-01", 8, 5))
        );
        assert_eq!(
            parse_datetime_input("yesterday 16:00", now),
            Ok(at("2025-09-02", 16, 0))
        );
        assert_eq!(
            parse_datetime_input("tue 9:00", now),
            Ok(at("2025-09-09", 9, 0))
        );
        assert_eq!(
            parse_datetime_input("today", now),
            Ok(at("2025-09-03", 0, 0))
        );
        assert_eq!(parse_datetime_input("now", now), Ok(now));
        assert!(matches!(
            parse_datetime_input("2025-09-01 25:00", now),
            Err(DateInputError::BadTime { .. })
        ));
        assert!(matches!(
            parse_datetime_input("2025-09-01T14", now),
            Err(DateInputError::BadTime { .. })
        ));
        assert!(matches!(
            parse_datetime_input("2025-02-30 10:00", now),
            Err(DateInputError::NoSuchDate { .. })
        ));
    }

    #[test]
    fn default_terms() {
        let t1 = Term::new(2024, 1).unwrap();
        let t2 = Term::new(2024, 2).unwrap();
        assert_eq!(default_term_dates(t1), (d("2024-09-01"), d("2025-01-15")));
        assert_eq!(default_term_dates(t2), (d("2025-02-20"), d("2025-07-10")));
    }
}
