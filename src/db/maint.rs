//! Backup, restore and check of a database file that others may be writing.
//!
//! Copies are taken in one step (`VACUUM INTO`, or the backup API with every page at once):
//! a stepwise backup restarts whenever a colleague commits, and might never finish.

use std::path::{Path, PathBuf};

use anyhow::Context;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::types::Value;
use rusqlite::{Connection, TransactionBehavior};

use super::{Db, DbError, migrations, read_only, settings, share};
use crate::outfile::{self, OutFile, Rules};

/// Copies every page of `src` into `dst` in one step, under one read transaction of `src`.
pub(super) fn copy_all(src: &Connection, dst: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(src, dst)?;
    match backup.step(-1)? {
        StepResult::Done => Ok(()),
        _ => Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("the database stayed locked while it was copied".into()),
        )),
    }
}

/// What `yujing check` found. Damage is anything in `problems`.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub version: i64,
    pub supported: i64,
    /// Lines of `PRAGMA integrity_check` other than "ok".
    pub integrity: Vec<String>,
    /// Rows pointing at a parent that does not exist: (table, rowid, parent).
    pub foreign_keys: Vec<String>,
    /// Why the file is not a usable yujing database, if it is not.
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn damaged(&self) -> bool {
        !self.integrity.is_empty() || !self.foreign_keys.is_empty() || !self.problems.is_empty()
    }
}

/// Checks integrity, foreign keys and the schema version, read-only. An error means the file
/// could not be read at all (missing, unreadable).
pub fn check(path: &Path) -> Result<CheckReport, DbError> {
    let conn = read_only(path)?;
    Ok(check_conn(&conn))
}

fn check_conn(conn: &Connection) -> CheckReport {
    let mut report = CheckReport {
        supported: migrations::LATEST,
        ..CheckReport::default()
    };
    match conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)) {
        Ok(v) => report.version = v,
        Err(e) => {
            report.problems.push(format!("cannot read the header: {e}"));
            return report;
        }
    }
    let rows = |sql: &str| -> rusqlite::Result<Vec<Vec<Value>>> {
        let mut stmt = conn.prepare(sql)?;
        let n = stmt.column_count();
        let got = stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())?;
        got.collect()
    };
    match rows("PRAGMA integrity_check") {
        Ok(lines) => {
            report.integrity = lines
                .iter()
                .map(|l| text(&l[0]))
                .filter(|l| l != "ok")
                .collect()
        }
        Err(e) => report.integrity.push(e.to_string()),
    }
    match rows("PRAGMA foreign_key_check") {
        Ok(found) => {
            report.foreign_keys = found
                .iter()
                .map(|r| {
                    format!(
                        "{} row {} points at a missing {} row",
                        text(&r[0]),
                        text(&r[1]),
                        text(&r[2])
                    )
                })
                .collect();
        }
        Err(e) => report.foreign_keys.push(e.to_string()),
    }
    if report.version > migrations::LATEST {
        report.problems.push(format!(
            "schema version {} is newer than this yujing understands ({}); use a newer yujing",
            report.version,
            migrations::LATEST
        ));
    }
    let has = |table: &str| {
        conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get::<_, i64>(0),
        )
        .is_ok_and(|n| n == 1)
    };
    if report.version == 0 || !has("meta") || !has("students") {
        report
            .problems
            .push("not a yujing database (no yujing schema in it)".into());
    } else if report.version >= PACKED_GRADES && has("grades") {
        match super::packed::damaged_rows(conn) {
            Ok(lines) => report.problems.extend(lines),
            Err(e) => report.problems.push(format!("cannot read grades: {e}")),
        }
    }
    report
}

/// The schema version from which grade rows hold packed values (`db/packed.rs`).
const PACKED_GRADES: i64 = 10;

fn text(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

fn damage_error(path: &Path, report: &CheckReport) -> DbError {
    let why = report
        .problems
        .iter()
        .chain(&report.integrity)
        .chain(&report.foreign_keys)
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    DbError::NotYujing {
        path: path.to_path_buf(),
        why: format!("it fails `yujing check`: {why}"),
    }
}

/// Writes a consistent copy of the database at `db_path` to `target` while others go on
/// writing (`VACUUM INTO` under one read transaction), checks the copy, and only then puts it
/// in place. `target` follows the export rules: never overwritten, never the database, 0600.
pub fn backup(db_path: &Path, target: &Path) -> anyhow::Result<PathBuf> {
    let conn = read_only(db_path)?;
    migrations::refuse_newer(&conn, db_path)?;
    let rules = Rules {
        force: false,
        database: Some(db_path),
    };
    let out = OutFile::create(target, rules)?;
    let tmp = out.path().to_string_lossy().into_owned();
    conn.execute("VACUUM INTO ?1", [&tmp])
        .map_err(|source| DbError::Open {
            path: db_path.to_path_buf(),
            source,
        })?;
    let report = check_conn(&Connection::open_with_flags(
        out.path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?);
    if report.damaged() {
        anyhow::bail!(damage_error(target, &report));
    }
    Ok(out.finish()?)
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// Where the replaced database was kept.
    pub kept: PathBuf,
    /// Rows copied in, all tables together.
    pub rows: u64,
}

/// Replaces the content of the database at `db_path` with `source`'s, in one write
/// transaction (waiting for the lock like any writer), after keeping the replaced content as
/// `kept`: a copy taken under the same lock, so no colleague's write falls between the two.
/// `source` must pass `check`; an older schema is upgraded in a private copy first.
pub fn restore(db_path: &Path, source: &Path, kept: &Path) -> anyhow::Result<Restored> {
    let report = check(source)?;
    if report.damaged() {
        anyhow::bail!(damage_error(source, &report));
    }
    let rules = Rules {
        force: false,
        database: Some(db_path),
    };
    outfile::check(kept, rules)?;
    // Stage the source privately (0600, beside the database): upgraded to this schema, and
    // immune to anyone changing the file meanwhile.
    let staged = tempfile::Builder::new()
        .prefix(".yujing-restore-")
        .tempfile_in(share::folder_of(db_path))?;
    {
        let src = read_only(source)?;
        let mut conn = Connection::open(staged.path())?;
        copy_all(&src, &mut conn)?;
        migrations::migrate(&mut conn, source)?;
    }
    let mut live = Db::open(db_path)?;
    let out = OutFile::create(kept, rules)?;
    migrations::migrate(&mut Connection::open(out.path())?, kept)?;
    // ATTACH is not allowed inside a transaction: attach first, then take the lock.
    live.conn
        .execute("ATTACH ?1 AS kept", [out.path().to_string_lossy()])?;
    live.conn
        .execute("ATTACH ?1 AS src", [staged.path().to_string_lossy()])?;
    // Tables are copied whole in any order, so parents may follow children: the references
    // are checked once, before the commit, instead of row by row.
    live.conn.pragma_update(None, "foreign_keys", "OFF")?;
    let rows = swap_in(&mut live.conn, source);
    live.conn.pragma_update(None, "foreign_keys", "ON")?;
    for name in ["kept", "src"] {
        live.conn.execute("DETACH ?1", [name])?;
    }
    let rows = rows?;
    Ok(Restored {
        kept: out.finish()?,
        rows,
    })
}

/// Under the write lock: copies every table of `main` into `kept`, then replaces `main`'s
/// rows with `src`'s. Both attached databases carry this yujing's schema, column for column.
fn swap_in(conn: &mut Connection, source: &Path) -> anyhow::Result<u64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let tables = table_names(&tx, "main")?;
    anyhow::ensure!(
        tables == table_names(&tx, "src")? && tables == table_names(&tx, "kept")?,
        "{}: its tables differ from this yujing's schema; not restored",
        source.display()
    );
    let mut rows = 0u64;
    for t in &tables {
        let copy = || -> rusqlite::Result<usize> {
            // The kept file is new, but its migrations gave it an identity of its own in
            // meta: the copy replaces it.
            tx.execute(
                &format!("INSERT OR REPLACE INTO kept.\"{t}\" SELECT * FROM main.\"{t}\""),
                [],
            )?;
            // The audit is append-only, restores included: it keeps every line it has and
            // gains the backup's lines it lacks.
            if t == "audit" {
                return tx.execute(
                    "INSERT OR IGNORE INTO main.audit SELECT * FROM src.audit",
                    [],
                );
            }
            tx.execute(&format!("DELETE FROM main.\"{t}\""), [])?;
            tx.execute(
                &format!("INSERT INTO main.\"{t}\" SELECT * FROM src.\"{t}\""),
                [],
            )
        };
        let n = copy().with_context(|| format!("table {t}"))?;
        rows += u64::try_from(n).unwrap_or(0);
    }
    for schema in ["main", "kept"] {
        let mut stmt = tx.prepare(&format!("PRAGMA {schema}.foreign_key_check"))?;
        let dangling = stmt.query([])?.mapped(|_| Ok(())).count();
        anyhow::ensure!(
            dangling == 0,
            "{}: {dangling} rows would point at missing rows; not restored",
            source.display()
        );
    }
    // Views keyed on these counters (the TUI, the evaluation cache) must see a change; the
    // backup's counters are older than the cache's, so the file takes a new identity too.
    settings::bump_last_change(&tx)?;
    super::cache::facts_changed(&tx, super::cache::Changed::Everyone)?;
    super::cache::new_identity(&tx)?;
    // The restored content's first line after its own history says where it came from.
    super::audit::audit_write(
        &tx,
        None,
        "restore",
        None,
        &serde_json::Value::Null,
        &serde_json::json!({ "from": source.display().to_string(), "rows": rows }),
    )?;
    tx.commit()?;
    Ok(rows)
}

fn table_names(conn: &Connection, schema: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name FROM {schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ))?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_checks_clean_and_a_foreign_file_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        drop(Db::open(&path).unwrap());
        let r = check(&path).unwrap();
        assert!(!r.damaged(), "{r:?}");
        assert_eq!(r.version, migrations::LATEST);

        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE x (a)")
            .unwrap();
        let r = check(&other).unwrap();
        assert!(r.damaged());
        assert!(r.problems[0].contains("not a yujing database"), "{r:?}");
    }

    #[test]
    fn a_dangling_reference_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        let db = Db::open(&path).unwrap();
        db.conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        db.conn
            .execute(
                "INSERT INTO absences (student, term, seq, hours) VALUES (42, 20241, '1', 2.0)",
                [],
            )
            .unwrap();
        drop(db);
        let r = check(&path).unwrap();
        assert!(r.damaged());
        assert!(r.foreign_keys[0].contains("absences"), "{r:?}");
    }

    #[test]
    fn a_grade_whose_packed_values_do_not_agree_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        let mut db = Db::open(&path).unwrap();
        let mut tx = db.begin_import().unwrap();
        tx.upsert_student(&crate::db::students::tests::student("2021001", "张三"))
            .unwrap();
        for (code, term) in [("MA1", "2024-2025-1"), ("MA2", "2024-2025-1")] {
            let a = crate::db::grades::tests::sat(
                code,
                term,
                crate::model::AttemptKind::Regular,
                1,
                45.0,
            );
            tx.upsert_attempt("2021001", &a).unwrap();
        }
        tx.commit().unwrap();
        assert!(!check(&path).unwrap().damaged());
        // One row's key edited by hand, another's values cut short.
        db.conn
            .execute_batch(
                "UPDATE grades SET term = 20231 WHERE course = 1;
                 UPDATE grades SET v = substr(v, 1, 3) WHERE course = 2;",
            )
            .unwrap();
        drop(db);
        let r = check(&path).unwrap();
        assert!(r.damaged());
        assert_eq!(r.problems.len(), 2, "{r:?}");
        assert!(
            r.problems[0].contains("term 20231, course 1")
                && r.problems[0].contains("another term"),
            "{r:?}"
        );
        assert!(
            r.problems[1].contains("course 2") && r.problems[1].contains("does not read"),
            "{r:?}"
        );
    }
}
