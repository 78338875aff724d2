//! Storage: the only module that knows SQL.
//!
//! One SQLite file shared by several counsellors at once, so every connection runs in WAL mode
//! with a busy timeout, and writers take the write lock up front (`BEGIN IMMEDIATE`) rather than
//! failing half-way through an import. The schema is versioned by `PRAGMA user_version`
//! ([`migrations`]). Imports go through [`ImportTx`]; reads return [`crate::model`] types.

use rusqlite::{Connection, OpenFlags};
use std::fs::{self, OpenOptions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::model::Term;

mod access;
mod audit;
mod cache;
mod clears;
mod contacts;
mod exemptions;
mod facts;
mod grades;
pub mod lock;
mod maint;
mod migrations;
mod packed;
mod paper;
mod raw;
mod records;
mod scan;
mod schedules;
mod settings;
pub mod share;
mod students;
mod terms;
mod tx;
mod values;
mod warnings;

pub use access::UserRow;
pub use audit::{AuditEntry, AuditFilter, AuditRow, Auditor};
pub use clears::{ClearRecord, NatureValue};
pub use contacts::Correction;
pub use facts::FactScan;
pub use maint::{CheckReport, Restored, backup, check, restore};
pub use migrations::LATEST as SCHEMA_VERSION;
pub use paper::{Approval, NoticeRow};
pub use tx::{Change, ImportTx};
pub use warnings::{Issue, LifeTx, WarningRecord};

/// Environment variable naming the database file when `--db` is not given.
pub const DB_ENV: &str = "YUJING_DB";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot open database: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: cannot upgrade database to schema version {version}: {source}")]
    Migrate {
        path: PathBuf,
        version: i64,
        source: rusqlite::Error,
    },
    #[error(
        "{path}: database schema version {found} is newer than this yujing understands ({supported}); use a newer yujing"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{0}: no database here (nothing was created; check --db or $YUJING_DB, or import a file to start one)"
    )]
    Missing(PathBuf),
    #[error(
        "{shm}: cannot be created (nor the -wal beside it), and SQLite needs them to read this database: the folder {folder} is not writable for you; ask its owner to run `yujing admin init` on it (or to make it group-writable)"
    )]
    NoShm { shm: PathBuf, folder: PathBuf },
    #[error("{path}: not a yujing database: {why}")]
    NotYujing { path: PathBuf, why: String },
    #[error("unknown student id '{0}' (not in the student roster; import students first)")]
    UnknownStudent(String),
    #[error("student '{student_id}' belongs to archived cohort {cohort}, which is read-only")]
    Archived { student_id: String, cohort: String },
    #[error("database holds a value this yujing cannot read: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// An open database. Reads take `&self`; writes take `&mut self`.
pub struct Db {
    conn: Connection,
    /// The file, when there is one (not for in-memory databases).
    path: Option<PathBuf>,
    /// Whom this connection's writes are audited as (see [`Db::set_auditor`]).
    auditor: Option<Auditor>,
    /// Whether the contacts this connection writes are confidential (see
    /// [`Db::write_confidential`]).
    confidential: bool,
}

impl Db {
    /// Opens for writing (creating on first use, with its parent directories), repairs the
    /// modes of a shared database's files, and migrates. A database from a newer yujing is
    /// refused before anything in it changes.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let io_err = |source| DbError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io_err)?;
        }
        let group = share::shared_group(path);
        let mode = group.map_or(share::PERSONAL_MODE, |_| share::SHARED_MODE);
        create_with_mode(path, mode).map_err(io_err)?;
        repair_shared(path);
        let open_err = |source| DbError::Open {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        configure(&conn).map_err(open_err)?;
        migrations::refuse_newer(&conn, path)?;
        let journal: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .map_err(open_err)?;
        if !journal.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(open_err)?;
        }
        Db::finish_open(conn, path)
    }

    /// Opens an existing database read-only: never creates a file, never takes the write
    /// lock, works on a file this account cannot write. An older schema is named (a write
    /// command upgrades it), a newer one refused.
    pub fn open_read(path: &Path) -> Result<Db, DbError> {
        let conn = read_only(path)?;
        let found = migrations::refuse_newer(&conn, path)?;
        if found < migrations::LATEST {
            return Db::upgraded_copy(&conn, path, found);
        }
        Ok(Db {
            conn,
            path: Some(path.to_path_buf()),
            auditor: None,
            confidential: false,
        })
    }

    /// A reading command on a file an older yujing wrote: the command reads a private copy,
    /// upgraded in memory, so that it neither refuses nor writes the file (which may be a
    /// colleague's, or open in their TUI). Says once that the file itself is still old.
    fn upgraded_copy(live: &Connection, path: &Path, found: i64) -> Result<Db, DbError> {
        let open_err = |source| DbError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut copy = Connection::open("").map_err(open_err)?;
        configure(&copy).map_err(open_err)?;
        maint::copy_all(live, &mut copy).map_err(open_err)?;
        migrations::migrate(&mut copy, path)?;
        eprintln!(
            "yujing: {}",
            crate::locale::Lang::current().pick(
                &format!(
                    "{}：数据库结构为旧版本 {found}（当前 {}），本次读取的是升级后的副本；运行 `yujing admin upgrade` 升级文件本身",
                    path.display(),
                    migrations::LATEST
                ),
                &format!(
                    "{}: schema version {found} (this yujing: {}); reading an upgraded copy. Run `yujing admin upgrade` to upgrade the file itself",
                    path.display(),
                    migrations::LATEST
                ),
            )
        );
        Ok(Db {
            conn: copy,
            path: None,
            auditor: None,
            confidential: false,
        })
    }

    /// A private copy of the database, taken in one step from a read-only connection, for a
    /// dry run: writes go to the copy (a temporary file SQLite deletes on close), so the dry
    /// run counts exactly what an import would change without taking the write lock.
    /// With no file at `path` the copy starts empty (the caller says so): a dry run on a new
    /// installation checks a file without creating anything.
    pub fn open_scratch(path: &Path) -> Result<Db, DbError> {
        let live = match Db::open_read(path) {
            Err(DbError::Missing(_)) => return Db::open_in_memory(),
            other => other?,
        };
        let open_err = |source| DbError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut scratch = Connection::open("").map_err(open_err)?;
        configure(&scratch).map_err(open_err)?;
        maint::copy_all(&live.conn, &mut scratch).map_err(open_err)?;
        Ok(Db {
            conn: scratch,
            path: None,
            auditor: None,
            confidential: false,
        })
    }

    /// A private in-memory database, migrated; for tests.
    pub fn open_in_memory() -> Result<Db, DbError> {
        let path = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| DbError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        configure(&conn).map_err(|source| DbError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Db::finish_open(conn, path)
    }

    fn finish_open(mut conn: Connection, path: &Path) -> Result<Db, DbError> {
        migrations::migrate(&mut conn, path)?;
        let path = (path != Path::new(":memory:")).then(|| path.to_path_buf());
        Ok(Db {
            conn,
            path,
            auditor: None,
            confidential: false,
        })
    }

    /// The database file; None for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The raw connection, for tests and benches only.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Changes whenever another connection commits to the file (`PRAGMA data_version`), so
    /// a long-running view can notice other counsellors' imports cheaply.
    pub fn data_version(&self) -> Result<i64, DbError> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }
}

/// A stored term key back to a [`Term`].
fn term_of(key: i64) -> Result<Term, DbError> {
    Term::from_key(key).ok_or_else(|| DbError::Corrupt(format!("term key {key}")))
}

/// Creates the file with `mode` if it does not exist; an existing file keeps its mode.
fn create_with_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
    {
        // The umask may have removed bits; set the mode exactly.
        Ok(file) => file.set_permissions(fs::Permissions::from_mode(mode)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Repairs the modes of a shared database's files this account owns, and names the others.
fn repair_shared(path: &Path) {
    if let Some(gid) = share::shared_group(path) {
        for problem in share::repair(path, gid) {
            eprintln!("yujing: {problem}");
        }
    }
}

/// A read-only connection to an existing file, with a clear error when there is no file or
/// when SQLite cannot make the -shm file it needs to read a WAL database.
fn read_only(path: &Path) -> Result<Connection, DbError> {
    match fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(DbError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other("not a regular file"),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(DbError::Missing(path.to_path_buf()));
        }
        Err(source) => {
            return Err(DbError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    repair_shared(path);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open_err = |source| DbError::Open {
        path: path.to_path_buf(),
        source,
    };
    let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
    // The first read opens the WAL index (-shm); a failure there is about the folder.
    let ready = configure(&conn).and_then(|()| {
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })
    });
    if let Err(source) = ready {
        let [_, wal, shm] = share::family(path);
        let folder = share::folder_of(path);
        let can_create = share::writable(&folder) || (wal.exists() && shm.exists());
        if !can_create {
            return Err(DbError::NoShm { shm, folder });
        }
        return Err(open_err(source));
    }
    // The 64 MiB cache is for an import's upserts. A reader scans each page about once, so
    // the OS's cache serves it as well, and evaluation reads through two connections: at
    // 50,000 students their caches were most of `evaluate`'s and `export`'s peak memory.
    conn.pragma_update(None, "cache_size", -8 * 1024)
        .map_err(open_err)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_handler(Some(lock::busy))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // A 2M-row import leaves a WAL as large as the data; cut it back after checkpoints.
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    // Bulk upserts touch many pages; a 64 MiB page cache keeps them out of the WAL until commit.
    conn.pragma_update(None, "cache_size", -64 * 1024)?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(())
}

/// The database file to use: `--db`, else `$YUJING_DB`, else `yujing.db` in the platform
/// data directory (`./yujing.db` when there is none).
pub fn resolve_path(cli: Option<&Path>) -> PathBuf {
    let env = std::env::var_os(DB_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    choose_path(cli, env, || data_dir().join("yujing.db"))
}

fn choose_path(
    cli: Option<&Path>,
    env: Option<PathBuf>,
    default: impl FnOnce() -> PathBuf,
) -> PathBuf {
    cli.map(Path::to_path_buf).or(env).unwrap_or_else(default)
}

/// yujing's platform data directory (e.g. `~/.local/share/yujing`), or `.` when the platform
/// has none (no home directory). The demo database lives here as `demo.db`.
pub fn data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "yujing")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_creates_private_wal_file_and_reopen_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/deeper/y.db");
        let db = Db::open(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, share::PERSONAL_MODE);
        let jm: String = db
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(jm, "wal");
        let fk: i64 = db
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let v: i64 = db
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, migrations::LATEST);
        drop(db);

        let db = Db::open(&path).unwrap();
        let v: i64 = db
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, migrations::LATEST);
        assert_eq!(db.student_count().unwrap(), 0);
    }

    #[test]
    fn existing_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.db");
        fs::write(&path, b"").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        Db::open(&path).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn open_reports_the_path_when_the_directory_cannot_be_made() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, b"x").unwrap();
        let err = Db::open(&blocker.join("y.db")).err().unwrap();
        assert!(matches!(err, DbError::Io { .. }));
        assert!(
            err.to_string().contains(&blocker.display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn path_precedence_is_cli_then_env_then_default() {
        let cli = Path::new("/c.db");
        let env = || Some(PathBuf::from("/e.db"));
        let default = || PathBuf::from("/d.db");
        assert_eq!(choose_path(Some(cli), env(), default), cli);
        assert_eq!(choose_path(None, env(), default), PathBuf::from("/e.db"));
        assert_eq!(choose_path(None, None, default), PathBuf::from("/d.db"));
    }
}
