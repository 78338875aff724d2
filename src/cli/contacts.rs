//! `yujing contacts [STUDENT_ID]`: the contact log, newest first.

use std::process::ExitCode;

use crate::locale::Lang;
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
    let db = ctx.open_db()?;
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
    let header = match lang {
        Lang::Zh => [
            "编号",
            "时间",
            "学号",
            "类型",
            "角色",
            "对象",
            "方式",
            "记录人",
            "内容",
        ],
        Lang::En => [
            "id", "at", "student", "kind", "role", "with", "channel", "by", "summary",
        ],
    };
    output::table(&mut out, &header, &rows)?;
    Ok(ExitCode::SUCCESS)
}
