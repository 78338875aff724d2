//! The roster: empty states, filters, marks, columns, mouse and keys.

use super::fixtures::*;

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

const BROKEN: &str = "policy 'mine' stored in the database: TOML parse error at line 3, column 1\n  |\n3 | [[tiers]\n  | ^\ninvalid table header";

#[test]
fn a_chosen_policy_that_cannot_be_read_shows_why() {
    snapshot_all("bad_policy", |lang| {
        let mut s = snapshot(cohort());
        s.policy = None;
        s.policy_error = Some(BROKEN.into());
        App::new(s, options(lang))
    });
}

#[test]
fn the_database_source_reports_a_stored_policy_that_does_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut db = yujing::db::Db::open(&path).unwrap();
    db.set_policy("mine", "id = \"mine\"\n[[tiers]\n").unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
    let src = yujing::tui::db_source::DbSource::open(&path, None, None, today, Lang::En).unwrap();
    let snap = src.snapshot().unwrap();
    assert!(snap.policy.is_none());
    let why = snap.policy_error.expect("the error is kept for the screen");
    assert!(why.contains("mine"), "{why}");
    // With none chosen there is nothing to report: the "choose one" screen shows instead.
    let fresh = dir.path().join("fresh.db");
    drop(yujing::db::Db::open(&fresh).unwrap());
    let src = yujing::tui::db_source::DbSource::open(&fresh, None, None, today, Lang::En).unwrap();
    assert_eq!(src.snapshot().unwrap().policy_error, None);
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
    app.set_data(RosterIndex::build(snapshot(changed), 2));
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
fn the_first_load_says_how_far_evaluation_is_and_later_loads_keep_the_roster() {
    let mut app = App::loading(options(Lang::Zh));
    assert!(render(&mut app, 80, 24).contains("正在加载…"));
    let progress = |done| {
        Event::Loaded(Loaded::Progress {
            done,
            total: 50_000,
        })
    };
    assert!(app.handle_event(progress(0)));
    assert!(render(&mut app, 80, 24).contains("正在评估 50,000 名学生…"));
    assert!(app.handle_event(progress(12_345)));
    assert!(render(&mut app, 80, 24).contains("正在评估 12,345/50,000…"));
    let mut app = roster_app(Lang::Zh);
    let before = render(&mut app, 80, 24);
    assert!(!app.handle_event(progress(1)), "nothing to redraw");
    assert_eq!(render(&mut app, 80, 24), before);
}
