//! Things said twice in one file: two columns headed alike, and one key on two rows.
//! Either would otherwise be settled silently by position (first column wins, last row wins),
//! and a counsellor would never learn that the file contradicts itself.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::FixedState;

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
            Slot::Occupied(e) => return Some((e.key().clone(), *e.get() + 1, i + 1)),
            Slot::Vacant(v) => {
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
    /// The student a record belongs to: every stored key starts with it.
    fn student_id(&self) -> &str {
        match self {
            Record::Student(s) => &s.student_id,
            Record::Grade { student_id, .. }
            | Record::Absence { student_id, .. }
            | Record::Fitness { student_id, .. }
            | Record::Flag { student_id, .. } => student_id,
        }
    }

    /// Feeds the rest of the stored key (after the student) into `h`; false for records that
    /// never collide. Must agree with [`Record::key`] and with the key columns of each table
    /// (db/grades.rs …): a grade's sitting number is part of it, so that 补考一 and 补考二 of
    /// one course are two facts, not one said twice.
    fn hash_key(&self, h: &mut impl Hasher) -> bool {
        match self {
            Record::Student(_) => {}
            Record::Grade { attempt, .. } => (
                &attempt.course_code,
                attempt.term,
                attempt.kind,
                attempt.sitting,
            )
                .hash(h),
            Record::Absence { .. } => return false,
            Record::Fitness { record, .. } => record.term.hash(h),
            Record::Flag { flag, .. } => (flag.term, flag.kind).hash(h),
        }
        true
    }

    /// Feeds every stored value into `h`. Grades and fitness records are taken apart field by
    /// field, so that a new field (the coordinator's readings add some) fails to compile here
    /// until it is given its place.
    fn hash_value(&self, h: &mut impl Hasher) {
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

/// No entry: the end of a chain.
const NONE: u32 = u32::MAX;
/// A student with more keys than this gets a map of its own, so that a file holding one
/// student a million times costs no quadratic scan.
const CHAIN_LIMIT: u32 = 64;

/// One key met in the file: the rest of the key after the student (64 bits: a student has a
/// few dozen keys, so a false match is out of reach), 32 bits of its values (a real conflict
/// passes for a repeat one time in four billion), its line, and the student's previous key.
#[derive(Clone, Copy)]
struct Entry {
    key: u64,
    value: u32,
    line: u32,
    prev: u32,
}

/// A student's keys: a chain through `entries` (newest first), or a map once it is long.
enum Keys {
    Chain { newest: u32, len: u32 },
    Map(HashMap<u64, u32, FixedState>),
}

/// The keys met so far in one file, grouped by student: about 20 bytes a row, with no table
/// to rehash as the file grows (a 2,000,000-row file holds 40 MB). Registrar files list a
/// student's rows together, so a student's chain is short and warm in the cache.
#[derive(Default)]
pub struct KeySeen {
    students: HashMap<String, Keys, FixedState>,
    entries: Vec<Entry>,
}

fn hasher() -> impl Hasher {
    FixedState::with_seed(0x79_75_6a_69_6e_67).build_hasher()
}

impl KeySeen {
    pub fn offer(&mut self, rec: &Record, line: usize) -> Seen {
        let mut h = hasher();
        if !rec.hash_key(&mut h) {
            return Seen::First;
        }
        let key = h.finish();
        let mut h = hasher();
        rec.hash_value(&mut h);
        // Half the bits suffice to tell a repeat from a conflict (see `Entry`).
        let value = h.finish() as u32;
        let line32 = u32::try_from(line).unwrap_or(u32::MAX);
        let at = u32::try_from(self.entries.len()).unwrap_or(NONE);
        let verdict = |e: &Entry| {
            let first = e.line as usize;
            if e.value == value {
                Seen::Again(first)
            } else {
                Seen::Conflict(first)
            }
        };
        let keys = match self.students.get_mut(rec.student_id()) {
            Some(k) => k,
            None => self
                .students
                .entry(rec.student_id().to_string())
                .or_insert(Keys::Chain {
                    newest: NONE,
                    len: 0,
                }),
        };
        match keys {
            Keys::Chain { newest, len } => {
                let mut i = *newest;
                while let Some(e) = self.entries.get(i as usize) {
                    if e.key == key {
                        return verdict(e);
                    }
                    i = e.prev;
                }
                self.entries.push(Entry {
                    key,
                    value,
                    line: line32,
                    prev: *newest,
                });
                *newest = at;
                *len += 1;
                if *len > CHAIN_LIMIT {
                    let mut map = HashMap::with_hasher(FixedState::default());
                    let mut i = at;
                    while let Some(e) = self.entries.get(i as usize) {
                        map.insert(e.key, i);
                        i = e.prev;
                    }
                    *keys = Keys::Map(map);
                }
            }
            Keys::Map(map) => {
                if let Some(e) = map.get(&key).and_then(|i| self.entries.get(*i as usize)) {
                    return verdict(e);
                }
                self.entries.push(Entry {
                    key,
                    value,
                    line: line32,
                    prev: NONE,
                });
                map.insert(key, at);
            }
        }
        Seen::First
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
        // Another student with the same values is no repeat.
        let mut c = a.clone();
        if let Record::Student(s) = &mut c {
            s.student_id = "2".into();
        }
        assert_eq!(seen.offer(&c, 7), Seen::First);
        assert_eq!(seen.offer(&absence, 5), Seen::First);
        assert_eq!(seen.offer(&absence, 6), Seen::First);
    }

    fn grade(student: &str, course: usize, score: f64) -> Record {
        use crate::model::{AttemptKind, Mark};
        Record::Grade {
            student_id: student.into(),
            attempt: Attempt {
                course_code: format!("C{course}").into(),
                course_name: "".into(),
                term: "2024-2025-1".parse().unwrap(),
                kind: AttemptKind::Regular,
                sitting: 1,
                course_term: None,
                minor: false,
                nature: None,
                nature_raw: None,
                assessment: None,
                credits: 2.0,
                result: score.to_string().into(),
                mark: Mark::Score(score),
            },
        }
    }

    #[test]
    fn students_out_of_order_and_students_with_many_keys() {
        let mut seen = KeySeen::default();
        // Rows sorted by course, not by student: every student comes back many times, and
        // one student holds more keys than a chain keeps before it becomes a map.
        let mut line = 1;
        for course in 0..200 {
            for student in ["1", "2", "3"] {
                line += 1;
                assert_eq!(seen.offer(&grade(student, course, 70.0), line), Seen::First);
            }
        }
        // Line of (student "2", course c) is 2 + 3c + 1.
        for course in [0, 63, 64, 65, 199] {
            let first = 3 + 3 * course;
            assert_eq!(
                seen.offer(&grade("2", course, 70.0), 9_000),
                Seen::Again(first)
            );
            assert_eq!(
                seen.offer(&grade("2", course, 71.0), 9_001),
                Seen::Conflict(first)
            );
        }
        assert_eq!(seen.offer(&grade("2", 200, 70.0), 9_002), Seen::First);
        assert_eq!(seen.offer(&grade("4", 0, 70.0), 9_003), Seen::First);
    }
}
