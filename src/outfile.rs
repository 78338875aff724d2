//! Files yujing writes for people: exports, documents, backups.
//!
//! They hold students' personal data, so they are created 0600 (a shared folder's group must not
//! read them), never replace an existing file unless the user said `--force`, never replace the
//! database in use (or its -wal/-shm) or anything that is not a regular file, and are written
//! beside the target and renamed over it, so an interrupted write never leaves half a file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

#[derive(Debug, thiserror::Error)]
pub enum OutFileError {
    #[error("{0}: the folder does not exist")]
    NoFolder(PathBuf),
    #[error("{0}: already exists (add --force to replace it)")]
    Exists(PathBuf),
    #[error("{0}: not a regular file; refusing to write over it")]
    NotRegular(PathBuf),
    #[error("{0}: that is the database in use; refusing to write over it")]
    IsDatabase(PathBuf),
    #[error("{0}: {1}")]
    Io(PathBuf, io::Error),
}

/// How a file may be written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules<'a> {
    /// Replace an existing regular file.
    pub force: bool,
    /// The database in use: neither it nor its -wal/-shm may be the target.
    pub database: Option<&'a Path>,
}

/// A file being written: write to [`OutFile::path`] (a temporary file in the target's folder),
/// then [`OutFile::finish`] renames it over the target.
#[derive(Debug)]
pub struct OutFile {
    target: PathBuf,
    tmp: NamedTempFile,
    force: bool,
}

/// A path as (canonical folder, file name), so that a file that does not exist yet (a -wal)
/// can still be compared.
fn identity(p: &Path) -> Option<(PathBuf, std::ffi::OsString)> {
    let folder = match p.parent() {
        Some(f) if !f.as_os_str().is_empty() => f,
        _ => Path::new("."),
    };
    Some((fs::canonicalize(folder).ok()?, p.file_name()?.to_owned()))
}

/// Checks `target` against the rules without creating anything.
pub fn check(target: &Path, rules: Rules<'_>) -> Result<(), OutFileError> {
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(OutFileError::NoFolder(folder));
    }
    if let Some(db) = rules.database {
        let mut guarded = vec![db.to_path_buf()];
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut s = db.as_os_str().to_owned();
            s.push(suffix);
            guarded.push(PathBuf::from(s));
        }
        let me = identity(target);
        let hit = me.is_some() && guarded.iter().any(|g| identity(g) == me);
        if hit {
            return Err(OutFileError::IsDatabase(target.to_path_buf()));
        }
    }
    match fs::symlink_metadata(target) {
        Ok(m) if !m.file_type().is_file() => Err(OutFileError::NotRegular(target.to_path_buf())),
        Ok(_) if !rules.force => Err(OutFileError::Exists(target.to_path_buf())),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OutFileError::Io(target.to_path_buf(), e)),
    }
}

impl OutFile {
    /// Checks the target and opens a temporary file beside it (mode 0600).
    pub fn create(target: &Path, rules: Rules<'_>) -> Result<OutFile, OutFileError> {
        check(target, rules)?;
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = crate::os::as_user(|| {
            tempfile::Builder::new()
                .prefix(".yujing-")
                .suffix(".part")
                .tempfile_in(folder)
        })
        .map_err(|e| OutFileError::Io(folder.to_path_buf(), e))?;
        Ok(OutFile {
            target: target.to_path_buf(),
            tmp,
            force: rules.force,
        })
    }

    /// Where to write the content.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// The open temporary file, for writers that take a `Write`.
    pub fn file(&mut self) -> &mut fs::File {
        self.tmp.as_file_mut()
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Makes the written file the target: 0600, renamed into place. Without `force` a file
    /// that appeared at the target meanwhile is not replaced.
    pub fn finish(self) -> Result<PathBuf, OutFileError> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(self.tmp.path(), fs::Permissions::from_mode(0o600))
                .map_err(|e| OutFileError::Io(self.target.clone(), e))?;
        }
        let target = self.target.clone();
        let done = if self.force {
            self.tmp.persist(&target).map(|_| ())
        } else {
            self.tmp.persist_noclobber(&target).map(|_| ())
        };
        match done {
            Ok(()) => Ok(target),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
                Err(OutFileError::Exists(target))
            }
            Err(e) => Err(OutFileError::Io(target, e.error)),
        }
    }
}

/// Writes `bytes` to `target` under the rules.
pub fn write(target: &Path, rules: Rules<'_>, bytes: &[u8]) -> Result<PathBuf, OutFileError> {
    let mut f = OutFile::create(target, rules)?;
    io::Write::write_all(f.file(), bytes).map_err(|e| OutFileError::Io(target.to_path_buf(), e))?;
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_existing_missing_folder_database_and_devices() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("y.db");
        fs::write(&db, b"db").unwrap();
        let rules = Rules {
            force: false,
            database: Some(&db),
        };
        let out = dir.path().join("a.csv");
        write(&out, rules, b"one").unwrap();
        assert!(matches!(
            write(&out, rules, b"two"),
            Err(OutFileError::Exists(_))
        ));
        assert_eq!(fs::read(&out).unwrap(), b"one");
        let forced = Rules {
            force: true,
            ..rules
        };
        write(&out, forced, b"two").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"two");
        // The database itself, even with --force, and its WAL before it exists.
        assert!(matches!(
            write(&db, forced, b"x"),
            Err(OutFileError::IsDatabase(_))
        ));
        assert!(matches!(
            write(&dir.path().join("y.db-wal"), forced, b"x"),
            Err(OutFileError::IsDatabase(_))
        ));
        assert_eq!(fs::read(&db).unwrap(), b"db");
        assert!(matches!(
            write(&dir.path().join("nope/a.csv"), rules, b"x"),
            Err(OutFileError::NoFolder(_))
        ));
        assert!(matches!(
            write(Path::new("/dev/null"), forced, b"x"),
            Err(OutFileError::NotRegular(_))
        ));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
