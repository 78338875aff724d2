//! Reading single cells: trimming, full-width digits, and the registrar's words for attempt
//! kinds, yes/no marks and the fitness requirement. Nothing here knows the row around it.

use std::borrow::Cow;

use super::{Location, RowError};
use crate::model::{AttemptKind, LATE_MAKEUP_SITTING, normalise_digits};

/// Why a row is bad, before its location is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl Bad {
    pub fn at(self, location: Location) -> RowError {
        RowError {
            location,
            column: self.column,
            value: self.value,
            reason: self.reason,
        }
    }
}

/// A text cell longer than this (in characters) is a bad row.
pub const MAX_CELL_CHARS: usize = 1_000;
/// No course is worth more credits than this; more is a slip of the registrar's keyboard.
pub const MAX_CREDITS: f64 = 30.0;
/// No term has more class hours than this to miss.
pub const MAX_ABSENCE_HOURS: f64 = 1000.0;

/// Full-width digits to ASCII, without allocating for the usual all-ASCII cell.
pub(super) fn norm(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(normalise_digits(s))
    }
}

/// `str::trim`, with a fast path for the usual cell that starts and ends in ASCII.
pub(super) fn trim_cell(s: &str) -> &str {
    let t = s.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(b)) if !a.is_ascii() || !b.is_ascii() => t.trim(),
        _ => t,
    }
}

/// 成绩性质 / 考试性质 as import.md lists them: the kind and its sitting number.
pub(super) fn attempt_kind(raw: &str) -> Option<(AttemptKind, u8)> {
    use AttemptKind::*;
    Some(match raw {
        // An empty cell states no kind: the usual sitting.
        "" | "正常考试" | "正考" | "初修" | "正常" => (Regular, 1),
        "补考" | "补考一" | "补考1" | "第一次补考" | "一次补考" => (Makeup, 1),
        "补考二" | "补考2" | "二次补考" | "第二次补考" => (Makeup, 2),
        "毕业前补考" | "清考" | "毕业清考" => (Makeup, LATE_MAKEUP_SITTING),
        "重修" | "重修重考" => (Retake, 1),
        "重修补考" => (RetakeMakeup, 1),
        "缓考" => (Deferred, 1),
        _ => match raw.to_ascii_lowercase().as_str() {
            "regular" => (Regular, 1),
            "makeup" | "makeup1" => (Makeup, 1),
            "makeup2" => (Makeup, 2),
            "retake" => (Retake, 1),
            "deferred" => (Deferred, 1),
            _ => return None,
        },
    })
}

/// 重修标记 / 辅修标记 cells: 1, 是, Y … set; 0, 否, empty not.
pub(super) fn flag_set(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "否" | "n" | "no" | "false" => Some(false),
        "1" | "是" | "y" | "yes" | "true" | "√" => Some(true),
        _ => None,
    }
}

/// 毕业要求: met, not met, or not stated (an empty cell).
pub(super) fn graduation_met(raw: &str) -> Option<Option<bool>> {
    Some(match raw {
        "" => None,
        "达到" | "已达到" | "达标" => Some(true),
        "未达到" | "未达标" | "不达标" => Some(false),
        _ => return None,
    })
}
