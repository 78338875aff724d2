//! Semantic styles (`base`, `muted`, `selected`, `tier_1`… ) loaded from `themes/NAME.toml`.
//! Views ask for meanings, never colours. A user's file overrides a built-in of the same name;
//! a role a theme leaves out, or gives a colour that does not parse, falls back to the theme
//! it extends (with a warning) — a theme never stops the program.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The built-in themes, embedded so the binary needs no files.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("ansi16", include_str!("../../themes/ansi16.toml")),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// The theme used when NO_COLOR is set: meaning by bold, reverse, underline and symbols.
pub const MONO: &str = "mono";

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("theme '{name}' not found (built-in: {builtin}; user themes: {dir})")]
    NotFound {
        name: String,
        builtin: String,
        dir: String,
    },
    #[error("theme '{name}': cannot read {path}: {source}")]
    Read {
        name: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("theme '{name}': not valid TOML: {message}")]
    Parse { name: String, message: String },
    #[error("theme '{name}': extends itself in a loop")]
    Cycle { name: String },
}

/// Roles every theme resolves; a theme file may give any subset.
#[cfg(test)]
const ROLES: &[&str] = &[
    "base", "muted", "title", "header", "selected", "border", "key", "search", "error", "warning",
    "overdue", "ok",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub base: Style,
    pub muted: Style,
    pub title: Style,
    pub header: Style,
    pub selected: Style,
    pub border: Style,
    pub key: Style,
    pub search: Style,
    pub error: Style,
    pub warning: Style,
    pub overdue: Style,
    pub ok: Style,
    /// `tier_1` (mildest) … `tier_N` (strongest).
    pub tiers: Vec<Style>,
    /// One symbol per tier level, so tiers read without colour.
    pub tier_symbols: Vec<String>,
    /// Drawn before the selected row.
    pub selected_symbol: String,
    /// Problems met while loading (unknown colour, unknown role): shown, never fatal.
    pub warnings: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawTheme {
    extends: Option<String>,
    #[serde(default)]
    styles: BTreeMap<String, RawStyle>,
    #[serde(default)]
    symbols: RawSymbols,
}

#[derive(Debug, Default, Deserialize)]
struct RawSymbols {
    selected: Option<String>,
    tiers: Option<Vec<String>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct RawStyle {
    fg: Option<String>,
    bg: Option<String>,
    bold: Option<bool>,
    dim: Option<bool>,
    italic: Option<bool>,
    underline: Option<bool>,
    reverse: Option<bool>,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::builtin("default").unwrap_or_else(|_| Theme::plain("default"))
    }
}

impl Theme {
    /// A theme with no styling at all: the floor every theme stands on.
    fn plain(name: &str) -> Theme {
        Theme {
            name: name.to_string(),
            base: Style::new(),
            muted: Style::new(),
            title: Style::new().add_modifier(Modifier::BOLD),
            header: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            border: Style::new(),
            key: Style::new().add_modifier(Modifier::BOLD),
            search: Style::new().add_modifier(Modifier::UNDERLINED),
            error: Style::new().add_modifier(Modifier::BOLD),
            warning: Style::new(),
            overdue: Style::new().add_modifier(Modifier::BOLD),
            ok: Style::new(),
            tiers: vec![Style::new(), Style::new().add_modifier(Modifier::BOLD)],
            tier_symbols: vec!["○".into(), "●".into(), "◆".into(), "▲".into()],
            selected_symbol: "▶".into(),
            warnings: Vec::new(),
        }
    }

    /// Names of the built-in themes.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    /// A built-in theme by name.
    pub fn builtin(name: &str) -> Result<Theme, ThemeError> {
        Theme::load(name, None)
    }

    /// The colourless theme for NO_COLOR and for snapshot tests.
    pub fn mono() -> Theme {
        Theme::builtin(MONO).unwrap_or_else(|_| Theme::plain(MONO))
    }

    /// Loads `name`: `user_dir/NAME.toml` when it exists, else the embedded built-in.
    pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        let mut chain = Vec::new();
        Theme::load_chain(name, user_dir, &mut chain)
    }

    fn load_chain(
        name: &str,
        user_dir: Option<&Path>,
        seen: &mut Vec<String>,
    ) -> Result<Theme, ThemeError> {
        if seen.iter().any(|n| n == name) {
            return Err(ThemeError::Cycle {
                name: name.to_string(),
            });
        }
        seen.push(name.to_string());
        let builtin = BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
        let user = user_text(name, user_dir)?;
        let text = match (&user, builtin) {
            (Some(u), _) => u.as_str(),
            (None, Some(b)) => b,
            (None, None) => {
                return Err(ThemeError::NotFound {
                    name: name.to_string(),
                    builtin: Theme::builtin_names().collect::<Vec<_>>().join(", "),
                    dir: user_dir.map_or_else(|| "-".to_string(), |d| d.display().to_string()),
                });
            }
        };
        let raw: RawTheme = toml::from_str(text).map_err(|e| ThemeError::Parse {
            name: name.to_string(),
            message: e.to_string(),
        })?;
        // What a theme stands on: what it names, else a user file stands on the built-in of
        // its name (or default), a built-in on default; default and mono stand on plain.
        let mut theme = match (&raw.extends, &user, builtin) {
            (Some(p), _, _) => Theme::load_chain(p, user_dir, seen)?,
            (None, Some(_), Some(_)) => Theme::load_chain(name, None, &mut Vec::new())?,
            (None, _, _) if name == "default" || name == MONO => Theme::plain(name),
            (None, _, _) => Theme::load_chain("default", user_dir, seen)?,
        };
        theme.name = name.to_string();
        theme.apply(&raw);
        Ok(theme)
    }

    /// Picks the theme to run with and never fails: an unknown or broken theme falls back to
    /// `default` with a warning; NO_COLOR without an explicit choice selects `mono`.
    pub fn resolve(requested: Option<&str>, user_dir: Option<&Path>, no_color: bool) -> Theme {
        let name = requested.unwrap_or(if no_color { MONO } else { "default" });
        match Theme::load(name, user_dir) {
            Ok(t) => t,
            Err(e) => {
                let mut t = Theme::load(if no_color { MONO } else { "default" }, None)
                    .unwrap_or_else(|_| Theme::plain("default"));
                t.warnings.insert(0, e.to_string());
                t
            }
        }
    }

    fn apply(&mut self, raw: &RawTheme) {
        for (role, spec) in &raw.styles {
            let tier_level = role
                .strip_prefix("tier_")
                .and_then(|n| n.parse::<usize>().ok());
            let slot = match (tier_level, self.role_mut(role)) {
                (_, Some(slot)) => slot,
                (Some(n), None) if (1..=16).contains(&n) => {
                    while self.tiers.len() < n {
                        let last = self.tiers.last().copied().unwrap_or_default();
                        self.tiers.push(last);
                    }
                    &mut self.tiers[n - 1]
                }
                _ => {
                    self.warnings.push(format!(
                        "theme '{}': unknown role '{role}' ignored",
                        self.name
                    ));
                    continue;
                }
            };
            let (style, problems) = build_style(spec);
            *slot = style;
            for p in problems {
                self.warnings
                    .push(format!("theme '{}': {role}: {p}", self.name));
            }
        }
        // A theme that names tier_1 gives a full scale: its highest tier_N is the strongest,
        // whatever the parent had beyond it.
        if raw.styles.contains_key("tier_1") {
            let top = raw
                .styles
                .keys()
                .filter_map(|r| r.strip_prefix("tier_")?.parse::<usize>().ok())
                .max();
            self.tiers.truncate(top.unwrap_or(1));
        }
        if let Some(s) = &raw.symbols.selected {
            self.selected_symbol = s.clone();
        }
        if let Some(t) = &raw.symbols.tiers
            && !t.is_empty()
        {
            self.tier_symbols = t.clone();
        }
    }

    fn role_mut(&mut self, role: &str) -> Option<&mut Style> {
        Some(match role {
            "base" => &mut self.base,
            "muted" => &mut self.muted,
            "title" => &mut self.title,
            "header" => &mut self.header,
            "selected" => &mut self.selected,
            "border" => &mut self.border,
            "key" => &mut self.key,
            "search" => &mut self.search,
            "error" => &mut self.error,
            "warning" => &mut self.warning,
            "overdue" => &mut self.overdue,
            "ok" => &mut self.ok,
            _ => return None,
        })
    }

    /// Which theme level a policy tier gets: spread over the theme's levels so that the
    /// least severe tier gets the mildest and the most severe the strongest.
    fn level(&self, levels: usize, tier_index: usize, tier_count: usize) -> usize {
        if levels <= 1 || tier_count <= 1 {
            return levels.saturating_sub(1);
        }
        let i = tier_index.min(tier_count - 1);
        (i * (levels - 1) + (tier_count - 1) / 2) / (tier_count - 1)
    }

    /// The style of tier `tier_index` (0 = least severe) of a policy with `tier_count` tiers.
    pub fn tier(&self, tier_index: usize, tier_count: usize) -> Style {
        let l = self.level(self.tiers.len(), tier_index, tier_count);
        self.tiers.get(l).copied().unwrap_or(self.base)
    }

    /// The symbol beside tier `tier_index`'s label.
    pub fn tier_symbol(&self, tier_index: usize, tier_count: usize) -> &str {
        let l = self.level(self.tier_symbols.len(), tier_index, tier_count);
        self.tier_symbols.get(l).map(String::as_str).unwrap_or("")
    }

    /// The style of a table row, selected or not.
    pub fn row(&self, selected: bool) -> Style {
        if selected {
            self.base.patch(self.selected)
        } else {
            self.base
        }
    }

    /// True when no role sets a colour (mono): safe to force styling under NO_COLOR.
    pub fn is_colourless(&self) -> bool {
        let all = [
            self.base,
            self.muted,
            self.title,
            self.header,
            self.selected,
            self.border,
            self.key,
            self.search,
            self.error,
            self.warning,
            self.overdue,
            self.ok,
        ];
        all.iter()
            .chain(self.tiers.iter())
            .all(|s| s.fg.is_none() && s.bg.is_none())
    }
}

/// The user's `NAME.toml`, when there is one.
fn user_text(name: &str, user_dir: Option<&Path>) -> Result<Option<String>, ThemeError> {
    let valid_name = !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..";
    let Some(dir) = user_dir.filter(|_| valid_name) else {
        return Ok(None);
    };
    let path = dir.join(format!("{name}.toml"));
    if !path.is_file() {
        return Ok(None);
    }
    crate::os::as_user(|| std::fs::read_to_string(&path))
        .map(Some)
        .map_err(|source| ThemeError::Read {
            name: name.to_string(),
            path,
            source,
        })
}

/// A style from its TOML form; colours that do not parse are left out and reported.
fn build_style(spec: &RawStyle) -> (Style, Vec<String>) {
    let mut problems = Vec::new();
    let mut colour = |c: &Option<String>| {
        c.as_deref().and_then(|s| match Color::from_str(s) {
            Ok(c) => Some(c),
            Err(_) => {
                problems.push(format!("unknown colour '{s}', using the terminal's own"));
                None
            }
        })
    };
    let mut style = Style::new();
    if let Some(fg) = colour(&spec.fg) {
        style = style.fg(fg);
    }
    if let Some(bg) = colour(&spec.bg) {
        style = style.bg(bg);
    }
    let mods = [
        (spec.bold, Modifier::BOLD),
        (spec.dim, Modifier::DIM),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.reverse, Modifier::REVERSED),
    ];
    for (on, m) in mods {
        if on == Some(true) {
            style = style.add_modifier(m);
        }
    }
    (style, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_cleanly() {
        for name in Theme::builtin_names() {
            let t = Theme::builtin(name).unwrap();
            assert!(t.warnings.is_empty(), "{name}: {:?}", t.warnings);
            assert!(t.tiers.len() >= 3, "{name}");
            assert!(t.tier_symbols.len() >= 3, "{name}");
        }
        for role in ROLES {
            assert!(Theme::plain("x").role_mut(role).is_some());
        }
    }

    #[test]
    fn mono_has_no_colour_and_default_uses_ansi_names() {
        assert!(Theme::mono().is_colourless());
        let d = Theme::default();
        assert!(!d.is_colourless());
        let ansi = |s: &Style| {
            matches!(
                s.fg,
                None | Some(
                    Color::Reset
                        | Color::Black
                        | Color::Red
                        | Color::Green
                        | Color::Yellow
                        | Color::Blue
                        | Color::Magenta
                        | Color::Cyan
                        | Color::Gray
                        | Color::DarkGray
                        | Color::LightRed
                        | Color::LightGreen
                        | Color::LightYellow
                        | Color::LightBlue
                        | Color::LightMagenta
                        | Color::LightCyan
                        | Color::White
                )
            )
        };
        assert!(d.tiers.iter().all(ansi));
        assert!(ansi(&d.title) && ansi(&d.muted));
    }

    #[test]
    fn most_severe_tier_gets_the_strongest_level() {
        let t = Theme::default();
        let n = t.tiers.len();
        assert_eq!(t.tier(2, 3), t.tiers[n - 1]);
        assert_eq!(t.tier(0, 3), t.tiers[0]);
        assert_eq!(t.tier(0, 1), t.tiers[n - 1]);
        assert_eq!(t.tier_symbol(2, 3), t.tier_symbols.last().unwrap());
        // Distinct tiers get distinct symbols when the theme has enough of them.
        let syms: Vec<_> = (0..3).map(|i| t.tier_symbol(i, 3)).collect();
        assert!(syms[0] != syms[1] && syms[1] != syms[2]);
    }

    #[test]
    fn user_file_overrides_builtin_and_bad_colour_warns() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("default.toml"),
            "[styles]\ntitle = { fg = \"blu\", bold = true }\nselected = { bg = \"#102030\" }\nsparkle = {}\n",
        )
        .unwrap();
        let t = Theme::load("default", Some(dir.path())).unwrap();
        assert_eq!(t.selected.bg, Some(Color::Rgb(0x10, 0x20, 0x30)));
        assert_eq!(t.title.fg, None);
        assert!(t.title.add_modifier.contains(Modifier::BOLD));
        assert_eq!(t.warnings.len(), 2, "{:?}", t.warnings);
        assert!(t.warnings[0].contains("blu") || t.warnings[1].contains("blu"));
        // Roles the file leaves out still come from the built-in default.
        assert_eq!(t.tiers, Theme::builtin("default").unwrap().tiers);
    }

    #[test]
    fn user_theme_extends_default_and_missing_theme_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ocean.toml"),
            "[styles]\nmuted = { fg = \"blue\" }\n",
        )
        .unwrap();
        let t = Theme::load("ocean", Some(dir.path())).unwrap();
        assert_eq!(t.muted.fg, Some(Color::Blue));
        assert_eq!(t.title, Theme::default().title);
        assert!(matches!(
            Theme::load("nope", Some(dir.path())),
            Err(ThemeError::NotFound { .. })
        ));
        let r = Theme::resolve(Some("nope"), Some(dir.path()), false);
        assert_eq!(r.name, "default");
        assert!(r.warnings[0].contains("nope"));
        assert_eq!(Theme::resolve(None, None, true).name, MONO);
    }

    #[test]
    fn broken_toml_and_cycles_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.toml"), "[styles\n").unwrap();
        std::fs::write(dir.path().join("a.toml"), "extends = \"b\"\n").unwrap();
        std::fs::write(dir.path().join("b.toml"), "extends = \"a\"\n").unwrap();
        assert!(matches!(
            Theme::load("bad", Some(dir.path())),
            Err(ThemeError::Parse { .. })
        ));
        assert!(matches!(
            Theme::load("a", Some(dir.path())),
            Err(ThemeError::Cycle { .. })
        ));
    }
}
