//! Import rules through the real binary: an empty cell never erases a stored value (fitness
//! and flags as well as the roster), an archived cohort refuses new rows, and a bad row's
//! message speaks the chosen language.

mod common;

use common::{Env, dump};

const ROSTER: &str = "学号,姓名,年级\n2022000001,张三,2022\n2015000001,李四,2015\n";

fn env() -> Env {
    let e = Env::new();
    let roster = e.file("students.csv", ROSTER.as_bytes());
    e.ok(&["import", "students", &roster]);
    e
}

/// The stored row(s) of one table, as text.
fn table(e: &Env, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(e.db()).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        Ok((0..n)
            .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
            .collect::<Vec<_>>()
            .join(" "))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("")
}

#[test]
fn an_empty_fitness_cell_or_missing_column_keeps_the_stored_value() {
    let e = env();
    let sql = "SELECT score, word, graduation_met FROM fitness";
    let first = e.file(
        "f1.csv",
        "学号,学年学期,体测成绩,毕业要求\n2022000001,2024-2025-1,55,未达到\n".as_bytes(),
    );
    e.ok(&["import", "fitness", &first]);
    let stored = table(&e, sql);
    assert_eq!(stored, ["Real(55.0) Null Integer(0)"]);

    // The score cell left empty: the score stays, and nothing counts as changed.
    let blank = e.file(
        "f2.csv",
        "学号,学年学期,体测成绩,毕业要求\n2022000001,2024-2025-1,,未达到\n".as_bytes(),
    );
    let out = e.ok(&["import", "fitness", &blank]);
    assert!(
        last_line(&out).ends_with("0 new, 0 changed, 1 unchanged, 0 bad"),
        "{out}"
    );
    assert_eq!(table(&e, sql), stored);

    // No 毕业要求 column: a new score lands, the requirement stays.
    let no_column = e.file(
        "f3.csv",
        "学号,学年学期,体测成绩\n2022000001,2024-2025-1,良好\n".as_bytes(),
    );
    let out = e.ok(&["import", "fitness", &no_column]);
    assert!(last_line(&out).contains("1 changed"), "{out}");
    assert_eq!(table(&e, sql), ["Null Text(\"良好\") Integer(0)"]);
}

#[test]
fn an_empty_flag_note_keeps_the_stored_note() {
    let e = env();
    let sql = "SELECT kind, note FROM flags";
    let first = e.file(
        "g1.csv",
        "学号,学年学期,类型,说明\n2022000001,2024-2025-1,处分,考试作弊\n".as_bytes(),
    );
    e.ok(&["import", "flags", &first]);
    let stored = table(&e, sql);
    assert_eq!(stored, ["Integer(0) Text(\"考试作弊\")"]);
    for (name, text) in [
        (
            "g2.csv",
            "学号,学年学期,类型,说明\n2022000001,2024-2025-1,处分,\n",
        ),
        (
            "g3.csv",
            "学号,学年学期,类型\n2022000001,2024-2025-1,处分\n",
        ),
    ] {
        let f = e.file(name, text.as_bytes());
        let out = e.ok(&["import", "flags", &f]);
        assert!(last_line(&out).contains("1 unchanged"), "{name}: {out}");
        assert_eq!(table(&e, sql), stored, "{name}");
    }
}

#[test]
fn an_archived_cohort_refuses_rows_and_nothing_is_written() {
    let e = env();
    e.ok(&["archive", "--cohort", "2015"]);
    let before = dump(&e.db());
    let grades = e.file(
        "grades.csv",
        "学号,学年学期,课程代码,学分,成绩\n2022000001,2024-2025-1,C1,2,80\n2015000001,2015-2016-1,C1,2,80\n"
            .as_bytes(),
    );
    let err = e.fails(&["import", "grades", &grades]);
    assert!(
        err.contains(&format!("{grades}:3: column 学号: value '2015000001': ")),
        "{err}"
    );
    assert!(err.contains("archived cohort 2015"), "{err}");
    assert!(err.contains("--skip-bad"), "{err}");
    assert_eq!(dump(&e.db()), before, "nothing written");

    // The roster too: neither a stored student of that cohort nor a new one in it.
    let roster = e.file(
        "more.csv",
        "学号,姓名,年级\n2015000001,李四四,2015\n2015000002,王五,2015\n".as_bytes(),
    );
    let err = e.fails(&["--lang", "zh", "import", "students", &roster]);
    assert!(err.contains(":2: 列 学号: 值 '2015000001': "), "{err}");
    assert!(err.contains(":3: 列 学号: 值 '2015000002': "), "{err}");
    assert!(err.contains("已归档的 2015 级"), "{err}");
    assert_eq!(dump(&e.db()), before, "nothing written");

    // --skip-bad lands the other cohort's row.
    let out = e.ok(&["import", "grades", &grades, "--skip-bad"]);
    assert!(
        last_line(&out).ends_with("1 new, 0 changed, 0 unchanged, 1 bad"),
        "{out}"
    );
}

#[test]
fn a_bad_rows_message_speaks_the_chosen_language() {
    let e = env();
    let grades = e.file(
        "grades.csv",
        "学号,学年学期,课程代码,学分,成绩\n2022000001,2024-2025-1,C1,99,80\n,2024-2025-1,C2,2,80\n"
            .as_bytes(),
    );
    let zh = e.fails(&["--lang", "zh", "import", "grades", &grades]);
    assert!(
        zh.contains(&format!(
            "{grades}:2: 列 学分: 值 '99': 不是学分（应为 0 到 30 的数）"
        )),
        "{zh}"
    );
    assert!(
        zh.contains(&format!("{grades}:3: 列 学号: 值 '': 缺少学号")),
        "{zh}"
    );
    assert!(!zh.contains("column") && !zh.contains("expected"), "{zh}");
    let en = e.fails(&["--lang", "en", "import", "grades", &grades]);
    assert!(
        en.contains(&format!(
            "{grades}:2: column 学分: value '99': not a number of credits (expected a number from 0 to 30)"
        )),
        "{en}"
    );
    assert!(
        en.contains(&format!(
            "{grades}:3: column 学号: value '': missing student id"
        )),
        "{en}"
    );
}
