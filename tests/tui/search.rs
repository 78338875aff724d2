//! Search: pinyin initials, full pinyin, class and id prefixes; Enter keeps, Esc clears.

use super::fixtures::*;

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
