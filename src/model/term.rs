//! The academic term (学年-学期) and its text form.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An academic term `YYYY-YYYY-N` (学年-学期). Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term {
    /// First calendar year of the academic year (2024 for 2024-2025).
    pub year: u16,
    /// Term number within the academic year, 1..=4 (most schools use 1 and 2; 3 is a summer term).
    pub n: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a term: '{0}' (expected YYYY-YYYY-N, e.g. 2024-2025-1)")]
pub struct TermParseError(pub String);

impl Term {
    pub fn new(year: u16, n: u8) -> Option<Term> {
        ((1900..=2999).contains(&year) && (1..=4).contains(&n)).then_some(Term { year, n })
    }

    /// Compact integer form used as a sort/storage key: 2024-2025-1 → 20241.
    pub fn key(self) -> i64 {
        i64::from(self.year) * 10 + i64::from(self.n)
    }

    pub fn from_key(k: i64) -> Option<Term> {
        let year = u16::try_from(k / 10).ok()?;
        let n = u8::try_from(k % 10).ok()?;
        Term::new(year, n)
    }

    /// Builds a term from the registrar's two columns 学年 (`2024-2025`) and 学期
    /// (`1`, `2`, `一`, `二`, `第一学期`, `第2学期` …).
    pub fn from_year_and_term(year: &str, term: &str) -> Result<Term, TermParseError> {
        let bad = || TermParseError(format!("{year} {term}"));
        let (y1, y2) = year.trim().split_once('-').ok_or_else(bad)?;
        let y1: u16 = y1.trim().parse().map_err(|_| bad())?;
        let y2: u16 = y2.trim().parse().map_err(|_| bad())?;
        if y2 != y1 + 1 {
            return Err(bad());
        }
        let t = term
            .trim()
            .trim_start_matches('第')
            .trim_end_matches("学期")
            .trim();
        let n = match t {
            "1" | "一" => 1,
            "2" | "二" => 2,
            // 正方's internal codes: 3 is term 1 there, but alone it is a summer term; the
            // row parser decides "3" per file (see `import::rows`).
            "12" => 2,
            "3" | "三" | "16" | "夏季" | "小" | "暑期" | "短" => 3,
            "4" | "四" => 4,
            _ => return Err(bad()),
        };
        Term::new(y1, n).ok_or_else(bad)
    }

    /// The term every `term_*` metric reads this one as: a summer term (学期 3, 4) belongs to
    /// term 2 of its academic year (policies.md).
    pub fn folded(self) -> Term {
        if self.n > 2 {
            Term {
                year: self.year,
                n: 2,
            }
        } else {
            self
        }
    }

    /// Whether this is a summer (short) term, never a default assessed term.
    pub fn is_summer(self) -> bool {
        self.n > 2
    }

    /// The term before this one, assuming two terms a year (the usual case).
    pub fn previous(self) -> Term {
        if self.n > 1 {
            Term {
                year: self.year,
                n: self.n - 1,
            }
        } else {
            Term {
                year: self.year - 1,
                n: 2,
            }
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.year, self.year + 1, self.n)
    }
}

impl FromStr for Term {
    type Err = TermParseError;
    fn from_str(s: &str) -> Result<Term, TermParseError> {
        let bad = || TermParseError(s.to_string());
        let s = s.trim();
        let mut parts = s.splitn(3, '-');
        let (a, b, c) = (
            parts.next().ok_or_else(bad)?,
            parts.next().ok_or_else(bad)?,
            parts.next().ok_or_else(bad)?,
        );
        Term::from_year_and_term(&format!("{a}-{b}"), c).map_err(|_| bad())
    }
}

impl Serialize for Term {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Term, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
