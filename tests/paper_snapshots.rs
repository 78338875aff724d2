//! Each preset's templates rendered as text for one made-up student: the wording of the seeds'
//! forms, every field filled, and never a confidential reason.

use chrono::{NaiveDate, NaiveDateTime};
use yujing::model::{Channel, Contact, With};
use yujing::model::{ContactKind, Role};
use yujing::model::{Student, StudentFacts, Term};
use yujing::paper::{self, Set, Subject, Warning, template};
use yujing::policy::{CourseOutcome, CourseRef, Reason, Threshold, Value};

fn student() -> Student {
    Student {
        student_id: "2022000123".into(),
        name: "王五".into(),
        college: "生命科学与工程学院".into(),
        major: "生物工程".into(),
        cohort: "2022".into(),
        class: "生物2201".into(),
        phone: "13800000000".into(),
        parent: "王大".into(),
        parent_phone: "13900000000".into(),
        address: "海南省三亚市育才路1号".into(),
        class_teacher: "任老师".into(),
        counsellor: "杜辅导员".into(),
    }
}

fn course(code: &str, name: &str, credits: f64, result: &str) -> CourseRef {
    CourseRef {
        code: code.into(),
        name: name.into(),
        term: "2024-2025-1".parse().unwrap(),
        credits,
        result: result.into(),
        sittings: vec![],
        cleared: None,
    }
}

fn reason(
    tier: &str,
    metric: &str,
    value: Value,
    threshold: f64,
    courses: Vec<CourseRef>,
) -> Reason {
    Reason {
        tier: tier.into(),
        metric: metric.into(),
        value,
        op: ">=".into(),
        threshold: Threshold::Number(threshold),
        courses,
        ..Reason::default()
    }
}

fn outcome(
    code: &str,
    name: &str,
    credits: f64,
    passed: Option<bool>,
    term: &str,
) -> CourseOutcome {
    CourseOutcome {
        code: code.into(),
        name: name.into(),
        term: term.parse().unwrap(),
        credits,
        nature: None,
        assessment: None,
        regular: Some("45".into()),
        makeup: passed.map(|p| if p { "70" } else { "50" }.to_string()),
        retake: None,
        passed_so_far: passed,
        ever_failed: true,
        sittings: vec![],
        cleared: None,
    }
}

/// The most severe tier of the preset, with two failed courses and a psychological flag.
fn render_all(policy_id: &str) -> String {
    render_with(policy_id, None)
}

fn render_with(policy_id: &str, facts: Option<&StudentFacts>) -> String {
    let (policy, _) = yujing::policy_file::resolve(policy_id).unwrap();
    let tier = policy.tiers.last().unwrap().id.clone();
    let courses = vec![
        course("C101", "高等数学", 4.0, "45"),
        course("C102", "大学物理", 3.0, "缺考"),
    ];
    let mut failed = reason(
        &tier,
        "outstanding_failed_courses",
        Value::Number(2.0),
        2.0,
        courses,
    );
    failed.note = "历年课程补考后仍不及格门数".into();
    let warning = Warning {
        term: "2024-2025-2".parse::<Term>().unwrap(),
        tier: tier.clone(),
        status: policy
            .status
            .first()
            .map(|s| vec![s.id.clone()])
            .unwrap_or_default(),
        reasons: vec![
            failed,
            reason(&tier, "flag:psychological", Value::Bool(true), 0.0, vec![]),
        ],
        issued_on: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
    };
    let outcomes = vec![
        outcome("C101", "高等数学", 4.0, Some(false), "2024-2025-1"),
        outcome("C102", "大学物理", 3.0, Some(false), "2024-2025-1"),
        outcome("C201", "细胞生物学", 2.5, Some(true), "2024-2025-2"),
    ];
    let at = NaiveDateTime::parse_from_str("2025-03-05T10:30:00", "%Y-%m-%dT%H:%M:%S").unwrap();
    let talk = Contact {
        id: 1,
        student_id: "2022000123".into(),
        at,
        author: "dufdy".into(),
        role: Some(Role::Counsellor),
        with_whom: With::Student,
        channel: Channel::FaceToFace,
        kind: ContactKind::Talk,
        place: "学工办".into(),
        summary: "分析了不及格原因，约定补考复习安排".into(),
        situation: "态度端正".into(),
        actions: "每周两次答疑".into(),
        next_talk: None,
        created_at: at,
        superseded_by: None,
    };
    let st = student();
    let s = Subject {
        student: &st,
        policy: &policy,
        warning: &warning,
        outcomes: &outcomes,
        facts,
        number: Some("2024-2-生科-0007"),
        date: NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
        contact: Some(&talk),
    };
    let set = Set::new(policy_id, vec![]);
    let mut out = format!("== notice + parent ({tier}) ==\n");
    out.push_str(&template::to_text(&paper::notice_blocks(&set, &s)));
    for name in ["record", "plan"] {
        out.push_str(&format!("== {name} ==\n"));
        out.push_str(&template::to_text(
            &paper::document(&set, name, &s).unwrap(),
        ));
    }
    // Never on paper: the psychological flag, in any wording.
    assert!(!out.contains("心理"), "{out}");
    for field in [
        "王五",
        "2022000123",
        "生物2201",
        "2024-2-生科-0007",
        "高等数学",
        "任老师",
    ] {
        assert!(out.contains(field), "{policy_id}: {field} missing\n{out}");
    }
    out
}

#[test]
fn hljjz_forms() {
    insta::assert_snapshot!(render_all("hljjz"));
}

#[test]
fn qzu_forms() {
    insta::assert_snapshot!(render_all("qzu"));
}

#[test]
fn lut_life_forms() {
    insta::assert_snapshot!(render_all("lut-life"));
}

#[test]
fn hntou_forms() {
    let out = render_all("hntou");
    // Posted: the address is on the stub, and the talk record goes with the parent copy.
    assert!(out.contains("海南省三亚市育才路1号"));
    assert!(out.contains("●三级预警"));
    insta::assert_snapshot!(out);
}

#[test]
fn every_builtin_template_uses_known_fields_only() {
    for id in ["hljjz", "qzu", "lut-life", "hntou"] {
        let (policy, _) = yujing::policy_file::resolve(id).unwrap();
        for (key, text) in paper::builtin(id).unwrap() {
            paper::check_key(key, &policy).unwrap();
            template::check(key, text).unwrap();
        }
    }
}

/// The notice prints the absence hours the policy's condition reads: a summer term's (学期 3)
/// count for term 2, another term's do not.
#[test]
fn a_notice_prints_the_absence_hours_its_condition_reads() {
    let term = |s: &str| s.parse::<Term>().unwrap();
    let facts = StudentFacts {
        student_id: "2022000123".into(),
        absences: vec![
            (term("2024-2025-1"), 7.0),
            (term("2024-2025-2"), 4.0),
            (term("2024-2025-3"), 5.0),
        ],
        ..StudentFacts::default()
    };
    let out = render_with("qzu", Some(&facts));
    assert!(out.contains("一学期内旷课9学时"), "{out}");
}
