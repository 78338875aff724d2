//! The student roster (学生名单). Every other table refers to a student by `students.id`.

use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, Row, ToSql};

use super::{Change, Db, DbError, ImportTx};
use crate::model::Student;

/// Columns after `student_id`, in [`Student`] field order.
const FIELDS: [&str; 11] = [
    "name",
    "college",
    "major",
    "cohort",
    "class",
    "phone",
    "parent",
    "parent_phone",
    "address",
    "class_teacher",
    "counsellor",
];

/// Adds a student; does nothing for one already on the roster.
static INSERT: LazyLock<String> = LazyLock::new(|| {
    let marks: Vec<String> = (1..=FIELDS.len() + 1).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO students (student_id, {}) VALUES ({}) ON CONFLICT DO NOTHING",
        FIELDS.join(", "),
        marks.join(", ")
    )
});

/// Updates a roster student from a file's row: an empty cell (or a column the file lacks)
/// keeps the stored value, so importing a file with fewer columns never blanks the roster.
/// Matches only when some non-empty cell differs, so unchanged rows are told apart.
static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let set: Vec<String> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{c} = CASE WHEN ?{n} = '' THEN {c} ELSE ?{n} END",
                n = i + 2
            )
        })
        .collect();
    let differs: Vec<String> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("(?{n} <> '' AND {c} IS NOT ?{n})", n = i + 2))
        .collect();
    format!(
        "UPDATE students SET {} WHERE student_id = ?1 AND ({})",
        set.join(", "),
        differs.join(" OR ")
    )
});

static SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT student_id, {} FROM students", FIELDS.join(", ")));
// A rowid table: ordering by id is its storage order, no sort.
static STORED: LazyLock<String> = LazyLock::new(|| format!("{} ORDER BY id", *SELECT));

fn params(s: &Student) -> [&dyn ToSql; 12] {
    [
        &s.student_id,
        &s.name,
        &s.college,
        &s.major,
        &s.cohort,
        &s.class,
        &s.phone,
        &s.parent,
        &s.parent_phone,
        &s.address,
        &s.class_teacher,
        &s.counsellor,
    ]
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Student> {
    Ok(Student {
        student_id: r.get(0)?,
        name: r.get(1)?,
        college: r.get(2)?,
        major: r.get(3)?,
        cohort: r.get(4)?,
        class: r.get(5)?,
        phone: r.get(6)?,
        parent: r.get(7)?,
        parent_phone: r.get(8)?,
        address: r.get(9)?,
        class_teacher: r.get(10)?,
        counsellor: r.get(11)?,
    })
}

impl ImportTx<'_> {
    /// Adds or updates a roster record, keyed by student id. Empty fields of `s` leave the
    /// stored ones as they are.
    pub fn upsert_student(&mut self, s: &Student) -> Result<Change, DbError> {
        self.check_not_archived(&s.student_id, &s.cohort)?;
        let params = params(s);
        if self.tx.prepare_cached(&INSERT)?.execute(params)? == 1 {
            let id = self.tx.last_insert_rowid();
            self.students.insert(s.student_id.clone(), id);
            // A cache may still hold a purged student of the same id: not theirs.
            self.touched.insert(id);
            self.wrote = true;
            return Ok(Change::New);
        }
        if self.tx.prepare_cached(&UPDATE)?.execute(params)? == 0 {
            return Ok(Change::Unchanged);
        }
        self.wrote = true;
        Ok(Change::Changed)
    }
}

impl Db {
    /// Every student, ordered by student id.
    pub fn students(&self) -> Result<Vec<Student>, DbError> {
        // Read in storage order and sorted here: ordering by the student_id index would look
        // every row up in the table again, the larger part of reading 50,000 students.
        let mut all = self.students_stored()?;
        all.sort_unstable_by(|a, b| a.student_id.cmp(&b.student_id));
        Ok(all)
    }

    /// Every student in storage order (by students.id), the order fact scans hand them in.
    pub fn students_stored(&self) -> Result<Vec<Student>, DbError> {
        // Sized at once: 50,000 students grown by doubling were copied about twice over, into
        // fresh pages each time (a third of reading them).
        let mut all = Vec::with_capacity(self.student_count()?);
        let mut stmt = self.conn.prepare_cached(&STORED)?;
        for s in stmt.query_map([], from_row)? {
            all.push(s?);
        }
        Ok(all)
    }

    pub fn student(&self, student_id: &str) -> Result<Option<Student>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{} WHERE student_id = ?1", *SELECT))?;
        Ok(stmt.query_row([student_id], from_row).optional()?)
    }

    /// The student's name for a line that shows it beside the id; empty for an id the roster
    /// does not hold (a list keeps its row rather than failing).
    pub fn student_name(&self, student_id: &str) -> Result<String, DbError> {
        Ok(self
            .student(student_id)?
            .map(|s| s.name)
            .unwrap_or_default())
    }

    pub fn student_count(&self) -> Result<usize, DbError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM students", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }
}

/// (students.id, student_id) of every student, ordered by student id.
pub(super) fn roster_keys(conn: &Connection) -> Result<Vec<(i64, String)>, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, student_id FROM students ORDER BY student_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The students.id of one student, if on the roster.
pub(super) fn rowid_of(conn: &Connection, student_id: &str) -> Result<Option<i64>, DbError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM students WHERE student_id = ?1")?;
    Ok(stmt.query_row([student_id], |r| r.get(0)).optional()?)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub fn student(id: &str, name: &str) -> Student {
        Student {
            student_id: id.into(),
            name: name.into(),
            college: "计算机学院".into(),
            class: "计科2101".into(),
            phone: "13800000000".into(),
            ..Student::default()
        }
    }

    #[test]
    fn students_round_trip_and_count_changes() {
        let mut db = Db::open_in_memory().unwrap();
        let mut tx = db.begin_import().unwrap();
        let b = student("2021002", "李四");
        let mut a = student("2021001", "张三");
        a.parent = "张父".into();
        a.address = "甘肃兰州".into();
        assert_eq!(tx.upsert_student(&b).unwrap(), Change::New);
        assert_eq!(tx.upsert_student(&a).unwrap(), Change::New);
        assert_eq!(tx.upsert_student(&a).unwrap(), Change::Unchanged);
        let mut a2 = a.clone();
        a2.counsellor = "王老师".into();
        assert_eq!(tx.upsert_student(&a2).unwrap(), Change::Changed);
        tx.commit().unwrap();

        assert_eq!(db.students().unwrap(), vec![a2.clone(), b]);
        assert_eq!(db.student("2021001").unwrap(), Some(a2));
        assert_eq!(db.student("nobody").unwrap(), None);
        assert_eq!(db.student_count().unwrap(), 2);
    }

    #[test]
    fn empty_fields_never_erase_stored_ones() {
        let mut db = Db::open_in_memory().unwrap();
        let mut a = student("2021001", "张三");
        a.counsellor = "王老师".into();
        let mut tx = db.begin_import().unwrap();
        tx.upsert_student(&a).unwrap();
        // A file with only 学号 and 班级: everything else it lacks stays.
        let thin = Student {
            student_id: "2021001".into(),
            class: "计科2101".into(),
            ..Student::default()
        };
        assert_eq!(tx.upsert_student(&thin).unwrap(), Change::Unchanged);
        let moved = Student {
            class: "计科2102".into(),
            ..thin
        };
        assert_eq!(tx.upsert_student(&moved).unwrap(), Change::Changed);
        tx.commit().unwrap();
        let stored = db.student("2021001").unwrap().unwrap();
        assert_eq!(
            stored,
            Student {
                class: "计科2102".into(),
                ..a
            }
        );
    }
}
