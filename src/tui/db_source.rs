//! The SQLite-backed [`DataSource`]: the database read through the engine, on the loader
//! thread. Knows no SQL itself; it asks [`crate::db`] and [`crate::app::assess`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::model::{
    ContactView, DataSource, FollowupMark, RosterEntry, ScheduleView, Snapshot, StudentDetail,
    TierHistory, WriteOp, clock_on, next_talk_note,
};
use crate::app::access::{self, Actor, Need, Scope};
use crate::app::agenda::Followups;
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
    /// The weights of the triage order (config.toml `[triage]`).
    pub triage: super::model::Triage,
    /// Whom the view is for; its scope is worked out again on every refresh, so students
    /// imported meanwhile are placed too. None shows everything (tests).
    pub actor: Option<Actor>,
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
            crate::policy_file::resolve(p)?;
        }
        Ok(DbSource {
            db: RefCell::new(db),
            policy_arg,
            term_arg,
            today,
            lang,
            triage: Default::default(),
            actor: None,
        })
    }

    fn scope(&self) -> anyhow::Result<Scope> {
        match &self.actor {
            Some(a) => access::scope(&self.db.borrow(), a),
            None => Ok(Scope::everything()),
        }
    }

    /// The permission check of a write from the TUI; the write's own transaction then
    /// audits it as this actor.
    fn permit(&self, need: Need, student: &str) -> anyhow::Result<()> {
        if let Some(a) = &self.actor {
            access::permit(&self.db.borrow(), a, need, Some(student))?;
            self.db.borrow_mut().set_auditor(a.auditor());
        }
        Ok(())
    }

    /// The policy in force: None when none is chosen, Err(why) when the chosen one (stored in
    /// the database, or named by --policy) does not parse or validate.
    fn policy(&self) -> Result<Option<Policy>, String> {
        let db = self.db.borrow();
        match crate::app::assess::resolve_policy(&db, self.policy_arg.as_deref()) {
            Ok(p) => Ok(Some(p)),
            // A database that cannot say whether one is chosen is an error worth showing too.
            Err(e) if self.policy_arg.is_some() || !matches!(db.policy(), Ok(None)) => {
                Err(format!("{e:#}"))
            }
            Err(_) => Ok(None),
        }
    }

    fn term(&self) -> anyhow::Result<Option<Term>> {
        Ok(match self.term_arg {
            Some(t) => Some(t),
            None => self.db.borrow().default_assessed_term()?,
        })
    }

    /// Follow-up state today: who is exempt (and why), the schedules of everyone else with
    /// their state, and each student's most urgent one as a roster mark.
    fn followups(&self) -> anyhow::Result<FollowupViews> {
        let lang = self.lang;
        let f = Followups::read(&self.db.borrow(), self.today, self.lang)?;
        let marks = f
            .most_urgent()
            .into_iter()
            .filter_map(|(id, (s, st))| Some((id, FollowupMark::of(lang, &s, &st)?)))
            .collect();
        let views = f
            .statuses()
            .into_iter()
            .zip(f.schedules)
            .map(|(status, schedule)| ScheduleView { schedule, status })
            .collect();
        let exempt = f
            .exempt
            .into_iter()
            .map(|e| (e.student_id, e.reason_kind.label(lang).to_string()))
            .collect();
        // Each student's latest current contact, from the contacts already read.
        let mut last: HashMap<String, chrono::NaiveDate> = HashMap::new();
        for c in f.contacts {
            let day = c.at.date();
            let seen = last.entry(c.student_id).or_insert(day);
            *seen = (*seen).max(day);
        }
        Ok(FollowupViews {
            exempt,
            views,
            marks,
            last,
        })
    }
}

struct FollowupViews {
    exempt: HashMap<String, String>,
    views: Vec<ScheduleView>,
    marks: HashMap<String, FollowupMark>,
    last: HashMap<String, chrono::NaiveDate>,
}

impl DataSource for DbSource {
    fn version(&self) -> u64 {
        // Other connections' commits move data_version; our own writes move last_change.
        let dv = self.db.borrow().data_version().unwrap_or(0);
        let lc = self.db.borrow().last_change().unwrap_or(0);
        (dv as u64).wrapping_mul(1_000_003).wrapping_add(lc as u64)
    }

    fn snapshot(&self) -> anyhow::Result<Snapshot> {
        self.snapshot_with_progress(&|_, _| {})
    }

    fn snapshot_with_progress(&self, progress: &dyn Fn(usize, usize)) -> anyhow::Result<Snapshot> {
        let student_count = self.db.borrow().student_count()?;
        let (policy, term) = (self.policy(), self.term()?);
        let policy_error = policy.as_ref().err().cloned();
        let policy = policy.ok().flatten();
        let (Some(policy), Some(term)) = (policy.clone(), term) else {
            return Ok(Snapshot {
                policy,
                policy_error,
                term,
                entries: Vec::new(),
                student_count,
                today: self.today,
                schedules: Vec::new(),
                triage: self.triage,
            });
        };
        // Said before evaluating: on a cold cache that is most of the wait.
        progress(0, student_count);
        let scope = self.scope()?;
        let evaluating =
            tracing::debug_span!("evaluate", %term, students = student_count).entered();
        let roster = crate::app::assess::assess_cached(&self.db.borrow(), policy, term, &scope)?;
        drop(evaluating);
        let FollowupViews {
            mut exempt,
            views,
            mut marks,
            last,
        } = tracing::debug_span!("follow-ups").in_scope(|| self.followups())?;
        let _span = tracing::debug_span!("roster entries").entered();
        let entries = roster
            .rows
            .into_iter()
            .map(|(student, eval)| RosterEntry {
                last_contact: last.get(&student.student_id).copied(),
                followup: marks.remove(&student.student_id),
                exempt: exempt.remove(&student.student_id),
                student,
                eval,
            })
            .collect();
        Ok(Snapshot {
            policy: Some(roster.policy),
            policy_error: None,
            term: Some(term),
            entries,
            student_count,
            today: self.today,
            schedules: views,
            triage: self.triage,
        })
    }

    fn report(&self) -> anyhow::Result<Option<super::model::ReportData>> {
        let Ok(Some(policy)) = self.policy() else {
            return Ok(None);
        };
        let db = self.db.borrow();
        let a = crate::analysis::report::latest(&db, policy.clone(), self.today)?;
        Ok(a.map(|a| (a, policy)))
    }

    fn student(&self, id: &str) -> anyhow::Result<Option<StudentDetail>> {
        let scope = self.scope()?;
        if !scope.sees(id) {
            return Ok(None);
        }
        let secret = self.db.borrow().confidential_contacts()?;
        let (Some(student), Some(policy), Some(term)) = (
            self.db.borrow().student(id)?,
            self.policy().ok().flatten(),
            self.term()?,
        ) else {
            return Ok(None);
        };
        let Some(facts) = self.db.borrow().load_student_facts(id, term)? else {
            return Ok(None);
        };
        let mut eval = evaluate(&policy, &facts, term);
        if !scope.reads_confidential(id) {
            access::mask_psych(&mut eval);
        }
        let courses = course_outcomes(&facts, term, policy.pass_mark);
        let issued = self.db.borrow().warning_history(id)?;
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
                    issued: issued.iter().filter(|w| w.term == t).cloned().collect(),
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
                summary: if secret.contains(&c.id) && !scope.reads_confidential(id) {
                    access::confidential_placeholder(lang)
                } else {
                    c.summary
                },
            })
            .collect();
        // The notice preview is extra: a policy without templates leaves the page as it was.
        let notice = crate::app::notices::paper(
            &self.db.borrow(),
            self.policy_arg.as_deref(),
            Some(&term.to_string()),
        )
        .and_then(|p| crate::app::notices::preview(&self.db.borrow(), &p, id, self.today))
        .unwrap_or(None);
        let confirmed = self
            .db
            .borrow()
            .confirmations(term)?
            .into_iter()
            .find(|(s, _)| s == id)
            .map(|(_, at)| at.chars().take(10).collect());
        Ok(Some(StudentDetail {
            student,
            eval,
            courses,
            history,
            contacts,
            notice,
            confirmed,
        }))
    }

    fn write(&mut self, op: &WriteOp) -> anyhow::Result<i64> {
        match op {
            WriteOp::LogContact {
                contact: c,
                confidential,
            } => {
                // The same refusals as `yujing log`: nothing after now, no text over the limit.
                crate::app::contact::check(c, true, clock_on(self.today), self.lang)
                    .map_err(anyhow::Error::msg)?;
                self.permit(Need::Contact, &c.student_id)?;
                // Psych may log confidential notes only, as with `yujing log --confidential`.
                if let Some(a) = &self.actor {
                    access::permit_contact(&self.db.borrow(), a, *confidential, None, self.lang)?;
                }
                let next =
                    crate::schedule::agenda::next_talk_schedule(c, next_talk_note(self.lang));
                let db = self.db.get_mut();
                db.write_confidential(*confidential);
                // The same use case as `yujing log`: a notice-delivered or receipt-returned
                // contact closes its notice's clock here too.
                let written = crate::app::notices::log_contact(db, c, next.as_ref(), None);
                db.write_confidential(false);
                Ok(written?.id)
            }
            WriteOp::ApproveNotice(id) => {
                self.permit(Need::Approve, id)?;
                let term = self.term()?.map(|t| t.to_string());
                let db = self.db.get_mut();
                let p =
                    crate::app::notices::paper(db, self.policy_arg.as_deref(), term.as_deref())?;
                // Drafts are made on demand; make this one before naming what is missing.
                db.sync_notices(p.term, clock_on(self.today))?;
                crate::app::notices::current(db, &p, id)?;
                let done =
                    crate::app::notices::approve(db, &p, None, Some(id), clock_on(self.today))?;
                Ok(done.first().map_or(0, |n| n.id))
            }
            WriteOp::AddSchedule(s) => {
                self.permit(Need::Schedule, &s.student_id)?;
                let by = crate::os::real_login();
                let id = self
                    .db
                    .get_mut()
                    .add_schedule(s, &by, clock_on(self.today))?;
                Ok(id)
            }
        }
    }
}
