//! The assessed roster: which term, which policy, and every student's evaluation. Used by
//! the `evaluate` command and the TUI alike, so both always agree.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, bail};

use super::access::Scope;
use super::evalcache;
use crate::db::{Db, FactScan};
use crate::model::{Student, StudentFacts, Term};
use crate::policy::{CourseOutcome, Evaluation, Policy};
use crate::policy_file::resolve;

/// A student and their evaluation.
pub type Row = (Student, Evaluation);

pub struct Roster {
    pub policy: Policy,
    pub term: Term,
    /// Every student in the database, by id, with the evaluation for `term`.
    pub rows: Vec<Row>,
    /// How many students were evaluated to answer (the rest came from the cache).
    pub evaluated: usize,
}

impl Roster {
    /// The rows a list of warned students shows (with `all`, every row): on a tier or a
    /// status, most severe first, then by class and id, as counsellors work through them.
    pub fn listed(&self, all: bool) -> Vec<&(Student, Evaluation)> {
        let mut rows: Vec<_> = self
            .rows
            .iter()
            .filter(|(_, e)| all || is_warned(e))
            .collect();
        rows.sort_by(|a, b| list_order(a, b));
        rows
    }
}

/// On a tier or a status outcome.
pub fn is_warned(e: &Evaluation) -> bool {
    e.severity > 0 || !e.status.is_empty()
}

/// The order of [`Roster::listed`]: most severe first, then class, then student id.
pub fn list_order(
    (a, x): &(Student, Evaluation),
    (b, y): &(Student, Evaluation),
) -> std::cmp::Ordering {
    y.severity
        .cmp(&x.severity)
        .then_with(|| a.class.cmp(&b.class))
        .then_with(|| a.student_id.cmp(&b.student_id))
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

/// `--term` if given, else the default assessed term ([`Db::default_assessed_term`]). Says
/// nothing: the CLI tells the user which term it chose for them (`Ctx::term_in`), the TUI
/// shows it in its title.
pub fn resolve_term(db: &Db, arg: Option<&str>) -> anyhow::Result<Term> {
    if let Some(a) = arg {
        return Ok(a.parse::<Term>()?);
    }
    db.default_assessed_term()?.context(
        "no grades with results imported yet: `yujing import grades FILE` first, or pass --term YYYY-YYYY-N",
    )
}

pub fn assess(db: &Db, policy: Policy, term: Term) -> anyhow::Result<Roster> {
    db.read_snapshot(|db| assess_all(db, policy, term))
}

/// Every student evaluated, the roster read while the second connection is already at work.
fn assess_all(db: &Db, policy: Policy, term: Term) -> anyhow::Result<Roster> {
    let (parts, laid_out) = evaluate_everyone(db, &policy, term, || lay_out(db, term))?;
    let (mut rows, place) = laid_out?;
    // Both come in storage order and hold every student, read in one snapshot.
    let changed = || anyhow::anyhow!("the roster changed while it was read");
    let mut evals = parts.into_iter().flatten();
    for &at in &place {
        let (e, row) = evals.next().zip(rows.get_mut(at)).ok_or_else(changed)?;
        anyhow::ensure!(row.0.student_id == e.student_id, changed());
        row.1 = e;
    }
    anyhow::ensure!(evals.next().is_none(), changed());
    let evaluated = rows.len();
    Ok(Roster {
        policy,
        term,
        rows,
        evaluated,
    })
}

/// The roster's rows ordered by student id, each with an empty evaluation, and where each
/// student in storage order (the order evaluations come in) sits among them. Laid out
/// while the other connection evaluates, so that after both finish each evaluation is only
/// moved into memory already written once: building the 50,000 rows then was a tenth of a
/// cold evaluation's wall time.
fn lay_out(db: &Db, term: Term) -> anyhow::Result<(Vec<Row>, Vec<usize>)> {
    let mut stored = db.students_stored()?;
    let mut order: Vec<usize> = (0..stored.len()).collect();
    order.sort_unstable_by(|&a, &b| stored[a].student_id.cmp(&stored[b].student_id));
    let mut place = vec![0; order.len()];
    for (at, &k) in order.iter().enumerate() {
        place[k] = at;
    }
    let rows = order
        .iter()
        .map(|&k| (std::mem::take(&mut stored[k]), Evaluation::none("", term)))
        .collect();
    Ok((rows, place))
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
        let _span = tracing::debug_span!("assess", %term).entered();
        let cached = tracing::debug_span!("read the evaluation cache")
            .in_scope(|| evalcache::load(&file, &id, &policy))
            .filter(|c| c.facts_change <= now);
        let changed = match &cached {
            Some(c) if c.facts_change == now => Some(HashSet::new()),
            Some(c) => db.facts_changed_since(c.facts_change)?,
            None => None,
        };
        let fresh = cached.as_ref().is_some_and(|c| c.facts_change == now);
        let cached_rows = cached.map(|c| c.rows).unwrap_or_default();
        let cached_len = cached_rows.len();
        let students = if cached_rows.is_empty() {
            None
        } else {
            Some(tracing::debug_span!("read the roster").in_scope(|| db.students())?)
        };
        let stale = students
            .as_ref()
            .map(|s| count_stale(s, &cached_rows, changed.as_ref(), scope));
        let mut roster = match (students, stale) {
            (Some(students), Some(stale)) if stale <= students.len() / ONE_BY_ONE_SHARE => {
                let rows = reuse(db, &policy, term, scope, students, cached_rows, changed)?;
                Roster {
                    policy,
                    term,
                    rows,
                    evaluated: stale,
                }
            }
            // No cache, or too much of it stale: one pass over everyone.
            _ => {
                let mut roster = assess_all(db, policy, term)?;
                restrict(&mut roster.rows, scope);
                roster
            }
        };
        if !fresh || roster.evaluated > 0 || cached_len != roster.rows.len() {
            let _span = tracing::debug_span!("store the evaluation cache").entered();
            let evals: Vec<&Evaluation> = roster.rows.iter().map(|(_, e)| e).collect();
            // A cache that cannot be written (no home, a full disk) costs only speed.
            let _ = evalcache::store(&file, &id, now, &evals);
        }
        roster.evaluated = roster.evaluated.min(roster.rows.len());
        Ok(roster)
    })
}

/// The roster `scope` sees from the cached rows, evaluating again only the students whose
/// cached row no longer holds.
fn reuse(
    db: &Db,
    policy: &Policy,
    term: Term,
    scope: &Scope,
    mut students: Vec<Student>,
    cached: Vec<Evaluation>,
    changed: Option<HashSet<String>>,
) -> anyhow::Result<Vec<(Student, Evaluation)>> {
    scope.retain(&mut students, |s| &s.student_id);
    // Both lists are ordered by student id: the cached rows are taken, not copied.
    let mut cached = cached.into_iter().peekable();
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
                let mut e = crate::policy::evaluate(policy, &facts, term);
                if !scope.reads_confidential(&s.student_id) {
                    super::access::mask_psych(&mut e);
                }
                e
            }
        };
        rows.push((s, e));
    }
    Ok(rows)
}

/// The courses each of `ids` still fails in `term` (their best result so far a fail), for
/// those who fail any: a student's facts at a time when few are asked for, one pass over
/// everyone's when many are (a workbook of all 50,000 students asked 50,000 queries).
pub fn still_failed(
    db: &Db,
    term: Term,
    pass_mark: f64,
    ids: &[&str],
) -> anyhow::Result<HashMap<String, Vec<CourseOutcome>>> {
    let failed = |f: &StudentFacts| -> Vec<CourseOutcome> {
        crate::policy::course_outcomes(f, term, pass_mark)
            .into_iter()
            .filter(|c| c.passed_so_far == Some(false))
            .collect()
    };
    let mut out = HashMap::new();
    if ids.len() > db.student_count()? / ONE_BY_ONE_SHARE {
        let wanted: HashSet<&str> = ids.iter().copied().collect();
        db.for_each_facts(term, |f| {
            if wanted.contains(f.student_id.as_str()) {
                let courses = failed(&f);
                if !courses.is_empty() {
                    out.insert(f.student_id, courses);
                }
            }
        })?;
    } else {
        for id in ids {
            if let Some(f) = db.load_student_facts(id, term)? {
                let courses = failed(&f);
                if !courses.is_empty() {
                    out.insert(f.student_id, courses);
                }
            }
        }
    }
    Ok(out)
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

/// Every student's evaluation in storage order, a part at a time, with what `meanwhile` gave. The facts
/// are streamed, so memory holds a few students' grades at a time. A database file is read
/// through two connections, one a core: the roster is cut into [`PARTS`] and each connection
/// takes the next part left, so neither waits on the other (the first runs `meanwhile` while
/// the second starts). The second connection must read the commit the first reads, or it
/// takes no part; a part it took and could not finish is evaluated on the first.
fn evaluate_everyone<R>(
    db: &Db,
    policy: &Policy,
    term: Term,
    meanwhile: impl FnOnce() -> R,
) -> anyhow::Result<(Vec<Vec<Evaluation>>, R)> {
    let _span = tracing::debug_span!("evaluate everyone", %term).entered();
    let next = AtomicUsize::new(0);
    let take = || Some(next.fetch_add(1, Ordering::Relaxed)).filter(|&i| i < PARTS);
    let part = |scan: &mut FactScan<'_>, i: usize| -> anyhow::Result<Vec<Evaluation>> {
        // Sized at once: grown by doubling, the evaluations were copied and their pages
        // touched again.
        let mut evals = Vec::with_capacity(scan.part_len(i, PARTS));
        // The facts come in the engine's order (the engine checks, and sorts a copy else).
        scan.part(i, PARTS, |f| {
            evals.push(crate::policy::evaluate(policy, &f, term));
        })?;
        Ok(evals)
    };
    // Takes parts until none is left.
    let work = |scan: &mut FactScan<'_>| -> anyhow::Result<Vec<(usize, Vec<Evaluation>)>> {
        let mut done = Vec::new();
        while let Some(i) = take() {
            done.push((i, part(scan, i)?));
        }
        Ok(done)
    };
    let facts_change = db.facts_change()?;
    let (mut done, r) = std::thread::scope(|s| {
        let other = db.path().map(|path| {
            s.spawn(|| -> anyhow::Result<Vec<(usize, Vec<Evaluation>)>> {
                let _span = tracing::debug_span!("second connection").entered();
                Db::open_read(path)?.with_small_page_cache(SCAN_CACHE_KIB, |other| {
                    other.read_snapshot(|other| {
                        if other.facts_change()? != facts_change {
                            return Ok(Vec::new());
                        }
                        work(&mut other.fact_scan(term)?)
                    })
                })
            })
        });
        let r = tracing::debug_span!("meanwhile").in_scope(meanwhile);
        let mine = db.with_small_page_cache(SCAN_CACHE_KIB, |db| {
            let mut scan = db.fact_scan(term)?;
            let mut done = tracing::debug_span!("first connection").in_scope(|| work(&mut scan))?;
            // The other connection's parts are in before this one looks for what is missing.
            match other.map(|h| h.join()) {
                Some(Ok(Ok(theirs))) => done.extend(theirs),
                Some(Ok(Err(e))) => tracing::warn!("second connection: {e:#}"),
                Some(Err(_)) => tracing::warn!("second connection panicked"),
                None => {}
            }
            for i in 0..PARTS {
                if !done.iter().any(|(d, _)| *d == i) {
                    done.push((i, part(&mut scan, i)?));
                }
            }
            anyhow::Ok(done)
        });
        anyhow::Ok((mine?, r))
    })?;
    done.sort_unstable_by_key(|(i, _)| *i);
    Ok((done.into_iter().map(|(_, e)| e).collect(), r))
}

/// How many parts [`evaluate_everyone`] cuts the roster into: enough that the two
/// connections finish together, few enough that each part's queries are negligible.
const PARTS: usize = 64;

/// The page cache of a connection scanning every student's facts once.
const SCAN_CACHE_KIB: i64 = 4 * 1024;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of warned students: warned only (a status counts), most severe first, then by
    /// class and id; with `all`, everyone in that order.
    #[test]
    fn listed_puts_the_most_severe_first_then_class_and_id() {
        let term: Term = "2024-2025-1".parse().unwrap();
        let row = |id: &str, class: &str, severity: u32, status: &[&str]| {
            let mut e = Evaluation::none(id, term);
            e.severity = severity;
            e.status = status.iter().map(|s| s.to_string()).collect();
            let s = Student {
                student_id: id.into(),
                class: class.into(),
                ..Student::default()
            };
            (s, e)
        };
        let roster = Roster {
            policy: crate::policy_file::resolve("hljjz").unwrap().0,
            term,
            rows: vec![
                row("1", "B", 1, &[]),
                row("2", "A", 0, &[]),
                row("3", "A", 1, &[]),
                row("4", "C", 0, &["repeat_year"]),
                row("5", "A", 2, &[]),
                row("0", "A", 1, &[]),
            ],
            evaluated: 0,
        };
        let ids = |all| -> Vec<&str> {
            roster
                .listed(all)
                .iter()
                .map(|(s, _)| s.student_id.as_str())
                .collect()
        };
        assert_eq!(ids(false), ["5", "0", "3", "1", "4"]);
        assert_eq!(ids(true), ["5", "0", "3", "1", "2", "4"]);
    }

    /// Students stored out of id order (a roster file sorted by class): each row still gets
    /// its own student's evaluation, and rows come by student id.
    #[test]
    fn evaluations_find_their_students_whatever_the_storage_order() {
        use crate::model::{Assessment, Attempt, AttemptKind, Mark};
        let term: Term = "2024-2025-1".parse().unwrap();
        let mut db = Db::open_in_memory().unwrap();
        let mut tx = db.begin_import().unwrap();
        for id in ["2021003", "2021001", "2021004", "2021002"] {
            let s = Student {
                student_id: id.into(),
                name: format!("学生{id}"),
                ..Student::default()
            };
            tx.upsert_student(&s).unwrap();
        }
        // 2021004 fails six courses, 2021001 one; the others pass everything.
        for (id, failed) in [
            ("2021004", 6),
            ("2021001", 1),
            ("2021002", 0),
            ("2021003", 0),
        ] {
            for c in 0..6 {
                let score = if c < failed { 30.0 } else { 80.0 };
                let a = Attempt {
                    course_code: format!("C{c}").into(),
                    course_name: format!("课程{c}").into(),
                    term,
                    kind: AttemptKind::Regular,
                    sitting: 1,
                    course_term: None,
                    minor: false,
                    nature: Some(crate::model::Nature::Required),
                    nature_raw: Some("必修".into()),
                    assessment: Some(Assessment::Exam),
                    credits: 2.0,
                    result: score.to_string().into(),
                    mark: Mark::Score(score),
                };
                tx.upsert_attempt(id, &a).unwrap();
            }
        }
        tx.commit().unwrap();
        let policy = crate::policy_file::resolve("hljjz").unwrap().0;
        let roster = assess(&db, policy, term).unwrap();
        let rows: Vec<(&str, &str, &str, u32)> = roster
            .rows
            .iter()
            .map(|(s, e)| {
                (
                    s.student_id.as_str(),
                    s.name.as_str(),
                    e.student_id.as_str(),
                    e.severity,
                )
            })
            .collect();
        let ids: Vec<&str> = rows.iter().map(|r| r.0).collect();
        assert_eq!(ids, ["2021001", "2021002", "2021003", "2021004"]);
        for (id, name, evaluated, _) in &rows {
            assert_eq!(id, evaluated);
            assert_eq!(*name, format!("学生{id}"));
        }
        let severity = |id: &str| rows.iter().find(|r| r.0 == id).unwrap().3;
        assert!(severity("2021004") > 0, "{rows:?}");
        assert_eq!(severity("2021002"), 0, "{rows:?}");
        assert_eq!(severity("2021003"), 0, "{rows:?}");
        assert_eq!(roster.evaluated, 4);
    }
}
