//! The synthetic cohort generator: determinism, file shapes, and that the demo cohort shows
//! what it is meant to show (checked against a small reading of spec/policies.md written
//! here, independent of the generator and of the engine).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use yujing::model::{Assessment, Attempt, AttemptKind, FlagKind, Mark, Nature, Student, Term};
use yujing_synth as synth;
use yujing_synth::{
    Cohort, CohortSpec, Encoding, GradeLayout, demo_archetypes, demo_spec, generate, generate_into,
    write_all,
};

fn small_spec(seed: u64) -> CohortSpec {
    CohortSpec {
        students: 120,
        seed,
        ..demo_spec()
    }
}

// ---------------------------------------------------------------- determinism and shape

#[test]
fn same_seed_same_cohort_other_seed_other_cohort() {
    let a = generate(&small_spec(1));
    assert_eq!(a, generate(&small_spec(1)));
    let b = generate(&small_spec(2));
    assert_ne!(a.attempts, b.attempts);
    assert_ne!(
        a.students.iter().map(|s| &s.name).collect::<Vec<_>>(),
        b.students.iter().map(|s| &s.name).collect::<Vec<_>>()
    );
}

#[test]
fn streaming_yields_exactly_what_generate_collects() {
    let spec = small_spec(9);
    let full = generate(&spec);
    let mut streamed = Vec::new();
    let rest = generate_into(&spec, |id, a| streamed.push((id.to_string(), a.clone())));
    assert_eq!(streamed, full.attempts);
    assert!(rest.attempts.is_empty());
    assert_eq!(rest.students, full.students);
    assert_eq!(rest.fitness, full.fitness);
}

#[test]
fn results_read_back_as_the_marks_they_carry() {
    let c = generate(&demo_spec());
    for (id, a) in &c.attempts {
        assert_eq!(Mark::parse(&a.result), Ok(a.mark), "{id} {}", a.course_code);
    }
    let results: HashSet<&str> = c.attempts.iter().map(|(_, a)| a.result.as_ref()).collect();
    for word in [
        "优秀",
        "良好",
        "中等",
        "及格",
        "合格",
        "不及格",
        "不合格",
        "59.5",
        "缓考",
        "免修",
        "缺考",
    ] {
        assert!(results.contains(word), "the demo never shows {word}");
    }
    let kinds: HashSet<AttemptKind> = c.attempts.iter().map(|(_, a)| a.kind).collect();
    assert_eq!(kinds.len(), 4, "every attempt kind appears");
}

#[test]
fn bench_spec_has_one_regular_row_per_course() {
    let spec = synth::bench_spec(300);
    let c = generate(&spec);
    let regular = c
        .attempts
        .iter()
        .filter(|(_, a)| a.kind == AttemptKind::Regular)
        .count();
    assert_eq!(regular, 300 * 8 * 5);
    assert!(c.attempts.len() > regular, "some makeups and retakes too");
    // A benchmark cohort is the random mix only: no scripted flags.
    assert!(c.flags.is_empty());
}

#[test]
fn demo_has_eight_classes_several_majors_and_the_fixed_student() {
    let c = generate(&demo_spec());
    let classes: HashSet<&str> = c.students.iter().map(|s| s.class.as_str()).collect();
    let majors: HashSet<&str> = c.students.iter().map(|s| s.major.as_str()).collect();
    let colleges: HashSet<&str> = c.students.iter().map(|s| s.college.as_str()).collect();
    assert_eq!(classes.len(), 8);
    assert!(majors.len() >= 4 && colleges.len() >= 2);
    assert!(c.students.iter().any(|s| s.name == "王清白"));
    let ids: HashSet<&str> = c.students.iter().map(|s| s.student_id.as_str()).collect();
    assert_eq!(ids.len(), c.students.len(), "student ids are unique");
    for s in &c.students {
        assert!(s.class_teacher.ends_with("老师") && s.counsellor.ends_with("辅导员"));
        assert!((2..=3).contains(&s.name.chars().count()), "{}", s.name);
        assert_eq!(s.phone.len(), 11);
    }
}

// ---------------------------------------------------------------- files

fn read_csv(path: &Path, gbk: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let text = if gbk {
        let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
        assert!(!had_errors, "{} is not clean GBK", path.display());
        text.into_owned()
    } else {
        String::from_utf8(bytes)
            .unwrap()
            .trim_start_matches('\u{feff}')
            .to_string()
    };
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn demo_dir() -> (tempfile::TempDir, Cohort) {
    let dir = tempfile::tempdir().unwrap();
    let c = generate(&demo_spec());
    write_all(&c, dir.path()).unwrap();
    (dir, c)
}

#[test]
fn csv_files_have_the_sample_headers_and_one_row_per_record() {
    let (dir, c) = demo_dir();
    let d = dir.path();
    let expect = [
        (
            "students.csv",
            false,
            "学号,姓名,学院,专业,年级,班级,手机,家长姓名,家长电话,班主任,辅导员,家庭地址",
            c.students.len(),
        ),
        (
            "students.gbk.csv",
            true,
            "班级,学号,姓名,学院,专业,年级,手机,家长姓名,家长电话,班主任,辅导员,家庭住址",
            c.students.len(),
        ),
        (
            "grades.csv",
            false,
            "学号,姓名,学年,学期,课程代码,课程名称,课程性质,考核方式,学分,成绩,成绩性质",
            c.attempts.len(),
        ),
        (
            "grades.gbk.csv",
            true,
            "学年,学期,课程代码,课程名称,课程性质,学分,成绩,绩点,成绩性质,考核方式,开课学院,教学班,学号,姓名",
            c.attempts.len(),
        ),
        (
            "absences.csv",
            false,
            "学号,学年,学期,旷课学时",
            c.absences.len(),
        ),
        (
            "fitness.csv",
            false,
            "学号,学年,学期,体测成绩,毕业要求",
            c.fitness.len(),
        ),
        (
            "flags.csv",
            false,
            "学号,学年,学期,类型,说明",
            c.flags.len(),
        ),
    ];
    for (file, gbk, header, count) in expect {
        let (h, rows) = read_csv(&d.join(file), gbk);
        assert_eq!(h.join(","), header, "{file}");
        assert_eq!(rows.len(), count, "{file}");
        assert!(count > 0, "{file} is empty");
    }
}

#[test]
fn grade_rows_round_trip_through_the_long_csv() {
    let (dir, c) = demo_dir();
    let (h, rows) = read_csv(&dir.path().join("grades.csv"), false);
    let (code, term_y, term_n, nature, assessment, credits, result) = (
        column(&h, "课程代码"),
        column(&h, "学年"),
        column(&h, "学期"),
        column(&h, "课程性质"),
        column(&h, "考核方式"),
        column(&h, "学分"),
        column(&h, "成绩"),
    );
    let mut spellings = HashSet::new();
    for (row, (_, a)) in rows.iter().zip(&c.attempts) {
        assert_eq!(row[code], *a.course_code);
        assert_eq!(
            Term::from_year_and_term(&row[term_y], &row[term_n]),
            Ok(a.term)
        );
        assert_eq!(Nature::normalise(&row[nature]), a.nature, "{}", row[nature]);
        assert_eq!(Assessment::parse(&row[assessment]), a.assessment);
        assert_eq!(row[credits].parse::<f64>().ok(), Some(a.credits));
        assert_eq!(row[result], *a.result);
        spellings.insert(row[nature].clone());
    }
    for s in [
        "必修",
        "专业必修课",
        "公共必修",
        "选修",
        "通识选修",
        "公选课",
        "实践",
    ] {
        assert!(
            spellings.contains(s),
            "no course spelled {s}: {spellings:?}"
        );
    }
}

#[test]
fn gbk_files_carry_the_same_chinese_text() {
    let (dir, c) = demo_dir();
    let (h, rows) = read_csv(&dir.path().join("students.gbk.csv"), true);
    let (name, class, address) = (
        column(&h, "姓名"),
        column(&h, "班级"),
        column(&h, "家庭住址"),
    );
    for (row, s) in rows.iter().zip(&c.students) {
        assert_eq!(
            (&row[name], &row[class], &row[address]),
            (&s.name, &s.class, &s.address)
        );
    }
    let (h, rows) = read_csv(&dir.path().join("grades.gbk.csv"), true);
    let (name, course) = (column(&h, "姓名"), column(&h, "课程名称"));
    let by_id: HashMap<&str, &Student> = c
        .students
        .iter()
        .map(|s| (s.student_id.as_str(), s))
        .collect();
    for (row, (id, a)) in rows.iter().zip(&c.attempts) {
        assert_eq!(row[name], by_id[id.as_str()].name);
        assert_eq!(row[course], *a.course_name);
    }
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    assert_eq!(wb.sheet_names(), vec![name.to_string()]);
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

#[test]
fn grades_xlsx_has_a_title_row_and_numbers_as_numbers() {
    let (dir, c) = demo_dir();
    let rows = sheet(&dir.path().join("grades.xlsx"), "成绩");
    assert_eq!(text(&rows[0][0]), "某某大学学生成绩表");
    let header: Vec<String> = rows[1].iter().map(text).collect();
    assert_eq!(
        header.join(","),
        "学号,姓名,学年,学期,课程代码,课程名称,课程性质,考核方式,学分,成绩,成绩性质"
    );
    assert_eq!(rows.len() - 2, c.attempts.len());
    for (row, (id, a)) in rows[2..].iter().zip(&c.attempts) {
        assert_eq!(text(&row[0]), *id);
        assert_eq!(row[3], Data::Float(f64::from(a.term.n)));
        assert_eq!(row[8], Data::Float(a.credits));
        match a.mark {
            Mark::Score(v) => assert_eq!(row[9], Data::Float(v)),
            _ => assert_eq!(row[9], Data::String(a.result.to_string())),
        }
    }
}

#[test]
fn students_xlsx_has_title_header_and_every_student() {
    let c = generate(&small_spec(3));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("students.xlsx");
    synth::write_students_xlsx(&c, &path).unwrap();
    let rows = sheet(&path, "学生名单");
    assert!(text(&rows[0][0]).contains("学生名单"));
    assert_eq!(text(&rows[1][0]), "学号");
    assert_eq!(rows.len() - 2, c.students.len());
    let names: Vec<String> = rows[2..].iter().map(|r| text(&r[1])).collect();
    assert_eq!(
        names,
        c.students
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn streaming_writer_writes_the_same_file_as_the_cohort_writer() {
    let spec = synth::bench_spec(200);
    let dir = tempfile::tempdir().unwrap();
    let streamed = dir.path().join("streamed.csv");
    let (rest, rows) =
        synth::write_grades_csv_streaming(&spec, &streamed, GradeLayout::Long, Encoding::Utf8Bom)
            .unwrap();
    let c = generate(&spec);
    assert_eq!(rows as usize, c.attempts.len());
    assert_eq!(rest.students, c.students);
    let whole = dir.path().join("whole.csv");
    synth::write_grades_long_csv(&c, &whole, Encoding::Utf8Bom).unwrap();
    let bytes = std::fs::read(&streamed).unwrap();
    assert!(bytes.starts_with("\u{feff}学号".as_bytes()));
    assert_eq!(bytes, std::fs::read(&whole).unwrap());
}

#[test]
fn committed_demo_fixtures_match_the_generator() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let c = generate(&demo_spec());
    let fresh = tempfile::tempdir().unwrap();
    write_all(&c, fresh.path()).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(fresh.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    for f in files {
        let committed = std::fs::read(fixtures.join(&f)).unwrap_or_else(|e| {
            panic!(
                "fixtures/demo/{f:?}: {e} (regenerate with `cargo run -p yujing-synth -- fixtures`)"
            )
        });
        assert!(
            committed == std::fs::read(fresh.path().join(&f)).unwrap(),
            "fixtures/demo/{f:?} differs from the generator: regenerate with `cargo run -p yujing-synth -- fixtures`"
        );
    }
}

// ---------------------------------------------------------------- the demo's warnings

/// The metrics of policies.md for one student and term, read straight from the spec.
#[derive(Debug, Default, Clone)]
struct Metrics {
    failed_regular: usize,
    after_makeup: usize,
    /// Exam courses, regular sitting only (hljjz orange's filter).
    after_makeup_exam_regular: usize,
    outstanding: usize,
    outstanding_required: usize,
    outstanding_non_general: usize,
    outstanding_credits: f64,
    earned: Option<f64>,
    pending: usize,
    absence: f64,
    fitness_failed: usize,
    graduation_unmet: bool,
    flags: Vec<FlagKind>,
}

/// Best of several sittings: any pass passes, else any fail fails, else pending.
fn best<'a>(marks: impl IntoIterator<Item = &'a Mark>) -> Option<bool> {
    let outcomes: Vec<Option<bool>> = marks.into_iter().map(|m| m.passed(60.0)).collect();
    if outcomes.contains(&Some(true)) {
        Some(true)
    } else if outcomes.contains(&Some(false)) {
        Some(false)
    } else {
        None
    }
}

struct Facts<'a> {
    attempts: Vec<&'a Attempt>,
    absences: Vec<(Term, f64)>,
    fitness: Vec<&'a yujing::model::FitnessRecord>,
    flags: Vec<&'a yujing::model::Flag>,
}

fn facts_by_student(c: &Cohort) -> BTreeMap<&str, Facts<'_>> {
    let mut m: BTreeMap<&str, Facts> = c
        .students
        .iter()
        .map(|s| {
            let f = Facts {
                attempts: vec![],
                absences: vec![],
                fitness: vec![],
                flags: vec![],
            };
            (s.student_id.as_str(), f)
        })
        .collect();
    for (id, a) in &c.attempts {
        m.get_mut(id.as_str()).unwrap().attempts.push(a);
    }
    for (id, t, h) in &c.absences {
        m.get_mut(id.as_str()).unwrap().absences.push((*t, *h));
    }
    for (id, r) in &c.fitness {
        m.get_mut(id.as_str()).unwrap().fitness.push(r);
    }
    for (id, f) in &c.flags {
        m.get_mut(id.as_str()).unwrap().flags.push(f);
    }
    m
}

fn metrics(f: &Facts, t: Term) -> Metrics {
    let mut m = Metrics::default();
    let mut by_course: BTreeMap<&str, Vec<&Attempt>> = BTreeMap::new();
    for a in f.attempts.iter().filter(|a| a.term <= t) {
        by_course.entry(a.course_code.as_ref()).or_default().push(a);
    }
    let mut earned = 0.0;
    let mut any_of_t = false;
    for sittings in by_course.values() {
        let regular = sittings.iter().find(|a| a.kind == AttemptKind::Regular);
        let Some(regular) = regular else { continue };
        let nature = regular.nature.clone();
        if nature.is_none() {
            continue;
        }
        let so_far = best(sittings.iter().map(|a| &a.mark));
        if so_far == Some(false) {
            m.outstanding += 1;
            m.outstanding_credits += regular.credits;
            m.outstanding_required += usize::from(nature == Some(Nature::Required));
            m.outstanding_non_general += usize::from(nature != Some(Nature::GeneralElective));
        }
        if regular.term != t {
            continue;
        }
        any_of_t = true;
        let deferred = regular.mark == Mark::Deferred;
        let first = if deferred {
            sittings
                .iter()
                .find(|a| a.kind == AttemptKind::Deferred && a.term == t)
                .map(|a| a.mark)
        } else {
            Some(regular.mark)
        };
        let first_outcome = first.and_then(|m| m.passed(60.0));
        let makeups = sittings
            .iter()
            .filter(|a| a.kind == AttemptKind::Makeup && a.term == t);
        let after = best(first.iter().chain(makeups.map(|a| &a.mark)));
        m.failed_regular += usize::from(first_outcome == Some(false));
        if after == Some(false) {
            m.after_makeup += 1;
            let exam = regular.assessment == Some(Assessment::Exam);
            m.after_makeup_exam_regular += usize::from(exam && !deferred);
        } else {
            earned += regular.credits;
            m.pending += usize::from(after.is_none());
        }
    }
    m.earned = any_of_t.then_some(earned);
    m.absence = f
        .absences
        .iter()
        .filter(|(at, _)| *at == t)
        .map(|(_, h)| h)
        .sum();
    let fitness: Vec<_> = f.fitness.iter().filter(|r| r.term <= t).collect();
    m.fitness_failed = fitness
        .iter()
        .filter(|r| r.score.is_some_and(|s| s < 60.0) || r.word.as_deref() == Some("不及格"))
        .count();
    m.graduation_unmet = fitness
        .iter()
        .rev()
        .find_map(|r| r.graduation_met)
        .is_some_and(|met| !met);
    m.flags = f
        .flags
        .iter()
        .filter(|fl| fl.term == t)
        .map(|fl| fl.kind)
        .collect();
    m
}

/// Tiers as numbers, 0 = none, higher = more severe, per preset.
fn hljjz(m: &Metrics) -> u8 {
    if m.earned.is_some_and(|e| e < 10.0) || m.outstanding >= 6 || m.after_makeup >= 5 {
        3
    } else if m.after_makeup_exam_regular >= 2 || m.outstanding >= 4 {
        2
    } else if m.outstanding_required >= 2 || !m.flags.is_empty() {
        1
    } else {
        0
    }
}

fn qzu(m: &Metrics) -> u8 {
    let c = m.outstanding_credits;
    if c > 12.0 || m.absence >= 12.0 || m.graduation_unmet {
        3
    } else if c > 6.0 || m.absence >= 10.0 || m.fitness_failed >= 2 {
        2
    } else if c > 0.0 || m.absence >= 6.0 || m.fitness_failed >= 1 {
        1
    } else {
        0
    }
}

fn lut_new(m: &Metrics) -> u8 {
    if m.after_makeup >= 2 {
        3
    } else if m.after_makeup >= 1 {
        2
    } else if m.failed_regular >= 3 {
        1
    } else {
        0
    }
}

/// lut-life with carrying: the tier of each term up to T, carried while credits stay >= 6.
fn lut(f: &Facts, terms: &[Term]) -> (u8, bool) {
    let mut tier = 0;
    let mut carried = false;
    for &t in terms {
        let m = metrics(f, t);
        let kept = if m.outstanding_credits >= 6.0 {
            tier
        } else {
            0
        };
        let new = lut_new(&m);
        carried = kept > new;
        tier = kept.max(new);
    }
    (tier, carried)
}

fn hntou(m: &Metrics) -> (u8, u8) {
    let tier = match m.outstanding {
        6.. => 3,
        4..=5 => 2,
        2..=3 => 1,
        _ => 0,
    };
    let status = match m.outstanding_non_general {
        8.. => 2,
        4..=7 => 1,
        _ => 0,
    };
    (tier, status)
}

#[test]
fn demo_shows_every_tier_of_every_preset_and_a_quiet_majority() {
    let spec = demo_spec();
    let t = *spec.terms.last().unwrap();
    let c = generate(&spec);
    let facts = facts_by_student(&c);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut quiet = 0;
    let mut bump = |k: String| *counts.entry(k).or_default() += 1;
    for f in facts.values() {
        let m = metrics(f, t);
        let (lut_tier, carried) = lut(f, &spec.terms);
        let (hn, status) = hntou(&m);
        let tiers = [hljjz(&m), qzu(&m), lut_tier, hn];
        for (preset, tier) in ["hljjz", "qzu", "lut", "hntou"].iter().zip(tiers) {
            bump(format!("{preset}{tier}"));
        }
        bump(format!("hntou_status{status}"));
        if carried {
            bump("lut_carried".into());
        }
        quiet += usize::from(tiers == [0; 4] && status == 0);
    }
    for key in ["hljjz", "qzu", "lut", "hntou"]
        .iter()
        .flat_map(|p| (1..=3).map(move |t| format!("{p}{t}")))
        .chain([
            "hntou_status1".into(),
            "hntou_status2".into(),
            "lut_carried".into(),
        ])
    {
        let n = counts.get(&key).copied().unwrap_or(0);
        assert!(n >= 2, "{key}: only {n} students ({counts:?})");
    }
    assert!(
        quiet * 10 >= c.students.len() * 6,
        "only {quiet} of {} students without warning",
        c.students.len()
    );
}

#[test]
fn each_archetype_hits_the_rule_it_is_written_for() {
    let spec = demo_spec();
    let terms = &spec.terms;
    let t = terms[terms.len() - 1];
    let c = generate(&spec);
    let facts = facts_by_student(&c);
    let archetypes = demo_archetypes();
    let names: HashSet<&str> = archetypes.iter().map(|(_, n)| *n).collect();
    assert!(names.len() >= 40, "{} archetypes", names.len());
    assert_eq!(
        archetypes[0].0,
        c.students
            .iter()
            .find(|s| s.name == "王清白")
            .unwrap()
            .student_id
    );
    for (id, name) in &archetypes {
        let f = &facts[id.as_str()];
        let m = metrics(f, t);
        let prev = metrics(f, terms[terms.len() - 2]);
        let (lut_tier, carried) = lut(f, terms);
        let (hn, status) = hntou(&m);
        let quiet = [hljjz(&m), qzu(&m), lut_tier, hn, status] == [0; 5];
        let in_t = |kind: AttemptKind, pass: Option<bool>| {
            f.attempts
                .iter()
                .any(|a| a.term == t && a.kind == kind && a.mark.passed(60.0) == pass)
        };
        let c = m.outstanding_credits;
        let ok = match *name {
            "hljjz_orange_exam_after_makeup" => hljjz(&m) == 2 && m.after_makeup_exam_regular == 2,
            "hljjz_yellow_required_outstanding" => hljjz(&m) == 1 && m.outstanding_required == 2,
            "hljjz_yellow_flag_discipline" => {
                m.flags == [FlagKind::Discipline] && m.outstanding == 0
            }
            "hljjz_yellow_flag_wellbeing" => m.flags == [FlagKind::Wellbeing] && m.outstanding == 0,
            "hljjz_yellow_flag_psychological" => {
                m.flags == [FlagKind::Psychological] && m.outstanding == 0
            }
            "hljjz_edge_deferred_not_orange" => {
                hljjz(&m) == 1 && m.after_makeup == 2 && m.after_makeup_exam_regular == 1
            }
            "hljjz_edge_coursework_not_orange" => {
                hljjz(&m) == 1 && m.after_makeup == 2 && m.after_makeup_exam_regular == 1
            }
            "hljjz_orange_four_outstanding" => {
                hljjz(&m) == 2 && m.outstanding == 4 && m.after_makeup == 0 && status == 1
            }
            "hntou_level2_no_repeat" => hn == 2 && status == 0,
            "hljjz_red_light_load" => hljjz(&m) == 3 && m.earned == Some(7.0) && m.outstanding == 0,
            "hljjz_edge_ten_credits" => m.earned == Some(10.0) && quiet,
            "hljjz_red_credits_by_failures" => {
                m.earned.is_some_and(|e| e < 10.0) && m.after_makeup < 5 && m.outstanding < 6
            }
            "hljjz_red_six_outstanding" => {
                m.outstanding == 6 && m.after_makeup == 0 && hljjz(&m) == 3
            }
            "hljjz_red_five_after_makeup" => {
                m.after_makeup == 5 && m.earned.is_some_and(|e| e >= 10.0) && m.outstanding < 6
            }
            "hntou_dismissal" => hn == 3 && status == 2,
            "hntou_edge_repeat_not_dismissal" => m.outstanding == 8 && status == 1,
            "hntou_level1_electives" => hn == 1 && hljjz(&m) == 0,
            "hljjz_edge_practical_is_required" => {
                hn == 1 && hljjz(&m) == 1 && m.outstanding_required == 2
            }
            "qzu_level3_credits" => qzu(&m) == 1 && c > 0.0 && hljjz(&m) == 0 && hn == 0,
            "qzu_edge_six_credits" => qzu(&m) == 1 && c == 6.0,
            "qzu_level2_credits" => qzu(&m) == 2 && c > 6.0 && c < 12.0,
            "qzu_edge_twelve_credits" => qzu(&m) == 2 && c == 12.0,
            "qzu_level1_credits" => qzu(&m) == 3 && c > 12.0,
            "qzu_level3_absence" => qzu(&m) == 1 && m.absence == 6.0,
            "qzu_level2_absence" => qzu(&m) == 2 && m.absence == 10.0,
            "qzu_level1_absence_summed" => {
                qzu(&m) == 3
                    && m.absence == 12.0
                    && f.absences.iter().filter(|(at, _)| *at == t).count() == 2
            }
            "qzu_edge_absence_earlier_term" => quiet && prev.absence >= 12.0 && m.absence > 0.0,
            "qzu_level3_fitness" => qzu(&m) == 1 && m.fitness_failed == 1,
            "qzu_level2_fitness" => qzu(&m) == 2 && m.fitness_failed == 2,
            "qzu_level1_fitness_graduation" => qzu(&m) == 3 && m.fitness_failed == 0,
            "qzu_edge_graduation_met_latest" => {
                quiet && f.fitness.iter().any(|r| r.graduation_met == Some(false))
            }
            "lut_notice" => {
                lut_tier == 1 && m.failed_regular == 3 && [hljjz(&m), qzu(&m), hn] == [0; 3]
            }
            "lut_edge_two_cleared" => quiet && m.failed_regular == 2,
            "lut_oral" => lut_tier == 2 && m.after_makeup == 1,
            "lut_written" => lut_tier == 3 && m.after_makeup == 2,
            "lut_carried_written" => lut_tier == 3 && carried && lut_new(&m) == 0,
            "lut_carried_beats_new_notice" => lut_tier == 3 && carried && lut_new(&m) == 1,
            "lut_lifted_by_retake" => {
                lut_new(&prev) == 3
                    && prev.outstanding_credits >= 6.0
                    && c < 6.0
                    && lut_tier == 0
                    && in_t(AttemptKind::Retake, Some(true))
            }
            "retake_clears" => quiet && f.attempts.iter().any(|a| a.kind == AttemptKind::Retake),
            "retake_fails_again" => m.outstanding == 1 && in_t(AttemptKind::Retake, Some(false)),
            "deferred_pending" => quiet && m.pending == 1 && m.earned == Some(24.0),
            "deferred_passed" => quiet && in_t(AttemptKind::Deferred, Some(true)),
            "exempt" => {
                quiet
                    && f.attempts
                        .iter()
                        .any(|a| a.term == t && a.mark == Mark::Exempt)
            }
            other => panic!("no expectation written for archetype {other}"),
        };
        assert!(ok, "{id} ({name}) misses its rule: {m:?}");
    }
}
