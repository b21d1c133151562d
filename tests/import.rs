use crate::util::{TestDb, assert_text};

const SNAPSHOT: &str = include_str!("fixtures/awesome-hft-entries.md");

fn with_markdown(md: &str) -> TestDb {
    let db = TestDb::new();
    std::fs::write(db.root().join("list.md"), md).unwrap();
    db
}

fn read(db: &TestDb, id: &str) -> String {
    std::fs::read_to_string(db.papers().join(format!("{id}.yaml"))).unwrap()
}

#[test]
fn both_label_styles_and_wrapped_items() {
    let db = with_markdown(
        "### Attacks\n\
         - [2024/2/2] **Vaccine: Label Style One** *NeurIPS2024* [[paper](https://arxiv.org/abs/2402.01109v2)] [[code](https://github.com/git-disl/Vaccine)]\n\
         - [2025/02/20] **Fundamental Limitations: Label Style Two**\n\
         *arXiv* [[paper]](https://arxiv.org/pdf/2502.14828) [[Openreview]](https://openreview.net/forum?id=tTPHgb0EtV) [[repo]](https://github.com/a/b)\n",
    );
    let run = db.run(&["import", "list.md"]);
    assert_text(
        &run.stderr,
        "list.md:2: wrote papers/vaccine.yaml\n\
         list.md:3: wrote papers/fundamental-limitations.yaml\n\
         read 2 entries: wrote 2, skipped 0 duplicates, 0 could not be parsed\n",
    );
    assert_eq!(run.code, 0);
    assert_text(
        &read(&db, "vaccine"),
        "title: \"Vaccine: Label Style One\"\nkind: attack\ndate: \"2024-02-02\"\nvenue: NeurIPS 2024\narxiv: \"2402.01109\"\ncode: https://github.com/git-disl/Vaccine\n",
    );
    assert_text(
        &read(&db, "fundamental-limitations"),
        "title: \"Fundamental Limitations: Label Style Two\"\nkind: attack\ndate: \"2025-02-20\"\narxiv: \"2502.14828\"\nopenreview: tTPHgb0EtV\ncode: https://github.com/a/b\n",
    );
    assert_eq!(db.run(&["validate"]).code, 0);
}

#[test]
fn unknown_venues_are_kept_and_reported_and_validate_flags_them() {
    let db = with_markdown(
        "### Interpretability Study\n\
         - [2025/5/20] **Safety Subspaces** *ICLR20206 submission* [[paper](https://arxiv.org/pdf/2505.14185)]\n",
    );
    let db = {
        // The fixture list has no Interpretability Study section: map it.
        let run = db.run(&[
            "import",
            "list.md",
            "--map",
            "Interpretability Study=analysis",
        ]);
        assert_text(
            &run.stderr,
            "list.md:2: note: venue `ICLR20206 submission` is not in the registry: kept as written\n\
             list.md:2: wrote papers/safety-subspaces.yaml\n\
             read 1 entries: wrote 1, skipped 0 duplicates, 0 could not be parsed\n",
        );
        db
    };
    assert!(read(&db, "safety-subspaces").contains("venue: ICLR20206 submission\n"));
    let run = db.run(&["validate"]);
    assert!(
        run.stdout
            .contains("error[unknown-venue]: venue `ICLR20206 submission`"),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
}

#[test]
fn unparseable_items_are_reported_not_dropped() {
    let db = with_markdown(
        "### Attacks\n\
         - [2024/2/30] **Impossible Date** [[paper](https://arxiv.org/abs/2402.01109)]\n\
         - [2024/3/1] no bold title here [[paper](https://arxiv.org/abs/2403.00001)]\n\
         ### Unknown Heading\n\
         - [2024/3/1] **Somewhere Else** [[paper](https://arxiv.org/abs/2403.00002)]\n\
         - an undated item is not an entry\n",
    );
    let run = db.run(&["import", "list.md"]);
    assert_text(
        &run.stderr,
        "list.md:2: error: cannot import this entry: date `[2024/2/30]`: `2024-02-30` is not a day of the calendar\n\
         list.md:3: error: cannot import this entry: no bold title\n\
         list.md:5: error: cannot import this entry: heading `Unknown Heading` is not a section of list.yaml: map it with --map 'Unknown Heading=KIND[/STAGE][+TAG]'\n\
         read 3 entries: wrote 0, skipped 0 duplicates, 3 could not be parsed\n",
    );
    assert_eq!(run.code, 1);
}

#[test]
fn a_title_listed_twice_is_written_once() {
    let db = with_markdown(
        "### Attacks\n\
         - [2024/2/2] **Same Paper** *arXiv* [[paper](https://arxiv.org/abs/2402.01109)]\n\
         - [2024/10/8] **Same paper** *preprint* [[paper](https://openreview.net/forum?id=tTPHgb0EtV)]\n",
    );
    let run = db.run(&["import", "list.md"]);
    assert_text(
        &run.stderr,
        "list.md:2: wrote papers/same-paper.yaml\n\
         list.md:3: skipped `Same paper`: same title as `same-paper`\n\
         read 2 entries: wrote 1, skipped 1 duplicates, 0 could not be parsed\n",
    );
    assert_eq!(run.code, 0);
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let db = with_markdown(
        "### Attacks\n- [2024/2/2] **A Paper** [[paper](https://arxiv.org/abs/2402.01109)]\n",
    );
    assert_eq!(db.run(&["import", "list.md"]).code, 0);
    let before = read(&db, "a-paper");
    let run = db.run(&["import", "list.md"]);
    assert_text(
        &run.stderr,
        "list.md:2: skipped `A Paper`: same arXiv id as `a-paper`\n\
         read 1 entries: wrote 0, skipped 1 duplicates, 0 could not be parsed\n",
    );
    assert_eq!(read(&db, "a-paper"), before);
    assert_eq!(std::fs::read_dir(db.papers()).unwrap().count(), 2);
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let db = with_markdown(
        "### Attacks\n- [2024/2/2] **A Paper** [[paper](https://arxiv.org/abs/2402.01109)]\n",
    );
    // A file with the id the import would choose, but not a valid record (so not recognised).
    db.file("a-paper.yaml", "keep: me\n");
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&db, "a-paper"), "keep: me\n");
    assert!(read(&db, "a-paper-2").starts_with("title: A Paper\n"));
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let db = with_markdown(
        "### Attacks\n- [2024/2/2] **A Paper** *ICLR 2025* [[paper](https://arxiv.org/abs/2402.01109)]\n",
    );
    let run = db.run(&["import", "list.md", "--dry-run"]);
    assert_text(
        &run.stdout,
        "# papers/a-paper.yaml\ntitle: A Paper\nkind: attack\ndate: \"2024-02-02\"\nvenue: ICLR 2025\narxiv: \"2402.01109\"\n\n",
    );
    assert_text(
        &run.stderr,
        "read 1 entries: would write 1, skipped 0 duplicates, 0 could not be parsed\n",
    );
    assert_eq!(std::fs::read_dir(db.papers()).unwrap().count(), 1);
}

#[test]
fn the_whole_snapshot_is_accounted_for() {
    let db = TestDb::new();
    std::fs::copy("papers/list.yaml", db.papers().join("list.yaml")).unwrap();
    std::fs::write(db.root().join("list.md"), SNAPSHOT).unwrap();
    let run = db.run(&[
        "import",
        "list.md",
        "--map",
        "Attacks and Defenses for Federated Fine-tuning=attack+federated",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.stderr.lines().last().unwrap();
    assert_eq!(
        summary,
        "read 175 entries: wrote 173, skipped 2 duplicates, 0 could not be parsed"
    );
    // Every title of the snapshot is in the database, under its normalised form.
    let loaded = hftlist::store::db::Db::load(&db.papers()).unwrap();
    assert_eq!(loaded.entries.len(), 173);
    let titles: std::collections::HashSet<String> = loaded
        .entries
        .iter()
        .map(|e| hftlist::model::paper::normalize_title(&e.paper.title))
        .collect();
    for item in hftlist::import::parse(SNAPSHOT) {
        assert!(
            titles.contains(&hftlist::model::paper::normalize_title(&item.title)),
            "missing: {}",
            item.title
        );
    }
    // And the bundled database holds every one of them too, by identity (the audit corrected
    // titles, so an entry is found by its arXiv id, OpenReview id, DOI, link or title), but for
    // the three the audit removed as out of scope.
    let bundled = TestDb::empty();
    for file in std::fs::read_dir("papers").unwrap() {
        let path = file.unwrap().path();
        std::fs::copy(&path, bundled.papers().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(bundled.root().join("list.md"), SNAPSHOT).unwrap();
    let run = bundled.run(&[
        "import",
        "--dry-run",
        "list.md",
        "--map",
        "Attacks and Defenses for Federated Fine-tuning=attack+federated",
    ]);
    assert_eq!(
        run.stderr.lines().last().unwrap(),
        "read 175 entries: would write 3, skipped 172 duplicates, 0 could not be parsed",
        "{}",
        run.stderr
    );
    let mut written: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("arxiv: "))
        .collect();
    written.sort_unstable();
    // Paraphrase robustness, noisy labels, CLIP concept forgetting (see the commit removing them).
    assert_eq!(
        written,
        ["\"2308.13320\"", "\"2412.14922\"", "\"2503.01345\""],
        "{}",
        run.stdout
    );
}

#[test]
fn a_nearly_identical_title_is_named_and_still_imported() {
    let db = with_markdown(
        "### Attacks\n\
         - [2024/2/2] **Vaccine: Perturbation-aware Alignment aginst Harmful Fine-tuning** *arXiv* [[paper](https://arxiv.org/abs/2402.01110)]\n",
    );
    db.file(
        "vaccine.yaml",
        "title: \"Vaccine: Perturbation-aware Alignment against Harmful Fine-tuning\"\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
    );
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "list.md:2: warning: `Vaccine: Perturbation-aware Alignment aginst Harmful Fine-tuning` \
             is nearly the same title as that of `papers/vaccine.yaml`: if they are one paper, keep \
             one record\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("wrote 1,"), "{}", run.stderr);
}
