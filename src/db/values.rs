//! How follow-up records store their values: dates, timestamps, ids as words, and the
//! student row id every table points at. Shared by contacts, schedules, exemptions and
//! warnings so that a value reads back the way it was written.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension};

use super::DbError;
use crate::model::{ContactKind, Role};

pub(super) const DATE: &str = "%Y-%m-%d";
pub(super) const STAMP: &str = "%Y-%m-%dT%H:%M:%S";

pub(super) fn date(s: &str) -> Result<NaiveDate, DbError> {
    NaiveDate::parse_from_str(s, DATE).map_err(|_| DbError::Corrupt(format!("date '{s}'")))
}

pub(super) fn stamp(s: &str) -> Result<NaiveDateTime, DbError> {
    NaiveDateTime::parse_from_str(s, STAMP)
        .map_err(|_| DbError::Corrupt(format!("timestamp '{s}'")))
}

pub(super) fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>, DbError> {
    s.filter(|s| !s.is_empty()).map(|s| date(&s)).transpose()
}

pub(super) fn word<T: FromStr>(s: &str, what: &str) -> Result<T, DbError> {
    s.parse()
        .map_err(|_| DbError::Corrupt(format!("{what} '{s}'")))
}

pub(super) fn role(s: Option<String>) -> Result<Option<Role>, DbError> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Role::parse(&s)
            .map(Some)
            .ok_or_else(|| DbError::Corrupt(format!("role '{s}'"))),
    }
}

pub(super) fn kind(s: &str) -> Result<ContactKind, DbError> {
    ContactKind::parse(s).ok_or_else(|| DbError::Corrupt(format!("contact kind '{s}'")))
}

pub(super) fn student_rowid(conn: &Connection, id: &str) -> Result<i64, DbError> {
    conn.prepare_cached("SELECT id FROM students WHERE student_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| DbError::UnknownStudent(id.to_string()))
}
