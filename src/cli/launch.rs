//! `yujing` with no subcommand: the TUI on the database.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::tui::TuiOptions;
use crate::tui::db_source::DbSource;
use crate::tui::theme::Theme;

use super::Ctx;

/// `~/.config/yujing` (or the platform's config dir): `config.toml` and `themes/NAME.toml`.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "yujing").map(|d| d.config_dir().to_path_buf())
}

/// `~/.config/yujing/config.toml`: `theme = "light"`, `mouse = true` and the `[triage]` weights.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Config {
    theme: Option<String>,
    mouse: bool,
    triage: crate::tui::model::Triage,
}

/// The config file, when there is one. A bad file is reported and otherwise ignored.
fn config() -> Config {
    let Some(path) = config_dir().map(|d| d.join("config.toml")) else {
        return Config::default();
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Config::default();
    };
    toml::from_str(&text).unwrap_or_else(|e| {
        eprintln!("yujing: {}: {e}", path.display());
        Config::default()
    })
}

pub fn run_tui(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let term = ctx.term.as_deref().map(str::parse).transpose()?;
    let config = config();
    let mut source = DbSource::open(&ctx.db_path, ctx.policy.clone(), term, ctx.today, ctx.lang)?;
    source.triage = config.triage;
    source.actor = Some(ctx.actor(&ctx.open_db()?)?);
    let requested = ctx.theme.clone().or(config.theme);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || super::terminal::dumb_terminal();
    let theme = Theme::resolve(
        requested.as_deref(),
        config_dir().map(|d| d.join("themes")).as_deref(),
        no_color,
    );
    for w in &theme.warnings {
        eprintln!("yujing: {w}");
    }
    let mut opts = TuiOptions::new(ctx.lang, theme);
    opts.mouse = config.mouse;
    crate::tui::run(Box::new(source), opts)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if let Some(problem) = super::terminal::tui_problem(ctx.lang) {
        anyhow::bail!(problem);
    }
    run_tui(ctx)
}
