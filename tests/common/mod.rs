//! What CLI tests share: a throwaway database and the real binary, run as a user would.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub fn fixture(dir: &str, name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir)
        .join(name)
        .display()
        .to_string()
}

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("t.db")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("yujing").unwrap();
        c.env_remove("YUJING_DB")
            .env_remove("YUJING_TODAY")
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        c.arg("--db").arg(self.db());
        c
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects success; returns (stdout, stderr).
    pub fn ok2(&self, args: &[&str]) -> (String, String) {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// Runs and expects exit status 1; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().code(1).get_output().clone();
        String::from_utf8(out.stderr).unwrap()
    }

    /// Writes a file into the test's folder; returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    }

    pub fn json(&self, args: &[&str]) -> Vec<Value> {
        let mut a = vec!["evaluate", "--format", "json"];
        a.extend_from_slice(args);
        serde_json::from_str::<Vec<Value>>(&self.ok(&a)).unwrap()
    }

    /// One student's evaluation.
    pub fn student(&self, id: &str, args: &[&str]) -> Value {
        self.json(args)
            .into_iter()
            .find(|o| o["student_id"] == id)
            .unwrap_or_else(|| panic!("no student {id}"))
    }
}
