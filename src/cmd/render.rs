//! `hftlist render`: the README, generated from the database and its template.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::checks::lint;
use crate::exit;
use crate::model::diag::Tally;
use crate::views::render::{self, Options};

/// The template's file name inside the database folder.
pub const TEMPLATE: &str = "README.template.md";

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the README to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE", conflicts_with = "check")]
    pub output: Option<PathBuf>,

    /// Exit 0 when FILE is what would be rendered, 1 (naming the first differing line) when not.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,

    /// List the newest papers first within each section.
    #[arg(long)]
    pub newest_first: bool,

    /// The template [default: <db>/README.template.md].
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

/// Runs `render`.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let catalog = Arc::new(Catalog::load(dir)?);
    let template_path = args.template.clone().unwrap_or_else(|| dir.join(TEMPLATE));
    let template = crate::store::input::read_text(
        &template_path,
        Some(dir),
        crate::store::input::MAX_TEMPLATE,
        "the template",
    )?;
    let template_name = template_path.display().to_string();
    let options = Options {
        newest_first: args.newest_first,
    };
    // Checking and rendering are independent: both run at once, and the rendering is used
    // only if the check finds no error.
    let (diagnostics, text) = std::thread::scope(|scope| {
        let check = scope.spawn(|| lint::check_errors(&catalog, lint::today()));
        let text = render::render_named(&catalog, &template_name, &template, options);
        (check.join(), text)
    });
    let diagnostics = diagnostics.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let tally = Tally::of(&diagnostics);
    if tally.errors > 0 {
        super::say(format!(
            "hftlist: error: the database has {} error(s), and a README rendered from it could \
             leave papers out; run `hftlist validate`",
            tally.errors
        ));
        return Ok(exit::code(exit::PROBLEMS));
    }
    let text = text?;
    if let Some(path) = &args.check {
        return check(dir, path, &text, args.newest_first);
    }
    super::emit(args.output.as_deref(), &text)?;
    Ok(exit::code(exit::SUCCESS))
}

fn check(dir: &Path, path: &Path, expected: &str, newest_first: bool) -> anyhow::Result<ExitCode> {
    let fix = format!(
        "hftlist render{} -o {}",
        if newest_first { " --newest-first" } else { "" },
        path.display()
    );
    if !path.exists() && !path.is_symlink() {
        super::say(format!(
            "hftlist: `{}` does not exist; run `{fix}`",
            path.display()
        ));
        return Ok(exit::code(exit::PROBLEMS));
    }
    let found = crate::store::input::read_text(
        path,
        Some(dir),
        crate::store::input::MAX_README,
        "the README",
    )?;
    if found == expected {
        return Ok(exit::code(exit::SUCCESS));
    }
    let mut want = expected.lines();
    let mut have = found.lines();
    let mut line = 1;
    let (w, h) = loop {
        match (want.next(), have.next()) {
            (Some(w), Some(h)) if w == h => line += 1,
            (w, h) => break (w, h),
        }
    };
    // The line is quoted short and escaped: the file may be anything a pull request put there.
    let show = |l: Option<&str>| {
        l.map_or("end of file".to_owned(), |l| {
            format!("`{}`", crate::model::sanitize::excerpt(l))
        })
    };
    super::say(format!(
        "hftlist: `{}` is not current: line {line} is {} but should be {}; run `{fix}`",
        path.display(),
        show(h),
        show(w)
    ));
    Ok(exit::code(exit::PROBLEMS))
}
