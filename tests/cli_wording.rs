//! Issue 15: what the commands say, in the language asked for. A success says what it did on
//! stdout (and `--format json` gives scripts one object with the new ids); an error says what
//! the user did wrong; both follow `--lang`, checked here for each command under zh and en.

mod common;

use common::{Env, sample};
use serde_json::Value;

const TERM: &str = "2024-2025-1";
/// Issue day, and the day every later command runs on.
const ISSUED: &str = "2025-03-01";
const LATER: &str = "2025-07-01";

struct Setup {
    e: Env,
    /// A student warned for TERM, with their name.
    warned: (String, String),
    /// A student not warned for TERM.
    calm: String,
    /// What `issue --format json` printed.
    issue: Value,
}

fn setup() -> Setup {
    let e = Env::new();
    e.ok(&[
        "--today",
        ISSUED,
        "import",
        "students",
        &sample("students.csv"),
    ]);
    e.ok(&["--today", ISSUED, "import", "grades", &sample("grades.csv")]);
    e.ok(&["--today", ISSUED, "policy", "use", "hntou"]);
    let (out, err) = e.ok2(&[
        "--today", ISSUED, "--term", TERM, "issue", "--yes", "--format", "json",
    ]);
    // One object on stdout; the preview went to stderr.
    let issue: Value = serde_json::from_str(&out).expect("issue --format json: one object");
    assert!(err.contains(TERM), "{err}");
    let evals = e.json(&["--today", LATER, "--term", TERM]);
    let warned = evals
        .iter()
        .find(|o| !o["tier"].is_null())
        .map(|o| {
            (
                o["student_id"].as_str().unwrap().to_string(),
                o["name"].as_str().unwrap().to_string(),
            )
        })
        .expect("a warned student");
    let calm = evals
        .iter()
        .find(|o| o["tier"].is_null() && o["status"].as_array().is_none_or(Vec::is_empty))
        .map(|o| o["student_id"].as_str().unwrap().to_string())
        .expect("a student not warned");
    Setup {
        e,
        warned,
        calm,
        issue,
    }
}

impl Setup {
    fn ok(&self, lang: &str, args: &[&str]) -> String {
        let mut a = vec!["--lang", lang, "--today", LATER];
        a.extend_from_slice(args);
        self.e.ok(&a)
    }
    fn fails(&self, lang: &str, args: &[&str]) -> String {
        let mut a = vec!["--lang", lang, "--today", LATER];
        a.extend_from_slice(args);
        self.e.fails(&a)
    }
    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        serde_json::from_str(&self.ok("en", &a)).expect("one JSON object")
    }
}

/// The number after the first `#` in `s`.
fn number_after_hash(s: &str) -> String {
    s.split('#')
        .nth(1)
        .map(|t| t.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default()
}

#[test]
fn issue_json_gives_counts_and_new_warning_ids_by_change() {
    let s = setup();
    let v = &s.issue;
    assert_eq!(v["term"], TERM);
    assert_eq!(v["policy"], "hntou");
    let changes = v["changes"].as_object().expect("changes by id");
    assert!(changes.contains_key("new"), "{v}");
    let all: Vec<&Value> = changes
        .values()
        .flat_map(|ps| ps.as_array().expect("students of a change"))
        .collect();
    let tiered = all.iter().filter(|w| w["tier"] != "").count();
    assert_eq!(v["warnings"].as_u64(), Some(tiered as u64), "{v}");
    assert!(v["schedules_created"].as_u64().unwrap() > 0, "{v}");
    let mut ids: Vec<i64> = all
        .iter()
        .map(|w| w["warning_id"].as_i64().expect("a warning id"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "one warning row per student");
    assert!(all.iter().any(|w| w["student_id"] == s.warned.0.as_str()));
    // Issued again: nothing changes, and scripts still get one object saying so.
    let again = s.json(&["--term", TERM, "issue", "--yes"]);
    assert_eq!(again["warnings"], 0);
    assert_eq!(again["changes"], serde_json::json!({}));
}

#[test]
fn successes_say_what_they_did_in_the_chosen_language() {
    let s = setup();
    let (id, name) = (&s.warned.0, &s.warned.1);
    let who = format!("{name} ({id})");
    for lang in ["zh", "en"] {
        let zh = lang == "zh";
        // log
        let out = s.ok(lang, &["log", id, "--kind", "talk", "--note", "n"]);
        let said = if zh {
            out.starts_with(&format!("已记录 {who} 的谈话 #"))
        } else {
            out.starts_with("Logged talk #") && out.contains(&format!("with {who}"))
        };
        assert!(said, "{lang}: {out}");
        let logged = number_after_hash(&out);
        let out = s.ok(
            lang,
            &[
                "log",
                id,
                "--kind",
                "talk",
                "--corrects",
                &logged,
                "--next",
                "+7d",
            ],
        );
        let said = if zh {
            out.contains(&format!("已更正 {who} 的谈话 #{logged}")) && out.contains("已安排")
        } else {
            out.contains(&format!("Corrected talk #{logged} with {who}"))
                && out.contains("Next talk scheduled")
        };
        assert!(said, "{lang}: {out}");
        // schedule add and cancel
        let added = s.ok(
            lang,
            &[
                "schedule", "add", id, "--kind", "tutoring", "--every", "monthly", "--from",
                "today",
            ],
        );
        let sid = number_after_hash(&added);
        assert!(added.contains(&who), "{lang}: {added}");
        let out = s.ok(lang, &["schedule", "cancel", &sid]);
        let said = if zh {
            out.starts_with(&format!("已取消日程 #{sid}")) && out.contains("学业辅导")
        } else {
            out.starts_with(&format!("Cancelled schedule #{sid}")) && out.contains("tutoring")
        };
        assert!(said, "{lang}: {out}");
        // exempt add and lift
        let out = s.ok(
            lang,
            &["--term", TERM, "exempt", "add", id, "--reason", "leave"],
        );
        let said = if zh {
            out.starts_with(&format!("已为 {who} 办理 {TERM} 免于跟进 #")) && out.contains("休学")
        } else {
            out.starts_with(&format!("Exempted {who} for {TERM}: exemption #"))
                && out.contains("leave of absence")
        };
        assert!(said, "{lang}: {out}");
        let eid = number_after_hash(&out);
        let out = s.ok(lang, &["exempt", "lift", &eid]);
        let said = if zh {
            out.starts_with(&format!("已撤销 {who} 在 {TERM} 的免于跟进 #{eid}"))
        } else {
            out.starts_with(&format!("Lifted exemption #{eid} of {who} for {TERM}"))
        };
        assert!(said, "{lang}: {out}");
    }
}

#[test]
fn json_successes_give_scripts_the_new_ids() {
    let s = setup();
    let id = s.warned.0.as_str();
    let log = s.json(&["log", id, "--kind", "talk"]);
    assert_eq!(log["student_id"], id);
    let contact = log["contact_id"].as_i64().expect("contact_id");
    let fix = s.json(&[
        "log",
        id,
        "--kind",
        "talk",
        "--corrects",
        &contact.to_string(),
    ]);
    assert_eq!(fix["corrects"].as_i64(), Some(contact));
    assert!(fix["contact_id"].as_i64().unwrap() > contact);
    let ex = s.json(&["--term", TERM, "exempt", "add", id, "--reason", "exchange"]);
    assert_eq!(ex["student_id"], id);
    assert_eq!(ex["term"], TERM);
    let exemption = ex["exemption_id"].as_i64().expect("exemption_id");
    let out = s.ok("en", &["exempt", "lift", &exemption.to_string()]);
    assert!(out.contains(&format!("#{exemption}")), "{out}");
}

#[test]
fn errors_say_what_the_user_did_wrong_in_the_chosen_language() {
    let s = setup();
    let id = s.warned.0.as_str();
    let before = common::dump(&s.e.db());
    let expect = |lang: &str, args: &[&str], zh: &str, en: &str| {
        let err = s.fails(lang, args);
        let want = if lang == "zh" { zh } else { en };
        assert!(err.contains(want), "{lang} {args:?}: {err}");
        assert!(!err.contains("cannot read"), "{lang} {args:?}: {err}");
    };
    let nowhere = s.e.dir.path().join("no-such-folder").join("x.xlsx");
    let nowhere = nowhere.display().to_string();
    for lang in ["zh", "en"] {
        expect(
            lang,
            &["log", id, "--kind", "chat"],
            "未知的类型 'chat'",
            "unknown kind 'chat'",
        );
        expect(
            lang,
            &["log", id, "--kind", "talk", "--date", "soon"],
            "不是日期：'soon'",
            "not a date: 'soon'",
        );
        expect(
            lang,
            &["log", id, "--kind", "talk", "--date", "2025-02-30"],
            "没有这一天：'2025-02-30'（2025-02 只有 28 天）",
            "no such date: '2025-02-30' (2025-02 has 28 days)",
        );
        expect(
            lang,
            &["report", "--term", TERM, "--against", "2000-2001-1"],
            "须是 ",
            "must be a term after",
        );
        expect(
            lang,
            &["--term", "2024", "evaluate"],
            "不是学期：'2024'",
            "not a term: '2024'",
        );
        expect(
            lang,
            &["export", "workbook", "--out", &nowhere],
            "no-such-folder：文件夹不存在",
            "no-such-folder: the folder does not exist",
        );
        expect(
            lang,
            &["issue", "withdraw", "--reason", "x"],
            "issue withdraw 须写 --term",
            "issue withdraw needs --term",
        );
        expect(
            lang,
            &["log", id, "--kind", "talk", "--corrects", "999"],
            "没有编号为 999 的谈话记录",
            "no contact 999",
        );
        expect(
            lang,
            &["log", "2099999999", "--kind", "talk"],
            "没有学号为 2099999999 的学生",
            "unknown student id '2099999999'",
        );
        expect(
            lang,
            &["schedule", "list", "2099999999"],
            "没有学号为 2099999999 的学生",
            "no student with id 2099999999",
        );
        expect(
            lang,
            &["schedule", "cancel", "999"],
            "没有生效中的日程 #999",
            "no schedule #999 in force",
        );
        expect(
            lang,
            &["exempt", "lift", "999"],
            "没有生效中的免于跟进 #999",
            "no exemption #999 in force",
        );
        expect(
            lang,
            &[
                "--term", TERM, "exempt", "add", &s.calm, "--reason", "leave",
            ],
            "没有预警",
            "not warned",
        );
    }
    // A file without the columns, a header twice, or no file at all: said in the language asked for.
    let nocol = s.e.file("nocol.csv", "学号,姓名\n1,张三\n".as_bytes());
    let dup = s.e.file(
        "dup.csv",
        "学号,学年学期,课程代码,学分,成绩,成绩\n1,2024-2025-1,C,1,50,60\n".as_bytes(),
    );
    let missing = s.e.dir.path().join("none.csv").display().to_string();
    for lang in ["zh", "en"] {
        expect(
            lang,
            &["import", "grades", &nocol],
            "缺少必需的列 学年学期",
            "missing required column 学年学期",
        );
        expect(
            lang,
            &["import", "grades", &dup],
            "第 1 行：E 列和 F 列的表头都是 '成绩'",
            "line 1: columns E and F are both headed '成绩'",
        );
        expect(
            lang,
            &["import", "grades", &missing],
            "文件或文件夹不存在",
            "No such file or directory",
        );
    }
    // A bad row names file, line, column and value, and why, in the language asked for.
    let bad = common::fixture("cli", "grades_bad_result.csv");
    let err = s.fails("zh", &["import", "grades", &bad]);
    assert!(err.contains(": 列 成绩: 值 '九十': 不是成绩"), "{err}");
    let err = s.fails("en", &["import", "grades", &bad]);
    assert!(
        err.contains(": column 成绩: value '九十': not a result"),
        "{err}"
    );
    assert_eq!(common::dump(&s.e.db()), before, "a refusal writes nothing");
    // A missing file is named once; a missing folder is named, never the .part file.
    let missing = s.e.dir.path().join("nope.csv").display().to_string();
    let err = s.fails("en", &["import", "grades", &missing]);
    assert_eq!(err.matches("nope.csv").count(), 1, "{err}");
    let folder = s.e.dir.path().join("no-such-folder");
    let out = folder.join("x.xlsx").display().to_string();
    let err = s.fails("en", &["export", "workbook", "--out", &out]);
    assert!(
        err.contains("no-such-folder") && !err.contains(".part"),
        "{err}"
    );
}

#[test]
fn report_speaks_the_language_and_json_keeps_ids_beside_labels() {
    let s = setup();
    let (id, name) = (&s.warned.0, &s.warned.1);
    let zh = s.ok("zh", &["report", "--term", TERM]);
    let en = s.ok("en", &["report", "--term", TERM]);
    for t in [&zh, &en] {
        let line = t.lines().find(|l| l.starts_with(id.as_str())).expect("row");
        assert!(
            line.contains(name.as_str()),
            "the name beside the id: {line}"
        );
    }
    assert!(zh.contains("级预警") && !zh.contains("Level "), "{zh}");
    let en_rows: Vec<&str> = en
        .lines()
        .filter(|l| l.starts_with(&id[..4]) && !l.starts_with(TERM))
        .collect();
    assert!(!en_rows.is_empty(), "{en}");
    assert!(
        en_rows.iter().all(|l| l.contains("Level ")),
        "tiers in words: {en}"
    );
    for (lang, han) in [("zh", true), ("en", false)] {
        let r: Value =
            serde_json::from_str(&s.ok(lang, &["report", "--term", TERM, "--format", "json"]))
                .unwrap();
        let st = r["students"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["student_id"] == id.as_str())
            .expect("the warned student");
        assert!(st["tier"].as_str().unwrap().starts_with("level"), "{st}");
        for label in ["tier_label", "change_label"] {
            let l = st[label].as_str().expect(label);
            let has_han = l.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert_eq!(has_han, han, "{lang} {label}: {l}");
        }
        let change = st["change"].as_str().unwrap();
        assert!(change.is_ascii() && !change.contains(' '), "{change}");
        assert!(r["by_tier"][0]["key_label"].is_string(), "{r}");
    }
}

#[test]
fn workbook_headers_and_words_follow_the_language() {
    use calamine::{Reader, Xlsx, open_workbook};
    let s = setup();
    let id = s.warned.0.as_str();
    s.ok(
        "en",
        &[
            "log",
            id,
            "--kind",
            "parent-contact",
            "--role",
            "class-teacher",
        ],
    );
    for (lang, sheet, head, kind, role) in [
        ("zh", "联系记录", "时间", "联系家长", "班主任"),
        ("en", "Contacts", "At", "parent contact", "class teacher"),
    ] {
        let file = s.e.dir.path().join(format!("{lang}.xlsx"));
        let path = file.display().to_string();
        s.ok(
            lang,
            &["--term", TERM, "export", "workbook", "--out", &path],
        );
        let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
        let range = wb.worksheet_range(sheet).unwrap();
        assert_eq!(range.get_value((0, 0)).unwrap().to_string(), head);
        let row: Vec<String> = range
            .rows()
            .nth(1)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!((row[2].as_str(), row[3].as_str()), (kind, role), "{row:?}");
        // Constant-memory rows are still text: a student id keeps its digits as written.
        let first = wb.worksheet_range(wb.sheet_names()[0].as_str()).unwrap();
        let cell = first.get_value((1, 0)).unwrap();
        assert!(
            matches!(cell, calamine::Data::String(_)),
            "student id stored as text: {cell:?}"
        );
    }
}

#[test]
fn help_names_each_commands_own_term_in_both_languages() {
    let s = setup();
    for (lang, place, term) in [
        ("zh", "地点", "免于跟进的学期"),
        ("en", "Where it happened", "Term of the exemption"),
    ] {
        let log = s.ok(lang, &["log", "--help"]);
        assert!(log.contains(place), "{log}");
        assert!(!log.contains("--term"), "log takes no term: {log}");
        let add = s.ok(lang, &["exempt", "add", "--help"]);
        assert!(add.contains(term), "{add}");
        // clap's own frame speaks the language too: usage line, headings, the help flag.
        let frame = ["用法：", "选项", "参数", "显示帮助"];
        let english = ["Usage:", "Options:", "Arguments:", "Print help"];
        let (want, not) = if lang == "zh" {
            (frame, english)
        } else {
            (english, frame)
        };
        for (w, n) in want.iter().zip(not) {
            assert!(add.contains(w) && !add.contains(n), "{lang}: {add}");
        }
    }
    // exempt add needs its term.
    s.e.cmd()
        .args(["exempt", "add", s.warned.0.as_str(), "--reason", "leave"])
        .assert()
        .code(2);
}

#[test]
fn an_obligations_note_reads_in_the_readers_language_whoever_issued_it() {
    // The warnings were issued under an English locale; a Chinese reader still reads the
    // policy's follow-up in Chinese, in the schedule list and the agenda alike.
    let s = setup();
    let id = s.warned.0.as_str();
    let policy = yujing::policy_file::resolve("hntou").unwrap().0;
    let en =
        s.e.ok(&["--today", LATER, "--lang", "en", "schedule", "list", id]);
    let zh =
        s.e.ok(&["--today", LATER, "--lang", "zh", "schedule", "list", id]);
    let agenda_zh = s.e.ok(&["--today", LATER, "--lang", "zh", "agenda"]);
    let shown: Vec<_> = policy
        .followups
        .iter()
        .filter(|f| en.contains(f.en.as_str()))
        .collect();
    assert!(!shown.is_empty(), "no follow-up of hntou in:\n{en}");
    for f in shown {
        assert!(
            zh.contains(f.zh.as_str()) && !zh.contains(f.en.as_str()),
            "{zh}"
        );
        assert!(!agenda_zh.contains(f.en.as_str()), "{agenda_zh}");
    }
}
