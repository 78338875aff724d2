//! Identity, roles and scope through the CLI: what each role sees through every reading
//! command (seen by an admin `--as` the user), which writes each may make, an audit line for
//! every kind of write, confidential contacts, archive and purge.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const A1: &str = "2023100001"; // 甲学院 甲2301
const A2: &str = "2023100002"; // 甲学院 甲2301
const A3: &str = "2023100003"; // 甲学院 甲2302
const B4: &str = "2023200004"; // 乙学院 乙2301, psychological flag
const OLD: &str = "2015200005"; // 乙学院, cohort 2015
const TERM: &str = "2024-2025-1";
const SECRET: &str = "家中变故细节";

fn fixture(name: &str) -> String {
    common::fixture("access", name)
}

struct Env {
    dir: TempDir,
}

impl Env {
    /// Five students, grades, one psychological flag, policy hljjz, and one user per role.
    fn new() -> Env {
        let e = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        e.ok(&["import", "students", &fixture("students.csv")]);
        e.ok(&["import", "grades", &fixture("grades.csv")]);
        e.ok(&["import", "flags", &fixture("flags.csv")]);
        e.ok(&["policy", "use", "hljjz"]);
        for args in [
            &["couns", "--role", "counsellor", "--class", "甲2301"][..],
            &["teach", "--role", "class-teacher", "--class", "甲2302"],
            &["lead", "--role", "leader", "--college", "乙学院"],
            &["help", "--role", "helper", "--student", A2],
            &["psy", "--role", "psych"],
            &["reg", "--role", "registrar"],
        ] {
            let mut a = vec!["user", "add"];
            a.extend_from_slice(args);
            a.extend_from_slice(&["--name", "某人"]);
            e.ok(&a);
        }
        e
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("t.db")
    }
    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("yujing").unwrap();
        c.env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("YUJING_DB")
            // Identity is the real uid: a forged $USER changes nothing.
            .env("USER", "someone-else")
            .arg("--db")
            .arg(self.db())
            .arg("--today")
            .arg("2025-03-10");
        c
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
    /// Runs `log …` and returns the new contact's id (from `--format json`).
    fn logged(&self, args: &[&str]) -> String {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&self.ok(&a)).unwrap();
        v["contact_id"].to_string()
    }
    fn refused(&self, args: &[&str]) -> String {
        let before = self.state();
        let out = self.cmd().args(args).assert().code(1);
        assert_eq!(self.state(), before, "{args:?} wrote something");
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }
    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }
    fn count(&self, sql: &str) -> i64 {
        self.sql().query_row(sql, [], |r| r.get(0)).unwrap()
    }
    /// Rows of the tables writes change (the audit aside), to prove a refusal wrote nothing.
    fn state(&self) -> Vec<i64> {
        [
            "students",
            "contacts",
            "schedules",
            "warnings",
            "exemptions",
            "users",
        ]
        .iter()
        .map(|t| self.count(&format!("SELECT count(*) FROM {t}")))
        .collect()
    }
    fn evaluate_ids(&self, who: &str) -> BTreeSet<String> {
        ids(
            &self.json(&["--as", who, "evaluate", "--format", "json"]),
            "student_id",
        )
    }
    fn audit_actions(&self) -> BTreeSet<String> {
        self.json(&["audit", "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap().to_string())
            .collect()
    }
}

/// `schedule add` of a weekly talk from 10 March for `student`: the write several tests try
/// under different roles.
fn weekly_talk(student: &str) -> [&str; 9] {
    [
        "schedule",
        "add",
        student,
        "--kind",
        "talk",
        "--every",
        "weekly",
        "--from",
        "2025-03-10",
    ]
}

fn ids(v: &Value, key: &str) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r[key].as_str().unwrap().to_string())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn me() -> String {
    yujing::os::real_login()
}

#[test]
fn the_creator_is_admin_and_sees_everyone() {
    let e = Env::new();
    let users = e.json(&["user", "list", "--format", "json"]);
    let admin = &users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == me().as_str())
        .unwrap();
    assert_eq!(admin["roles"], serde_json::json!(["admin"]));
    assert_eq!(e.evaluate_ids(&me()), set(&[A1, A2, A3, B4, OLD]));
    // The forged $USER did not become the author of anything.
    e.ok(&["log", A1, "--kind", "talk", "--note", "n"]);
    let c = e.json(&["contacts", "--format", "json"]);
    assert_eq!(c[0]["author"], me().as_str());
}

#[test]
fn each_role_sees_exactly_its_students_in_every_reader() {
    let e = Env::new();
    e.ok(&["issue", "--term", TERM, "--date", "2025-03-03", "--yes"]);
    for id in [A1, A2, A3, B4, OLD] {
        e.ok(&[
            "log",
            id,
            "--kind",
            "talk",
            "--date",
            "2025-03-05",
            "--note",
            "谈话",
        ]);
    }
    let expect = [
        ("couns", set(&[A1, A2])),
        ("teach", set(&[A3])),
        ("lead", set(&[B4, OLD])),
        ("help", set(&[A2])),
        ("psy", set(&[B4])),
    ];
    for (who, want) in expect {
        assert_eq!(e.evaluate_ids(who), want, "evaluate --as {who}");
        let contacts = e.json(&["--as", who, "contacts", "--format", "json"]);
        assert_eq!(ids(&contacts, "student_id"), want, "contacts --as {who}");
        let agenda = e.json(&["--as", who, "agenda", "--format", "json"]);
        let mut seen = BTreeSet::new();
        for list in ["overdue", "due_today", "upcoming"] {
            seen.extend(ids(&agenda[list], "student_id"));
        }
        assert!(seen.is_subset(&want), "agenda --as {who}: {seen:?}");
        let out = e.dir.path().join(format!("{who}.xlsx"));
        e.cmd()
            .args(["--as", who, "export", "workbook", "--out"])
            .arg(&out)
            .assert()
            .success();
        let text = workbook_text(&out);
        for id in [A1, A2, A3, B4, OLD] {
            assert_eq!(
                text.contains(id),
                want.contains(id),
                "export --as {who}: {id}"
            );
        }
    }
    // Through the TUI's data source too.
    let db = yujing::db::Db::open(&e.db()).unwrap();
    for (who, want) in [("couns", set(&[A1, A2])), ("psy", set(&[B4]))] {
        let actor = yujing::app::access::actor(&db, Some(who)).unwrap();
        let mut src = yujing::tui::db_source::DbSource::open(
            &e.db(),
            None,
            None,
            chrono::NaiveDate::from_ymd_opt(2025, 3, 10).unwrap(),
            yujing::locale::Lang::En,
        )
        .unwrap();
        src.actor = Some(actor);
        use yujing::tui::model::DataSource;
        let snap = src.snapshot().unwrap();
        let got: BTreeSet<String> = snap
            .entries
            .iter()
            .map(|r| r.student.student_id.clone())
            .collect();
        assert_eq!(got, want, "TUI roster for {who}");
        assert!(
            src.student(A3).unwrap().is_none(),
            "{who} opened {A3}'s page"
        );
        let first = want.iter().next().unwrap();
        assert!(src.student(first).unwrap().is_some());
    }
    // The term-end analysis needs the next term's grades: everyone passes one course.
    let later: String = std::iter::once(
        "学号,学年,学期,课程代码,课程名称,课程性质,考核方式,学分,成绩,成绩性质\n".to_string(),
    )
    .chain(
        [A1, A2, A3, B4, OLD]
            .map(|id| format!("{id},2024-2025,2,C900,课程C900,必修,考查,2,80,正常考试\n")),
    )
    .collect();
    let path = e.dir.path().join("later.csv");
    std::fs::write(&path, later).unwrap();
    e.ok(&["import", "grades", &path.display().to_string()]);
    for (who, want) in [
        ("couns", set(&[A1, A2])),
        ("teach", set(&[A3])),
        ("lead", set(&[B4, OLD])),
        ("reg", set(&[])),
    ] {
        let report = e.ok(&[
            "--as",
            who,
            "report",
            "--term",
            TERM,
            "--against",
            "2024-2025-2",
            "--format",
            "json",
        ]);
        for id in [A1, A2, A3, B4, OLD] {
            assert_eq!(
                report.contains(id),
                want.contains(id),
                "report --as {who}: {id}"
            );
        }
    }
}

fn workbook_text(path: &Path) -> String {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let mut all = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                all.push_str(&c.to_string());
                all.push('\t');
            }
        }
    }
    all
}

#[test]
fn writes_need_the_role_and_the_student_in_scope() {
    let e = Env::new();
    // A counsellor logs for their class, not for another's.
    e.ok(&["--as", "couns", "log", A1, "--kind", "talk", "--note", "n"]);
    let msg = e.refused(&["--as", "couns", "log", B4, "--kind", "talk"]);
    assert!(msg.contains("not in scope"), "{msg}");
    // A class teacher schedules but does not exempt; a helper logs only for their student.
    e.ok(&[&["--as", "teach"][..], &weekly_talk(A3)].concat());
    let msg = e.refused(&[
        "--as", "teach", "--term", TERM, "exempt", "add", A3, "--reason", "leave",
    ]);
    assert!(msg.contains("may not change exemptions"), "{msg}");
    let msg = e.refused(&[
        "--lang", "zh", "--as", "teach", "--term", TERM, "exempt", "add", A3, "--reason", "leave",
    ]);
    assert!(msg.contains("无权修改免于跟进"), "{msg}");
    let msg = e.refused(&["--lang", "zh", "--as", "help", "log", A1, "--kind", "talk"]);
    assert!(msg.contains("不在你的范围内"), "{msg}");
    e.ok(&["--as", "help", "log", A2, "--kind", "talk"]);
    e.refused(&["--as", "help", "log", A1, "--kind", "talk"]);
    // The registrar imports and nothing else; only admins choose the policy or add users.
    e.ok(&[
        "--as",
        "reg",
        "import",
        "students",
        &fixture("students.csv"),
    ]);
    e.refused(&["--as", "reg", "log", A1, "--kind", "talk"]);
    e.refused(&["--as", "couns", "policy", "use", "qzu"]);
    e.refused(&[
        "--as", "lead", "user", "add", "x", "--name", "X", "--role", "admin",
    ]);
    // Issuing is for counsellors, leaders and admins, not class teachers.
    let msg = e.refused(&["--as", "teach", "issue", "--term", TERM, "--yes"]);
    assert!(msg.contains("may not issue"), "{msg}");
    // --as is for admins only: an admin acting as a counsellor may not go further.
    let msg = e.refused(&["--as", "couns", "user", "list"]);
    assert!(msg.contains("admin"), "{msg}");
}

#[test]
fn an_account_that_is_no_user_is_refused_naming_the_admins() {
    let e = Env::new();
    e.sql()
        .execute("UPDATE users SET login = 'chief' WHERE login = ?1", [me()])
        .unwrap();
    let msg = e.refused(&["evaluate"]);
    assert!(
        msg.contains("not a yujing user") && msg.contains("chief"),
        "{msg}"
    );
    e.refused(&["log", A1, "--kind", "talk"]);
}

#[test]
fn every_kind_of_write_leaves_an_audit_line_that_cannot_be_changed() {
    let e = Env::new();
    e.ok(&[
        "term",
        "set",
        TERM,
        "--start",
        "2024-09-02",
        "--end",
        "2025-01-17",
    ]);
    e.ok(&["issue", "--term", TERM, "--date", "2025-03-03", "--yes"]);
    e.ok(&["log", A1, "--kind", "talk"]);
    let sid = e.ok(&[&weekly_talk(A1)[..], &["--format", "json"]].concat());
    let sid: serde_json::Value = serde_json::from_str(&sid).unwrap();
    e.ok(&["schedule", "cancel", &sid["schedule_id"].to_string()]);
    e.ok(&["--term", TERM, "exempt", "add", A2, "--reason", "leave"]);
    let ex = e.count("SELECT max(id) FROM exemptions").to_string();
    e.ok(&["exempt", "lift", &ex]);
    e.ok(&[
        "issue",
        "withdraw",
        "--term",
        TERM,
        "--student",
        A3,
        "--reason",
        "mistake",
        "--yes",
    ]);
    e.ok(&["user", "edit", "couns", "--class", "甲2302"]);
    e.ok(&["user", "remove", "reg"]);
    e.ok(&["--as", "couns", "evaluate"]);
    let out = e.dir.path().join("w.xlsx");
    e.cmd()
        .args(["export", "workbook", "--out"])
        .arg(&out)
        .assert()
        .success();
    e.ok(&["archive", "--cohort", "2015"]);
    e.ok(&["purge", "--cohort", "2015", "--yes"]);
    let first = e.logged(&["log", A1, "--kind", "talk"]);
    e.ok(&["log", A1, "--kind", "talk", "--corrects", first.trim()]);
    e.ok(&["--term", TERM, "notices", "approve", "--student", A1]);
    e.ok(&["course", "clear", A1, "C100", "--reason", "培养方案调整"]);
    e.ok(&["course", "restore", A1, "C100"]);
    e.ok(&["--term", TERM, "confirm", A1]);
    let copy = e.dir.path().join("copy.db");
    e.cmd().arg("backup").arg(&copy).assert().success();
    e.cmd()
        .args(["restore", "--yes"])
        .arg(&copy)
        .assert()
        .success();
    let want = [
        "user.claim-admin",
        "contact.correct",
        "notices.approve",
        "course.clear",
        "course.restore",
        "confirm",
        "backup",
        "restore",
        "import",
        "policy.use",
        "user.add",
        "term.set",
        "issue",
        "contact",
        "schedule.add",
        "schedule.cancel",
        "exempt.add",
        "exempt.lift",
        "withdraw",
        "user.edit",
        "user.remove",
        "view-as",
        "export",
        "archive",
        "purge",
    ];
    assert_eq!(e.audit_actions(), set(&want));
    // Before and after of a user change.
    let edits = e.json(&["audit", "--user", &me(), "--format", "json"]);
    let edit = edits
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "user.edit")
        .unwrap();
    assert!(edit["before"].as_str().unwrap().contains("甲2301"));
    assert!(edit["after"].as_str().unwrap().contains("甲2302"));
    let of_a1 = e.json(&["audit", "--student", A1, "--format", "json"]);
    assert!(of_a1.as_array().unwrap().iter().all(|r| r["student"] == A1));
    assert!(
        e.json(&["audit", "--since", "2999-01-01", "--format", "json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Append-only below the app too.
    let n = e.count("SELECT count(*) FROM audit");
    assert!(e.sql().execute("DELETE FROM audit", []).is_err());
    assert!(e.sql().execute("UPDATE audit SET login = 'x'", []).is_err());
    assert_eq!(e.count("SELECT count(*) FROM audit"), n);
    // Only admins and leaders read it.
    e.ok(&["--as", "lead", "audit"]);
    e.refused(&["--as", "teach", "audit"]);
}

#[test]
fn confidential_text_reaches_only_counsellor_psych_and_admin_and_never_an_export() {
    let e = Env::new();
    e.ok(&[
        "log",
        A1,
        "--kind",
        "talk",
        "--confidential",
        "--note",
        SECRET,
    ]);
    e.ok(&["user", "edit", "teach", "--class", "甲2301,甲2302"]);
    e.ok(&[
        "user",
        "add",
        "psy2",
        "--name",
        "P",
        "--role",
        "psych,class-teacher",
        "--class",
        "甲2301",
    ]);
    for (who, reads) in [
        (me().as_str(), true),
        ("couns", true),
        ("psy2", true),
        ("teach", false),
    ] {
        let out = e.ok(&["--as", who, "contacts", "--student", A1, "--format", "json"]);
        assert_eq!(out.contains(SECRET), reads, "contacts --as {who}");
        if !reads {
            assert!(
                out.contains("confidential"),
                "{who} is not told an item exists: {out}"
            );
        }
    }
    // A tier resting on a psychological flag: the condition is named only to those who may know.
    let lead = e.ok(&["--as", "lead", "evaluate", "--format", "json"]);
    assert!(lead.contains(B4) && !lead.contains("psychological") && lead.contains("confidential"));
    assert!(
        e.ok(&["--as", "psy", "evaluate", "--format", "json"])
            .contains("flag:psychological")
    );
    // A helper of another student is not even told of it.
    let msg = e.refused(&["--as", "help", "contacts", "--student", A1]);
    assert!(!msg.contains(SECRET), "{msg}");
    let out = e.dir.path().join("w.xlsx");
    e.cmd()
        .args(["export", "workbook", "--all", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = workbook_text(&out);
    assert!(!text.contains(SECRET));
    assert!(
        !text.contains("心理") && !text.contains("sycholog"),
        "{text}"
    );
    // The audit does not copy the text either.
    assert!(!e.ok(&["audit"]).contains(SECRET));
}

#[test]
fn an_archived_cohort_is_read_only_and_for_admins_only_and_purge_asks() {
    let e = Env::new();
    e.ok(&["archive", "--cohort", "2015"]);
    assert_eq!(e.evaluate_ids("lead"), set(&[B4]));
    assert!(e.evaluate_ids(&me()).contains(OLD));
    let msg = e.refused(&["log", OLD, "--kind", "talk"]);
    assert!(msg.contains("archived"), "{msg}");
    // No terminal and no --yes: refused, nothing deleted.
    let msg = e.refused(&["purge", "--cohort", "2015"]);
    assert!(msg.contains("--yes"), "{msg}");
    // Not yet past retention (2015 + 4 + 5 = 2024 is past; 2023's cohort is not archived).
    e.refused(&["purge", "--cohort", "2023", "--yes"]);
    e.ok(&["log", A1, "--kind", "talk"]);
    // A course cleared by hand before the archive is personal data too, and must not stop
    // the purge.
    e.sql()
        .execute(
            "INSERT INTO course_clears (student, course_code, reason, by, at) \
             SELECT id, 'C100', 'old', 'x', '2024-01-01 00:00:00' FROM students \
             WHERE student_id = ?1",
            [OLD],
        )
        .unwrap();
    e.ok(&["purge", "--cohort", "2015", "--yes"]);
    assert_eq!(e.count("SELECT count(*) FROM course_clears"), 0);
    assert_eq!(
        e.count(&format!(
            "SELECT count(*) FROM students WHERE student_id = '{OLD}'"
        )),
        0
    );
    assert_eq!(e.count("SELECT count(*) FROM students"), 4);
    let audit = e.ok(&["audit"]);
    assert!(
        audit.contains("purged 1 students of cohort 2015"),
        "{audit}"
    );
}

/// The students of the term's warnings still in force.
fn warned(e: &Env) -> BTreeSet<String> {
    let conn = e.sql();
    let mut st = conn
        .prepare(
            "SELECT s.student_id FROM warnings w JOIN students s ON s.id = w.student \
             WHERE w.withdrawn_on IS NULL AND w.tier <> ''",
        )
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_counsellor_issues_and_withdraws_for_their_classes_only() {
    let e = Env::new();
    let out = e.ok(&[
        "--as",
        "couns",
        "issue",
        "--term",
        TERM,
        "--date",
        "2025-03-03",
        "--yes",
    ]);
    assert!(out.contains("issued 2 warnings"), "{out}");
    assert!(out.contains("3 students outside your scope"), "{out}");
    assert_eq!(warned(&e), set(&[A1, A2]));
    // The leader issues for the college; what the counsellor did is not redone.
    let out = e.ok(&[
        "--as",
        "lead",
        "issue",
        "--term",
        TERM,
        "--date",
        "2025-03-03",
        "--yes",
    ]);
    assert!(out.contains("issued 2 warnings"), "{out}");
    assert_eq!(warned(&e), set(&[A1, A2, B4, OLD]));
    // Withdrawing: a student of another class is refused by name, nothing written.
    let msg = e.refused(&[
        "--as",
        "couns",
        "--term",
        TERM,
        "issue",
        "withdraw",
        "--student",
        B4,
        "--reason",
        "x",
        "--yes",
    ]);
    assert!(msg.contains(B4) && msg.contains("not in scope"), "{msg}");
    // Without --student: the counsellor's students only, the others are left as they are.
    let out = e.ok(&[
        "--as", "couns", "--term", TERM, "issue", "withdraw", "--reason", "x", "--yes",
    ]);
    assert!(out.contains("withdrew 2"), "{out}");
    assert!(out.contains("2 students outside your scope"), "{out}");
    assert_eq!(warned(&e), set(&[B4, OLD]));
    // The admin's issue covers everyone left.
    e.ok(&["issue", "--term", TERM, "--date", "2025-03-04", "--yes"]);
    assert_eq!(warned(&e), set(&[A1, A2, A3, B4, OLD]));
}

#[test]
fn every_other_reader_shows_each_role_exactly_its_students() {
    let e = Env::new();
    e.ok(&["issue", "--term", TERM, "--date", "2025-03-03", "--yes"]);
    let all = [A1, A2, A3, B4, OLD];
    for id in all {
        e.ok(&weekly_talk(id));
        e.ok(&["--term", TERM, "exempt", "add", id, "--reason", "leave"]);
    }
    let expect = [
        ("couns", set(&[A1, A2])),
        ("teach", set(&[A3])),
        ("lead", set(&[B4, OLD])),
        ("help", set(&[A2])),
        ("psy", set(&[B4])),
        ("reg", set(&[])),
    ];
    let same = |what: &str, who: &str, out: &str, want: &BTreeSet<String>| {
        for id in all {
            assert_eq!(
                out.contains(id),
                want.contains(id),
                "{what} --as {who}: {id}\n{out}"
            );
        }
    };
    for (who, want) in &expect {
        let run = |args: &[&str]| {
            let mut a = vec!["--as", who];
            a.extend_from_slice(args);
            e.ok(&a)
        };
        same("schedule list", who, &run(&["schedule", "list"]), want);
        same("exempt list", who, &run(&["exempt", "list"]), want);
        same(
            "notices list",
            who,
            &run(&["--term", TERM, "notices", "list", "--format", "json"]),
            want,
        );
        same(
            "evaluate --compare",
            who,
            &run(&["evaluate", "--compare", "qzu", "--format", "json"]),
            want,
        );
        let cov: Value = serde_json::from_str(&run(&[
            "coverage", "--month", "2025-03", "--format", "json",
        ]))
        .unwrap();
        let counted: u64 = cov["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["role"] == "counsellor")
            .map(|l| l["students"].as_u64().unwrap())
            .sum();
        assert_eq!(counted as usize, want.len(), "coverage --as {who}: {cov}");
        let out = e.dir.path().join(format!("{who}-summary.csv"));
        e.cmd()
            .args(["--as", who, "--term", TERM, "export", "summary", "--out"])
            .arg(&out)
            .assert()
            .success();
        same(
            "export summary",
            who,
            &std::fs::read_to_string(&out).unwrap(),
            want,
        );
        // Naming a student outside the scope is refused, without their data.
        for id in all.iter().filter(|id| !want.contains(**id)) {
            let mut a = vec!["--as", who, "--term", TERM, "notices", "show", id];
            let msg = e.refused(&a);
            assert!(
                msg.contains("not in scope"),
                "notices show --as {who}: {msg}"
            );
            a = vec!["--as", who, "schedule", "list", id];
            e.refused(&a);
            let doc = e.dir.path().join(format!("{who}-{id}.docx"));
            let msg = e
                .cmd()
                .args(["--as", who, "--term", TERM, "plan", id, "--out"])
                .arg(&doc)
                .assert()
                .code(1)
                .get_output()
                .stderr
                .clone();
            assert!(String::from_utf8(msg).unwrap().contains("not in scope"));
            assert!(!doc.exists());
        }
    }
    // The audit: a leader reads the lines of the college's students (and their own), no others.
    let audit = e.json(&["--as", "lead", "audit", "--format", "json"]);
    let students: BTreeSet<String> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["student"].as_str().map(str::to_string))
        .collect();
    assert_eq!(students, set(&[B4, OLD]));
}

#[test]
fn the_registrar_lists_ids_and_names_only_and_may_only_import() {
    let e = Env::new();
    e.ok(&["issue", "--term", TERM, "--date", "2025-03-03", "--yes"]);
    e.ok(&["log", A1, "--kind", "talk", "--note", "谈话"]);
    let rows = e.json(&["--as", "reg", "evaluate", "--format", "json"]);
    assert_eq!(ids(&rows, "student_id"), set(&[A1, A2, A3, B4, OLD]));
    for r in rows.as_array().unwrap() {
        let keys: BTreeSet<String> = r.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, set(&["student_id", "name"]), "{r}");
    }
    let table = e.ok(&["--as", "reg", "evaluate", "--format", "csv"]);
    assert!(table.contains("赵一") && !table.contains("yellow") && !table.contains("C100"));
    // No contacts, no agenda, no archived cohort.
    assert!(
        e.json(&["--as", "reg", "contacts", "--format", "json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    e.ok(&["archive", "--cohort", "2015"]);
    let rows = e.json(&["--as", "reg", "evaluate", "--format", "json"]);
    assert!(!ids(&rows, "student_id").contains(OLD));
    e.refused(&[&["--as", "reg"][..], &weekly_talk(A1)].concat());
    e.refused(&[
        "--as", "reg", "--term", TERM, "issue", "withdraw", "--reason", "x", "--yes",
    ]);
}

fn audit_rows(e: &Env, action: &str) -> Vec<Value> {
    e.json(&["audit", "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == action)
        .cloned()
        .collect()
}

fn audit_json(r: &Value, key: &str) -> Value {
    serde_json::from_str(r[key].as_str().unwrap()).unwrap()
}

#[test]
fn audit_lines_carry_before_and_after_and_commit_with_their_write() {
    let e = Env::new();
    // import: what file, which dataset, and the counts, from the import's own transaction.
    let i = audit_json(&audit_rows(&e, "import")[0], "after");
    assert_eq!(
        (i["dataset"].as_str(), i["new"].as_u64()),
        (Some("students"), Some(5))
    );
    assert!(i["file"].as_str().unwrap().ends_with("students.csv"), "{i}");
    // policy use: the old id and the new.
    e.ok(&["policy", "use", "qzu"]);
    let p = audit_rows(&e, "policy.use").pop().unwrap();
    assert_eq!(audit_json(&p, "before")["policy"], "hljjz");
    assert_eq!(audit_json(&p, "after")["policy"], "qzu");
    e.ok(&["policy", "use", "hljjz"]);
    // issue: counts and the students of each change.
    e.ok(&["issue", "--term", TERM, "--date", "2025-03-03", "--yes"]);
    let i = audit_json(&audit_rows(&e, "issue")[0], "after");
    assert_eq!(i["warnings"], 5, "{i}");
    assert_eq!(i["students"]["new"].as_array().unwrap().len(), 5, "{i}");
    // contact and correction: ids, never the text.
    let id = e.logged(&["log", A1, "--kind", "talk", "--note", SECRET]);
    let id: i64 = id.trim().parse().unwrap();
    e.ok(&[
        "log",
        A1,
        "--kind",
        "talk",
        "--note",
        "更正",
        "--corrects",
        &id.to_string(),
    ]);
    let c = audit_rows(&e, "contact.correct").pop().unwrap();
    assert_eq!(audit_json(&c, "before")["contact"], id);
    assert_eq!(c["student"], A1);
    assert!(!e.ok(&["audit"]).contains(SECRET));
    // schedule add and cancel.
    let s: Value =
        serde_json::from_str(&e.ok(&[&weekly_talk(A1)[..], &["--format", "json"]].concat()))
            .unwrap();
    e.ok(&["schedule", "cancel", &s["schedule_id"].to_string()]);
    let x = audit_rows(&e, "schedule.cancel").pop().unwrap();
    assert_eq!(audit_json(&x, "before")["cancelled_at"], Value::Null);
    assert!(audit_json(&x, "after")["cancelled_at"].is_string());
    assert_eq!(x["student"], A1);
    // exemption add and lift.
    e.ok(&["--term", TERM, "exempt", "add", A2, "--reason", "leave"]);
    let ex = e.count("SELECT max(id) FROM exemptions").to_string();
    e.ok(&["exempt", "lift", &ex]);
    let add = audit_json(&audit_rows(&e, "exempt.add")[0], "after");
    assert!(add["obligations_ended"].as_u64().unwrap() > 0, "{add}");
    assert_eq!(audit_rows(&e, "exempt.lift")[0]["student"], A2);
    // notice approval, withdrawal, export: what and how many.
    e.ok(&["--term", TERM, "notices", "approve", "--student", A3]);
    let n = audit_json(&audit_rows(&e, "notices.approve")[0], "after");
    assert_eq!(n["notices"], 1, "{n}");
    e.ok(&[
        "--term",
        TERM,
        "issue",
        "withdraw",
        "--student",
        A3,
        "--reason",
        "mistake",
        "--yes",
    ]);
    let w = audit_rows(&e, "withdraw").pop().unwrap();
    assert_eq!(audit_json(&w, "before")["warnings"][0]["student"], A3);
    assert_eq!(audit_json(&w, "after")["withdrawn"], 1);
    let out = e.dir.path().join("s.csv");
    e.cmd()
        .args(["--term", TERM, "export", "summary", "--out"])
        .arg(&out)
        .assert()
        .success();
    let x = audit_json(&audit_rows(&e, "export").pop().unwrap(), "after");
    assert_eq!(
        (x["what"].as_str(), x["students"].as_u64()),
        (Some("summary"), Some(5))
    );
    // A write that fails leaves no line.
    let before = e.count("SELECT count(*) FROM audit");
    e.refused(&["schedule", "cancel", "99999"]);
    e.refused(&["exempt", "lift", "99999"]);
    e.refused(&["log", A1, "--kind", "talk", "--corrects", "99999"]);
    assert_eq!(e.count("SELECT count(*) FROM audit"), before);
    // And a line that cannot be written takes its write with it: one transaction.
    e.sql()
        .execute_batch(
            "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit full'); END;",
        )
        .unwrap();
    let contacts = e.count("SELECT count(*) FROM contacts");
    e.cmd().args(["log", A2, "--kind", "talk"]).assert().code(1);
    e.cmd().args(weekly_talk(A2)).assert().code(1);
    assert_eq!(e.count("SELECT count(*) FROM contacts"), contacts);
    assert_eq!(
        e.count("SELECT count(*) FROM schedules WHERE source = 'manual' AND cancelled_at IS NULL"),
        0
    );
}

#[test]
fn psych_writes_only_confidential_notes_and_a_helper_corrects_only_their_own() {
    let e = Env::new();
    // psych: the flagged student, confidential only.
    let msg = e.refused(&["--as", "psy", "log", B4, "--kind", "talk", "--note", "n"]);
    assert!(msg.contains("confidential"), "{msg}");
    let id = e.logged(&[
        "--as",
        "psy",
        "log",
        B4,
        "--kind",
        "talk",
        "--confidential",
        "--note",
        SECRET,
    ]);
    // Marked in the contact's own write, and its audit line says so (not the text).
    let line = audit_rows(&e, "contact").pop().unwrap();
    assert_eq!(audit_json(&line, "after")["confidential"], true);
    assert!(!line["after"].as_str().unwrap().contains(SECRET));
    e.ok(&[
        "--as",
        "psy",
        "log",
        B4,
        "--kind",
        "talk",
        "--note",
        "更正",
        "--corrects",
        id.trim(),
    ]);
    let plain = e.logged(&["log", B4, "--kind", "talk", "--note", "普通"]);
    e.refused(&[
        "--as",
        "psy",
        "log",
        B4,
        "--kind",
        "talk",
        "--corrects",
        plain.trim(),
    ]);
    e.refused(&["--as", "psy", "log", A1, "--kind", "talk", "--confidential"]);
    // helper: the assigned student only; corrects what they wrote, not a colleague's entry.
    let mine = e.logged(&["--as", "help", "log", A2, "--kind", "talk", "--note", "a"]);
    e.ok(&[
        "--as",
        "help",
        "log",
        A2,
        "--kind",
        "talk",
        "--note",
        "b",
        "--corrects",
        mine.trim(),
    ]);
    let theirs = e.logged(&["log", A2, "--kind", "talk", "--note", "c"]);
    e.sql()
        .execute(
            "UPDATE contacts SET author = 'colleague' WHERE id = ?1",
            [theirs.trim()],
        )
        .unwrap();
    let msg = e.refused(&[
        "--as",
        "help",
        "log",
        A2,
        "--kind",
        "talk",
        "--corrects",
        theirs.trim(),
    ]);
    assert!(msg.contains("themselves"), "{msg}");
    e.refused(&["--as", "help", "log", A1, "--kind", "talk"]);
    e.refused(&[&["--as", "help"][..], &weekly_talk(A2)].concat());
    // The TUI's log form: its 保密 switch is what --confidential is to `log`.
    use yujing::tui::model::{DataSource, WriteOp};
    let db = yujing::db::Db::open(&e.db()).unwrap();
    let mut src = yujing::tui::db_source::DbSource::open(
        &e.db(),
        None,
        None,
        chrono::NaiveDate::from_ymd_opt(2025, 3, 10).unwrap(),
        yujing::locale::Lang::Zh,
    )
    .unwrap();
    src.actor = Some(yujing::app::access::actor(&db, Some("psy")).unwrap());
    let contact = |note: &str| yujing::model::Contact {
        summary: note.into(),
        ..yujing::model::Contact::new(
            B4,
            chrono::NaiveDate::from_ymd_opt(2025, 3, 10)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            "psy",
            yujing::model::ContactKind::Talk,
        )
    };
    let refused = src
        .write(&WriteOp::LogContact {
            contact: contact("open"),
            confidential: false,
        })
        .unwrap_err()
        .to_string();
    assert!(refused.contains("保密"), "{refused}");
    let id = src
        .write(&WriteOp::LogContact {
            contact: contact(SECRET),
            confidential: true,
        })
        .unwrap();
    assert!(db.contact_confidential(id).unwrap());
    // The next write through the same source is not confidential unless asked again.
    src.actor = None;
    let plain = src
        .write(&WriteOp::LogContact {
            contact: contact("plain"),
            confidential: false,
        })
        .unwrap();
    assert!(!db.contact_confidential(plain).unwrap());
}

#[test]
fn notices_are_approved_by_leaders_within_their_college() {
    let e = Env::new();
    e.ok(&["issue", "--term", TERM, "--date", "2025-03-03", "--yes"]);
    let approve = |who: &str, more: &[&str]| {
        let mut a = vec!["--as", who, "--term", TERM, "notices", "approve"];
        a.extend_from_slice(more);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run = |args: Vec<String>| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        e.refused(&a)
    };
    let msg = run(approve("lead", &["--class", "甲2301"]));
    assert!(msg.contains("not in scope"), "{msg}");
    let msg = run(approve("lead", &[]));
    assert!(msg.contains("--class or --student"), "{msg}");
    let msg = run(approve("couns", &["--student", A1]));
    assert!(msg.contains("may not approve"), "{msg}");
    let args = approve("lead", &["--class", "乙2301"]);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    e.ok(&a);
    let approved: BTreeSet<String> = e
        .json(&["--term", TERM, "notices", "list", "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["state"] != "draft")
        .map(|n| n["student_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(approved, set(&[B4]));
}
