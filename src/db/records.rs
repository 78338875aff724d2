//! Absences (旷课), fitness tests (体测) and counsellor flags.
//!
//! Stored codes: `fitness.graduation_met` 1 met, 0 not met, NULL not stated; `flags.kind`
//! 0 discipline, 1 wellbeing, 2 psychological (never renumber).

use std::sync::LazyLock;

use rusqlite::Connection;

use super::scan::{Scope, scan};
use super::tx::Upsert;
use super::{Change, DbError, ImportTx, term_of};
use crate::model::{FitnessRecord, Flag, FlagKind, Term};

static ABSENCE: LazyLock<Upsert> =
    LazyLock::new(|| Upsert::new("absences", &["student", "term", "seq"], &["hours"]));
static FITNESS: LazyLock<Upsert> = LazyLock::new(|| {
    Upsert::new(
        "fitness",
        &["student", "term"],
        &["score", "word", "graduation_met"],
    )
});
static FLAG: LazyLock<Upsert> =
    LazyLock::new(|| Upsert::new("flags", &["student", "term", "kind"], &["note"]));

pub(super) fn flag_code(k: FlagKind) -> i64 {
    match k {
        FlagKind::Discipline => 0,
        FlagKind::Wellbeing => 1,
        FlagKind::Psychological => 2,
    }
}

fn flag_kind(code: i64) -> Result<FlagKind, DbError> {
    match code {
        0 => Ok(FlagKind::Discipline),
        1 => Ok(FlagKind::Wellbeing),
        2 => Ok(FlagKind::Psychological),
        c => Err(DbError::Corrupt(format!("flag kind code {c}"))),
    }
}

impl ImportTx<'_> {
    /// One absence row, keyed by student, term and `seq` (which tells apart several rows of
    /// one term, so re-importing a file changes nothing).
    pub fn upsert_absence(
        &mut self,
        student_id: &str,
        term: Term,
        hours: f64,
        seq: &str,
    ) -> Result<Change, DbError> {
        let student = self.student_rowid(student_id)?;
        self.run(&ABSENCE, &[&student, &term.key(), &seq, &hours])
    }

    /// One fitness record, keyed by student and term.
    pub fn upsert_fitness(
        &mut self,
        student_id: &str,
        r: &FitnessRecord,
    ) -> Result<Change, DbError> {
        let student = self.student_rowid(student_id)?;
        self.run(
            &FITNESS,
            &[
                &student,
                &r.term.key(),
                &r.score,
                &r.word,
                &r.graduation_met,
            ],
        )
    }

    /// One flag, keyed by student, term and kind.
    pub fn upsert_flag(&mut self, student_id: &str, f: &Flag) -> Result<Change, DbError> {
        let student = self.student_rowid(student_id)?;
        self.run(
            &FLAG,
            &[&student, &f.term.key(), &flag_code(f.kind), &f.note],
        )
    }
}

pub(super) fn read_absences(
    conn: &Connection,
    scope: Scope,
    upto: Term,
    sink: impl FnMut(i64, (Term, f64)),
) -> Result<(), DbError> {
    let map = |r: &rusqlite::Row<'_>| Ok((term_of(r.get(1)?)?, r.get(2)?));
    scan(
        conn,
        "SELECT student, term, hours FROM absences",
        "student, term, seq",
        scope,
        Some(upto),
        map,
        sink,
    )
}

pub(super) fn read_fitness(
    conn: &Connection,
    scope: Scope,
    upto: Term,
    sink: impl FnMut(i64, FitnessRecord),
) -> Result<(), DbError> {
    let map = |r: &rusqlite::Row<'_>| {
        Ok(FitnessRecord {
            term: term_of(r.get(1)?)?,
            score: r.get(2)?,
            word: r.get(3)?,
            graduation_met: r.get(4)?,
        })
    };
    let select = "SELECT student, term, score, word, graduation_met FROM fitness";
    scan(conn, select, "student, term", scope, Some(upto), map, sink)
}

pub(super) fn read_flags(
    conn: &Connection,
    scope: Scope,
    upto: Term,
    sink: impl FnMut(i64, Flag),
) -> Result<(), DbError> {
    let map = |r: &rusqlite::Row<'_>| {
        Ok(Flag {
            term: term_of(r.get(1)?)?,
            kind: flag_kind(r.get(2)?)?,
            note: r.get(3)?,
        })
    };
    scan(
        conn,
        "SELECT student, term, kind, note FROM flags",
        "student, term, kind",
        scope,
        Some(upto),
        map,
        sink,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_codes_round_trip() {
        for k in [
            FlagKind::Discipline,
            FlagKind::Wellbeing,
            FlagKind::Psychological,
        ] {
            assert_eq!(flag_kind(flag_code(k)).unwrap(), k);
        }
        assert!(matches!(flag_kind(7), Err(DbError::Corrupt(_))));
    }
}
