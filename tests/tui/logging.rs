//! `YUJING_LOG`: logs go to a file in the state directory, never to the terminal.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_yujing");

fn yujing(state: &std::path::Path, log: Option<&str>) -> Command {
    let mut c = Command::new(BIN);
    c.args(["policy", "list"])
        .env("HOME", state)
        .env("XDG_STATE_HOME", state.join("state"))
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("YUJING_LOG");
    if let Some(l) = log {
        c.env("YUJING_LOG", l);
    }
    c
}

#[test]
fn yujing_log_writes_a_file_in_the_state_directory_and_nothing_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = yujing(dir.path(), Some("debug")).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let log = std::fs::read_to_string(dir.path().join("state/yujing/yujing.log")).unwrap();
    assert!(log.contains("yujing started"), "{log}");
    assert!(log.contains("DEBUG"), "debug events are on: {log}");
}

#[test]
fn without_yujing_log_nothing_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let out = yujing(dir.path(), None).output().unwrap();
    assert!(out.status.success());
    assert!(!dir.path().join("state").exists());
}

#[test]
fn a_level_that_is_none_is_named_and_the_command_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = yujing(dir.path(), Some("loud")).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("YUJING_LOG=loud") && err.contains("日志级别"),
        "{err}"
    );
    assert!(!dir.path().join("state").exists());
}
