//! Writing files so that a failure never leaves a half-written or clobbered file: the text goes
//! to a temporary file in the same folder, is synced, then renamed into place.
//!
//! Only regular files are written. A device, FIFO, socket or directory at the target is refused
//! (renaming over `/dev/null` would put a regular file where the device was), and so is a
//! symbolic link: in a checkout a link can point anywhere, so hftlist never writes through one
//! (name the target instead). A new file gets the mode the user's umask gives (0666 minus the
//! umask), a replaced file keeps its mode. Temporary files are named `.hftlist-XXXXXX.tmp`
//! (hidden, ignored by the database loader and by the repository's `.gitignore`); ones left by a
//! killed run are removed by the next write to the same folder once they are an hour old.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use anyhow::{Context, bail};

/// The prefix of the temporary files.
pub const TEMP_PREFIX: &str = ".hftlist-";
/// The suffix of the temporary files.
pub const TEMP_SUFFIX: &str = ".tmp";
/// How old a temporary file must be before a later run removes it as left over.
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

fn shown(path: &Path) -> String {
    crate::model::sanitize::escape(&path.display().to_string()).into_owned()
}

/// What is at `path` now: nothing, or a regular file (its metadata). Anything else is refused.
fn existing(path: &Path) -> anyhow::Result<Option<fs::Metadata>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot write `{}`", shown(path))),
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        bail!(
            "cannot write `{}`: it is a symbolic link, and hftlist does not write through links; \
             name the file it points to, or remove the link",
            shown(path)
        );
    }
    if !kind.is_file() {
        bail!(
            "cannot write `{}`: it is {}, not a regular file; hftlist writes only regular files",
            shown(path),
            describe(&meta)
        );
    }
    Ok(Some(meta))
}

fn describe(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Removes this folder's temporary files older than `STALE_AFTER`, once per folder and run.
fn clean_stale(dir: &Path) {
    static DONE: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    {
        let Ok(mut done) = DONE.lock() else { return };
        if !done.get_or_insert_with(HashSet::new).insert(dir.to_owned()) {
            return;
        }
    }
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for item in listing.flatten() {
        let name = item.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = item
            .metadata()
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if old {
            let _ = fs::remove_file(item.path());
        }
    }
}

fn temp_in(
    path: &Path,
    text: &str,
    old: Option<&fs::Metadata>,
) -> anyhow::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    clean_stale(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666: the kernel takes the umask off, as for any new file.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", shown(dir)))?;
    if let Some(old) = old {
        tmp.as_file()
            .set_permissions(old.permissions())
            .with_context(|| format!("cannot write `{}`", shown(path)))?;
    }
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write `{}`", shown(path)))?;
    Ok(tmp)
}

/// Creates `path` with `text`; fails, leaving everything as it was, if `path` exists.
pub fn create_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if existing(path)?.is_some() {
        bail!("cannot create `{}`: the file exists", shown(path));
    }
    temp_in(path, text, None)?
        .persist_noclobber(path)
        .map_err(|e| {
            anyhow::Error::new(e.error).context(format!("cannot create `{}`", shown(path)))
        })?;
    Ok(())
}

/// Writes `path` with `text`, replacing any previous regular file in one step and keeping its
/// mode. Refuses a link, a directory or a special file at `path`.
pub fn replace(path: &Path, text: &str) -> anyhow::Result<()> {
    let old = existing(path)?;
    let tmp = temp_in(path, text, old.as_ref())?;
    // Checked again just before the rename, to narrow the window in which something else could
    // take the name.
    existing(path)?;
    tmp.persist(path).map_err(|e| {
        anyhow::Error::new(e.error).context(format!("cannot write `{}`", shown(path)))
    })?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_replaced_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.md");
        fs::write(&path, "old").unwrap_or_else(|e| panic!("{e}"));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640))
            .unwrap_or_else(|e| panic!("{e}"));
        replace(&path, "new").unwrap_or_else(|e| panic!("{e}"));
        let mode = fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("new"));
    }

    #[test]
    fn refuses_links_and_directories() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let sub = dir.path().join("d");
        fs::create_dir(&sub).unwrap_or_else(|e| panic!("{e}"));
        assert!(replace(&sub, "x").is_err());
        std::os::unix::fs::symlink("elsewhere", dir.path().join("l"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(replace(&dir.path().join("l"), "x").is_err());
        assert!(!dir.path().join("elsewhere").exists());
    }
}
