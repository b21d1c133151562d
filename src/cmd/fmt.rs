//! `hftlist fmt`: rewrites records in the canonical form that `add` and `import` write, so a
//! record written by hand (or edited) diffs cleanly against every other.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::catalog::Catalog;
use crate::exit;
use crate::store::db;

/// Arguments of `fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write nothing; list the records that are not in canonical form and exit 1 if any.
    #[arg(long)]
    pub check: bool,

    /// Only these record files (default: every record of the database).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Runs `fmt`: exit 0 when every record is (now) canonical, 1 when `--check` found some that
/// are not or some records could not be read (they are left untouched; `validate` says why).
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(dir)?;
    let wanted =
        |path: &Path| args.files.is_empty() || args.files.iter().any(|f| same_file(f, path));
    let mut changed = 0;
    let mut listing = String::new();
    for record in catalog.records().filter(|r| wanted(&r.path)) {
        if args.check {
            if !db::is_canonical(&record.path, &record.paper)? {
                changed += 1;
                listing.push_str(&format!("{}\n", record.path.display()));
            }
        } else if db::save_record(&record.path, &record.paper)? {
            // The store compares with the file and writes only a record that changes.
            changed += 1;
            if crate::ui::chatty() {
                super::say(format!("formatted {}", record.path.display()));
            }
        }
    }
    super::emit(None, &listing)?;
    let unreadable = catalog.unreadable();
    if unreadable > 0 {
        super::say(format!(
            "hftlist: {unreadable} record file(s) could not be read and were left as they are; \
             run `hftlist validate`"
        ));
    }
    if args.check && changed > 0 {
        super::say(format!(
            "hftlist: {changed} record(s) are not in canonical form; run `hftlist fmt`"
        ));
    }
    let failed = unreadable > 0 || (args.check && changed > 0);
    Ok(exit::code(if failed {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}

/// Whether two paths name the same file (as given, or once made canonical).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (a.canonicalize(), b.canonicalize()),
            (Ok(x), Ok(y)) if x == y
        )
}
