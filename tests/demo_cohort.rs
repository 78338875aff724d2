//! The bundled demo cohort, built by `yujing demo`, says what each scripted student was
//! written to show (src/synth/archetypes.rs): the engine must agree with every one, and the
//! demo must show every tier of every preset.

use std::collections::BTreeMap;
use std::path::PathBuf;

use assert_cmd::Command;
use yujing::db::Db;
use yujing::policy::evaluate;
use yujing::policy_file::resolve;

/// Archetype → "hljjz qzu lut-life hntou" tiers for 2024-2025-2 as policies.md reads them
/// (`-` none, `*` carried, `+status`), one entry per scripted behaviour.
const EXPECTED: &[(&str, &str)] = &[
    ("deferred_passed", "- - - -"),
    ("deferred_pending", "- - - -"),
    ("exempt", "- - - -"),
    (
        "hljjz_edge_coursework_not_orange",
        "yellow level3 written level1",
    ),
    (
        "hljjz_edge_deferred_not_orange",
        "yellow level2 written level1",
    ),
    ("hljjz_edge_practical_is_required", "yellow level3 - level1"),
    ("hljjz_edge_ten_credits", "- - - -"),
    (
        "hljjz_orange_exam_after_makeup",
        "orange level2 written level1",
    ),
    (
        "hljjz_orange_four_outstanding",
        "orange level2 written* level2+repeat_year",
    ),
    (
        "hljjz_red_credits_by_failures",
        "red level1 written level2+repeat_year",
    ),
    (
        "hljjz_red_five_after_makeup",
        "red level2 written level2+repeat_year",
    ),
    ("hljjz_red_light_load", "red - - -"),
    (
        "hljjz_red_six_outstanding",
        "red level1 written* level3+repeat_year",
    ),
    ("hljjz_yellow_flag_discipline", "yellow - - -"),
    ("hljjz_yellow_flag_psychological", "yellow - - -"),
    ("hljjz_yellow_flag_wellbeing", "yellow - - -"),
    (
        "hljjz_yellow_required_outstanding",
        "yellow level3 - level1",
    ),
    ("hntou_dismissal", "red level1 written* level3+dismissal"),
    (
        "hntou_edge_repeat_not_dismissal",
        "red level1 written* level3+repeat_year",
    ),
    ("hntou_level1_electives", "- level3 - level1"),
    ("hntou_level2_no_repeat", "orange level2 written* level2"),
    (
        "lut_carried_beats_new_notice",
        "yellow level2 written* level1",
    ),
    ("lut_carried_written", "yellow level2 written* level1"),
    ("lut_edge_two_cleared", "- - - -"),
    ("lut_lifted_by_retake", "- level3 - -"),
    ("lut_notice", "- - notice -"),
    ("lut_oral", "- level3 oral -"),
    ("lut_written", "- level3 written level1"),
    ("qzu_edge_absence_earlier_term", "- - - -"),
    ("qzu_edge_graduation_met_latest", "- - - -"),
    ("qzu_edge_six_credits", "yellow level3 written* level1"),
    ("qzu_edge_twelve_credits", "yellow level2 written* level1"),
    ("qzu_level1_absence_summed", "- level1 - -"),
    ("qzu_level1_credits", "yellow level1 written* level1"),
    ("qzu_level1_fitness_graduation", "- level1 - -"),
    ("qzu_level2_absence", "- level2 - -"),
    ("qzu_level2_credits", "yellow level2 written* level1"),
    ("qzu_level2_fitness", "- level2 - -"),
    ("qzu_level3_absence", "- level3 - -"),
    ("qzu_level3_credits", "- level3 - -"),
    ("qzu_level3_fitness", "- level3 - -"),
    ("retake_clears", "- - - -"),
    ("retake_fails_again", "- level3 - -"),
];

fn demo_db() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("yujing")
        .unwrap()
        .env("XDG_DATA_HOME", home.path())
        .env("HOME", home.path())
        .args(["demo", "--no-open"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let path = PathBuf::from(String::from_utf8(out).unwrap().trim());
    assert!(
        path.starts_with(home.path()),
        "the demo database lives in the data directory: {path:?}"
    );
    (home, path)
}

#[test]
fn every_archetype_gets_the_tiers_it_was_written_for() {
    let (_home, path) = demo_db();
    let db = Db::open(&path).unwrap();
    let term = db.newest_grade_term().unwrap().unwrap();
    assert_eq!(term.to_string(), "2024-2025-2");
    let facts = db.load_facts(term).unwrap();
    let policies: Vec<_> = ["hljjz", "qzu", "lut-life", "hntou"]
        .iter()
        .map(|p| resolve(p).unwrap().0)
        .collect();
    let mut got: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (id, name) in yujing_synth::demo_archetypes() {
        let f = facts.iter().find(|f| f.student_id == id).unwrap();
        let tiers: Vec<String> = policies
            .iter()
            .map(|p| {
                let e = evaluate(p, f, term);
                let status = e
                    .status
                    .first()
                    .map(|s| format!("+{s}"))
                    .unwrap_or_default();
                format!(
                    "{}{}{status}",
                    e.tier.unwrap_or_else(|| "-".into()),
                    if e.carried { "*" } else { "" }
                )
            })
            .collect();
        got.entry(name).or_default().push(tiers.join(" "));
    }
    for (name, want) in EXPECTED {
        let all = &got[name];
        assert!(
            all.iter().all(|t| t == want),
            "{name}: want {want}, got {all:?}"
        );
    }
    assert_eq!(got.len(), EXPECTED.len());
}

#[test]
fn every_command_works_on_the_demo_not_only_the_tui() {
    // Whoever builds the demo is its admin: reading commands must not refuse them as "not a
    // yujing user" (the TUI claims the database on opening; `demo --no-open` never opens it).
    let (home, path) = demo_db();
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("yujing")
            .unwrap()
            .env("XDG_CACHE_HOME", home.path())
            .env("LANG", "C.UTF-8")
            .arg("--db")
            .arg(&path)
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["evaluate", "--format", "json"])).unwrap();
    let warned: Vec<&str> = all
        .iter()
        .filter(|e| !e["tier"].is_null())
        .map(|e| e["student_id"].as_str().unwrap())
        .collect();
    assert!(warned.len() >= 12, "{} warned", warned.len());
    let agenda: serde_json::Value =
        serde_json::from_str(&run(&["agenda", "--format", "json"])).unwrap();
    assert!(agenda["overdue"].is_array(), "{agenda}");
    assert!(run(&["contacts", warned[0]]).contains(warned[0]));
}

#[test]
fn the_demo_shows_every_tier_of_every_preset_and_a_quiet_majority() {
    let (_home, path) = demo_db();
    let db = Db::open(&path).unwrap();
    assert_eq!(db.policy().unwrap().map(|p| p.0).as_deref(), Some("hljjz"));
    let term = db.newest_grade_term().unwrap().unwrap();
    let facts = db.load_facts(term).unwrap();
    for id in ["hljjz", "qzu", "lut-life", "hntou"] {
        let p = resolve(id).unwrap().0;
        let evals: Vec<_> = facts.iter().map(|f| evaluate(&p, f, term)).collect();
        for t in &p.tiers {
            let n = evals
                .iter()
                .filter(|e| e.tier.as_deref() == Some(&t.id))
                .count();
            assert!(n >= 3, "{id}: only {n} students on {}", t.id);
        }
        let quiet = evals.iter().filter(|e| e.tier.is_none()).count();
        assert!(
            quiet * 2 > evals.len(),
            "{id}: most students are not warned"
        );
    }
}

/// Issue 15: `demo` writes only where that loses nothing: a new `--db` file or an earlier
/// demo; never `YUJING_DB`; anything else is refused, naming the file, and left as it was.
#[test]
fn demo_writes_only_where_it_is_safe() {
    let home = tempfile::tempdir().unwrap();
    let demo = |args: &[&str]| {
        let mut c = Command::cargo_bin("yujing").unwrap();
        c.env("XDG_DATA_HOME", home.path())
            .env("HOME", home.path())
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .args(args);
        c
    };
    // Somebody's real data: not a demo database, so refused and untouched.
    let real = home.path().join("real.db");
    std::fs::write(&real, b"precious").unwrap();
    let out = demo(&["--db", real.to_str().unwrap(), "demo", "--no-open"])
        .assert()
        .failure()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("real.db") && err.contains("not a demo database"),
        "{err}"
    );
    assert_eq!(std::fs::read(&real).unwrap(), b"precious");
    assert!(!home.path().join("real.db-wal").exists());
    // A new file: built there, and built again there (it is a demo now).
    let mine = home.path().join("mine.db");
    for _ in 0..2 {
        let out = demo(&["--db", mine.to_str().unwrap(), "demo", "--no-open"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(PathBuf::from(String::from_utf8(out).unwrap().trim()), mine);
    }
    // YUJING_DB names the real data on a server: demo never goes there.
    let out = demo(&["demo", "--no-open"])
        .env("YUJING_DB", &real)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let built = PathBuf::from(String::from_utf8(out).unwrap().trim());
    assert_ne!(built, real);
    assert_eq!(std::fs::read(&real).unwrap(), b"precious");
}
