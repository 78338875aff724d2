//! The append-only audit: what a line holds, and how a write appends one inside its own
//! transaction. Every table group's writes use it; it uses none of them, so no write module
//! and the audit depend on each other in a circle.

use rusqlite::params;

use super::DbError;

/// One audit line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub login: String,
    pub as_login: Option<String>,
    pub action: String,
    pub student: Option<String>,
    pub before: String,
    pub after: String,
}

/// What to append: `login` is the real account, `as_login` whom it acted as.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry<'a> {
    pub login: &'a str,
    pub as_login: Option<&'a str>,
    pub action: &'a str,
    pub student: Option<&'a str>,
    pub before: &'a str,
    pub after: &'a str,
}

/// Whom a connection's writes are audited as: the real account, and whom it acts as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Auditor {
    pub login: String,
    pub as_login: Option<String>,
}

/// Appends the audit line of a write inside the write's own transaction, so the change and
/// its line commit or roll back together. `before` and `after` are JSON. Without an auditor
/// set (library callers, the demo) the line names the process's real account.
pub(super) fn audit_write(
    conn: &rusqlite::Connection,
    who: Option<&Auditor>,
    action: &str,
    student: Option<&str>,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<(), DbError> {
    let fallback;
    let who = match who {
        Some(w) => w,
        None => {
            fallback = Auditor {
                login: crate::os::real_login(),
                as_login: None,
            };
            &fallback
        }
    };
    let text = |v: &serde_json::Value| {
        if v.is_null() {
            String::new()
        } else {
            v.to_string()
        }
    };
    append(
        conn,
        &AuditEntry {
            login: &who.login,
            as_login: who.as_login.as_deref(),
            action,
            student,
            before: &text(before),
            after: &text(after),
        },
    )?;
    Ok(())
}

/// Which audit lines to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub student: Option<String>,
    pub login: Option<String>,
    /// `YYYY-MM-DD`: lines on or after this day.
    pub since: Option<String>,
}

pub(super) fn now() -> String {
    chrono::Local::now()
        .naive_local()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

pub(super) fn append(conn: &rusqlite::Connection, e: &AuditEntry) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (at, login, as_login, action, student, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            now(),
            e.login,
            e.as_login,
            e.action,
            e.student,
            e.before,
            e.after
        ],
    )?;
    Ok(())
}
