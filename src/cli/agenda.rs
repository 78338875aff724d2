//! `yujing agenda`: what is overdue, due today and due within a week.

use std::process::ExitCode;

use crate::followup::AgendaItem;
use crate::locale::Lang;

use super::{Ctx, ListFormat as Format, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

fn row(i: &AgendaItem, lang: Lang) -> Vec<String> {
    vec![
        i.due.map(|d| d.to_string()).unwrap_or_default(),
        if i.days_overdue > 0 {
            lang.pick(
                &format!("逾期{}天", i.days_overdue),
                &format!("{}d overdue", i.days_overdue),
            )
            .to_string()
        } else {
            String::new()
        },
        i.student_id.clone(),
        lang.pick(i.kind.label_zh(), i.kind.id()).to_string(),
        i.role
            .map_or("", |r| lang.pick(r.label_zh(), r.id()))
            .to_string(),
        i.cadence.to_string(),
        i.schedule_id.to_string(),
        crate::text::sanitize(&i.note).into_owned(),
    ]
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db()?;
    let mut agenda = crate::roster::agenda(&db, ctx.today)?;
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
        serde_json::to_writer_pretty(&mut out, &agenda)?;
        println!();
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    let header = output::header(
        lang,
        &[
            ("截止", "due"),
            ("逾期", "overdue"),
            ("学号", "student"),
            ("类型", "kind"),
            ("角色", "role"),
            ("频次", "cadence"),
            ("日程", "schedule"),
            ("说明", "note"),
        ],
    );
    for (title, items) in [
        (lang.pick("逾期", "Overdue"), &agenda.overdue),
        (lang.pick("今天到期", "Due today"), &agenda.due_today),
        (
            lang.pick("七天内到期", "Due within 7 days"),
            &agenda.upcoming,
        ),
    ] {
        use std::io::Write;
        writeln!(out, "{title} ({})", items.len())?;
        if !items.is_empty() {
            output::table(
                &mut out,
                &header,
                &items.iter().map(|i| row(i, lang)).collect::<Vec<_>>(),
            )?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}
