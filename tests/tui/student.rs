//! The student page and the help screen.

use super::fixtures::*;

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
        yujing::tui::model::WriteOp::ApproveNotice("2021010101".into())
    );
    // The loader writes, then reloads the page: the preview shows the number.
    source.write(&op).expect("fake write");
    app.set_student("2021010101", source.student("2021010101").unwrap());
    assert!(render(&mut app, 80, 24).contains("编号：TEST-0001"));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.open_student(), Some("2021010101"));
    assert!(!render(&mut app, 80, 24).contains("编号："));
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
