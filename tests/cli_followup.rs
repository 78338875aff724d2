//! The follow-up CLI contract: log, schedule, contacts, agenda, term, issue, exempt.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

struct Env {
    dir: TempDir,
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/samples")
        .join(name)
        .display()
        .to_string()
}

const S: &str = "2022000000";

impl Env {
    fn new() -> Env {
        let e = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        e.ok(
            "2025-09-01",
            &["import", "students", &sample("students.csv")],
        );
        e
    }
    fn cmd(&self, today: &str) -> Command {
        let mut c = Command::cargo_bin("yujing").unwrap();
        c.env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env("USER", "tester")
            .env_remove("YUJING_DB");
        c.arg("--db")
            .arg(self.dir.path().join("t.db"))
            .arg("--today")
            .arg(today);
        c
    }
    fn ok(&self, today: &str, args: &[&str]) -> String {
        String::from_utf8(
            self.cmd(today)
                .args(args)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone(),
        )
        .unwrap()
    }
    fn agenda(&self, today: &str) -> Value {
        serde_json::from_str(&self.ok(today, &["agenda", "--format", "json"])).unwrap()
    }
    fn contacts(&self, extra: &[&str]) -> Vec<Value> {
        let mut a = vec!["contacts", "--format", "json"];
        a.extend_from_slice(extra);
        serde_json::from_str(&self.ok("2025-12-01", &a)).unwrap()
    }
    fn schedule(&self, every: &str, from: &str, extra: &[&str]) -> i64 {
        let mut a = vec![
            "schedule", "add", S, "--kind", "talk", "--every", every, "--from", from, "--format",
            "json",
        ];
        a.extend_from_slice(extra);
        let out: Value = serde_json::from_str(&self.ok(from, &a)).expect("json");
        assert_eq!(out["student_id"], S);
        out["schedule_id"]
            .as_i64()
            .expect("schedule add --format json gives the id")
    }
}

#[test]
fn bad_log_input_is_an_error_and_writes_nothing() {
    let e = Env::new();
    for (args, msg) in [
        (
            vec![
                "log",
                "2099999999",
                "--kind",
                "talk",
                "--date",
                "2025-09-02",
            ],
            "unknown student id '2099999999'",
        ),
        (
            vec!["log", S, "--kind", "talk", "--date", "2025-02-30"],
            "2025-02-30",
        ),
        (
            vec!["log", S, "--kind", "chat", "--date", "2025-09-02"],
            "unknown kind 'chat'",
        ),
        (
            vec![
                "log",
                S,
                "--kind",
                "talk",
                "--date",
                "2025-09-02",
                "--role",
                "dean",
            ],
            "unknown role 'dean'",
        ),
    ] {
        e.cmd("2025-09-03")
            .args(&args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(msg));
    }
    assert!(e.contacts(&[]).is_empty());
}

#[test]
fn weekly_overdue_then_met_by_a_logged_talk() {
    let e = Env::new();
    let id = e.schedule("weekly", "2025-09-01", &["--role", "counsellor"]);
    // Wed 17 Sep: weeks of 1 and 8 Sep ended unmet; the earliest is counted from Sun 7 Sep.
    let a = e.agenda("2025-09-17");
    let o = &a["overdue"][0];
    assert_eq!(
        (
            o["schedule_id"].as_i64(),
            o["days_overdue"].as_i64(),
            o["missed"].as_i64()
        ),
        (Some(id), Some(10), Some(2))
    );
    assert_eq!(
        (
            o["student_id"].as_str(),
            o["kind"].as_str(),
            o["role"].as_str(),
            o["cadence"].as_str()
        ),
        (Some(S), Some("talk"), Some("counsellor"), Some("weekly"))
    );
    // A talk by someone else in another role does not count.
    e.ok(
        "2025-09-17",
        &[
            "log",
            S,
            "--kind",
            "talk",
            "--date",
            "2025-09-10T15:30",
            "--role",
            "class-teacher",
        ],
    );
    assert_eq!(
        e.agenda("2025-09-17")["overdue"].as_array().unwrap().len(),
        1
    );
    e.ok(
        "2025-09-17",
        &[
            "log",
            S,
            "--kind",
            "talk",
            "--date",
            "2025-09-10",
            "--role",
            "counsellor",
            "--with",
            "both",
            "--channel",
            "phone",
            "--note",
            "谈了补考安排",
        ],
    );
    let a = e.agenda("2025-09-17");
    assert!(a["overdue"].as_array().unwrap().is_empty(), "{a}");
    // Due by the end of this week (Sun 21 Sep): upcoming.
    assert_eq!(a["upcoming"][0]["due"], "2025-09-21");
    let contacts = e.contacts(&[S]);
    let c = contacts.iter().find(|c| c["role"] == "counsellor").unwrap();
    assert_eq!(
        (
            c["kind"].as_str(),
            c["role"].as_str(),
            c["with_whom"].as_str(),
            c["channel"].as_str(),
            c["author"].as_str()
        ),
        (
            Some("talk"),
            Some("counsellor"),
            Some("both"),
            Some("phone"),
            // The author is the real uid's login, not the $USER the test sets.
            Some(yujing::os::real_login().as_str())
        )
    );
    assert_eq!(c["summary"], "谈了补考安排");
}

/// A cadence is typed as views show it, in either language, and stored as its id.
#[test]
fn a_cadence_is_typed_in_the_words_views_show() {
    let e = Env::new();
    for (typed, id) in [
        ("每周", "weekly"),
        ("每14天", "days:14"),
        ("每学期至少3次", "term:3"),
        ("every 10 days", "days:10"),
    ] {
        let sid = e.schedule(typed, "2025-09-01", &[]);
        let a = e.agenda("2025-12-01");
        let row = a["overdue"]
            .as_array()
            .into_iter()
            .chain(a["upcoming"].as_array())
            .flatten()
            .find(|r| r["schedule_id"].as_i64() == Some(sid))
            .unwrap_or_else(|| panic!("schedule {sid} ({typed}) on the agenda: {a}"));
        assert_eq!(row["cadence"], id, "{typed}");
    }
}

#[test]
fn term_k_uses_the_recorded_term_dates() {
    let e = Env::new();
    e.ok(
        "2025-09-01",
        &[
            "term",
            "set",
            "2025-2026-1",
            "--start",
            "2025-09-01",
            "--end",
            "2026-01-16",
        ],
    );
    e.schedule("term:2", "2025-09-01", &[]);
    // L = 138 days; the first talk is due by S + 69 - 1 = 8 Nov.
    let a = e.agenda("2025-11-20");
    assert_eq!(
        (
            a["overdue"][0]["due"].as_str(),
            a["overdue"][0]["days_overdue"].as_i64()
        ),
        (Some("2025-11-08"), Some(12))
    );
    e.ok(
        "2025-11-20",
        &["log", S, "--kind", "talk", "--date", "2025-11-19"],
    );
    let a = e.agenda("2025-11-20");
    assert!(a["overdue"].as_array().unwrap().is_empty());
}

#[test]
fn once_is_due_today_then_overdue_and_next_talk_schedules_one() {
    let e = Env::new();
    e.schedule("once:14", "2025-09-01", &[]);
    assert_eq!(e.agenda("2025-09-10")["upcoming"][0]["due"], "2025-09-15");
    assert_eq!(e.agenda("2025-09-15")["due_today"][0]["due"], "2025-09-15");
    assert_eq!(e.agenda("2025-09-18")["overdue"][0]["days_overdue"], 3);
    e.ok(
        "2025-09-18",
        &[
            "log",
            S,
            "--kind",
            "talk",
            "--date",
            "2025-09-18",
            "--next",
            "2025-09-25",
        ],
    );
    let a = e.agenda("2025-09-18");
    assert!(a["overdue"].as_array().unwrap().is_empty());
    assert_eq!(
        a["upcoming"][0]["due"], "2025-09-25",
        "the agreed next talk is on the agenda: {a}"
    );
}

#[test]
fn a_correction_keeps_the_earlier_version() {
    let e = Env::new();
    let id = e.ok(
        "2025-09-02",
        &[
            "log",
            S,
            "--kind",
            "talk",
            "--date",
            "2025-09-02",
            "--note",
            "first",
            "--format",
            "json",
        ],
    );
    let id: Value = serde_json::from_str(&id).unwrap();
    let id = id["contact_id"].to_string();
    e.ok(
        "2025-09-02",
        &[
            "log",
            S,
            "--kind",
            "talk",
            "--date",
            "2025-09-02",
            "--note",
            "fixed",
            "--corrects",
            &id,
        ],
    );
    let now = e.contacts(&[S]);
    assert_eq!(now.len(), 1);
    assert_eq!(now[0]["summary"], "fixed");
    let all = e.contacts(&[S, "--history"]);
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .any(|c| c["summary"] == "first" && !c["superseded_by"].is_null())
    );
}

#[test]
fn issue_creates_obligations_exemption_stops_them_and_reissue_is_idempotent() {
    let e = Env::new();
    e.ok("2025-03-01", &["import", "grades", &sample("grades.csv")]);
    e.ok("2025-03-01", &["policy", "use", "hljjz"]);
    let out = e.ok(
        "2025-03-01",
        &[
            "issue",
            "--term",
            "2024-2025-2",
            "--date",
            "2025-03-01",
            "--yes",
        ],
    );
    assert!(out.contains("issued"), "{out}");
    let warned: Vec<String> =
        serde_json::from_str::<Vec<Value>>(&e.ok("2025-03-01", &["evaluate", "--format", "json"]))
            .unwrap()
            .into_iter()
            .filter(|o| !o["tier"].is_null())
            .map(|o| o["student_id"].as_str().unwrap().to_string())
            .collect();
    assert!(!warned.is_empty());
    let a = e.agenda("2025-03-20");
    let overdue_students: std::collections::BTreeSet<&str> = a["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["student_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        overdue_students.len(),
        warned.len(),
        "every warned student owes weekly talks by now"
    );
    // Unchanged warnings: nothing to re-issue.
    let again = e.ok("2025-03-02", &["issue", "--term", "2024-2025-2"]);
    assert!(again.contains("unchanged"), "{again}");
    // Exempting one stops that student's obligations.
    let who = &warned[0];
    e.ok(
        "2025-03-20",
        &[
            "exempt",
            "add",
            who,
            "--term",
            "2024-2025-2",
            "--reason",
            "leave",
            "--note",
            "休学一年",
        ],
    );
    let a = e.agenda("2025-03-20");
    assert!(
        a["overdue"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["student_id"] != who.as_str())
    );
}

#[test]
fn term_end_report_counts_who_came_off_the_list() {
    let e = Env::new();
    e.ok("2025-03-01", &["import", "grades", &sample("grades.csv")]);
    e.ok("2025-03-01", &["policy", "use", "hntou"]);
    e.ok(
        "2025-03-01",
        &[
            "issue",
            "--term",
            "2024-2025-1",
            "--date",
            "2025-03-01",
            "--yes",
        ],
    );
    let tiers = |t: &str| -> std::collections::HashMap<String, Value> {
        serde_json::from_str::<Vec<Value>>(
            &e.ok("2025-07-01", &["evaluate", "--format", "json", "--term", t]),
        )
        .unwrap()
        .into_iter()
        .map(|o| {
            (
                o["student_id"].as_str().unwrap().to_string(),
                o["tier"].clone(),
            )
        })
        .collect()
    };
    let (before, after) = (tiers("2024-2025-1"), tiers("2024-2025-2"));
    let warned: Vec<&String> = before
        .iter()
        .filter(|(_, t)| !t.is_null())
        .map(|(s, _)| s)
        .collect();
    let off = warned.iter().filter(|s| after[**s].is_null()).count();
    let r: Value = serde_json::from_str(&e.ok(
        "2025-07-01",
        &["report", "--term", "2024-2025-1", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(r["against"], "2024-2025-2");
    let t = &r["total"];
    assert_eq!(t["warned"].as_u64(), Some(warned.len() as u64));
    assert_eq!(t["changes"]["lifted"].as_u64(), Some(off as u64));
    let parts: u64 = t["changes"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(parts, warned.len() as u64);
    assert!(
        t["obligations"]["missed"].as_u64().unwrap() > 0
            && t["missed_periods"].as_u64().unwrap() > 0,
        "nobody logged the monthly helper talks"
    );
    assert!(r.get("off_the_list").is_none() && t["changes"].get("improved").is_none());
}

/// Issue 15: a success says what it did, names sit beside ids, words follow --lang, and an
/// unknown student is an error.
#[test]
fn schedule_commands_say_what_they_did_in_the_chosen_language() {
    let e = Env::new();
    let zh = e.ok(
        "2025-09-01",
        &[
            "--lang",
            "zh",
            "schedule",
            "add",
            S,
            "--kind",
            "talk",
            "--role",
            "class-teacher",
            "--every",
            "weekly",
            "--from",
            "2025-09-01",
        ],
    );
    assert!(
        zh.starts_with("已为 ") && zh.contains(&format!("({S})")),
        "{zh}"
    );
    assert!(zh.contains("班主任谈话") && zh.contains("每周"), "{zh}");
    let list = e.ok("2025-09-01", &["--lang", "zh", "schedule", "list"]);
    assert!(list.contains("班主任") && list.contains("每周"), "{list}");
    assert!(
        !list.contains("class-teacher") && !list.contains("weekly"),
        "{list}"
    );
    let en = e.ok("2025-09-01", &["--lang", "en", "schedule", "list"]);
    assert!(
        en.contains("class teacher") && en.contains("weekly"),
        "{en}"
    );
    let agenda = e.ok("2025-09-10", &["--lang", "en", "agenda"]);
    assert!(
        !agenda.contains("谈话") && !agenda.contains("班主任"),
        "{agenda}"
    );
    let cancelled = e.ok("2025-09-02", &["--lang", "en", "schedule", "cancel", "1"]);
    assert!(
        cancelled.starts_with("Cancelled schedule #1"),
        "{cancelled}"
    );
    for args in [
        &["--lang", "en", "schedule", "list", "999"][..],
        &["--lang", "en", "schedule", "cancel", "1"],
    ] {
        e.cmd("2025-09-02").args(args).assert().failure().code(1);
    }
}
