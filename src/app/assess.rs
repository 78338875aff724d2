//! The assessed roster: which term, which policy, and every student's evaluation. Used by
//! the `evaluate` command and the TUI alike, so both always agree.

use anyhow::{Context, bail};

use crate::db::Db;
use crate::model::{Student, Term};
use crate::policy::{Evaluation, Policy};
use crate::policy_file::resolve;

pub struct Roster {
    pub policy: Policy,
    pub term: Term,
    /// Every student in the database, by id, with the evaluation for `term`.
    pub rows: Vec<(Student, Evaluation)>,
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
    let mut evals = evaluate_streaming(db, &policy, term)?;
    evals.sort_unstable_by(|a, b| a.student_id.cmp(&b.student_id));
    let students = db.students()?;
    // Both lists are ordered by student id and hold every student.
    anyhow::ensure!(
        students.len() == evals.len(),
        "the roster changed while it was read"
    );
    let rows = students.into_iter().zip(evals).collect();
    Ok(Roster { policy, term, rows })
}

/// Like [`assess`], but reuses the evaluations cached for this policy, term and facts, and
/// stores them when it had to compute them (the TUI opens without re-evaluating everyone).
pub fn assess_cached(db: &mut Db, policy: Policy, term: Term) -> anyhow::Result<Roster> {
    let key = cache_key(db, &policy, term)?;
    if let Some(cached) = db.cached_evaluations(&key)? {
        let students = db.students()?;
        if cached.len() == students.len()
            && cached
                .iter()
                .zip(&students)
                .all(|((id, _), s)| *id == s.student_id)
        {
            let evals: Result<Vec<Evaluation>, _> = cached
                .iter()
                .map(|(_, json)| serde_json::from_str(json))
                .collect();
            if let Ok(mut evals) = evals {
                for e in &mut evals {
                    e.tier_index = e
                        .tier
                        .as_ref()
                        .and_then(|t| policy.tiers.iter().position(|x| &x.id == t));
                }
                let rows = students.into_iter().zip(evals).collect();
                return Ok(Roster { policy, term, rows });
            }
        }
    }
    let roster = assess(db, policy, term)?;
    let rows: Vec<(&str, String)> = roster
        .rows
        .iter()
        .map(|(s, e)| Ok((s.student_id.as_str(), serde_json::to_string(e)?)))
        .collect::<Result<_, serde_json::Error>>()?;
    // A cache that cannot be written (a read-only file, a busy colleague) costs only speed.
    let _ = db.store_evaluations(&key, &rows);
    Ok(roster)
}

/// Evaluates under the database's own policy and newest term and caches the result, so the
/// next TUI launch opens at once. Best effort: without a policy or grades there is nothing to do.
pub fn warm_cache(db: &mut Db) {
    let (Ok(policy), Ok(term)) = (resolve_policy(db, None), resolve_term(db, None)) else {
        return;
    };
    let _ = assess_cached(db, policy, term);
}

/// Names what an evaluation depends on: the policy's content, the term, the facts.
fn cache_key(db: &Db, policy: &Policy, term: Term) -> anyhow::Result<String> {
    let text = toml::to_string(policy)?;
    // FNV-1a: stable across builds, unlike std's hasher.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    Ok(format!(
        "{}:{hash:016x}:{term}:{}:e{}",
        policy.id,
        db.facts_change()?,
        crate::policy::ENGINE_VERSION
    ))
}

/// Evaluates every student while the database streams their facts, so memory holds a few
/// students' grades at a time. A database file is read through two connections, each
/// reading and evaluating half the roster on its own core.
fn evaluate_streaming(db: &Db, policy: &Policy, term: Term) -> anyhow::Result<Vec<Evaluation>> {
    let Some(path) = db.path() else {
        return evaluate_part(db, policy, term, 0, 1);
    };
    std::thread::scope(|scope| {
        let other = scope.spawn(|| -> anyhow::Result<Vec<Evaluation>> {
            evaluate_part(&Db::open_read(path)?, policy, term, 1, 2)
        });
        let mut evals = evaluate_part(db, policy, term, 0, 2)?;
        evals.extend(
            other
                .join()
                .map_err(|_| anyhow::anyhow!("evaluation thread panicked"))??,
        );
        Ok(evals)
    })
}

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
