//! Deterministic synthetic cohorts: the bundled demo (`fixtures/demo/`, what `yujing demo`
//! imports) and the benchmark sizes (50,000 students, ~2,000,000 grade rows).
//!
//! Everything follows from the seed through a small in-module PRNG, each student on an
//! independent stream: the same spec always gives the same cohort, byte for byte, and the
//! streaming [`generate_into`] gives exactly what [`generate`] collects.

mod archetypes;
mod curriculum;
mod names;
mod rng;
mod writers;
mod xlsx;

pub use writers::{
    Encoding, GradeLayout, GradeRowWriter, write_absences_csv, write_fitness_csv, write_flags_csv,
    write_grades_csv_streaming, write_grades_long_csv, write_grades_zf_long_gbk,
    write_students_csv,
};
pub use xlsx::{write_grades_xlsx, write_students_xlsx};

use yujing::model::{Assessment, Attempt, AttemptKind, FitnessRecord, Flag, Mark, Student, Term};

use archetypes::{Archetype, Event};
use curriculum::Course;
use rng::Rng;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortSpec {
    pub students: usize,
    /// Oldest first; the last one is the assessed term T of the archetypes.
    pub terms: Vec<Term>,
    /// Courses each student sits per term (the demo uses 8, the benchmark 5).
    pub courses_per_term: usize,
    pub seed: u64,
    /// Script the demo archetypes onto a fixed set of students. Takes effect only when the
    /// spec has at least 4 terms, 8 courses a term and room for every archetype student.
    pub archetypes: bool,
}

/// A generated cohort. `attempts` keeps each student's rows together, courses in term order,
/// each course's regular sitting followed by its deferred sitting, makeup and retakes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cohort {
    pub students: Vec<Student>,
    pub attempts: Vec<(String, Attempt)>,
    /// Unexcused absence hours; a student may have several rows in one term.
    pub absences: Vec<(String, Term, f64)>,
    pub fitness: Vec<(String, FitnessRecord)>,
    pub flags: Vec<(String, Flag)>,
}

/// The bundled demo: ~400 students in 8 classes, four terms 2023-2024-1 … 2024-2025-2.
pub fn demo_spec() -> CohortSpec {
    CohortSpec {
        students: 400,
        terms: terms_from(2023, 4),
        courses_per_term: 8,
        seed: 20_250_301,
        archetypes: true,
    }
}

/// Benchmark cohorts: 8 terms of 5 courses, so 50,000 students give 2,000,000 regular rows
/// (plus makeups, retakes and deferred sittings). No archetypes: only the random mix.
pub fn bench_spec(students: usize) -> CohortSpec {
    CohortSpec {
        students,
        terms: terms_from(2021, 8),
        courses_per_term: 5,
        seed: 42,
        archetypes: false,
    }
}

/// `count` consecutive two-term-a-year terms starting with `year`-`year+1`-1.
fn terms_from(year: u16, count: usize) -> Vec<Term> {
    (0..count)
        .map(|i| Term {
            year: year + (i / 2) as u16,
            n: (i % 2) as u8 + 1,
        })
        .collect()
}

/// The demo's scripted students: (student id, archetype name), for checking the demo against
/// the engine. The names are described in `src/synth/archetypes.rs`.
pub fn demo_archetypes() -> Vec<(String, &'static str)> {
    let spec = demo_spec();
    archetype_plan(&spec)
        .into_iter()
        .flatten()
        .map(|(i, a)| (student_id(&spec, i), a.name))
        .collect()
}

/// The whole cohort in memory. For benchmark sizes prefer [`generate_into`] or
/// [`write_grades_csv_streaming`], which never hold the attempts.
pub fn generate(spec: &CohortSpec) -> Cohort {
    let mut attempts = Vec::new();
    let mut cohort = run(spec, &mut |s: &Student, a: Attempt| {
        attempts.push((s.student_id.clone(), a));
    });
    cohort.attempts = attempts;
    cohort
}

/// Streams every attempt to `sink` (student id, attempt) in the order [`generate`] stores
/// them and returns the rest of the cohort (students, absences, fitness, flags) with
/// `attempts` left empty.
pub fn generate_into(spec: &CohortSpec, mut sink: impl FnMut(&str, &Attempt)) -> Cohort {
    run(spec, &mut |s: &Student, a: Attempt| sink(&s.student_id, &a))
}

// PRNG stream ids: one per kind of entity, so streams never collide.
const STREAM_STUDENT: u64 = 1;
const STREAM_CLASS: u64 = 2;
const STREAM_COUNSELLOR: u64 = 3;

/// Students per class (about; the last class may be smaller).
const CLASS_SIZE: usize = 50;

fn run(spec: &CohortSpec, sink: &mut dyn FnMut(&Student, Attempt)) -> Cohort {
    let layout = Layout::new(spec);
    let curricula = curriculum::build(spec.terms.len(), spec.courses_per_term);
    let scripted = archetype_plan(spec).unwrap_or_default();
    let mut script: Vec<Option<&Archetype>> = vec![None; spec.students];
    for (i, a) in scripted {
        script[i] = Some(a);
    }
    let mut cohort = Cohort::default();
    for (i, archetype) in script.iter().enumerate() {
        let mut rng = Rng::derive(spec.seed, STREAM_STUDENT, i as u64);
        let student = layout.student(spec, i, &mut rng);
        let courses = &curricula.plans[layout.major_of(i)];
        let mut facts = StudentPlan::new(spec, courses, &mut rng);
        match archetype {
            Some(a) => facts.apply(a.events, spec),
            None => facts.randomise(spec, &mut rng),
        }
        facts.emit(spec, courses, &student, &mut rng, sink, &mut cohort);
        cohort.students.push(student);
    }
    cohort
}

fn archetype_plan(spec: &CohortSpec) -> Option<Vec<(usize, &'static Archetype)>> {
    let fits = spec.archetypes
        && spec.terms.len() >= archetypes::MIN_TERMS
        && spec.courses_per_term >= archetypes::MIN_COURSES;
    if fits {
        archetypes::placements(spec.students)
    } else {
        None
    }
}

fn cohort_year(spec: &CohortSpec) -> u16 {
    spec.terms.first().map_or(2024, |t| t.year)
}

/// 学号: entry year and a running number, e.g. 2023000001.
fn student_id(spec: &CohortSpec, index: usize) -> String {
    format!("{}{:06}", cohort_year(spec), index + 1)
}

/// How students fall into classes, majors and counsellors: contiguous blocks of about
/// `CLASS_SIZE`, classes taking the majors in turn, each counsellor looking after two
/// classes of one major.
struct Layout {
    class_size: usize,
}

impl Layout {
    fn new(spec: &CohortSpec) -> Layout {
        let classes = spec.students.div_ceil(CLASS_SIZE).max(1);
        Layout {
            class_size: spec.students.div_ceil(classes).max(1),
        }
    }

    fn class_of(&self, i: usize) -> usize {
        i / self.class_size
    }

    fn major_of(&self, i: usize) -> usize {
        self.class_of(i) % names::MAJORS.len()
    }

    fn student(&self, spec: &CohortSpec, i: usize, rng: &mut Rng) -> Student {
        let class = self.class_of(i);
        let major = &names::MAJORS[self.major_of(i)];
        let number_in_major = class / names::MAJORS.len();
        let year = cohort_year(spec);
        let mut class_rng = Rng::derive(spec.seed, STREAM_CLASS, class as u64);
        let counsellor_key =
            (self.major_of(i) + names::MAJORS.len() * (number_in_major / 2)) as u64;
        let mut counsellor_rng = Rng::derive(spec.seed, STREAM_COUNSELLOR, counsellor_key);
        let name = if i == 0 && spec.archetypes {
            names::DEMO_FIXED_NAME.to_string()
        } else {
            names::person(rng)
        };
        Student {
            student_id: student_id(spec, i),
            parent: names::parent_of(&name, rng),
            name,
            college: major.college.to_string(),
            major: major.name.to_string(),
            cohort: year.to_string(),
            class: format!("{}{:02}{:02}", major.short, year % 100, number_in_major + 1),
            phone: names::phone(rng, "138"),
            parent_phone: names::phone(rng, "139"),
            address: names::address(rng),
            class_teacher: names::staff(&mut class_rng, "老师"),
            counsellor: names::staff(&mut counsellor_rng, "辅导员"),
        }
    }
}

/// What happens to one course of one student.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Pass,
    Exempt,
    NotTaken,
    /// Regular sitting failed; the makeup (same term) passes or not; retakes: (term index, passes).
    Fail {
        makeup_passes: bool,
        retakes: Vec<(usize, bool)>,
    },
    /// Regular sitting 缓考; the deferred sitting passes, fails, or is not yet recorded.
    Deferred {
        sitting: Option<bool>,
    },
}

/// One student's outcomes (`outcomes[term][slot]`) and term-level facts, before rendering.
struct StudentPlan {
    outcomes: Vec<Vec<Outcome>>,
    absences: Vec<(usize, f64)>,
    /// (term index, result text, 毕业要求)
    fitness: Vec<(usize, String, Option<bool>)>,
    flags: Vec<Flag>,
}

/// Fitness tests are held in the first term of each academic year.
fn fitness_terms(spec: &CohortSpec) -> impl Iterator<Item = usize> + '_ {
    spec.terms
        .iter()
        .enumerate()
        .filter(|(_, t)| t.n == 1)
        .map(|(i, _)| i)
}

impl StudentPlan {
    fn new(spec: &CohortSpec, courses: &[Vec<Course>], rng: &mut Rng) -> StudentPlan {
        let outcomes = courses
            .iter()
            .map(|t| vec![Outcome::Pass; t.len()])
            .collect();
        let fitness = fitness_terms(spec)
            .map(|t| (t, rng.range(62, 92).to_string(), None))
            .collect();
        StudentPlan {
            outcomes,
            absences: Vec::new(),
            fitness,
            flags: Vec::new(),
        }
    }

    /// The unscripted majority: mostly passes, a little noise of every kind.
    fn randomise(&mut self, spec: &CohortSpec, rng: &mut Rng) {
        let last = spec.terms.len().saturating_sub(1);
        let fail_rate = if rng.chance(0.05) { 0.03 } else { 0.005 };
        for (t, term) in self.outcomes.iter_mut().enumerate() {
            for o in term.iter_mut() {
                *o = if rng.chance(0.002) {
                    Outcome::Exempt
                } else if rng.chance(0.003) {
                    Outcome::Deferred {
                        sitting: Some(rng.chance(0.85)),
                    }
                } else if rng.chance(fail_rate) {
                    let makeup_passes = rng.chance(0.8);
                    let mut retakes = Vec::new();
                    if !makeup_passes && t < last && rng.chance(0.75) {
                        retakes.push((
                            rng.range(t as u32 + 1, last as u32) as usize,
                            rng.chance(0.85),
                        ));
                    }
                    Outcome::Fail {
                        makeup_passes,
                        retakes,
                    }
                } else {
                    Outcome::Pass
                };
            }
        }
        for t in 0..spec.terms.len() {
            if rng.chance(0.1) {
                self.absences.push((t, f64::from(rng.range(1, 2) * 2)));
            }
        }
        for f in &mut self.fitness {
            if rng.chance(0.02) {
                f.1 = rng.range(40, 59).to_string();
            } else if rng.chance(0.1) {
                f.1 = rng.pick(&["优秀", "良好", "及格"]).to_string();
            }
        }
        if let Some(latest) = self.fitness.last_mut()
            && rng.chance(0.25)
        {
            latest.2 = Some(true);
        }
    }

    fn apply(&mut self, events: &[Event], spec: &CohortSpec) {
        let at = |back: usize| spec.terms.len() - 1 - back;
        for e in events {
            match *e {
                Event::Fail {
                    back,
                    slots,
                    makeup_passes,
                } => {
                    for &s in slots {
                        self.outcomes[at(back)][s] = Outcome::Fail {
                            makeup_passes,
                            retakes: Vec::new(),
                        };
                    }
                }
                Event::Retake {
                    failed_back,
                    slot,
                    sat_back,
                    passes,
                } => {
                    if let Outcome::Fail { retakes, .. } = &mut self.outcomes[at(failed_back)][slot]
                    {
                        retakes.push((at(sat_back), passes));
                    }
                }
                Event::Defer {
                    back,
                    slot,
                    sitting,
                } => {
                    self.outcomes[at(back)][slot] = Outcome::Deferred { sitting };
                }
                Event::Exempt { back, slot } => self.outcomes[at(back)][slot] = Outcome::Exempt,
                Event::LightLoad { back, keep } => {
                    for (s, o) in self.outcomes[at(back)].iter_mut().enumerate() {
                        if !keep.contains(&s) {
                            *o = Outcome::NotTaken;
                        }
                    }
                }
                Event::Absence { back, hours } => self.absences.push((at(back), hours)),
                Event::Fitness {
                    back,
                    result,
                    graduation_met,
                } => {
                    let t = at(back);
                    self.fitness.retain(|f| f.0 != t);
                    self.fitness.push((t, result.to_string(), graduation_met));
                    self.fitness.sort_by_key(|f| f.0);
                }
                Event::Flag { back, kind, note } => self.flags.push(Flag {
                    term: spec.terms[at(back)],
                    kind,
                    note: note.to_string(),
                }),
            }
        }
    }

    fn emit(
        self,
        spec: &CohortSpec,
        courses: &[Vec<Course>],
        student: &Student,
        rng: &mut Rng,
        sink: &mut dyn FnMut(&Student, Attempt),
        cohort: &mut Cohort,
    ) {
        let id = &student.student_id;
        for (t, term_outcomes) in self.outcomes.into_iter().enumerate() {
            for (course, outcome) in courses[t].iter().zip(term_outcomes) {
                let mut sit = |term: usize, kind: AttemptKind, (result, mark): (String, Mark)| {
                    sink(
                        student,
                        attempt(course, spec.terms[term], kind, result, mark),
                    );
                };
                let a = course.assessment;
                match outcome {
                    Outcome::NotTaken => {}
                    Outcome::Pass => sit(t, AttemptKind::Regular, results::pass(rng, a)),
                    Outcome::Exempt => sit(t, AttemptKind::Regular, ("免修".into(), Mark::Exempt)),
                    Outcome::Deferred { sitting } => {
                        sit(t, AttemptKind::Regular, ("缓考".into(), Mark::Deferred));
                        match sitting {
                            Some(true) => sit(t, AttemptKind::Deferred, results::pass(rng, a)),
                            Some(false) => sit(t, AttemptKind::Deferred, results::fail(rng, a)),
                            None => {}
                        }
                    }
                    Outcome::Fail {
                        makeup_passes,
                        retakes,
                    } => {
                        sit(t, AttemptKind::Regular, results::fail(rng, a));
                        let makeup = if makeup_passes {
                            results::scrape(rng, a)
                        } else {
                            results::fail(rng, a)
                        };
                        sit(t, AttemptKind::Makeup, makeup);
                        for (r, passes) in retakes {
                            let res = if passes {
                                results::pass(rng, a)
                            } else {
                                results::fail(rng, a)
                            };
                            sit(r, AttemptKind::Retake, res);
                        }
                    }
                }
            }
        }
        for (t, hours) in self.absences {
            cohort.absences.push((id.clone(), spec.terms[t], hours));
        }
        for (t, result, graduation_met) in self.fitness {
            let score = result.parse::<f64>().ok();
            let word = score.is_none().then_some(result);
            let record = FitnessRecord {
                term: spec.terms[t],
                score,
                word,
                graduation_met,
            };
            cohort.fitness.push((id.clone(), record));
        }
        for f in self.flags {
            cohort.flags.push((id.clone(), f));
        }
    }
}

fn attempt(course: &Course, term: Term, kind: AttemptKind, result: String, mark: Mark) -> Attempt {
    Attempt {
        course_code: course.code.as_str().into(),
        course_name: course.name.as_str().into(),
        term,
        kind,
        sitting: 1,
        course_term: None,
        minor: false,
        nature: Some(course.nature.clone()),
        nature_raw: None,
        assessment: Some(course.assessment),
        credits: course.credits,
        result: result.into(),
        mark,
    }
}

/// Result texts as registrars print them, with the mark each one reads as.
mod results {
    use super::{Assessment, Mark, Rng};

    fn score(v: u32) -> (String, Mark) {
        (v.to_string(), Mark::Score(f64::from(v)))
    }

    /// A passing result: mostly a number 60-98 (centred in the 70s-80s), coursework often a word.
    pub(super) fn pass(rng: &mut Rng, a: Assessment) -> (String, Mark) {
        let word_share = if a == Assessment::Coursework {
            0.45
        } else {
            0.06
        };
        if rng.chance(word_share) {
            let w = rng.pick(&["优秀", "良好", "中等", "及格", "合格"]);
            return (w.to_string(), Mark::PassWord);
        }
        score((rng.range(60, 98) + rng.range(60, 98)) / 2)
    }

    /// A passing makeup: just over the line.
    pub(super) fn scrape(rng: &mut Rng, a: Assessment) -> (String, Mark) {
        if a == Assessment::Coursework && rng.chance(0.4) {
            return ("及格".into(), Mark::PassWord);
        }
        score(rng.range(60, 72))
    }

    /// A failing result: a number below 60, sometimes the cruel 59.5, 缺考 or a word.
    pub(super) fn fail(rng: &mut Rng, a: Assessment) -> (String, Mark) {
        let roll = rng.below(100);
        match roll {
            0..=7 => ("缺考".into(), Mark::FailWord),
            8..=15 => ("59.5".into(), Mark::Score(59.5)),
            16..=39 if a == Assessment::Coursework => {
                (rng.pick(&["不及格", "不合格"]).to_string(), Mark::FailWord)
            }
            16..=21 => ("不及格".into(), Mark::FailWord),
            _ => score(rng.range(28, 59)),
        }
    }
}
/// The demo file set `yujing demo` imports, written into `dir` (created if missing):
/// students.csv (UTF-8), students.gbk.csv (GBK, registrar column order), grades.csv (long,
/// UTF-8), grades.gbk.csv (正方 long, GBK), grades.xlsx (title row), absences.csv,
/// fitness.csv, flags.csv.
pub fn write_all(c: &Cohort, dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_students_csv(c, &dir.join("students.csv"), Encoding::Utf8)?;
    writers::write_students(
        c,
        &dir.join("students.gbk.csv"),
        Encoding::Gbk,
        writers::STUDENT_HEADER_REGISTRAR,
    )?;
    write_grades_long_csv(c, &dir.join("grades.csv"), Encoding::Utf8)?;
    write_grades_zf_long_gbk(c, &dir.join("grades.gbk.csv"))?;
    write_grades_xlsx(c, &dir.join("grades.xlsx"), true)?;
    write_absences_csv(c, &dir.join("absences.csv"))?;
    write_fitness_csv(c, &dir.join("fitness.csv"))?;
    write_flags_csv(c, &dir.join("flags.csv"))
}
