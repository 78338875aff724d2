//! Files as they go wrong in practice (import.md), through the real binary: each gets its
//! clear error, and a refused import leaves every row of the database as it was.

mod common;

use std::io::Write as _;
use std::path::PathBuf;

use common::{dump, sample, yujing};
use tempfile::TempDir;

struct Env {
    dir: TempDir,
}

/// What one run printed and how it ended.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("t.db")
    }

    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = yujing(&self.db()).args(args).output().unwrap();
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert!(r.ok, "{args:?} failed: {}", r.stderr);
        r.stdout
    }

    fn dump(&self) -> Vec<String> {
        dump(&self.db())
    }

    /// A database holding the sample roster and grades.
    fn with_roster() -> Env {
        let e = Env::new();
        e.ok(&["import", "students", &sample("students.csv")]);
        e.ok(&["import", "grades", &sample("grades.csv")]);
        e
    }

    /// Runs an import that must be refused, and checks it wrote nothing: its stderr.
    fn refused(&self, args: &[&str]) -> String {
        // The database exists (its first user recorded as its admin) before the import.
        assert!(self.run(&["user", "list"]).ok);
        let before = self.dump();
        let r = self.run(args);
        assert!(!r.ok, "{args:?} succeeded: {}{}", r.stdout, r.stderr);
        assert_eq!(self.dump(), before, "{args:?} changed the database");
        assert!(!r.stderr.contains('\u{1b}'), "raw escape in {:?}", r.stderr);
        r.stderr
    }

    fn query(&self, sql: &str) -> String {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

const ROSTER: &str = "学号,姓名,班级,手机\n";

#[test]
fn a_grades_file_imported_as_students_is_refused_with_the_command_to_run() {
    let e = Env::with_roster();
    let grades = sample("grades.csv");
    let err = e.refused(&["import", "students", &grades]);
    assert!(
        err.contains(&format!("run `yujing import grades {grades}`")),
        "{err}"
    );
    let absences = sample("absences.csv");
    let err = e.refused(&["import", "students", &absences]);
    assert!(err.contains("yujing import absences"), "{err}");
    // The other way round the header check fails, and says what the file is.
    let err = e.refused(&["import", "grades", &sample("students.csv")]);
    assert!(err.contains("yujing import students"), "{err}");
    let err = e.refused(&["import", "fitness", &grades]);
    assert!(err.contains("yujing import grades"), "{err}");
}

#[test]
fn a_file_lacking_columns_or_cells_never_erases_the_roster() {
    let e = Env::with_roster();
    let name = |id: &str| {
        e.query(&format!(
            "SELECT name FROM students WHERE student_id = '{id}'"
        ))
    };
    let class = |id: &str| {
        e.query(&format!(
            "SELECT class FROM students WHERE student_id = '{id}'"
        ))
    };
    let (name0, class1) = (name("2022000000"), class("2022000001"));
    assert!(!name0.is_empty() && !class1.is_empty());
    let thin = e.file(
        "thin.csv",
        "学号,班级\n2022000000,新班\n2022000001,\n".as_bytes(),
    );
    let out = e.ok(&["import", "students", &thin]);
    assert!(
        out.contains("0 new, 1 changed, 1 unchanged, 0 bad"),
        "{out}"
    );
    assert_eq!(class("2022000000"), "新班");
    assert_eq!(name("2022000000"), name0);
    assert_eq!(class("2022000001"), class1);

    // An XLSX without 姓名 keeps every name.
    let path = e.path("phones.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "学号").unwrap();
    sheet.write_string(0, 1, "手机").unwrap();
    sheet.write_string(1, 0, "2022000000").unwrap();
    sheet.write_string(1, 1, "13900000000").unwrap();
    book.save(&path).unwrap();
    let out = e.ok(&["import", "students", &path.display().to_string()]);
    assert!(out.contains("0 new, 1 changed"), "{out}");
    assert_eq!(name("2022000000"), name0);
}

#[test]
fn one_key_twice_with_different_values_names_both_lines() {
    let e = Env::with_roster();
    let twice = e.file(
        "twice.csv",
        format!("{ROSTER}3000000001,张三,一班,1\n3000000002,李四,一班,2\n3000000001,张叁,一班,1\n")
            .as_bytes(),
    );
    let err = e.refused(&["import", "students", &twice]);
    assert!(
        err.contains(&format!("{twice}:4: column 学号: value '3000000001': same student id as line 2 but different values: lines 2 and 4 disagree")),
        "{err}"
    );
    // The same row twice is one fact, counted once.
    let same = e.file(
        "same.csv",
        format!("{ROSTER}3000000001,张三,一班,1\n3000000001,张三,一班,1\n").as_bytes(),
    );
    let out = e.ok(&["import", "students", &same]);
    assert!(
        out.contains("1 new, 0 changed, 0 unchanged, 0 bad"),
        "{out}"
    );

    let grades = e.file(
        "g.csv",
        "学号,学年学期,课程代码,学分,成绩,成绩性质\n\
         2022000000,2024-2025-1,X1,2,50,正考\n\
         2022000000,2024-2025-1,X1,2,50,补考\n\
         2022000000,2024-2025-1,X1,2,70,正考\n"
            .as_bytes(),
    );
    let err = e.refused(&["import", "grades", &grades]);
    assert!(err.contains(&format!("{grades}:4: ")), "{err}");
    assert!(err.contains("lines 2 and 4 disagree"), "{err}");
}

#[test]
fn a_stray_quote_costs_one_row_not_the_rest_of_the_file() {
    let e = Env::new();
    let mut text = String::from(ROSTER);
    for i in 0..40 {
        if i == 1 {
            text.push_str(&format!("30000000{i:02},\"张{i},一班,1\n"));
        } else {
            text.push_str(&format!("30000000{i:02},张{i},一班,1\n"));
        }
    }
    let f = e.file("quote.csv", text.as_bytes());
    let err = e.refused(&["import", "students", &f]);
    assert!(
        err.contains(&format!(
            "{f}:3: column -: value '': a quote opened on this line is not closed"
        )),
        "{err}"
    );
    assert_eq!(
        err.matches(&format!("{f}:")).count(),
        2,
        "one bad row, then the summary: {err}"
    );
    let out = e.ok(&["import", "students", &f, "--skip-bad"]);
    assert!(
        out.contains("39 new, 0 changed, 0 unchanged, 1 bad"),
        "{out}"
    );
    // A real multi-line cell still reads.
    let out = e.ok(&[
        "import",
        "students",
        &e.file(
            "ml.csv",
            format!("{ROSTER}3000000099,\"王\n五\",一班,1\n").as_bytes(),
        ),
    ]);
    assert!(out.contains("1 new"), "{out}");
    assert_eq!(
        e.query("SELECT name FROM students WHERE student_id = '3000000099'"),
        "王\n五"
    );
}

#[test]
fn values_out_of_range_are_bad_rows_naming_line_column_and_value() {
    let e = Env::with_roster();
    let long = "长".repeat(1001);
    let grades = "学号,学年学期,课程代码,课程名称,学分,成绩\n2022000000,2024-2025-1,X1,课,2,60\n";
    let cases: Vec<(&str, String, &str, String)> = vec![
        (
            "grades",
            format!("{grades}2022000000,2024-2025-1,X2,课,2,150\n"),
            "成绩",
            "150".into(),
        ),
        (
            "grades",
            format!("{grades}2022000000,2024-2025-1,X2,课,2,-5\n"),
            "成绩",
            "-5".into(),
        ),
        (
            "grades",
            format!("{grades}2022000000,2024-2025-1,X2,课,2,1e308\n"),
            "成绩",
            "1e308".into(),
        ),
        (
            "grades",
            format!("{grades}2022000000,2024-2025-1,X2,课,1e308,60\n"),
            "学分",
            "1e308".into(),
        ),
        (
            "grades",
            format!("{grades}2022000000,2024-2025-1,X2,课,31,60\n"),
            "学分",
            "31".into(),
        ),
        (
            "grades",
            format!("{grades}2022000000,2024-2025-1,X2,{long},2,60\n"),
            "课程名称",
            "长".repeat(80) + "…",
        ),
        (
            "grades",
            format!("{grades}2022000000,2024-2025-1,X2,a\0b,2,60\n"),
            "课程名称",
            "ab".into(),
        ),
        (
            "absences",
            "学号,学年学期,旷课学时\n2022000000,2024-2025-1,2\n2022000000,2024-2025-1,1e300\n"
                .into(),
            "旷课学时",
            "1e300".into(),
        ),
        (
            "absences",
            "学号,学年学期,旷课学时\n2022000000,2024-2025-1,2\n2022000000,2024-2025-1,1001\n"
                .into(),
            "旷课学时",
            "1001".into(),
        ),
        (
            "students",
            format!("{ROSTER}3000000001,张三,一班,1\n3000000002,{long},一班,1\n"),
            "姓名",
            "长".repeat(80) + "…",
        ),
    ];
    for (i, (kind, text, column, value)) in cases.into_iter().enumerate() {
        let f = e.file(&format!("r{i}.csv"), text.as_bytes());
        let err = e.refused(&["import", kind, &f]);
        let want = format!("{f}:3: column {column}: value '{value}': ");
        assert!(err.contains(&want), "case {i}: want {want:?} in {err}");
    }
}

#[test]
fn duplicate_headers_yujing_reads_are_refused_naming_both_columns() {
    let e = Env::with_roster();
    let f = e.file(
        "dup.csv",
        "学号,学年学期,课程代码,学分,成绩,成绩\n2022000000,2024-2025-1,X1,2,40,90\n".as_bytes(),
    );
    let err = e.refused(&["import", "grades", &f]);
    assert!(
        err.contains("line 1: columns E and F are both headed '成绩'"),
        "{err}"
    );
    // Two 备注 columns a long grades file does not read are ignored.
    let f = e.file(
        "notes.csv",
        "学号,学年学期,课程代码,学分,成绩,备注,备注\n2022000000,2024-2025-1,X1,2,90,a,b\n"
            .as_bytes(),
    );
    e.ok(&["import", "grades", &f]);
}

#[test]
fn escape_sequences_in_a_file_never_reach_the_terminal() {
    let e = Env::with_roster();
    let f = e.file(
        "esc.csv",
        "学号,学年学期,课程代码,学分,成绩\n2022000000,2024-2025-1,X1,2,\x1b[2J90\n".as_bytes(),
    );
    let err = e.refused(&["import", "grades", &f]);
    assert!(
        err.contains(&format!("{f}:2: column 成绩: value '90'")),
        "{err}"
    );
    let f = e.file("hdr.csv", "学号,\x1b]0;pwned\x07姓名\n".as_bytes());
    let err = e.refused(&["import", "grades", &f]);
    assert!(err.contains("missing required column"), "{err}");
}

/// The largest resident size of any child process waited for so far, in bytes.
fn children_max_rss() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        assert_eq!(
            libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()),
            0
        );
        usage.assume_init()
    };
    // Linux reports kilobytes.
    u64::try_from(usage.ru_maxrss).unwrap() * 1024
}

#[test]
fn hostile_workbooks_cost_their_real_cells_and_are_refused_when_too_big() {
    let e = Env::with_roster();

    // One stray cell at XFD1048576: the stated dimension is 17 billion cells.
    let stray = e.path("stray.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["学号", "姓名"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "3000000001").unwrap();
    sheet.write_string(1, 1, "张三").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    // And a header cell far right, at XFD1.
    sheet.write_string(0, 16_383, "备注").unwrap();
    book.save(&stray).unwrap();
    let stray = stray.display().to_string();
    let err = e.refused(&["import", "students", &stray]);
    assert!(
        err.contains(&format!("{stray}:Sheet1:1048576: column 学号")),
        "{err}"
    );
    let out = e.ok(&["import", "students", &stray, "--skip-bad"]);
    assert!(
        out.contains("1 new, 0 changed, 0 unchanged, 1 bad"),
        "{out}"
    );

    // A zip bomb: 1.1 GB of zeros in 1 MB entries, each a kilobyte compressed.
    let seed = e.path("seed.zip");
    let bomb = e.path("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&seed).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet0.xml", opts).unwrap();
    zip.write_all(&vec![0u8; 1 << 20]).unwrap();
    zip.finish().unwrap();
    let mut src = zip::ZipArchive::new(std::fs::File::open(&seed).unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    for i in 0..1100 {
        let entry = src.by_index_raw(0).unwrap();
        zip.raw_copy_file_rename(entry, format!("xl/worksheets/sheet{i}.xml"))
            .unwrap();
    }
    zip.finish().unwrap();
    let err = e.refused(&["import", "students", &bomb.display().to_string()]);
    assert!(err.contains("would unpack to more than 1 GB"), "{err}");

    // Over 200 MB: refused before a byte is read (a sparse file costs no disk).
    let huge = e.path("huge.xlsx");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(201 << 20)
        .unwrap();
    let err = e.refused(&["import", "grades", &huge.display().to_string()]);
    assert!(
        err.contains("the workbook is 201 MB; yujing reads workbooks up to 200 MB"),
        "{err}"
    );

    let rss = children_max_rss();
    eprintln!("largest resident size of an import: {} MB", rss >> 20);
    assert!(rss < 300 << 20, "an import used {} MB", rss >> 20);
}

#[test]
fn policy_files_with_bad_numbers_huge_text_or_escapes_are_refused_naming_the_line() {
    let e = Env::with_roster();
    e.ok(&["policy", "use", "qzu"]);
    let qzu = e.ok(&["policy", "show", "qzu"]);
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;

    let nan = qzu.replacen("threshold = 6.0", "threshold = nan", 1);
    let f = e.file("nan.toml", nan.as_bytes());
    let line = line_of(&nan, "threshold = nan");
    for cmd in ["check", "use"] {
        let err = e.refused(&["policy", cmd, &f]);
        assert!(
            err.contains(&format!("{f}:{line}: threshold for '")),
            "{err}"
        );
    }

    let esc = qzu.replacen("id = \"qzu\"", "id = \"qzu\\u001b[2J\"", 1);
    let f = e.file("esc.toml", esc.as_bytes());
    let err = e.refused(&["policy", "use", &f]);
    assert!(err.contains("control character U+001B"), "{err}");

    let big = format!("{qzu}\n# {}\n", "x".repeat(5 << 20));
    let f = e.file("big.toml", big.as_bytes());
    let err = e.refused(&["policy", "check", &f]);
    assert!(
        err.contains(&format!("{f}:1: the policy file is over 1 MB")),
        "{err}"
    );
}
