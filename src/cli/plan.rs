//! `yujing plan ID --term T --out FILE.docx`: the study plan form (学习计划 / 帮扶计划),
//! pre-filled with the warning's reasons and the courses still to clear.

use std::process::ExitCode;

use anyhow::Context;

use super::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub student_id: String,
    #[command(flatten)]
    pub out: super::notices::DocOut,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db()?;
    let p = crate::app::notices::paper(
        &db,
        ctx.policy.as_deref(),
        Some(&ctx.term_in(&db)?.to_string()),
    )?;
    let id = a.student_id.trim();
    ctx.scope(&db)?.require(id, ctx.lang)?;
    let wid = db.latest_warning_id(id, p.term)?.with_context(|| {
        format!(
            "{id} has no issued warning for {} (`yujing issue --term {}` first)",
            p.term, p.term
        )
    })?;
    let l = crate::app::notices::load(&db, &p.policy, id, wid)?;
    let s = l.subject(&p.policy, None, ctx.today, None);
    super::notices::write_document(ctx, &p, "plan", &s, &a.out)
}
