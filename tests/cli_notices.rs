//! Notices through the CLI: drafts, approval and numbering, supersession, printing (DOCX read
//! back), receipts with the clocks moved by --today, templates, talk records, plans, confirm.

use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const TERM: &str = "2024-2025-2";
const RED: &str = "2022000001"; // hljjz: red (credits earned < 10)
const PSYCH: &str = "2022000037"; // hljjz: yellow from a psychological flag only

fn fixture(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(p)
        .display()
        .to_string()
}

struct Env {
    dir: TempDir,
}

impl Env {
    fn new(policy: &str) -> Env {
        let e = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        e.ok(
            "2025-03-01",
            &["import", "students", &fixture("notices/students.csv")],
        );
        e.ok(
            "2025-03-01",
            &["import", "grades", &fixture("notices/grades.csv")],
        );
        e.ok(
            "2025-03-01",
            &["import", "flags", &fixture("notices/flags.csv")],
        );
        e.ok("2025-03-01", &["policy", "use", policy]);
        e.ok("2025-03-01", &["issue", "--term", TERM, "--yes"]);
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
            .env_remove("YUJING_DB");
        c.arg("--db").arg(self.db()).arg("--today").arg(today);
        c
    }
    fn ok(&self, today: &str, args: &[&str]) -> String {
        let out = self.cmd(today).args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
    fn fails(&self, today: &str, args: &[&str]) -> String {
        let out = self.cmd(today).args(args).assert().failure();
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }
    fn notices(&self, today: &str) -> Vec<Value> {
        serde_json::from_str(&self.ok(
            today,
            &["--term", TERM, "notices", "list", "--format", "json"],
        ))
        .unwrap()
    }
    fn notice<'a>(list: &'a [Value], id: &str, state: &str) -> &'a Value {
        list.iter()
            .find(|n| n["student_id"] == id && n["state"] == state)
            .unwrap_or_else(|| panic!("{id} has no {state} notice: {list:#?}"))
    }
    /// Logs a contact of `kind` with `id` on `day`.
    fn log(&self, day: &str, id: &str, kind: &str, extra: &[&str]) -> String {
        let mut a = vec!["log", id, "--kind", kind, "--date", day];
        a.extend_from_slice(extra);
        self.ok(day, &a)
    }
    /// A new folder in the test's directory, and its path as an argument.
    fn folder(&self, name: &str) -> (PathBuf, String) {
        let d = self.dir.path().join(name);
        std::fs::create_dir(&d).unwrap();
        let s = d.display().to_string();
        (d, s)
    }
    /// Prints the term's approved notices into `dir`.
    fn print(&self, today: &str, dir: &str, extra: &[&str]) {
        let mut a = vec!["--term", TERM, "notices", "--out", dir];
        a.extend_from_slice(extra);
        self.ok(today, &a);
    }
    /// Whether `id` has an overdue obligation of `kind` on `today`.
    fn overdue(&self, today: &str, id: &str, kind: &str) -> bool {
        self.overdue_kinds(today, id).iter().any(|k| k == kind)
    }
    fn overdue_kinds(&self, today: &str, id: &str) -> Vec<String> {
        let a: Value =
            serde_json::from_str(&self.ok(today, &["agenda", "--format", "json"])).unwrap();
        a["overdue"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["student_id"] == id)
            .map(|i| i["kind"].as_str().unwrap().to_string())
            .collect()
    }
}

fn document_xml(path: &Path) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn approval_numbers_drafts_per_term_and_college_and_numbers_stay() {
    let e = Env::new("hljjz");
    let list = e.notices("2025-03-02");
    assert!(list.len() >= 5, "{list:#?}");
    assert!(
        list.iter()
            .all(|n| n["state"] == "draft" && n["number"].is_null())
    );
    // Nothing about delivery is due before there is a notice to deliver.
    assert!(!e.overdue("2025-04-30", RED, "notice-delivered"));

    e.ok(
        "2025-03-03",
        &["notices", "short", "生命科学与工程学院", "生科"],
    );
    e.ok(
        "2025-03-03",
        &["--term", TERM, "notices", "approve", "--student", RED],
    );
    e.ok(
        "2025-03-03",
        &["--term", TERM, "notices", "approve", "--student", PSYCH],
    );
    let list = e.notices("2025-03-03");
    let red = Env::notice(&list, RED, "approved");
    assert_eq!(red["number"], "2024-2-生科-0001");
    // The approver is the real account, never the $USER a shell can set.
    assert_eq!(red["approved_by"], yujing::os::real_login().as_str());
    assert!(
        red["approved_at"]
            .as_str()
            .unwrap()
            .starts_with("2025-03-03")
    );
    assert_eq!(
        Env::notice(&list, PSYCH, "approved")["number"],
        "2024-2-生科-0002"
    );

    // Approving the rest continues the sequence; the numbers given stay.
    e.ok("2025-03-04", &["--term", TERM, "notices", "approve"]);
    let list = e.notices("2025-03-04");
    assert_eq!(
        Env::notice(&list, RED, "approved")["number"],
        "2024-2-生科-0001"
    );
    let mut numbers: Vec<&str> = list.iter().map(|n| n["number"].as_str().unwrap()).collect();
    numbers.sort_unstable();
    let n = numbers.len();
    numbers.dedup();
    assert_eq!(numbers.len(), n, "numbers are unique");
    assert_eq!(*numbers.last().unwrap(), format!("2024-2-生科-{n:04}"));

    // A student with no notice is named.
    let err = e.fails(
        "2025-03-04",
        &[
            "--term",
            TERM,
            "notices",
            "approve",
            "--student",
            "2022000000",
        ],
    );
    assert!(err.contains("2022000000 has no notice"), "{err}");
}

#[test]
fn a_reissue_that_changes_the_tier_supersedes_the_approved_notice() {
    let e = Env::new("hljjz");
    e.ok(
        "2025-03-03",
        &["--term", TERM, "notices", "approve", "--student", PSYCH],
    );
    let old = Env::notice(&e.notices("2025-03-03"), PSYCH, "approved")["number"].clone();
    assert_eq!(
        Env::notice(&e.notices("2025-03-03"), PSYCH, "approved")["tier"],
        "yellow"
    );

    e.ok(
        "2025-03-20",
        &[
            "import",
            "grades",
            &fixture("notices/grades_more_failed.csv"),
        ],
    );
    e.ok("2025-03-20", &["issue", "--term", TERM, "--yes"]);
    let list = e.notices("2025-03-20");
    let sup = Env::notice(&list, PSYCH, "superseded");
    assert_eq!(sup["number"], old, "the old notice keeps its number");
    let draft = Env::notice(&list, PSYCH, "draft");
    assert_eq!(draft["tier"], "red");
    assert!(draft["number"].is_null());
    assert_eq!(sup["superseded_by"], draft["id"]);
    // A re-issue that does not change the tier leaves notices alone.
    e.ok("2025-03-21", &["issue", "--term", TERM, "--yes"]);
    assert_eq!(e.notices("2025-03-21"), list);
}

#[test]
fn receipts_close_the_clocks_that_approval_started() {
    let e = Env::new("hljjz");
    e.ok(
        "2025-03-03",
        &["--term", TERM, "notices", "approve", "--student", RED],
    );
    let number = Env::notice(&e.notices("2025-03-03"), RED, "approved")["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!e.overdue("2025-03-10", RED, "notice-delivered"));
    assert!(e.overdue("2025-03-11", RED, "notice-delivered"));

    // A wrong number writes nothing.
    let err = e.fails(
        "2025-03-11",
        &[
            "log",
            RED,
            "--kind",
            "notice-delivered",
            "--notice",
            "2024-2-xx-9999",
        ],
    );
    assert!(err.contains("2024-2-xx-9999"), "{err}");
    let err = e.fails(
        "2025-03-11",
        &[
            "log",
            "2022000006",
            "--kind",
            "notice-delivered",
            "--notice",
            &number,
        ],
    );
    assert!(err.contains("not 2022000006's"), "{err}");
    let contacts: Vec<Value> =
        serde_json::from_str(&e.ok("2025-03-11", &["contacts", "--format", "json"])).unwrap();
    assert!(contacts.is_empty());

    // The command says which notice the contact was recorded against.
    let said = e
        .cmd("2025-03-11")
        .args([
            "log",
            RED,
            "--kind",
            "notice-delivered",
            "--date",
            "2025-03-11",
        ])
        .assert()
        .success();
    let said = String::from_utf8(said.get_output().stderr.clone()).unwrap();
    assert!(said.contains(&format!("notice {number}")), "{said}");
    let n = Env::notice(&e.notices("2025-03-11"), RED, "approved").clone();
    assert_eq!(n["delivered"], "2025-03-11");
    assert_eq!(n["status"], "delivered");
    let overdue = e.overdue_kinds("2025-03-18", RED);
    assert!(
        !overdue.iter().any(|k| k == "notice-delivered"),
        "{overdue:?}"
    );
    assert!(
        overdue.iter().any(|k| k == "receipt-returned"),
        "{overdue:?}"
    );

    e.log(
        "2025-03-18",
        RED,
        "receipt-returned",
        &["--with", "parent", "--notice", &number],
    );
    let n = Env::notice(&e.notices("2025-03-18"), RED, "approved").clone();
    assert_eq!(
        (n["receipt"].as_str(), n["status"].as_str()),
        (Some("2025-03-18"), Some("receipt_back"))
    );
    assert!(!e.overdue("2025-03-19", RED, "receipt-returned"));
}

#[test]
fn printed_notices_hold_fields_and_numbers_and_are_never_overwritten() {
    let e = Env::new("hljjz");
    let (out, outs) = e.folder("out");
    let err = e.fails("2025-03-03", &["--term", TERM, "notices", "--out", &outs]);
    assert!(err.contains("no approved notices"), "{err}");
    e.ok("2025-03-03", &["--term", TERM, "notices", "approve"]);
    let list = e.notices("2025-03-03");
    e.print("2025-03-03", &outs, &[]);

    let red = Env::notice(&list, RED, "approved");
    let file = out.join(format!(
        "{RED}-{}-红色预警.docx",
        red["name"].as_str().unwrap()
    ));
    let xml = document_xml(&file);
    for s in [
        red["number"].as_str().unwrap(),
        RED,
        "留（降）级预警通知书",
        "学籍预警学生家长通知单回执",
        "红色预警",
        r#"w:eastAsia="仿宋""#,
        r#"<w:pgSz w:w="11906" w:h="16838"/>"#,
    ] {
        assert!(xml.contains(s), "{s} missing");
    }
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The psychological flag is the only reason of this student: it never reaches paper.
    let psych = Env::notice(&list, PSYCH, "approved");
    let pfile = out.join(format!(
        "{PSYCH}-{}-黄色预警.docx",
        psych["name"].as_str().unwrap()
    ));
    let pxml = document_xml(&pfile);
    assert!(pxml.contains(psych["number"].as_str().unwrap()));
    // (A course may be called 心理健康教育; the flag's label and note must not appear.)
    for secret in ["心理问题", "心理咨询中心转介", "psychological"] {
        assert!(
            !pxml.contains(secret),
            "confidential reason printed: {secret}"
        );
    }

    let err = e.fails("2025-03-03", &["--term", TERM, "notices", "--out", &outs]);
    assert!(err.contains("already exists"), "{err}");
    e.print("2025-03-03", &outs, &["--force"]);

    // One file per class with every notice of the class.
    let (merged, mergeds) = e.folder("merged");
    e.print("2025-03-03", &mergeds, &["--merge"]);
    let class = red["class"].as_str().unwrap();
    let xml = document_xml(&merged.join(format!("{class}.docx")));
    for n in list.iter().filter(|n| n["class"] == class) {
        assert!(xml.contains(n["number"].as_str().unwrap()));
    }

    // A withdrawn warning's notice cannot be printed.
    let mut db = yujing::db::Db::open(&e.db()).unwrap();
    let now = chrono::NaiveDate::from_ymd_opt(2025, 3, 5)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let n = db
        .supersede_or_withdraw(
            RED,
            TERM.parse().unwrap(),
            yujing::paper::Ending::Withdrawn,
            now,
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(db);
    let err = e.fails(
        "2025-03-05",
        &[
            "--term",
            TERM,
            "notices",
            "--out",
            &outs,
            "--force",
            "--student",
            RED,
        ],
    );
    assert!(err.contains("withdrawn"), "{err}");
    assert_eq!(
        Env::notice(&e.notices("2025-03-05"), RED, "withdrawn")["number"],
        red["number"]
    );
}

#[test]
fn hntou_posts_parent_copies_with_an_address_list_and_a_call_stands_in_for_a_receipt() {
    let e = Env::new("hntou");
    e.ok("2025-03-03", &["--term", TERM, "notices", "approve"]);
    let list = e.notices("2025-03-03");
    let first = &list[0];
    let id = first["student_id"].as_str().unwrap();
    let (out, outs) = e.folder("out");
    e.print("2025-03-03", &outs, &[]);
    let xlsx = out.join(format!("邮寄地址清单-{TERM}.xlsx"));
    assert!(xlsx.is_file());
    let file = out.join(format!(
        "{id}-{}-{}.docx",
        first["name"].as_str().unwrap(),
        first["tier_label"].as_str().unwrap()
    ));
    let xml = document_xml(&file);
    for s in [
        "学生学业预警通知书（存根）",
        "（致家长）",
        "（家长回执）",
        "谈话记录表",
        first["number"].as_str().unwrap(),
    ] {
        assert!(xml.contains(s), "{s} missing");
    }

    // No receipt: a phone call with the parents closes the obligation (第9条).
    assert!(e.overdue("2025-03-18", id, "receipt-returned"));
    e.log(
        "2025-03-18",
        id,
        "parent-contact",
        &["--with", "parent", "--channel", "phone"],
    );
    let n = Env::notice(&e.notices("2025-03-18"), id, "approved").clone();
    assert_eq!(n["receipt"], "2025-03-18");
    assert!(!e.overdue("2025-03-19", id, "receipt-returned"));
}

#[test]
fn templates_export_edit_import_and_bad_placeholders_write_nothing() {
    let e = Env::new("lut-life");
    let (dir, dirs) = e.folder("tpl");
    e.ok("2025-03-03", &["template", "export", &dirs]);
    let notice = dir.join("notice.txt");
    let text = std::fs::read_to_string(&notice).unwrap();
    assert!(text.contains("学业警示通知单"));

    std::fs::write(&notice, format!("{text}\n本院自定：{{{{nmae}}}}\n")).unwrap();
    let err = e.fails("2025-03-03", &["template", "import", &dirs]);
    assert!(err.contains("notice.txt:") && err.contains("nmae"), "{err}");

    std::fs::write(
        &notice,
        format!("{text}\n本院自定：{{{{name}}}}同学请于一周内回复\n"),
    )
    .unwrap();
    e.ok("2025-03-03", &["template", "import", &dirs]);
    let list = e.notices("2025-03-03");
    let id = list[0]["student_id"].as_str().unwrap();
    let shown = e.ok("2025-03-03", &["--term", TERM, "notices", "show", id]);
    assert!(
        shown.contains(&format!(
            "本院自定：{}同学请于一周内回复",
            list[0]["name"].as_str().unwrap()
        )),
        "{shown}"
    );
    assert!(shown.contains("（待批准）"));

    // confirm (lut-life 二.3) shows in the list.
    assert_eq!(list[0]["confirmed"], false);
    e.ok("2025-03-03", &["--term", TERM, "confirm", id]);
    assert_eq!(
        Env::notice(&e.notices("2025-03-03"), id, "draft")["confirmed"],
        true
    );
}

#[test]
fn talk_record_and_study_plan_documents() {
    let e = Env::new("hljjz");
    let cid = e.ok(
        "2025-03-05",
        &[
            "log",
            RED,
            "--kind",
            "talk",
            "--place",
            "学工办",
            "--note",
            "约定每周答疑",
            "--date",
            "2025-03-04T10:00",
            "--format",
            "json",
        ],
    );
    let cid: Value = serde_json::from_str(&cid).unwrap();
    let cid = cid["contact_id"].to_string();
    let dir = e.dir.path();
    let rec = dir.join("rec.docx");
    e.ok(
        "2025-03-05",
        &["record", &cid, "--out", &rec.display().to_string()],
    );
    let xml = document_xml(&rec);
    for s in [
        "学生预警谈话记录表",
        "学工办",
        "约定每周答疑",
        "2025年3月4日 10:00",
    ] {
        assert!(xml.contains(s), "{s} missing");
    }
    let plan = dir.join("plan.docx");
    let plans = plan.display().to_string();
    let plan_args = ["--term", TERM, "plan", "2022000006", "--out", &plans];
    e.ok("2025-03-05", &plan_args);
    let xml = document_xml(&plan);
    assert!(xml.contains("学习计划") && xml.contains("需补考或重修的课程"));
    assert!(
        xml.contains("B000001 微生物学"),
        "courses to clear are listed"
    );
    let err = e.fails("2025-03-05", &plan_args);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn the_tui_source_previews_a_draft_and_approves_it() {
    use yujing::tui::DataSource;
    let e = Env::new("hljjz");
    let today = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
    let mut src = yujing::tui::db_source::DbSource::open(
        &e.db(),
        None,
        Some(TERM.parse().unwrap()),
        today,
        yujing::locale::Lang::Zh,
    )
    .unwrap();
    let d = src.student(RED).unwrap().unwrap();
    let text = d.notice.expect("a warned student has a notice preview");
    assert!(
        text.contains("留（降）级预警通知书") && text.contains("（待批准）"),
        "{text}"
    );
    // An unwarned student has none.
    assert!(src.student("2022000000").unwrap().unwrap().notice.is_none());

    src.write(&yujing::tui::model::WriteOp::ApproveNotice(RED.into()))
        .unwrap();
    let number = Env::notice(&e.notices("2025-03-03"), RED, "approved")["number"]
        .as_str()
        .unwrap()
        .to_string();
    let text = src.student(RED).unwrap().unwrap().notice.unwrap();
    assert!(text.contains(&number), "{text}");
    // A receipt logged through the TUI's form closes the notice as `yujing log` does.
    let at = today.and_hms_opt(0, 1, 0).unwrap();
    let receipt = yujing::model::Contact {
        with_whom: yujing::model::With::Parent,
        channel: yujing::model::Channel::Letter,
        ..yujing::model::Contact::new(RED, at, "t", yujing::model::ContactKind::ReceiptReturned)
    };
    src.write(&yujing::tui::model::WriteOp::LogContact {
        contact: receipt,
        confidential: false,
    })
    .unwrap();
    let list = e.notices("2025-03-03");
    let n = Env::notice(&list, RED, "approved");
    assert_eq!(n["receipt"].as_str(), Some("2025-03-03"), "{n}");
    // The roster's last-contact column counts it.
    let snap = src.snapshot().unwrap();
    let row = snap
        .entries
        .iter()
        .find(|r| r.student.student_id == RED)
        .unwrap();
    assert_eq!(row.last_contact, Some(today));
}

#[test]
fn issue_withdraw_withdraws_the_notice_and_it_cannot_be_printed() {
    let e = Env::new("hljjz");
    e.ok("2025-03-03", &["notices", "approve", "--student", RED]);
    let approved = Env::notice(&e.notices("2025-03-03"), RED, "approved")["number"].clone();
    assert!(approved.is_string());
    e.ok(
        "2025-03-04",
        &[
            "issue",
            "withdraw",
            "--term",
            TERM,
            "--student",
            RED,
            "--reason",
            "成绩录入错误",
            "--yes",
        ],
    );
    let list = e.notices("2025-03-05");
    assert_eq!(Env::notice(&list, RED, "withdrawn")["number"], approved);
    let (_, outs) = e.folder("out");
    let err = e.fails(
        "2025-03-05",
        &["--term", TERM, "notices", "--out", &outs, "--student", RED],
    );
    assert!(err.contains("withdrawn"), "{err}");
    // Its delivery clock stopped with it.
    assert!(!e.overdue("2025-04-30", RED, "notice-delivered"));
}

#[test]
fn the_summary_list_carries_notice_numbers_deliveries_and_confirmations() {
    let e = Env::new("lut-life");
    e.ok(
        "2025-03-03",
        &["--term", TERM, "notices", "approve", "--student", RED],
    );
    let number = Env::notice(&e.notices("2025-03-03"), RED, "approved")["number"]
        .as_str()
        .unwrap()
        .to_string();
    e.log("2025-03-04", RED, "notice-delivered", &[]);
    e.ok("2025-03-05", &["--term", TERM, "confirm", RED]);
    let out = e.dir.path().join("汇总表.csv");
    e.ok(
        "2025-03-06",
        &[
            "export",
            "summary",
            "--term",
            TERM,
            "--out",
            &out.display().to_string(),
        ],
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let red = text
        .lines()
        .find(|l| l.contains(RED))
        .expect("the red student's row");
    assert!(red.contains(&number), "{red}");
    assert!(red.contains("2025-03-04"), "delivered: {red}");
    assert!(red.contains("2025-03-05"), "confirmed: {red}");
    // Another warned student who has not confirmed is marked.
    assert!(
        text.lines()
            .any(|l| !l.contains(RED) && l.contains("未确认")),
        "{text}"
    );
}
