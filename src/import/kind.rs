//! Telling a file of another kind from a bad file of the asked kind: a grades file imported
//! as `students` has every column a roster needs (学号), and used to overwrite the roster.

use super::Dataset;
use super::headers::{Columns, Field, HeaderSearch};
use crate::locale::Lang;

const OTHERS: [Dataset; 4] = [
    Dataset::Grades,
    Dataset::Absences,
    Dataset::Fitness,
    Dataset::Flags,
];

fn name(d: Dataset) -> &'static str {
    match d {
        Dataset::Students => "students",
        Dataset::Grades => "grades",
        Dataset::Absences => "absences",
        Dataset::Fitness => "fitness",
        Dataset::Flags => "flags",
    }
}

fn name_zh(d: Dataset) -> &'static str {
    match d {
        Dataset::Students => "学生名单",
        Dataset::Grades => "成绩",
        Dataset::Absences => "旷课",
        Dataset::Fitness => "体测",
        Dataset::Flags => "标记",
    }
}

/// A roster names students: at least two of its profile columns besides 学号.
fn is_roster(cells: &[&str]) -> bool {
    let cols = Columns::from_row(cells);
    let profile = [
        Field::Name,
        Field::College,
        Field::Major,
        Field::Cohort,
        Field::Class,
        Field::Phone,
        Field::Parent,
        Field::ParentPhone,
        Field::Address,
        Field::ClassTeacher,
        Field::Counsellor,
    ];
    cols.has(Field::StudentId) && profile.iter().filter(|f| cols.has(**f)).count() >= 2
}

/// The other kind whose header this row is, if any (checked most specific first).
fn header_of(dataset: Dataset, cells: &[&str]) -> Option<Dataset> {
    let other = OTHERS
        .into_iter()
        .filter(|d| *d != dataset)
        .find(|d| HeaderSearch::new(*d).offer(cells).is_some());
    other
        .or_else(|| (dataset != Dataset::Students && is_roster(cells)).then_some(Dataset::Students))
}

/// A header row accepted for `dataset` that is really another kind's: only a students import
/// can be fooled so, since every other kind needs columns of its own.
pub fn looks_like_other(dataset: Dataset, cells: &[&str]) -> Option<Dataset> {
    if dataset != Dataset::Students {
        return None;
    }
    header_of(dataset, cells)
}

/// Remembers, over the rows searched for a header, the first that is another kind's header.
#[derive(Default)]
pub struct KindGuess {
    rows: Vec<Vec<String>>,
}

impl KindGuess {
    pub fn offer(&mut self, cells: &[&str]) {
        self.rows
            .push(cells.iter().map(|c| c.to_string()).collect());
    }

    /// The kind the file seems to be, when no header for `dataset` was found.
    pub fn guess(&self, dataset: Dataset) -> Option<Dataset> {
        self.rows.iter().find_map(|row| {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            header_of(dataset, &cells)
        })
    }
}

/// The refusal, with the command to run instead, in the language of the run.
pub fn wrong_kind(asked: Dataset, is: Dataset, file: &str, lang: Lang) -> String {
    let quoted = if file.contains([' ', '\'', '"']) {
        format!("'{}'", file.replace('\'', r"'\''"))
    } else {
        file.to_string()
    };
    let (is_en, asked_en) = (name(is), name(asked));
    match lang {
        Lang::Zh => format!(
            "这像是{}文件，不是{}文件，未导入任何数据；请运行 yujing import {is_en} {quoted}",
            name_zh(is),
            name_zh(asked),
        ),
        Lang::En => format!(
            "this looks like {} {is_en} file, not {} {asked_en} file: nothing imported; run `yujing import {is_en} {quoted}`",
            article(is_en),
            article(asked_en),
        ),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grades_header_is_not_a_roster() {
        let grades = ["学号", "姓名", "学年学期", "课程代码", "学分", "成绩"];
        assert_eq!(
            looks_like_other(Dataset::Students, &grades),
            Some(Dataset::Grades)
        );
        let absences = ["学号", "学年学期", "旷课学时"];
        assert_eq!(
            looks_like_other(Dataset::Students, &absences),
            Some(Dataset::Absences)
        );
        let roster = ["学号", "姓名", "班级", "手机"];
        assert_eq!(looks_like_other(Dataset::Students, &roster), None);
        // Other kinds need columns of their own: their header check already tells.
        assert_eq!(looks_like_other(Dataset::Grades, &grades), None);
    }

    #[test]
    fn a_failed_header_search_names_the_kind_found() {
        let mut g = KindGuess::default();
        g.offer(&["某某大学学生名单"]);
        g.offer(&["学号", "姓名", "班级"]);
        assert_eq!(g.guess(Dataset::Grades), Some(Dataset::Students));
        let mut g = KindGuess::default();
        g.offer(&["学号", "学年学期", "课程代码", "学分", "成绩"]);
        assert_eq!(g.guess(Dataset::Absences), Some(Dataset::Grades));
        let mut g = KindGuess::default();
        g.offer(&["学号", "成绩"]);
        assert_eq!(g.guess(Dataset::Grades), None);
        let msg = wrong_kind(Dataset::Students, Dataset::Grades, "my file.csv", Lang::En);
        assert!(
            msg.contains("run `yujing import grades 'my file.csv'`"),
            "{msg}"
        );
        let msg = wrong_kind(Dataset::Grades, Dataset::Absences, "a.csv", Lang::En);
        assert!(msg.contains("an absences file, not a grades file"), "{msg}");
        let msg = wrong_kind(Dataset::Students, Dataset::Grades, "a.csv", Lang::Zh);
        assert!(msg.contains("请运行 yujing import grades a.csv"), "{msg}");
    }
}
