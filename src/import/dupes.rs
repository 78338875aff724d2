//! Things said twice in one file: two columns headed alike, and one key on two rows.
//! Either would otherwise be settled silently by position (first column wins, last row wins),
//! and a counsellor would never learn that the file contradicts itself.

use std::collections::HashMap;
use std::collections::hash_map::{DefaultHasher, Entry};
use std::hash::{Hash, Hasher};

use super::Dataset;
use super::Record;
use super::headers::{Field, field_of};
use crate::model::{Attempt, FitnessRecord, Mark};

/// Whether a dataset reads a field: duplicates among the others are harmless extra columns.
pub(super) fn reads(dataset: Dataset, f: Field, wide: bool) -> bool {
    use Field::*;
    let profile = matches!(
        f,
        Name | College
            | Major
            | Cohort
            | Class
            | Phone
            | Parent
            | ParentPhone
            | Address
            | ClassTeacher
            | Counsellor
    );
    let id_or_term = matches!(f, StudentId | Year | Semester | Term);
    match dataset {
        Dataset::Students => profile || f == StudentId,
        // Grades read every course and result column, and 备注 as the wide layout's remark.
        Dataset::Grades => match f {
            AbsenceHours | FitnessScore | GraduationMet | FlagKind => false,
            Note => wide,
            _ => !profile,
        },
        Dataset::Absences => id_or_term || f == AbsenceHours,
        Dataset::Fitness => id_or_term || matches!(f, FitnessScore | GraduationMet),
        Dataset::Flags => id_or_term || matches!(f, FlagKind | Note),
    }
}

/// Two columns of the header with the same text, when that text names a field the dataset
/// reads: `(text, first column, second column)`, columns numbered from 1.
pub fn duplicate_header<S: AsRef<str>>(
    dataset: Dataset,
    cells: &[S],
) -> Option<(String, usize, usize)> {
    let fields: Vec<Option<Field>> = cells.iter().map(|c| field_of(c.as_ref())).collect();
    let wide = fields.iter().any(|f| {
        matches!(
            f,
            Some(Field::MakeupResult | Field::RetakeResult | Field::ResultRemark)
        )
    });
    let trimmed = |s: &S| {
        s.as_ref()
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .to_string()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, (cell, field)) in cells.iter().zip(&fields).enumerate() {
        let Some(f) = field else { continue };
        if !reads(dataset, *f, wide) {
            continue;
        }
        match seen.entry(trimmed(cell)) {
            Entry::Occupied(e) => return Some((e.key().clone(), *e.get() + 1, i + 1)),
            Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    None
}

/// Spreadsheet letters for a 1-based column number (1 → A, 28 → AB).
pub fn column_letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// What identifies one stored fact, and its words for messages.
pub struct Key {
    text: String,
    /// What the key is made of, (Chinese, English): "student, course, term and sitting" …
    pub what: (&'static str, &'static str),
}

impl Key {
    /// The key's parts as one line for the message (student id, course …).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Record {
    /// The record's key as stored, or `None` for records that never collide: several
    /// absence rows of one term are summed, not duplicates.
    pub fn key(&self) -> Option<Key> {
        let (text, what) = match self {
            Record::Student(s) => (s.student_id.clone(), ("学号", "student id")),
            // The stored grade key (db/grades.rs): student, course, term, sitting kind.
            Record::Grade {
                student_id,
                attempt,
            } => (
                format!(
                    "{student_id} {} {} {:?} {}",
                    attempt.course_code, attempt.term, attempt.kind, attempt.sitting
                ),
                (
                    "学号、课程、学期和考试性质",
                    "student, course, term and sitting",
                ),
            ),
            Record::Absence { .. } => return None,
            Record::Fitness { student_id, record } => (
                format!("{student_id} {}", record.term),
                ("学号和学期", "student and term"),
            ),
            Record::Flag { student_id, flag } => (
                format!("{student_id} {} {:?}", flag.term, flag.kind),
                ("学号、学期和类型", "student, term and flag kind"),
            ),
        };
        Some(Key { text, what })
    }
}

impl Record {
    /// Feeds the stored key into `h`; false for records that never collide. Must agree with
    /// [`Record::key`] and with the key columns of each table (db/grades.rs …): a grade's
    /// sitting number is part of it, so that 补考一 and 补考二 of one course are two facts,
    /// not one said twice.
    fn hash_key(&self, h: &mut DefaultHasher) -> bool {
        match self {
            Record::Student(s) => s.student_id.hash(h),
            Record::Grade {
                student_id,
                attempt,
            } => (
                student_id,
                &attempt.course_code,
                attempt.term,
                attempt.kind,
                attempt.sitting,
            )
                .hash(h),
            Record::Absence { .. } => return false,
            Record::Fitness { student_id, record } => (student_id, record.term).hash(h),
            Record::Flag { student_id, flag } => (student_id, flag.term, flag.kind).hash(h),
        }
        true
    }

    /// Feeds every stored value into `h`. Grades and fitness records are taken apart field by
    /// field, so that a new field (the coordinator's readings add some) fails to compile here
    /// until it is given its place.
    fn hash_value(&self, h: &mut DefaultHasher) {
        match self {
            // Every field, through its Debug form: a roster is a few thousand rows, so one
            // string a row costs nothing, and no field can be forgotten.
            Record::Student(s) => format!("{s:?}").hash(h),
            Record::Grade { attempt, .. } => {
                let Attempt {
                    course_code: _,
                    course_name,
                    term: _,
                    kind: _,
                    sitting: _,
                    course_term,
                    minor,
                    nature,
                    nature_raw,
                    assessment,
                    credits,
                    result,
                    mark,
                } = attempt;
                (
                    course_name,
                    course_term,
                    minor,
                    nature,
                    nature_raw,
                    assessment,
                    credits.to_bits(),
                    result,
                )
                    .hash(h);
                std::mem::discriminant(mark).hash(h);
                if let Mark::Score(v) = mark {
                    v.to_bits().hash(h);
                }
            }
            Record::Absence { hours, .. } => hours.to_bits().hash(h),
            Record::Fitness { record, .. } => {
                let FitnessRecord {
                    term: _,
                    score,
                    word,
                    graduation_met,
                } = record;
                (score.map(f64::to_bits), word, graduation_met).hash(h);
            }
            Record::Flag { flag, .. } => flag.note.hash(h),
        }
    }
}

/// What a record is, seen against the records before it in the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    First,
    /// The same key with the same values on this earlier line: counted once.
    Again(usize),
    /// The same key with other values on this earlier line.
    Conflict(usize),
}

/// The keys met so far in one file: 128 bits of each key (two salted hashes, so a
/// million-row file keeps a few dozen bytes a row and a false match is out of reach) with
/// the line it was first met on and a hash of its values.
#[derive(Default)]
pub struct KeySeen {
    keys: HashMap<u128, (usize, u64)>,
}

impl KeySeen {
    pub fn offer(&mut self, rec: &Record, line: usize) -> Seen {
        let half = |salt: u8| {
            let mut h = DefaultHasher::new();
            salt.hash(&mut h);
            rec.hash_key(&mut h).then(|| h.finish())
        };
        let (Some(hi), Some(lo)) = (half(0), half(1)) else {
            return Seen::First;
        };
        let mut h = DefaultHasher::new();
        rec.hash_value(&mut h);
        let value = h.finish();
        match self.keys.entry((u128::from(hi) << 64) | u128::from(lo)) {
            Entry::Vacant(v) => {
                v.insert((line, value));
                Seen::First
            }
            Entry::Occupied(o) if o.get().1 == value => Seen::Again(o.get().0),
            Entry::Occupied(o) => Seen::Conflict(o.get().0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Student;

    #[test]
    fn duplicate_headers_that_are_read_are_found() {
        let g = Dataset::Grades;
        assert_eq!(
            duplicate_header(
                g,
                &["学号", "学年学期", "课程代码", "学分", "成绩", " 成绩 "]
            ),
            Some(("成绩".into(), 5, 6))
        );
        // Two 备注 columns in a long grades file: it reads neither.
        assert_eq!(duplicate_header(g, &["学号", "成绩", "备注", "备注"]), None);
        assert_eq!(
            duplicate_header(g, &["学号", "成绩", "重修成绩", "备注", "备注"]),
            Some(("备注".into(), 4, 5))
        );
        // Different accepted names for one field are not duplicates (the first is used).
        assert_eq!(duplicate_header(g, &["学号", "成绩", "总评成绩"]), None);
        // A students import does not read 成绩.
        assert_eq!(
            duplicate_header(Dataset::Students, &["学号", "成绩", "成绩"]),
            None
        );
        assert_eq!(
            duplicate_header(Dataset::Students, &["学号", "姓名", "x", "姓名"]),
            Some(("姓名".into(), 2, 4))
        );
        assert_eq!(
            duplicate_header(Dataset::Absences, &["学号", "姓名", "姓名", "旷课学时"]),
            None
        );
    }

    #[test]
    fn letters() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(28), "AB");
        assert_eq!(column_letters(16384), "XFD");
    }

    #[test]
    fn keys_tell_repeats_from_conflicts() {
        let a = Record::Student(Student {
            student_id: "1".into(),
            name: "张三".into(),
            ..Student::default()
        });
        let mut b = a.clone();
        if let Record::Student(s) = &mut b {
            s.name = "李四".into();
        }
        let mut seen = KeySeen::default();
        assert_eq!(seen.offer(&a, 2), Seen::First);
        assert_eq!(seen.offer(&a, 3), Seen::Again(2));
        assert_eq!(seen.offer(&b, 4), Seen::Conflict(2));
        let absence = Record::Absence {
            student_id: "1".into(),
            term: "2024-2025-1".parse().unwrap(),
            hours: 2.0,
            seq: "1".into(),
        };
        assert!(absence.key().is_none());
        assert_eq!(seen.offer(&absence, 5), Seen::First);
        assert_eq!(seen.offer(&absence, 6), Seen::First);
    }
}
