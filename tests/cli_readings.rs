//! Issue 8's readings through the real binary, on small files shaped like real exports:
//! 强智's 补重学期 and 成绩标志, 正方's 学期 codes and old flags, several nature columns, a
//! school's nature mapping, courses cleared by hand, the default term, and an upgrade from a
//! database an earlier yujing imported.

mod common;

use common::Env;

const STUDENTS: &str = "学号,姓名,班级\n2022000001,张三,生物2201\n2022000002,李四,生物2201\n";

fn env_with_students() -> Env {
    let e = Env::new();
    let f = e.file("students.csv", STUDENTS.as_bytes());
    e.ok(&["import", "students", &f]);
    e
}

fn tier(e: &Env, id: &str, args: &[&str]) -> serde_json::Value {
    e.student(id, args)["tier"].clone()
}

#[test]
fn qiangzhi_sitting_term_and_result_flag() {
    let e = env_with_students();
    // 张三 failed two exam courses in 2024-2025-1; 补考一 sat (dated) 2024-2025-2, one passed,
    // one 缺考 with a 0 score; 李四's 缓考 is a 0 score with the flag.
    let tsv = "开课学期\t学号\t课程编号\t课程名称\t总评成绩\t成绩标志\t学分\t考核方式\t考试性质\t补重学期\t课程属性\n\
2024-2025-1\t2022000001\tC1\t高等数学\t40\t正常\t4\t考试\t正常考试\t\t必修\n\
2024-2025-1\t2022000001\tC1\t高等数学\t75\t正常\t4\t考试\t补考一\t2024-2025-2\t必修\n\
2024-2025-1\t2022000001\tC2\t大学英语\t30\t正常\t3\t考试\t正常考试\t\t必修\n\
2024-2025-1\t2022000001\tC2\t大学英语\t0\t缺考\t3\t考试\t补考一\t2024-2025-2\t必修\n\
2024-2025-1\t2022000002\tC1\t高等数学\t0\t缓考\t4\t考试\t正常考试\t\t必修\n\
2024-2025-1\t2022000002\tC2\t大学英语\t80\t正常\t3\t考试\t正常考试\t\t必修\n";
    let f = e.file("grades.qz.tsv", tsv.as_bytes());
    let (_, err) = e.ok2(&["import", "grades", &f]);
    assert!(
        !err.contains("assessed term"),
        "an import with no policy chosen evaluates nothing and names no term: {err}"
    );
    let (_, err) = e.ok2(&["evaluate", "--policy", "lut-life"]);
    assert!(
        err.contains("assessed term 2024-2025-1"),
        "the makeups dated 2024-2025-2 do not make it the default term: {err}"
    );
    let s = e.student("2022000001", &["--policy", "lut-life"]);
    assert_eq!(s["tier"], "oral", "one course failed after makeup: {s}");
    let r = &s["reasons"][0];
    assert_eq!(r["courses"][0]["code"], "C2");
    let sittings = &r["courses"][0]["sittings"];
    assert_eq!(sittings[1]["kind"], "makeup");
    assert_eq!(sittings[1]["term"], "2024-2025-2");
    assert_eq!(sittings[1]["result"], "缺考", "the flag decides a 0 score");
    let li = e.student("2022000002", &["--policy", "lut-life"]);
    assert_eq!(
        li["tier"],
        serde_json::Value::Null,
        "缓考 is pending, never failed"
    );
    assert_eq!(li["provisional"], true);
    assert_eq!(li["pending"][0]["code"], "C1");
}

#[test]
fn zhengfang_semester_codes_and_old_flags() {
    let e = env_with_students();
    // 学期 3 and 12 are 正方's codes for terms 1 and 2 (16 would be the summer term).
    // 重修标记 = 1 marks a retake; 辅修标记 = 1 a minor-programme course.
    let csv = "学号,学年,学期,课程代码,课程名称,课程性质,学分,成绩,重修标记,辅修标记\n\
2022000001,2023-2024,3,C1,高等数学,必修,4,40,0,0\n\
2022000001,2023-2024,12,C2,线性代数,必修,3,45,0,0\n\
2022000001,2024-2025,3,C1,高等数学,必修,4,80,1,0\n\
2022000001,2024-2025,3,M1,金融学,必修,2,20,0,1\n\
2022000001,2024-2025,3,M2,会计学,必修,2,20,0,1\n\
2022000001,2024-2025,3,C3,物理,必修,12,90,0,0\n";
    let f = e.file("grades.zf.csv", csv.as_bytes());
    e.ok(&["import", "grades", &f]);
    let s = e.student(
        "2022000001",
        &["--policy", "hntou", "--term", "2024-2025-1"],
    );
    // C1 cleared by the retake, C2 failed, M1/M2 minor: 1 outstanding, no tier.
    assert_eq!(s["tier"], serde_json::Value::Null, "{s}");
    let s = e.student(
        "2022000001",
        &["--policy", "hntou", "--term", "2023-2024-2"],
    );
    assert_eq!(s["tier"], "level1", "C1 and C2 failed in 2023-2024: {s}");
    let terms = e.ok(&["evaluate", "--policy", "hntou", "--format", "csv"]);
    assert!(
        !terms.contains("2024-2025-3"),
        "3 means term 1 in this file"
    );
}

#[test]
fn several_nature_columns_the_summary_and_a_schools_mapping() {
    let e = env_with_students();
    e.ok(&["policy", "use", "hljjz"]);
    // 正方 v9: 课程性质 says it, 课程类别 does not; 专业核心课 alone says neither.
    let csv = "学号,学年学期,课程代码,课程性质,课程类别,考核方式,学分,成绩\n\
2022000001,2024-2025-1,C1,,专业核心课,考查,4,40\n\
2022000001,2024-2025-1,C2,思政通识必修课,通识课,考查,3,45\n\
2022000001,2024-2025-1,C3,专业必修课,专业核心课,考试,12,90\n";
    let f = e.file("grades.v9.csv", csv.as_bytes());
    let out = e.ok(&["import", "grades", &f]);
    assert!(out.contains("专业核心课 → none"), "{out}");
    assert!(out.contains("思政通识必修课 → required"), "{out}");
    // The classes are words of the run's language.
    let zh = e.ok(&["--lang", "zh", "import", "grades", &f]);
    assert!(
        zh.contains("专业核心课 → 未归类") && zh.contains("思政通识必修课 → 必修"),
        "{zh}"
    );
    assert!(
        out.contains("nature map"),
        "the summary says how to map: {out}"
    );
    // Before mapping: only C2 is a failed required course; the unmapped one is warned about.
    let (_, err) = e.ok2(&["evaluate", "--format", "json"]);
    assert!(err.contains("no nature the rules can read"), "{err}");
    assert_eq!(tier(&e, "2022000001", &[]), serde_json::Value::Null);
    // The school maps 专业核心课 to required: two required failures, yellow.
    let said = e.ok(&["nature", "map", "专业核心课", "required"]);
    assert!(said.contains("专业核心课"), "{said}");
    assert_eq!(tier(&e, "2022000001", &[]), "yellow");
    let list = e.ok(&["nature", "list"]);
    assert!(
        list.lines()
            .any(|l| l.contains("专业核心课") && l.contains("required") && l.contains("school")),
        "{list}"
    );
    // A class that does not exist is a usage error and changes nothing.
    e.cmd()
        .args(["nature", "map", "专业核心课", "sometimes"])
        .assert()
        .code(2);
    assert_eq!(tier(&e, "2022000001", &[]), "yellow");
}

#[test]
fn a_course_cleared_by_hand_and_restored() {
    let e = env_with_students();
    let csv = "学号,学年学期,课程代码,课程名称,课程性质,学分,成绩\n\
2022000001,2024-2025-1,C1,高等数学,必修,4,40\n\
2022000001,2024-2025-1,C2,线性代数,必修,3,45\n\
2022000001,2024-2025-1,C3,物理,必修,12,90\n";
    let f = e.file("g.csv", csv.as_bytes());
    e.ok(&["import", "grades", &f]);
    assert_eq!(tier(&e, "2022000001", &["--policy", "hntou"]), "level1");
    let out = e.ok(&[
        "course",
        "clear",
        "2022000001",
        "C2",
        "--reason",
        "培养方案调整，以 C9 替代",
    ]);
    assert!(out.contains("C2"), "{out}");
    let s = e.student("2022000001", &["--policy", "hntou"]);
    assert_eq!(s["tier"], serde_json::Value::Null);
    // Clearing twice, or a course never sat, is refused and changes nothing.
    let err = e.fails(&["course", "clear", "2022000001", "C2", "--reason", "again"]);
    assert!(err.contains("already cleared"), "{err}");
    let err = e.fails(&["course", "clear", "2022000001", "C7", "--reason", "x"]);
    assert!(err.contains("no grade for course C7"), "{err}");
    let list = e.ok(&["course", "list"]);
    assert!(list.contains("培养方案调整"), "{list}");
    e.ok(&["course", "restore", "2022000001", "C2"]);
    assert_eq!(tier(&e, "2022000001", &["--policy", "hntou"]), "level1");
    let err = e.fails(&["course", "restore", "2022000001", "C2"]);
    assert!(err.contains("not cleared"), "{err}");
    assert!(
        e.ok(&["course", "list"]).lines().count() >= 2,
        "the record stays"
    );
}

#[test]
fn a_database_imported_by_an_earlier_version_says_to_reimport() {
    let e = Env::new();
    e.ok(&["import", "students", &e.file("s.csv", STUDENTS.as_bytes())]);
    // A grade stored before, which the file below corrects (as a re-import corrects what
    // schema 5 could not keep).
    let before = "学号,学年学期,课程代码,学分,成绩\n2022000001,2024-2025-1,C1,4,45\n";
    e.ok(&["import", "grades", &e.file("g0.csv", before.as_bytes())]);
    // Pretend the grades came from version 4: mark as such, as the migration does.
    rusqlite::Connection::open(e.db())
        .unwrap()
        .execute_batch("INSERT INTO meta (key, value) VALUES ('reimport_grades', 'v4');")
        .unwrap();
    let (_, err) = e.ok2(&["evaluate", "--policy", "hntou", "--term", "2024-2025-1"]);
    assert!(err.contains("Re-import every grades file"), "{err}");
    let csv = "学号,学年学期,课程代码,学分,成绩\n2022000001,2024-2025-1,C1,4,40\n";
    e.ok(&["import", "grades", &e.file("g.csv", csv.as_bytes())]);
    let (_, err) = e.ok2(&["evaluate", "--policy", "hntou"]);
    assert!(
        !err.contains("Re-import"),
        "lifted by a grades import: {err}"
    );
}

#[test]
fn the_migration_keeps_old_grades_and_marks_them() {
    // Rows stored by schema 4 survive the upgrade with their nature words, and the database
    // says to re-import until grades are imported again.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(include_str!("../fixtures/cli/schema_v4.sql"))
        .unwrap();
    drop(conn);
    let e = Env { dir };
    std::fs::rename(&db, e.db()).unwrap();
    let (out, err) = e.ok2(&["nature", "list"]);
    assert!(err.contains("earlier yujing"), "{err}");
    assert!(out.contains("实践") && out.contains("跨专业"), "{out}");
    let s = e.student(
        "2022000001",
        &["--policy", "hntou", "--term", "2024-2025-1"],
    );
    assert_eq!(s["tier"], "level1", "{s}");
}

#[test]
fn a_reading_command_reads_an_old_file_without_changing_it() {
    // Reading commands never write: on a file an earlier yujing wrote they read an upgraded
    // private copy, say so, and leave the file (perhaps a colleague's) exactly as it was.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(include_str!("../fixtures/cli/schema_v4.sql"))
        .unwrap();
    drop(conn);
    let e = Env { dir };
    std::fs::rename(&db, e.db()).unwrap();
    let before = std::fs::read(e.db()).unwrap();
    let version = |e: &Env| -> i64 {
        rusqlite::Connection::open(e.db())
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    };
    let (out, err) = e.ok2(&[
        "evaluate",
        "--policy",
        "hntou",
        "--term",
        "2024-2025-1",
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert!(
        err.contains("schema version 4") && err.contains("admin upgrade"),
        "{err}"
    );
    let all: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["student_id"] == "2022000001")
        .unwrap();
    assert_eq!(s["tier"], "level1", "{s}");
    assert_eq!(version(&e), 4);
    assert_eq!(
        std::fs::read(e.db()).unwrap(),
        before,
        "a reading command wrote the file"
    );
    e.ok2(&["admin", "upgrade"]);
    assert!(version(&e) > 4);
    let (_, err) = e.ok2(&["evaluate", "--policy", "hntou", "--term", "2024-2025-1"]);
    assert!(!err.contains("admin upgrade"), "{err}");
}
