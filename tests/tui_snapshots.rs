//! Whole-screen snapshots of the TUI (mono theme, so colour never matters) at 80x24 and
//! 120x40 in both languages, driven through the same key → action → update path as the
//! real terminal, plus behaviour checks (search, filters, selection kept on refresh).

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use yujing::model::{Nature, Student, Term};
use yujing::policy::{CourseOutcome, Evaluation, Policy, Reason, Threshold, Value};
use yujing::text;
use yujing::tui::data::{
    ContactView, FakeSource, FollowupMark, RosterEntry, Snapshot, StudentDetail, TierHistory,
};
use yujing::tui::keymap::{self, Context};
use yujing::tui::loader::Request;
use yujing::tui::roster_data::RosterData;
use yujing::tui::{Action, App, DataSource, Lang, Theme, TuiOptions};

const TERM: Term = Term { year: 2024, n: 1 };

const POLICY: &str = r#"
id = "hljjz"
name_zh = "黑龙江建筑职业技术学院"
name_en = "Heilongjiang Construction"
[[tiers]]
id = "yellow"
order = 1
zh = "黄色预警"
en = "Yellow"
short_zh = "黄"
short_en = "Y"
conditions = [{ metric = "outstanding_failed_courses", op = ">=", threshold = 2 }]
[[tiers]]
id = "orange"
order = 2
zh = "橙色预警"
en = "Orange"
short_zh = "橙"
short_en = "O"
conditions = [{ metric = "outstanding_failed_courses", op = ">=", threshold = 4 }]
[[tiers]]
id = "red"
order = 3
zh = "红色预警"
en = "Red"
short_zh = "红"
short_en = "R"
conditions = [{ metric = "outstanding_failed_courses", op = ">=", threshold = 6 }]
[[status]]
id = "repeat_year"
zh = "留级"
en = "repeat"
conditions = [{ metric = "outstanding_failed_courses", op = ">=", threshold = 6 }]
[[status]]
id = "dismissal"
zh = "退学"
en = "dismissed"
conditions = [{ metric = "outstanding_failed_courses", op = ">=", threshold = 8 }]
"#;

const NAMES: [&str; 30] = [
    "王清白",
    "李明",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄丽",
    "周杰",
    "吴敏",
    "徐强",
    "孙悦",
    "马超",
    "朱琳",
    "胡斌",
    "郭涛",
    "何雪",
    "高峰",
    "林娜",
    "罗成",
    "郑爽",
    "梁宇",
    "谢婷",
    "宋佳",
    "唐亮",
    "许晴",
    "韩冰",
    "冯刚",
    "欧阳娜娜",
    "阿依古丽·买买提",
];

fn policy() -> Policy {
    toml::from_str(POLICY).expect("test policy parses")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn reason(tier: &str, metric: &str, value: f64, op: &str, threshold: f64) -> Reason {
    Reason {
        tier: tier.into(),
        metric: metric.into(),
        value: Value::Number(value),
        op: op.into(),
        threshold: Threshold::Number(threshold),
        courses: vec![],
        carried_from: None,
        filters: vec![],
        note: String::new(),
        ..Reason::default()
    }
}

/// Student `i`'s evaluation: a spread of tiers, reasons and statuses.
fn evaluation(id: &str, i: usize) -> Evaluation {
    let (tier, reasons, status): (Option<usize>, Vec<Reason>, Vec<String>) = match i % 6 {
        0 => {
            let failed = 6.0 + (i % 3) as f64;
            let status = if failed >= 8.0 {
                "dismissal"
            } else {
                "repeat_year"
            };
            (
                Some(2),
                vec![
                    reason("red", "outstanding_failed_courses", failed, ">=", 6.0),
                    reason(
                        "red",
                        "outstanding_failed_credits",
                        19.0 + i as f64,
                        ">=",
                        12.0,
                    ),
                    reason("orange", "outstanding_failed_courses", failed, ">=", 4.0),
                ],
                vec![status.to_string()],
            )
        }
        1 | 4 => (
            Some(1),
            vec![
                reason("orange", "term_failed_after_makeup", 2.0, ">=", 2.0),
                reason("yellow", "outstanding_failed_courses", 3.0, ">=", 2.0),
            ],
            vec![],
        ),
        2 => {
            let mut flag = reason("yellow", "flag:wellbeing", 0.0, "is", 0.0);
            flag.value = Value::Bool(true);
            flag.threshold = Threshold::Bool(true);
            (Some(0), vec![flag], vec![])
        }
        3 => (
            Some(0),
            vec![reason(
                "yellow",
                "outstanding_failed_courses",
                2.0,
                ">=",
                2.0,
            )],
            vec![],
        ),
        _ => (None, vec![], vec![]),
    };
    Evaluation {
        student_id: id.into(),
        term: TERM,
        tier_index: tier,
        tier: tier.map(|t| ["yellow", "orange", "red"][t].to_string()),
        severity: tier.map_or(0, |t| t as u32 + 1),
        status,
        carried: false,
        reasons,
        ..Evaluation::none(id, TERM)
    }
}

fn student(i: usize, name: &str) -> Student {
    let class = ["计算机2101", "计算机2102", "软件工程2101"][i % 3];
    Student {
        student_id: format!("20210101{:02}", i + 1),
        name: name.into(),
        college: "信息工程学院".into(),
        major: if i % 3 == 2 {
            "软件工程".into()
        } else {
            "计算机科学与技术".into()
        },
        cohort: "2021".into(),
        class: class.into(),
        phone: format!("138000000{:02}", i),
        parent: format!("{}父", name.chars().next().unwrap_or('某')),
        parent_phone: format!("139000000{:02}", i),
        address: String::new(),
        class_teacher: ["李红", "周平", "陈亮"][i % 3].into(),
        counsellor: if i < 15 {
            "张老师".into()
        } else {
            "赵老师".into()
        },
    }
}

fn cohort() -> Vec<RosterEntry> {
    NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let student = student(i, name);
            let eval = evaluation(&student.student_id, i);
            RosterEntry {
                last_contact: (i % 4 != 3).then(|| date(2025, 3, 1 + (i % 20) as u32)),
                followup: (i % 5 == 0).then(|| FollowupMark {
                    label: "班主任谈话".into(),
                    due: date(2025, 3, 10 + (i % 10) as u32),
                    days_overdue: if i % 10 == 0 { 4 } else { 0 },
                }),
                exempt: None,
                student,
                eval,
            }
        })
        .collect()
}

fn snapshot(entries: Vec<RosterEntry>) -> Snapshot {
    Snapshot {
        policy: Some(policy()),
        term: Some(TERM),
        student_count: entries.len(),
        entries,
        today: date(2025, 3, 20),
        schedules: vec![],
        triage: Default::default(),
    }
}

fn course(
    code: &str,
    name: &str,
    term: Term,
    credits: f64,
    results: [&str; 3],
    passed: Option<bool>,
) -> CourseOutcome {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    CourseOutcome {
        code: code.into(),
        name: name.into(),
        term,
        credits,
        nature: Some(Nature::Required),
        assessment: None,
        regular: opt(results[0]),
        makeup: opt(results[1]),
        retake: opt(results[2]),
        passed_so_far: passed,
        ever_failed: true,
        sittings: vec![],
        cleared: None,
    }
}

/// 王清白's page: failed courses, three terms of history, two contacts.
fn wang_detail(entries: &[RosterEntry]) -> StudentDetail {
    let e = &entries[0];
    let t0 = Term { year: 2023, n: 1 };
    let t1 = Term { year: 2023, n: 2 };
    let mut passed = course(
        "MA1001",
        "高等数学A（上）",
        t0,
        5.0,
        ["45", "52", "61"],
        Some(true),
    );
    passed.ever_failed = true;
    let mut never_failed = passed.clone();
    never_failed.ever_failed = false;
    never_failed.name = "大学英语".into();
    StudentDetail {
        student: e.student.clone(),
        eval: e.eval.clone(),
        courses: vec![
            passed,
            never_failed,
            course(
                "MA1002",
                "高等数学A（下）",
                t1,
                5.0,
                ["38", "44", ""],
                Some(false),
            ),
            course(
                "CS2001",
                "数据结构与算法分析",
                t1,
                4.0,
                ["不及格", "缺考", ""],
                Some(false),
            ),
            course("PH1001", "大学物理", TERM, 3.5, ["51", "", ""], None),
        ],
        history: vec![
            TierHistory {
                term: t0,
                tier_index: Some(0),
                status: vec![],
                carried: false,
                issued: vec![],
            },
            TierHistory {
                term: t1,
                tier_index: Some(1),
                status: vec![],
                carried: false,
                issued: vec![],
            },
            TierHistory {
                term: TERM,
                tier_index: Some(2),
                status: vec!["repeat_year".into()],
                carried: false,
                issued: vec![],
            },
        ],
        contacts: vec![
            ContactView {
                at: NaiveDateTime::new(date(2025, 2, 20), chrono::NaiveTime::MIN),
                author: "李红".into(),
                role: "班主任".into(),
                with_whom: "学生".into(),
                channel: "面谈".into(),
                kind: "谈话".into(),
                summary:
                    "学生承认上学期沉迷游戏，表示本学期每天去图书馆自习，重修高等数学和数据结构。"
                        .into(),
            },
            ContactView {
                at: NaiveDateTime::new(date(2025, 3, 5), chrono::NaiveTime::MIN),
                author: "张老师".into(),
                role: "辅导员".into(),
                with_whom: "家长".into(),
                channel: "电话".into(),
                kind: "联系家长".into(),
                summary: "已告知家长预警情况。".into(),
            },
        ],
        notice: None,
        confirmed: None,
    }
}

fn options(lang: Lang) -> TuiOptions {
    TuiOptions::new(lang, Theme::mono())
}

fn press(app: &mut App, code: KeyCode) -> bool {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Answers the app's load requests the way the loader thread would.
fn serve(app: &mut App, source: &dyn DataSource) {
    for r in app.take_requests() {
        if let Request::Student(id) = r {
            let detail = source.student(&id).expect("fake source answers");
            app.set_student(&id, detail);
        }
    }
}

/// The screen as text: one line per row, wide glyphs once, trailing blanks trimmed.
fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = text::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn render(app: &mut App, w: u16, h: u16) -> String {
    app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    term.draw(|f| app.draw(f)).expect("draw");
    screen_text(term.backend().buffer())
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

/// Snapshots `setup`'s app at every size and language.
fn snapshot_all(name: &str, setup: impl Fn(Lang) -> App) {
    for (lang, tag) in LANGS {
        for (w, h) in SIZES {
            let mut app = setup(lang);
            let screen = render(&mut app, w, h);
            insta::assert_snapshot!(format!("{name}_{tag}_{w}x{h}"), screen);
        }
    }
}

fn roster_app(lang: Lang) -> App {
    App::new(snapshot(cohort()), options(lang))
}

#[test]
fn empty_database_says_what_to_do() {
    snapshot_all("empty", |lang| {
        let mut s = snapshot(vec![]);
        s.policy = None;
        s.term = None;
        App::new(s, options(lang))
    });
}

#[test]
fn database_without_policy_asks_for_one() {
    snapshot_all("no_policy", |lang| {
        let mut s = snapshot(cohort());
        s.policy = None;
        App::new(s, options(lang))
    });
}

#[test]
fn roster() {
    snapshot_all("roster", roster_app);
}

#[test]
fn roster_with_tier_filter() {
    snapshot_all("roster_tier_red", |lang| {
        let mut app = roster_app(lang);
        press(&mut app, KeyCode::Tab);
        app
    });
}

#[test]
fn search_by_pinyin_initials() {
    snapshot_all("search_wqb", |lang| {
        let mut app = roster_app(lang);
        press(&mut app, KeyCode::Char('/'));
        type_text(&mut app, "wqb");
        app
    });
}

#[test]
fn student_page() {
    snapshot_all("student", |lang| {
        let entries = cohort();
        let source = FakeSource::new(snapshot(entries.clone()), vec![wang_detail(&entries)]);
        let mut app = App::new(source.snapshot().expect("snapshot"), options(lang));
        press(&mut app, KeyCode::Char('/'));
        type_text(&mut app, "wqb");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        serve(&mut app, &source);
        app
    });
}

#[test]
fn help_lists_the_roster_keys() {
    snapshot_all("help", |lang| {
        let mut app = roster_app(lang);
        press(&mut app, KeyCode::Char('?'));
        app
    });
}

#[test]
fn narrow_terminal_cuts_cjk_with_ellipsis_and_keeps_columns() {
    let mut app = roster_app(Lang::Zh);
    press(&mut app, KeyCode::Char('S')); // id order: 阿依古丽·买买提 (the longest name) is last
    press(&mut app, KeyCode::Char('G'));
    let screen = render(&mut app, 60, 12);
    insta::assert_snapshot!("narrow_zh_60x12", screen);
    let row = screen
        .lines()
        .find(|l| l.contains("2021010130"))
        .expect("last student shown");
    assert!(row.contains('…'), "long name is cut: {row}");
    // Every data row puts the class at the same display column as the header does.
    let header = screen.lines().find(|l| l.contains("等级")).expect("header");
    let col = text::width(&header[..header.find("班级").unwrap_or(0)]);
    for line in screen.lines().filter(|l| l.contains("202101")) {
        let at = line
            .find("计算")
            .or_else(|| line.find("软"))
            .expect("class shown");
        assert_eq!(text::width(&line[..at]), col, "misaligned: {line}");
    }
}

#[test]
fn escape_sequences_in_imported_text_never_reach_the_terminal() {
    let mut entries = cohort();
    entries[0].student.name = "王\u{1b}[31m清\u{1b}]0;owned\u{7}白\r\n".into();
    let mut app = App::new(snapshot(entries), options(Lang::Zh));
    app.resize(80, 24);
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    term.draw(|f| app.draw(f)).expect("draw");
    let buf = term.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| !c.symbol().chars().any(char::is_control))
    );
    assert!(screen_text(buf).contains("王清白"));
}

#[test]
fn search_enter_keeps_filter_then_opens_and_esc_returns_with_selection() {
    let entries = cohort();
    let source = FakeSource::new(snapshot(entries.clone()), vec![wang_detail(&entries)]);
    let mut app = App::new(source.snapshot().expect("snapshot"), options(Lang::Zh));
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.context(), Context::Search);
    type_text(&mut app, "wqb");
    let roster = app.roster().expect("roster");
    assert_eq!(roster.visible_len(), 1);
    assert_eq!(roster.selected_id(), Some("2021010101"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Roster);
    assert_eq!(app.roster().map(|r| r.query()), Some("wqb"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.open_student(), Some("2021010101"));
    assert_eq!(
        app.take_requests(),
        vec![Request::Student("2021010101".into())]
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.open_student(), None);
    assert_eq!(app.take_requests(), vec![Request::CloseStudent]);
    assert_eq!(
        app.roster().and_then(|r| r.selected_id()),
        Some("2021010101")
    );
}

#[test]
fn search_matches_full_pinyin_class_and_id_prefix_and_esc_clears() {
    let mut app = roster_app(Lang::En);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "ouyang");
    assert_eq!(app.roster().map(|r| r.visible_len()), Some(1));
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        app.roster().map(|r| (r.query(), r.visible_len())),
        Some(("", 30))
    );
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "软件");
    assert_eq!(app.roster().map(|r| r.visible_len()), Some(10));
    // `q` in the search field types; it does not quit.
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "q");
    assert!(!app.should_quit());
    assert_eq!(app.roster().map(|r| r.query()), Some("q"));
    press(&mut app, KeyCode::Esc);
    // Ids match by prefix: a full id finds one student, a piece from its middle none.
    type_text(&mut app, "/2021010113");
    assert_eq!(visible_ids(&app), vec!["2021010113"]);
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "/10113");
    assert!(visible_ids(&app).is_empty());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

fn visible_ids(app: &App) -> Vec<String> {
    app.roster()
        .map(|r| {
            r.visible_entries()
                .map(|e| e.student.student_id.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn tab_cycles_tiers_most_severe_first() {
    let mut app = roster_app(Lang::Zh);
    let tiers: Vec<usize> = (0..5)
        .map(|_| {
            press(&mut app, KeyCode::Tab);
            app.roster().map_or(0, |r| r.visible_len())
        })
        .collect();
    // red 5, orange 10, yellow 10, then all 30, then red again.
    assert_eq!(tiers, vec![5, 10, 10, 30, 5]);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.roster().map(|r| r.visible_len()), Some(30));
}

#[test]
fn refresh_keeps_the_selected_student() {
    let entries = cohort();
    let mut app = App::new(snapshot(entries.clone()), options(Lang::Zh));
    for _ in 0..3 {
        app.update(Action::Down);
    }
    let chosen = app
        .roster()
        .and_then(|r| r.selected_id())
        .map(str::to_string)
        .expect("selected");
    // Another process changes the data: the chosen student drops out of the red tier.
    let mut changed = entries;
    changed.reverse();
    let pos = changed
        .iter()
        .position(|e| e.student.student_id == chosen)
        .expect("still there");
    changed[pos].eval = evaluation(&chosen, 5);
    app.set_data(RosterData::build(snapshot(changed), 2));
    assert_eq!(
        app.roster().and_then(|r| r.selected_id()),
        Some(chosen.as_str())
    );
}

#[test]
fn class_picker_filters_the_roster() {
    let mut app = roster_app(Lang::Zh);
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.context(), Context::Picker);
    press(&mut app, KeyCode::Down); // first class after 全部
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Roster);
    assert_eq!(app.roster().map(|r| r.visible_len()), Some(10));
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.roster().map(|r| r.visible_len()), Some(30));
}

#[test]
fn keys_resolve_per_screen_and_update_applies_them() {
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(keymap::resolve(Context::Roster, enter), Some(Action::Open));
    assert_eq!(
        keymap::resolve(Context::Search, enter),
        Some(Action::SearchAccept)
    );
    let mut app = roster_app(Lang::Zh);
    assert!(app.update(Action::Bottom));
    assert_eq!(
        app.roster()
            .and_then(|r| r.selected_id())
            .map(|id| id.len()),
        Some(10)
    );
    assert!(app.update(Action::Top));
    let first = app
        .roster()
        .and_then(|r| r.selected_id())
        .map(str::to_string);
    // Severity order: the first row is a red-tier student.
    let red: Vec<String> = cohort()
        .into_iter()
        .filter(|e| e.eval.tier_index == Some(2))
        .map(|e| e.student.student_id)
        .collect();
    assert!(first.is_some_and(|id| red.contains(&id)));
    assert!(
        !app.update(Action::SearchAccept),
        "no search field open: nothing changes"
    );
}

#[test]
fn student_page_scrolls_to_the_contact_log_newest_first() {
    let entries = cohort();
    let source = FakeSource::new(snapshot(entries.clone()), vec![wang_detail(&entries)]);
    let mut app = App::new(source.snapshot().expect("snapshot"), options(Lang::Zh));
    app.update(Action::Open);
    serve(&mut app, &source);
    let top = render(&mut app, 80, 24);
    assert!(
        !top.contains("联系记录"),
        "80x24 needs scrolling for contacts"
    );
    assert!(top.contains("↓"), "the page says there is more below");
    press(&mut app, KeyCode::Char('G'));
    let bottom = render(&mut app, 80, 24);
    insta::assert_snapshot!("student_bottom_zh_80x24", bottom);
    let newest = bottom.find("2025-03-05").expect("newest contact shown");
    let oldest = bottom.find("2025-02-20").expect("older contact shown");
    assert!(newest < oldest);
    assert!(!bottom.contains("↓"));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Roster);
}

// ---- Follow-up: forms, agenda, overdue marks, exemptions ----

use yujing::model::Cadence;
use yujing::model::{ContactKind, Role};
use yujing::model::{Schedule, Source};
use yujing::tui::WriteOp;
use yujing::tui::forms::field::FieldId;

const TODAY: (i32, u32, u32) = (2025, 3, 20);

fn schedule(
    student: &str,
    kind: ContactKind,
    role: Option<Role>,
    cadence: &str,
    from: NaiveDate,
) -> WriteOp {
    WriteOp::AddSchedule(Schedule {
        id: 0,
        student_id: student.into(),
        kind,
        role,
        cadence: cadence.parse::<Cadence>().expect("cadence"),
        from,
        until: None,
        source: Source::Manual,
        note: String::new(),
        ended: None,
    })
}

/// The cohort with real schedules (their state judged by the engine on 2025-03-20) and one
/// exempt student whose stale mark must not show.
fn followup_source() -> FakeSource {
    let mut entries = cohort();
    for e in &mut entries {
        e.followup = None;
    }
    entries[1].exempt = Some("休学".into());
    entries[1].followup = Some(FollowupMark {
        label: "班主任谈话".into(),
        due: date(2025, 3, 1),
        days_overdue: 19,
    });
    let source = FakeSource::new(snapshot(entries.clone()), vec![wang_detail(&entries)]);
    let writes = [
        // Week of Mar 3 unmet: overdue since Sunday Mar 9.
        schedule(
            "2021010101",
            ContactKind::Talk,
            Some(Role::ClassTeacher),
            "weekly",
            date(2025, 3, 3),
        ),
        // First 14 days (Mar 1-14) unmet: overdue since Mar 14.
        schedule(
            "2021010105",
            ContactKind::ParentContact,
            Some(Role::Counsellor),
            "days:14",
            date(2025, 3, 1),
        ),
        schedule(
            "2021010103",
            ContactKind::Talk,
            None,
            "once:10",
            date(2025, 3, 10),
        ),
        schedule(
            "2021010104",
            ContactKind::Talk,
            Some(Role::Counsellor),
            "weekly",
            date(2025, 3, 17),
        ),
        schedule(
            "2021010108",
            ContactKind::StudyPlan,
            None,
            "once:3",
            date(2025, 3, 19),
        ),
        schedule(
            "2021010109",
            ContactKind::Talk,
            None,
            "monthly",
            date(2025, 3, 1),
        ),
    ];
    for w in &writes {
        source.apply(w).expect("fake write");
    }
    source
}

fn followup_options(lang: Lang) -> TuiOptions {
    let mut o = options(lang);
    o.now = Some(
        date(TODAY.0, TODAY.1, TODAY.2)
            .and_hms_opt(10, 30, 0)
            .expect("time"),
    );
    o
}

fn followup_app(source: &FakeSource, lang: Lang) -> App {
    App::new(source.snapshot().expect("snapshot"), followup_options(lang))
}

/// Answers loads and writes the way the loader thread would: views first, then the answer.
fn serve_all(app: &mut App, source: &FakeSource) {
    for r in app.take_requests() {
        match r {
            Request::Student(id) => {
                let detail = source.student(&id).expect("fake source answers");
                app.set_student(&id, detail);
            }
            Request::Write { id, op } => {
                let result = source.apply(&op).map_err(|e| format!("{e:#}"));
                app.set_data(RosterData::build(
                    source.snapshot().expect("snapshot"),
                    source.version(),
                ));
                app.written(id, result);
            }
            _ => {}
        }
    }
}

fn ctrl(app: &mut App, c: char) -> bool {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn snapshot_80x24(name: &str, setup: impl Fn(Lang) -> App) {
    for (lang, tag) in LANGS {
        let mut app = setup(lang);
        let screen = render(&mut app, 80, 24);
        insta::assert_snapshot!(format!("{name}_{tag}_80x24"), screen);
    }
}

#[test]
fn roster_marks_overdue_and_exempt_students() {
    let source = followup_source();
    snapshot_80x24("roster_followups", |lang| followup_app(&source, lang));
    let app = followup_app(&source, Lang::Zh);
    let roster = app.roster().expect("roster");
    let row = |id: &str| {
        roster
            .visible_entries()
            .find(|e| e.student.student_id == id)
            .cloned()
            .expect("row")
    };
    assert_eq!(row("2021010101").followup.map(|f| f.days_overdue), Some(11));
    let exempt = row("2021010102");
    assert!(exempt.exempt.is_some() && exempt.followup.is_none());
    let screen = render(&mut followup_app(&source, Lang::Zh), 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("2021010102"))
        .expect("exempt row");
    assert!(line.contains('免') && !line.contains("逾期"), "{line}");
}

#[test]
fn overdue_filter_shows_only_students_with_something_overdue() {
    let source = followup_source();
    let mut app = followup_app(&source, Lang::Zh);
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(visible_ids(&app), vec!["2021010101", "2021010105"]);
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(visible_ids(&app).len(), 30);
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(
        visible_ids(&app).len(),
        30,
        "x clears the overdue filter too"
    );
}

#[test]
fn log_form_opens_prefilled_against_the_most_overdue_schedule() {
    let source = followup_source();
    snapshot_all("log_form", |lang| {
        let mut app = followup_app(&source, lang);
        press(&mut app, KeyCode::Char('l'));
        app
    });
    let mut app = followup_app(&source, Lang::Zh);
    press(&mut app, KeyCode::Char('l'));
    assert_eq!(app.context(), Context::Form);
    let form = app.form().expect("form");
    let value = |id| form.field(id).map(|f| f.value().to_string());
    assert_eq!(value(FieldId::At).as_deref(), Some("2025-03-20 10:30"));
    assert_eq!(value(FieldId::Kind).as_deref(), Some("谈话"));
    assert_eq!(value(FieldId::Role).as_deref(), Some("班主任"));
}

#[test]
fn log_form_shows_validation_errors_beside_the_fields() {
    let source = followup_source();
    let setup = |lang| {
        let mut app = followup_app(&source, lang);
        press(&mut app, KeyCode::Char('l'));
        ctrl(&mut app, 'u');
        type_text(&mut app, "2025-02-30");
        press(&mut app, KeyCode::BackTab); // to the last field: next talk
        type_text(&mut app, "2025-03-01");
        app
    };
    snapshot_80x24("log_form_errors", setup);
    let mut app = setup(Lang::Zh);
    let form = app.form().expect("form");
    assert_eq!(form.error(FieldId::At), Some("没有这一天"));
    assert_eq!(form.focused(), FieldId::NextTalk);
    // Ctrl-S refuses, says why, and moves to the first wrong field.
    ctrl(&mut app, 's');
    assert!(app.take_requests().is_empty());
    let form = app.form().expect("form still open");
    assert_eq!(form.status(), Some("请先改正标出的项"));
    assert_eq!(form.focused(), FieldId::At);
    // A valid date leaves only the next talk wrong: it must come after the contact.
    ctrl(&mut app, 'u');
    type_text(&mut app, "2025-03-18 09:00");
    let form = app.form().expect("form");
    assert_eq!(form.error(FieldId::At), None);
    assert_eq!(form.error(FieldId::NextTalk), Some("须晚于谈话日期"));
}

#[test]
fn schedule_form() {
    let source = followup_source();
    snapshot_all("schedule_form", |lang| {
        let mut app = followup_app(&source, lang);
        press(&mut app, KeyCode::Char('s'));
        app
    });
    let mut app = followup_app(&source, Lang::En);
    press(&mut app, KeyCode::Char('s'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "fortnightly");
    assert!(app.form().and_then(|f| f.error(FieldId::Cadence)).is_some());
    ctrl(&mut app, 'u');
    type_text(&mut app, "days:14");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2025-03-01"); // until before from
    assert_eq!(
        app.form().and_then(|f| f.error(FieldId::Until)),
        Some("before the start date")
    );
    ctrl(&mut app, 'u');
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // kind: parent contact
    ctrl(&mut app, 's');
    serve_all(&mut app, &source);
    assert!(app.form().is_none(), "saved forms close");
    assert_eq!(
        app.notice().map(|n| n.text.as_str()),
        Some("Schedule added")
    );
    let Some(WriteOp::AddSchedule(s)) = source.writes().last().cloned() else {
        panic!("a schedule was written");
    };
    assert_eq!(
        (s.student_id.as_str(), s.cadence, s.kind, s.until),
        (
            "2021010101",
            Cadence::Days(14),
            ContactKind::ParentContact,
            None
        )
    );
}

#[test]
fn agenda_groups_overdue_today_and_the_week_by_day() {
    let source = followup_source();
    snapshot_all("agenda", |lang| {
        let mut app = followup_app(&source, lang);
        press(&mut app, KeyCode::Char('a'));
        app
    });
    let mut app = followup_app(&source, Lang::Zh);
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.context(), Context::Agenda);
    use yujing::tui::data::AgendaGroup as G;
    let lines: Vec<(G, String)> = app.agenda().expect("agenda").lines();
    let expect: Vec<(G, String)> = [
        (G::Overdue, "2021010101"),
        (G::Overdue, "2021010105"),
        (G::Today, "2021010103"),
        (G::Week, "2021010108"),
        (G::Week, "2021010104"),
    ]
    .into_iter()
    .map(|(g, s)| (g, s.to_string()))
    .collect();
    assert_eq!(lines, expect, "most overdue first; the week soonest first");
}

#[test]
fn logging_from_the_agenda_meets_the_schedule_and_it_leaves_overdue() {
    let source = followup_source();
    let mut app = followup_app(&source, Lang::Zh);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('j')); // the second overdue line: 陈静's parent contact
    press(&mut app, KeyCode::Char('l'));
    let form = app.form().expect("form");
    assert_eq!(
        form.field(FieldId::Kind).map(Field::value),
        Some("联系家长")
    );
    assert_eq!(form.field(FieldId::Role).map(Field::value), Some("辅导员"));
    // In a text field `q` types.
    for _ in 0..6 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.form().map(|f| f.focused()), Some(FieldId::Summary));
    type_text(&mut app, "qq 已电话告知家长");
    assert!(!app.should_quit());
    ctrl(&mut app, 's');
    assert_eq!(app.form().and_then(|f| f.status()), Some("正在保存…"));
    serve_all(&mut app, &source);
    assert!(app.form().is_none());
    assert_eq!(
        app.notice().map(|n| n.text.as_str()),
        Some("已保存联系记录")
    );
    let Some(WriteOp::LogContact(c)) = source.writes().last().cloned() else {
        panic!("a contact was written");
    };
    assert_eq!(
        (c.student_id.as_str(), c.kind, c.role, c.summary.as_str()),
        (
            "2021010105",
            ContactKind::ParentContact,
            Some(Role::Counsellor),
            "qq 已电话告知家长"
        )
    );
    let lines = app.agenda().expect("agenda still open").lines();
    assert!(
        !lines.iter().any(|(_, id)| id == "2021010105"),
        "met: gone from the agenda: {lines:?}"
    );
    let roster_row = app
        .roster()
        .and_then(|r| {
            r.visible_entries()
                .find(|e| e.student.student_id == "2021010105")
                .cloned()
        })
        .expect("row");
    assert!(!roster_row.is_overdue());
}

use yujing::tui::forms::field::Field;

#[test]
fn esc_asks_before_discarding_edits() {
    let source = followup_source();
    let mut app = followup_app(&source, Lang::Zh);
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Esc);
    assert!(app.form().is_none(), "an untouched form closes at once");
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Right); // date field: just moves the cursor, not an edit
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // kind changed
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Confirm);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("放弃未保存的内容？"), "{screen}");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.context(), Context::Form);
    assert_eq!(
        app.form()
            .and_then(|f| f.field(FieldId::Kind))
            .map(Field::value),
        Some("联系家长")
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('q')); // not an answer, and never quits here
    assert!(!app.should_quit());
    press(&mut app, KeyCode::Char('y'));
    assert!(app.form().is_none());
    assert_eq!(app.context(), Context::Roster);
    assert!(source.writes().len() == 6, "nothing was written");
}

#[test]
fn a_refused_write_keeps_the_form_and_says_why() {
    let source = followup_source();
    source.fail_writes(Some("database is locked"));
    let mut app = followup_app(&source, Lang::En);
    press(&mut app, KeyCode::Char('l'));
    ctrl(&mut app, 's');
    serve_all(&mut app, &source);
    let form = app.form().expect("still open");
    assert_eq!(form.status(), Some("Could not save: database is locked"));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Could not save: database is locked"),
        "{screen}"
    );
    source.fail_writes(None);
    ctrl(&mut app, 's');
    serve_all(&mut app, &source);
    assert!(app.form().is_none(), "saved on the second try");
}

#[test]
fn student_page_lists_schedules_with_their_state() {
    let source = followup_source();
    let mut app = followup_app(&source, Lang::Zh);
    press(&mut app, KeyCode::Enter); // 王清白, first in triage order
    serve_all(&mut app, &source);
    let screen = render(&mut app, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("班主任谈话 · 每周"))
        .expect("schedule line");
    assert!(line.contains("逾期11天"), "{line}");
    // `l` from the page logs for this student.
    press(&mut app, KeyCode::Char('l'));
    assert!(app.form().is_some());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "2021010102");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("免于跟进：休学"), "{screen}");
}

#[test]
fn pages_opened_from_the_agenda_hand_back_to_the_page_below() {
    let source = followup_source();
    let mut app = followup_app(&source, Lang::Zh);
    press(&mut app, KeyCode::Enter); // 王清白's page
    press(&mut app, KeyCode::Char('a')); // the agenda over it
    assert_eq!(app.context(), Context::Agenda);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter); // 陈静's page over the agenda
    assert_eq!(app.open_student(), Some("2021010105"));
    app.take_requests();
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Agenda);
    // The loader goes back to keeping 王清白's page (still below) fresh.
    assert_eq!(
        app.take_requests(),
        vec![Request::Student("2021010101".into())]
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.open_student(), Some("2021010101"));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.take_requests(), vec![Request::CloseStudent]);
    assert_eq!(app.context(), Context::Roster);
}

#[test]
fn n_on_the_student_page_previews_the_notice_and_a_second_n_approves_it() {
    let entries = cohort();
    let mut detail = wang_detail(&entries);
    detail.notice = Some("【学业预警通知书】\n编号：（待批准）\n王清白同学：".into());
    let mut source = FakeSource::new(snapshot(entries.clone()), vec![detail]);
    let mut app = App::new(source.snapshot().expect("snapshot"), options(Lang::Zh));
    type_text(&mut app, "/wqb");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    serve(&mut app, &source);
    press(&mut app, KeyCode::Char('n'));
    assert!(render(&mut app, 80, 24).contains("编号：（待批准）"));
    press(&mut app, KeyCode::Char('n'));
    let op = app
        .take_requests()
        .into_iter()
        .find_map(|r| match r {
            Request::Write { op, .. } => Some(op),
            _ => None,
        })
        .expect("a second n approves");
    assert_eq!(
        op,
        yujing::tui::data::WriteOp::ApproveNotice("2021010101".into())
    );
    // The loader writes, then reloads the page: the preview shows the number.
    source.write(&op).expect("fake write");
    app.set_student("2021010101", source.student("2021010101").unwrap());
    assert!(render(&mut app, 80, 24).contains("编号：TEST-0001"));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.open_student(), Some("2021010101"));
    assert!(!render(&mut app, 80, 24).contains("编号："));
}

// ---- Everyday polish (issue 15): forms, paste, columns, help, filters, mouse, widths ----

use crossterm::event::{Event as TermEvent, MouseButton, MouseEvent, MouseEventKind};
use yujing::tui::event::Event;

fn paste(app: &mut App, s: &str) -> bool {
    app.handle_event(Event::Input(TermEvent::Paste(s.to_string())))
}

fn mouse(app: &mut App, kind: MouseEventKind, row: u16) -> bool {
    app.handle_mouse(MouseEvent {
        kind,
        column: 10,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

/// The log form with the cursor in its summary (the note), which is the seventh field.
fn log_form_at_summary(source: &FakeSource, lang: Lang) -> App {
    let mut app = followup_app(source, lang);
    press(&mut app, KeyCode::Char('l'));
    for _ in 0..6 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.form().map(|f| f.focused()), Some(FieldId::Summary));
    app
}

const LONG_NOTE: &str = "学生承认上学期沉迷游戏，作息不规律，导致高等数学和大学物理两门课程不及格；\
                         约定每周日晚到自习室学习，由班长督促，下周三再谈一次。";

#[test]
fn the_note_wraps_inside_the_box_and_keeps_its_start_in_sight() {
    let source = followup_source();
    let setup = |lang| {
        let mut app = log_form_at_summary(&source, lang);
        type_text(&mut app, LONG_NOTE);
        app
    };
    snapshot_all("log_form_long_note", setup);
    for (w, h) in SIZES {
        let screen = render(&mut setup(Lang::Zh), w, h);
        // The start of what was typed is still on screen, and so is its end.
        assert!(screen.contains("学生承认上学期"), "{screen}");
        assert!(screen.contains("次。"), "{screen}");
    }
    // Fields take the box's width: a place typed in full is shown in full.
    let mut app = followup_app(&source, Lang::En);
    press(&mut app, KeyCode::Char('l'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    let place = "Student affairs office, building 3, room 302, second floor east";
    type_text(&mut app, place);
    assert!(render(&mut app, 80, 24).contains(place));
}

#[test]
fn a_pasted_newline_stays_in_the_note_and_never_moves_to_the_next_field() {
    let source = followup_source();
    let mut app = log_form_at_summary(&source, Lang::Zh);
    assert!(paste(&mut app, "第一行\r\n第二行\n"));
    type_text(&mut app, "x");
    let form = app.form().expect("form");
    assert_eq!(form.focused(), FieldId::Summary, "still in the note");
    assert_eq!(
        form.field(FieldId::Summary).map(|f| f.value().to_string()),
        Some("第一行\n第二行\nx".to_string())
    );
    // In a one-line field a pasted newline is a space.
    press(&mut app, KeyCode::BackTab);
    assert!(paste(&mut app, "学工办\n302"));
    assert_eq!(
        app.form()
            .and_then(|f| f.field(FieldId::Place))
            .map(|f| f.value().to_string()),
        Some("学工办 302".to_string())
    );
    // Outside a text field a paste is not a burst of commands.
    let mut roster = roster_app(Lang::Zh);
    assert!(!paste(&mut roster, "q/lo"));
    assert!(!roster.should_quit() && roster.form().is_none());
    press(&mut roster, KeyCode::Char('/'));
    assert!(paste(&mut roster, "wqb"));
    assert_eq!(roster.roster().map(|r| r.query()), Some("wqb"));
}

/// Long class names of one cohort, differing only at the end.
fn long_class_app(lang: Lang) -> App {
    let mut entries = cohort();
    for (i, e) in entries.iter_mut().enumerate() {
        e.student.class = format!("生物科学与技术2022级{}班", i % 4 + 1);
    }
    App::new(snapshot(entries), options(lang))
}

#[test]
fn long_class_names_keep_their_distinguishing_end() {
    snapshot_all("roster_long_classes", long_class_app);
    for (lang, _) in LANGS {
        for (w, h) in SIZES {
            let screen = render(&mut long_class_app(lang), w, h);
            for n in 1..=4 {
                assert!(
                    screen.contains(&format!("{n}班")),
                    "class {n} told apart:\n{screen}"
                );
            }
            // The term in the title is never cut.
            let title = screen.lines().next().unwrap_or_default();
            assert!(title.contains("2024-2025-1"), "{title}");
        }
    }
}

#[test]
fn the_term_in_the_title_survives_a_long_school_name_at_80_columns() {
    let mut p = policy();
    p.name_zh = "某某省某某市某某职业技术学院学生学业预警及帮扶管理办法（试行）".into();
    p.name_en = "Some Province Some City Vocational and Technical College Warning Rules".into();
    for lang in [Lang::Zh, Lang::En] {
        let mut snap = snapshot(cohort());
        snap.policy = Some(p.clone());
        let mut app = App::new(snap, options(lang));
        let screen = render(&mut app, 80, 24);
        let title = screen.lines().next().unwrap_or_default();
        assert!(title.contains("· 2024-2025-1"), "{title}");
        assert!(
            title.contains('…'),
            "the school's name is what gets shortened: {title}"
        );
    }
}

#[test]
fn help_scrolls_by_page_and_says_there_is_more() {
    let setup = |lang| {
        let mut app = roster_app(lang);
        press(&mut app, KeyCode::Char('?'));
        app
    };
    let mut app = setup(Lang::Zh);
    let first = render(&mut app, 80, 24);
    assert!(first.contains("▼ 还有"), "more below is shown:\n{first}");
    assert!(!first.contains("清除筛选") || !first.contains("最后一行"));
    press(&mut app, KeyCode::PageDown);
    let paged = render(&mut app, 80, 24);
    assert!(paged.contains("▲ PgUp/k"), "{paged}");
    assert!(
        paged.contains("最后一行"),
        "the last key is reachable: {paged}"
    );
    insta::assert_snapshot!("help_paged_zh_80x24", paged);
    press(&mut app, KeyCode::PageUp);
    assert_eq!(render(&mut app, 80, 24), first);
    // j many times stops at the end; one k then moves at once.
    let mut app = setup(Lang::En);
    render(&mut app, 80, 24);
    for _ in 0..50 {
        press(&mut app, KeyCode::Char('j'));
    }
    let bottom = render(&mut app, 80, 24);
    press(&mut app, KeyCode::Char('k'));
    assert_ne!(render(&mut app, 80, 24), bottom);
}

#[test]
fn counts_and_filters_agree_with_what_is_shown() {
    let source = followup_source();
    let mut app = followup_app(&source, Lang::Zh);
    // A search: the tier bar counts what the search shows, overdue included.
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "2021010105");
    let bar = render(&mut app, 80, 24)
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(
        bar.contains("全部 1]") && bar.contains("橙 1") && bar.contains("红 0"),
        "{bar}"
    );
    assert!(bar.contains("逾期 1"), "{bar}");
    press(&mut app, KeyCode::Enter);
    // `o` on top of the search: one active filter, not two.
    press(&mut app, KeyCode::Char('o'));
    let bar = render(&mut app, 80, 24)
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert_eq!(bar.matches('[').count(), 1, "{bar}");
    assert!(bar.contains("[! 逾期 1]"), "{bar}");
    // Overdue only: the most overdue first, whatever the tier.
    let mut app = followup_app(&source, Lang::Zh);
    press(&mut app, KeyCode::Char('o'));
    let roster = app.roster().expect("roster");
    let days: Vec<i64> = roster
        .visible_entries()
        .filter_map(|e| e.followup.as_ref().map(|f| f.days_overdue))
        .collect();
    let mut sorted = days.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(days, sorted);
}

#[test]
fn clicks_select_the_row_under_them_and_the_wheel_scrolls() {
    let mut app = roster_app(Lang::Zh);
    render(&mut app, 80, 24);
    // Rows start under the title, the tier bar, the search line and the header.
    let selected_is_row = |app: &App, n: usize| {
        let roster = app.roster().expect("roster");
        let nth = roster
            .visible_entries()
            .nth(n)
            .map(|e| e.student.student_id.clone());
        assert_eq!(roster.selected_id().map(str::to_string), nth, "row {n}");
    };
    assert!(mouse(&mut app, MouseEventKind::Down(MouseButton::Left), 6));
    selected_is_row(&app, 2);
    // Clicks on the header or below the last row change nothing.
    assert!(!mouse(&mut app, MouseEventKind::Down(MouseButton::Left), 3));
    assert!(mouse(&mut app, MouseEventKind::ScrollDown, 10));
    selected_is_row(&app, 5);
}

#[test]
fn a_zero_width_joiner_in_a_name_does_not_misalign_its_row() {
    let mut entries = cohort();
    entries[0].student.name = "王\u{200d}清\u{200b}白".into();
    let mut app = App::new(snapshot(entries), options(Lang::Zh));
    let screen = render(&mut app, 80, 24);
    let header = screen.lines().find(|l| l.contains("等级")).expect("header");
    let col = text::width(&header[..header.find("班级").unwrap_or(0)]);
    let row = screen
        .lines()
        .find(|l| l.contains("2021010101"))
        .expect("row");
    assert!(row.contains("王清白"), "{row}");
    let at = row.find("计算").expect("class");
    assert_eq!(text::width(&row[..at]), col, "{row}");
}

#[test]
fn an_obligation_of_kind_other_says_what_it_requires() {
    let source = followup_source();
    let op = WriteOp::AddSchedule(Schedule {
        id: 0,
        student_id: "2021010107".into(),
        kind: ContactKind::Other,
        role: Some(Role::Counsellor),
        cadence: "once:3".parse().expect("cadence"),
        from: date(2025, 3, 1),
        until: None,
        source: Source::Policy,
        note: "建立专门档案".into(),
        ended: None,
    });
    source.apply(&op).expect("fake write");
    for lang in [Lang::Zh, Lang::En] {
        let mut app = followup_app(&source, lang);
        press(&mut app, KeyCode::Char('a'));
        let screen = render(&mut app, 120, 40);
        assert!(screen.contains("建立专门档案"), "{screen}");
        assert!(!screen.contains("辅导员其他"), "{screen}");
    }
}

#[test]
fn the_student_page_shows_the_students_confirmation_of_the_list_entry() {
    let entries = cohort();
    let mut detail = wang_detail(&entries);
    detail.confirmed = Some("2025-03-05".into());
    let source = FakeSource::new(snapshot(entries.clone()), vec![detail]);
    for (lang, text) in [
        (Lang::Zh, "学生已确认名单 2025-03-05"),
        (Lang::En, "entry confirmed by the student 2025-03-05"),
    ] {
        let mut app = App::new(source.snapshot().expect("snapshot"), options(lang));
        type_text(&mut app, "/wqb");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        serve(&mut app, &source);
        assert!(render(&mut app, 120, 40).contains(text), "{lang:?}");
    }
}
