//! Forms: the contact log and the schedule, validation, paste, refusals.

use super::fixtures::*;

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
    // Fields take the box's width (not the ~30 columns they once had): a place typed in full
    // is shown in full.
    let mut app = followup_app(&source, Lang::En);
    press(&mut app, KeyCode::Char('l'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    let place = "Student affairs office, building 3, room 302, 2nd floor";
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
