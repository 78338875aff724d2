//! Writing a cohort in the shapes registrar systems export (see fixtures/samples/README.md).
//! CSV writers stream row by row through a `BufWriter` and reuse one line buffer, so two
//! million rows cost a few seconds and little memory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use yujing::model::{Attempt, AttemptKind, Mark, Nature, Student, Term};

use super::curriculum::{
    PREFIX_COMMON, PREFIX_ELECTIVE, PREFIX_GENERAL, PREFIX_MAJOR, PREFIX_PRACTICAL,
};
use super::{Cohort, CohortSpec};

/// Text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-8 with a byte order mark, as Excel saves "CSV UTF-8".
    Utf8Bom,
    /// GBK, as most registrar systems in China still export.
    Gbk,
}

/// Grade file layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeLayout {
    /// 学号,姓名,学年,学期,课程代码,课程名称,课程性质,考核方式,学分,成绩,成绩性质
    Long,
    /// 正方 v9 export: the long layout in another column order with 绩点, 开课学院, 教学班.
    ZfLong,
}

pub(super) const LONG_HEADER: &[&str] = &[
    "学号",
    "姓名",
    "学年",
    "学期",
    "课程代码",
    "课程名称",
    "课程性质",
    "考核方式",
    "学分",
    "成绩",
    "成绩性质",
];
const ZF_HEADER: &[&str] = &[
    "学年",
    "学期",
    "课程代码",
    "课程名称",
    "课程性质",
    "学分",
    "成绩",
    "绩点",
    "成绩性质",
    "考核方式",
    "开课学院",
    "教学班",
    "学号",
    "姓名",
];
const STUDENT_HEADER: &[&str] = &[
    "学号",
    "姓名",
    "学院",
    "专业",
    "年级",
    "班级",
    "手机",
    "家长姓名",
    "家长电话",
    "班主任",
    "辅导员",
    "家庭地址",
];
/// The GBK roster of the samples: class first, and the other spelling of the address header.
pub(super) const STUDENT_HEADER_REGISTRAR: &[&str] = &[
    "班级",
    "学号",
    "姓名",
    "学院",
    "专业",
    "年级",
    "手机",
    "家长姓名",
    "家长电话",
    "班主任",
    "辅导员",
    "家庭住址",
];
pub(super) const STUDENT_XLSX_HEADER: &[&str] = &[
    "学号",
    "姓名",
    "学院",
    "班级",
    "专业",
    "年级",
    "辅导员",
    "班主任",
    "手机",
    "家长姓名",
    "家长电话",
];
const ABSENCE_HEADER: &[&str] = &["学号", "学年", "学期", "旷课学时"];
const FITNESS_HEADER: &[&str] = &["学号", "学年", "学期", "体测成绩", "毕业要求"];
const FLAG_HEADER: &[&str] = &["学号", "学年", "学期", "类型", "说明"];

/// Title rows above the header, as registrar exports print them.
pub(super) const GRADES_TITLE: &str = "某某大学学生成绩表";
pub(super) const STUDENTS_TITLE: &str = "某某大学学生名单（导出时间 2025-03-01）";

/// A CSV sink: quotes where needed, ends lines with LF, encodes on the way out.
struct CsvOut<W: Write> {
    w: W,
    gbk: Option<GbkCache>,
    line: Vec<u8>,
}

/// GBK encoding field by field, remembering what it encoded: names and course names repeat
/// on every row, and encoding them once keeps a 2,000,000-row GBK file fast.
struct GbkCache {
    encoder: encoding_rs::Encoder,
    seen: HashMap<Box<str>, Box<[u8]>>,
    scratch: Vec<u8>,
}

/// Bounds the cache; past it the cache starts afresh (only speed is at stake).
const GBK_CACHE_LIMIT: usize = 100_000;

impl GbkCache {
    fn put(&mut self, field: &str, out: &mut Vec<u8>) -> io::Result<()> {
        if field.is_ascii() {
            out.extend_from_slice(field.as_bytes());
            return Ok(());
        }
        if let Some(bytes) = self.seen.get(field) {
            out.extend_from_slice(bytes);
            return Ok(());
        }
        encode_gbk(&mut self.encoder, field, &mut self.scratch)?;
        out.extend_from_slice(&self.scratch);
        if self.seen.len() >= GBK_CACHE_LIMIT {
            self.seen.clear();
        }
        self.seen
            .insert(field.into(), self.scratch.as_slice().into());
        Ok(())
    }
}

impl<W: Write> CsvOut<W> {
    fn new(mut w: W, enc: Encoding) -> io::Result<CsvOut<W>> {
        if enc == Encoding::Utf8Bom {
            w.write_all("\u{feff}".as_bytes())?;
        }
        let gbk = (enc == Encoding::Gbk).then(|| GbkCache {
            encoder: encoding_rs::GBK.new_encoder(),
            seen: HashMap::new(),
            scratch: Vec::new(),
        });
        Ok(CsvOut {
            w,
            gbk,
            line: Vec::new(),
        })
    }

    fn put(&mut self, field: &str) -> io::Result<()> {
        match &mut self.gbk {
            None => {
                self.line.extend_from_slice(field.as_bytes());
                Ok(())
            }
            Some(cache) => cache.put(field, &mut self.line),
        }
    }

    fn row<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        self.line.clear();
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.line.push(b',');
            }
            if needs_quotes(f) {
                self.put(&format!("\"{}\"", f.replace('"', "\"\"")))?;
            } else {
                self.put(f)?;
            }
        }
        self.line.push(b'\n');
        self.w.write_all(&self.line)
    }

    fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// A plain loop rather than `str::contains` with a pattern: this runs for every field of
/// millions of rows, and the generic pattern code is slow in debug builds.
fn needs_quotes(field: &str) -> bool {
    for &b in field.as_bytes() {
        if b == b',' || b == b'"' || b == b'\n' || b == b'\r' {
            return true;
        }
    }
    false
}

/// GBK-encodes `text` into `out`; a character GBK lacks is an error, never a silent `&#…;`.
fn encode_gbk(encoder: &mut encoding_rs::Encoder, text: &str, out: &mut Vec<u8>) -> io::Result<()> {
    out.clear();
    let mut rest = text;
    loop {
        let room = encoder
            .max_buffer_length_from_utf8_without_replacement(rest.len())
            .unwrap_or(rest.len() * 4);
        out.reserve(room);
        let (result, read) = encoder.encode_from_utf8_to_vec_without_replacement(rest, out, false);
        rest = &rest[read..];
        match result {
            encoding_rs::EncoderResult::InputEmpty => return Ok(()),
            encoding_rs::EncoderResult::OutputFull => continue,
            encoding_rs::EncoderResult::Unmappable(c) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("character '{c}' has no GBK encoding in: {text}"),
                ));
            }
        }
    }
}

fn create(path: &Path, enc: Encoding) -> io::Result<CsvOut<BufWriter<File>>> {
    CsvOut::new(BufWriter::with_capacity(1 << 16, File::create(path)?), enc)
}

/// 3.5 → "3.5", 4.0 → "4".
fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

pub(super) fn year_of(t: Term) -> String {
    format!("{}-{}", t.year, t.year + 1)
}

/// 成绩性质 as 正方 prints it.
pub(super) fn kind_label(k: AttemptKind) -> &'static str {
    match k {
        AttemptKind::Regular => "正常考试",
        AttemptKind::Makeup => "补考",
        AttemptKind::RetakeMakeup => "重修补考",
        AttemptKind::Retake => "重修",
        AttemptKind::Deferred => "缓考",
    }
}

/// The registrar's spelling of 课程性质. It varies by course (stably, from the code) so that
/// imports exercise normalisation (专业必修课, 公共必修, 公选课 …).
pub(super) fn nature_spelling(a: &Attempt) -> &str {
    let pick = a
        .course_code
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b.into()))
        % 3;
    let prefix = a.course_code.get(..2).unwrap_or("");
    match a.nature.as_ref() {
        Some(Nature::Required) if prefix == PREFIX_COMMON => {
            ["必修", "公共必修", "公共必修课"][pick]
        }
        Some(Nature::Required) if prefix == PREFIX_MAJOR => ["必修", "专业必修课", "必修"][pick],
        Some(Nature::GeneralElective) if prefix == PREFIX_GENERAL => {
            ["通识选修", "公选课", "通识选修"][pick]
        }
        Some(Nature::Elective) if prefix == PREFIX_ELECTIVE => ["选修", "专业选修", "限选"][pick],
        Some(Nature::Required) if prefix == PREFIX_PRACTICAL => {
            ["实践", "集中实践", "课程设计"][pick]
        }
        Some(n) => n.label_zh(),
        None => "",
    }
}

/// 绩点 as 正方 prints it: (score − 50) / 10 from 60 up, 0 below, empty for words.
fn grade_point(m: &Mark) -> String {
    match m {
        Mark::Score(v) if *v >= 60.0 => format!("{:.1}", (v - 50.0) / 10.0),
        Mark::Score(_) => "0".into(),
        _ => String::new(),
    }
}

/// The college that teaches a course (开课学院): shared courses have their own departments.
fn teaching_college<'a>(a: &Attempt, s: &'a Student) -> &'a str {
    match a.course_code.get(..2).unwrap_or("") {
        p if p == PREFIX_COMMON => "公共基础教学部",
        p if p == PREFIX_GENERAL => "教务处",
        _ => &s.college,
    }
}

/// Writes grade rows one at a time, for files too large to build a [`Cohort`] for.
pub struct GradeRowWriter<W: Write> {
    out: CsvOut<W>,
    layout: GradeLayout,
    rows: u64,
    /// The last term's 学年 and 学期 texts: rows come grouped by term, so this saves
    /// formatting them on every row.
    term_text: Option<(Term, String, String)>,
}

impl GradeRowWriter<BufWriter<File>> {
    pub fn create(path: &Path, layout: GradeLayout, enc: Encoding) -> io::Result<Self> {
        GradeRowWriter::new(
            BufWriter::with_capacity(1 << 16, File::create(path)?),
            layout,
            enc,
        )
    }
}

impl<W: Write> GradeRowWriter<W> {
    /// Writes the header row.
    pub fn new(w: W, layout: GradeLayout, enc: Encoding) -> io::Result<Self> {
        let mut out = CsvOut::new(w, enc)?;
        out.row(match layout {
            GradeLayout::Long => LONG_HEADER.iter().copied(),
            GradeLayout::ZfLong => ZF_HEADER.iter().copied(),
        })?;
        Ok(GradeRowWriter {
            out,
            layout,
            rows: 0,
            term_text: None,
        })
    }

    pub fn write(&mut self, student: &Student, a: &Attempt) -> io::Result<()> {
        if self.term_text.as_ref().is_none_or(|(t, _, _)| *t != a.term) {
            self.term_text = Some((a.term, year_of(a.term), a.term.n.to_string()));
        }
        let (_, year, n) = self
            .term_text
            .as_ref()
            .ok_or_else(|| io::Error::other("no term"))?;
        let credits = num(a.credits);
        let assessment = a.assessment.map_or("", |x| x.label_zh());
        self.rows += 1;
        match self.layout {
            GradeLayout::Long => self.out.row([
                student.student_id.as_str(),
                &student.name,
                year,
                n,
                &a.course_code,
                &a.course_name,
                nature_spelling(a),
                assessment,
                &credits,
                &a.result,
                kind_label(a.kind),
            ]),
            GradeLayout::ZfLong => {
                let class = format!("({})-{}-01", a.term, a.course_code);
                self.out.row([
                    year.as_str(),
                    n,
                    &a.course_code,
                    &a.course_name,
                    nature_spelling(a),
                    &credits,
                    &a.result,
                    &grade_point(&a.mark),
                    kind_label(a.kind),
                    assessment,
                    teaching_college(a, student),
                    &class,
                    &student.student_id,
                    &student.name,
                ])
            }
        }
    }

    /// Data rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn finish(self) -> io::Result<W> {
        self.out.finish()
    }
}

pub(super) fn roster(c: &Cohort) -> HashMap<&str, &Student> {
    c.students
        .iter()
        .map(|s| (s.student_id.as_str(), s))
        .collect()
}

pub(super) fn unknown_student(id: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("attempt of a student not in the cohort: {id}"),
    )
}

fn write_grades(c: &Cohort, path: &Path, layout: GradeLayout, enc: Encoding) -> io::Result<()> {
    let students = roster(c);
    let mut w = GradeRowWriter::create(path, layout, enc)?;
    for (id, a) in &c.attempts {
        let s = students
            .get(id.as_str())
            .ok_or_else(|| unknown_student(id))?;
        w.write(s, a)?;
    }
    w.finish().map(drop)
}

/// Long layout, like fixtures/samples/grades.csv.
pub fn write_grades_long_csv(c: &Cohort, path: &Path, enc: Encoding) -> io::Result<()> {
    write_grades(c, path, GradeLayout::Long, enc)
}

/// 正方 long export in GBK, like fixtures/samples/grades.zf-long.gbk.csv.
pub fn write_grades_zf_long_gbk(c: &Cohort, path: &Path) -> io::Result<()> {
    write_grades(c, path, GradeLayout::ZfLong, Encoding::Gbk)
}

/// Generates `spec` and writes its grades straight to `path` without holding the attempts:
/// the benchmark's 2,000,000-row file. Returns the rest of the cohort (attempts empty) and
/// the number of data rows written.
pub fn write_grades_csv_streaming(
    spec: &CohortSpec,
    path: &Path,
    layout: GradeLayout,
    enc: Encoding,
) -> io::Result<(Cohort, u64)> {
    let mut w = GradeRowWriter::create(path, layout, enc)?;
    let mut failed: Option<io::Error> = None;
    let cohort = super::run(spec, &mut |s: &Student, a: Attempt| {
        if failed.is_none()
            && let Err(e) = w.write(s, &a)
        {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let rows = w.rows();
    w.finish()?;
    Ok((cohort, rows))
}

pub(super) fn student_fields<'a>(s: &'a Student, header: &[&str]) -> Vec<&'a str> {
    header
        .iter()
        .map(|h| match *h {
            "学号" => s.student_id.as_str(),
            "姓名" => &s.name,
            "学院" => &s.college,
            "专业" => &s.major,
            "年级" => &s.cohort,
            "班级" => &s.class,
            "手机" => &s.phone,
            "家长姓名" => &s.parent,
            "家长电话" => &s.parent_phone,
            "班主任" => &s.class_teacher,
            "辅导员" => &s.counsellor,
            "家庭地址" | "家庭住址" => &s.address,
            _ => "",
        })
        .collect()
}

pub(super) fn write_students(
    c: &Cohort,
    path: &Path,
    enc: Encoding,
    header: &[&str],
) -> io::Result<()> {
    let mut out = create(path, enc)?;
    out.row(header.iter().copied())?;
    for s in &c.students {
        out.row(student_fields(s, header))?;
    }
    out.finish().map(drop)
}

/// The roster with canonical headers (学号,姓名,学院,专业,年级,班级,… ,家庭地址).
pub fn write_students_csv(c: &Cohort, path: &Path, enc: Encoding) -> io::Result<()> {
    write_students(c, path, enc, STUDENT_HEADER)
}

pub fn write_absences_csv(c: &Cohort, path: &Path) -> io::Result<()> {
    let mut out = create(path, Encoding::Utf8)?;
    out.row(ABSENCE_HEADER.iter().copied())?;
    for (id, t, hours) in &c.absences {
        out.row([id.as_str(), &year_of(*t), &t.n.to_string(), &num(*hours)])?;
    }
    out.finish().map(drop)
}

pub fn write_fitness_csv(c: &Cohort, path: &Path) -> io::Result<()> {
    let mut out = create(path, Encoding::Utf8)?;
    out.row(FITNESS_HEADER.iter().copied())?;
    for (id, r) in &c.fitness {
        let result = match (&r.score, &r.word) {
            (Some(v), _) => num(*v),
            (None, Some(w)) => w.clone(),
            (None, None) => String::new(),
        };
        let requirement = match r.graduation_met {
            Some(true) => "达到",
            Some(false) => "未达到",
            None => "",
        };
        out.row([
            id.as_str(),
            &year_of(r.term),
            &r.term.n.to_string(),
            &result,
            requirement,
        ])?;
    }
    out.finish().map(drop)
}

pub fn write_flags_csv(c: &Cohort, path: &Path) -> io::Result<()> {
    let mut out = create(path, Encoding::Utf8)?;
    out.row(FLAG_HEADER.iter().copied())?;
    for (id, f) in &c.flags {
        out.row([
            id.as_str(),
            &year_of(f.term),
            &f.term.n.to_string(),
            f.kind.id(),
            &f.note,
        ])?;
    }
    out.finish().map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(enc: Encoding, fields: &[&str]) -> io::Result<Vec<u8>> {
        let mut out = CsvOut::new(Vec::new(), enc)?;
        out.row(fields.iter().copied())?;
        out.finish()
    }

    #[test]
    fn fields_with_separators_are_quoted() {
        let bytes = csv(Encoding::Utf8, &["a,b", "say \"hi\"", "plain"]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\"a,b\",\"say \"\"hi\"\"\",plain\n"
        );
    }

    #[test]
    fn gbk_encodes_chinese_and_refuses_what_it_cannot_hold() {
        let bytes = csv(Encoding::Gbk, &["王清白", "高等数学"]).unwrap();
        let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
        assert!(!bad);
        assert_eq!(text, "王清白,高等数学\n");
        assert_eq!(bytes.len(), 3 * 2 + 1 + 4 * 2 + 1, "two bytes a character");
        let err = csv(Encoding::Gbk, &["😀"]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn numbers_print_as_registrars_print_them() {
        assert_eq!(num(4.0), "4");
        assert_eq!(num(3.5), "3.5");
        assert_eq!(grade_point(&Mark::Score(87.0)), "3.7");
        assert_eq!(grade_point(&Mark::Score(59.5)), "0");
        assert_eq!(grade_point(&Mark::PassWord), "");
    }
}
