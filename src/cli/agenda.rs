//! `yujing agenda`: what is overdue, due today and due within a week.

use std::process::ExitCode;

use crate::locale::Lang;
use crate::model::AgendaItem;

use crate::i18n::{self, Msg};

use super::{Ctx, ListFormat as Format, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

fn row(i: &AgendaItem, name: &str, lang: Lang) -> Vec<String> {
    vec![
        i.due.map(|d| d.to_string()).unwrap_or_default(),
        if i.days_overdue > 0 {
            Msg::DaysOverdue.fill(lang, &[("n", &i.days_overdue.to_string())])
        } else {
            String::new()
        },
        i.student_id.clone(),
        crate::text::sanitize(name).into_owned(),
        i18n::kind(lang, i.kind).to_string(),
        i.role.map_or("", |r| i18n::role(lang, r)).to_string(),
        i18n::cadence(lang, i.cadence),
        i.schedule_id.to_string(),
        crate::text::sanitize(&i.note).into_owned(),
    ]
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db_read()?;
    let mut agenda = crate::app::agenda::agenda(&db, ctx.today, ctx.lang)?;
    let scope = ctx.scope(&db)?;
    for list in [
        &mut agenda.overdue,
        &mut agenda.due_today,
        &mut agenda.upcoming,
    ] {
        scope.retain(list, |i| &i.student_id);
    }
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        let mut v = serde_json::to_value(&agenda)?;
        i18n::label_json(&mut v, ctx.lang);
        serde_json::to_writer_pretty(&mut out, &v)?;
        println!();
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    let header = i18n::headers(
        lang,
        &[
            Msg::ColDue,
            Msg::ColOverdue,
            Msg::ColStudent,
            Msg::ColName,
            Msg::ColKind,
            Msg::ColRole,
            Msg::ColCadence,
            Msg::ColSchedule,
            Msg::ColNote,
        ],
    );
    for (title, items) in [
        (Msg::AgendaOverdue.text(lang), &agenda.overdue),
        (Msg::AgendaToday.text(lang), &agenda.due_today),
        (Msg::AgendaWeek.text(lang), &agenda.upcoming),
    ] {
        use std::io::Write;
        writeln!(out, "{title} ({})", items.len())?;
        if !items.is_empty() {
            let mut rows = Vec::with_capacity(items.len());
            for i in items {
                let name = db.student_name(&i.student_id)?;
                rows.push(row(i, &name, lang));
            }
            output::table(&mut out, &header, &rows)?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}
