//! A grade row's values packed into its one `v` column (schema 10).
//!
//! Evaluating 50,000 students steps through two million grade rows, and SQLite decodes each
//! column it is asked for: thirteen columns a row were two fifths of a cold evaluation's
//! CPU. The scan now asks for three (`student`, `nature`, `v`), so `v` repeats the key's
//! term, course, kind and sitting beside the values. Only [`encode`] writes `v` (the import's
//! upsert and the migration), so the two cannot disagree; the upsert's "does any value
//! differ" compares `v` as bytes, which holds because the encoding is deterministic.
//!
//! Layout, all integers unsigned LEB128 unless said otherwise:
//! - format byte [`FORMAT`];
//! - term key ([`crate::model::Term::key`]), course id, kind code (byte), sitting (byte);
//! - course term key + 1, 0 for none;
//! - flags (byte): bit 0 minor; bits 1–2 assessment (0 none, 1 exam, 2 coursework);
//!   bits 3–5 mark code (as the old `mark` column); bit 6 credits as tenths; bit 7 score as
//!   tenths;
//! - credits: tenths as an integer when that is exact, else the f64's 8 bytes, little-endian;
//! - score, only for a mark that is a score: the same two ways;
//! - the rest: the result as the registrar wrote it (UTF-8).

use super::DbError;
use super::scan::{Scope, scan_raw};
use crate::model::{Assessment, Mark};

/// The first byte of every packed row: a later layout takes a new number.
pub(super) const FORMAT: u8 = 1;

/// One grade row, as stored. Codes are those documented in `grades.rs`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Packed<'a> {
    pub term: i64,
    pub course: i64,
    pub kind: i64,
    pub sitting: u8,
    pub course_term: Option<i64>,
    pub minor: bool,
    pub assessment: Option<Assessment>,
    pub credits: f64,
    pub mark: Mark,
    pub result: &'a [u8],
}

const MINOR: u8 = 1;
const ASSESSMENT_SHIFT: u8 = 1;
const MARK_SHIFT: u8 = 3;
const CREDITS_TENTHS: u8 = 1 << 6;
const SCORE_TENTHS: u8 = 1 << 7;

/// Writes `p` to `out` (cleared first).
pub(super) fn encode(p: &Packed<'_>, out: &mut Vec<u8>) {
    out.clear();
    out.push(FORMAT);
    // Keys and ids are stored as their two's-complement bits: any i64 round-trips.
    put_varint(out, p.term as u64);
    put_varint(out, p.course as u64);
    out.push(p.kind as u8);
    out.push(p.sitting);
    put_varint(out, p.course_term.map_or(0, |t| (t as u64).wrapping_add(1)));
    let assessment = match p.assessment {
        None => 0,
        Some(Assessment::Exam) => 1,
        Some(Assessment::Coursework) => 2,
    };
    let (mark, score) = mark_code(p.mark);
    let credits = tenths(p.credits);
    let score_tenths = score.map(tenths);
    let mut flags = u8::from(p.minor) | (assessment << ASSESSMENT_SHIFT) | (mark << MARK_SHIFT);
    if credits.is_some() {
        flags |= CREDITS_TENTHS;
    }
    if matches!(score_tenths, Some(Some(_))) {
        flags |= SCORE_TENTHS;
    }
    out.push(flags);
    put_number(out, p.credits, credits);
    if let Some(s) = score {
        put_number(out, s, tenths(s));
    }
    out.extend_from_slice(p.result);
}

/// Reads a row [`encode`] wrote.
pub(super) fn decode(b: &[u8]) -> Result<Packed<'_>, DbError> {
    let corrupt = || DbError::Corrupt("a packed grade row that does not read".into());
    let mut r = Reader { b, at: 0 };
    if r.byte().ok_or_else(corrupt)? != FORMAT {
        return Err(DbError::Corrupt(format!(
            "a packed grade row of format {} (this yujing reads {FORMAT})",
            b[0]
        )));
    }
    let term = r.varint().ok_or_else(corrupt)? as i64;
    let course = r.varint().ok_or_else(corrupt)? as i64;
    let kind = i64::from(r.byte().ok_or_else(corrupt)?);
    let sitting = r.byte().ok_or_else(corrupt)?;
    let course_term = match r.varint().ok_or_else(corrupt)? {
        0 => None,
        k => Some(k.wrapping_sub(1) as i64),
    };
    let flags = r.byte().ok_or_else(corrupt)?;
    let assessment = match (flags >> ASSESSMENT_SHIFT) & 3 {
        0 => None,
        1 => Some(Assessment::Exam),
        2 => Some(Assessment::Coursework),
        _ => return Err(corrupt()),
    };
    let credits = r.number(flags & CREDITS_TENTHS != 0).ok_or_else(corrupt)?;
    let mark = match (flags >> MARK_SHIFT) & 7 {
        0 => Mark::Score(r.number(flags & SCORE_TENTHS != 0).ok_or_else(corrupt)?),
        1 => Mark::PassWord,
        2 => Mark::FailWord,
        3 => Mark::Exempt,
        4 => Mark::Deferred,
        5 => Mark::Empty,
        _ => return Err(corrupt()),
    };
    Ok(Packed {
        term,
        course,
        kind,
        sitting,
        course_term,
        minor: flags & MINOR != 0,
        assessment,
        credits,
        mark,
        result: &b[r.at..],
    })
}

/// Grade rows whose `v` does not read, or names another term, course, kind or sitting than
/// the row's key: what `yujing check` reports (the first [`SHOWN`], then how many more).
pub(super) fn damaged_rows(conn: &rusqlite::Connection) -> Result<Vec<String>, DbError> {
    let mut rows = scan_raw(
        conn,
        "SELECT student, term, course, kind, sitting, v FROM grades",
        6,
        "student, term, course, kind, sitting",
        Scope::All,
        None,
    )?;
    let (mut found, mut more) = (Vec::new(), 0usize);
    while let Some(r) = rows.next()? {
        let key = (r.int(1), r.int(2), r.int(3), r.int(4));
        let why = match decode(r.bytes(5).unwrap_or_default()) {
            Err(e) => e.to_string(),
            Ok(p) if (p.term, p.course, p.kind, i64::from(p.sitting)) != key => {
                "its packed values name another term, course, kind or sitting".into()
            }
            Ok(_) => continue,
        };
        if found.len() < SHOWN {
            found.push(format!(
                "grades row (student {}, term {}, course {}, kind {}, sitting {}): {why}",
                r.int(0),
                key.0,
                key.1,
                key.2,
                key.3
            ));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        found.push(format!("… and {more} more damaged grade rows"));
    }
    Ok(found)
}

/// How many damaged rows [`damaged_rows`] names one by one.
const SHOWN: usize = 10;

/// Schema 10's step: every row of schema 5–9's thirteen-column `grades` packed into
/// `grades_v10`, read and written in key order (so each insert appends).
pub(super) fn pack_schema_9(tx: &rusqlite::Connection) -> rusqlite::Result<()> {
    let bad = |e: DbError| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, Box::new(e))
    };
    let mut read = tx.prepare(
        "SELECT student, term, course, kind, sitting, course_term, minor, nature, assessment, \
         credits, result, mark, score FROM grades ORDER BY student, term, course, kind, sitting",
    )?;
    let mut write = tx.prepare(
        "INSERT INTO grades_v10 (student, term, course, kind, sitting, nature, v) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut rows = read.query([])?;
    let mut v = Vec::new();
    while let Some(r) = rows.next()? {
        let (student, term, course, kind, sitting): (i64, i64, i64, i64, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let nature: Option<String> = r.get(7)?;
        let result: String = r.get(10)?;
        crate::model::AttemptKind::from_code(kind)
            .ok_or_else(|| bad(DbError::Corrupt(format!("attempt kind code {kind}"))))?;
        let row = Packed {
            term,
            course,
            kind,
            sitting: u8::try_from(sitting)
                .map_err(|_| bad(DbError::Corrupt(format!("sitting {sitting}"))))?,
            course_term: r.get(5)?,
            minor: r.get::<_, i64>(6)? != 0,
            assessment: assessment_from_sql(r.get(8)?).map_err(bad)?,
            credits: r.get(9)?,
            mark: mark_from_sql(r.get(11)?, r.get(12)?).map_err(bad)?,
            result: result.as_bytes(),
        };
        encode(&row, &mut v);
        write.execute(rusqlite::params![
            student, term, course, kind, sitting, nature, v
        ])?;
    }
    Ok(())
}

/// Schema 5–9's `assessment` column: 0 exam, 1 coursework, NULL none.
fn assessment_from_sql(code: Option<i64>) -> Result<Option<Assessment>, DbError> {
    match code {
        None => Ok(None),
        Some(0) => Ok(Some(Assessment::Exam)),
        Some(1) => Ok(Some(Assessment::Coursework)),
        Some(c) => Err(DbError::Corrupt(format!("assessment code {c}"))),
    }
}

/// Schema 5–9's `mark` and `score` columns.
fn mark_from_sql(code: i64, score: Option<f64>) -> Result<Mark, DbError> {
    Ok(match (code, score) {
        (0, Some(v)) => Mark::Score(v),
        (1, _) => Mark::PassWord,
        (2, _) => Mark::FailWord,
        (3, _) => Mark::Exempt,
        (4, _) => Mark::Deferred,
        (5, _) => Mark::Empty,
        _ => {
            return Err(DbError::Corrupt(format!(
                "mark code {code} with score {score:?}"
            )));
        }
    })
}

/// The old `mark` column's code, and the score if the mark is one.
fn mark_code(m: Mark) -> (u8, Option<f64>) {
    match m {
        Mark::Score(v) => (0, Some(v)),
        Mark::PassWord => (1, None),
        Mark::FailWord => (2, None),
        Mark::Exempt => (3, None),
        Mark::Deferred => (4, None),
        Mark::Empty => (5, None),
    }
}

/// `x` in tenths when that gives `x` back bit for bit (85, 2.5, 59.5 …): one or two bytes
/// in place of eight.
fn tenths(x: f64) -> Option<u64> {
    let n = (x * 10.0).round();
    (x.is_sign_positive() && (0.0..1e12).contains(&n) && n / 10.0 == x).then_some(n as u64)
}

fn put_number(out: &mut Vec<u8>, x: f64, tenths: Option<u64>) {
    match tenths {
        Some(n) => put_varint(out, n),
        None => out.extend_from_slice(&x.to_le_bytes()),
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let v = *self.b.get(self.at)?;
        self.at += 1;
        Some(v)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn number(&mut self, tenths: bool) -> Option<f64> {
        if tenths {
            return Some(self.varint()? as f64 / 10.0);
        }
        let bytes = self.b.get(self.at..self.at + 8)?;
        self.at += 8;
        Some(f64::from_le_bytes(bytes.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mark() -> impl Strategy<Value = Mark> {
        prop_oneof![
            any::<f64>().prop_map(Mark::Score),
            (0u32..2000).prop_map(|n| Mark::Score(f64::from(n) / 10.0)),
            Just(Mark::PassWord),
            Just(Mark::FailWord),
            Just(Mark::Exempt),
            Just(Mark::Deferred),
            Just(Mark::Empty),
        ]
    }

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            (0u32..200).prop_map(|n| f64::from(n) / 10.0),
            Just(-0.0),
            Just(0.1 + 0.2),
        ]
    }

    /// The same bits, so that a NaN or a negative zero also counts as given back.
    fn same(a: &Packed<'_>, b: &Packed<'_>) -> bool {
        let bits = |m: Mark| match m {
            Mark::Score(v) => Some(v.to_bits()),
            _ => None,
        };
        a.term == b.term
            && a.course == b.course
            && a.kind == b.kind
            && a.sitting == b.sitting
            && a.course_term == b.course_term
            && a.minor == b.minor
            && a.assessment == b.assessment
            && a.credits.to_bits() == b.credits.to_bits()
            && std::mem::discriminant(&a.mark) == std::mem::discriminant(&b.mark)
            && bits(a.mark) == bits(b.mark)
            && a.result == b.result
    }

    proptest! {
        /// Whatever a row holds comes back bit for bit, and equal rows pack to equal bytes
        /// (the upsert tells "unchanged" by comparing them).
        #[test]
        fn every_row_round_trips(
            term in any::<i64>(),
            course in any::<i64>(),
            kind in 0i64..5,
            sitting in any::<u8>(),
            course_term in proptest::option::of(any::<i64>()),
            minor in any::<bool>(),
            assessment in prop_oneof![
                Just(None),
                Just(Some(Assessment::Exam)),
                Just(Some(Assessment::Coursework))
            ],
            credits in number(),
            mark in mark(),
            result in ".{0,12}",
        ) {
            let p = Packed {
                term, course, kind, sitting, course_term, minor, assessment, credits, mark,
                result: result.as_bytes(),
            };
            let mut a = Vec::new();
            encode(&p, &mut a);
            let back = decode(&a).unwrap();
            prop_assert!(same(&p, &back), "{p:?} came back as {back:?}");
            let mut b = vec![9; 3];
            encode(&back, &mut b);
            prop_assert_eq!(a, b);
        }

        /// Cut short or with a bad format byte, a row is an error, never a panic or a guess.
        #[test]
        fn a_damaged_row_is_an_error(cut in 0usize..40) {
            let p = Packed {
                term: 20241, course: 300, kind: 0, sitting: 1, course_term: None,
                minor: false, assessment: Some(Assessment::Exam), credits: 0.1 + 0.2,
                mark: Mark::Score(59.99), result: b"",
            };
            let mut a = Vec::new();
            encode(&p, &mut a);
            prop_assert!(decode(&a[..cut.min(a.len() - 1)]).is_err());
            a[0] = FORMAT + 1;
            prop_assert!(decode(&a).is_err());
        }
    }

    #[test]
    fn a_usual_row_takes_fifteen_bytes() {
        let p = Packed {
            term: 20241,
            course: 3000,
            kind: 0,
            sitting: 1,
            course_term: None,
            minor: false,
            assessment: Some(Assessment::Exam),
            credits: 3.5,
            mark: Mark::Score(85.0),
            result: b"85",
        };
        let mut a = Vec::new();
        encode(&p, &mut a);
        assert_eq!(a.len(), 15, "{a:?}");
        assert_eq!(decode(&a).unwrap(), p);
    }

    /// Schema 10 packs the thirteen columns of schema 9: every value an earlier yujing
    /// stored reads back as it was (decimals, a NULL score or assessment, a course term, a
    /// minor course, each mark), and the grades key is kept.
    #[test]
    fn schema_10_keeps_every_stored_grade() {
        use super::super::migrations::{LATEST, migrate, migrate_to};
        use crate::model::{Assessment, AttemptKind, Mark, Nature, Term};
        use rusqlite::Connection;
        use std::path::Path;
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 9).unwrap();
        conn.execute_batch(
            "INSERT INTO students VALUES (7, '2022001', '张三', '', '', '', '', '', '', '', '', '', '', 0);
             INSERT INTO courses VALUES (1, 'MA101', '高等数学'), (2, 'PE1', '体育');
             INSERT INTO grades (student, term, course, kind, sitting, course_term, minor,
                                 nature, assessment, credits, result, mark, score) VALUES
               (7, 20241, 1, 0, 1, NULL, 0, '专业必修课', 0, 4, '45', 0, 45),
               (7, 20242, 1, 1, 2, 20241, 0, '专业必修课', 0, 4, '59.99', 0, 59.99),
               (7, 20241, 2, 0, 1, NULL, 1, NULL, NULL, 0.3, '及格', 1, NULL),
               (7, 20242, 2, 3, 1, NULL, 0, '公选课', 1, 1.5, '', 5, NULL);",
        )
        .unwrap();
        migrate(&mut conn, Path::new("t.db")).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, LATEST);
        let mut read = Vec::new();
        let all = super::super::scan::Scope::All;
        super::super::grades::AttemptReader::new(&conn, all)
            .unwrap()
            .read(&conn, all, |student, attempts| {
                read.push((student, attempts))
            })
            .unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].0, 7);
        let t = |s: &str| s.parse::<Term>().unwrap();
        let got: Vec<_> = read[0]
            .1
            .iter()
            .map(|a| {
                let nature = a.nature_raw.as_deref().map(str::to_string);
                (
                    (&*a.course_code, a.term, a.kind, a.sitting, a.course_term),
                    (a.minor, nature, a.nature.clone(), a.assessment),
                    (a.credits, &*a.result, a.mark),
                )
            })
            .collect();
        let required = Some("专业必修课".to_string());
        assert_eq!(
            got,
            [
                (
                    ("MA101", t("2024-2025-1"), AttemptKind::Regular, 1, None),
                    (
                        false,
                        required.clone(),
                        Some(Nature::Required),
                        Some(Assessment::Exam)
                    ),
                    (4.0, "45", Mark::Score(45.0)),
                ),
                (
                    (
                        "MA101",
                        t("2024-2025-2"),
                        AttemptKind::Makeup,
                        2,
                        Some(t("2024-2025-1"))
                    ),
                    (
                        false,
                        required,
                        Some(Nature::Required),
                        Some(Assessment::Exam)
                    ),
                    (4.0, "59.99", Mark::Score(59.99)),
                ),
                (
                    ("PE1", t("2024-2025-1"), AttemptKind::Regular, 1, None),
                    (true, None, None, None),
                    (0.3, "及格", Mark::PassWord),
                ),
                (
                    ("PE1", t("2024-2025-2"), AttemptKind::Deferred, 1, None),
                    (
                        false,
                        Some("公选课".to_string()),
                        Some(Nature::GeneralElective),
                        Some(Assessment::Coursework)
                    ),
                    (1.5, "", Mark::Empty),
                ),
            ]
        );
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('grades')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            columns,
            [
                "student", "term", "course", "kind", "sitting", "nature", "v"
            ]
        );
    }
}
