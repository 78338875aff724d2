//! The leader's lists on the hand-made two-term cohort of `fixtures/lists/` (its README gives
//! every student's story): the summary list, what-if, coverage and the term-end analysis.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use tempfile::TempDir;

const T1: &str = "2024-2025-1";
const T2: &str = "2024-2025-2";
const LATER: &str = "2025-07-01";

fn fixture(name: &str) -> String {
    common::fixture("lists", name)
}

struct Env {
    dir: TempDir,
}

impl Env {
    /// The cohort imported, its policy in use, nothing issued.
    fn imported() -> Env {
        let e = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        e.ok(
            "2025-03-01",
            &["import", "students", &fixture("students.csv")],
        );
        e.ok("2025-03-01", &["import", "grades", &fixture("grades.csv")]);
        e.ok("2025-03-01", &["policy", "use", &fixture("policy.toml")]);
        e
    }

    /// Warnings for T1 issued on 2025-03-01 (notice within 14 days, class teacher's talk
    /// within 30), and the contacts of the README logged.
    fn followed_up() -> Env {
        let e = Env::imported();
        e.ok("2025-03-01", &["issue", "--term", T1, "--yes"]);
        for (s, kind, role, date) in [
            ("2023000001", "notice-delivered", "counsellor", "2025-03-05"),
            ("2023000001", "talk", "class-teacher", "2025-03-10"),
            ("2023000002", "notice-delivered", "counsellor", "2025-03-20"),
            ("2023000002", "talk", "class-teacher", "2025-03-12"),
            ("2023000003", "notice-delivered", "counsellor", "2025-03-05"),
            ("2023000005", "notice-delivered", "counsellor", "2025-03-10"),
            ("2023000005", "talk", "class-teacher", "2025-04-15"),
            ("2023000008", "notice-delivered", "counsellor", "2025-03-02"),
            ("2023000008", "talk", "class-teacher", "2025-03-20"),
            ("2023000008", "talk", "class-teacher", "2025-03-25"),
            ("2023000006", "talk", "class-teacher", "2025-03-08"),
            ("2023000007", "talk", "counsellor", "2025-03-15"),
        ] {
            e.ok(
                LATER,
                &["log", s, "--kind", kind, "--role", role, "--date", date],
            );
        }
        e
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self, today: &str) -> Command {
        let mut c = Command::cargo_bin("yujing").unwrap();
        c.env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env("USER", "tester")
            .env_remove("YUJING_DB");
        c.arg("--db")
            .arg(self.path("t.db"))
            .arg("--today")
            .arg(today);
        c
    }

    fn ok(&self, today: &str, args: &[&str]) -> String {
        let out = self.cmd(today).args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn json(&self, today: &str, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(today, args)).unwrap()
    }

    /// `export summary --term T1 EXTRA… --out OUT`: the arguments, for `ok` or `fails`.
    fn summary_args<'a>(&self, extra: &[&'a str], out: &'a Path) -> Vec<&'a str> {
        let mut a = vec!["export", "summary", "--term", T1];
        a.extend_from_slice(extra);
        a.extend(["--out", out.to_str().unwrap()]);
        a
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd(LATER).args(args).assert().failure();
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }
}

fn rows(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<String>> {
    wb.worksheet_range(sheet)
        .unwrap()
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn column<'a>(rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = rows[0].iter().position(|h| h == name).unwrap();
    rows[1..].iter().map(|r| r[i].as_str()).collect()
}

const WARNED_T1: [&str; 6] = [
    "2023000001",
    "2023000002",
    "2023000003",
    "2023000004",
    "2023000005",
    "2023000008",
];

#[test]
fn the_summary_list_holds_exactly_the_warned_students_with_the_annex_columns() {
    let e = Env::followed_up();
    let out = e.path("汇总表.xlsx");
    e.ok(LATER, &e.summary_args(&[], &out));
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let mut sheets = wb.sheet_names();
    assert_eq!(sheets.remove(0), "全院", "the college sheet comes first");
    sheets.sort();
    assert_eq!(sheets, ["化工2302", "生物2301"]);

    let all = rows(&mut wb, "全院");
    // 附件1's columns, in its order.
    let annex = "序号 学院 专业班级 学号 姓名 预警级别 预警原因 不及格课程及学分 辅导员 班主任 本人电话 家长电话 通知编号 通知送达 回执";
    assert_eq!(all[0], annex.split(' ').collect::<Vec<_>>());
    let mut ids: Vec<&str> = column(&all, "学号");
    ids.sort();
    assert_eq!(ids, WARNED_T1, "every warned student and no one else");
    assert_eq!(column(&all, "序号"), ["1", "2", "3", "4", "5", "6"]);
    // The most severe first: 孙三 (二级 + 留级).
    let first = &all[1];
    assert_eq!(first[3], "2023000003");
    assert_eq!(first[2], "生物工程 生物2301");
    assert_eq!(first[5], "二级预警 留级");
    assert!(first[6].contains("累计仍不及格门数 4 ≥ 4"), "{}", first[6]);
    assert_eq!(
        first[7],
        "高等数学 2学分；大学物理 2学分；线性代数 2学分；有机化学 2学分"
    );
    assert_eq!(
        (first[8].as_str(), first[9].as_str()),
        ("甲辅导员", "王老师")
    );
    assert_eq!(
        (first[10].as_str(), first[11].as_str()),
        ("13800000003", "13900000003")
    );
    // Delivery comes from the contact log until notices have their own table.
    let delivered: Vec<(&str, &str)> = column(&all, "学号")
        .into_iter()
        .zip(column(&all, "通知送达"))
        .collect();
    assert!(delivered.contains(&("2023000002", "2025-03-20")));
    assert!(delivered.contains(&("2023000004", "")));

    let chem = rows(&mut wb, "化工2302");
    let mut ids = column(&chem, "学号");
    ids.sort();
    assert_eq!(ids, ["2023000005", "2023000008"]);
    assert_eq!(column(&chem, "序号"), ["1", "2"], "numbered per sheet");
}

#[test]
fn the_summary_list_as_csv_filters_by_class_and_tier_and_stays_chinese() {
    let e = Env::imported();
    let out = e.path("s.csv");
    e.ok(
        LATER,
        &e.summary_args(&["--lang", "en", "--class", "生物2301"], &out),
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("\u{feff}序号,学院,专业班级,学号"),
        "{text}"
    );
    let ids: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(
        ids,
        ["2023000003", "2023000001", "2023000002", "2023000004"]
    );

    let out = e.path("l2.csv");
    e.ok(LATER, &e.summary_args(&["--tier", "level2"], &out));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains("2023000003"));

    // lut-life's students confirm the list.
    let out = e.path("lut.xlsx");
    e.ok(LATER, &e.summary_args(&["--policy", "lut-life"], &out));
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(rows(&mut wb, "全院")[0].last().unwrap(), "学生确认");

    assert!(
        e.fails(&e.summary_args(&[], &out))
            .contains("already exists")
    );
    let txt = e.path("s.txt");
    assert!(
        e.fails(&e.summary_args(&[], &txt))
            .contains(".xlsx or .csv")
    );
    assert!(!txt.exists());
    let csv = e.path("x.csv");
    assert!(
        e.fails(&e.summary_args(&["--tier", "red"], &csv))
            .contains("no such tier")
    );
    assert!(!csv.exists());
}

#[test]
fn what_if_one_threshold_apart_moves_exactly_the_students_on_the_edge() {
    let e = Env::imported();
    let preset = e.ok(LATER, &["policy", "show", "hntou"]);
    assert_eq!(preset.matches("threshold = 2.0").count(), 1);
    let b = e.path("hntou-3.toml");
    std::fs::write(&b, preset.replacen("threshold = 2.0", "threshold = 3.0", 1)).unwrap();
    let w = e.json(
        LATER,
        &[
            "evaluate",
            "--term",
            T1,
            "--policy",
            "hntou",
            "--compare",
            b.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let mut ids: Vec<&str> = w["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["student_id"].as_str().unwrap())
        .collect();
    ids.sort();
    // Exactly the students with 2 outstanding failed courses.
    assert_eq!(ids, ["2023000001", "2023000002", "2023000005"]);
    assert_eq!(w["counts"]["lifted"], 3);
    assert_eq!(w["counts"]["up"], 0);
    assert_eq!(w["counts"]["down"], 0);
    assert_eq!(w["counts"]["new"], 0);
    let s = &w["students"][0];
    assert_eq!(s["a"]["tier"], "level1");
    assert_eq!(s["b"]["tier"], Value::Null);
    assert_eq!(s["only_a"][0]["value"], 2.0);
    assert_eq!(s["only_a"][0]["threshold"], 2.0);
    assert_eq!(s["only_b"].as_array().unwrap().len(), 0);

    // The reverse direction: the same students, now new.
    let table = e.ok(
        LATER,
        &[
            "--lang",
            "zh",
            "evaluate",
            "--term",
            T1,
            "--policy",
            b.to_str().unwrap(),
            "--compare",
            "hntou",
        ],
    );
    assert!(
        table.lines().next().unwrap().contains("新预警 3"),
        "{table}"
    );
    assert!(
        table.contains("B 一级预警: 累计仍不及格门数 2 ≥ 2"),
        "{table}"
    );
    assert_eq!(table.lines().count(), 5, "{table}");
}

#[test]
fn coverage_counts_talks_and_obligations_per_person_and_marks_shortfalls() {
    let e = Env::followed_up();
    let c = e.json(
        LATER,
        &["coverage", "--month", "2025-03", "--format", "json"],
    );
    assert_eq!(c["as_of"], "2025-03-31");
    assert_eq!(c["required_share"], 0.1);
    let line = |role: &str, person: &str| -> Value {
        c["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["role"] == role && l["person"] == person)
            .unwrap()
            .clone()
    };
    // Counsellor 甲: no counsellor talk in March; notices: on time, late (03-20 > 03-15),
    // on time, never delivered.
    let a = line("counsellor", "甲辅导员");
    assert_eq!(
        (a["students"].as_u64(), a["talked"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(
        (a["warned"].as_u64(), a["warned_on_time"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(a["on_time_share"], 0.5);
    assert_eq!(
        (
            a["obligations"]["late"].as_u64(),
            a["obligations"]["missed"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(a["shortfall"], true);
    let b = line("counsellor", "乙辅导员");
    assert_eq!(b["talked_share"], 0.25);
    assert_eq!(
        (b["warned"].as_u64(), b["warned_on_time"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(b["shortfall"], false);
    // Class teachers: 王 talked to 赵一 and 钱二; 李 to 吴六 and 王八 (周五's talk is in April).
    let w = line("class-teacher", "王老师");
    assert_eq!(w["talked"], 2);
    assert_eq!(w["obligations"]["on_time"], 2);
    assert_eq!(
        w["obligations"]["pending"], 2,
        "due on the 31st: not yet missed"
    );
    let l = line("class-teacher", "李老师");
    assert_eq!(
        (l["talked"].as_u64(), l["warned"].as_u64()),
        (Some(2), Some(2))
    );

    // The setting: stored once, used by every later run.
    e.ok(LATER, &["coverage", "--set-required", "30%"]);
    let table = e.ok(LATER, &["--lang", "zh", "coverage", "--month", "2025-03"]);
    assert!(table.lines().next().unwrap().contains("30%"), "{table}");
    let short: Vec<&str> = table.lines().filter(|l| l.contains("未达要求")).collect();
    assert_eq!(short.len(), 2, "{table}");
    assert!(short.iter().all(|l| l.contains("辅导员")), "{table}");
    assert!(
        e.fails(&["coverage", "--set-required", "120%"])
            .contains("0 to 100")
    );
    assert!(
        e.fails(&["coverage", "--month", "2025-13"])
            .contains("YYYY-MM")
    );
}

#[test]
fn the_term_end_analysis_counts_outcomes_obligations_and_talks() {
    let e = Env::followed_up();
    let r = e.json(LATER, &["report", "--term", T1, "--format", "json"]);
    assert_eq!(r["against"], T2);
    let t = &r["total"];
    assert_eq!(t["warned"], 6);
    for (id, n) in [
        ("lifted", 1),
        ("down", 1),
        ("same", 2),
        ("up", 1),
        ("repeat_year", 1),
        ("dismissal", 0),
        ("exempt", 0),
        ("withdrawn", 0),
    ] {
        assert_eq!(t["changes"][id], n, "{id}");
    }
    assert_eq!(t["obligations"]["on_time"], 7);
    assert_eq!(t["obligations"]["late"], 2);
    assert_eq!(t["obligations"]["missed"], 3);
    assert_eq!(t["talks"], 5);
    let outcome = |id: &str| -> String {
        r["students"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["student_id"] == id)
            .unwrap()["change"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(outcome("2023000001"), "lifted");
    assert_eq!(outcome("2023000003"), "down");
    assert_eq!(outcome("2023000004"), "repeat_year");
    assert_eq!(outcome("2023000005"), "up");
    assert_eq!(outcome("2023000008"), "same");

    let tiers: Vec<(&str, u64)> = r["by_tier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["warned"].as_u64().unwrap()))
        .collect();
    assert_eq!(tiers, [("level1", 5), ("level2", 1)]);
    let by = |k: &str, key: &str| -> Value {
        r[k].as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == key)
            .unwrap()
            .clone()
    };
    let jia = by("by_counsellor", "甲辅导员");
    assert_eq!(jia["warned"], 4);
    assert_eq!(jia["obligations"]["on_time"], 4);
    assert_eq!(jia["obligations"]["missed"], 3);
    assert_eq!(jia["talks_per_student"], 0.5);
    let yi = by("by_counsellor", "乙辅导员");
    assert_eq!(yi["talks_per_student"], 1.5);
    assert_eq!(by("by_class", "化工2302")["changes"]["up"], 1);

    let table = e.ok(LATER, &["--lang", "zh", "report", "--term", T1]);
    assert!(
        table.starts_with("2024-2025-1 学期预警 6 人，到 2024-2025-2：解除 1 (17%)"),
        "{table}"
    );
}

#[test]
fn the_analysis_workbook_has_native_charts_beside_its_tables() {
    let e = Env::followed_up();
    assert!(
        e.fails(&["report", "--term", T1, "--format", "xlsx"])
            .contains("--out")
    );
    let out = e.path("分析.xlsx");
    e.ok(
        LATER,
        &[
            "--lang",
            "zh",
            "report",
            "--term",
            T1,
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    // Zip entry names are stored as plain text in the archive's headers.
    let bytes = std::fs::read(&out).unwrap();
    let has = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
    for chart in [
        "xl/charts/chart1.xml",
        "xl/charts/chart2.xml",
        "xl/charts/chart3.xml",
    ] {
        assert!(has(chart), "{chart} missing");
    }
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["按等级", "按辅导员", "按班级", "学生明细"]
    );
    let tiers = rows(&mut wb, "按等级");
    assert_eq!(tiers[1][0], "一级预警");
    assert_eq!(tiers[1][1], "5");
    assert_eq!(column(&tiers, "解除"), ["1", "0"]);
    let students = rows(&mut wb, "学生明细");
    assert_eq!(students.len(), 7);
    assert!(
        e.fails(&[
            "report",
            "--term",
            T1,
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap()
        ])
        .contains("already exists")
    );
}

/// The screen as text, wide glyphs once and blanks dropped, so CJK labels read whole.
fn screen(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out.replace(' ', "")
}

#[test]
fn r_in_the_tui_charts_the_analysis_of_the_database() {
    use yujing::tui::event::Loaded;
    use yujing::tui::loader::Request;
    use yujing::tui::{Action, App, DataSource, Lang, Theme, TuiOptions};

    let e = Env::followed_up();
    let today = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let source =
        yujing::tui::db_source::DbSource::open(&e.path("t.db"), None, None, today, Lang::Zh)
            .unwrap();
    let mut app = App::new(
        source.snapshot().unwrap(),
        TuiOptions::new(Lang::Zh, Theme::mono()),
    );
    app.resize(80, 24);
    app.update(Action::Report);
    assert_eq!(app.take_requests(), [Request::Report]);
    // Answered the way the loader thread answers.
    let (analysis, _) = source
        .report()
        .unwrap()
        .expect("T1 was issued, T2 has grades");
    assert_eq!(
        (analysis.term.as_str(), analysis.against.as_str()),
        (T1, T2)
    );
    app.handle_event(yujing::tui::event::Event::Loaded(Loaded::Report(
        source
            .report()
            .map(|r| r.map(Box::new))
            .map_err(|e| e.to_string()),
    )));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let text = screen(term.backend().buffer());
    for want in [
        "帮扶效果分析",
        "2024-2025-1→2024-2025-2",
        "预警6",
        "解除1",
        "按时/逾期/未完成7/2/3",
        "按等级的结果",
        "一级预警",
        "辅导员的帮扶义务",
        "甲辅导员",
        "乙辅导员",
    ] {
        assert!(text.contains(want), "{want} missing from\n{text}");
    }
    app.update(Action::Back);
    term.draw(|f| app.draw(f)).unwrap();
    assert!(!screen(term.backend().buffer()).contains("帮扶效果分析"));
}
