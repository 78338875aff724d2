//! `yujing term set|list`: term dates, which `term:K` schedules count within.

use std::process::ExitCode;

use anyhow::Context;

use crate::model::Term;
use crate::schedule::parse_date_input;

use super::Ctx;

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Record a term's first and last day.
    Set {
        term: String,
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
    },
    /// Term dates in use (recorded, or the defaults, marked as such).
    List,
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let lang = ctx.lang;
    match c {
        Cmd::Set { term, start, end } => {
            let t: Term = term.parse()?;
            let s = parse_date_input(&start, ctx.today)
                .with_context(|| format!("--start '{start}'"))?;
            let e = parse_date_input(&end, ctx.today).with_context(|| format!("--end '{end}'"))?;
            anyhow::ensure!(s < e, "--start {s} must be before --end {e}");
            if let Some((other, a, b)) = db
                .all_term_dates()?
                .into_iter()
                .find(|(o, a, b)| *o != t && *a <= e && s <= *b)
            {
                anyhow::bail!(
                    "{t} {s} – {e} overlaps {other} ({a} – {b}): terms cannot share days; correct {other} first (yujing term set {other} --start … --end …)"
                );
            }
            db.set_term_dates(t, s, e)?;
            println!("{t}: {s} – {e}");
        }
        Cmd::List => {
            let (cal, known) = crate::app::agenda::calendar(&db, ctx.today)?;
            for (t, a, b) in &cal.terms {
                let stored = known.iter().any(|(k, s)| k == t && *s);
                let mark = if stored {
                    ""
                } else {
                    lang.pick("（默认）", " (default)")
                };
                println!("{t}  {a} – {b}{mark}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
