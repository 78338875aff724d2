//! The assessed roster: which term, which policy, and every student's evaluation. Used by
//! the `evaluate` command and the TUI alike, so both always agree.

use std::collections::HashSet;

use anyhow::{Context, bail};

use super::access::Scope;
use super::evalcache;
use crate::db::Db;
use crate::model::{Student, Term};
use crate::policy::{Evaluation, Policy};
use crate::policy_file::resolve;

pub struct Roster {
    pub policy: Policy,
    pub term: Term,
    /// Every student in the database, by id, with the evaluation for `term`.
    pub rows: Vec<(Student, Evaluation)>,
    /// How many students were evaluated to answer (the rest came from the cache).
    pub evaluated: usize,
}

/// `--policy` if given (a preset id or a file), else the database's policy.
pub fn resolve_policy(db: &Db, arg: Option<&str>) -> anyhow::Result<Policy> {
    if let Some(a) = arg {
        return Ok(resolve(a)?.0);
    }
    match db.policy()? {
        Some((id, text)) => Ok(crate::policy::presets::parse(
            &text,
            &format!("policy '{id}' stored in the database"),
        )?),
        None => bail!(
            "{}",
            crate::locale::Lang::current().pick(
                "数据库还没有选定预警政策：用 `yujing policy use 编号` 选一个（内置政策：hljjz、qzu、lut-life、hntou），或加 --policy",
                "the database has no policy yet: choose one with `yujing policy use ID` (presets: hljjz, qzu, lut-life, hntou) or pass --policy"
            )
        ),
    }
}

/// `--term` if given, else the default assessed term ([`Db::default_assessed_term`]), which
/// is said on standard error so that nobody reads a term they did not choose as theirs.
pub fn resolve_term(db: &Db, arg: Option<&str>) -> anyhow::Result<Term> {
    if let Some(a) = arg {
        return Ok(a.parse::<Term>()?);
    }
    let t = db.default_assessed_term()?.context(
        "no grades with results imported yet: `yujing import grades FILE` first, or pass --term YYYY-YYYY-N",
    )?;
    eprintln!(
        "yujing: {}",
        crate::locale::Lang::current().pick(
            &format!("评估学期 {t}（有成绩的最新学期；用 --term 指定其他学期）"),
            &format!("assessed term {t} (the newest term with results; --term picks another)"),
        )
    );
    Ok(t)
}

pub fn assess(db: &Db, policy: Policy, term: Term) -> anyhow::Result<Roster> {
    db.read_snapshot(|db| assess_with(db, policy, term, db.students()?))
}

/// [`assess`] with the roster already read (in the same snapshot).
fn assess_with(
    db: &Db,
    policy: Policy,
    term: Term,
    students: Vec<Student>,
) -> anyhow::Result<Roster> {
    let evals = evaluate_everyone(db, &policy, term)?;
    // Both lists are ordered by student id and hold every student, read in one snapshot.
    anyhow::ensure!(
        students.len() == evals.len(),
        "the roster changed while it was read"
    );
    let evaluated = evals.len();
    let rows = students.into_iter().zip(evals).collect();
    Ok(Roster {
        policy,
        term,
        rows,
        evaluated,
    })
}

/// Above this share of the reader's roster still to evaluate, one pass over every student's
/// facts is faster than a query per student.
const ONE_BY_ONE_SHARE: usize = 8;

/// Like [`assess`] for the students `scope` sees (confidential reasons masked where it may not
/// read them), reusing the per-user cache file ([`super::evalcache`]): only students whose
/// facts changed since the file was written, or who are new to it, are evaluated again, and
/// the file is brought up to date. Without a database file (in memory) nothing is cached.
pub fn assess_cached(db: &Db, policy: Policy, term: Term, scope: &Scope) -> anyhow::Result<Roster> {
    db.read_snapshot(|db| {
        let Some((id, file)) = cache_identity(db, &policy, term, scope)? else {
            let mut roster = assess(db, policy, term)?;
            restrict(&mut roster.rows, scope);
            return Ok(roster);
        };
        let now = db.facts_change()?;
        let cached = evalcache::load(&file, &id, &policy).filter(|c| c.facts_change <= now);
        let changed = match &cached {
            Some(c) if c.facts_change == now => Some(HashSet::new()),
            Some(c) => db.facts_changed_since(c.facts_change)?,
            None => None,
        };
        let fresh = cached.as_ref().is_some_and(|c| c.facts_change == now);
        let cached_rows = cached.map(|c| c.rows).unwrap_or_default();
        let cached_len = cached_rows.len();
        let mut students = db.students()?;
        let all = students.len();
        let stale = count_stale(&students, &cached_rows, changed.as_ref(), scope);
        let mut roster = if stale > all / ONE_BY_ONE_SHARE {
            let mut roster = assess_with(db, policy, term, students)?;
            restrict(&mut roster.rows, scope);
            roster
        } else {
            scope.retain(&mut students, |s| &s.student_id);
            // Both lists are ordered by student id: the cached rows are taken, not copied.
            let mut cached = cached_rows.into_iter().peekable();
            let mut rows = Vec::with_capacity(students.len());
            for s in students {
                while cached.next_if(|e| e.student_id < s.student_id).is_some() {}
                let hit = cached
                    .next_if(|e| e.student_id == s.student_id)
                    .filter(|_| still_holds(changed.as_ref(), &s.student_id));
                let e = match hit {
                    Some(e) => e,
                    None => {
                        let facts = db
                            .load_student_facts(&s.student_id, term)?
                            .context("the roster changed while it was read")?;
                        let mut e = crate::policy::evaluate(&policy, &facts, term);
                        if !scope.reads_confidential(&s.student_id) {
                            super::access::mask_psych(&mut e);
                        }
                        e
                    }
                };
                rows.push((s, e));
            }
            Roster {
                policy,
                term,
                rows,
                evaluated: stale,
            }
        };
        if !fresh || roster.evaluated > 0 || cached_len != roster.rows.len() {
            let evals: Vec<&Evaluation> = roster.rows.iter().map(|(_, e)| e).collect();
            // A cache that cannot be written (no home, a full disk) costs only speed.
            let _ = evalcache::store(&file, &id, now, &evals);
        }
        roster.evaluated = roster.evaluated.min(roster.rows.len());
        Ok(roster)
    })
}

/// Whether a cached row of `student_id` holds: `changed` (None: everyone) does not name them.
fn still_holds(changed: Option<&HashSet<String>>, student_id: &str) -> bool {
    changed.is_some_and(|c| c.is_empty() || !c.contains(student_id))
}

/// How many students `scope` sees have no cached row that still holds. Both lists are ordered
/// by student id, so one walk over each answers.
fn count_stale(
    students: &[Student],
    cached: &[Evaluation],
    changed: Option<&HashSet<String>>,
    scope: &Scope,
) -> usize {
    let mut i = 0;
    students
        .iter()
        .filter(|s| scope.sees(&s.student_id))
        .filter(|s| {
            while cached.get(i).is_some_and(|e| e.student_id < s.student_id) {
                i += 1;
            }
            let cached_here = cached.get(i).is_some_and(|e| e.student_id == s.student_id);
            !(cached_here && still_holds(changed, &s.student_id))
        })
        .count()
}

/// Keeps the rows `scope` sees, confidential reasons masked where it may not read them.
fn restrict(rows: &mut Vec<(Student, Evaluation)>, scope: &Scope) {
    scope.retain(rows, |(s, _)| &s.student_id);
    for (s, e) in rows {
        if !scope.reads_confidential(&s.student_id) {
            super::access::mask_psych(e);
        }
    }
}

/// Evaluates under the database's own policy and newest term and caches the result for
/// `scope`, so the next TUI launch opens at once. Best effort: without a policy or grades
/// there is nothing to do.
pub fn warm_cache(db: &Db, scope: &Scope) {
    let (Ok(policy), Ok(term)) = (resolve_policy(db, None), resolve_term(db, None)) else {
        return;
    };
    let _ = assess_cached(db, policy, term, scope);
}

/// The cache file [`assess_cached`] reads and writes for these arguments, if any.
pub fn cache_file(
    db: &Db,
    policy: &Policy,
    term: Term,
    scope: &Scope,
) -> anyhow::Result<Option<std::path::PathBuf>> {
    Ok(cache_identity(db, policy, term, scope)?.map(|(_, f)| f))
}

/// What a cache file is for, and its path; None for a database with no file or no identity.
fn cache_identity(
    db: &Db,
    policy: &Policy,
    term: Term,
    scope: &Scope,
) -> anyhow::Result<Option<(evalcache::Identity, std::path::PathBuf)>> {
    let (Some(path), Some(db_id)) = (db.path(), db.identity()?) else {
        return Ok(None);
    };
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = toml::to_string(policy)?;
    let id = evalcache::Identity {
        db: db_id,
        path: path.to_string_lossy().into_owned(),
        policy: evalcache::fnv(0xcbf2_9ce4_8422_2325, text.as_bytes()),
        term,
        scope: scope.fingerprint(),
        engine: crate::policy::ENGINE_VERSION,
    };
    Ok(id.file().map(|f| (id, f)))
}

/// Every student's evaluation, ordered by student id. The facts are streamed, so memory
/// holds a few students' grades at a time; a database file is read through two connections,
/// each evaluating half the roster on its own core. The second connection reads the same
/// commit as the first or its half is evaluated on the first.
fn evaluate_everyone(db: &Db, policy: &Policy, term: Term) -> anyhow::Result<Vec<Evaluation>> {
    let Some(path) = db.path() else {
        return evaluate_part(db, policy, term, 0, 1);
    };
    let facts_change = db.facts_change()?;
    let mut evals = std::thread::scope(|scope| {
        let other = scope.spawn(|| -> anyhow::Result<Option<Vec<Evaluation>>> {
            Db::open_read(path)?.with_small_page_cache(SCAN_CACHE_KIB, |other| {
                other.read_snapshot(|other| {
                    if other.facts_change()? != facts_change {
                        return Ok(None);
                    }
                    evaluate_part(other, policy, term, 1, 2).map(Some)
                })
            })
        });
        let mut evals =
            db.with_small_page_cache(SCAN_CACHE_KIB, |db| evaluate_part(db, policy, term, 0, 2))?;
        match other.join() {
            Ok(Ok(Some(rest))) => evals.extend(rest),
            _ => evals.extend(evaluate_part(db, policy, term, 1, 2)?),
        }
        anyhow::Ok(evals)
    })?;
    evals.sort_unstable_by(|a, b| a.student_id.cmp(&b.student_id));
    Ok(evals)
}

/// The page cache of a connection scanning every student's facts once.
const SCAN_CACHE_KIB: i64 = 4 * 1024;

fn evaluate_part(
    db: &Db,
    policy: &Policy,
    term: Term,
    part: usize,
    parts: usize,
) -> anyhow::Result<Vec<Evaluation>> {
    let mut evals = Vec::new();
    db.for_each_facts_part(term, part, parts, |mut f| {
        f.sort_attempts();
        evals.push(crate::policy::evaluate(policy, &f, term));
    })?;
    Ok(evals)
}

/// What issuing `e`'s warning on `on` records: the warning as it stands (tier empty when the
/// student is no longer warned) and the obligations the policy attaches to it.
pub fn issue_of(
    policy: &Policy,
    e: &Evaluation,
    on: chrono::NaiveDate,
    lang: crate::locale::Lang,
) -> anyhow::Result<crate::db::Issue> {
    Ok(crate::db::Issue {
        warning: crate::model::IssuedWarning {
            student_id: e.student_id.clone(),
            term: e.term,
            policy_id: policy.id.clone(),
            tier: e.tier.clone().unwrap_or_default(),
            severity: e.severity,
            status: e.status.clone(),
            reasons_json: serde_json::to_string(&e.reasons)?,
            issued_on: on,
        },
        // Delivery and receipt clocks start when the notice is approved, not at issue — for a
        // policy yujing prints notices for; a policy of the school's own without built-in
        // forms keeps its own clocks from the issue.
        schedules: crate::policy::obligations::obligations(policy, e, on, lang)
            .into_iter()
            .filter(|s| {
                crate::paper::builtin(&policy.id).is_none()
                    || !crate::paper::starts_at_approval(s.kind)
            })
            .collect(),
    })
}
