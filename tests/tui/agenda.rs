//! The agenda: grouping, logging against a schedule, pages on top of it.

use super::fixtures::*;

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
    use yujing::tui::model::AgendaGroup as G;
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
    let Some(WriteOp::LogContact { contact: c, .. }) = source.writes().last().cloned() else {
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
