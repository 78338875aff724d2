//! `yujing confirm ID --term T`: the student confirmed the list entry (lut-life 二.3: 经学生确认
//! 无异议后在全院范围公布). `notices list` shows it; an unconfirmed student is marked.

use std::process::ExitCode;

use crate::os::real_login as login;

use super::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub student_id: String,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let term = ctx.term_in(&db)?;
    let id = a.student_id.trim();
    let new = db.confirm_entry(id, term, &login(), ctx.now())?;
    println!(
        "{}",
        match (new, ctx.lang) {
            (true, l) => l
                .pick(
                    &format!("{id}：已确认 {term} 的预警名单"),
                    &format!("{id}: confirmed the {term} list entry")
                )
                .to_string(),
            (false, l) => l
                .pick(
                    &format!("{id}：{term} 已确认过"),
                    &format!("{id}: already confirmed for {term}")
                )
                .to_string(),
        }
    );
    Ok(ExitCode::SUCCESS)
}
