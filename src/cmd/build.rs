//! `hftlist build`: writes every generated file of the repository in one step (the README from
//! its template and, when the template shows it, the papers-per-year chart), or with `--check`
//! tells whether they are current. CI runs `build --check`; a maintainer runs `build`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Filters, render, stats};
use crate::exit;
use crate::ui;

/// The chart's path, relative to the repository root (the README's folder).
pub const CHART: &str = "docs/papers-per-year.svg";

/// Arguments of `build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write nothing; exit 1 naming each generated file that is not current.
    #[arg(long)]
    pub check: bool,

    /// The README to write [default: README.md beside the database folder].
    #[arg(long, value_name = "FILE")]
    pub readme: Option<PathBuf>,

    /// The chart to write [default: docs/papers-per-year.svg beside the database folder, when
    /// the template shows it].
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
}

/// The repository root of a database folder: the folder that holds it.
fn root_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::new(),
    }
}

/// Runs `build`: exit 0 when every file is written (or current), 1 when the database has errors
/// or, with `--check`, a file is stale.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let root = root_of(dir);
    let readme = args
        .readme
        .clone()
        .unwrap_or_else(|| root.join("README.md"));
    let ok = exit::code(exit::SUCCESS);
    let render_args = render::Args {
        output: (!args.check).then(|| readme.clone()),
        check: args.check.then(|| readme.clone()),
        newest_first: false,
        template: None,
    };
    let mut failed = render::run(dir, &render_args)? != ok;
    if !failed && !args.check && ui::verbose() {
        super::say(format!("wrote {}", readme.display()));
    }
    // Rendering above read the template already, through the same bounded reader.
    let template = crate::store::input::read_text(
        &dir.join(render::TEMPLATE),
        Some(dir),
        crate::store::input::MAX_TEMPLATE,
        "the template",
    )
    .unwrap_or_default();
    let chart = match &args.chart {
        Some(path) => Some(path.clone()),
        None if template.contains(CHART) => Some(root.join(CHART)),
        None => None,
    };
    if let Some(chart) = chart {
        let stats_args = stats::Args {
            filters: Filters::default(),
            format: stats::Format::Text,
            svg: Some(chart.clone()),
            check: args.check,
        };
        let chart_ok = stats::run(dir, &stats_args)? == ok;
        if chart_ok && !args.check && ui::verbose() {
            super::say(format!("wrote {}", chart.display()));
        }
        failed |= !chart_ok;
    }
    Ok(exit::code(if failed {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}
