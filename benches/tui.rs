//! The TUI at scale: 50,000 students (`cargo bench --bench tui`; `-- 20000` picks the size).
//!
//! Measures, at 200x50 on an in-memory backend: building the roster data (the loader
//! thread's share of a load), building the app and drawing the first full frame, one `j`
//! to the next frame, each search keystroke (`w`, `q`, `b`) to the next frame, and the bytes
//! a real terminal receives for the first frame and for moving the selection one row.

use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use yujing::model::{Student, Term};
use yujing::policy::{Evaluation, Reason, Threshold, Value};
use yujing::tui::data::{FollowupMark, RosterEntry};
use yujing::tui::roster_data::RosterData;
use yujing::tui::{App, Lang, Snapshot, Theme, TuiOptions};

const W: u16 = 200;
const H: u16 = 50;
const TERM: Term = Term { year: 2024, n: 2 };

/// A small deterministic generator (xorshift): the same cohort on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "欧阳",
];
const GIVEN: &[&str] = &[
    "清", "白", "明", "伟", "洋", "静", "帆", "磊", "丽", "杰", "敏", "强", "悦", "超", "琳", "斌",
    "涛", "雪", "峰", "娜", "成", "爽", "宇", "婷", "佳", "亮", "晴", "冰", "刚",
];
const MAJORS: &[&str] = &["计算机", "软件工程", "土木", "建筑学", "生物", "会计"];

fn entry(i: usize, rng: &mut Rng, today: NaiveDate) -> RosterEntry {
    let id = format!("2021{i:06}");
    let mut name = rng.pick(SURNAMES).to_string();
    for _ in 0..1 + rng.next() % 2 {
        name.push_str(rng.pick(GIVEN));
    }
    let class = format!("{}21{:02}", rng.pick(MAJORS), 1 + rng.next() % 12);
    // About one in ten warned, most of them mildly.
    let tier = match rng.next() % 100 {
        0..=1 => Some(2),
        2..=4 => Some(1),
        5..=9 => Some(0),
        _ => None,
    };
    let failed = tier.map_or(0.0, |t| 2.0 * (t as f64 + 1.0));
    let reasons = tier
        .map(|_| {
            vec![Reason {
                tier: "yellow".into(),
                metric: "outstanding_failed_courses".into(),
                value: Value::Number(failed),
                op: ">=".into(),
                threshold: Threshold::Number(2.0),
                courses: vec![],
                carried_from: None,
                filters: vec![],
                note: String::new(),
                ..Reason::default()
            }]
        })
        .unwrap_or_default();
    let days_ago = |n: u64| today - chrono::Days::new(n);
    RosterEntry {
        student: Student {
            student_id: id.clone(),
            name,
            class,
            class_teacher: format!("班主任{}", i % 400),
            counsellor: format!("辅导员{}", i % 60),
            ..Student::default()
        },
        eval: Evaluation {
            tier_index: tier,
            tier: None,
            severity: tier.map_or(0, |t| t as u32 + 1),
            reasons,
            ..Evaluation::none(&id, TERM)
        },
        last_contact: tier
            .and_then(|_| (!rng.next().is_multiple_of(3)).then(|| days_ago(rng.next() % 60))),
        followup: tier.map(|_| {
            let late = (rng.next() % 20) as i64 - 5;
            FollowupMark {
                label: "班主任谈话".into(),
                due: days_ago(late.max(0) as u64),
                days_overdue: late.max(0),
            }
        }),
        exempt: None,
    }
}

fn snapshot(students: usize) -> Snapshot {
    let today = NaiveDate::from_ymd_opt(2025, 6, 20).expect("date");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let entries: Vec<RosterEntry> = (0..students).map(|i| entry(i, &mut rng, today)).collect();
    let (policy, _) = yujing::policy_file::resolve("hljjz").expect("preset");
    Snapshot {
        policy: Some(policy),
        term: Some(TERM),
        student_count: entries.len(),
        entries,
        today,
        schedules: Vec::new(),
        triage: Default::default(),
    }
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// The median of `n` timings of `f`.
fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

/// The median of `n` timings of `act`, each on a fresh input from `prepare`; neither the
/// preparation nor dropping what `act` returns (50,000 rows take a while to free) is timed.
fn timed<T, U>(n: usize, mut prepare: impl FnMut() -> T, mut act: impl FnMut(T) -> U) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let input = prepare();
            let t = Instant::now();
            let out = act(input);
            let elapsed = t.elapsed();
            drop(out);
            elapsed
        })
        .collect();
    times.sort();
    times[n / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn options() -> TuiOptions {
    TuiOptions::new(Lang::Zh, Theme::default())
}

/// An app showing `data`, as the UI thread builds it when the first load arrives.
fn fresh_app(snap: &Snapshot) -> App {
    let mut app = App::loading(options());
    app.resize(W, H);
    app.set_data(RosterData::build(snap.clone(), 1));
    app
}

fn bench(students: usize) {
    let snap = snapshot(students);
    println!("\n### {students} students, {W}x{H}\n");
    println!("| step | time |");
    println!("|---|---|");

    let build = timed(5, || snap.clone(), |s| RosterData::build(s, 1));
    println!(
        "| roster data build (loader thread: sanitise, pinyin index, triage order) | {} |",
        ms(build)
    );

    let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    let first = timed(
        5,
        || RosterData::build(snap.clone(), 1),
        |data| {
            let mut app = App::loading(options());
            app.resize(W, H);
            app.set_data(data);
            term.draw(|f| app.draw(f)).expect("draw");
            app
        },
    );
    println!(
        "| build the app + first full frame (UI thread) | {} |",
        ms(first)
    );

    let mut app = fresh_app(&snap);
    term.draw(|f| app.draw(f)).expect("draw");
    let down = median(201, || {
        app.handle_key(key('j'));
        term.draw(|f| app.draw(f)).expect("draw");
    });
    println!("| `j` → next frame (median of 201) | {} |", ms(down));

    let query = ['w', 'q', 'b'];
    for i in 0..query.len() {
        let mut hits = 0;
        let prepared = || {
            let mut app = fresh_app(&snap);
            for c in std::iter::once('/').chain(query[..i].iter().copied()) {
                app.handle_key(key(c));
            }
            app
        };
        let t = timed(5, prepared, |mut app| {
            app.handle_key(key(query[i]));
            term.draw(|f| app.draw(f)).expect("draw");
            hits = app.roster().map_or(0, |r| r.visible_len());
            app
        });
        let typed: String = query[..=i].iter().collect();
        println!(
            "| search `{typed}` (type `{}`) → next frame, {hits} hits | {} |",
            query[i],
            ms(t)
        );
    }

    // Bytes a real terminal receives.
    let written = Rc::new(Cell::new(0));
    let mut term = Terminal::with_options(
        CrosstermBackend::new(Counter(written.clone())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, W, H)),
        },
    )
    .expect("terminal");
    let mut app = fresh_app(&snap);
    let mut frame_bytes = |app: &App| {
        written.set(0);
        term.draw(|f| app.draw(f)).expect("draw");
        written.get()
    };
    let first_bytes = frame_bytes(&app);
    app.handle_key(key('j'));
    let move_bytes = frame_bytes(&app);
    // To the bottom of the window; the next move scrolls every visible row.
    for _ in 0..H {
        app.handle_key(key('j'));
    }
    frame_bytes(&app);
    app.handle_key(key('j'));
    let scroll_bytes = frame_bytes(&app);
    println!("| bytes: first full frame | {first_bytes} B |");
    println!("| bytes: selection moves one row | {move_bytes} B |");
    println!("| bytes: selection moves one row and the table scrolls | {scroll_bytes} B |");
}

/// A terminal that only counts what it is sent.
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![50_000]
    } else {
        sizes
    };
    for n in sizes {
        bench(n);
    }
}
