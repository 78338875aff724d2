//! The SQLite-backed [`DataSource`]: the database read through the engine, on the loader
//! thread. Knows no SQL itself; it asks [`crate::db`] and [`crate::roster`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::data::{
    ContactView, DataSource, FollowupMark, RosterEntry, Snapshot, StudentDetail, TierHistory,
};
use crate::db::Db;
use crate::locale::Lang;
use crate::model::Term;
use crate::policy::{Policy, course_outcomes, evaluate};

pub struct DbSource {
    // The loader thread owns the source; the cache write in `snapshot` needs `&mut Db`.
    db: RefCell<Db>,
    policy_arg: Option<String>,
    term_arg: Option<Term>,
    today: NaiveDate,
    lang: Lang,
}

impl DbSource {
    pub fn open(
        path: &Path,
        policy_arg: Option<String>,
        term_arg: Option<Term>,
        today: NaiveDate,
        lang: Lang,
    ) -> anyhow::Result<DbSource> {
        let db = Db::open(path)?;
        // Fail now, before the terminal is taken over, when --policy names nothing.
        if let Some(p) = &policy_arg {
            crate::policy::resolve(p)?;
        }
        Ok(DbSource {
            db: RefCell::new(db),
            policy_arg,
            term_arg,
            today,
            lang,
        })
    }

    fn policy(&self) -> Option<Policy> {
        crate::roster::resolve_policy(&self.db.borrow(), self.policy_arg.as_deref()).ok()
    }

    fn term(&self) -> anyhow::Result<Option<Term>> {
        Ok(match self.term_arg {
            Some(t) => Some(t),
            None => self.db.borrow().newest_grade_term()?,
        })
    }

    fn marks(&self) -> anyhow::Result<HashMap<String, FollowupMark>> {
        let exempt = crate::roster::exempt_today(&self.db.borrow(), self.today)?;
        let schedules: Vec<_> = self
            .db
            .borrow()
            .schedules(None)?
            .into_iter()
            .filter(|s| !exempt.contains(&s.student_id))
            .collect();
        let contacts = self.db.borrow().contacts(None, false)?;
        let (cal, _) = crate::roster::calendar(&self.db.borrow(), self.today)?;
        let lang = self.lang;
        Ok(
            crate::followup::most_urgent(&schedules, &contacts, &cal, self.today)
                .into_iter()
                .filter_map(|(id, (s, st))| {
                    let role = s.role.map_or("", |r| lang.pick(r.label_zh(), r.id()));
                    let label = format!(
                        "{role}{}{}",
                        if role.is_empty() || lang == Lang::Zh {
                            ""
                        } else {
                            " "
                        },
                        lang.pick(s.kind.label_zh(), s.kind.id())
                    );
                    Some((
                        id,
                        FollowupMark {
                            label,
                            due: st.due?,
                            days_overdue: st.days_overdue,
                        },
                    ))
                })
                .collect(),
        )
    }
}

impl DataSource for DbSource {
    fn version(&self) -> u64 {
        // Other connections' commits move data_version; our own writes move last_change.
        let dv = self.db.borrow().data_version().unwrap_or(0);
        let lc = self.db.borrow().last_change().unwrap_or(0);
        (dv as u64).wrapping_mul(1_000_003).wrapping_add(lc as u64)
    }

    fn snapshot(&self) -> anyhow::Result<Snapshot> {
        let student_count = self.db.borrow().student_count()?;
        let (policy, term) = (self.policy(), self.term()?);
        let (Some(policy), Some(term)) = (policy.clone(), term) else {
            return Ok(Snapshot {
                policy,
                term,
                entries: Vec::new(),
                student_count,
                today: self.today,
            });
        };
        let roster = crate::roster::assess_cached(&mut self.db.borrow_mut(), policy, term)?;
        let last = self.db.borrow().last_contacts()?;
        let mut marks = self.marks()?;
        let entries = roster
            .rows
            .into_iter()
            .map(|(student, eval)| RosterEntry {
                last_contact: last.get(&student.student_id).copied(),
                followup: marks.remove(&student.student_id),
                student,
                eval,
            })
            .collect();
        Ok(Snapshot {
            policy: Some(roster.policy),
            term: Some(term),
            entries,
            student_count,
            today: self.today,
        })
    }

    fn student(&self, id: &str) -> anyhow::Result<Option<StudentDetail>> {
        let (Some(student), Some(policy), Some(term)) =
            (self.db.borrow().student(id)?, self.policy(), self.term()?)
        else {
            return Ok(None);
        };
        let Some(facts) = self.db.borrow().load_student_facts(id, term)? else {
            return Ok(None);
        };
        let eval = evaluate(&policy, &facts, term);
        let courses = course_outcomes(&facts, term, policy.pass_mark);
        let history = self
            .db
            .borrow()
            .terms_with_grades()?
            .into_iter()
            .filter(|t| *t <= term)
            .map(|t| {
                let e = evaluate(&policy, &facts, t);
                TierHistory {
                    term: t,
                    tier_index: e.tier_index,
                    status: e.status,
                    carried: e.carried,
                }
            })
            .collect();
        let lang = self.lang;
        let contacts = self
            .db
            .borrow()
            .contacts(Some(id), false)?
            .into_iter()
            .map(|c| ContactView {
                at: c.at,
                author: c.author,
                role: c
                    .role
                    .map_or("", |r| lang.pick(r.label_zh(), r.id()))
                    .to_string(),
                with_whom: c.with_whom.label(lang).to_string(),
                channel: c.channel.label(lang).to_string(),
                kind: lang.pick(c.kind.label_zh(), c.kind.id()).to_string(),
                summary: c.summary,
            })
            .collect();
        Ok(Some(StudentDetail {
            student,
            eval,
            courses,
            history,
            contacts,
        }))
    }
}
