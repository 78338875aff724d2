//! The cadence vocabulary shared by policies, the schedule form and the CLI:
//! `weekly`, `monthly`, `days:N`, `term:K`, `once:N`.

use std::fmt;
use std::str::FromStr;

/// How often a follow-up is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cadence {
    /// Once in every calendar week, Monday to Sunday.
    Weekly,
    /// Once in every calendar month.
    Monthly,
    /// Once in every N consecutive days counted from the schedule's start.
    Days(u32),
    /// At least K times in the term, spread evenly (see [`crate::schedule::status`]).
    Term(u32),
    /// Once, within N days of the schedule's start.
    Once(u32),
}

/// Upper bounds accepted when parsing. They are far above any sensible follow-up and keep
/// typos like `days:30000000` from turning into schedules nobody meant.
const MAX_DAYS: u32 = 36_600;
const MAX_PER_TERM: u32 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CadenceParseError {
    #[error("not a cadence: '{0}' (expected weekly, monthly, days:N, term:K or once:N)")]
    Unknown(String),
    #[error("bad number in cadence '{input}': {reason}")]
    BadNumber { input: String, reason: String },
}

impl FromStr for Cadence {
    type Err = CadenceParseError;

    /// The ids (`weekly`, `days:14` …) in any case, or the words views show (每周, 每月,
    /// 每14天, 每学期至少3次 or 每学期3次, 14天内一次; every 14 days …), so that a user types
    /// what they read, in a form or after `--every`.
    fn from_str(s: &str) -> Result<Cadence, CadenceParseError> {
        let input = s.trim();
        let lower = words_id(input).unwrap_or_else(|| input.to_ascii_lowercase());
        match lower.as_str() {
            "weekly" => return Ok(Cadence::Weekly),
            "monthly" => return Ok(Cadence::Monthly),
            _ => {}
        }
        let unknown = || CadenceParseError::Unknown(input.to_string());
        let (name, number) = lower.split_once(':').ok_or_else(unknown)?;
        let (make, max): (fn(u32) -> Cadence, u32) = match name.trim() {
            "days" => (Cadence::Days, MAX_DAYS),
            "term" => (Cadence::Term, MAX_PER_TERM),
            "once" => (Cadence::Once, MAX_DAYS),
            _ => return Err(unknown()),
        };
        let bad = |reason: String| CadenceParseError::BadNumber {
            input: input.to_string(),
            reason,
        };
        let number = number.trim();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("'{number}' is not a whole number")));
        }
        // `once:0` is due on its first day (an agreed next talk tomorrow); the others need 1.
        let min = u32::from(name.trim() != "once");
        match number.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(make(n)),
            _ => Err(bad(format!("must be between {min} and {max}"))),
        }
    }
}

/// The id a cadence's words stand for ([`Cadence::describe`]'s, in either language), if
/// they are such words.
fn words_id(s: &str) -> Option<String> {
    fn number(t: &str) -> Option<&str> {
        let t = t.trim();
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then_some(t)
    }
    let en = s.to_ascii_lowercase();
    let en = en.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match s {
        "每周" | "每星期" => "weekly".to_string(),
        "每月" => "monthly".to_string(),
        _ => {
            if let Some(n) = s.strip_prefix("每学期") {
                let n = n.trim_start_matches("至少");
                format!("term:{}", number(n.strip_suffix('次')?)?)
            } else if let Some(n) = s.strip_prefix('每') {
                format!("days:{}", number(n.strip_suffix('天')?)?)
            } else if let Some(n) = s.strip_suffix("天内一次").or(s.strip_suffix("天内")) {
                format!("once:{}", number(n)?)
            } else if let Some(n) = en.strip_prefix("every ") {
                format!("days:{}", number(n.strip_suffix(" days")?)?)
            } else if let Some(n) = en.strip_prefix("at least ") {
                format!("term:{}", number(n.strip_suffix(" times a term")?)?)
            } else {
                let n = en.strip_prefix("once within ")?;
                format!("once:{}", number(n.strip_suffix(" days")?)?)
            }
        }
    })
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::Weekly => f.write_str("weekly"),
            Cadence::Monthly => f.write_str("monthly"),
            Cadence::Days(n) => write!(f, "days:{n}"),
            Cadence::Term(k) => write!(f, "term:{k}"),
            Cadence::Once(n) => write!(f, "once:{n}"),
        }
    }
}

impl Cadence {
    /// Human wording for views, e.g. 每周 / "weekly", 每学期至少3次 / "at least 3 times a term".
    pub fn describe(self, zh: bool) -> String {
        match (self, zh) {
            (Cadence::Weekly, true) => "每周".to_string(),
            (Cadence::Weekly, false) => "weekly".to_string(),
            (Cadence::Monthly, true) => "每月".to_string(),
            (Cadence::Monthly, false) => "monthly".to_string(),
            (Cadence::Days(n), true) => format!("每{n}天"),
            (Cadence::Days(n), false) => format!("every {n} days"),
            (Cadence::Term(k), true) => format!("每学期至少{k}次"),
            (Cadence::Term(k), false) => format!("at least {k} times a term"),
            (Cadence::Once(n), true) => format!("{n}天内一次"),
            (Cadence::Once(n), false) => format!("once within {n} days"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_words_read_as_their_ids() {
        for (words, id) in [
            ("每周", "weekly"),
            ("每星期", "weekly"),
            ("每月", "monthly"),
            ("每14天", "days:14"),
            ("每学期至少3次", "term:3"),
            ("每学期2次", "term:2"),
            ("7天内一次", "once:7"),
            ("7天内", "once:7"),
            ("every 14 days", "days:14"),
            ("At least 3 times a term", "term:3"),
            ("once within 7 days", "once:7"),
        ] {
            assert_eq!(words.parse::<Cadence>(), id.parse::<Cadence>(), "{words}");
        }
        assert!(matches!(
            "每0天".parse::<Cadence>(),
            Err(CadenceParseError::BadNumber { input, .. }) if input == "每0天"
        ));
        assert!(matches!(
            "每天天".parse::<Cadence>(),
            Err(CadenceParseError::Unknown(_))
        ));
    }

    #[test]
    fn round_trips_every_form() {
        for s in ["weekly", "monthly", "days:10", "term:3", "once:14"] {
            let c: Cadence = s.parse().unwrap();
            assert_eq!(c.to_string(), s);
        }
        assert_eq!(" Days:7 ".parse::<Cadence>(), Ok(Cadence::Days(7)));
        assert_eq!("WEEKLY".parse::<Cadence>(), Ok(Cadence::Weekly));
        assert_eq!("once:0".parse::<Cadence>(), Ok(Cadence::Once(0)));
    }

    #[test]
    fn rejects_zero_signs_and_junk() {
        for s in [
            "days:0",
            "term:0",
            "days:-1",
            "days:+3",
            "days:",
            "days:x",
            "days:1.5",
            "days:99999999999",
        ] {
            assert!(
                matches!(
                    s.parse::<Cadence>(),
                    Err(CadenceParseError::BadNumber { .. })
                ),
                "{s}"
            );
        }
        for s in ["", "daily", "fortnightly", "every:3", "weekly:2"] {
            assert!(
                matches!(s.parse::<Cadence>(), Err(CadenceParseError::Unknown(_))),
                "{s}"
            );
        }
    }

    #[test]
    fn bounds_are_inclusive() {
        assert_eq!("days:36600".parse::<Cadence>(), Ok(Cadence::Days(36_600)));
        assert!("days:36601".parse::<Cadence>().is_err());
        assert_eq!("term:1000".parse::<Cadence>(), Ok(Cadence::Term(1000)));
        assert!("term:1001".parse::<Cadence>().is_err());
    }

    #[test]
    fn describes_in_both_languages() {
        assert_eq!(Cadence::Term(3).describe(true), "每学期至少3次");
        assert_eq!(Cadence::Once(14).describe(false), "once within 14 days");
    }
}
