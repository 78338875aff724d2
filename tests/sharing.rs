//! One database file, many counsellors at once: read-only commands, waiting for the write
//! lock, backup/restore/check, kill -9 during an import, two OS accounts in one group.
//!
//! Everything runs through the real binary, as counsellors on a server run it.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use yujing_synth::{
    CohortSpec, Encoding, GradeLayout, bench_spec, write_grades_csv_streaming, write_students_csv,
};

const TODAY: &str = "2025-10-01";

fn yujing(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yujing"));
    c.arg("--db")
        .arg(db)
        .arg("--today")
        .arg(TODAY)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("YUJING_DB")
        .env("USER", "tester")
        .stdin(Stdio::null());
    c
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("spawn yujing")
}

fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert_eq!(out.status.code(), Some(1), "{cmd:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn count(db: &Path, table: &str) -> i64 {
    let c = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// A cohort written as the registrar's files: (students.csv, grades.csv, grade rows, first id).
struct Files {
    students: PathBuf,
    grades: PathBuf,
    rows: u64,
    first_id: String,
}

fn cohort(dir: &Path, spec: &CohortSpec) -> Files {
    let students = dir.join("students.csv");
    let grades = dir.join("grades.csv");
    let (c, rows) =
        write_grades_csv_streaming(spec, &grades, GradeLayout::Long, Encoding::Utf8).unwrap();
    write_students_csv(&c, &students, Encoding::Utf8).unwrap();
    Files {
        students,
        grades,
        rows,
        first_id: c.students[0].student_id.clone(),
    }
}

/// A fresh folder with a database holding `students` generated students (no grades yet).
fn roster_only(students: usize) -> (tempfile::TempDir, PathBuf, Files) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let files = cohort(dir.path(), &bench_spec(students));
    ok(yujing(&db)
        .args(["import", "students"])
        .arg(&files.students));
    (dir, db, files)
}

/// `yujing import grades` running in the background (stderr kept for a failure message).
fn spawn_import(db: &Path, files: &Files) -> Child {
    yujing(db)
        .args(["import", "grades"])
        .arg(&files.grades)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A connection holding the write lock, as another counsellor's import would.
fn hold_lock(db: &Path) -> Connection {
    let holder = Connection::open(db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    holder
}

/// A database holding `files`' students, grades and a policy.
fn populated(db: &Path, files: &Files) {
    ok(yujing(db).args(["import", "students"]).arg(&files.students));
    ok(yujing(db).args(["import", "grades"]).arg(&files.grades));
    ok(yujing(db).args(["policy", "use", "hljjz"]));
}

/// Waits until another process holds the write lock (an import under way).
fn wait_for_writer(db: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was seen holding the lock"
        );
        if let Ok(c) = Connection::open(db) {
            let _ = c.busy_timeout(Duration::ZERO);
            if c.execute_batch("BEGIN IMMEDIATE; ROLLBACK").is_err() {
                return;
            }
        }
        assert!(Instant::now() < deadline, "the import never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn reading_commands_on_a_missing_path_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo/y.db");
    let students = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/samples/students.csv");
    let out = dir.path().join("out.xlsx");
    let reads: [&[&str]; 5] = [
        &["evaluate"],
        &["agenda"],
        &["contacts"],
        &["report", "--term", "2024-2025-1"],
        &["check"],
    ];
    for args in reads {
        let err = fails(yujing(&db).args(args));
        assert!(err.contains("no database here"), "{args:?}: {err}");
        assert!(err.contains("typo/y.db"), "{args:?}: {err}");
    }
    let err = fails(yujing(&db).args(["export", "workbook", "--out"]).arg(&out));
    assert!(err.contains("no database here"), "{err}");
    // A dry run checks a file against an empty database and creates nothing.
    let out = run(yujing(&db)
        .args(["import", "students", "--dry-run"])
        .arg(&students));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no database yet") && err.contains("nothing is created"),
        "{err}"
    );
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "created {left:?}");
}

#[test]
fn a_dry_run_counts_like_the_import_without_the_write_lock() {
    let (_dir, db, files) = roster_only(50);
    // Another process holds the write lock for the whole dry run: it must not wait.
    let holder = hold_lock(&db);
    let dry = ok(yujing(&db)
        .env("YUJING_LOCK_WAIT", "1")
        .args(["import", "grades", "--dry-run"])
        .arg(&files.grades));
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert!(dry.contains("dry run, nothing written"), "{dry}");
    assert_eq!(count(&db, "grades"), 0);
    let real = ok(yujing(&db).args(["import", "grades"]).arg(&files.grades));
    let tally = |s: &str| s.rsplit(": ").next().unwrap().trim().to_string();
    assert_eq!(tally(&dry), tally(&real));
}

#[test]
fn a_writer_says_it_waits_and_names_the_lock_when_it_gives_up() {
    let (_dir, db, files) = roster_only(5);
    let holder = hold_lock(&db);
    let err = fails(yujing(&db).env("YUJING_LOCK_WAIT", "0.3").args([
        "log",
        &files.first_id,
        "--kind",
        "talk",
    ]));
    assert!(err.contains("waiting for another import"), "{err}");
    assert!(err.contains("stayed locked for"), "{err}");
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(count(&db, "contacts"), 0);
}

#[test]
fn a_database_from_a_newer_yujing_is_refused_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    {
        let c = Connection::open(&db).unwrap();
        c.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); PRAGMA user_version = 999;",
        )
        .unwrap();
    }
    let before = fs::read(&db).unwrap();
    for args in [&["log", "2022000000", "--kind", "talk"][..], &["evaluate"]] {
        let err = fails(yujing(&db).args(args));
        assert!(err.contains("newer than this yujing"), "{err}");
    }
    assert_eq!(fs::read(&db).unwrap(), before, "the file changed");
    assert!(!dir.path().join("y.db-wal").exists());
}

#[test]
fn the_tui_without_a_terminal_points_to_help_and_a_closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let err = fails(yujing(&db).stdout(Stdio::piped()));
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(err.contains("yujing --help"), "{err}");
    assert!(!db.exists());

    let mut child = yujing(&db)
        .args(["policy", "show", "hljjz"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// 8 processes log 100 contacts each while a large grades import holds the write lock: every
/// call waits instead of failing, says so, and all 800 land.
///
/// Size: the 60,000 students (2.4 M rows) take about a minute to import in a debug
/// build, too long for every CI run; 6,000 students (240,000 rows) hold the lock for several
/// seconds in debug, far beyond SQLite's default of failing at once, which is what is tested.
/// `cargo bench --bench locking` runs the full 60,000.
#[test]
fn eight_writers_during_an_import_all_land() {
    let (_dir, db, files) = roster_only(6_000);
    let started = Instant::now();
    let mut import = spawn_import(&db, &files);
    wait_for_writer(&db, &mut import);
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (db, id) = (db.clone(), files.first_id.clone());
            std::thread::spawn(move || {
                let (mut waited, mut longest) = (0, Duration::ZERO);
                for i in 0..100 {
                    let t = Instant::now();
                    let out = run(yujing(&db).args([
                        "log",
                        &id,
                        "--kind",
                        "talk",
                        "--note",
                        &format!("w{w}-{i}"),
                    ]));
                    let err = String::from_utf8_lossy(&out.stderr);
                    assert!(out.status.success(), "worker {w} call {i}: {err}");
                    waited += usize::from(err.contains("waiting for another import"));
                    longest = longest.max(t.elapsed());
                }
                (waited, longest)
            })
        })
        .collect();
    let (mut waited, mut longest) = (0, Duration::ZERO);
    for w in workers {
        let (n, l) = w.join().unwrap();
        waited += n;
        longest = longest.max(l);
    }
    let out = import.wait_with_output().unwrap();
    // Figures for the record (`--nocapture`), not assertions: the machine's load varies.
    println!(
        "{} grade rows: import and 800 logs done in {:.1} s; {waited} log calls waited, the longest {:.1} s",
        files.rows,
        started.elapsed().as_secs_f64(),
        longest.as_secs_f64()
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&db, "contacts"), 800);
    let notes: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(DISTINCT summary) FROM contacts", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(notes, 800);
    assert!(count(&db, "grades") > 0);
    // Every worker's first call started while the import held the lock.
    assert!(waited >= 8, "only {waited} calls said they were waiting");
}

#[test]
fn backup_while_four_writers_run_then_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let files = cohort(dir.path(), &bench_spec(200));
    populated(&db, &files);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (db, id, stop) = (db.clone(), files.first_id.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) || n < 5 {
                    ok(yujing(&db).args([
                        "log",
                        &id,
                        "--kind",
                        "talk",
                        "--note",
                        &format!("{w}-{n}"),
                    ]));
                    n += 1;
                }
                n
            })
        })
        .collect();
    let copies: Vec<PathBuf> = (0..3)
        .map(|i| dir.path().join(format!("copy{i}.db")))
        .collect();
    for copy in &copies {
        let said = ok(yujing(&db).arg("backup").arg(copy));
        assert!(said.contains("backed up"), "{said}");
        assert_eq!(fs::metadata(copy).unwrap().mode() & 0o777, 0o600);
        ok(yujing(copy).arg("check"));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let logged: i64 = writers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(count(&db, "contacts"), logged);

    // Never over an existing file.
    let err = fails(yujing(&db).arg("backup").arg(&copies[0]));
    assert!(err.contains("already exists"), "{err}");

    // No terminal and no --yes: refused, nothing changed.
    let err = fails(yujing(&db).arg("restore").arg(&copies[0]));
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(count(&db, "contacts"), logged);

    // A file that is not a yujing database is refused.
    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE x (a)")
        .unwrap();
    let err = fails(yujing(&db).args(["restore", "--yes"]).arg(&foreign));
    assert!(err.contains("not a yujing database"), "{err}");

    let in_copy = count(&copies[0], "contacts");
    assert!(in_copy < logged);
    let said = ok(yujing(&db).args(["restore", "--yes"]).arg(&copies[0]));
    assert!(said.contains("check passed"), "{said}");
    assert_eq!(count(&db, "contacts"), in_copy);
    assert_eq!(count(&db, "grades"), count(&copies[0], "grades"));
    ok(yujing(&db).arg("check"));
    let kept: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("y.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(count(&kept[0], "contacts"), logged);
    ok(yujing(&kept[0]).arg("check"));
    // The restored database still works for writers.
    ok(yujing(&db).args(["log", &files.first_id, "--kind", "talk"]));
}

#[test]
fn check_finds_a_damaged_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let files = cohort(dir.path(), &bench_spec(300));
    populated(&db, &files);
    ok(yujing(&db).arg("check"));
    // Scribble over the middle of the file (WAL already checkpointed on close).
    let mut bytes = fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 4096] {
        *b = 0x5a;
    }
    fs::write(&db, bytes).unwrap();
    let out = run(yujing(&db).arg("check"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("check failed"));
}

/// kill -9 at different moments of an import: the grades land whole or not at all, and the
/// file passes `check` every time.
#[test]
fn kill_nine_during_import_leaves_all_or_nothing() {
    let (_dir, db, files) = roster_only(1_500);
    let mut complete = None;
    for round in 0..6u64 {
        let mut child = spawn_import(&db, &files);
        std::thread::sleep(Duration::from_millis(150 + 250 * round));
        let _ = child.kill();
        let _ = child.wait();
        ok(yujing(&db).arg("check"));
        let grades = count(&db, "grades");
        println!("kill -9 round {round}: {grades} grades stored");
        if grades > 0 {
            complete.get_or_insert(grades);
        }
        assert!(
            grades == 0 || Some(grades) == complete,
            "round {round}: {grades} grades, a partial import"
        );
    }
    ok(yujing(&db).args(["import", "grades"]).arg(&files.grades));
    let full = count(&db, "grades");
    assert!(
        full as u64 >= files.rows / 2,
        "{full} of {} rows",
        files.rows
    );
    if let Some(c) = complete {
        assert_eq!(c, full);
    }
}

/// Two throwaway OS accounts in one group share a database: reads and writes in turn all
/// succeed, and every file stays group-writable whoever created it.
#[test]
fn two_accounts_in_one_group_share_a_database() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        println!(
            "SKIPPED two_accounts_in_one_group_share_a_database: needs root to create OS accounts (CI runs as root)"
        );
        return;
    }
    let accounts = Accounts::create();
    let root = tempfile::tempdir().unwrap();
    fs::set_permissions(root.path(), fs::Permissions::from_mode(0o755)).unwrap();
    // The accounts cannot reach the build's target folder: give them their own copy.
    let bin = root.path().join("yujing");
    fs::copy(env!("CARGO_BIN_EXE_yujing"), &bin).unwrap();
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
    let files = cohort(root.path(), &bench_spec(100));
    for f in [&files.students, &files.grades] {
        fs::set_permissions(f, fs::Permissions::from_mode(0o644)).unwrap();
    }
    // The administrator hands the folder to A, who sets it up for the group.
    let shared = root.path().join("college");
    fs::create_dir(&shared).unwrap();
    std::os::unix::fs::chown(&shared, Some(accounts.uid(&accounts.a)), None).unwrap();
    let db = shared.join("y.db");
    let as_user = |user: &str, args: &[&str]| -> Output {
        let mut c = Command::new("runuser");
        c.args(["-u", user, "--"])
            .arg(&bin)
            .arg("--db")
            .arg(&db)
            .arg("--today")
            .arg(TODAY)
            .args(args)
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("YUJING_DB")
            .current_dir(root.path())
            .stdin(Stdio::null());
        c.output().unwrap()
    };
    let must = |user: &str, args: &[&str]| {
        let out = as_user(user, args);
        assert!(
            out.status.success(),
            "{user} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let (a, b) = (accounts.a.as_str(), accounts.b.as_str());
    must(a, &["admin", "init", "--group", &accounts.group]);
    let dir_meta = fs::metadata(&shared).unwrap();
    assert_eq!(dir_meta.mode() & 0o7777, 0o2770);
    assert_eq!(dir_meta.gid(), accounts.gid());
    assert_eq!(fs::metadata(&db).unwrap().mode() & 0o777, 0o660);

    let students = files.students.to_str().unwrap();
    let grades = files.grades.to_str().unwrap();
    must(a, &["import", "students", students]);
    must(a, &["import", "grades", grades]);
    must(a, &["policy", "use", "hljjz"]);
    // A created the database, so A is its admin; B is a colleague A adds as a user.
    must(a, &["user", "add", b, "--name", "同事", "--role", "admin"]);
    let id = files.first_id.as_str();
    // The bug this fixes: a colleague reading first left -wal/-shm the owner could not write.
    must(b, &["evaluate"]);
    must(a, &["evaluate"]);
    must(b, &["log", id, "--kind", "talk", "--note", "by b"]);
    must(a, &["log", id, "--kind", "talk", "--note", "by a"]);
    must(b, &["evaluate", "--format", "json"]);
    must(a, &["import", "grades", grades]);
    must(b, &["log", id, "--kind", "talk", "--note", "by b again"]);
    assert_eq!(count(&db, "contacts"), 3);
    for f in fs::read_dir(&shared).unwrap() {
        let m = f.unwrap().metadata().unwrap();
        assert_eq!(m.mode() & 0o060, 0o060, "a file the group cannot write");
        assert_eq!(m.gid(), accounts.gid());
    }

    // A's own file with a private mode is repaired when A opens it; on B's open it is named.
    fs::set_permissions(&db, fs::Permissions::from_mode(0o640)).unwrap();
    let out = as_user(b, &["log", id, "--kind", "talk"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chmod g+rw") && err.contains("y.db"), "{err}");
    must(a, &["agenda"]);
    assert_eq!(fs::metadata(&db).unwrap().mode() & 0o777, 0o660);

    // Read-only: a file B cannot write, in a folder B can write (for the -shm) ...
    let ro = root.path().join("ro");
    fs::create_dir(&ro).unwrap();
    let ro_db = ro.join("y.db");
    fs::copy(&db, &ro_db).unwrap();
    fs::set_permissions(&ro_db, fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::chown(&ro_db, Some(accounts.uid(a)), None).unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o777)).unwrap();
    let read_as_b = |args: &[&str]| {
        let mut c = Command::new("runuser");
        c.args(["-u", b, "--"])
            .arg(&bin)
            .arg("--db")
            .arg(&ro_db)
            .args(args)
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::null());
        c.output().unwrap()
    };
    let out = read_as_b(&["evaluate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // ... and in a folder that does not allow the -shm file: said so.
    for f in ["y.db-shm", "y.db-wal"] {
        let _ = fs::remove_file(ro.join(f));
    }
    // The copy must be in WAL mode for SQLite to need the -shm file.
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
    let out = read_as_b(&["evaluate"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("y.db-shm") && err.contains("not writable"),
        "{err}"
    );
}

/// Two users in a fresh group, removed (with the group) when dropped.
struct Accounts {
    a: String,
    b: String,
    group: String,
}

impl Accounts {
    fn create() -> Accounts {
        let tag = std::process::id() % 100_000;
        let acc = Accounts {
            a: format!("yja{tag}"),
            b: format!("yjb{tag}"),
            group: format!("yjg{tag}"),
        };
        let sh = |args: &[&str]| {
            let st = Command::new(args[0]).args(&args[1..]).status().unwrap();
            assert!(st.success(), "{args:?}");
        };
        sh(&["groupadd", &acc.group]);
        for u in [&acc.a, &acc.b] {
            sh(&["useradd", "-M", "-U", "-G", &acc.group, "-s", "/bin/sh", u]);
        }
        acc
    }
    fn id(flag: &str, name: &str) -> u32 {
        let out = Command::new("id").args([flag, name]).output().unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
    fn uid(&self, user: &str) -> u32 {
        Accounts::id("-u", user)
    }
    fn gid(&self) -> u32 {
        let out = Command::new("getent")
            .args(["group", &self.group])
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .split(':')
            .nth(2)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for u in [&self.a, &self.b] {
            let _ = Command::new("userdel").arg(u).status();
        }
        let _ = Command::new("groupdel").arg(&self.group).status();
    }
}

/// On a terminal whose locale is GBK the TUI refuses to start and says how to get UTF-8;
/// nothing is created.
#[test]
fn a_gbk_terminal_is_told_to_switch_to_utf8() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_yujing"));
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "zh_CN.GBK");
    cmd.env("LC_ALL", "zh_CN.GBK");
    cmd.env("YUJING_DB", "");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let status = child.wait().unwrap();
    let mut out = Vec::new();
    // The child has exited; the pty holds what it wrote (EIO once drained).
    let _ = reader.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    assert_eq!(status.exit_code(), 1, "{text}");
    assert!(text.contains("GBK") && text.contains("UTF-8"), "{text}");
    assert!(!db.exists());
}
