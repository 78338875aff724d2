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

/// `~/.config/yujing/config.toml`: `theme = "light"`, `mouse = true` and the `[triage]` weights.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Config {
    theme: Option<String>,
    mouse: bool,
    triage: crate::tui::data::Triage,
}

/// The config file, when there is one. A bad file is reported and otherwise ignored.
fn config() -> Config {
    let Some(path) = config_dir().map(|d| d.join("config.toml")) else {
        return Config::default();
    };
    let Ok(text) = crate::os::as_user(|| std::fs::read_to_string(&path)) else {
        return Config::default();
    };
    parse_config(&text).unwrap_or_else(|e| {
        eprintln!("yujing: {}: {e}", path.display());
        Config::default()
    })
}

/// A misspelt key (`mosue = true`) is an error, not a setting silently ignored.
fn parse_config(text: &str) -> Result<Config, toml::de::Error> {
    toml::from_str(text)
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

#[cfg(test)]
mod tests {
    use super::parse_config;

    #[test]
    fn config_keys_are_checked() {
        let c = parse_config("theme = \"light\"\nmouse = true\n[triage]\ntier = 5\n").unwrap();
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert!(c.mouse);
        assert_eq!(c.triage.tier, 5);
        let e = parse_config("mosue = true\n").unwrap_err().to_string();
        assert!(e.contains("mosue"), "{e}");
        let e = parse_config("[triage]\ntier = 5\noverdue = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("overdue"), "{e}");
    }
}
