//! Reading the files a pull request controls (records, `list.yaml`, the template, the README and
//! chart given to `--check`, an imported list): only regular files, bounded in size, never
//! through a symbolic link that leaves the database folder, and never blocking on a FIFO.
//!
//! The symbolic-link rule: a link is followed only when, fully resolved, it names a regular file
//! inside the database folder (itself resolved). Every other link is refused, so a record linked
//! to `/etc/shadow` or a README linked to `/proc/self/environ` is never opened.
//!
//! On Unix the file is opened with `O_NOFOLLOW | O_NONBLOCK | O_NOCTTY` and its type checked
//! again on the open descriptor, so a FIFO cannot hang the run and a link swapped in after the
//! check is not followed.

use std::fmt;
use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The most bytes read from `list.yaml`.
pub const MAX_LIST: u64 = 1024 * 1024;
/// The most bytes read from the README template.
pub const MAX_TEMPLATE: u64 = 256 * 1024;
/// The most bytes read from a README given to `render --check`.
pub const MAX_README: u64 = 64 * 1024 * 1024;
/// The most bytes read from a chart given to `stats --svg ... --check`.
pub const MAX_SVG: u64 = 16 * 1024 * 1024;
/// The most bytes read from a Markdown list given to `import`.
pub const MAX_IMPORT: u64 = 16 * 1024 * 1024;

/// Why a file was not read. The message never quotes the file's content.
#[derive(Debug)]
pub enum ReadError {
    /// No file by that name.
    NotFound,
    /// A symbolic link that does not resolve (dangling, or a loop).
    BrokenLink(io::Error),
    /// A symbolic link that resolves outside the database folder.
    OutsideLink,
    /// Something other than a regular file; the words name what it is.
    NotRegular(&'static str),
    /// Larger than the limit.
    TooLarge {
        /// The size found (at least `limit + 1` when it grew while being read).
        size: u64,
        /// The limit.
        limit: u64,
        /// Whether the file grew past the limit while being read.
        grew: bool,
    },
    /// Any other I/O failure.
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound => f.write_str("the file does not exist"),
            Self::BrokenLink(e) => write!(
                f,
                "the file is a broken symbolic link or a link loop ({})",
                io_text(e)
            ),
            Self::OutsideLink => f.write_str(
                "the file is a symbolic link that leaves the database folder or does not end at a \
                 regular file; only links to regular files inside the database folder are followed",
            ),
            Self::NotRegular(what) => write!(f, "this is {what}, not a regular file"),
            Self::TooLarge {
                limit, grew: true, ..
            } => write!(
                f,
                "the file grew past the limit of {limit} bytes while being read"
            ),
            Self::TooLarge { size, limit, .. } => {
                write!(f, "the file is {size} bytes; the limit is {limit} bytes")
            }
            Self::Io(e) => write!(f, "cannot read the file: {}", io_text(e)),
        }
    }
}

impl std::error::Error for ReadError {}

/// An I/O error's text without the "(os error N)" tail, for stable messages.
fn io_text(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// What a file type is, in words, or `None` for a regular file.
fn kind_of(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Opens without following a final symbolic link and without blocking on a FIFO.
fn open_nofollow(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// Resolves a symbolic link under the rule in the module docs: its final target, when that is a
/// regular file inside `root`.
fn resolve_link(path: &Path, root: Option<&Path>) -> Result<PathBuf, ReadError> {
    let target = fs::canonicalize(path).map_err(ReadError::BrokenLink)?;
    if let Some(root) = root {
        let root = fs::canonicalize(root).map_err(ReadError::Io)?;
        if !target.starts_with(&root) {
            return Err(ReadError::OutsideLink);
        }
    }
    let meta = fs::symlink_metadata(&target).map_err(ReadError::Io)?;
    if kind_of(&meta).is_some() {
        return Err(ReadError::OutsideLink);
    }
    Ok(target)
}

/// Opens `path` for reading if it is a regular file (or an allowed link to one), returning the
/// file and its size as the open descriptor reports it.
fn open_regular(path: &Path, root: Option<&Path>) -> Result<(File, u64), ReadError> {
    let file = match open_nofollow(path) {
        Ok(file) => file,
        Err(e) => {
            let meta = match fs::symlink_metadata(path) {
                Ok(meta) => meta,
                Err(_) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::NotFound),
                Err(_) => return Err(ReadError::Io(e)),
            };
            if !meta.file_type().is_symlink() {
                if let Some(what) = kind_of(&meta) {
                    return Err(ReadError::NotRegular(what));
                }
                return Err(ReadError::Io(e));
            }
            let target = resolve_link(path, root)?;
            open_nofollow(&target).map_err(ReadError::Io)?
        }
    };
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(what) = kind_of(&meta) {
        return Err(ReadError::NotRegular(what));
    }
    // Without the O_NOFOLLOW flag (outside Unix) a link was opened through: check it here.
    #[cfg(not(unix))]
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolve_link(path, root)?;
    }
    Ok((file, meta.len()))
}

/// Reads at most `limit` bytes of the regular file `path`. With a `root` (the database folder),
/// a symbolic link is followed only to a regular file inside it; without one (a file the user
/// named on the command line, outside any pull request's reach), to any regular file.
pub fn read_bytes(path: &Path, root: Option<&Path>, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, size) = open_regular(path, root)?;
    if size > limit {
        return Err(ReadError::TooLarge {
            size,
            limit,
            grew: false,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
            grew: true,
        });
    }
    Ok(bytes)
}

/// `read_bytes`, as UTF-8 text (a leading byte-order mark dropped); an error names the file.
pub fn read_text(
    path: &Path,
    root: Option<&Path>,
    limit: u64,
    what: &str,
) -> anyhow::Result<String> {
    let name = crate::model::sanitize::escape(&path.display().to_string()).into_owned();
    let mut bytes = read_bytes(path, root, limit)
        .map_err(|e| anyhow::anyhow!("cannot read {what} `{name}`: {e}"))?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "cannot read {what} `{name}`: byte {} is not valid UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_within_its_limit() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.txt");
        fs::write(&path, "hello").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            read_bytes(&path, Some(dir.path()), 5).ok().as_deref(),
            Some(&b"hello"[..])
        );
        assert!(matches!(
            read_bytes(&path, Some(dir.path()), 4),
            Err(ReadError::TooLarge {
                size: 5,
                limit: 4,
                ..
            })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn follows_links_only_inside_the_root() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let inside = dir.path().join("db");
        fs::create_dir(&inside).unwrap_or_else(|e| panic!("{e}"));
        fs::write(inside.join("real.yaml"), "x").unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.path().join("secret"), "s").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("real.yaml", inside.join("in.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("../secret", inside.join("out.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(read_bytes(&inside.join("in.yaml"), Some(&inside), 10).is_ok());
        assert!(matches!(
            read_bytes(&inside.join("out.yaml"), Some(&inside), 10),
            Err(ReadError::OutsideLink)
        ));
    }
}
