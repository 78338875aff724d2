//! Scripted students for the demo cohort: each archetype is meant to put its students on one
//! tier (or one edge) of one preset in policies.md for the newest term T, so that the demo
//! shows every tier with several students. Other presets react to the same facts as they
//! will; the comments name the rule aimed at and, where useful, what else follows.
//!
//! Terms are counted back from T (`back: 0` is T, `1` is T-1 …). Slots refer to the fixed
//! curriculum layout in `curriculum.rs`; the constants below spell out their credits.

use yujing::model::FlagKind;

// Curriculum slots (see curriculum::SLOTS): kind and credits.
/// Required exam course, 4 credits.
pub(crate) const E4: usize = 0;
/// Required exam course, 3.5 credits.
pub(crate) const E35: usize = 1;
/// Required coursework (考查) course, 2 credits.
pub(crate) const C2: usize = 2;
/// General elective (通识选修), 1.5 credits.
pub(crate) const G15: usize = 3;
/// Required exam course, 5 credits.
pub(crate) const E5: usize = 4;
/// Elective (选修, 考查), 2.5 credits.
pub(crate) const L25: usize = 5;
/// Practical (实践), 1 credit.
pub(crate) const P1: usize = 6;
/// Required exam course, 4.5 credits.
pub(crate) const E45: usize = 7;

/// Archetypes need this many terms and courses a term (slots up to E45).
pub(crate) const MIN_TERMS: usize = 4;
pub(crate) const MIN_COURSES: usize = 8;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Event {
    /// The regular sittings of `slots` fail in term `back`; each gets a makeup that passes or not.
    Fail {
        back: usize,
        slots: &'static [usize],
        makeup_passes: bool,
    },
    /// A retake (重修) in term `sat_back` of the course in `slot` that failed in `failed_back`.
    Retake {
        failed_back: usize,
        slot: usize,
        sat_back: usize,
        passes: bool,
    },
    /// The regular sitting is 缓考; the deferred sitting passes, fails, or is not yet sat (None).
    Defer {
        back: usize,
        slot: usize,
        sitting: Option<bool>,
    },
    /// 免修.
    Exempt { back: usize, slot: usize },
    /// The student takes only the `keep` slots that term (a reduced load after 休学, say).
    LightLoad { back: usize, keep: &'static [usize] },
    /// One row of unexcused absence hours; several rows in one term add up.
    Absence { back: usize, hours: f64 },
    /// The fitness record of term `back` (a score or a word) and its 毕业要求.
    Fitness {
        back: usize,
        result: &'static str,
        graduation_met: Option<bool>,
    },
    Flag {
        back: usize,
        kind: FlagKind,
        note: &'static str,
    },
}

#[derive(Debug)]
pub(crate) struct Archetype {
    pub name: &'static str,
    /// How many students follow it.
    pub copies: usize,
    pub events: &'static [Event],
}

use Event::*;

const fn fail(back: usize, slots: &'static [usize]) -> Event {
    Fail {
        back,
        slots,
        makeup_passes: false,
    }
}

const fn fail_cleared(back: usize, slots: &'static [usize]) -> Event {
    Fail {
        back,
        slots,
        makeup_passes: true,
    }
}

/// The first archetype's first student is the fixed demo student 王清白.
pub(crate) const ARCHETYPES: &[Archetype] = &[
    // hljjz orange: 2 exam courses of T failed after makeup, regular sitting. (Also hljjz
    // yellow, lut-life written, hntou level1, qzu level2 with 7.5 credits.)
    Archetype {
        name: "hljjz_orange_exam_after_makeup",
        copies: 4,
        events: &[fail(0, &[E4, E35])],
    },
    // hljjz yellow: 2 outstanding required courses from earlier terms, 5.5 credits
    // (qzu level3, hntou level1; lut-life oral in T-1/T-2, not carried: < 6 credits).
    Archetype {
        name: "hljjz_yellow_required_outstanding",
        copies: 3,
        events: &[fail(2, &[E35]), fail(1, &[C2])],
    },
    // hljjz yellow by flag:discipline in T, nothing else.
    Archetype {
        name: "hljjz_yellow_flag_discipline",
        copies: 2,
        events: &[Flag {
            back: 0,
            kind: FlagKind::Discipline,
            note: "考试违纪，严重警告处分",
        }],
    },
    // hljjz yellow by flag:wellbeing in T, nothing else.
    Archetype {
        name: "hljjz_yellow_flag_wellbeing",
        copies: 2,
        events: &[Flag {
            back: 0,
            kind: FlagKind::Wellbeing,
            note: "沉迷网络游戏，情绪低落",
        }],
    },
    // hljjz yellow by flag:psychological in T, nothing else.
    Archetype {
        name: "hljjz_yellow_flag_psychological",
        copies: 2,
        events: &[Flag {
            back: 0,
            kind: FlagKind::Psychological,
            note: "心理咨询中心转介，需持续关注",
        }],
    },
    // hljjz edge: 2 exam courses failed after makeup in T, but one was sat as a deferred
    // sitting (除缓考): yellow (2 required outstanding), not orange. lut-life written.
    Archetype {
        name: "hljjz_edge_deferred_not_orange",
        copies: 2,
        events: &[
            fail(0, &[E4]),
            Defer {
                back: 0,
                slot: E35,
                sitting: Some(false),
            },
        ],
    },
    // hljjz edge: 2 required courses failed after makeup in T, one of them 考查: yellow, not orange.
    Archetype {
        name: "hljjz_edge_coursework_not_orange",
        copies: 2,
        events: &[fail(0, &[E4, C2])],
    },
    // hljjz orange: 4 outstanding (none in T), no general elective among them: hntou level2
    // and 留级 (exactly 4 excluding general electives); qzu level2 (9 credits); lut-life
    // written in T-1 carried into T.
    Archetype {
        name: "hljjz_orange_four_outstanding",
        copies: 3,
        events: &[fail(2, &[C2, L25]), fail(1, &[P1, E35])],
    },
    // hntou level2 without 留级: 4 outstanding of which 2 general electives (2 excluding them).
    // Also hljjz orange (4 outstanding), qzu level2 (6.5 credits).
    Archetype {
        name: "hntou_level2_no_repeat",
        copies: 2,
        events: &[fail(2, &[G15, L25]), fail(1, &[G15, P1])],
    },
    // hljjz red by term_credits_earned < 10: a reduced load of 7 credits in T, all passed.
    // No other preset warns.
    Archetype {
        name: "hljjz_red_light_load",
        copies: 3,
        events: &[LightLoad {
            back: 0,
            keep: &[C2, G15, L25, P1],
        }],
    },
    // hljjz edge: a reduced load of exactly 10 credits, all passed: not red (< 10 is strict).
    Archetype {
        name: "hljjz_edge_ten_credits",
        copies: 2,
        events: &[LightLoad {
            back: 0,
            keep: &[E4, C2, G15, L25],
        }],
    },
    // hljjz red by credits: the four exam courses (17 credits) failed after makeup, 7 earned;
    // only 4 failed after makeup and 4 outstanding. Also orange, lut-life written, hntou
    // level2 + 留级, qzu level1 (17 credits).
    Archetype {
        name: "hljjz_red_credits_by_failures",
        copies: 3,
        events: &[fail(0, &[E4, E35, E5, E45])],
    },
    // hljjz red: 6 outstanding from earlier terms, none in T (17.5 credits): hntou level3 and
    // 留级, qzu level1, lut-life written carried.
    Archetype {
        name: "hljjz_red_six_outstanding",
        copies: 3,
        events: &[
            fail(3, &[E4, C2]),
            fail(2, &[L25, P1]),
            fail(1, &[E35, E45]),
        ],
    },
    // hljjz red: 5 courses of T failed after makeup (only one of them an exam course),
    // 13 credits still earned: red by `term_failed_after_makeup >= 5` alone among red's
    // conditions. hntou level2 + 留级 (4 excluding the general elective), qzu level2 (11).
    Archetype {
        name: "hljjz_red_five_after_makeup",
        copies: 3,
        events: &[fail(0, &[C2, G15, L25, P1, E4])],
    },
    // hntou level3 and 退学: 8 outstanding, none a general elective. hljjz red, qzu level1.
    Archetype {
        name: "hntou_dismissal",
        copies: 3,
        events: &[
            fail(3, &[E4, E35, C2]),
            fail(2, &[E5, L25, P1]),
            fail(1, &[E45, C2]),
        ],
    },
    // hntou edge: 8 outstanding but one a general elective: 7 excluding them, 留级 not 退学.
    Archetype {
        name: "hntou_edge_repeat_not_dismissal",
        copies: 2,
        events: &[
            fail(3, &[E4, E35, G15]),
            fail(2, &[E5, L25, P1]),
            fail(1, &[E45, C2]),
        ],
    },
    // hntou level1 by 2 outstanding electives (one general): hljjz nothing (not required),
    // qzu level3 (4 credits).
    Archetype {
        name: "hntou_level1_electives",
        copies: 3,
        events: &[fail(2, &[G15]), fail(1, &[L25])],
    },
    // hljjz edge: 2 outstanding, one required and one practical (实践, 课程设计: compulsory
    // parts of the programme, so required): hljjz yellow; hntou level1, qzu level3 (5 credits).
    Archetype {
        name: "hljjz_edge_practical_is_required",
        copies: 2,
        events: &[fail(1, &[E4, P1])],
    },
    // qzu level3 by outstanding failed credits: one elective, 2.5 credits. Nothing else in T.
    Archetype {
        name: "qzu_level3_credits",
        copies: 3,
        events: &[fail(1, &[L25])],
    },
    // qzu edge: exactly 6 outstanding failed credits is still level3. (hljjz yellow, hntou
    // level1, lut-life written carried: 6 >= 6.)
    Archetype {
        name: "qzu_edge_six_credits",
        copies: 2,
        events: &[fail(1, &[E4, C2])],
    },
    // qzu level2: 9 outstanding failed credits.
    Archetype {
        name: "qzu_level2_credits",
        copies: 3,
        events: &[fail(2, &[E4, E5])],
    },
    // qzu edge: exactly 12 outstanding failed credits is still level2.
    Archetype {
        name: "qzu_edge_twelve_credits",
        copies: 2,
        events: &[fail(2, &[E4, E35, E45])],
    },
    // qzu level1: 13.5 outstanding failed credits.
    Archetype {
        name: "qzu_level1_credits",
        copies: 3,
        events: &[fail(2, &[E4, E5, E45])],
    },
    // qzu level3 by absence: exactly 6 hours in T.
    Archetype {
        name: "qzu_level3_absence",
        copies: 3,
        events: &[Absence {
            back: 0,
            hours: 6.0,
        }],
    },
    // qzu level2 by absence: 10 hours in T.
    Archetype {
        name: "qzu_level2_absence",
        copies: 3,
        events: &[Absence {
            back: 0,
            hours: 10.0,
        }],
    },
    // qzu level1 by absence: 8 + 4 = 12 hours in T in two rows (rows are summed).
    Archetype {
        name: "qzu_level1_absence_summed",
        copies: 3,
        events: &[
            Absence {
                back: 0,
                hours: 8.0,
            },
            Absence {
                back: 0,
                hours: 4.0,
            },
        ],
    },
    // qzu edge: 12 hours in T-1 but only 4 in T: no warning for T.
    Archetype {
        name: "qzu_edge_absence_earlier_term",
        copies: 2,
        events: &[
            Absence {
                back: 1,
                hours: 12.0,
            },
            Absence {
                back: 0,
                hours: 4.0,
            },
        ],
    },
    // qzu level3 by one failed fitness test (score 55 in T-1).
    Archetype {
        name: "qzu_level3_fitness",
        copies: 3,
        events: &[Fitness {
            back: 1,
            result: "55",
            graduation_met: None,
        }],
    },
    // qzu level2 by two failed fitness tests (a score and the word 不及格).
    Archetype {
        name: "qzu_level2_fitness",
        copies: 3,
        events: &[
            Fitness {
                back: 3,
                result: "52",
                graduation_met: None,
            },
            Fitness {
                back: 1,
                result: "不及格",
                graduation_met: None,
            },
        ],
    },
    // qzu level1 by 毕业要求 未达到 on the latest record, whose score itself passes.
    Archetype {
        name: "qzu_level1_fitness_graduation",
        copies: 3,
        events: &[Fitness {
            back: 1,
            result: "63",
            graduation_met: Some(false),
        }],
    },
    // qzu edge: 未达到 on an older record, 达到 on the latest: no warning.
    Archetype {
        name: "qzu_edge_graduation_met_latest",
        copies: 2,
        events: &[
            Fitness {
                back: 3,
                result: "64",
                graduation_met: Some(false),
            },
            Fitness {
                back: 1,
                result: "78",
                graduation_met: Some(true),
            },
        ],
    },
    // lut-life notice: 3 regular sittings of T failed, all cleared by makeup. Nothing else.
    Archetype {
        name: "lut_notice",
        copies: 4,
        events: &[fail_cleared(0, &[C2, L25, P1])],
    },
    // lut-life edge: 2 regular failures cleared by makeup: no notice (needs 3).
    Archetype {
        name: "lut_edge_two_cleared",
        copies: 2,
        events: &[fail_cleared(0, &[E35, C2])],
    },
    // lut-life oral: 1 course of T failed after makeup (qzu level3, 2.5 credits).
    Archetype {
        name: "lut_oral",
        copies: 3,
        events: &[fail(0, &[L25])],
    },
    // lut-life written: 2 courses of T failed after makeup (qzu level3, hntou level1).
    Archetype {
        name: "lut_written",
        copies: 3,
        events: &[fail(0, &[C2, G15])],
    },
    // lut-life carried: written in T-1 (9 credits), no new trigger in T, 9 >= 6: still written.
    // (hljjz yellow, qzu level2, hntou level1.)
    Archetype {
        name: "lut_carried_written",
        copies: 3,
        events: &[fail(1, &[E4, E5])],
    },
    // lut-life: carried written and a new, milder notice in T: written stays.
    Archetype {
        name: "lut_carried_beats_new_notice",
        copies: 2,
        events: &[fail(1, &[E4, E5]), fail_cleared(0, &[C2, L25, P1])],
    },
    // lut-life lifted: written in T-1 (9 credits); a retake in T passes the 5-credit course,
    // 4 < 6 outstanding: the carried warning lifts (qzu level3 remains).
    Archetype {
        name: "lut_lifted_by_retake",
        copies: 3,
        events: &[
            fail(1, &[E4, E5]),
            Retake {
                failed_back: 1,
                slot: E5,
                sat_back: 0,
                passes: true,
            },
        ],
    },
    // A failure cleared by a retake in T-1: no warning at all in T.
    Archetype {
        name: "retake_clears",
        copies: 2,
        events: &[
            fail(2, &[E35]),
            Retake {
                failed_back: 2,
                slot: E35,
                sat_back: 1,
                passes: true,
            },
        ],
    },
    // Retakes that fail again in T-1 and in T: the course stays outstanding (qzu level3, 2 credits).
    Archetype {
        name: "retake_fails_again",
        copies: 2,
        events: &[
            fail(2, &[C2]),
            Retake {
                failed_back: 2,
                slot: C2,
                sat_back: 1,
                passes: false,
            },
            Retake {
                failed_back: 2,
                slot: C2,
                sat_back: 0,
                passes: false,
            },
        ],
    },
    // 缓考 in T with the deferred sitting not yet recorded: pending, counted as earned; no warning.
    Archetype {
        name: "deferred_pending",
        copies: 2,
        events: &[Defer {
            back: 0,
            slot: E4,
            sitting: None,
        }],
    },
    // 缓考 in T with a passed deferred sitting: no warning.
    Archetype {
        name: "deferred_passed",
        copies: 2,
        events: &[Defer {
            back: 0,
            slot: E5,
            sitting: Some(true),
        }],
    },
    // 免修 in T counts as passed: no warning.
    Archetype {
        name: "exempt",
        copies: 2,
        events: &[Exempt { back: 0, slot: G15 }],
    },
];

/// Which student (by index in the roster) follows which archetype. Copies are interleaved
/// (first copy of every archetype, then the second …) and spread evenly over the roster, so
/// every archetype lands in several classes. None when the cohort is too small for them.
pub(crate) fn placements(students: usize) -> Option<Vec<(usize, &'static Archetype)>> {
    let rounds = ARCHETYPES.iter().map(|a| a.copies).max().unwrap_or(0);
    let order: Vec<&Archetype> = (0..rounds)
        .flat_map(|r| ARCHETYPES.iter().filter(move |a| a.copies > r))
        .collect();
    if order.is_empty() || students < order.len() * 2 {
        return None;
    }
    let n = order.len();
    Some(
        order
            .into_iter()
            .enumerate()
            .map(|(j, a)| (j * students / n, a))
            .collect(),
    )
}
