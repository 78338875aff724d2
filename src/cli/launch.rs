//! `yujing` with no subcommand: the TUI on the database.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::tui::TuiOptions;
use crate::tui::source::DbSource;
use crate::tui::theme::Theme;

use super::Ctx;

/// `~/.config/yujing` (or the platform's config dir): `config.toml` and `themes/NAME.toml`.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "yujing").map(|d| d.config_dir().to_path_buf())
}

/// `theme = "light"` in config.toml, when present.
fn configured_theme() -> Option<String> {
    let text = std::fs::read_to_string(config_dir()?.join("config.toml")).ok()?;
    let v: toml::Table = toml::from_str(&text).ok()?;
    v.get("theme")?.as_str().map(str::to_string)
}

pub fn run_tui(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let term = ctx.term.as_deref().map(str::parse).transpose()?;
    let source = DbSource::open(&ctx.db_path, ctx.policy.clone(), term, ctx.today, ctx.lang)?;
    let requested = ctx.theme.clone().or_else(configured_theme);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::resolve(
        requested.as_deref(),
        config_dir().map(|d| d.join("themes")).as_deref(),
        no_color,
    );
    for w in &theme.warnings {
        eprintln!("yujing: {w}");
    }
    crate::tui::run(Box::new(source), TuiOptions::new(ctx.lang, theme))?;
    Ok(ExitCode::SUCCESS)
}

pub fn run(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    run_tui(ctx)
}
