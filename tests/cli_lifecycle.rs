//! A warning's life across terms, through the CLI: issue T1, log talks, issue T2 with students
//! lifted, same, up and down, issue T3; the agenda, the obligations and the report's missed
//! periods at dates in between. Also the refusals of `issue`, `issue withdraw`, `log`,
//! `exempt` and `term set`, concurrent issues, and safe exports.

mod common;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const T1: &str = "2024-2025-1";
const T2: &str = "2024-2025-2";
const T3: &str = "2025-2026-1";
const LIFTED: &str = "2023000001";
const SAME: &str = "2023000002";
const UP: &str = "2023000003";
const DOWN: &str = "2023000004";
const NEVER: &str = "2023000005";
const NEW: &str = "2023000006";

fn fixture(name: &str) -> String {
    common::fixture("lifecycle", name)
}

struct Env {
    dir: TempDir,
}

impl Env {
    /// The lifecycle cohort imported (all three terms' grades), policy hljjz.
    fn new() -> Env {
        let e = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        e.ok(
            "2025-03-01",
            &["import", "students", &fixture("students.csv")],
        );
        e.ok("2025-03-01", &["import", "grades", &fixture("grades.csv")]);
        e.ok("2025-03-01", &["policy", "use", "hljjz"]);
        e
    }
    /// T1 issued at the start of the spring term, T2 at the start of the autumn term.
    fn issued_t1_and_t2() -> Env {
        let e = Env::new();
        e.issue(T1, "2025-03-03");
        e.issue(T2, "2025-09-08");
        e
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("t.db")
    }
    fn cmd(&self, today: &str) -> Command {
        let mut c = Command::cargo_bin("yujing").unwrap();
        c.env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env("USER", "tester")
            .env_remove("YUJING_DB")
            .arg("--db")
            .arg(self.db())
            .arg("--today")
            .arg(today);
        c
    }
    fn ok(&self, today: &str, args: &[&str]) -> String {
        let out = self.cmd(today).args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
    /// Runs a command that must be refused: exit 1, the message on stderr.
    fn refused(&self, today: &str, args: &[&str]) -> String {
        let out = self.cmd(today).args(args).assert().code(1);
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }
    fn issue(&self, term: &str, on: &str) -> String {
        self.ok(on, &["issue", "--term", term, "--date", on, "--yes"])
    }
    fn agenda(&self, today: &str) -> Value {
        serde_json::from_str(&self.ok(today, &["agenda", "--format", "json"])).unwrap()
    }
    fn report(&self, today: &str, term: &str) -> Value {
        serde_json::from_str(&self.ok(today, &["report", "--term", term, "--format", "json"]))
            .unwrap()
    }
    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }
    fn count(&self, sql: &str) -> i64 {
        self.sql().query_row(sql, [], |r| r.get(0)).unwrap()
    }
    /// T2's workbook (English sheet names), opened; and what the export said on stderr.
    fn workbook(&self) -> (calamine::Xlsx<std::io::BufReader<std::fs::File>>, String) {
        let out = self.dir.path().join("w.xlsx");
        let run = self
            .cmd("2025-09-10")
            .args(["--lang", "en", "export", "workbook", "--term", T2, "--out"])
            .arg(&out)
            .assert()
            .success();
        let err = String::from_utf8(run.get_output().stderr.clone()).unwrap();
        (calamine::open_workbook(&out).unwrap(), err)
    }
    /// Runs a command that must be refused and write nothing; returns the message.
    fn refuses(&self, today: &str, args: &[String]) -> String {
        let before = self.state();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let msg = self.refused(today, &args);
        assert_eq!(self.state(), before, "{args:?} wrote something");
        msg
    }
    /// Every row of every table that follow-ups write, to prove a refusal wrote nothing.
    fn state(&self) -> Vec<i64> {
        [
            "warnings",
            "schedules",
            "contacts",
            "exemptions",
            "term_dates",
        ]
        .iter()
        .map(|t| {
            self.count(&format!(
                "SELECT count(*) * 1000003 + coalesce(max(rowid), 0) FROM {t}"
            ))
        })
        .chain([self.count(
            "SELECT count(*) FROM schedules WHERE ended_on IS NOT NULL OR cancelled_at IS NOT NULL",
        )])
        .chain([self.count("SELECT count(*) FROM warnings WHERE withdrawn_on IS NOT NULL")])
        .collect()
    }
    /// Open (not ended, not cancelled) policy obligations of a student.
    fn open_obligations(&self, student: &str) -> Vec<(String, String, String)> {
        let conn = self.sql();
        let mut st = conn
            .prepare(
                "SELECT x.kind, coalesce(x.role, ''), x.cadence FROM schedules x JOIN students s ON s.id = x.student \
                 WHERE s.student_id = ?1 AND x.source = 'policy' AND x.ended_on IS NULL AND x.cancelled_at IS NULL \
                 ORDER BY x.kind, x.role, x.cadence",
            )
            .unwrap();
        st.query_map([student], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
    fn ended(&self, student: &str, change: &str) -> i64 {
        self.sql()
            .query_row(
                "SELECT count(*) FROM schedules x JOIN students s ON s.id = x.student \
                 WHERE s.student_id = ?1 AND x.end_change = ?2",
                [student, change],
                |r| r.get(0),
            )
            .unwrap()
    }
    fn log_talk(&self, student: &str, role: &str, on: &str) {
        self.ok(
            on,
            &[
                "log", student, "--kind", "talk", "--role", role, "--date", on,
            ],
        );
    }
}

fn items<'a>(agenda: &'a Value, list: &str, student: &str) -> Vec<&'a Value> {
    agenda[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["student_id"] == student)
        .collect()
}

fn weekly_class_teacher(obligations: &[(String, String, String)]) -> usize {
    obligations
        .iter()
        .filter(|(k, r, c)| k == "talk" && r == "class-teacher" && c == "weekly")
        .count()
}

fn student_line<'a>(report: &'a Value, student: &str) -> &'a Value {
    report["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["student_id"] == student)
        .unwrap_or_else(|| panic!("{student} in {report}"))
}

#[test]
fn three_terms_lifted_same_up_down_and_missed_periods_stop_with_the_obligation() {
    let e = Env::new();
    // T1, issued at the start of the spring term.
    let out = e.issue(T1, "2025-03-03");
    assert!(out.contains("new 4"), "{out}");
    for s in [LIFTED, SAME, UP, DOWN] {
        assert_eq!(
            weekly_class_teacher(&e.open_obligations(s)),
            1,
            "{s}: {:?}",
            e.open_obligations(s)
        );
    }
    assert!(e.open_obligations(NEVER).is_empty());
    // Talks for the student who stays the same: the weekly class-teacher talk is met for the
    // weeks of Mar 3 and Mar 10, not after.
    e.log_talk(SAME, "class-teacher", "2025-03-04");
    e.log_talk(SAME, "class-teacher", "2025-03-11");
    let a = e.agenda("2025-03-20");
    let same_overdue = items(&a, "overdue", SAME);
    assert!(
        !same_overdue
            .iter()
            .any(|i| i["role"] == "class-teacher" && i["cadence"] == "weekly"),
        "met through the week of Mar 10, the week of Mar 17 not ended yet: {a}"
    );
    assert!(
        items(&a, "overdue", LIFTED)
            .iter()
            .any(|i| i["role"] == "class-teacher" && i["cadence"] == "weekly"),
        "no talk logged: overdue: {a}"
    );
    let before_t2 = e.report("2025-09-07", T1);
    let lifted_missed_before = student_line(&before_t2, LIFTED)["missed_periods"]
        .as_u64()
        .unwrap();
    assert!(lifted_missed_before > 20, "{before_t2}");

    // T2, issued at the start of the autumn term.
    let out = e.issue(T2, "2025-09-08");
    for want in ["lifted 1", "same 1", "up 1", "down 1", "new 1"] {
        assert!(out.contains(want), "{want} in {out}");
    }
    // lifted: every policy obligation ended that day, marked lifted, never overdue after it.
    assert!(e.ended(LIFTED, "lifted") > 0);
    let a = e.agenda("2025-09-10");
    assert!(items(&a, "overdue", LIFTED).is_empty(), "{a}");
    assert!(items(&a, "upcoming", LIFTED).is_empty(), "{a}");
    // ... but a tier change owes a parent contact within 14 days (notify_tier_change).
    assert!(
        items(&a, "due_today", LIFTED)
            .iter()
            .chain(items(&a, "upcoming", LIFTED).iter())
            .chain(items(&a, "overdue", LIFTED).iter())
            .all(|i| i["kind"] == "parent-contact"),
        "{a}"
    );
    assert_eq!(
        e.open_obligations(LIFTED),
        vec![(
            "parent-contact".to_string(),
            "class-teacher".to_string(),
            "once:14".to_string()
        )],
        "only the notice of the change is open"
    );
    e.ok(
        "2025-09-09",
        &[
            "log",
            LIFTED,
            "--kind",
            "parent-contact",
            "--role",
            "class-teacher",
            "--with",
            "both",
            "--date",
            "2025-09-09",
        ],
    );
    // same: one weekly class-teacher talk, never two; one-offs not created again.
    let same = e.open_obligations(SAME);
    assert_eq!(weekly_class_teacher(&same), 1, "{same:?}");
    assert_eq!(e.ended(SAME, "same"), 0);
    assert_eq!(
        e.count(
            "SELECT count(*) FROM schedules x JOIN students s ON s.id = x.student \
             WHERE s.student_id = '2023000002' AND x.cadence LIKE 'once:%' AND x.from_date = '2025-09-08'"
        ),
        0,
        "no one-off obligation is created again for `same`"
    );
    // up: the orange archive begins, the weekly talk continues (one), a parent contact owed.
    let up = e.open_obligations(UP);
    assert_eq!(weekly_class_teacher(&up), 1, "{up:?}");
    assert!(
        e.count(
            "SELECT count(*) FROM schedules x JOIN students s ON s.id = x.student \
             WHERE s.student_id = '2023000003' AND x.kind = 'parent-contact' AND x.from_date = '2025-09-08' AND x.ended_on IS NULL"
        ) == 1
    );
    // down: the orange archive ends, marked down.
    assert!(e.ended(DOWN, "down") >= 1);
    assert_eq!(weekly_class_teacher(&e.open_obligations(DOWN)), 1);

    // The report of T1 counts missed periods only while the obligation was active: the lifted
    // student's count is frozen at the lift, months later it is the same.
    let r1 = e.report("2025-09-10", T1);
    let r2 = e.report("2026-01-10", T1);
    let frozen = student_line(&r1, LIFTED)["missed_periods"]
        .as_u64()
        .unwrap();
    assert!(frozen >= lifted_missed_before, "{r1}");
    assert_eq!(
        student_line(&r2, LIFTED)["missed_periods"]
            .as_u64()
            .unwrap(),
        frozen
    );
    assert!(
        student_line(&r2, SAME)["missed_periods"].as_u64().unwrap()
            > student_line(&r1, SAME)["missed_periods"].as_u64().unwrap(),
        "an active weekly obligation keeps counting"
    );
    for (s, change) in [
        (LIFTED, "lifted"),
        (SAME, "same"),
        (UP, "up"),
        (DOWN, "down"),
    ] {
        assert_eq!(student_line(&r1, s)["change"], change, "{r1}");
    }
    for id in ["lifted", "up", "down", "same"] {
        assert_eq!(r1["total"]["changes"][id], 1, "{id}: {r1}");
    }
    assert!(r1.get("off_the_list").is_none());

    // Issuing T1 again now is refused (T2 is newest), naming T2; nothing written.
    let before = e.state();
    let msg = e.refused("2025-09-12", &["issue", "--term", T1, "--yes"]);
    assert!(msg.contains(T2) && msg.contains("--force"), "{msg}");
    assert_eq!(e.state(), before);

    // T3: the down student is lifted, the others stay; still never two weekly talks.
    let out = e.issue(T3, "2026-03-02");
    assert!(out.contains("lifted 1"), "{out}");
    assert!(
        e.open_obligations(DOWN)
            .iter()
            .all(|(k, _, _)| k == "parent-contact")
    );
    for s in [SAME, UP, NEW] {
        assert_eq!(weekly_class_teacher(&e.open_obligations(s)), 1, "{s}");
    }
    let a = e.agenda("2026-03-10");
    assert!(items(&a, "overdue", DOWN).is_empty(), "{a}");
    assert!(items(&a, "overdue", LIFTED).is_empty(), "{a}");
    // A second run of the same issue writes nothing.
    let warnings = e.count("SELECT count(*) FROM warnings");
    let out = e.issue(T3, "2026-03-03");
    assert!(out.contains("nothing to do"), "{out}");
    assert_eq!(e.count("SELECT count(*) FROM warnings"), warnings);
}

#[test]
fn manual_schedules_are_never_ended_by_an_issue() {
    let e = Env::new();
    e.issue(T1, "2025-03-03");
    let id = e.ok(
        "2025-03-05",
        &[
            "schedule",
            "add",
            LIFTED,
            "--kind",
            "talk",
            "--every",
            "weekly",
            "--from",
            "2025-03-05",
            "--format",
            "json",
        ],
    );
    let id: serde_json::Value = serde_json::from_str(&id).unwrap();
    let id = id["schedule_id"].to_string();
    e.issue(T2, "2025-09-08");
    let ended: Option<String> = e
        .sql()
        .query_row(
            "SELECT ended_on FROM schedules WHERE id = ?1",
            [id.trim().parse::<i64>().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ended, None);
    assert!(
        !items(&e.agenda("2025-09-20"), "overdue", LIFTED).is_empty(),
        "the manual weekly talk still runs"
    );
}

#[test]
fn issue_refusals_and_the_question_without_a_terminal() {
    let e = Env::new();
    let before = e.state();
    // A term with no regular results.
    let msg = e.refused("2030-09-10", &["issue", "--term", "2030-2031-1", "--yes"]);
    assert!(
        msg.contains("2030-2031-1") && msg.contains("import"),
        "{msg}"
    );
    assert_eq!(e.state(), before);
    // No terminal and no --yes: refused, saying to add --yes.
    let msg = e.refused("2025-03-03", &["issue", "--term", T1]);
    assert!(msg.contains("--yes"), "{msg}");
    assert_eq!(e.state(), before);
    // Usage errors exit 2.
    e.cmd("2025-03-03")
        .args(["issue", "--no-such-flag"])
        .assert()
        .code(2);
    // A term not over yet is announced (and needs the answer).
    let out = e.ok("2025-03-03", &["issue", "--term", T2, "--yes"]);
    assert!(out.contains("has not ended"), "{out}");
}

#[test]
fn withdrawal_marks_history_ends_obligations_and_allows_reissue() {
    let e = Env::new();
    e.issue(T1, "2025-03-03");
    let after_t1 = [UP, SAME, DOWN].map(|s| e.open_obligations(s));
    e.issue(T2, "2025-09-08");
    let withdraw = |more: &[&str]| -> Vec<String> {
        ["issue", "withdraw", "--term", T2]
            .iter()
            .chain(more)
            .map(|s| s.to_string())
            .collect()
    };
    let ok = |today: &str, args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        e.ok(today, &args)
    };
    // Refusals: a student with no warning for the term, no --yes.
    let msg = e.refuses(
        "2025-09-10",
        &withdraw(&["--student", NEVER, "--reason", "x", "--yes"]),
    );
    assert!(msg.contains(NEVER), "{msg}");
    let msg = e.refuses("2025-09-10", &withdraw(&["--reason", "wrong grades file"]));
    assert!(msg.contains("--yes"), "{msg}");

    let both = format!("{UP},{SAME}");
    let out = ok(
        "2025-09-10",
        withdraw(&[
            "--student",
            &both,
            "--student",
            DOWN,
            "--reason",
            "wrong grades file",
            "--yes",
        ]),
    );
    assert!(out.contains("withdrew 3"), "{out}");
    // T1's warning holds again, with its obligations as they were; what T2 began ends.
    for (s, t1) in [UP, SAME, DOWN].iter().zip(&after_t1) {
        assert_eq!(&e.open_obligations(s), t1, "{s}");
    }
    for s in [UP, DOWN] {
        assert!(e.ended(s, "withdrawn") > 0, "{s}: T2's parent contact ends");
    }
    assert_eq!(e.ended(SAME, "withdrawn"), 0, "T2 began nothing for {SAME}");
    assert!(!e.open_obligations(NEW).is_empty(), "not named: untouched");
    // The term-end analysis of T2 reads the withdrawals from the lifecycle: those warnings
    // are `withdrawn`, the one still in force is judged as usual.
    let r: Value = serde_json::from_str(&e.ok(
        "2025-09-10",
        &["report", "--term", T2, "--against", T3, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(r["total"]["warned"], 4, "{r}");
    assert_eq!(r["total"]["changes"]["withdrawn"], 3, "{r}");
    for s in [UP, SAME, DOWN] {
        assert_eq!(student_line(&r, s)["change"], "withdrawn", "{s}: {r}");
    }
    assert_ne!(student_line(&r, NEW)["change"], "withdrawn", "{r}");
    let c = e.ok("2025-09-10", &["contacts", UP]);
    assert!(
        c.contains("withdrawn") && c.contains("wrong grades file"),
        "{c}"
    );
    let c = e.ok(
        "2025-09-10",
        &["contacts", "--student", &format!("{UP},{NEW}")],
    );
    let new_part = &c[c.find(&format!("warnings of {NEW}")).expect(&c)..];
    assert!(!new_part.contains("withdrawn"), "{c}");
    assert!(c.contains(&format!("warnings of {UP}")), "{c}");
    // The whole term; then T2 is no longer the newest: T1 may be issued without --force, and
    // T2 issued again.
    ok("2025-09-11", withdraw(&["--reason", "all of it", "--yes"]));
    let out = e.ok("2025-09-11", &["issue", "--term", T1, "--yes"]);
    assert!(out.contains("nothing to do"), "{out}");
    assert_eq!(
        e.count("SELECT count(*) FROM warnings WHERE term = 20242 AND withdrawn_on IS NULL"),
        0
    );
    let out = e.issue(T2, "2025-09-12");
    assert!(out.contains("issued"), "{out}");
}

#[test]
fn withdrawing_t2_brings_back_the_t1_obligations_it_ended() {
    let e = Env::new();
    e.issue(T1, "2025-03-03");
    let t1 = [LIFTED, DOWN].map(|s| e.open_obligations(s));
    e.issue(T2, "2025-09-08");
    // T2 froze them on its issue day: the lifted student's all, the down student's archive.
    assert!(e.ended(LIFTED, "lifted") > 0 && e.ended(DOWN, "down") > 0);
    let weekly_overdue = |today: &str| {
        items(&e.agenda(today), "overdue", LIFTED)
            .iter()
            .any(|i| i["role"] == "class-teacher" && i["cadence"] == "weekly")
    };
    assert!(!weekly_overdue("2025-10-20"));
    let out = e.ok(
        "2025-10-01",
        &[
            "issue",
            "withdraw",
            "--term",
            T2,
            "--student",
            LIFTED,
            "--student",
            DOWN,
            "--reason",
            "wrong grades file",
            "--yes",
        ],
    );
    assert!(out.contains("reopened"), "{out}");
    for (s, before) in [LIFTED, DOWN].iter().zip(&t1) {
        assert_eq!(
            &e.open_obligations(s),
            before,
            "{s}: T1's obligations run again"
        );
    }
    assert_eq!(e.ended(LIFTED, "lifted"), 0);
    assert_eq!(e.ended(DOWN, "down"), 0);
    // The notice of the change T2 owed ends with it.
    assert!(e.ended(LIFTED, "withdrawn") > 0);
    // The weekly talk of T1 is due again: nobody talked to the student since.
    assert!(weekly_overdue("2025-10-20"));
    // Withdrawing T1 too leaves nothing open.
    e.ok(
        "2025-10-02",
        &[
            "issue",
            "withdraw",
            "--term",
            T1,
            "--student",
            LIFTED,
            "--reason",
            "x",
            "--yes",
        ],
    );
    assert!(e.open_obligations(LIFTED).is_empty());
}

#[test]
fn two_issues_at_once_give_one_set_of_warnings() {
    let e = Env::new();
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("yujing"))
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env("USER", "tester")
            .env_remove("YUJING_DB")
            .arg("--db")
            .arg(e.db())
            .args(["--today", "2025-03-03", "issue", "--term", T1, "--yes"])
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success() && b.status.success(), "{a:?} {b:?}");
    assert_eq!(
        e.count("SELECT count(*) FROM warnings WHERE tier != ''"),
        4,
        "one warning each for the 4 warned students"
    );
    assert_eq!(
        e.count(
            "SELECT count(*) FROM schedules x JOIN students s ON s.id = x.student \
             WHERE s.student_id = '2023000002' AND x.cadence = 'weekly' AND x.role = 'class-teacher'"
        ),
        1
    );
}

#[test]
fn contact_exemption_and_term_refusals_write_nothing() {
    let e = Env::new();
    e.issue(T1, "2025-03-03");
    const DAY: &str = "2025-03-05";
    // `log STUDENT --kind talk --date DATE` and more.
    let talk = |student: &'static str, date: &'static str, more: &[&str]| -> Vec<String> {
        ["log", student, "--kind", "talk", "--date", date]
            .iter()
            .chain(more)
            .map(|s| s.to_string())
            .collect()
    };
    let refused = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        e.refused(DAY, &args)
    };
    let ok = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        e.ok(DAY, &args).trim().to_string()
    };
    // The new contact's id, as `log --format json` gives it to scripts.
    let logged = |more: &[&str]| -> String {
        let mut args = talk(SAME, DAY, more);
        args.extend(["--format", "json"].map(String::from));
        let v: serde_json::Value = serde_json::from_str(&ok(args)).unwrap();
        v["contact_id"].to_string()
    };
    let id = logged(&[]);
    let before = e.state();
    // After today, by date; with a time, after now.
    let msg = refused(talk(SAME, "2025-03-06", &[]));
    assert!(msg.contains("schedule add"), "{msg}");
    let msg = refused(talk(SAME, "2025-03-05T23:59", &[]));
    assert!(msg.contains("schedule add"), "{msg}");
    // A note over 10,000 characters.
    let msg = refused(talk(SAME, DAY, &["--note", &"谈".repeat(10_001)]));
    assert!(msg.contains("10000") || msg.contains("10,000"), "{msg}");
    // A correction naming another student.
    let msg = refused(talk(UP, DAY, &["--corrects", &id]));
    assert!(msg.contains(SAME) && msg.contains(UP), "{msg}");
    assert_eq!(e.state(), before);
    // A correction of a contact already corrected: who, when, which id now.
    let fixed = logged(&["--note", "fixed", "--corrects", &id]);
    let before = e.state();
    let msg = refused(talk(SAME, DAY, &["--corrects", &id]));
    assert!(
        msg.contains(&yujing::os::real_login()) && msg.contains(&format!("--corrects {fixed}")),
        "{msg}"
    );
    assert!(!msg.contains("cannot read"), "{msg}");
    assert_eq!(e.state(), before);
    // --corrects with --next creates the agreed talk.
    ok(talk(
        SAME,
        DAY,
        &["--corrects", &fixed, "--next", "2025-03-12"],
    ));
    assert_eq!(
        e.count("SELECT count(*) FROM schedules WHERE source = 'manual' AND cadence = 'once:6'"),
        1
    );
    // Exemptions: not warned; twice.
    let exempt =
        |who: &str| ["exempt", "add", who, "--term", T1, "--reason", "leave"].map(String::from);
    let msg = e.refuses(DAY, &exempt(NEVER));
    assert!(msg.contains("not warned"), "{msg}");
    let before = e.state();
    let open = "SELECT count(*) FROM schedules s JOIN students t ON t.id = s.student \
                WHERE t.student_id = ?1 AND s.source = 'policy' AND s.ended_on IS NULL";
    assert!(e.count(&open.replace("?1", &format!("'{SAME}'"))) > 0);
    ok(exempt(SAME).to_vec());
    assert_ne!(e.state(), before);
    // The exemption ended the student's policy obligations (marked exempt); manual ones go on.
    assert_eq!(e.count(&open.replace("?1", &format!("'{SAME}'"))), 0);
    assert!(
        e.count(&format!(
            "SELECT count(*) FROM schedules s JOIN students t ON t.id = s.student \
             WHERE t.student_id = '{SAME}' AND s.end_change = 'exempt'"
        )) > 0
    );
    let msg = e.refuses(DAY, &exempt(SAME));
    assert!(msg.contains("already exempt"), "{msg}");
    // Term dates overlapping another term.
    let term_set = |t: &str, start: &str, end: &str| {
        ["term", "set", t, "--start", start, "--end", end].map(String::from)
    };
    ok(term_set(T2, "2025-02-20", "2025-07-10").to_vec());
    let msg = e.refuses(DAY, &term_set(T3, "2025-07-01", "2026-01-15"));
    assert!(msg.contains("overlaps") && msg.contains(T2), "{msg}");
}

#[test]
fn export_refuses_the_database_an_existing_file_and_a_missing_folder() {
    let e = Env::new();
    let db = e.db().display().to_string();
    let before = std::fs::read(e.db()).unwrap().len();
    let msg = e.refused(
        "2025-03-05",
        &["export", "workbook", "--out", &db, "--force"],
    );
    assert!(msg.contains("database"), "{msg}");
    assert_eq!(std::fs::read(e.db()).unwrap().len(), before);
    let wal = format!("{db}-wal");
    let msg = e.refused(
        "2025-03-05",
        &["export", "workbook", "--out", &wal, "--force"],
    );
    assert!(msg.contains("database"), "{msg}");

    let existing = e.dir.path().join("old.xlsx");
    std::fs::write(&existing, b"keep me").unwrap();
    let msg = e.refused(
        "2025-03-05",
        &[
            "export",
            "workbook",
            "--out",
            &existing.display().to_string(),
        ],
    );
    assert!(msg.contains("--force"), "{msg}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    let missing = e.dir.path().join("nope/out.xlsx");
    let msg = e.refused(
        "2025-03-05",
        &[
            "export",
            "workbook",
            "--out",
            &missing.display().to_string(),
        ],
    );
    assert!(
        msg.contains("nope") && msg.contains("does not exist"),
        "{msg}"
    );

    let msg = e.refused(
        "2025-03-05",
        &["export", "workbook", "--out", "/dev/null", "--force"],
    );
    assert!(msg.contains("not a regular file"), "{msg}");

    // --force replaces a regular file; the result is 0600.
    e.ok(
        "2025-03-05",
        &[
            "export",
            "workbook",
            "--out",
            &existing.display().to_string(),
            "--force",
        ],
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&existing).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn formula_and_escape_names_are_neutralised_in_csv_and_xlsx() {
    use calamine::{Data, Reader};
    let e = Env::new();
    // A contact note with an escape sequence, for the contact sheet.
    e.ok(
        "2025-09-10",
        &[
            "log",
            NEW,
            "--kind",
            "talk",
            "--date",
            "2025-09-10",
            "--note",
            "=1+1 \u{1b}[31mred\u{1b}[0m",
        ],
    );
    let csv = e.ok("2025-09-10", &["evaluate", "--term", T2, "--format", "csv"]);
    assert!(!csv.contains('\u{1b}'));
    let line = csv
        .lines()
        .find(|l| l.starts_with(NEW))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(line.contains("'=HYPERLINK"), "{line}");

    let (mut wb, _) = e.workbook();
    let names = wb.sheet_names().to_vec();
    let mut seen_name = false;
    let mut seen_note = false;
    for n in &names {
        let range = wb.worksheet_range(n).unwrap();
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                assert!(!s.contains('\u{1b}'), "{n}: {s:?}");
                seen_name |= s.starts_with("=HYPERLINK");
                seen_note |= s.starts_with("=1+1 red");
            }
        }
        let formulas = wb.worksheet_formula(n).unwrap();
        assert!(
            formulas.used_cells().all(|c| c.2.is_empty()),
            "{n}: no cell is a formula"
        );
    }
    assert!(seen_name && seen_note, "written as text, as they are");
}

#[test]
fn the_failed_courses_sheet_lists_every_course_still_failed() {
    use calamine::Reader;
    let e = Env::new();
    let (mut wb, _) = e.workbook();
    let range = wb.worksheet_range("Failed courses").unwrap();
    let codes = |student: &str| -> Vec<String> {
        range
            .rows()
            .filter(|r| r[0] == student)
            .map(|r| r[3].to_string())
            .collect()
    };
    // Orange by 4 outstanding courses: all four are listed (T1's two and T2's two).
    assert_eq!(codes(UP), vec!["C100", "C101", "C200", "C201"]);
    assert_eq!(codes(DOWN), vec!["C104", "C105"]);
    assert!(codes(LIFTED).is_empty(), "retaken and passed");
}

#[test]
fn text_over_the_excel_cell_limit_is_cut_and_named() {
    use calamine::Reader;
    let e = Env::new();
    e.ok(
        "2025-09-10",
        &["log", SAME, "--kind", "talk", "--date", "2025-09-10"],
    );
    // Written before the 10,000-character limit existed.
    e.sql()
        .execute("UPDATE contacts SET summary = ?1", [&"谈".repeat(40_000)])
        .unwrap();
    let (mut wb, err) = e.workbook();
    assert!(
        err.contains(SAME) && err.contains("Summary") && err.contains("32767"),
        "{err}"
    );
    let contacts = wb.worksheet_range("Contacts").unwrap();
    let cell = contacts.get_value((1, 7)).unwrap().to_string();
    assert_eq!(cell.chars().count(), 32_767);
    assert!(cell.ends_with('…'));
}

#[test]
fn command_output_never_carries_escapes_from_a_file() {
    let e = Env::new();
    let bad = e.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "学号,学年,学期,课程代码,课程名称,课程性质,考核方式,学分,成绩,成绩性质\n\
         2023000001,2024-2025,1,C900,课程,必修,考试,2,\u{1b}]0;pwned\u{7}\u{1b}[2J九十,正常考试\n",
    )
    .unwrap();
    let run = e
        .cmd("2025-03-05")
        .args(["import", "grades"])
        .arg(&bad)
        .assert()
        .code(1);
    let out = run.get_output();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("九十"), "the value is still named: {text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
}

#[test]
fn reissuing_an_earlier_term_with_force_never_doubles_a_weekly_talk() {
    let e = Env::issued_t1_and_t2();
    let out = e.ok(
        "2025-09-15",
        &[
            "issue",
            "--term",
            T1,
            "--date",
            "2025-09-15",
            "--force",
            "--yes",
        ],
    );
    assert!(out.contains("issued"), "{out}");
    for s in [SAME, UP, DOWN, NEW, LIFTED] {
        assert!(weekly_class_teacher(&e.open_obligations(s)) <= 1, "{s}");
    }
    assert_eq!(
        weekly_class_teacher(&e.open_obligations(LIFTED)),
        1,
        "warned again by T1"
    );
}
