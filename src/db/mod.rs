//! Storage: the only module that knows SQL.
//!
//! One SQLite file shared by several counsellors at once, so every connection runs in WAL mode
//! with a busy timeout, and writers take the write lock up front (`BEGIN IMMEDIATE`) rather than
//! failing half-way through an import. The schema is versioned by `PRAGMA user_version`
//! ([`migrations`]). Imports go through [`ImportTx`]; reads return [`crate::model`] types.

use std::fs::{self, OpenOptions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::model::Term;

mod access;
mod cache;
mod facts;
mod followup;
mod grades;
mod migrations;
mod records;
mod settings;
mod students;
mod tx;

pub use access::{AuditEntry, AuditFilter, AuditRow, UserRow};
pub use followup::{Correction, Issue, IssuedWarning, LifeTx, WarningRecord};
pub use tx::{Change, ImportTx};

/// Environment variable naming the database file when `--db` is not given.
pub const DB_ENV: &str = "YUJING_DB";

/// Owner and group may read; only the owner writes. Student records are personal data.
const FILE_MODE: u32 = 0o640;

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
    #[error("unknown student id '{0}' (not in the student roster; import students first)")]
    UnknownStudent(String),
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
}

impl Db {
    /// Opens (creating on first use, with mode 0640 and its parent directories) and migrates.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let io_err = |source| DbError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io_err)?;
        }
        create_private(path).map_err(io_err)?;
        let open_err = |source| DbError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        configure(&conn).map_err(open_err)?;
        // SQLite gives -wal and -shm the main file's mode, so they stay private too.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        Db::finish_open(conn, path)
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
        Ok(Db { conn, path })
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

/// Creates the file with mode 0640 if it does not exist; an existing file keeps its mode.
fn create_private(path: &Path) -> std::io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
    {
        // The umask may have removed bits; set the mode exactly.
        Ok(file) => file.set_permissions(fs::Permissions::from_mode(FILE_MODE)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_millis(5000))?;
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
        assert_eq!(mode, FILE_MODE);
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
