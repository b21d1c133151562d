//! Writes a synthetic database for benchmarks:
//! `cargo run --release --example synth -- --papers 100000 --out /tmp/db100k [--shape hostile]`.
//!
//! Records are drawn from the words and title lengths of a real database (`--from`, default
//! `papers`), which also gives `list.yaml` and the README template. `--shape` picks realistic
//! titles, hostile ones (7 to 12 words from 150) or a cluster (half the titles share ten words).
//! The planted near-duplicate pairs are listed in `planted-near-duplicates.txt` in the output
//! folder.

#![allow(clippy::disallowed_macros)] // a developer tool: printing is its job
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;

/// Write a synthetic paper database.
#[derive(Parser)]
struct Args {
    /// How many papers.
    #[arg(long)]
    papers: usize,
    /// The folder to create (it must not exist).
    #[arg(long)]
    out: PathBuf,
    /// How many planted near-duplicate titles [default: one per thousand papers, at least 10].
    #[arg(long)]
    near_duplicates: Option<usize>,
    /// The real database whose vocabulary, list.yaml and template to use.
    #[arg(long, default_value = "papers")]
    from: PathBuf,
    /// The titles: `realistic`, `hostile` or `cluster`.
    #[arg(long, default_value = "realistic")]
    shape: hftlist::synth::Shape,
    /// The random seed.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let real = hftlist::store::db::Db::load(&args.from)?;
    let titles: Vec<String> = real.entries.iter().map(|e| e.paper.title.clone()).collect();
    let near = args.near_duplicates.unwrap_or((args.papers / 1000).max(10));
    let synthetic = hftlist::synth::generate_shape(
        args.shape,
        args.papers,
        near,
        &titles,
        &real.list,
        args.seed,
    )?;
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    // A new folder only: the generator never writes into an existing database.
    std::fs::create_dir(&args.out)
        .with_context(|| format!("cannot create `{}`", args.out.display()))?;
    for name in ["list.yaml", "README.template.md"] {
        std::fs::copy(args.from.join(name), args.out.join(name))
            .with_context(|| format!("cannot copy {name}"))?;
    }
    // The records the template cites by id (`cite("huang2024survey")`) come along, so the
    // synthetic database renders with the real template.
    let template = std::fs::read_to_string(args.from.join("README.template.md"))?;
    for cited in template.split("cite(\"").skip(1) {
        if let Some((id, _)) = cited.split_once('"') {
            let name = format!("{id}.yaml");
            std::fs::copy(args.from.join(&name), args.out.join(&name))
                .with_context(|| format!("cannot copy the cited record {name}"))?;
        }
    }
    for (id, paper) in &synthetic.papers {
        let path = args.out.join(format!("{id}.yaml"));
        std::fs::write(&path, hftlist::store::db::to_yaml(paper)?)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    let planted: String = synthetic
        .planted
        .iter()
        .map(|(a, b)| format!("{a} {b}\n"))
        .collect();
    std::fs::write(args.out.join("planted-near-duplicates.txt"), planted)?;
    eprintln!(
        "wrote {} papers ({} planted near-duplicates) to {}",
        synthetic.papers.len(),
        synthetic.planted.len(),
        args.out.display()
    );
    Ok(())
}
