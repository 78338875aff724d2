//! A statement stepped through SQLite's C API, for the one scan that reads two million rows.
//!
//! rusqlite checks each column read (its index against the column count, then its type, then
//! converts): measured on 2,020,007 grade rows of 13 columns, that is 0.63 s of one core
//! against 0.43 s read directly. The grades scan's columns are fixed by the schema, so it
//! reads them directly; everything else goes through rusqlite.

use std::ffi::CStr;
use std::marker::PhantomData;
use std::os::raw::c_int;

use rusqlite::Connection;
use rusqlite::ffi;

use super::DbError;

/// A prepared statement with its integer parameters bound, finalised when dropped.
pub(super) struct RawRows<'c> {
    stmt: *mut ffi::sqlite3_stmt,
    db: *mut ffi::sqlite3,
    _conn: PhantomData<&'c Connection>,
}

/// The row a [`RawRows`] stands on; valid until the next step.
pub(super) struct RawRow<'s> {
    stmt: *mut ffi::sqlite3_stmt,
    columns: c_int,
    _rows: PhantomData<&'s mut ()>,
}

impl<'c> RawRows<'c> {
    /// Prepares `sql` on `conn`, binds `params` to ?1, ?2 … and checks that it yields
    /// `columns` columns (so every read below is in range).
    pub(super) fn new(
        conn: &'c Connection,
        sql: &str,
        params: &[i64],
        columns: usize,
    ) -> Result<RawRows<'c>, DbError> {
        // SAFETY: the handle stays valid while `conn` is borrowed, which `'c` ensures; the
        // statement is finalised in Drop, before that borrow ends.
        let db = unsafe { conn.handle() };
        let mut stmt = std::ptr::null_mut();
        let len =
            c_int::try_from(sql.len()).map_err(|_| DbError::Corrupt("query length".into()))?;
        // SAFETY: `sql` is valid for `len` bytes; SQLite copies what it needs.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                db,
                sql.as_ptr().cast(),
                len,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        let rows = RawRows {
            stmt,
            db,
            _conn: PhantomData,
        };
        rows.check(rc)?;
        for (i, p) in params.iter().enumerate() {
            let at = c_int::try_from(i + 1).map_err(|_| DbError::Corrupt("parameters".into()))?;
            // SAFETY: the statement is live; a wrong index is reported through `rc`.
            rows.check(unsafe { ffi::sqlite3_bind_int64(rows.stmt, at, *p) })?;
        }
        // SAFETY: the statement is live.
        let n = unsafe { ffi::sqlite3_column_count(rows.stmt) };
        if usize::try_from(n).ok() != Some(columns) {
            return Err(DbError::Corrupt(format!(
                "a scan expected {columns} columns and got {n}"
            )));
        }
        Ok(rows)
    }

    /// Steps to the next row; None after the last.
    pub(super) fn next(&mut self) -> Result<Option<RawRow<'_>>, DbError> {
        // SAFETY: the statement is live and stepped only here, on this thread (Connection is
        // not Sync, so nothing else uses it meanwhile).
        match unsafe { ffi::sqlite3_step(self.stmt) } {
            ffi::SQLITE_ROW => Ok(Some(RawRow {
                stmt: self.stmt,
                // SAFETY: as above.
                columns: unsafe { ffi::sqlite3_column_count(self.stmt) },
                _rows: PhantomData,
            })),
            ffi::SQLITE_DONE => Ok(None),
            rc => Err(self.error(rc)),
        }
    }

    fn check(&self, rc: c_int) -> Result<(), DbError> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error(rc))
        }
    }

    /// SQLite's own message for a failed call, as rusqlite reports it.
    fn error(&self, rc: c_int) -> DbError {
        // SAFETY: the connection handle is valid (see `new`); errmsg returns a NUL-terminated
        // string SQLite owns, copied before any other call.
        let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.db)) }
            .to_string_lossy()
            .into_owned();
        DbError::Sqlite(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            Some(msg),
        ))
    }
}

impl Drop for RawRows<'_> {
    fn drop(&mut self) {
        // SAFETY: finalising a null statement is a no-op; otherwise it is ours and live.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}

impl RawRow<'_> {
    /// Column `i` (checked against the statement's columns, so SQLite never sees an index
    /// out of range).
    fn at(&self, i: usize) -> c_int {
        let i = c_int::try_from(i).unwrap_or(c_int::MAX);
        debug_assert!(i < self.columns, "column {i} of {}", self.columns);
        i.min(self.columns - 1)
    }

    fn is_null(&self, i: c_int) -> bool {
        // SAFETY: the statement stands on a row and `i` is in range.
        unsafe { ffi::sqlite3_column_type(self.stmt, i) == ffi::SQLITE_NULL }
    }

    pub(super) fn int(&self, i: usize) -> i64 {
        // SAFETY: as in `is_null`.
        unsafe { ffi::sqlite3_column_int64(self.stmt, self.at(i)) }
    }

    /// The column's bytes as stored (text is not converted), or None for NULL.
    pub(super) fn bytes(&self, i: usize) -> Option<&[u8]> {
        let at = self.at(i);
        if self.is_null(at) {
            return None;
        }
        // SAFETY: blob before bytes, as SQLite asks; the pointer stays valid until the next
        // step, which needs `&mut RawRows` and so outlives no `&self` of this row. A zero-length
        // value may come back as a null pointer.
        unsafe {
            let p = ffi::sqlite3_column_blob(self.stmt, at);
            let n = usize::try_from(ffi::sqlite3_column_bytes(self.stmt, at)).unwrap_or(0);
            Some(if p.is_null() || n == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(p.cast::<u8>(), n)
            })
        }
    }
}
