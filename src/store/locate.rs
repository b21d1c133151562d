//! Which database a run uses, found the way git and cargo find theirs: `--db` (or `HFTLIST_DB`,
//! which clap reads into the same option), else the nearest `papers/list.yaml` walking up from
//! the current directory, else `papers` (whose absence `Db::load` then explains).

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::store::db::LIST_FILE;

/// The folder a list's database lives in, relative to the repository root.
pub const DEFAULT_DIR: &str = "papers";

/// The database folder for this run. A given folder is used as given (only refused when it
/// names a file); otherwise the nearest `papers/list.yaml` above `cwd` decides, written as a
/// relative path (`papers`, `../papers`) so diagnostics stay short.
pub fn database(given: Option<&Path>, cwd: &Path) -> anyhow::Result<PathBuf> {
    if let Some(dir) = given {
        if dir.is_file() {
            let hint = if dir.file_name().is_some_and(|n| n == LIST_FILE) {
                let parent = dir
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                format!(" (`--db {}`)", parent.display())
            } else {
                String::new()
            };
            bail!(
                "`{}` is a file: --db (or HFTLIST_DB) names the database folder, the one that \
                 holds list.yaml{hint}",
                dir.display()
            );
        }
        return Ok(dir.to_owned());
    }
    Ok(nearest(cwd).unwrap_or_else(|| PathBuf::from(DEFAULT_DIR)))
}

/// The nearest `papers/` holding a `list.yaml` at or above `cwd`, as a path relative to `cwd`.
fn nearest(cwd: &Path) -> Option<PathBuf> {
    let mut up = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join(DEFAULT_DIR).join(LIST_FILE).is_file() {
            return Some(up.join(DEFAULT_DIR));
        }
        up.push("..");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_up_to_the_nearest_database_and_names_it_relatively() {
        let root = tempfile::tempdir().unwrap();
        let papers = root.path().join("papers");
        let deep = root.path().join("docs/a/b");
        std::fs::create_dir_all(&papers).unwrap();
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(papers.join(LIST_FILE), "").unwrap();
        assert_eq!(
            database(None, root.path()).ok(),
            Some(PathBuf::from("papers"))
        );
        assert_eq!(
            database(None, &deep).ok(),
            Some(PathBuf::from("../../../papers"))
        );
        // Inside papers/ itself, the walk finds the same folder from one level down.
        assert_eq!(
            database(None, &papers).ok(),
            Some(PathBuf::from("../papers"))
        );
    }

    #[test]
    fn a_given_file_is_refused_with_the_folder_to_use() {
        let root = tempfile::tempdir().unwrap();
        let list = root.path().join(LIST_FILE);
        std::fs::write(&list, "").unwrap();
        let err = database(Some(&list), root.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("is a file"), "{err}");
        assert!(
            err.contains(&format!("`--db {}`", root.path().display())),
            "{err}"
        );
    }
}
