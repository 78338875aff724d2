//! The notice columns of the summary list (通知编号, 通知送达, 回执, 学生确认), read in one place:
//! the numbered notices and the students' confirmations where yujing printed them, else the
//! delivery and the returned receipt as the contact log has them.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::db::Db;
use crate::model::ContactKind;
use crate::model::Term;

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
    let day = |s: &str| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok();
    for n in db.notices(term)? {
        let ended = matches!(
            n.state,
            crate::paper::State::Superseded | crate::paper::State::Withdrawn
        );
        if ended || n.number.is_none() || !issued.contains_key(&n.student_id) {
            continue; // a draft, or a notice of a warning no longer in force
        }
        let st = out.entry(n.student_id.clone()).or_default();
        st.number = n.number.clone().unwrap_or_default();
        if let Some(d) = n.delivered.as_deref().and_then(day) {
            st.delivered = Some(d);
        }
        if let Some(d) = n.receipt.as_deref().and_then(day) {
            st.receipt = Some(d);
        }
    }
    for (student, at) in db.confirmations(term)? {
        if let Some(d) = day(&at) {
            out.entry(student).or_default().confirmed = Some(d);
        }
    }
    Ok(out)
}
