//! `yujing record CONTACT_ID --out FILE.docx`: a logged talk in the preset's talk record form
//! (谈话记录表).

use std::process::ExitCode;

use anyhow::Context;

use super::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub contact_id: i64,
    #[command(flatten)]
    pub out: super::notices::DocOut,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db()?;
    let scope = ctx.scope(&db)?;
    // A contact outside the scope is "no contact", so its existence is not told either.
    let c = db
        .contacts(None, true)?
        .into_iter()
        .find(|c| c.id == a.contact_id && scope.sees(&c.student_id))
        .with_context(|| format!("no contact {} (see `yujing contacts`)", a.contact_id))?;
    if db.contact_confidential(c.id)? {
        anyhow::bail!(
            "{}",
            ctx.lang.pick(
                &format!("谈话 {} 为保密记录：保密内容不出现在任何文书中", c.id),
                &format!(
                    "contact {} is confidential: a confidential item never appears in a document",
                    c.id
                )
            )
        );
    }
    let p = crate::app::notices::paper(
        &db,
        ctx.policy.as_deref(),
        Some(&ctx.term_in(&db)?.to_string()),
    )?;
    // The warning the talk was about: the latest issued up to the talk's day.
    let wid = db
        .warning_before(&c.student_id, c.at.date())?
        .with_context(|| {
            format!(
                "{} has no issued warning: a talk record form is for a warned student",
                c.student_id
            )
        })?;
    let l = crate::app::notices::load(&db, &p.policy, &c.student_id, wid)?;
    let s = l.subject(&p.policy, None, c.at.date(), Some(&c));
    super::notices::write_document(ctx, &p, "record", &s, &a.out)
}
