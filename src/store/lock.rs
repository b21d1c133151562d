//! The database lock: `add` and `import` hold `<db>/.hftlist.lock` from the moment they load the
//! database until their records are written, so two runs cannot both decide that a paper is new
//! and both write it. The lock is an advisory `flock`-style lock on the file, so it is released
//! when the process ends however it ends; the file is removed when the run is done.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The lock file's name inside the database folder (hidden, so the loader ignores it).
pub const LOCK_FILE: &str = ".hftlist.lock";

/// A held lock; dropping it removes the file and releases the lock.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    _file: File,
}

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A link planted at the lock's name must not make us create a file elsewhere.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Whether the open file is still the one at `path` (a run that just finished removes it).
fn is_at(file: &File, path: &Path) -> bool {
    let (Ok(held), Ok(now)) = (file.metadata(), fs::symlink_metadata(path)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        held.dev() == now.dev() && held.ino() == now.ino()
    }
    #[cfg(not(unix))]
    {
        held.len() == now.len() && now.is_file()
    }
}

impl Lock {
    /// Takes the lock of the database in `dir`, or fails at once with a message naming the lock
    /// file when another run holds it.
    pub fn acquire(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(LOCK_FILE);
        let shown = crate::model::sanitize::escape(&path.display().to_string()).into_owned();
        for _ in 0..20 {
            let file =
                open(&path).with_context(|| format!("cannot open the lock file `{shown}`"))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => bail!(
                    "another hftlist is writing to this database (the lock `{shown}` is held); \
                     wait for it to finish and run again"
                ),
                Err(fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock `{shown}`"));
                }
            }
            if is_at(&file, &path) {
                return Ok(Self { path, _file: file });
            }
        }
        bail!("cannot lock `{shown}`: it keeps being replaced")
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so a waiting run that opened it sees it replaced and retries.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = Lock::acquire(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let second = Lock::acquire(dir.path());
        assert!(
            second
                .as_ref()
                .is_err_and(|e| e.to_string().contains("another hftlist is writing")),
            "{second:?}"
        );
        drop(first);
        assert!(!dir.path().join(LOCK_FILE).exists());
        assert!(Lock::acquire(dir.path()).is_ok());
    }
}
