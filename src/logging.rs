//! Logs for whoever debugs yujing: off unless `YUJING_LOG` names a level (`debug`, `info`,
//! `trace` …), then appended to `yujing.log` in the state directory (`$XDG_STATE_HOME/yujing`,
//! by default `~/.local/state/yujing`). Never written to the terminal: the TUI draws there.

use std::path::PathBuf;
use std::sync::Mutex;

use tracing::level_filters::LevelFilter;

use crate::locale::Lang;

pub const VAR: &str = "YUJING_LOG";

/// Where logs go when they are on.
pub fn log_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "yujing")
        .and_then(|d| d.state_dir().map(|p| p.join("yujing.log")))
}

/// Starts logging when `YUJING_LOG` asks for it. Returns what the user should hear when it
/// asks for something that cannot be done (a bad level, no place for the file); yujing goes
/// on without logs then.
pub fn init(lang: Lang) -> Option<String> {
    let wanted = std::env::var(VAR).ok().filter(|v| !v.trim().is_empty())?;
    let Ok(level) = wanted.trim().parse::<LevelFilter>() else {
        return Some(lang.pick(
            &format!("{VAR}={wanted} 不是日志级别（可用 error、warn、info、debug、trace、off），本次不记日志"),
            &format!("{VAR}={wanted} is not a log level (error, warn, info, debug, trace, off); logging is off"),
        ).to_string());
    };
    if level == LevelFilter::OFF {
        return None;
    }
    let Some(path) = log_path() else {
        return Some(
            lang.pick(
                "找不到状态目录（请设置 HOME 或 XDG_STATE_HOME），本次不记日志",
                "no state directory (set HOME or XDG_STATE_HOME); logging is off",
            )
            .to_string(),
        );
    };
    let file = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
        });
    let file = match file {
        Ok(f) => f,
        Err(e) => {
            let p = path.display();
            return Some(
                lang.pick(
                    &format!("无法写日志文件 {p}：{e}，本次不记日志"),
                    &format!("cannot write the log file {p}: {e}; logging is off"),
                )
                .to_string(),
            );
        }
    };
    // Fails only when a subscriber is already set (a second call): logging is on then.
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(Mutex::new(file))
        .with_target(false)
        // Each span's time is logged when it closes: how long a load or a frame took.
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .try_init();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "yujing started");
    None
}
