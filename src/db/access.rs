//! Users, the append-only audit, archived cohorts and purging: the storage side of
//! [`crate::app::access`]. The audit table refuses UPDATE and DELETE by trigger, so nothing
//! that goes through SQLite can rewrite history.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};

use super::audit::{AuditEntry, AuditFilter, AuditRow, Auditor, append, now};
use super::{Db, DbError};

/// A yujing user as stored: the roles and the assignments that make its scope.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserRow {
    pub login: String,
    pub name: String,
    pub roles: Vec<String>,
    pub classes: Vec<String>,
    pub students: Vec<String>,
    pub colleges: Vec<String>,
}

fn list(json: &str) -> Result<Vec<String>, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("user list '{json}': {e}")))
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string())
}

impl Db {
    /// Names whom this connection's later writes are audited as.
    pub fn set_auditor(&mut self, a: Auditor) {
        self.auditor = Some(a);
    }

    pub fn auditor(&self) -> Option<&Auditor> {
        self.auditor.as_ref()
    }

    pub fn users(&self) -> Result<Vec<UserRow>, DbError> {
        let mut st = self.conn.prepare(
            "SELECT login, name, roles, classes, students, colleges FROM users ORDER BY login",
        )?;
        let raw = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        raw.into_iter()
            .map(|(login, name, roles, classes, students, colleges)| {
                Ok(UserRow {
                    login,
                    name,
                    roles: list(&roles)?,
                    classes: list(&classes)?,
                    students: list(&students)?,
                    colleges: list(&colleges)?,
                })
            })
            .collect()
    }

    pub fn user(&self, login: &str) -> Result<Option<UserRow>, DbError> {
        Ok(self.users()?.into_iter().find(|u| u.login == login))
    }

    /// The first account to open a database becomes its admin; later calls change nothing.
    /// Returns whether it did.
    pub fn claim_admin(&mut self, login: &str) -> Result<bool, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let empty: bool =
            tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?;
        if empty {
            tx.execute(
                "INSERT INTO users (login, name, roles) VALUES (?1, ?1, '[\"admin\"]')",
                [login],
            )?;
            append(
                &tx,
                &AuditEntry {
                    login,
                    action: "user.claim-admin",
                    after: login,
                    ..Default::default()
                },
            )?;
        }
        tx.commit()?;
        Ok(empty)
    }

    /// Adds or replaces a user and audits the change, with the values before and after.
    pub fn put_user(&mut self, u: &UserRow, by: &AuditEntry) -> Result<(), DbError> {
        let before = self
            .user(&u.login)?
            .map(|b| serde_json::to_string(&b).unwrap_or_default())
            .unwrap_or_default();
        let after = serde_json::to_string(u).unwrap_or_default();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO users (login, name, roles, classes, students, colleges)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(login) DO UPDATE SET name = ?2, roles = ?3, classes = ?4,
                 students = ?5, colleges = ?6",
            params![
                u.login,
                u.name,
                json(&u.roles),
                json(&u.classes),
                json(&u.students),
                json(&u.colleges)
            ],
        )?;
        append(
            &tx,
            &AuditEntry {
                before: &before,
                after: &after,
                ..by.clone()
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Removes a user; false when there was none.
    pub fn remove_user(&mut self, login: &str, by: &AuditEntry) -> Result<bool, DbError> {
        let Some(before) = self.user(login)? else {
            return Ok(false);
        };
        let before = serde_json::to_string(&before).unwrap_or_default();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM users WHERE login = ?1", [login])?;
        append(
            &tx,
            &AuditEntry {
                before: &before,
                ..by.clone()
            },
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Appends one audit line on its own (reads through `--as`, exports, commands' summaries).
    pub fn audit_append(&self, e: &AuditEntry) -> Result<(), DbError> {
        append(&self.conn, e)?;
        Ok(())
    }

    pub fn audit(&self, f: &AuditFilter) -> Result<Vec<AuditRow>, DbError> {
        let mut st = self.conn.prepare(
            "SELECT id, at, login, as_login, action, student, before, after FROM audit
             WHERE (?1 IS NULL OR student = ?1)
               AND (?2 IS NULL OR login = ?2 OR as_login = ?2)
               AND (?3 IS NULL OR at >= ?3)
             ORDER BY id",
        )?;
        let rows = st
            .query_map(params![f.student, f.login, f.since], |r| {
                Ok(AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    login: r.get(2)?,
                    as_login: r.get(3)?,
                    action: r.get(4)?,
                    student: r.get(5)?,
                    before: r.get(6)?,
                    after: r.get(7)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Ids of students with a psychological flag in any term.
    pub fn psych_flagged(&self) -> Result<HashSet<String>, DbError> {
        let mut st = self.conn.prepare(
            "SELECT DISTINCT s.student_id FROM flags f JOIN students s ON s.id = f.student
             WHERE f.kind = ?1",
        )?;
        let ids = st
            .query_map(
                [super::records::flag_code(
                    crate::model::FlagKind::Psychological,
                )],
                |r| r.get(0),
            )?
            .collect::<Result<HashSet<String>, _>>()?;
        Ok(ids)
    }

    pub fn archived_cohorts(&self) -> Result<HashSet<String>, DbError> {
        let mut st = self.conn.prepare("SELECT cohort FROM archived_cohorts")?;
        let c = st
            .query_map([], |r| r.get(0))?
            .collect::<Result<HashSet<String>, _>>()?;
        Ok(c)
    }

    /// Students in a cohort (the `cohort` column, e.g. `2019`).
    pub fn cohort_size(&self, cohort: &str) -> Result<i64, DbError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM students WHERE cohort = ?1",
            [cohort],
            |r| r.get(0),
        )?)
    }

    /// Marks a cohort archived and audits it; false when it already was.
    pub fn archive_cohort(&mut self, cohort: &str, by: &AuditEntry) -> Result<bool, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO archived_cohorts (cohort, at) VALUES (?1, ?2)",
            params![cohort, now()],
        )?;
        if n > 0 {
            append(&tx, by)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// Deletes every personal record of a cohort's students, keeping one audit line saying
    /// what went. Returns how many students were purged.
    pub fn purge_cohort(&mut self, cohort: &str, by: &AuditEntry) -> Result<i64, DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM students WHERE cohort = ?1",
            [cohort],
            |r| r.get(0),
        )?;
        let who = "(SELECT id FROM students WHERE cohort = ?1)";
        // Children first: schedules point at warnings, contacts at their corrections.
        tx.execute(
            &format!("UPDATE contacts SET superseded_by = NULL WHERE student IN {who}"),
            [cohort],
        )?;
        // Every table that names a student; notices first (they point at warnings and
        // contacts), warnings after the schedules that point at them.
        for table in [
            "notices",
            "course_clears",
            "confirmations",
            "schedules",
            "exemptions",
            "contacts",
            "warnings",
            "grades",
            "absences",
            "fitness",
            "flags",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE student IN {who}"),
                [cohort],
            )?;
        }
        tx.execute("DELETE FROM students WHERE cohort = ?1", [cohort])?;
        // Their grades may have been the ones that decided the default term.
        super::terms::store_default_term(&tx)?;
        let after = format!("purged {n} students of cohort {cohort}");
        append(
            &tx,
            &AuditEntry {
                after: &after,
                ..by.clone()
            },
        )?;
        tx.commit()?;
        Ok(n)
    }

    /// The login of every admin, for the message that refuses an unknown account.
    pub fn admins(&self) -> Result<Vec<String>, DbError> {
        Ok(self
            .users()?
            .into_iter()
            .filter(|u| u.roles.iter().any(|r| r == "admin"))
            .map(|u| u.login)
            .collect())
    }

    /// Ids of the contacts marked confidential.
    pub fn confidential_contacts(&self) -> Result<HashSet<i64>, DbError> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM contacts WHERE confidential = 1")?;
        let ids = st
            .query_map([], |r| r.get(0))?
            .collect::<Result<HashSet<i64>, _>>()?;
        Ok(ids)
    }

    /// Makes the contacts this connection writes from now on confidential (`log
    /// --confidential`, or a correction of a confidential contact): marked in the same row
    /// and transaction as the contact itself.
    pub fn write_confidential(&mut self, on: bool) {
        self.confidential = on;
    }

    /// Whether the contact with this id is marked confidential.
    pub fn contact_confidential(&self, id: i64) -> Result<bool, DbError> {
        Ok(self
            .conn
            .query_row(
                "SELECT confidential FROM contacts WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false))
    }
}
