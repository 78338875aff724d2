//! Storage behaviour through the public API: files, import transactions, loading facts.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use yujing::db::{Change, DB_ENV, Db, DbError, resolve_path};
use yujing::model::{
    Assessment, Attempt, AttemptKind, FitnessRecord, Flag, FlagKind, Mark, Nature, Student, Term,
};

fn term(s: &str) -> Term {
    s.parse().unwrap()
}

fn student(id: &str) -> Student {
    Student {
        student_id: id.into(),
        name: format!("学生{id}"),
        ..Student::default()
    }
}

fn attempt(code: &str, t: &str, result: &str) -> Attempt {
    Attempt {
        course_code: code.into(),
        course_name: format!("课程{code}").into(),
        term: term(t),
        kind: AttemptKind::Regular,
        sitting: 1,
        course_term: None,
        minor: false,
        nature_raw: Some("必修".into()),
        nature: Some(Nature::Required),
        assessment: Some(Assessment::Exam),
        credits: 3.0,
        result: result.into(),
        mark: Mark::parse(result).unwrap(),
    }
}

/// A database with students 001..=003 and nothing else.
fn roster() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let mut tx = db.begin_import().unwrap();
    for id in ["003", "001", "002"] {
        tx.upsert_student(&student(id)).unwrap();
    }
    tx.commit().unwrap();
    db
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn new_file_is_private_in_wal_mode_at_the_latest_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b.db");
    let mut db = Db::open(&path).unwrap();
    let mut tx = db.begin_import().unwrap();
    tx.upsert_student(&student("001")).unwrap();
    tx.commit().unwrap();
    assert_eq!(mode(&path), 0o640);
    assert_eq!(mode(&dir.path().join("a/b.db-wal")), 0o640);
    let jm: String = db
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(jm, "wal");
    let version: i64 = db
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert!(version >= 2);
    drop(db);

    let db = Db::open(&path).unwrap();
    let again: i64 = db
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(again, version);
    assert_eq!(db.students().unwrap(), vec![student("001")]);
}

#[test]
fn upserts_tell_new_changed_and_unchanged_apart() {
    let mut db = roster();
    let mut tx = db.begin_import().unwrap();
    let a = attempt("C1", "2024-2025-1", "55");
    assert_eq!(tx.upsert_attempt("001", &a).unwrap(), Change::New);
    assert_eq!(tx.upsert_attempt("001", &a).unwrap(), Change::Unchanged);
    let passed = Attempt {
        result: "75".into(),
        mark: Mark::Score(75.0),
        ..a.clone()
    };
    assert_eq!(tx.upsert_attempt("001", &passed).unwrap(), Change::Changed);
    let makeup = Attempt {
        kind: AttemptKind::Makeup,
        ..a.clone()
    };
    assert_eq!(tx.upsert_attempt("001", &makeup).unwrap(), Change::New);
    assert_eq!(tx.upsert_attempt("002", &a).unwrap(), Change::New);

    let t = term("2024-2025-1");
    assert_eq!(tx.upsert_absence("001", t, 4.0, "1").unwrap(), Change::New);
    assert_eq!(tx.upsert_absence("001", t, 2.0, "2").unwrap(), Change::New);
    assert_eq!(
        tx.upsert_absence("001", t, 2.0, "2").unwrap(),
        Change::Unchanged
    );
    assert_eq!(
        tx.upsert_absence("001", t, 6.0, "2").unwrap(),
        Change::Changed
    );

    let fit = FitnessRecord {
        term: t,
        score: Some(58.0),
        word: None,
        graduation_met: None,
    };
    assert_eq!(tx.upsert_fitness("001", &fit).unwrap(), Change::New);
    assert_eq!(tx.upsert_fitness("001", &fit).unwrap(), Change::Unchanged);
    let met = FitnessRecord {
        graduation_met: Some(true),
        ..fit.clone()
    };
    assert_eq!(tx.upsert_fitness("001", &met).unwrap(), Change::Changed);

    let flag = Flag {
        term: t,
        kind: FlagKind::Wellbeing,
        note: "沉迷网络".into(),
    };
    assert_eq!(tx.upsert_flag("001", &flag).unwrap(), Change::New);
    assert_eq!(tx.upsert_flag("001", &flag).unwrap(), Change::Unchanged);
    let noted = Flag {
        note: "已谈话".into(),
        ..flag.clone()
    };
    assert_eq!(tx.upsert_flag("001", &noted).unwrap(), Change::Changed);
    tx.commit().unwrap();

    let facts = db.load_student_facts("001", t).unwrap().unwrap();
    assert_eq!(facts.attempts, vec![passed, makeup]);
    assert_eq!(facts.absences, vec![(t, 4.0), (t, 6.0)]);
    assert_eq!(facts.fitness, vec![met]);
    assert_eq!(facts.flags, vec![noted]);
}

#[test]
fn a_new_course_name_replaces_the_old_for_every_student() {
    let mut db = roster();
    let mut tx = db.begin_import().unwrap();
    let a = attempt("C1", "2024-2025-1", "80");
    tx.upsert_attempt("001", &a).unwrap();
    tx.upsert_attempt("002", &a).unwrap();
    let renamed = Attempt {
        course_name: "高等数学A(1)".into(),
        ..a.clone()
    };
    assert_eq!(tx.upsert_attempt("001", &renamed).unwrap(), Change::Changed);
    assert_eq!(
        tx.upsert_attempt("002", &renamed).unwrap(),
        Change::Unchanged
    );
    tx.commit().unwrap();
    for facts in db.load_facts(term("2024-2025-1")).unwrap().iter().take(2) {
        assert_eq!(facts.attempts, vec![renamed.clone()]);
    }
}

#[test]
fn unknown_student_is_an_error_and_writes_nothing() {
    let mut db = roster();
    let mut tx = db.begin_import().unwrap();
    let t = term("2024-2025-1");
    let err = tx
        .upsert_attempt("999", &attempt("NEW", "2024-2025-1", "90"))
        .unwrap_err();
    assert!(
        matches!(&err, DbError::UnknownStudent(id) if id == "999"),
        "{err}"
    );
    assert!(matches!(
        tx.upsert_absence("999", t, 1.0, "1"),
        Err(DbError::UnknownStudent(_))
    ));
    let fit = FitnessRecord {
        term: t,
        score: None,
        word: Some("及格".into()),
        graduation_met: None,
    };
    assert!(matches!(
        tx.upsert_fitness("999", &fit),
        Err(DbError::UnknownStudent(_))
    ));
    let flag = Flag {
        term: t,
        kind: FlagKind::Discipline,
        note: String::new(),
    };
    assert!(matches!(
        tx.upsert_flag("999", &flag),
        Err(DbError::UnknownStudent(_))
    ));
    tx.commit().unwrap();
    assert_eq!(
        db.last_change().unwrap(),
        1,
        "only the roster import changed anything"
    );
    let courses: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM courses", [], |r| r.get(0))
        .unwrap();
    assert_eq!(courses, 0);
    assert_eq!(db.terms_with_grades().unwrap(), vec![]);
    assert!(
        db.load_facts(t)
            .unwrap()
            .iter()
            .all(|f| f.attempts.is_empty())
    );
}

#[test]
fn dropping_the_import_rolls_everything_back() {
    let mut db = roster();
    {
        let mut tx = db.begin_import().unwrap();
        tx.upsert_student(&student("004")).unwrap();
        tx.upsert_attempt("004", &attempt("C1", "2024-2025-1", "90"))
            .unwrap();
        tx.upsert_attempt("001", &attempt("C1", "2024-2025-1", "90"))
            .unwrap();
    }
    assert_eq!(db.student_count().unwrap(), 3);
    assert_eq!(db.student("004").unwrap(), None);
    assert_eq!(db.newest_grade_term().unwrap(), None);
    assert_eq!(db.last_change().unwrap(), 1);
    // The next import starts from the committed state, not the dropped one.
    let mut tx = db.begin_import().unwrap();
    assert!(matches!(
        tx.upsert_attempt("004", &attempt("C1", "2024-2025-1", "90")),
        Err(DbError::UnknownStudent(_))
    ));
    assert_eq!(
        tx.upsert_attempt("001", &attempt("C1", "2024-2025-1", "90"))
            .unwrap(),
        Change::New
    );
}

#[test]
fn load_facts_covers_every_student_up_to_the_term_and_round_trips_attempts() {
    let mut db = roster();
    let unusual = Attempt {
        course_code: "PE-3".into(),
        course_name: "体育（三）".into(),
        term: term("2023-2024-2"),
        kind: AttemptKind::Retake,
        sitting: 1,
        course_term: None,
        minor: false,
        nature_raw: Some("跨专业".into()),
        nature: Some(Nature::Other("跨专业".into())),
        assessment: None,
        credits: 1.5,
        result: "59.5".into(),
        mark: Mark::Score(59.5),
    };
    let words = [
        ("缓考", Mark::Deferred),
        ("", Mark::Empty),
        ("免修", Mark::Exempt),
    ];
    let mut tx = db.begin_import().unwrap();
    tx.upsert_attempt("003", &attempt("C9", "2025-2026-1", "40"))
        .unwrap();
    tx.upsert_attempt("003", &unusual).unwrap();
    let mut expected = vec![unusual.clone()];
    for (i, (text, mark)) in words.into_iter().enumerate() {
        let a = Attempt {
            course_code: format!("W{i}").into(),
            nature: None,
            nature_raw: None,
            result: text.into(),
            mark,
            ..attempt("X", "2024-2025-2", "60")
        };
        tx.upsert_attempt("003", &a).unwrap();
        expected.push(a);
    }
    tx.upsert_attempt("001", &attempt("C1", "2024-2025-1", "不及格"))
        .unwrap();
    tx.upsert_absence("001", term("2025-2026-1"), 9.0, "1")
        .unwrap();
    tx.commit().unwrap();

    let facts = db.load_facts(term("2024-2025-2")).unwrap();
    let ids: Vec<&str> = facts.iter().map(|f| f.student_id.as_str()).collect();
    assert_eq!(ids, ["001", "002", "003"]);
    assert_eq!(
        facts[0].attempts,
        vec![attempt("C1", "2024-2025-1", "不及格")]
    );
    assert_eq!(
        facts[0].absences,
        vec![],
        "a later term's absence is left out"
    );
    assert_eq!(
        facts[1],
        yujing::model::StudentFacts {
            student_id: "002".into(),
            ..Default::default()
        }
    );
    // Grades of later terms are read too: a makeup dated in the next term still counts
    // for its course's term (the engine attaches it and leaves later sittings out).
    expected.push(attempt("C9", "2025-2026-1", "40"));
    expected.sort_by(Attempt::canonical_order);
    assert_eq!(
        facts[2].attempts, expected,
        "in the engine's order: course code, term, kind, sitting"
    );
    assert_eq!(facts[2].attempts[0].course_code.as_ref(), "C9");
    assert_eq!(
        db.load_student_facts("003", term("2024-2025-2"))
            .unwrap()
            .unwrap(),
        facts[2]
    );

    let later = db.load_facts(term("2025-2026-1")).unwrap();
    assert_eq!(later[2].attempts.len(), expected.len());
    assert_eq!(later[0].absences, vec![(term("2025-2026-1"), 9.0)]);
    assert_eq!(
        db.load_student_facts("nobody", term("2025-2026-1"))
            .unwrap(),
        None
    );

    let terms = ["2023-2024-2", "2024-2025-1", "2024-2025-2", "2025-2026-1"].map(term);
    assert_eq!(db.terms_with_grades().unwrap(), terms);
    assert_eq!(db.newest_grade_term().unwrap(), Some(term("2025-2026-1")));
}

#[test]
fn another_connection_notices_commits_and_reads_during_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let mut writer = Db::open(&path).unwrap();
    let reader = Db::open(&path).unwrap();
    let seen = reader.data_version().unwrap();

    let mut tx = writer.begin_import().unwrap();
    tx.upsert_student(&student("001")).unwrap();
    // WAL: readers are not blocked by an open import and do not see it.
    assert_eq!(reader.student_count().unwrap(), 0);
    tx.commit().unwrap();

    assert_ne!(reader.data_version().unwrap(), seen);
    assert_eq!(reader.student_count().unwrap(), 1);
    assert_eq!(reader.last_change().unwrap(), 1);
    let idle = writer.begin_import().unwrap();
    idle.commit().unwrap();
    assert_eq!(
        reader.last_change().unwrap(),
        1,
        "an import that changed nothing is not a change"
    );
}

/// The only test that touches the environment, so parallel tests cannot race on it.
#[test]
fn db_path_comes_from_the_flag_then_the_environment_then_the_data_dir() {
    let flag = PathBuf::from("/tmp/flag.db");
    // SAFETY: no other test in this binary reads or writes the environment.
    unsafe { std::env::set_var(DB_ENV, "/tmp/env.db") };
    assert_eq!(resolve_path(Some(&flag)), flag);
    assert_eq!(resolve_path(None), PathBuf::from("/tmp/env.db"));
    unsafe { std::env::set_var(DB_ENV, "") };
    let default = resolve_path(None);
    unsafe { std::env::remove_var(DB_ENV) };
    assert_eq!(resolve_path(None), default);
    assert_eq!(default, yujing::db::data_dir().join("yujing.db"));
    assert_eq!(resolve_path(Some(&flag)), flag);
}

#[test]
fn streaming_facts_equal_loaded_facts_for_every_student() {
    // Students stored out of id order, some with no grades, records in every table.
    let mut db = roster();
    let mut tx = db.begin_import().unwrap();
    for id in ["005", "004"] {
        tx.upsert_student(&student(id)).unwrap();
    }
    for (id, code, t) in [
        ("004", "C1", "2024-2025-1"),
        ("001", "C2", "2023-2024-2"),
        ("004", "C3", "2024-2025-2"),
        ("003", "C1", "2025-2026-1"),
    ] {
        tx.upsert_attempt(id, &attempt(code, t, "55")).unwrap();
    }
    tx.upsert_absence("002", term("2024-2025-2"), 4.0, "1")
        .unwrap();
    tx.upsert_absence("005", term("2024-2025-2"), 2.0, "1")
        .unwrap();
    tx.commit().unwrap();
    let upto = term("2024-2025-2");
    let mut streamed = Vec::new();
    db.for_each_facts(upto, |f| streamed.push(f)).unwrap();
    streamed.sort_by(|a, b| a.student_id.cmp(&b.student_id));
    assert_eq!(streamed, db.load_facts(upto).unwrap());
    assert_eq!(streamed.len(), 5);
    assert_eq!(
        streamed[2].attempts,
        vec![attempt("C1", "2025-2026-1", "55")],
        "003's only grade is after the term, read for the engine to leave out"
    );
}

/// The workbook's failed-course sheet reads a few students one by one and many in one pass
/// over everyone: both ways name the same courses.
#[test]
fn still_failed_courses_are_the_same_read_one_by_one_or_all_at_once() {
    let mut db = Db::open_in_memory().unwrap();
    let mut tx = db.begin_import().unwrap();
    let ids: Vec<String> = (0..20).map(|i| format!("2021{i:03}")).collect();
    for (i, id) in ids.iter().enumerate() {
        tx.upsert_student(&student(id)).unwrap();
        tx.upsert_attempt(id, &attempt("C1", "2024-2025-1", "75"))
            .unwrap();
        if i % 3 == 0 {
            // Failed, then passed at the makeup: not still failed.
            tx.upsert_attempt(id, &attempt("C2", "2024-2025-1", "40"))
                .unwrap();
            tx.upsert_attempt(
                id,
                &Attempt {
                    kind: AttemptKind::Makeup,
                    ..attempt("C2", "2024-2025-1", "61")
                },
            )
            .unwrap();
        }
        if i % 4 == 0 {
            tx.upsert_attempt(id, &attempt("C3", "2024-2025-1", "不及格"))
                .unwrap();
        }
    }
    tx.commit().unwrap();
    let t = term("2024-2025-1");
    let all: Vec<&str> = ids.iter().map(String::as_str).collect();
    let at_once = yujing::app::assess::still_failed(&db, t, 60.0, &all).unwrap();
    let codes = |id: &str, found: &std::collections::HashMap<String, Vec<_>>| -> Vec<String> {
        found
            .get(id)
            .map(|cs: &Vec<yujing::policy::CourseOutcome>| {
                cs.iter().map(|c| c.code.clone()).collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(at_once.len(), 5, "every fourth student still fails C3");
    for id in &all {
        // One student of twenty is read on its own.
        let alone = yujing::app::assess::still_failed(&db, t, 60.0, &[id]).unwrap();
        assert_eq!(alone.get(*id), at_once.get(*id), "{id}");
        assert!(alone.len() <= 1);
    }
    assert_eq!(codes("2021000", &at_once), ["C3"]);
    assert!(
        codes("2021003", &at_once).is_empty(),
        "C2 passed at the makeup"
    );
}
