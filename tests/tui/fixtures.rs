//! What the TUI's screens share in tests: a small cohort with Chinese names and a policy,
//! student pages, follow-up schedules, and helpers that drive the app through the same key →
//! action → update path as the real terminal and render it at 80x24 and 120x40.
#![allow(dead_code)]

pub use chrono::{NaiveDate, NaiveDateTime};
pub use crossterm::event::{Event as TermEvent, MouseButton, MouseEvent, MouseEventKind};
pub use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub use ratatui::Terminal;
pub use ratatui::backend::TestBackend;
pub use ratatui::buffer::Buffer;
pub use yujing::model::Cadence;
pub use yujing::model::{ContactKind, Role};
pub use yujing::model::{Nature, Student, Term};
pub use yujing::model::{Schedule, Source};
pub use yujing::policy::{CourseOutcome, Evaluation, Policy, Reason, Threshold, Value};
pub use yujing::text;
pub use yujing::tui::WriteOp;
pub use yujing::tui::event::{Event, Loaded};
pub use yujing::tui::forms::field::Field;
pub use yujing::tui::forms::field::FieldId;
pub use yujing::tui::keymap::{self, Context};
pub use yujing::tui::loader::Request;
pub use yujing::tui::model::{
    ContactView, FollowupMark, RosterEntry, Snapshot, StudentDetail, TierHistory,
};
pub use yujing::tui::roster_index::RosterIndex;
pub use yujing::tui::{Action, App, DataSource, FakeSource, Lang, Theme, TuiOptions};

pub const TERM: Term = Term { year: 2024, n: 1 };

pub const POLICY: &str = r#"
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

pub const NAMES: [&str; 30] = [
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

pub fn policy() -> Policy {
    toml::from_str(POLICY).expect("test policy parses")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub fn reason(tier: &str, metric: &str, value: f64, op: &str, threshold: f64) -> Reason {
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
pub fn evaluation(id: &str, i: usize) -> Evaluation {
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

pub fn student(i: usize, name: &str) -> Student {
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

pub fn cohort() -> Vec<RosterEntry> {
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

pub fn snapshot(entries: Vec<RosterEntry>) -> Snapshot {
    Snapshot {
        policy: Some(policy()),
        policy_error: None,
        term: Some(TERM),
        student_count: entries.len(),
        entries,
        today: date(2025, 3, 20),
        schedules: vec![],
        triage: Default::default(),
    }
}

pub fn course(
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
pub fn wang_detail(entries: &[RosterEntry]) -> StudentDetail {
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

pub fn options(lang: Lang) -> TuiOptions {
    TuiOptions::new(lang, Theme::mono())
}

pub fn press(app: &mut App, code: KeyCode) -> bool {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Answers the app's load requests the way the loader thread would.
pub fn serve(app: &mut App, source: &dyn DataSource) {
    for r in app.take_requests() {
        if let Request::Student(id) = r {
            let detail = source.student(&id).expect("fake source answers");
            app.set_student(&id, detail);
        }
    }
}

/// The screen as text: one line per row, wide glyphs once, trailing blanks trimmed.
pub fn screen_text(buf: &Buffer) -> String {
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

pub fn render(app: &mut App, w: u16, h: u16) -> String {
    app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    term.draw(|f| app.draw(f)).expect("draw");
    screen_text(term.backend().buffer())
}

pub const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
pub const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

/// Snapshots `setup`'s app at every size and language.
pub fn snapshot_all(name: &str, setup: impl Fn(Lang) -> App) {
    for (lang, tag) in LANGS {
        for (w, h) in SIZES {
            let mut app = setup(lang);
            let screen = render(&mut app, w, h);
            insta::assert_snapshot!(format!("{name}_{tag}_{w}x{h}"), screen);
        }
    }
}

pub fn roster_app(lang: Lang) -> App {
    App::new(snapshot(cohort()), options(lang))
}

pub fn visible_ids(app: &App) -> Vec<String> {
    app.roster()
        .map(|r| {
            r.visible_entries()
                .map(|e| e.student.student_id.clone())
                .collect()
        })
        .unwrap_or_default()
}

pub const TODAY: (i32, u32, u32) = (2025, 3, 20);

pub fn schedule(
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
pub fn followup_source() -> FakeSource {
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

pub fn followup_options(lang: Lang) -> TuiOptions {
    let mut o = options(lang);
    o.now = Some(
        date(TODAY.0, TODAY.1, TODAY.2)
            .and_hms_opt(10, 30, 0)
            .expect("time"),
    );
    o
}

pub fn followup_app(source: &FakeSource, lang: Lang) -> App {
    App::new(source.snapshot().expect("snapshot"), followup_options(lang))
}

/// Answers loads and writes the way the loader thread would: views first, then the answer.
pub fn serve_all(app: &mut App, source: &FakeSource) {
    for r in app.take_requests() {
        match r {
            Request::Student(id) => {
                let detail = source.student(&id).expect("fake source answers");
                app.set_student(&id, detail);
            }
            Request::Write { id, op } => {
                let result = source.apply(&op).map_err(|e| format!("{e:#}"));
                app.set_data(RosterIndex::build(
                    source.snapshot().expect("snapshot"),
                    source.version(),
                ));
                app.written(id, result);
            }
            _ => {}
        }
    }
}

pub fn ctrl(app: &mut App, c: char) -> bool {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn snapshot_80x24(name: &str, setup: impl Fn(Lang) -> App) {
    for (lang, tag) in LANGS {
        let mut app = setup(lang);
        let screen = render(&mut app, 80, 24);
        insta::assert_snapshot!(format!("{name}_{tag}_80x24"), screen);
    }
}

pub fn paste(app: &mut App, s: &str) -> bool {
    app.handle_event(Event::Input(TermEvent::Paste(s.to_string())))
}

pub fn mouse(app: &mut App, kind: MouseEventKind, row: u16) -> bool {
    app.handle_mouse(MouseEvent {
        kind,
        column: 10,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

/// The log form with the cursor in its summary (the note), which is the seventh field.
pub fn log_form_at_summary(source: &FakeSource, lang: Lang) -> App {
    let mut app = followup_app(source, lang);
    press(&mut app, KeyCode::Char('l'));
    for _ in 0..6 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.form().map(|f| f.focused()), Some(FieldId::Summary));
    app
}

pub const LONG_NOTE: &str = "学生承认上学期沉迷游戏，作息不规律，导致高等数学和大学物理两门课程不及格；\
                         约定每周日晚到自习室学习，由班长督促，下周三再谈一次。";

/// Long class names of one cohort, differing only at the end.
pub fn long_class_app(lang: Lang) -> App {
    let mut entries = cohort();
    for (i, e) in entries.iter_mut().enumerate() {
        e.student.class = format!("生物科学与技术2022级{}班", i % 4 + 1);
    }
    App::new(snapshot(entries), options(lang))
}
