//! The evaluation cache gives exactly what evaluating afresh gives, and goes stale when the
//! facts, the policy or the term change. It is a file per database, policy, term and reader in
//! `$XDG_CACHE_HOME/yujing`; `Roster::evaluated` says how many students a call evaluated.

use std::path::{Path, PathBuf};

use yujing::app::access::Scope;
use yujing::app::assess::{assess, assess_cached};
use yujing::app::ingest::{Request, import_file};
use yujing::db::Db;
use yujing::import::Dataset;
use yujing::model::{Attempt, AttemptKind, Contact, ContactKind, Mark, Nature, Role, Term};
use yujing::policy::Policy;
use yujing::policy_file::resolve;

fn sample(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/samples")
        .join(name)
}

/// Every test of this binary shares one cache directory (the variable is the process's); each
/// has its own database, so its own cache files.
fn cache_home() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        // SAFETY: set once, before any test reads it (every test calls this first).
        unsafe { std::env::set_var("XDG_CACHE_HOME", d.path()) };
        d
    });
    dir.path()
}

fn cohort(dir: &Path) -> Db {
    cache_home();
    let mut db = Db::open(&dir.join("y.db")).unwrap();
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

fn everything() -> Scope {
    Scope::everything()
}

#[test]
fn cached_evaluations_equal_fresh_ones_and_go_stale_with_the_facts() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = cohort(dir.path());
    let term = "2024-2025-2".parse().unwrap();
    for p in ["hljjz", "qzu", "lut-life", "hntou"] {
        let policy = resolve(p).unwrap().0;
        let fresh = assess(&db, policy.clone(), term).unwrap();
        let first = assess_cached(&db, policy.clone(), term, &everything()).unwrap();
        let again = assess_cached(&db, policy.clone(), term, &everything()).unwrap();
        assert_eq!(first.evaluated, fresh.rows.len(), "{p}: nothing cached yet");
        assert_eq!(again.evaluated, 0, "{p}: all from the cache");
        assert_eq!(first.rows, fresh.rows, "{p}");
        assert_eq!(
            again.rows, fresh.rows,
            "{p}: from the cache, tier_index restored"
        );
        assert!(tiers(&again).iter().any(|t| t.1.is_some()));
    }
    // Another policy's cache does not answer for hntou.
    let hntou = resolve("hntou").unwrap().0;
    let before = tiers(&assess_cached(&db, hntou.clone(), term, &everything()).unwrap());
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
    let after = assess_cached(&db, hntou.clone(), term, &everything()).unwrap();
    assert_eq!(after.evaluated, 1, "only {student}'s facts changed");
    let after = tiers(&after);
    let row = after.iter().find(|t| t.0 == student).unwrap();
    assert_eq!(row.1, None, "{student} cleared every course");
    assert_eq!(after, tiers(&assess(&db, hntou, term).unwrap()));
}

fn term() -> Term {
    "2024-2025-2".parse().unwrap()
}

fn cache_file(db: &Db, p: &Policy, term: Term) -> PathBuf {
    yujing::app::assess::cache_file(db, p, term, &everything())
        .unwrap()
        .unwrap()
}

#[test]
fn the_cache_is_a_file_in_xdg_cache_home_and_a_damaged_one_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let db = cohort(dir.path());
    let p = resolve("qzu").unwrap().0;
    let fresh = assess(&db, p.clone(), term()).unwrap();
    let file = cache_file(&db, &p, term());
    assert!(file.starts_with(cache_home().join("yujing")), "{file:?}");
    assert!(!file.exists());
    assess_cached(&db, p.clone(), term(), &everything()).unwrap();
    let whole = std::fs::read(&file).unwrap();
    assert!(whole.len() > 100);
    // Truncated, a byte changed, garbage: each is evaluated afresh and written whole again.
    let mut flipped = whole.clone();
    flipped[whole.len() / 2] ^= 1;
    for bad in [
        whole[..whole.len() / 2].to_vec(),
        flipped,
        b"not a cache".to_vec(),
    ] {
        std::fs::write(&file, &bad).unwrap();
        let r = assess_cached(&db, p.clone(), term(), &everything()).unwrap();
        assert_eq!(r.evaluated, fresh.rows.len());
        assert_eq!(r.rows, fresh.rows);
        assert_eq!(std::fs::read(&file).unwrap(), whole, "rewritten whole");
        let again = assess_cached(&db, p.clone(), term(), &everything()).unwrap();
        assert_eq!(again.evaluated, 0);
    }
}

#[test]
fn policies_and_terms_keep_their_own_entries() {
    let dir = tempfile::tempdir().unwrap();
    let db = cohort(dir.path());
    let earlier: Term = "2024-2025-1".parse().unwrap();
    let keys = [("hljjz", term()), ("lut-life", term()), ("hljjz", earlier)];
    let mut files = Vec::new();
    for (p, t) in keys {
        let p = resolve(p).unwrap().0;
        let r = assess_cached(&db, p.clone(), t, &everything()).unwrap();
        assert_eq!(r.evaluated, r.rows.len());
        files.push(cache_file(&db, &p, t));
    }
    files.dedup();
    assert_eq!(files.len(), 3, "three files: {files:?}");
    // Each answers again from its own file: none overwrote another.
    for (p, t) in keys {
        let p = resolve(p).unwrap().0;
        let r = assess_cached(&db, p.clone(), t, &everything()).unwrap();
        assert_eq!(r.evaluated, 0, "{} {t}", p.id);
        assert_eq!(r.rows, assess(&db, p, t).unwrap().rows);
    }
}

#[test]
fn a_contact_reevaluates_nobody_and_one_new_grade_one_student() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = cohort(dir.path());
    let p = resolve("hljjz").unwrap().0;
    let first = assess_cached(&db, p.clone(), term(), &everything()).unwrap();
    let student = first.rows[3].0.student_id.clone();
    let at = chrono::NaiveDate::from_ymd_opt(2025, 3, 5)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    db.add_contact(&Contact {
        role: Some(Role::Counsellor),
        summary: "谈话".into(),
        ..Contact::new(&student, at, "dufdy", ContactKind::Talk)
    })
    .unwrap();
    let r = assess_cached(&db, p.clone(), term(), &everything()).unwrap();
    assert_eq!(r.evaluated, 0, "a contact is not a fact");

    // One new failed grade for one student: that student alone is evaluated again, and the
    // answer is what evaluating everyone afresh gives.
    let mut tx = db.begin_import().unwrap();
    let a = Attempt {
        course_code: "ZZ999".into(),
        course_name: "新课".into(),
        term: term(),
        kind: AttemptKind::Regular,
        sitting: 1,
        course_term: None,
        minor: false,
        nature: Some(Nature::Required),
        nature_raw: None,
        assessment: None,
        credits: 30.0,
        result: "10".into(),
        mark: Mark::Score(10.0),
    };
    tx.upsert_attempt(&student, &a).unwrap();
    tx.commit().unwrap();
    let r = assess_cached(&db, p.clone(), term(), &everything()).unwrap();
    assert_eq!(r.evaluated, 1);
    assert_eq!(r.rows, assess(&db, p.clone(), term()).unwrap().rows);
    assert_ne!(r.rows[3].1, first.rows[3].1, "the new grade shows");
    let again = assess_cached(&db, p.clone(), term(), &everything()).unwrap();
    assert_eq!(again.evaluated, 0);

    // A counsellor clearing that course by hand changes that student's facts alone.
    db.clear_course(&student, "ZZ999", "换课", "dufdy", "2025-03-06")
        .unwrap()
        .unwrap();
    let r = assess_cached(&db, p.clone(), term(), &everything()).unwrap();
    assert_eq!(r.evaluated, 1);
    assert_eq!(r.rows, assess(&db, p, term()).unwrap().rows);
}

#[test]
fn a_read_only_database_still_gets_a_cache() {
    let dir = tempfile::tempdir().unwrap();
    drop(cohort(dir.path()));
    let path = dir.path().join("y.db");
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let db = Db::open_read(&path).unwrap();
    let p = resolve("hntou").unwrap().0;
    let first = assess_cached(&db, p.clone(), term(), &everything()).unwrap();
    assert_eq!(first.evaluated, first.rows.len());
    assert!(cache_file(&db, &p, term()).exists());
    let again = assess_cached(&db, p, term(), &everything()).unwrap();
    assert_eq!(again.evaluated, 0);
    assert_eq!(again.rows, first.rows);
}

#[test]
fn a_restored_database_is_not_answered_by_the_cache_of_what_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let db = cohort(dir.path());
    let path = dir.path().join("y.db");
    let p = resolve("hljjz").unwrap().0;
    let backup = yujing::db::backup(&path, &dir.path().join("b.db")).unwrap();
    assess_cached(&db, p.clone(), term(), &everything()).unwrap();
    let before = cache_file(&db, &p, term());
    drop(db);
    yujing::db::restore(&path, &backup, &dir.path().join("kept.db")).unwrap();
    let db = Db::open(&path).unwrap();
    assert_ne!(cache_file(&db, &p, term()), before, "a new identity");
    let r = assess_cached(&db, p, term(), &everything()).unwrap();
    assert_eq!(r.evaluated, r.rows.len());
}
