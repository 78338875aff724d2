//! Loading [`StudentFacts`] for the engine: one ordered query per table, merged by student.
//!
//! Evaluating 50,000 students must take well under a second, so nothing here queries per
//! student: each table is scanned once in key order and rows are dealt out by `students.id`.

use rusqlite::Connection;

use super::scan::Scope;
use super::{Db, DbError, grades, records, students};
use crate::model::{Attempt, StudentFacts, Term};

impl Db {
    /// Facts up to and including `upto` for every student on the roster (those without any
    /// records too), ordered by student id.
    pub fn load_facts(&self, upto: Term) -> Result<Vec<StudentFacts>, DbError> {
        let keys = students::roster_keys(&self.conn)?;
        // students.id → position in the result; ids are dense, so a vector is the fast map.
        let len = keys
            .iter()
            .map(|(rowid, _)| usize::try_from(*rowid).unwrap_or(0) + 1)
            .max();
        let mut slot = vec![usize::MAX; len.unwrap_or(0)];
        let mut facts = Vec::with_capacity(keys.len());
        for (i, (rowid, student_id)) in keys.into_iter().enumerate() {
            if let Ok(r) = usize::try_from(rowid) {
                slot[r] = i;
            }
            facts.push(StudentFacts {
                student_id,
                ..StudentFacts::default()
            });
        }
        let index = |rowid: i64| {
            usize::try_from(rowid)
                .ok()
                .and_then(|r| slot.get(r))
                .copied()
                .filter(|&i| i != usize::MAX)
        };
        fill(&self.conn, &mut facts, index, Scope::All, upto)?;
        Ok(facts)
    }

    /// One student's facts up to `upto`, or None when the id is not on the roster.
    pub fn load_student_facts(
        &self,
        student_id: &str,
        upto: Term,
    ) -> Result<Option<StudentFacts>, DbError> {
        let Some(rowid) = students::rowid_of(&self.conn, student_id)? else {
            return Ok(None);
        };
        let mut facts = vec![StudentFacts {
            student_id: student_id.to_string(),
            ..StudentFacts::default()
        }];
        fill(&self.conn, &mut facts, |_| Some(0), Scope::One(rowid), upto)?;
        Ok(facts.pop())
    }
}

/// Every student's facts, read part by part through one connection: the roster's keys and
/// the course table are read once, however many parts the connection reads (several
/// connections share a roster by taking parts in turn).
pub struct FactScan<'d> {
    db: &'d Db,
    upto: Term,
    /// (students.id, student id), by students.id.
    keys: Vec<(i64, String)>,
    reader: grades::AttemptReader,
}

impl Db {
    /// A scan of every student's facts up to `upto`.
    pub fn fact_scan(&self, upto: Term) -> Result<FactScan<'_>, DbError> {
        let mut keys = students::roster_keys(&self.conn)?;
        keys.sort_unstable_by_key(|(rowid, _)| *rowid);
        Ok(FactScan {
            db: self,
            upto,
            keys,
            reader: grades::AttemptReader::new(&self.conn, Scope::All)?,
        })
    }

    /// Streams every student's facts up to `upto` to `each`, one student at a time in storage
    /// order (not by id), so that memory holds one student's grades, not everyone's.
    pub fn for_each_facts(
        &self,
        upto: Term,
        each: impl FnMut(StudentFacts),
    ) -> Result<(), DbError> {
        self.fact_scan(upto)?.part(0, 1, each)
    }
}

impl FactScan<'_> {
    /// How many students part `part` of `parts` holds.
    pub fn part_len(&self, part: usize, parts: usize) -> usize {
        self.range(part, parts).len()
    }

    /// Part `part` of `parts` equal slices of the roster, as positions in `keys`.
    fn range(&self, part: usize, parts: usize) -> std::ops::Range<usize> {
        let n = self.keys.len();
        let parts = parts.max(1);
        (part * n / parts).min(n)..((part + 1) * n / parts).min(n)
    }

    /// Streams the facts of part `part` of `parts` equal slices of the roster (in storage
    /// order) to `each`, one student at a time.
    pub fn part(
        &mut self,
        part: usize,
        parts: usize,
        mut each: impl FnMut(StudentFacts),
    ) -> Result<(), DbError> {
        let keys = &self.keys[self.range(part, parts)];
        let (Some(first), Some(last)) = (keys.first(), keys.last()) else {
            return Ok(());
        };
        let scope = Scope::Range(first.0, last.0);
        let pos = |rowid: i64| keys.binary_search_by_key(&rowid, |(r, _)| *r).ok();
        // Absences, fitness and flags are a few rows a student: hold them all.
        let mut small: Vec<StudentFacts> = keys.iter().map(|_| StudentFacts::default()).collect();
        let conn = &self.db.conn;
        fill_records(conn, &mut small, pos, scope, self.upto)?;
        let mut next = 0usize;
        let mut emit = |i: usize, attempts: Vec<Attempt>, small: &mut [StudentFacts]| {
            let mut f = std::mem::take(&mut small[i]);
            f.student_id = keys[i].1.clone();
            f.attempts = attempts;
            each(f);
        };
        self.reader.read(conn, scope, |rowid, attempts| {
            let Some(i) = pos(rowid) else { return };
            // Students with no grades between the last one and this one.
            while next < i {
                emit(next, Vec::new(), &mut small);
                next += 1;
            }
            next = i + 1;
            emit(i, attempts, &mut small);
        })?;
        for i in next..keys.len() {
            emit(i, Vec::new(), &mut small);
        }
        Ok(())
    }
}

fn fill(
    conn: &Connection,
    facts: &mut [StudentFacts],
    index: impl Fn(i64) -> Option<usize>,
    scope: Scope,
    upto: Term,
) -> Result<(), DbError> {
    grades::AttemptReader::new(conn, scope)?.read(conn, scope, |s, attempts| {
        if let Some(f) = index(s).and_then(|i| facts.get_mut(i)) {
            f.attempts = attempts;
        }
    })?;
    fill_records(conn, facts, index, scope, upto)
}

fn fill_records(
    conn: &Connection,
    facts: &mut [StudentFacts],
    index: impl Fn(i64) -> Option<usize>,
    scope: Scope,
    upto: Term,
) -> Result<(), DbError> {
    records::read_absences(conn, scope, upto, |s, a| {
        put(facts, index(s), a, |f| &mut f.absences)
    })?;
    records::read_fitness(conn, scope, upto, |s, r| {
        put(facts, index(s), r, |f| &mut f.fitness)
    })?;
    records::read_flags(conn, scope, upto, |s, g| {
        put(facts, index(s), g, |f| &mut f.flags)
    })?;
    super::clears::read_clears(conn, scope, |s, c| {
        put(facts, index(s), c, |f| &mut f.cleared)
    })?;
    Ok(())
}

/// Appends `v` to one student's list. Foreign keys guarantee every row's student is on the
/// roster, so `at` is always found.
fn put<T>(
    facts: &mut [StudentFacts],
    at: Option<usize>,
    v: T,
    list: fn(&mut StudentFacts) -> &mut Vec<T>,
) {
    if let Some(f) = at.and_then(|i| facts.get_mut(i)) {
        list(f).push(v);
    }
}
