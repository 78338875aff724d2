//! The server set-up with throwaway accounts (CI runs as root): yujing installed setgid to its
//! own group, the database in a 2770 folder of that group. A user cannot read the file with
//! sqlite3 but can through yujing, which ignores `--db` and opens the files it reads for the
//! user with the user's rights; an export lands owned by the user.

use std::path::Path;
use std::process::Command;

fn run(cmd: &str, args: &[&str]) -> std::process::Output {
    Command::new(cmd).args(args).output().unwrap()
}

fn must(cmd: &str, args: &[&str]) {
    let o = run(cmd, args);
    assert!(
        o.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Removes the accounts, the config and the folder however the test ends.
struct Cleanup {
    user: String,
    group: String,
    dir: std::path::PathBuf,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = run("userdel", &[&self.user]);
        let _ = run("groupdel", &[&self.group]);
        let _ = std::fs::remove_file("/etc/yujing/config.toml");
        let _ = std::fs::remove_dir("/etc/yujing");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn setgid_install_makes_yujing_the_only_door() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 || Path::new("/etc/yujing").exists() {
        // Needs root to make accounts, and must not touch a real installation.
        eprintln!("skipped: needs root and no /etc/yujing");
        return;
    }
    let id = std::process::id();
    let c = Cleanup {
        user: format!("yju{id}"),
        group: format!("yjg{id}"),
        dir: std::env::temp_dir().join(format!("yujing-setgid-{id}")),
    };
    let (user, group) = (c.user.as_str(), c.group.as_str());
    must("groupadd", &[group]);
    must("useradd", &["-M", "-s", "/bin/sh", user]);
    let bin = c.dir.join("yujing");
    let data = c.dir.join("data");
    let out = c.dir.join("out");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(assert_cmd::cargo::cargo_bin("yujing"), &bin).unwrap();
    let s = |p: &Path| p.display().to_string();
    must("chmod", &["0755", &s(&c.dir)]);
    must("chgrp", &[group, &s(&bin)]);
    must("chmod", &["2755", &s(&bin)]);
    must("chgrp", &[group, &s(&data)]);
    must("chmod", &["2770", &s(&data)]);
    must("chown", &[user, &s(&out)]);
    let db = data.join("y.db");
    std::fs::create_dir_all("/etc/yujing").unwrap();
    std::fs::write(
        "/etc/yujing/config.toml",
        format!("database = \"{}\"\n", s(&db)),
    )
    .unwrap();
    let students = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/access/students.csv");
    // root creates the database through the setgid binary and becomes its admin.
    let yj = |as_user: bool, args: &[&str]| {
        let mut cmd = if as_user {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(&bin);
            c
        } else {
            Command::new(&bin)
        };
        cmd.env("LANG", "C.UTF-8")
            .env("YUJING_DB", "/nonexistent/elsewhere.db")
            .args(["--today", "2025-03-10"])
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |o: std::process::Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    ok(yj(false, &["import", "students", &s(&students)]));
    ok(yj(
        false,
        &["user", "add", user, "--name", "U", "--role", "admin"],
    ));
    // The -wal and -shm files too, when SQLite kept them.
    must("sh", &["-c", &format!("chmod 0660 '{}'*", s(&db))]);
    assert!(
        db.exists(),
        "the database is the config's, not $YUJING_DB's"
    );
    // The user reaches the data through yujing, even when pointing --db elsewhere …
    let listed = ok(yj(true, &["--db", "/tmp/not-this.db", "user", "list"]));
    assert!(listed.contains(user), "{listed}");
    assert!(!Path::new("/tmp/not-this.db").exists());
    // … but not around it.
    let direct = run(
        "runuser",
        &[
            "-u",
            user,
            "--",
            "sqlite3",
            &s(&db),
            "SELECT count(*) FROM students",
        ],
    );
    assert!(
        !direct.status.success(),
        "sqlite3 read the database directly"
    );
    // Nor through a file yujing reads for the user: a policy, an import, a theme is opened
    // with the user's own rights, so naming the database there is a permission error and
    // never an error message quoting its bytes.
    for args in [
        &["--policy", &s(&db), "evaluate"][..],
        &["import", "students", &s(&db)],
    ] {
        let o = yj(true, args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?} read the database: {err}");
        assert!(err.contains("ermission denied"), "{args:?}: {err}");
    }
    // An export is the user's own file, not the group's.
    let probe = out.join("probe.xlsx");
    ok(yj(
        true,
        &[
            "export",
            "workbook",
            "--all",
            "--term",
            "2024-2025-1",
            "--policy",
            "hljjz",
            "--out",
            &s(&probe),
        ],
    ));
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(&probe).unwrap();
    let uid: u32 = String::from_utf8(run("id", &["-u", user]).stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let gid: u32 = String::from_utf8(run("id", &["-g", user]).stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!((meta.uid(), meta.gid()), (uid, gid));
}
