//! The registrar samples in fixtures/samples and the deliberately bad files in
//! fixtures/import, read as a counsellor would: no options.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use yujing::import::{Dataset, FileError, ReadNotes, ReadOptions, Record, Row, read_all};
use yujing::model::{AttemptKind, Mark, Student, Term};

fn fixture(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir)
        .join(name)
}

fn read(path: &Path, dataset: Dataset) -> (Vec<Row>, ReadNotes) {
    read_all(path, dataset, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn records(rows: &[Row]) -> Vec<Record> {
    rows.iter()
        .flat_map(|r| match &r.result {
            Ok(recs) => recs.clone(),
            Err(e) => panic!("bad row: {e}"),
        })
        .collect()
}

fn dataset_of(file: &str) -> Dataset {
    [
        ("students", Dataset::Students),
        ("grades", Dataset::Grades),
        ("absences", Dataset::Absences),
        ("fitness", Dataset::Fitness),
        ("flags", Dataset::Flags),
    ]
    .into_iter()
    .find(|(prefix, _)| file.starts_with(prefix))
    .map(|(_, d)| d)
    .unwrap_or_else(|| panic!("no dataset for sample {file}"))
}

#[test]
fn every_sample_imports_without_options() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/samples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".md") {
            continue;
        }
        let (rows, notes) = read(&path, dataset_of(&name));
        assert!(!rows.is_empty(), "{name}: no rows");
        let recs = records(&rows);
        assert!(recs.len() >= rows.len(), "{name}");
        // Lines strictly increase for rows read in file order (wide retakes come last).
        let lines: Vec<usize> = rows.iter().map(|r| r.location.line).collect();
        let in_order =
            rows.len() - usize::from(notes.retake_term_assumed.is_some()) * retakes(&recs);
        assert!(
            lines[..in_order].windows(2).all(|w| w[0] < w[1]),
            "{name}: lines {lines:?}"
        );
        assert!(lines[0] > notes.header_line, "{name}");
        seen += 1;
    }
    assert_eq!(seen, 12);
}

fn retakes(recs: &[Record]) -> usize {
    recs.iter()
        .filter(
            |r| matches!(r, Record::Grade { attempt, .. } if attempt.kind == AttemptKind::Retake),
        )
        .count()
}

#[test]
fn encodings_and_layouts_are_detected() {
    let notes = |f: &str| read(&fixture("samples", f), dataset_of(f)).1;
    assert_eq!(notes("grades.csv").encoding, "UTF-8");
    assert_eq!(notes("grades.zf-long.gbk.csv").encoding, "GBK");
    assert_eq!(notes("students.gbk.csv").encoding, "GBK");
    assert_eq!(notes("grades.zf-wide.csv").encoding, "UTF-8 with BOM");
    // GB18030 without four-byte characters is byte for byte GBK.
    assert!(["GBK", "GB18030"].contains(&notes("grades.qz.tsv").encoding.as_str()));
    assert_eq!(notes("grades.xlsx").encoding, "XLSX");
    assert_eq!(notes("grades.csv").layout.as_deref(), Some("long"));
    assert_eq!(notes("grades.qz.tsv").layout.as_deref(), Some("long"));
    let wide = notes("grades.zf-wide.csv");
    assert_eq!(wide.layout.as_deref(), Some("wide"));
    assert_eq!(
        wide.retake_term_assumed,
        Some("2024-2025-2".parse().unwrap())
    );
    assert_eq!(notes("grades.csv").retake_term_assumed, None);
    assert_eq!(notes("students.csv").layout, None);
}

/// (student, course, term, kind, result) with the mark in a comparable form.
type Key = (String, String, Option<Term>, AttemptKind, String);

fn attempt_keys(file: &str) -> BTreeSet<Key> {
    let (rows, _) = read(&fixture("samples", file), Dataset::Grades);
    records(&rows)
        .into_iter()
        .map(|r| match r {
            Record::Grade {
                student_id,
                attempt: a,
            } => (
                student_id,
                a.course_code.to_string(),
                Some(a.term),
                a.kind,
                format!("{:?}", a.mark),
            ),
            other => panic!("{file}: not a grade: {other:?}"),
        })
        .collect()
}

const GRADE_FILES: [&str; 5] = [
    "grades.csv",
    "grades.zf-long.gbk.csv",
    "grades.zf-wide.csv",
    "grades.qz.tsv",
    "grades.xlsx",
];

fn split_retakes(keys: &BTreeSet<Key>) -> (BTreeSet<Key>, BTreeSet<Key>) {
    let (retakes, rest): (BTreeSet<Key>, BTreeSet<Key>) = keys
        .iter()
        .cloned()
        .partition(|k| k.3 == AttemptKind::Retake);
    let undated = retakes
        .into_iter()
        .map(|(s, c, _, k, m)| (s, c, None, k, m))
        .collect();
    (rest, undated)
}

#[test]
fn all_grade_shapes_hold_the_same_attempts() {
    let reference = attempt_keys("grades.csv");
    assert_eq!(reference.len(), 986);
    let newest: Term = "2024-2025-2".parse().unwrap();
    let (ref_rest, ref_retakes) = split_retakes(&reference);
    for file in &GRADE_FILES[1..] {
        let keys = attempt_keys(file);
        let (rest, retakes) = split_retakes(&keys);
        // Every sitting but retakes is identical, term included; retakes agree but for the
        // wide layout's assumed term.
        assert_eq!(rest, ref_rest, "{file}");
        assert_eq!(retakes, ref_retakes, "{file}");
        let in_newest = |ks: &BTreeSet<Key>| -> BTreeSet<Key> {
            ks.iter()
                .filter(|k| k.2 == Some(newest) && k.3 != AttemptKind::Retake)
                .cloned()
                .collect()
        };
        assert_eq!(in_newest(&keys), in_newest(&reference), "{file}");
        if *file != "grades.zf-wide.csv" {
            assert_eq!(keys, reference, "{file}");
        } else {
            assert!(
                keys.iter()
                    .filter(|k| k.3 == AttemptKind::Retake)
                    .all(|k| k.2 == Some(newest))
            );
            assert_ne!(
                keys, reference,
                "the sample has retakes sat before the newest term"
            );
        }
    }
}

/// The best outcome so far of every course: passed, failed or pending.
fn best_outcomes(file: &str) -> BTreeMap<(String, String), Option<bool>> {
    let (rows, _) = read(&fixture("samples", file), Dataset::Grades);
    let mut best: BTreeMap<(String, String), Option<bool>> = BTreeMap::new();
    for r in records(&rows) {
        let Record::Grade {
            student_id,
            attempt,
        } = r
        else {
            panic!()
        };
        let outcome = attempt.mark.passed(60.0);
        let slot = best
            .entry((student_id, attempt.course_code.to_string()))
            .or_insert(None);
        *slot = match (*slot, outcome) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), _) | (_, Some(false)) => Some(false),
            _ => None,
        };
    }
    best
}

#[test]
fn zhengfang_v9_holds_the_same_attempts_with_makeups_dated_when_sat() {
    let undated = |ks: BTreeSet<Key>| -> BTreeSet<Key> {
        ks.into_iter()
            .map(|(s, c, t, k, m)| {
                let t = if k == AttemptKind::Makeup { None } else { t };
                (s, c, t, k, m)
            })
            .collect()
    };
    let reference = attempt_keys("grades.csv");
    let v9 = attempt_keys("grades.zf-v9.csv");
    assert_eq!(undated(v9.clone()), undated(reference.clone()));
    let moved = v9.difference(&reference).count();
    assert!(
        moved > 0,
        "the v9 sample dates some makeups in the next term"
    );
    let (_, notes) = read(&fixture("samples", "grades.zf-v9.csv"), Dataset::Grades);
    assert_eq!(notes.nature_columns, ["课程性质", "课程类别"]);
    // Long nature names are classified as import.md says, and each value is listed.
    let class = |v: &str| {
        notes
            .natures
            .iter()
            .find(|(raw, _)| raw == v)
            .map(|(_, n)| n.clone())
    };
    assert_eq!(
        class("专业必修课"),
        Some(Some(yujing::model::Nature::Required))
    );
    assert_eq!(
        class("任意选修课"),
        Some(Some(yujing::model::Nature::GeneralElective))
    );
}

#[test]
fn all_grade_shapes_give_the_same_best_outcomes() {
    let reference = best_outcomes("grades.csv");
    assert!(reference.values().any(|o| *o == Some(false)));
    assert!(
        reference.values().any(|o| o.is_none()),
        "deferred courses stay pending"
    );
    for file in &GRADE_FILES[1..] {
        assert_eq!(best_outcomes(file), reference, "{file}");
    }
}

#[test]
fn results_keep_their_shape_and_full_width_digits_are_read() {
    let (rows, _) = read(&fixture("samples", "grades.qz.tsv"), Dataset::Grades);
    let first = records(&rows[..1]).remove(0);
    let Record::Grade {
        student_id,
        attempt,
    } = first
    else {
        panic!()
    };
    // The cell is " 不及格 " in the file, padded.
    assert_eq!(
        (student_id.as_str(), attempt.result.as_ref(), attempt.mark),
        ("2022000000", "不及格", Mark::FailWord)
    );
    assert_eq!(&*attempt.course_code, "B000000");
    // Full-width digits: 大学物理 is "９５" there.
    let physics = records(&rows)
        .into_iter()
        .find_map(|r| match r {
            Record::Grade { attempt, .. } if &*attempt.course_code == "B000100" => Some(attempt),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (physics.result.as_ref(), physics.mark),
        ("95", Mark::Score(95.0))
    );
    let (rows, _) = read(&fixture("samples", "grades.xlsx"), Dataset::Grades);
    let Record::Grade {
        student_id,
        attempt,
    } = records(&rows[..1]).remove(0)
    else {
        panic!()
    };
    assert_eq!(
        (
            student_id.as_str(),
            attempt.result.as_ref(),
            attempt.credits
        ),
        ("2022000000", "不及格", 1.0)
    );
}

fn students(file: &str) -> Vec<Student> {
    let (rows, _) = read(&fixture("samples", file), Dataset::Students);
    records(&rows)
        .into_iter()
        .map(|r| match r {
            Record::Student(s) => s,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn the_three_student_files_agree() {
    let csv = students("students.csv");
    assert_eq!(csv.len(), 40);
    assert!(
        csv.iter()
            .all(|s| !s.college.is_empty() && !s.counsellor.is_empty())
    );
    assert_eq!(students("students.gbk.csv"), csv);
    // The XLSX export has no 学院 column: everything else is the same.
    let without_college: Vec<Student> = csv
        .iter()
        .map(|s| Student {
            college: String::new(),
            ..s.clone()
        })
        .collect();
    assert_eq!(students("students.xlsx"), without_college);
}

#[test]
fn xlsx_title_row_is_skipped_and_rows_are_excel_numbered() {
    let (rows, notes) = read(&fixture("samples", "students.xlsx"), Dataset::Students);
    assert_eq!(notes.header_line, 2);
    assert_eq!(rows[0].location.sheet.as_deref(), Some("学生名单"));
    assert_eq!(rows[0].location.line, 3);
    assert_eq!(rows[39].location.line, 42);
    let shown = rows[0].location.to_string();
    assert!(shown.ends_with("students.xlsx:学生名单:3"), "{shown}");
}

#[test]
fn absences_fitness_and_flags_read_their_fields() {
    let (rows, _) = read(&fixture("samples", "absences.csv"), Dataset::Absences);
    let recs = records(&rows);
    assert_eq!(recs.len(), 10);
    assert!(
        matches!(&recs[0], Record::Absence { student_id, term, hours, seq }
        if student_id == "2022000004" && term.to_string() == "2023-2024-1" && *hours == 2.0 && seq == "1")
    );
    let (rows, _) = read(&fixture("samples", "fitness.csv"), Dataset::Fitness);
    let recs = records(&rows);
    assert!(matches!(&recs[1], Record::Fitness { record, .. } if record.score == Some(66.0)));
    let (rows, _) = read(&fixture("samples", "flags.csv"), Dataset::Flags);
    assert_eq!(records(&rows).len(), 3);
}

/// The only bad rows of a file, as the user sees them.
fn errors(name: &str, dataset: Dataset) -> (String, Vec<String>, usize) {
    let path = fixture("import", name);
    let (rows, _) = read(&path, dataset);
    let bad = rows
        .iter()
        .filter_map(|r| r.result.as_ref().err())
        .map(ToString::to_string)
        .collect();
    (path.display().to_string(), bad, rows.len())
}

#[test]
fn a_bad_result_is_reported_with_its_line() {
    let (file, bad, n) = errors("bad-result.csv", Dataset::Grades);
    assert_eq!(n, 4);
    assert_eq!(
        bad,
        [format!(
            "{file}:4: column 成绩: value '良好好': not a result (expected a number from 0 to 100, a grade word, 缓考 or 免修)"
        )]
    );
    let (_, notes) = read(&fixture("import", "bad-result.csv"), Dataset::Grades);
    assert_eq!(notes.empty_results, 1);
}

#[test]
fn a_bad_term_is_reported_with_its_line() {
    let (file, bad, _) = errors("bad-term.csv", Dataset::Grades);
    assert_eq!(
        bad,
        [format!(
            "{file}:3: column 开课学期: value '2024-2026-1': not a term (expected YYYY-YYYY-N, e.g. 2024-2025-1)"
        )]
    );
}

#[test]
fn a_gbk_file_with_crlf_reports_its_bad_row() {
    let (file, bad, n) = errors("bad-row.gbk.csv", Dataset::Grades);
    assert_eq!(n, 4);
    assert_eq!(
        bad,
        [format!(
            "{file}:4: column 学分: value '两': not a number of credits (expected a number from 0 to 30)"
        )]
    );
}

#[test]
fn title_rows_count_as_lines() {
    let (file, bad, n) = errors("title-rows.csv", Dataset::Grades);
    assert_eq!(n, 4);
    assert_eq!(
        bad,
        [format!(
            "{file}:6: column 考试性质: value '补考三': not an attempt kind (expected 正常考试, 补考, 补考一, 补考二, 毕业前补考, 清考, 重修, 重修补考 or 缓考)"
        )]
    );
    let (rows, notes) = read(&fixture("import", "title-rows.csv"), Dataset::Grades);
    assert_eq!(notes.header_line, 3);
    assert_eq!(rows[0].location.line, 4);
}

#[test]
fn a_multiline_cell_counts_all_its_lines() {
    let (file, bad, _) = errors("multiline.csv", Dataset::Grades);
    assert_eq!(
        bad,
        [format!(
            "{file}:7: column 学号: value '': missing student id"
        )]
    );
    let (rows, _) = read(&fixture("import", "multiline.csv"), Dataset::Grades);
    let lines: Vec<usize> = rows.iter().map(|r| r.location.line).collect();
    assert_eq!(lines, [2, 6, 7, 8]);
    let Record::Grade { attempt, .. } = records(&rows[..1]).remove(0) else {
        panic!()
    };
    assert_eq!(&*attempt.course_name, "高等数学\r\n（上）\r\n含习题课");
}

#[test]
fn a_missing_column_names_what_is_accepted_and_found() {
    let path = fixture("import", "missing-column.csv");
    let err = read_all(&path, Dataset::Grades, &ReadOptions::default()).expect_err("must fail");
    let FileError::MissingColumn {
        missing,
        accepted,
        found,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(missing, "学分");
    assert_eq!(accepted, "学分: 学分, credits");
    assert_eq!(found, "学号, 学年, 学期, 课程代码, 课程名称, 成绩");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: missing required column 学分 (accepted headers: 学分: 学分, credits); headers found: 学号, 学年, 学期, 课程代码, 课程名称, 成绩",
            path.display()
        )
    );
}

#[test]
fn a_student_file_is_not_a_grades_file() {
    let err = read_all(
        &fixture("samples", "students.csv"),
        Dataset::Grades,
        &ReadOptions::default(),
    )
    .err();
    // A roster has no grades columns: it is named for what it is, with the command to run.
    let Some(FileError::Format { message, .. }) = err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains("this looks like a students file, not a grades file"),
        "{message}"
    );
    assert!(
        !message.contains("这像是"),
        "one language at a time: {message}"
    );
    let zh = ReadOptions {
        lang: yujing::locale::Lang::Zh,
        ..ReadOptions::default()
    };
    let err = read_all(&fixture("samples", "fitness.csv"), Dataset::Absences, &zh).err();
    let Some(FileError::Format { message, .. }) = err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains("这像是体测文件，不是旷课文件") && !message.contains("looks like"),
        "{message}"
    );
}

#[test]
fn forced_encoding_and_sheet_options() {
    let gbk = fixture("samples", "students.gbk.csv");
    let forced = ReadOptions {
        encoding: Some("gb18030".into()),
        ..ReadOptions::default()
    };
    let (rows, notes) = read_all(&gbk, Dataset::Students, &forced).unwrap();
    assert_eq!(notes.encoding, "gb18030");
    assert_eq!(records(&rows), records(&read(&gbk, Dataset::Students).0));

    let bad = ReadOptions {
        encoding: Some("klingon".into()),
        ..ReadOptions::default()
    };
    assert!(matches!(
        read_all(&gbk, Dataset::Students, &bad),
        Err(FileError::Format { .. })
    ));

    let xlsx = fixture("samples", "students.xlsx");
    let named = ReadOptions {
        sheet: Some("学生名单".into()),
        ..ReadOptions::default()
    };
    assert_eq!(
        read_all(&xlsx, Dataset::Students, &named).unwrap().0.len(),
        40
    );
    let missing = ReadOptions {
        sheet: Some("Sheet9".into()),
        ..ReadOptions::default()
    };
    let err = read_all(&xlsx, Dataset::Students, &missing).expect_err("no such sheet");
    assert!(
        err.to_string()
            .contains("no sheet 'Sheet9' (sheets: 学生名单)"),
        "{err}"
    );
}

#[test]
fn progress_rises_to_the_total() {
    for file in ["grades.zf-long.gbk.csv", "grades.xlsx"] {
        let mut r = yujing::import::open(
            &fixture("samples", file),
            Dataset::Grades,
            &ReadOptions::default(),
        )
        .unwrap();
        let (_, total) = r.progress();
        assert!(total > 0, "{file}");
        let mut done = Vec::new();
        while r.next().is_some() {
            done.push(r.progress().0);
        }
        assert!(done.windows(2).all(|w| w[0] <= w[1]), "{file}");
        assert_eq!(r.progress(), (total, total), "{file}");
    }
}
