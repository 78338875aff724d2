//! The evaluation cache gives exactly what evaluating afresh gives, and goes stale when the
//! facts, the policy or the term change.

use std::path::Path;

use yujing::app::assess::{assess, assess_cached};
use yujing::app::ingest::{Request, import_file};
use yujing::db::Db;
use yujing::import::Dataset;
use yujing::policy_file::resolve;

fn sample(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/samples")
        .join(name)
}

fn cohort() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    for (kind, f) in [
        (Dataset::Students, "students.csv"),
        (Dataset::Grades, "grades.csv"),
        (Dataset::Absences, "absences.csv"),
        (Dataset::Fitness, "fitness.csv"),
    ] {
        let out = import_file(&mut db, &sample(f), kind, &Request::default()).unwrap();
        assert!(out.written);
    }
    db
}

/// (student id, tier, tier index, status) for every student.
type Tiers = Vec<(String, Option<String>, Option<usize>, Vec<String>)>;

fn tiers(r: &yujing::app::assess::Roster) -> Tiers {
    r.rows
        .iter()
        .map(|(s, e)| {
            (
                s.student_id.clone(),
                e.tier.clone(),
                e.tier_index,
                e.status.clone(),
            )
        })
        .collect()
}

#[test]
fn cached_evaluations_equal_fresh_ones_and_go_stale_with_the_facts() {
    let mut db = cohort();
    let term = "2024-2025-2".parse().unwrap();
    for p in ["hljjz", "qzu", "lut-life", "hntou"] {
        let policy = resolve(p).unwrap().0;
        let fresh = assess(&db, policy.clone(), term).unwrap();
        let first = assess_cached(&mut db, policy.clone(), term).unwrap();
        let again = assess_cached(&mut db, policy.clone(), term).unwrap();
        assert_eq!(first.rows, fresh.rows, "{p}");
        assert_eq!(
            again.rows, fresh.rows,
            "{p}: from the cache, tier_index restored"
        );
        assert!(tiers(&again).iter().any(|t| t.1.is_some()));
    }
    // Another policy's cache does not answer for hntou.
    let hntou = resolve("hntou").unwrap().0;
    let before = tiers(&assess_cached(&mut db, hntou.clone(), term).unwrap());
    // A makeup that clears a failed course changes the facts: the cache must not answer.
    let student = before.iter().find(|t| t.1.is_some()).unwrap().0.clone();
    let facts = db.load_student_facts(&student, term).unwrap().unwrap();
    assert!(
        facts
            .attempts
            .iter()
            .any(|a| a.mark.passed(60.0) == Some(false))
    );
    let mut tx = db.begin_import().unwrap();
    for a in facts
        .attempts
        .iter()
        .filter(|a| a.mark.passed(60.0) == Some(false))
    {
        let mut cleared = a.clone();
        cleared.kind = yujing::model::AttemptKind::Retake;
        cleared.term = term;
        cleared.result = "90".into();
        cleared.mark = yujing::model::Mark::Score(90.0);
        tx.upsert_attempt(&student, &cleared).unwrap();
    }
    tx.commit().unwrap();
    let after = tiers(&assess_cached(&mut db, hntou.clone(), term).unwrap());
    let row = after.iter().find(|t| t.0 == student).unwrap();
    assert_eq!(row.1, None, "{student} cleared every course");
    assert_eq!(after, tiers(&assess(&db, hntou, term).unwrap()));
}
