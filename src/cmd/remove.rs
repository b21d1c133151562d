//! `hftlist remove ID --yes`: deletes a record. Without `--yes` it only shows what would go.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::exit;
use crate::ui;

/// Arguments of `remove`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The id of the record to delete.
    pub id: String,

    /// Delete it; without this flag nothing is deleted.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// Runs `remove`: exit 0 when deleted, 1 when the id is unknown or `--yes` was not given.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    // Another run writing the database at the same time would see the record half moved.
    let _lock = crate::store::lock::Lock::acquire(dir)?;
    let catalog = Catalog::load(dir)?;
    let Some(record) = catalog.get(&args.id) else {
        super::say(format!(
            "hftlist: {}",
            super::rename::missing_record(&catalog, dir, &args.id)
        ));
        return Ok(exit::code(exit::PROBLEMS));
    };
    if !args.yes {
        super::say(format!(
            "hftlist: would remove `{}` ({}); run again with --yes to delete it",
            record.path.display(),
            record.paper.title
        ));
        return Ok(exit::code(exit::PROBLEMS));
    }
    std::fs::remove_file(&record.path)
        .with_context(|| format!("cannot remove `{}`", record.path.display()))?;
    if ui::chatty() {
        super::say(format!("removed {}", record.path.display()));
    }
    Ok(exit::code(exit::SUCCESS))
}
