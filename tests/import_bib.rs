//! `hftlist import` of BibTeX and CSL-JSON files.

use crate::util::{assert_text, markdown_list, two_papers};

const BIB: &str = "@inproceedings{huang2024vaccine,\n  title = {{Vaccine}: Perturbation-aware Alignment},\n  author = {Huang, Tiansheng and Liu, Ling},\n  booktitle = {NeurIPS 2024},\n  year = {2024}, month = feb,\n  eprint = {2402.01100}, archivePrefix = {arXiv},\n  keywords = {defense, alignment}\n}\n\
@article{lisa,\n  title = {Lisa: Lazy Safety Alignment},\n  author = {Huang, Tiansheng},\n  journal = {NIPS 2024},\n  year = {2024},\n  doi = {10.52202/079017-3298},\n  keywords = {defense, fine-tuning}\n}\n\
@misc{nodate,\n  title = {No Date Here},\n  author = {Someone, A.}\n}\n";

#[test]
fn bibtex_import_writes_records_and_reports_duplicates_and_errors() {
    let db = two_papers();
    std::fs::write(db.root().join("refs.bib"), BIB).unwrap();
    let run = db.run(&["import", "refs.bib"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "refs.bib:1: skipped `Vaccine: Perturbation-aware Alignment`: same arXiv id as `vaccine`\n\
         refs.bib:9: wrote papers/lisa.yaml\n\
         refs.bib:17: error: cannot import this entry: entry `nodate` does not say its kind: give --kind, or a keyword among `attack`, `defense`, `analysis`, `benchmark`, `survey`\n\
         read 3 entries: wrote 1, skipped 1 duplicates, 1 could not be parsed\n",
    );
    assert_text(
        &std::fs::read_to_string(db.papers().join("lisa.yaml")).unwrap(),
        "title: \"Lisa: Lazy Safety Alignment\"\nkind: defense\nstage: fine-tuning\ndate: \"2024\"\n\
         venue: NeurIPS 2024\nauthors:\n- Tiansheng Huang\ndoi: 10.52202/079017-3298\n",
    );
    assert_eq!(db.run(&["validate"]).code, 0);
}

#[test]
fn bibtex_that_does_not_parse_names_the_file_and_line() {
    let db = two_papers();
    std::fs::write(db.root().join("refs.bib"), "@article{a,\n  title = {x\n").unwrap();
    let run = db.run(&["import", "refs.bib"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("hftlist: error: refs.bib:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cannot read the file"),
        "{}",
        run.stderr
    );
}

#[test]
fn csl_json_import_takes_the_kind_from_the_flag() {
    let db = two_papers();
    std::fs::write(
        db.root().join("refs.json"),
        r#"[{"id": "x", "type": "article", "title": "Über Safety: Attacks",
  "author": [{"family": "Müller", "given": "Anna"}],
  "issued": {"date-parts": [[2025, 3]]}, "URL": "https://arxiv.org/abs/2503.00007"}]"#,
    )
    .unwrap();
    let run = db.run(&["import", "--kind", "attack", "refs.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &std::fs::read_to_string(db.papers().join("uber-safety.yaml")).unwrap(),
        "title: \"Über Safety: Attacks\"\nkind: attack\ndate: 2025-03\nauthors:\n- Anna Müller\narxiv: \"2503.00007\"\n",
    );
}

#[test]
fn kind_is_refused_for_a_markdown_import() {
    let db = two_papers();
    markdown_list(&db);
    let run = db.run(&["import", "--kind", "attack", "list.md"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: --kind and --stage apply to BibTeX and CSL-JSON; a Markdown list takes its kinds from its headings (see --map)\n",
    );
}

#[test]
fn bibtex_format_can_be_forced_on_any_extension() {
    let db = two_papers();
    std::fs::write(
        db.root().join("refs.txt"),
        "@article{x,\n  title = {Forced Format},\n  year = {2023},\n  url = {https://example.org/forced}\n}\n",
    )
    .unwrap();
    let run = db.run(&[
        "import", "--format", "bibtex", "--kind", "analysis", "refs.txt",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &std::fs::read_to_string(db.papers().join("forced-format.yaml")).unwrap(),
        "title: Forced Format\nkind: analysis\ndate: \"2023\"\npaper: https://example.org/forced\n",
    );
}
