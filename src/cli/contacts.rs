//! `yujing contacts [STUDENT_ID]`: the contact log, newest first.

use std::process::ExitCode;

use crate::text::sanitize;

use super::{Ctx, ListFormat as Format, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    pub student_id: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Include earlier versions of corrected contacts.
    #[arg(long)]
    pub history: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db_read()?;
    if let Some(id) = &a.student_id
        && db.student(id)?.is_none()
    {
        anyhow::bail!("unknown student id '{id}'");
    }
    let contacts = db.contacts(a.student_id.as_deref(), a.history)?;
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &contacts)?;
        println!();
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    let rows: Vec<Vec<String>> = contacts
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                c.at.format("%Y-%m-%d %H:%M").to_string(),
                c.student_id.clone(),
                c.kind.label_zh().to_string(),
                c.role.map_or("", |r| r.label_zh()).to_string(),
                c.with_whom.label(lang).to_string(),
                c.channel.label(lang).to_string(),
                sanitize(&c.author).into_owned(),
                sanitize(&c.summary).into_owned(),
            ]
        })
        .collect();
    let header = output::header(
        lang,
        &[
            ("编号", "id"),
            ("时间", "at"),
            ("学号", "student"),
            ("类型", "kind"),
            ("角色", "role"),
            ("对象", "with"),
            ("方式", "channel"),
            ("记录人", "by"),
            ("内容", "summary"),
        ],
    );
    output::table(&mut out, &header, &rows)?;
    Ok(ExitCode::SUCCESS)
}
