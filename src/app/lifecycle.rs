//! A warning's life across terms: what changed for each student at an issue, which policy
//! obligations begin, continue or end, and the withdrawal of a mistaken issue.
//!
//! A warning issued for term T holds until the next issue, an exemption or a withdrawal. At
//! the next issue each student's [`Change`] is computed against the warning they hold:
//!
//! * `lifted` ends every open policy obligation that day;
//! * `same` keeps them: a repeating obligation is never doubled, a one-off (first talk,
//!   notice, receipt) is not created again;
//! * `new`, `up`, `down` (and the status outcomes) begin the new tier's obligations and end
//!   those of the old tier the new one lacks.
//!
//! Manual schedules (`schedule add`, agreed next talks) are never touched: only policy
//! obligations are read into a [`Snapshot`].

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};

use anyhow::bail;

use crate::app::access::Scope;
use crate::db::Db;
use crate::locale::Lang;
use crate::model::Cadence;
use crate::model::ContactKind;
use crate::model::{
    Change, Snapshot, Standing, Student, StudentPlan, Term, Withdrawal, Withdrawn, Written,
};
use crate::model::{Schedule, Source};
use crate::policy::{Evaluation, Policy};

/// A student's standing as the engine evaluated it.
pub fn standing(e: &Evaluation) -> Standing {
    Standing {
        tier: e.tier.clone().unwrap_or_default(),
        severity: e.severity,
        status: e.status.clone(),
    }
}

/// The change from `prev` (the warning held, if any) to `next`; `None` when the student was
/// not warned and is not now (nothing to record). A status outcome newly reached wins over
/// the tier's movement: it is what the student and parents must hear first.
pub fn change_of(prev: Option<&Standing>, next: &Standing, exempt: bool) -> Option<Change> {
    let was = prev.is_some_and(Standing::warned);
    if !was && !next.warned() {
        return None;
    }
    if exempt && next.warned() {
        return Some(Change::Exempt);
    }
    let gained = |id: &str| {
        next.status.iter().any(|s| s == id)
            && !prev.is_some_and(|p| p.status.iter().any(|s| s == id))
    };
    if gained("dismissal") {
        return Some(Change::Dismissal);
    }
    if gained("repeat_year") {
        return Some(Change::RepeatYear);
    }
    let Some(prev) = prev.filter(|_| was) else {
        return Some(Change::New);
    };
    Some(if !next.warned() {
        Change::Lifted
    } else if next.severity > prev.severity {
        Change::Up
    } else if next.severity < prev.severity {
        Change::Down
    } else {
        Change::Same
    })
}

/// Who an obligation is: a repeating talk of the same kind, role, cadence and wording is the
/// same obligation in the old tier and the new one, so it continues instead of doubling.
fn key(s: &Schedule) -> (ContactKind, Option<crate::model::Role>, Cadence, &str) {
    (s.kind, s.role, s.cadence, s.note.as_str())
}

/// Everything needed to plan one issue.
pub struct IssueInput<'a> {
    pub policy: &'a Policy,
    pub term: Term,
    pub rows: &'a [(Student, Evaluation)],
    pub exempt: &'a HashSet<String>,
    pub on: NaiveDate,
    pub lang: Lang,
    /// Whose warnings this issue writes: the others are left to those in charge of them.
    pub scope: &'a Scope,
}

/// The per-student plans of an issue for the students in scope, by student id. Empty when
/// nothing would change.
pub fn plan(input: &IssueInput<'_>, snap: &Snapshot) -> anyhow::Result<Vec<StudentPlan>> {
    plan_where(input, snap, |id| input.scope.sees(id))
}

/// How many students outside the scope an issue would change: left to those in charge.
pub fn left_to_others(input: &IssueInput<'_>, snap: &Snapshot) -> anyhow::Result<usize> {
    Ok(plan_where(input, snap, |id| !input.scope.sees(id))?.len())
}

fn plan_where(
    input: &IssueInput<'_>,
    snap: &Snapshot,
    keep: impl Fn(&str) -> bool,
) -> anyhow::Result<Vec<StudentPlan>> {
    let mut out = Vec::new();
    for (s, e) in input.rows.iter().filter(|(s, _)| keep(&s.student_id)) {
        let next = standing(e);
        let held = snap.held.get(&s.student_id);
        if held.is_some_and(|h| h.term == input.term && h.standing == next) {
            continue; // already issued as it stands: a second run writes nothing
        }
        let prev = held.map(|h| &h.standing);
        let Some(change) = change_of(prev, &next, input.exempt.contains(&s.student_id)) else {
            continue;
        };
        let open = snap.open.get(&s.student_id).map_or(&[][..], Vec::as_slice);
        // The policy's obligations as an issue records them (delivery and receipt clocks
        // wait for the notice's approval).
        let issue = crate::app::assess::issue_of(input.policy, e, input.on, input.lang)?;
        let desired = issue.schedules;
        let mut p = StudentPlan {
            student_id: s.student_id.clone(),
            name: s.name.clone(),
            change,
            from_tier: prev.map(|p| p.tier.clone()).unwrap_or_default(),
            warning: issue.warning,
            end: Vec::new(),
            keep: Vec::new(),
            create: Vec::new(),
        };
        let wanted: HashSet<_> = desired.iter().map(key).collect();
        let have: HashSet<_> = open.iter().map(key).collect();
        for o in open {
            if change == Change::Same || wanted.contains(&key(o)) {
                p.keep.push(o.id);
            } else {
                p.end.push(o.id);
            }
        }
        p.create = desired
            .iter()
            .filter(|d| !have.contains(&key(d)))
            .filter(|d| change != Change::Same || !matches!(d.cadence, Cadence::Once(_)))
            .cloned()
            .collect();
        if let Some(n) = notice_of_change(input, &p) {
            p.create.push(n);
        }
        out.push(p);
    }
    out.sort_by(|a, b| a.student_id.cmp(&b.student_id));
    Ok(out)
}

/// Seed 001 第六条(五): the parent contact a tier change owes (policy key
/// `notify_tier_change`), unless the new tier's own obligations already begin one.
fn notice_of_change(input: &IssueInput<'_>, p: &StudentPlan) -> Option<Schedule> {
    let n = input.policy.notify_tier_change.as_ref()?;
    if matches!(p.change, Change::Same | Change::Exempt | Change::Withdrawn) {
        return None;
    }
    let owed = |s: &Schedule| s.kind == ContactKind::ParentContact && s.role == Some(n.role);
    if p.create.iter().any(owed) {
        return None;
    }
    let lang = input.lang;
    Some(Schedule {
        id: 0,
        student_id: p.student_id.clone(),
        kind: ContactKind::ParentContact,
        role: Some(n.role),
        cadence: Cadence::Once(n.within_days),
        from: input.on,
        until: None,
        source: Source::Policy,
        note: format!(
            "{}{}",
            lang.pick(
                "预警级别变化告知学生本人及家长：",
                "tier change told to the student and parents: "
            ),
            p.change.label(lang)
        ),
        ended: None,
    })
}

/// Counts of an issue's changes, in [`Change::ALL`] order, with the students of each.
pub fn by_change(plans: &[StudentPlan]) -> Vec<(Change, Vec<&StudentPlan>)> {
    Change::ALL
        .into_iter()
        .map(|c| {
            (
                c,
                plans.iter().filter(|p| p.change == c).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, ps)| !ps.is_empty())
        .collect()
}

/// The answer to "write this?": yes, or no (nothing is written).
pub enum Answer {
    Yes,
    No,
}

/// How an issue run ended.
pub enum Outcome {
    /// Nothing would change for the students in scope; `others` would change outside it.
    Nothing {
        others: usize,
    },
    Declined,
    Done(Vec<StudentPlan>, Written),
}

/// Issues: plans from a read snapshot, asks (`ask` gets the plans and whether they changed
/// since the last question), then re-reads and writes under the write lock. If the plans
/// differ under the lock, `confirmed_again` decides: with it (--yes) the plans seen under the
/// lock are written; without it the lock is released and the new plans asked about again, so
/// the lock is never held while a person reads.
pub fn issue(
    db: &mut Db,
    input: &IssueInput<'_>,
    by: &str,
    now: NaiveDateTime,
    yes: bool,
    ask: &mut dyn FnMut(&[StudentPlan], bool) -> anyhow::Result<Answer>,
) -> anyhow::Result<Outcome> {
    let first = db.lifecycle_snapshot()?;
    let others = left_to_others(input, &first)?;
    let mut shown = plan(input, &first)?;
    let mut again = false;
    loop {
        if shown.is_empty() {
            return Ok(Outcome::Nothing { others });
        }
        if let Answer::No = ask(&shown, again)? {
            return Ok(Outcome::Declined);
        }
        let tx = db.begin_lifecycle()?;
        let snap = tx.snapshot()?;
        let seen = plan(input, &snap)?;
        if seen != shown && !yes {
            drop(tx);
            shown = seen;
            again = true;
            continue;
        }
        if seen.is_empty() {
            return Ok(Outcome::Nothing { others });
        }
        let mut written = tx.apply(&seen, input.term, by, now)?;
        written.left_to_others = left_to_others(input, &snap)?;
        tx.commit()?;
        return Ok(Outcome::Done(seen, written));
    }
}

/// What `issue` is asked for, before anything is read.
pub struct IssueRequest<'a> {
    pub policy: Option<&'a str>,
    pub term: Option<&'a str>,
    pub on: NaiveDate,
    pub today: NaiveDate,
    /// Issue a term earlier than the newest issued.
    pub force: bool,
    pub lang: Lang,
}

/// An issue ready to plan: the roster assessed, the exemptions in force on the issue day,
/// and the last day of the term when it has not ended yet.
pub struct Prepared {
    pub roster: crate::app::assess::Roster,
    pub exempt: HashSet<String>,
    pub unfinished: Option<NaiveDate>,
}

impl Prepared {
    pub fn input<'a>(&'a self, on: NaiveDate, lang: Lang, scope: &'a Scope) -> IssueInput<'a> {
        IssueInput {
            policy: &self.roster.policy,
            term: self.roster.term,
            rows: &self.roster.rows,
            exempt: &self.exempt,
            on,
            lang,
            scope,
        }
    }
}

/// Checks that the term may be issued (it has regular results; it is not older than the
/// newest issued unless forced) and reads what the plans are made from. The CLI and the TUI
/// share it so both refuse the same things.
pub fn prepare_issue(db: &Db, req: &IssueRequest<'_>) -> anyhow::Result<Prepared> {
    let lang = req.lang;
    let policy = crate::app::assess::resolve_policy(db, req.policy)?;
    let term = crate::app::assess::resolve_term(db, req.term)?;
    if !db.has_regular_results(term)? {
        bail!(
            "{}",
            lang.pick(
                &format!(
                    "{term} 没有任何正考成绩，不能下发预警：先导入该学期成绩（yujing import grades 文件）"
                ),
                &format!(
                    "{term} has no regular-sitting results recorded: nothing to issue; import its grades first (yujing import grades FILE)"
                )
            )
        );
    }
    if let Some(newest) = db.newest_issued_term()?
        && newest > term
        && !req.force
    {
        bail!(
            "{}",
            lang.pick(
                &format!(
                    "{term} 早于已下发的最新学期 {newest}：下发会取代现行预警。撤回 {newest} 请用 yujing issue withdraw --term {newest} --reason …；确要重新下发历史学期请加 --force"
                ),
                &format!(
                    "{term} is earlier than {newest}, the newest term issued: issuing it would replace the warnings in force. To withdraw {newest}'s issue use `yujing issue withdraw --term {newest} --reason …`; to re-issue history deliberately add --force"
                )
            )
        );
    }
    let (cal, _) = crate::app::agenda::calendar(db, req.today)?;
    let unfinished = cal
        .terms
        .iter()
        .find(|(t, _, _)| *t == term)
        .map(|(_, _, end)| *end)
        .filter(|end| *end > req.today);
    let roster = crate::app::assess::assess(db, policy, term)?;
    let exempt = db
        .exemptions()?
        .into_iter()
        .filter(|e| e.term == term && e.active(req.on))
        .map(|e| e.student_id)
        .collect();
    Ok(Prepared {
        roster,
        exempt,
        unfinished,
    })
}

/// The students a withdrawal names, checked: each known, in the withdrawer's scope and
/// holding a warning of the term. With none named, every student in scope warned for the
/// term. Returns the preview (students named explicitly, so the write under the lock keeps
/// to the scope) and how many warned students of the term it leaves to others.
pub fn prepare_withdrawal(
    db: &Db,
    term: Term,
    named: &[String],
    scope: &Scope,
    lang: Lang,
) -> anyhow::Result<(Vec<String>, Withdrawn, usize)> {
    for s in named {
        if db.student(s)?.is_none() {
            bail!(
                "{}",
                lang.pick(
                    &format!("未知学号 '{s}'（不在学生名册中）"),
                    &format!("unknown student id '{s}' (not in the student roster)")
                )
            );
        }
        if !scope.sees(s) {
            bail!(
                "{}",
                lang.pick(
                    &format!("学生 {s} 不在你的范围内：不能撤回其预警，未写入任何内容"),
                    &format!("student {s} is not in scope: you may not withdraw their warning; nothing written")
                )
            );
        }
    }
    let all = db.withdrawal_preview(term, named)?;
    if let Some(missing) = named
        .iter()
        .find(|s| !all.warnings.iter().any(|(w, _)| w == *s))
    {
        bail!(
            "{}",
            lang.pick(
                &format!("学生 {missing} 在 {term} 没有未撤回的预警：未写入任何内容"),
                &format!("student {missing} holds no warning for {term} that is not withdrawn: nothing written")
            )
        );
    }
    let (mine, others): (Vec<_>, Vec<_>) =
        all.warnings.into_iter().partition(|(s, _)| scope.sees(s));
    if mine.is_empty() {
        bail!(
            "{}",
            lang.pick(
                &format!("{term} 没有（你范围内的）未撤回预警：无可撤回"),
                &format!("no warnings issued for {term} (in your scope) that are not withdrawn already: nothing to withdraw")
            )
        );
    }
    let students = mine.iter().map(|(s, _)| s.clone()).collect();
    let preview = Withdrawn {
        warnings: mine,
        ..Withdrawn::default()
    };
    Ok((students, preview, others.len()))
}

/// Withdraws under the write lock what [`prepare_withdrawal`] previewed (re-read there), in
/// one transaction with its audit line.
pub fn withdraw(db: &mut Db, w: &Withdrawal<'_>) -> anyhow::Result<Withdrawn> {
    let tx = db.begin_lifecycle()?;
    let done = tx.withdraw(w)?;
    tx.commit()?;
    Ok(done)
}

/// Student ids from repeatable `--student` values that may hold comma lists.
pub fn student_list(args: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in args.iter().flat_map(|a| a.split([',', '，'])) {
        let id = id.trim();
        if !id.is_empty() && !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(tier: &str, severity: u32, status: &[&str]) -> Standing {
        Standing {
            tier: tier.into(),
            severity,
            status: status.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn changes_follow_the_tier_and_the_status_outcomes() {
        let none = st("", 0, &[]);
        let y = st("yellow", 1, &[]);
        let r = st("red", 3, &[]);
        assert_eq!(change_of(None, &none, false), None);
        assert_eq!(change_of(Some(&none), &none, false), None);
        assert_eq!(change_of(None, &y, false), Some(Change::New));
        assert_eq!(change_of(Some(&none), &y, false), Some(Change::New));
        assert_eq!(change_of(Some(&y), &r, false), Some(Change::Up));
        assert_eq!(change_of(Some(&r), &y, false), Some(Change::Down));
        assert_eq!(change_of(Some(&y), &y, false), Some(Change::Same));
        assert_eq!(change_of(Some(&y), &none, false), Some(Change::Lifted));
        assert_eq!(change_of(Some(&y), &y, true), Some(Change::Exempt));
        let ry = st("red", 3, &["repeat_year"]);
        assert_eq!(change_of(Some(&y), &ry, false), Some(Change::RepeatYear));
        assert_eq!(
            change_of(Some(&ry), &ry, false),
            Some(Change::Same),
            "a status already held is no change"
        );
        assert_eq!(
            change_of(Some(&ry), &st("red", 3, &["dismissal"]), false),
            Some(Change::Dismissal)
        );
    }

    #[test]
    fn change_ids_are_snake_case_and_round_trip() {
        for c in Change::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
            assert_eq!(c.id().parse::<Change>().unwrap(), c);
            assert_ne!(c.label(Lang::Zh), c.label(Lang::En));
        }
        assert_eq!(Change::RepeatYear.id(), "repeat_year");
    }

    #[test]
    fn student_lists_split_commas_and_drop_repeats() {
        let a = vec!["1, 2".to_string(), "3".into(), "2，4".into(), " ".into()];
        assert_eq!(student_list(&a), vec!["1", "2", "3", "4"]);
    }
}
