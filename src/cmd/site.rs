//! `hftlist site`: the static website (`index.html`, `site.css`, `site.js`, `papers.json`),
//! written to a folder or checked against one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::checks::lint;
use crate::exit;
use crate::model::diag::Tally;
use crate::views::site::{self, SiteFile};

/// Arguments of `site`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["output", "check"])))]
pub struct Args {
    /// Write the site into DIR (created if missing; only the site's own files are replaced).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Exit 0 when DIR holds the site as it would be written, 1 (naming the first stale file)
    /// when not.
    #[arg(long, value_name = "DIR")]
    pub check: Option<PathBuf>,
}

/// Runs `site`.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(dir)?;
    // Checking and building are independent: both run at once, and the site is used only if
    // the check finds no error (as `render` does).
    let (diagnostics, files) = std::thread::scope(|scope| {
        let check = scope.spawn(|| lint::check_errors(&catalog, lint::today()));
        let files = site::build(&catalog);
        (check.join(), files)
    });
    let diagnostics = diagnostics.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let tally = Tally::of(&diagnostics);
    if tally.errors > 0 {
        super::say(format!(
            "hftlist: error: the database has {} error(s), and a site built from it could leave \
             papers out; run `hftlist validate`",
            tally.errors
        ));
        return Ok(exit::code(exit::PROBLEMS));
    }
    let files = files?;
    if let Some(out) = &args.check {
        return check(out, &files);
    }
    let Some(out) = &args.output else {
        anyhow::bail!("give `-o DIR` or `--check DIR`");
    };
    write(out, &files)?;
    Ok(exit::code(exit::SUCCESS))
}

/// Writes every file of the site into `out`, each atomically.
fn write(out: &Path, files: &[SiteFile]) -> anyhow::Result<()> {
    match std::fs::metadata(out) {
        Ok(m) if !m.is_dir() => {
            anyhow::bail!("`{}` exists and is not a folder", out.display())
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(out)
            .with_context(|| format!("cannot create the folder `{}`", out.display()))?,
        Err(e) => return Err(e).with_context(|| format!("cannot use `{}`", out.display())),
    }
    for f in files {
        crate::store::atomic::replace(&out.join(f.name), &f.text)?;
    }
    Ok(())
}

/// Compares the folder's files with the site's; names the first one that is missing or differs.
fn check(out: &Path, files: &[SiteFile]) -> anyhow::Result<ExitCode> {
    let fix = format!("hftlist site -o {}", out.display());
    for f in files {
        let path = out.join(f.name);
        // Read as any file a pull request controls: a regular file only, size-bounded.
        let limit = crate::store::input::MAX_README;
        let found = match crate::store::input::read_bytes(&path, None, limit) {
            Ok(found) => found,
            Err(crate::store::input::ReadError::NotFound) => {
                super::say(format!(
                    "hftlist: `{}` does not exist; run `{fix}`",
                    path.display()
                ));
                return Ok(exit::code(exit::PROBLEMS));
            }
            Err(e) => anyhow::bail!("cannot read `{}`: {e}", path.display()),
        };
        if found != f.text.as_bytes() {
            super::say(format!(
                "hftlist: `{}` is not current; run `{fix}`",
                path.display()
            ));
            return Ok(exit::code(exit::PROBLEMS));
        }
    }
    Ok(exit::code(exit::SUCCESS))
}
