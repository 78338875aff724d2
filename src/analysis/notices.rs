//! The notice columns of the summary list (通知编号, 通知送达, 回执, 学生确认), read in one place.
//! Until notices are numbered and confirmed in their own table (issue 13), delivery and the
//! returned receipt come from the contact log, and the number and confirmation stay empty.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::db::Db;
use crate::model::Term;
use crate::policy::ContactKind;

/// What is known of one student's notice for a term.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeState {
    pub number: String,
    pub delivered: Option<NaiveDate>,
    pub receipt: Option<NaiveDate>,
    pub confirmed: Option<NaiveDate>,
}

/// Each student's notice state for the warnings of `term`, by student id. Only contacts on or
/// after the warning's issue date count: an older delivery was for another notice.
pub fn notice_states(db: &Db, term: Term) -> anyhow::Result<HashMap<String, NoticeState>> {
    let issued: HashMap<String, NaiveDate> = db
        .issued_warnings(term)?
        .into_iter()
        .map(|w| (w.student_id, w.issued_on))
        .collect();
    let mut out: HashMap<String, NoticeState> = HashMap::new();
    // Newest first: the last write for a student is the earliest contact.
    for c in db.contacts(None, false)? {
        let Some(&on) = issued.get(&c.student_id) else {
            continue;
        };
        let day = c.at.date();
        if day < on {
            continue;
        }
        let st = out.entry(c.student_id.clone()).or_default();
        match c.kind {
            ContactKind::NoticeDelivered => st.delivered = Some(day),
            ContactKind::ReceiptReturned => st.receipt = Some(day),
            _ => {}
        }
    }
    Ok(out)
}
