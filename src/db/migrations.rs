//! Schema versions, applied in order by `PRAGMA user_version`, each in its own transaction.
//!
//! Never edit a migration that has shipped: add a new one. Codes stored as INTEGER columns are
//! documented where they are written (grades.rs, records.rs).

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::DbError;

/// Imported facts. Grades are `WITHOUT ROWID`, clustered on (student, term, course, kind), so
/// loading every student's grades is one sequential scan and one student's is one range.
const V1: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE students (
    id            INTEGER PRIMARY KEY,
    student_id    TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    college       TEXT NOT NULL,
    major         TEXT NOT NULL,
    cohort        TEXT NOT NULL,
    class         TEXT NOT NULL,
    phone         TEXT NOT NULL,
    parent        TEXT NOT NULL,
    parent_phone  TEXT NOT NULL,
    address       TEXT NOT NULL,
    class_teacher TEXT NOT NULL,
    counsellor    TEXT NOT NULL
);

-- One name per course code: the latest import wins.
CREATE TABLE courses (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE grades (
    student      INTEGER NOT NULL REFERENCES students(id),
    term         INTEGER NOT NULL,
    course       INTEGER NOT NULL REFERENCES courses(id),
    kind         INTEGER NOT NULL,
    nature       INTEGER,
    nature_other TEXT,
    assessment   INTEGER,
    credits      REAL NOT NULL,
    result       TEXT NOT NULL,
    mark         INTEGER NOT NULL,
    score        REAL,
    PRIMARY KEY (student, term, course, kind)
) WITHOUT ROWID;

-- Terms that have any grade, kept by the import so term pickers need no scan of grades.
CREATE TABLE grade_terms (
    term INTEGER PRIMARY KEY
);

CREATE TABLE absences (
    student INTEGER NOT NULL REFERENCES students(id),
    term    INTEGER NOT NULL,
    seq     TEXT NOT NULL,
    hours   REAL NOT NULL,
    PRIMARY KEY (student, term, seq)
) WITHOUT ROWID;

CREATE TABLE fitness (
    student        INTEGER NOT NULL REFERENCES students(id),
    term           INTEGER NOT NULL,
    score          REAL,
    word           TEXT,
    graduation_met INTEGER,
    PRIMARY KEY (student, term)
) WITHOUT ROWID;

CREATE TABLE flags (
    student INTEGER NOT NULL REFERENCES students(id),
    term    INTEGER NOT NULL,
    kind    INTEGER NOT NULL,
    note    TEXT NOT NULL,
    PRIMARY KEY (student, term, kind)
) WITHOUT ROWID;

CREATE TABLE term_dates (
    term  INTEGER PRIMARY KEY,
    start TEXT NOT NULL,
    end   TEXT NOT NULL
);
";

/// Follow-up work: contacts (谈话记录), schedules, issued warnings, exemptions. Rows are never
/// deleted: corrections supersede, schedules and exemptions are cancelled or lifted.
const V2: &str = "
CREATE TABLE warnings (
    id           INTEGER PRIMARY KEY,
    student      INTEGER NOT NULL REFERENCES students(id),
    term         INTEGER NOT NULL,
    policy_id    TEXT NOT NULL,
    tier         TEXT NOT NULL,
    severity     INTEGER NOT NULL,
    status       TEXT NOT NULL,
    reasons_json TEXT NOT NULL,
    issued_at    TEXT NOT NULL,
    issued_on    TEXT NOT NULL
);
CREATE INDEX warnings_student_term ON warnings(student, term);
CREATE INDEX warnings_term ON warnings(term);

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    student       INTEGER NOT NULL REFERENCES students(id),
    at            TEXT NOT NULL,
    author        TEXT NOT NULL,
    role          TEXT NOT NULL,
    with_whom     TEXT NOT NULL,
    channel       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    situation     TEXT NOT NULL DEFAULT '',
    actions       TEXT NOT NULL DEFAULT '',
    next_talk     TEXT,
    created_at    TEXT NOT NULL,
    superseded_by INTEGER REFERENCES contacts(id)
);
CREATE INDEX contacts_student_at ON contacts(student, at);
CREATE INDEX contacts_superseded_by ON contacts(superseded_by);

CREATE TABLE schedules (
    id           INTEGER PRIMARY KEY,
    student      INTEGER NOT NULL REFERENCES students(id),
    kind         TEXT NOT NULL,
    role         TEXT,
    cadence      TEXT NOT NULL,
    from_date    TEXT NOT NULL,
    until_date   TEXT,
    source       TEXT NOT NULL CHECK (source IN ('policy', 'manual')),
    warning_id   INTEGER REFERENCES warnings(id),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    cancelled_at TEXT
);
CREATE INDEX schedules_student ON schedules(student);
CREATE INDEX schedules_warning ON schedules(warning_id);

CREATE TABLE exemptions (
    id          INTEGER PRIMARY KEY,
    student     INTEGER NOT NULL REFERENCES students(id),
    term        INTEGER NOT NULL,
    reason_kind TEXT NOT NULL,
    reason      TEXT NOT NULL,
    by          TEXT NOT NULL,
    until       TEXT,
    created_at  TEXT NOT NULL,
    lifted_at   TEXT
);
CREATE INDEX exemptions_student_term ON exemptions(student, term);
";

/// A schedule made from a policy follow-up keeps the follow-up's words.
const V3: &str = "ALTER TABLE schedules ADD COLUMN note TEXT NOT NULL DEFAULT '';";

/// Evaluations of the roster, kept so the TUI opens without re-evaluating 50,000 students;
/// valid while meta `eval_cache_key` matches (policy, term and `facts_change`).
const V4: &str = "CREATE TABLE eval_cache (
    student INTEGER PRIMARY KEY REFERENCES students(id),
    json    TEXT NOT NULL
);";

/// Grades as the registrar wrote them (branch main, issue 8): every sitting kept (补考一 and
/// 补考二 are two rows: `sitting` joins the key), the course's own term when the file dates
/// the sitting (强智's 开课学期 beside 补重学期), minor-programme courses, and the nature as
/// written, so a school's mapping (`nature_map`) applies at evaluation. Grades stored by an
/// earlier version lost their second makeups and their nature text: meta `reimport_grades`
/// says so until grades are imported again. Manual course clears are kept, never deleted.
const V5: &str = "
CREATE TABLE grades_v5 (
    student     INTEGER NOT NULL REFERENCES students(id),
    term        INTEGER NOT NULL,
    course      INTEGER NOT NULL REFERENCES courses(id),
    kind        INTEGER NOT NULL,
    sitting     INTEGER NOT NULL,
    course_term INTEGER,
    minor       INTEGER NOT NULL,
    nature      TEXT,
    assessment  INTEGER,
    credits     REAL NOT NULL,
    result      TEXT NOT NULL,
    mark        INTEGER NOT NULL,
    score       REAL,
    PRIMARY KEY (student, term, course, kind, sitting)
) WITHOUT ROWID;
INSERT INTO grades_v5
    SELECT student, term, course, kind, 1, NULL, 0,
           CASE nature WHEN 0 THEN '必修' WHEN 1 THEN '选修' WHEN 2 THEN '通识选修'
                       WHEN 3 THEN '实践' WHEN 4 THEN nature_other END,
           assessment, credits, result, mark, score
    FROM grades;
INSERT INTO meta (key, value) SELECT 'reimport_grades', 'v4' WHERE EXISTS (SELECT 1 FROM grades);
DROP TABLE grades;
ALTER TABLE grades_v5 RENAME TO grades;

CREATE TABLE nature_map (
    value TEXT PRIMARY KEY,
    class TEXT NOT NULL CHECK (class IN ('required', 'elective', 'general', 'none')),
    by    TEXT NOT NULL,
    at    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE course_clears (
    id          INTEGER PRIMARY KEY,
    student     INTEGER NOT NULL REFERENCES students(id),
    course_code TEXT NOT NULL,
    reason      TEXT NOT NULL,
    by          TEXT NOT NULL,
    at          TEXT NOT NULL,
    restored_by TEXT,
    restored_at TEXT
);
CREATE INDEX course_clears_student ON course_clears(student);
";

/// Branch i10 (a warning's life): each warning records its change since the warning held
/// before and, once withdrawn, when, why and by whom; a policy obligation ended by an issue or
/// a withdrawal keeps its last day and the change that ended it.
const V6: &str = "
ALTER TABLE warnings ADD COLUMN change TEXT;
ALTER TABLE warnings ADD COLUMN withdrawn_on TEXT;
ALTER TABLE warnings ADD COLUMN withdrawn_reason TEXT;
ALTER TABLE warnings ADD COLUMN withdrawn_by TEXT;
ALTER TABLE schedules ADD COLUMN ended_on TEXT;
ALTER TABLE schedules ADD COLUMN end_change TEXT;
";

/// (i13) Printed notices and what came back for them; a school's own templates; the students'
/// confirmations of the published list (lut-life 二.3). A notice's number is given at approval
/// and never changes; `state` moves draft → approved → superseded/withdrawn.
const V7: &str = "
CREATE TABLE notices (
    id                INTEGER PRIMARY KEY,
    student           INTEGER NOT NULL REFERENCES students(id),
    term              INTEGER NOT NULL,
    warning_id        INTEGER NOT NULL REFERENCES warnings(id),
    tier              TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'superseded', 'withdrawn')),
    college_short     TEXT,
    seq               INTEGER,
    number            TEXT UNIQUE,
    created_at        TEXT NOT NULL,
    approved_at       TEXT,
    approved_by       TEXT,
    delivered_contact INTEGER REFERENCES contacts(id),
    receipt_contact   INTEGER REFERENCES contacts(id),
    superseded_by     INTEGER REFERENCES notices(id),
    ended_at          TEXT,
    UNIQUE (term, college_short, seq)
);
CREATE INDEX notices_student_term ON notices(student, term);
CREATE INDEX notices_term ON notices(term);

CREATE TABLE templates (
    policy_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    body      TEXT NOT NULL,
    by        TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (policy_id, name)
) WITHOUT ROWID;

CREATE TABLE confirmations (
    student INTEGER NOT NULL REFERENCES students(id),
    term    INTEGER NOT NULL,
    by      TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (student, term)
) WITHOUT ROWID;
";

// Branch i12 (access): users and their roles, an append-only audit, archived cohorts, and
// confidential contacts.
const V8: &str = "
CREATE TABLE users (
    login    TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    roles    TEXT NOT NULL,
    classes  TEXT NOT NULL DEFAULT '[]',
    students TEXT NOT NULL DEFAULT '[]',
    colleges TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    login    TEXT NOT NULL,
    as_login TEXT,
    action   TEXT NOT NULL,
    student  TEXT,
    before   TEXT NOT NULL DEFAULT '',
    after    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_student ON audit(student);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;
CREATE TABLE archived_cohorts (
    cohort TEXT PRIMARY KEY,
    at     TEXT NOT NULL
);
ALTER TABLE contacts ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0;
";

// Branch r9e (issue 9): the evaluation cache moves out of the shared database into a file per
// user (`app::evalcache`). What stays here is what lets that file be checked and updated one
// student at a time: an identity the file is keyed by (regenerated on restore, so a restored
// file's counters never meet a cache of the facts it replaced) and, per student, the
// `facts_change` at which their facts last changed. The index makes "who changed since N" a
// range read instead of a scan of the roster.
const V9: &str = "
DROP TABLE eval_cache;
DELETE FROM meta WHERE key = 'eval_cache_key';
ALTER TABLE students ADD COLUMN facts_rev INTEGER NOT NULL DEFAULT 0;
CREATE INDEX students_facts_rev ON students(facts_rev);
INSERT OR REPLACE INTO meta (key, value) VALUES ('db_id', lower(hex(randomblob(16))));
";

/// Issue 9: grade rows keep their key columns and the nature, and pack the rest into `v`
/// (`db/packed.rs`), which a full scan reads in one column; its rows are converted by
/// [`super::packed::pack_schema_9`] between the two halves.
const V10_CREATE: &str = "
CREATE TABLE grades_v10 (
    student INTEGER NOT NULL REFERENCES students(id),
    term    INTEGER NOT NULL,
    course  INTEGER NOT NULL REFERENCES courses(id),
    kind    INTEGER NOT NULL,
    sitting INTEGER NOT NULL,
    nature  TEXT,
    v       BLOB NOT NULL,
    PRIMARY KEY (student, term, course, kind, sitting)
) WITHOUT ROWID;
";
const V10_SWAP: &str = "
DROP TABLE grades;
ALTER TABLE grades_v10 RENAME TO grades;
";

/// One schema version's change: SQL, or SQL around rows converted in Rust.
enum Step {
    Sql(&'static str),
    Convert {
        before: &'static str,
        rows: fn(&Connection) -> rusqlite::Result<()>,
        after: &'static str,
    },
}

impl Step {
    fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Step::Sql(sql) => conn.execute_batch(sql),
            Step::Convert {
                before,
                rows,
                after,
            } => {
                conn.execute_batch(before)?;
                rows(conn)?;
                conn.execute_batch(after)
            }
        }
    }
}

const MIGRATIONS: &[Step] = &[
    Step::Sql(V1),
    Step::Sql(V2),
    Step::Sql(V3),
    Step::Sql(V4),
    Step::Sql(V5),
    Step::Sql(V6),
    Step::Sql(V7),
    Step::Sql(V8),
    Step::Sql(V9),
    Step::Convert {
        before: V10_CREATE,
        rows: super::packed::pack_schema_9,
        after: V10_SWAP,
    },
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// The file's schema version, read before anything is written: a newer schema is refused, and
/// a file with tables but no version is somebody else's SQLite database, left alone.
pub fn refuse_newer(conn: &Connection, path: &Path) -> Result<i64, DbError> {
    let open_err = |source| DbError::Open {
        path: path.to_path_buf(),
        source,
    };
    let found = supported_version(conn, path)?;
    if found == 0 {
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .map_err(open_err)?;
        if tables > 0 {
            return Err(DbError::NotYujing {
                path: path.to_path_buf(),
                why: format!("it holds {tables} tables but no yujing schema version"),
            });
        }
    }
    Ok(found)
}

/// The file's schema version, or `TooNew` when this yujing cannot read it.
fn supported_version(conn: &Connection, path: &Path) -> Result<i64, DbError> {
    let found = user_version(conn).map_err(|source| DbError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    if found > LATEST {
        return Err(DbError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: LATEST,
        });
    }
    Ok(found)
}

/// Brings the schema to [`LATEST`]. Safe when several processes open a new file at once: each
/// step re-reads the version under the write lock, so a step is applied exactly once.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), DbError> {
    let found = supported_version(conn, path)?;
    for (i, step) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        let version = i as i64 + 1;
        let fail = |source| DbError::Migrate {
            path: path.to_path_buf(),
            version,
            source,
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        if user_version(&tx).map_err(fail)? >= version {
            continue; // another process got here first
        }
        step.apply(&tx).map_err(fail)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(())
}

/// Applies the steps up to `version` only, as an earlier yujing left a file.
#[cfg(test)]
pub(super) fn migrate_to(conn: &Connection, version: i64) -> rusqlite::Result<()> {
    for step in MIGRATIONS
        .iter()
        .take(usize::try_from(version).unwrap_or(0))
    {
        step.apply(conn)?;
    }
    conn.pragma_update(None, "user_version", version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_changes_nothing_and_refuses_newer_schemas() {
        let mut conn = Connection::open_in_memory().unwrap();
        let path = Path::new(":memory:");
        migrate(&mut conn, path).unwrap();
        assert_eq!(user_version(&conn).unwrap(), LATEST);
        migrate(&mut conn, path).unwrap();
        assert_eq!(user_version(&conn).unwrap(), LATEST);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'contacts'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1);

        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let err = migrate(&mut conn, path).unwrap_err();
        assert!(matches!(err, DbError::TooNew { found, .. } if found == LATEST + 1));
    }

    #[test]
    fn a_failing_step_leaves_the_previous_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        // A table V1 wants to create already exists: step 1 fails and rolls back whole.
        conn.execute_batch("CREATE TABLE grades (x)").unwrap();
        let err = migrate(&mut conn, Path::new("t.db")).unwrap_err();
        assert!(matches!(err, DbError::Migrate { version: 1, .. }), "{err}");
        assert!(err.to_string().contains("t.db"));
        assert_eq!(user_version(&conn).unwrap(), 0);
        let meta: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(meta, 0);
    }
}
