//! Reading registrar exports as they come (GBK/UTF-8/BOM CSV, TSV, XLSX with title rows,
//! 正方 long and wide layouts, 强智) into typed records. Knows nothing of the database:
//! checking student ids against the roster happens where records are stored.

use std::fmt;
use std::path::Path;

use crate::model::{Attempt, FitnessRecord, Flag, Student, Term};

/// Which kind of file is being imported (`yujing import KIND FILE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Dataset {
    Students,
    Grades,
    Absences,
    Fitness,
    Flags,
}

#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Overrides encoding detection (`utf-8`, `gbk`, `gb18030` …, any encoding_rs label).
    pub encoding: Option<String>,
    /// XLSX sheet name (default: first sheet).
    pub sheet: Option<String>,
}

/// Where a row came from: `FILE:LINE` for CSV (LINE counts the file's lines from 1, title
/// rows and header included), `FILE:SHEET:ROW` for XLSX (ROW as Excel numbers it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub sheet: Option<String>,
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(s) => write!(f, "{}:{}:{}", self.file, s, self.line),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

/// A bad row: `FILE:LINE: column NAME: value 'V': reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub location: Location,
    /// The header as written in the file (学号, 成绩 …).
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// How much of a value a message echoes: enough to find the cell, not a 10 MB paste.
const ECHO_CHARS: usize = 80;

impl RowError {
    /// `FILE:LINE: column NAME: value 'V': reason` with the words around the reason in `lang`
    /// (the caller puts the reason itself into the language).
    pub fn line(&self, lang: crate::locale::Lang) -> String {
        use crate::text::sanitize;
        // File content is echoed sanitised: an escape sequence in a cell must not reach the
        // terminal.
        let value = sanitize(&self.value);
        let shown = match value.char_indices().nth(ECHO_CHARS) {
            Some((cut, _)) => format!("{}…", &value[..cut]),
            None => value.into_owned(),
        };
        let at = sanitize(&self.location.to_string()).into_owned();
        let column = sanitize(&self.column);
        let reason = sanitize(&self.reason);
        match lang {
            crate::locale::Lang::En => format!("{at}: column {column}: value '{shown}': {reason}"),
            crate::locale::Lang::Zh => format!("{at}：列 {column}：值 '{shown}'：{reason}"),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(crate::locale::Lang::En))
    }
}

/// A whole-file problem: unreadable file, no header with the required columns …
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error(
        "{file}: missing required column {missing} (accepted headers: {accepted}); headers found: {found}"
    )]
    MissingColumn {
        file: String,
        missing: String,
        accepted: String,
        found: String,
    },
    #[error("{file}: {message}")]
    Format { file: String, message: String },
}

/// One typed record. A wide-layout grades row yields several `Grade` records.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Student(Student),
    Grade {
        student_id: String,
        attempt: Attempt,
    },
    /// `seq` tells apart several rows of one student in one term (they are summed), so that
    /// importing the same file twice changes nothing.
    Absence {
        student_id: String,
        term: Term,
        hours: f64,
        seq: String,
    },
    Fitness {
        student_id: String,
        record: FitnessRecord,
    },
    Flag {
        student_id: String,
        flag: Flag,
    },
}

/// One data row of the file, read: its location and either its records or why it is bad.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub location: Location,
    pub result: Result<Vec<Record>, RowError>,
}

/// Facts about the file worth telling the user in the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadNotes {
    /// The encoding used (detected or forced).
    pub encoding: String,
    /// Grades layout: `long` or `wide` (None for other datasets).
    pub layout: Option<String>,
    /// Rows whose result was empty (not yet recorded), kept as pending.
    pub empty_results: usize,
    /// Wide layout: retake results dated to this term (the newest the file holds).
    pub retake_term_assumed: Option<Term>,
    /// 1-based line of the header row.
    pub header_line: usize,
    /// The student id column's header as written (学号, 学生学号 …), for messages.
    pub id_header: String,
    /// Fields named by several columns, and which one was read: `成绩 (not 总评成绩)`.
    pub alternatives: Vec<String>,
    /// Grades: the nature columns read (课程性质, 课程属性, 课程类别), most decisive first.
    pub nature_columns: Vec<String>,
    /// Grades: whether the file has a 考核方式 column.
    pub has_assessment: bool,
    /// Grades: every distinct nature value, with the class it got (None: no class yet).
    pub natures: Vec<(String, Option<crate::model::Nature>)>,
}

pub mod detect;
pub mod dupes;
pub mod headers;
mod kind;
mod limits;
mod lines;
pub mod reader;
pub mod rows;
mod sheet;

pub use reader::{FileReader, open};

/// Convenience for callers that just want every row (tests, small files).
pub fn read_all(
    path: &Path,
    dataset: Dataset,
    opts: &ReadOptions,
) -> Result<(Vec<Row>, ReadNotes), FileError> {
    let mut r = open(path, dataset, opts)?;
    let rows: Vec<Row> = r.by_ref().collect();
    Ok((rows, r.notes().clone()))
}
