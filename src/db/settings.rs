//! Settings kept in the database, shared by every counsellor using the file: the policy in
//! force, term dates, and a generic `meta` key/value table.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{Db, DbError};
use crate::model::Term;

const POLICY_ID: &str = "policy_id";
const POLICY_TOML: &str = "policy_toml";
const LAST_CHANGE: &str = "last_change";
const DATE_FORMAT: &str = "%Y-%m-%d";

pub(super) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>, DbError> {
    get(conn, key)
}

pub(super) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<(), DbError> {
    set(conn, key, value)
}

fn get(conn: &Connection, key: &str) -> Result<Option<String>, DbError> {
    let mut stmt = conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?;
    Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
}

fn set(conn: &Connection, key: &str, value: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
    )?
    .execute([key, value])?;
    Ok(())
}

/// Adds one to the `facts_change` counter: imported facts changed, so cached evaluations
/// are stale. Callers run it inside their write transaction.
pub(super) fn bump_facts_change(conn: &Connection) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('facts_change', '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
    )?
    .execute([])?;
    Ok(())
}

/// Adds one to the `last_change` counter; callers run it inside their write transaction.
pub(super) fn bump_last_change(conn: &Connection) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
    )?
    .execute([LAST_CHANGE])?;
    Ok(())
}

fn parse_date(s: &str) -> Result<NaiveDate, DbError> {
    NaiveDate::parse_from_str(s, DATE_FORMAT)
        .map_err(|_| DbError::Corrupt(format!("term date '{s}'")))
}

impl Db {
    pub fn meta(&self, key: &str) -> Result<Option<String>, DbError> {
        get(&self.conn, key)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        set(&tx, key, value)?;
        tx.commit()?;
        Ok(())
    }

    /// Counts commits that changed imported data or the policy; 0 on a new database. A cache
    /// of evaluations is valid while this is unchanged.
    pub fn last_change(&self) -> Result<i64, DbError> {
        get(&self.conn, LAST_CHANGE)?.map_or(Ok(0), |v| {
            v.parse()
                .map_err(|_| DbError::Corrupt(format!("{LAST_CHANGE} '{v}'")))
        })
    }

    /// The policy in force: (id, TOML text), or None when none was chosen yet.
    pub fn policy(&self) -> Result<Option<(String, String)>, DbError> {
        let id = get(&self.conn, POLICY_ID)?;
        let text = get(&self.conn, POLICY_TOML)?;
        Ok(id.zip(text))
    }

    /// Replaces the policy in force; evaluations change, so `last_change` is bumped too.
    pub fn set_policy(&mut self, id: &str, toml_text: &str) -> Result<(), DbError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old = get(&tx, POLICY_ID)?;
        set(&tx, POLICY_ID, id)?;
        set(&tx, POLICY_TOML, toml_text)?;
        bump_last_change(&tx)?;
        super::audit::audit_write(
            &tx,
            self.auditor.as_ref(),
            "policy.use",
            None,
            &serde_json::json!({ "policy": old }),
            &serde_json::json!({ "policy": id }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// First and last day of a term, when recorded.
    pub fn term_dates(&self, term: Term) -> Result<Option<(NaiveDate, NaiveDate)>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT start, end FROM term_dates WHERE term = ?1")?;
        let row: Option<(String, String)> = stmt
            .query_row([term.key()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(s, e)| Ok((parse_date(&s)?, parse_date(&e)?)))
            .transpose()
    }

    pub fn set_term_dates(
        &mut self,
        term: Term,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<(), DbError> {
        let (s, e) = (
            start.format(DATE_FORMAT).to_string(),
            end.format(DATE_FORMAT).to_string(),
        );
        let before = self.term_dates(term)?.map(|(s, e)| {
            serde_json::json!({
                "start": s.format(DATE_FORMAT).to_string(),
                "end": e.format(DATE_FORMAT).to_string(),
            })
        });
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached(
            "INSERT INTO term_dates (term, start, end) VALUES (?1, ?2, ?3) \
             ON CONFLICT (term) DO UPDATE SET start = ?2, end = ?3",
        )?
        .execute((term.key(), &s, &e))?;
        super::audit::audit_write(
            &tx,
            self.auditor.as_ref(),
            "term.set",
            None,
            &serde_json::json!({ "term": term.to_string(), "dates": before }),
            &serde_json::json!({ "term": term.to_string(), "dates": { "start": s, "end": e } }),
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_policy_and_term_dates_round_trip() {
        let mut db = Db::open_in_memory().unwrap();
        assert_eq!(db.meta("x").unwrap(), None);
        db.set_meta("x", "1").unwrap();
        db.set_meta("x", "2").unwrap();
        assert_eq!(db.meta("x").unwrap().as_deref(), Some("2"));

        assert_eq!(db.policy().unwrap(), None);
        assert_eq!(db.last_change().unwrap(), 0);
        db.set_policy("lut", "[policy]\nid = \"lut\"\n").unwrap();
        db.set_policy("gdut", "[policy]\nid = \"gdut\"\n").unwrap();
        assert_eq!(
            db.policy().unwrap(),
            Some(("gdut".to_string(), "[policy]\nid = \"gdut\"\n".to_string()))
        );
        assert_eq!(db.last_change().unwrap(), 2);

        let term: Term = "2024-2025-2".parse().unwrap();
        assert_eq!(db.term_dates(term).unwrap(), None);
        let d = |s: &str| NaiveDate::parse_from_str(s, DATE_FORMAT).unwrap();
        db.set_term_dates(term, d("2025-02-24"), d("2025-07-13"))
            .unwrap();
        db.set_term_dates(term, d("2025-02-24"), d("2025-07-06"))
            .unwrap();
        assert_eq!(
            db.term_dates(term).unwrap(),
            Some((d("2025-02-24"), d("2025-07-06")))
        );
        assert_eq!(db.term_dates(term.previous()).unwrap(), None);
    }
}
