//! `yujing contacts [STUDENT_ID]`: the contact log, newest first.

use std::process::ExitCode;

use crate::i18n::{self, Msg};
use crate::text::sanitize;

use super::{Ctx, ListFormat as Format, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    pub student_id: Option<String>,
    /// Only these students (repeatable, or a comma list).
    #[arg(long = "student", value_name = "ID")]
    pub students: Vec<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Include earlier versions of corrected contacts.
    #[arg(long)]
    pub history: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db_read()?;
    let mut chosen = crate::app::lifecycle::student_list(&a.students);
    chosen.extend(a.student_id.clone());
    for id in &chosen {
        if db.student(id)?.is_none() {
            anyhow::bail!("{}", Msg::UnknownStudent.fill(ctx.lang, &[("id", id)]));
        }
    }
    let one = match chosen.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let scope = ctx.scope(&db)?;
    let contacts: Vec<_> = db
        .contacts(one, a.history)?
        .into_iter()
        .filter(|c| chosen.is_empty() || chosen.contains(&c.student_id))
        .filter(|c| scope.sees(&c.student_id))
        .collect();
    let secret = db.confidential_contacts()?;
    let mut contacts = contacts;
    for c in contacts
        .iter_mut()
        .filter(|c| secret.contains(&c.id) && !scope.reads_confidential(&c.student_id))
    {
        c.summary = crate::app::access::confidential_placeholder(ctx.lang);
        c.situation.clear();
        c.actions.clear();
        c.place.clear();
    }
    if let Some(id) = chosen.iter().find(|id| !scope.sees(id)) {
        anyhow::bail!("{id}: not among the students you may see");
    }
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        let mut v = serde_json::to_value(&contacts)?;
        i18n::label_json(&mut v, ctx.lang);
        serde_json::to_writer_pretty(&mut out, &v)?;
        println!();
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(contacts.len());
    for c in &contacts {
        let name = db.student_name(&c.student_id)?;
        rows.push(vec![
            c.id.to_string(),
            c.at.format("%Y-%m-%d %H:%M").to_string(),
            c.student_id.clone(),
            sanitize(&name).into_owned(),
            i18n::kind(lang, c.kind).to_string(),
            c.role.map_or("", |r| i18n::role(lang, r)).to_string(),
            c.with_whom.label(lang).to_string(),
            c.channel.label(lang).to_string(),
            sanitize(&c.author).into_owned(),
            sanitize(&c.summary).into_owned(),
        ]);
    }
    let header = i18n::headers(
        lang,
        &[
            Msg::ColContactId,
            Msg::ColAt,
            Msg::ColStudent,
            Msg::ColName,
            Msg::ColKind,
            Msg::ColRole,
            Msg::ColWith,
            Msg::ColChannel,
            Msg::ColBy,
            Msg::ColSummary,
        ],
    );
    output::table(&mut out, &header, &rows)?;
    for id in &chosen {
        warning_history(&mut out, &db, id, lang)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The student's warnings under the contacts: each change marked, withdrawals with the date,
/// reason and who withdrew.
fn warning_history(
    out: &mut impl std::io::Write,
    db: &crate::db::Db,
    id: &str,
    lang: crate::locale::Lang,
) -> anyhow::Result<()> {
    let history = db.warning_history(id)?;
    if history.is_empty() {
        return Ok(());
    }
    writeln!(out, "{} {id}:", lang.pick("预警记录", "warnings of"))?;
    for w in history {
        let tier = if w.tier.is_empty() {
            lang.pick("无", "none")
        } else {
            w.tier.as_str()
        };
        let change = w.change.map_or(String::new(), |c| format!(" [{}]", c.id()));
        let withdrawn = w.withdrawn.map_or(String::new(), |(on, reason, by)| {
            format!(
                " — {} {on} ({}): {}",
                lang.pick("已撤回", "withdrawn"),
                sanitize(&by),
                sanitize(&reason)
            )
        });
        writeln!(
            out,
            "  {} {} {tier}{change}{withdrawn}",
            w.term, w.issued_on
        )?;
    }
    Ok(())
}
