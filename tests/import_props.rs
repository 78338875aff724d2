//! Properties of the reader on files nobody would write on purpose.

mod common;

use std::path::Path;

use common::dump;

use proptest::prelude::*;
use yujing::app::ingest::{Request, import_file};
use yujing::import::{Dataset, FileError, ReadOptions, Row, read_all};

const DATASETS: [Dataset; 5] = [
    Dataset::Students,
    Dataset::Grades,
    Dataset::Absences,
    Dataset::Fitness,
    Dataset::Flags,
];

/// What holds of any file that opens: rows come after the header, each bad row names a
/// column of the file and says why, each good row has records.
fn check_rows(path: &Path, rows: &[Row], header_line: usize) {
    let file = path.display().to_string();
    for row in rows {
        assert!(row.location.line > header_line, "{row:?}");
        assert_eq!(row.location.file, file);
        match &row.result {
            Ok(recs) => assert!(!recs.is_empty()),
            Err(e) => {
                assert!(!e.reason.is_empty() && !e.column.is_empty(), "{e:?}");
                assert_eq!(e.location, row.location);
                assert!(
                    e.to_string()
                        .starts_with(&format!("{}: column ", row.location))
                );
            }
        }
    }
}

fn read_any(path: &Path, dataset: Dataset) {
    match read_all(path, dataset, &ReadOptions::default()) {
        Ok((rows, notes)) => {
            assert!((1..=10).contains(&notes.header_line));
            check_rows(path, &rows, notes.header_line);
        }
        Err(e @ (FileError::MissingColumn { .. } | FileError::Format { .. })) => {
            assert!(e.to_string().starts_with(&path.display().to_string()));
        }
        Err(e @ FileError::Io { .. }) => panic!("{e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_are_read_or_refused(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..3000),
            // Bytes that look like a zip (XLSX) or a header, then noise.
            proptest::collection::vec(any::<u8>(), 0..3000).prop_map(|b| [b"PK\x03\x04".as_slice(), &b].concat()),
            proptest::collection::vec(any::<u8>(), 0..3000)
                .prop_map(|b| [&b"\xEF\xBB\xBF\xE5\xAD\xA6\xE5\x8F\xB7,\xE5\xAD\xA6\xE5\xB9\xB4\xE5\xAD\xA6\xE6\x9C\x9F\n"[..], &b].concat()),
        ]
    ) {
        let dir = tempfile::tempdir().unwrap();
        for ext in ["csv", "xlsx"] {
            let path = dir.path().join(format!("f.{ext}"));
            std::fs::write(&path, &bytes).unwrap();
            for dataset in DATASETS {
                read_any(&path, dataset);
            }
        }
    }
}

/// Header texts per dataset: the required ones, then optional ones the file may carry.
/// Students always get a second column: with a single column no separator can be told
/// from another, and a cell holding a comma would be split.
fn headers(dataset: Dataset) -> (&'static [&'static str], &'static [&'static str]) {
    match dataset {
        Dataset::Students => (
            &["学号", "姓名"],
            &["学院", "班级", "手机", "家庭住址", "辅导员"],
        ),
        Dataset::Grades => (
            &["学号", "学年", "学期", "课程代码", "学分", "成绩"],
            &[
                "姓名",
                "课程名称",
                "课程性质",
                "考核方式",
                "成绩性质",
                "补考成绩",
                "重修成绩",
                "成绩备注",
            ],
        ),
        Dataset::Absences => (&["学号", "学年学期", "旷课学时"], &["姓名"]),
        Dataset::Fitness => (&["学号", "开课学期", "体测成绩"], &["毕业要求"]),
        Dataset::Flags => (&["student_id", "term", "类型"], &["说明"]),
    }
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("2022000001".to_string()),
        Just("２０２２０００００２".to_string()),
        Just("2024-2025".to_string()),
        Just("2024-2025-1".to_string()),
        Just("第二学期".to_string()),
        Just("59.5".to_string()),
        Just("缓考".to_string()),
        Just("补考".to_string()),
        Just("达到".to_string()),
        Just("处分".to_string()),
        Just("必修".to_string()),
        "[a-z0-9 .,;\t\"\n１２]{0,8}",
        "\\PC{0,6}",
    ]
}

fn dataset() -> impl Strategy<Value = Dataset> {
    proptest::sample::select(DATASETS.to_vec())
}

/// A CSV file from valid headers (shuffled, some optional ones) and random cells, with
/// one of the three separators.
fn table() -> impl Strategy<Value = (Dataset, u8, Vec<String>, Vec<Vec<String>>)> {
    dataset().prop_flat_map(|d| {
        let (required, optional) = headers(d);
        let header = (proptest::sample::subsequence(optional.to_vec(), 0..=optional.len()))
            .prop_map(move |opt| {
                required
                    .iter()
                    .chain(opt.iter())
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
            })
            .prop_shuffle();
        let sep = proptest::sample::select(vec![b',', b'\t', b';']);
        (Just(d), sep, header).prop_flat_map(|(d, sep, header)| {
            let width = header.len();
            // A cell may span lines only in a record of the header's width (a record of
            // another width spanning lines is a bad row: see the stray-quote property).
            let row = proptest::collection::vec(cell(), 0..=width + 1).prop_map(move |mut r| {
                if r.iter().any(|c| c.contains('\n')) {
                    r.resize(width, String::new());
                }
                r
            });
            let rows = proptest::collection::vec(row, 0..20);
            (Just(d), Just(sep), Just(header), rows)
        })
    })
}

fn write_csv(path: &Path, sep: u8, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::WriterBuilder::new()
        .delimiter(sep)
        .flexible(true)
        .from_path(path)
        .unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        // csv cannot write a record of no fields; an empty line stands for it.
        if r.is_empty() {
            w.write_record([""]).unwrap();
        } else {
            w.write_record(r).unwrap();
        }
    }
    w.flush().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_cells_under_valid_headers_give_one_row_per_record_at_its_line(
        (dataset, sep, header, rows) in table()
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_csv(&path, sep, &header, &rows);
        let (read, notes) = read_all(&path, dataset, &ReadOptions::default()).unwrap();
        prop_assert_eq!(notes.header_line, 1);
        check_rows(&path, &read, 1);

        // Expected lines: the header is line 1; a record spans 1 + its embedded newlines.
        let mut line = 2;
        let mut expected = Vec::new();
        for r in &rows {
            if !r.iter().all(|c| c.trim().is_empty()) {
                expected.push(line);
            }
            line += 1 + r.iter().map(|c| c.matches('\n').count()).sum::<usize>();
        }
        // One row per non-blank record in file order; then wide-layout retakes, held back
        // until the newest term is known, at their own rows' lines.
        prop_assert!(read.len() >= expected.len());
        let got: Vec<usize> = read[..expected.len()].iter().map(|r| r.location.line).collect();
        let held_back = &read[expected.len()..];
        if notes.layout.as_deref() != Some("wide") {
            prop_assert!(held_back.is_empty());
        }
        prop_assert!(held_back.iter().all(|r| expected.contains(&r.location.line)));
        prop_assert_eq!(got, expected);
    }
}

fn grade_row() -> impl Strategy<Value = Vec<String>> {
    let id = proptest::sample::select(vec!["2022000001", "2022000002", "２０２２０００００３", ""]);
    let year = proptest::sample::select(vec!["2023-2024", "2024-2025", "2024-2026"]);
    let term = proptest::sample::select(vec!["1", "2", "第一学期"]);
    let code = proptest::sample::select(vec!["C1", "C2", "C3"]);
    let credits = proptest::sample::select(vec!["1", "2.5", "４", "x"]);
    let result = proptest::sample::select(vec!["90", "59.5", "优秀", "不及格", "缓考", "", "良"]);
    let kind = proptest::sample::select(vec!["正常考试", "补考", "重修", "缓考", "其他"]);
    (id, year, term, code, credits, result, kind).prop_map(|(a, b, c, d, e, f, g)| {
        [a, b, c, d, e, f, g]
            .iter()
            .map(|s| s.to_string())
            .collect()
    })
}

/// Records and errors of a file, order and location left out.
fn content(path: &Path) -> (Vec<String>, Vec<String>) {
    let (rows, _) = read_all(path, Dataset::Grades, &ReadOptions::default()).unwrap();
    let mut recs = Vec::new();
    let mut errs = Vec::new();
    for r in rows {
        match r.result {
            Ok(v) => recs.extend(v.iter().map(|x| format!("{x:?}"))),
            Err(e) => errs.push(format!("{} {} {}", e.column, e.value, e.reason)),
        }
    }
    recs.sort();
    errs.sort();
    (recs, errs)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn long_layout_results_do_not_depend_on_row_order(
        (rows, shuffled) in proptest::collection::vec(grade_row(), 1..30)
            .prop_flat_map(|rows| (Just(rows.clone()), Just(rows).prop_shuffle()))
    ) {
        let header: Vec<String> =
            ["学号", "学年", "学期", "课程代码", "学分", "成绩", "成绩性质"].iter().map(|s| s.to_string()).collect();
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        write_csv(&a, b',', &header, &rows);
        write_csv(&b, b',', &header, &shuffled);
        prop_assert_eq!(content(&a), content(&b));
    }
}

/// A quote-free cell: every record of a file of these is one line.
fn plain_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("2022000001".to_string()),
        Just("2024-2025-1".to_string()),
        Just("59.5".to_string()),
        Just("处分".to_string()),
        "[a-z0-9 .１２]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A stray quote opening a cell on one line costs that line only: every other line is
    /// still read as its own row, at its own line.
    #[test]
    fn a_stray_quote_costs_its_line_only(
        dataset in dataset(),
        sep in proptest::sample::select(vec![b',', b'\t', b';']),
        rows in proptest::collection::vec(proptest::collection::vec(plain_cell(), 1..8), 1..30),
        at in any::<proptest::sample::Index>(),
        cell in any::<proptest::sample::Index>(),
    ) {
        let (required, _) = headers(dataset);
        let sep_s = (sep as char).to_string();
        let mut lines: Vec<String> = vec![required.join(&sep_s)];
        lines.extend(rows.iter().map(|r| r.join(&sep_s)));
        let k = 1 + at.index(rows.len());
        let mut cells: Vec<String> = rows[k - 1].clone();
        let c = cell.index(cells.len());
        cells[c].insert(0, '"');
        lines[k] = cells.join(&sep_s);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.csv");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();

        let (read, notes) = read_all(&path, dataset, &ReadOptions::default()).unwrap();
        prop_assert_eq!(notes.header_line, 1);
        check_rows(&path, &read, 1);
        let blank = |l: &str| l.split(sep as char).all(|c| c.trim().is_empty());
        let expected: Vec<usize> = (1..lines.len())
            .filter(|&i| i == k || !blank(&lines[i]))
            .map(|i| i + 1)
            .collect();
        let got: Vec<usize> = read.iter().map(|r| r.location.line).collect();
        prop_assert_eq!(&got[..expected.len()], &expected[..]);
        let stray = read.iter().find(|r| r.location.line == k + 1).unwrap();
        prop_assert!(matches!(&stray.result, Err(e) if e.reason.contains("quote")));
    }
}

/// A database with a roster of the ids the generated cells use.
fn roster_db(dir: &Path) -> yujing::db::Db {
    let roster = dir.join("roster.csv");
    std::fs::write(&roster, "学号,姓名\n2022000001,甲\n2022000002,乙\n").unwrap();
    let mut db = yujing::db::Db::open(&dir.join("t.db")).unwrap();
    let out = import_file(&mut db, &roster, Dataset::Students, &Request::default()).unwrap();
    assert!(out.written && out.bad.is_empty());
    db
}

/// Imports `path` and checks the promise: written whole when every row is good, else the
/// database's content is exactly as before.
fn import_keeps_promise(dir: &Path, db: &mut yujing::db::Db, path: &Path, dataset: Dataset) {
    let before = dump(&dir.join("t.db"));
    match import_file(db, path, dataset, &Request::default()) {
        Ok(out) if out.bad.is_empty() => assert!(out.written),
        Ok(out) => {
            assert!(!out.written);
            assert_eq!(dump(&dir.join("t.db")), before);
        }
        Err(e) => {
            assert!(
                e.to_string().starts_with(&path.display().to_string()),
                "{e}"
            );
            assert_eq!(dump(&dir.join("t.db")), before);
        }
    }
}

/// A workbook with `cells` at their (row, column), stray far-away cells included.
fn write_xlsx(path: &Path, cells: &[(u32, u16, String)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, c, v) in cells {
        if let Ok(n) = v.parse::<f64>() {
            sheet.write_number(*r, *c, n).unwrap();
        } else {
            sheet.write_string(*r, *c, v).unwrap();
        }
    }
    book.save(path).unwrap();
}

fn xlsx_cells() -> impl Strategy<Value = (Dataset, Vec<(u32, u16, String)>)> {
    dataset().prop_flat_map(|d| {
        let (required, _) = headers(d);
        let header: Vec<(u32, u16, String)> = required
            .iter()
            .enumerate()
            .map(|(c, h)| (0, c as u16, h.to_string()))
            .collect();
        let width = required.len() as u16;
        let near = (1u32..12, 0..width + 1, cell()).prop_map(|(r, c, v)| (r, c, v));
        let far = (
            prop_oneof![Just(1_048_575u32), 1u32..1_048_576],
            prop_oneof![Just(16_383u16), 0u16..16_384],
            cell(),
        );
        let body = proptest::collection::vec(prop_oneof![8 => near, 1 => far], 0..30);
        (Just(d), Just(header), body).prop_map(|(d, mut header, body)| {
            header.extend(body);
            (d, header)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Any workbook reads or is refused, its rows in sheet order, whatever cells it holds
    /// and however far away: no panic, no allocation for the stated dimension.
    #[test]
    fn arbitrary_workbooks_are_read_cell_by_cell((dataset, cells) in xlsx_cells()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.xlsx");
        write_xlsx(&path, &cells);
        read_any(&path, dataset);
        if let Ok((rows, _)) = read_all(&path, dataset, &ReadOptions::default()) {
            let lines: Vec<usize> = rows.iter().map(|r| r.location.line).collect();
            let mut sorted = lines.clone();
            sorted.sort();
            // Only required headers: never the wide layout, whose retakes would come last.
            prop_assert_eq!(lines, sorted);
        }
        let mut db = roster_db(dir.path());
        import_keeps_promise(dir.path(), &mut db, &path, dataset);
    }

    /// Whatever a CSV or TSV holds, an import lands whole or leaves every row as it was.
    #[test]
    fn an_import_lands_whole_or_not_at_all((dataset, sep, header, rows) in table()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_csv(&path, sep, &header, &rows);
        let mut db = roster_db(dir.path());
        import_keeps_promise(dir.path(), &mut db, &path, dataset);
    }

    /// Arbitrary bytes, imported: refused or landed whole, never half.
    #[test]
    fn arbitrary_bytes_import_whole_or_not_at_all(
        bytes in proptest::collection::vec(any::<u8>(), 0..2000),
        dataset in dataset(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.csv");
        let header = headers(dataset).0.join(",");
        std::fs::write(&path, [header.as_bytes(), b"\n", &bytes].concat()).unwrap();
        let mut db = roster_db(dir.path());
        import_keeps_promise(dir.path(), &mut db, &path, dataset);
    }
}
