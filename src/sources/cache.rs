//! The on-disk answer cache: one file per request under the user's cache folder, written
//! atomically, read back only when whole. A file that does not read back as an entry is
//! discarded with a warning, never trusted.
//!
//! An entry is a short text header, a blank line, then the body exactly as received:
//!
//! ```text
//! hftlist-cache 1
//! url https://export.arxiv.org/api/query?id_list=2402.01109
//! fetched 1767225600
//! bytes 2840
//!
//! <?xml version="1.0" ...
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::warn;

/// The first line of every entry; a new layout gets a new number.
const MAGIC: &str = "hftlist-cache 1";

/// The cache folder and what was found in it.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
}

/// A cached answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The body as received.
    pub body: String,
    /// How long ago it was fetched (zero if the clock went back).
    pub age: Duration,
}

impl Cache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The user's cache: `HFTLIST_CACHE_DIR`, else `$XDG_CACHE_HOME/hftlist`, else the
    /// platform's cache folder (`~/.cache/hftlist`, `~/Library/Caches/hftlist`,
    /// `%LOCALAPPDATA%\hftlist\cache`). `None` when none of them can be found.
    pub fn from_env() -> Option<Self> {
        locate(&|name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .map(Self::new)
    }

    /// The folder holding the entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of the entry for `url` of the service whose cache folder is `service`.
    pub fn path(&self, service: &str, url: &str) -> PathBuf {
        self.dir
            .join(service)
            .join(format!("{:016x}", fnv1a(format!("GET {url}").as_bytes())))
    }

    /// The cached answer for `url`, if a whole one is there. A corrupt entry is deleted with a
    /// warning; an entry for another URL (a hash collision) is a miss.
    pub fn get(&self, service: &str, url: &str) -> Option<Hit> {
        let path = self.path(service, url);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                warn(&format!(
                    "cannot read the cache entry `{}` ({e}); asking again",
                    path.display()
                ));
                return None;
            }
        };
        match decode(&bytes) {
            Ok((stored_url, fetched, body)) if stored_url == url => {
                let age = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|now| now.saturating_sub(Duration::from_secs(fetched)))
                    .unwrap_or_default();
                Some(Hit { body, age })
            }
            Ok(_) => None,
            Err(why) => {
                warn(&format!(
                    "discarding the corrupt cache entry `{}` ({why})",
                    path.display()
                ));
                if let Err(e) = std::fs::remove_file(&path) {
                    warn(&format!("cannot remove `{}`: {e}", path.display()));
                }
                None
            }
        }
    }

    /// Stores `body` as the answer for `url`, atomically. A failure is a warning: the answer
    /// was fetched, only the next run will ask again.
    pub fn put(&self, service: &str, url: &str, body: &str) {
        let path = self.path(service, url);
        let fetched = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let text = encode(url, fetched, body);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(anyhow::Error::new)
            .and_then(|()| crate::store::atomic::replace(&path, &text));
        if let Err(e) = written {
            warn(&format!(
                "cannot write the cache entry `{}`: {e:#}",
                path.display()
            ));
        }
    }
}

/// The cache folder from the environment, in the order [`Cache::from_env`] documents.
fn locate(var: &dyn Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    if let Some(dir) = var("HFTLIST_CACHE_DIR") {
        return Some(dir);
    }
    // The XDG spec says a relative value is invalid and is to be ignored.
    if let Some(xdg) = var("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return Some(xdg.join("hftlist"));
    }
    if cfg!(windows) {
        return var("LOCALAPPDATA").map(|d| d.join("hftlist").join("cache"));
    }
    let home = var("HOME")?;
    if cfg!(target_os = "macos") {
        Some(home.join("Library").join("Caches").join("hftlist"))
    } else {
        Some(home.join(".cache").join("hftlist"))
    }
}

fn encode(url: &str, fetched: u64, body: &str) -> String {
    format!(
        "{MAGIC}\nurl {url}\nfetched {fetched}\nbytes {}\n\n{body}",
        body.len()
    )
}

/// The URL, fetch time and body of an entry, or why it is not one.
fn decode(bytes: &[u8]) -> Result<(&str, u64, String), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_owned())?;
    let (head, body) = text
        .split_once("\n\n")
        .ok_or_else(|| "no end of header".to_owned())?;
    let mut lines = head.lines();
    if lines.next() != Some(MAGIC) {
        return Err(format!("the first line is not `{MAGIC}`"));
    }
    let mut field = |name: &str| {
        lines
            .next()
            .and_then(|l| l.strip_prefix(name))
            .and_then(|l| l.strip_prefix(' '))
            .ok_or_else(|| format!("no `{name}` line"))
    };
    let url = field("url")?;
    let fetched = field("fetched")?
        .parse::<u64>()
        .map_err(|_| "`fetched` is not a number".to_owned())?;
    let length = field("bytes")?
        .parse::<usize>()
        .map_err(|_| "`bytes` is not a number".to_owned())?;
    if body.len() != length {
        return Err(format!(
            "the body has {} bytes, the header says {length}",
            body.len()
        ));
    }
    Ok((url, fetched, body.to_owned()))
}

/// FNV-1a, 64 bits: a stable file name for a request (the entry repeats the URL, so a
/// collision is a miss, not a wrong answer).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        assert_eq!(cache.get("arxiv", "https://a/q?x=1"), None);
        cache.put("arxiv", "https://a/q?x=1", "<feed>\n\nbody</feed>");
        let hit = cache.get("arxiv", "https://a/q?x=1").unwrap();
        assert_eq!(hit.body, "<feed>\n\nbody</feed>");
        assert!(hit.age < Duration::from_secs(60));
        assert_eq!(cache.get("arxiv", "https://a/q?x=2"), None);
        assert_eq!(cache.get("dblp", "https://a/q?x=1"), None);
    }

    #[test]
    fn corrupt_entries_are_refused_and_removed() {
        for bad in [
            &b"\xff\xfe"[..],
            b"hftlist-cache 1\nurl u\nfetched 1\nbytes 5\n\nabc",
            b"hftlist-cache 2\nurl u\nfetched 1\nbytes 3\n\nabc",
            b"hftlist-cache 1\nurl u\nfetched x\nbytes 3\n\nabc",
            b"hftlist-cache 1\nurl u\n",
            b"",
        ] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let path = cache.path("arxiv", "u");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "hftlist-cache 1\nurl u\nfetched 1\nbytes 9\n\nabc").unwrap();
        assert_eq!(cache.get("arxiv", "u"), None);
        assert!(!path.exists());
    }

    #[test]
    fn location_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| PathBuf::from(v))
            }
        };
        assert_eq!(
            locate(&env(&[("HFTLIST_CACHE_DIR", "/c"), ("HOME", "/h")])),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            locate(&env(&[("XDG_CACHE_HOME", "/x"), ("HOME", "/h")])),
            Some(PathBuf::from("/x/hftlist"))
        );
        if cfg!(all(unix, not(target_os = "macos"))) {
            assert_eq!(
                locate(&env(&[("XDG_CACHE_HOME", "rel"), ("HOME", "/h")])),
                Some(PathBuf::from("/h/.cache/hftlist"))
            );
            assert_eq!(locate(&env(&[])), None);
        }
    }

    #[test]
    fn names_are_stable() {
        // The file name must not change between versions, or every cache goes cold.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
