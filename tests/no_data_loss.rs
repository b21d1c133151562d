//! Every write goes through a temporary file and a rename. A write that fails midway (here: the
//! file size limit of `ulimit -f`, with SIGXFSZ ignored so the write returns EFBIG) must leave
//! the database and the README as they were, leave no temporary file behind, and say what failed.

use std::path::Path;
use std::process::Command;

use crate::util::{TestDb, assert_text};

/// Runs hftlist under `ulimit -f 1` (files of at most one 512- or 1024-byte block).
fn run_limited(db: &TestDb, args: &[&str]) -> (String, i32) {
    let bin = assert_cmd::cargo::cargo_bin("hftlist");
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"")
        .arg(bin)
        .args(args)
        .current_dir(db.root())
        .env_remove("HFTLIST_DB")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".hftlist-"))
        .collect()
}

fn long_title() -> String {
    format!("A Title {}", "Very Long ".repeat(150))
        .trim()
        .to_owned()
}

#[test]
fn a_failed_render_keeps_the_old_readme() {
    let db = TestDb::new();
    db.file("README.template.md", "{{ sections }}\n");
    db.file(
        "a.yaml",
        format!(
            "title: {}\nkind: attack\ndate: \"2024\"\ndoi: 10.1145/3712003\n",
            long_title()
        ),
    );
    std::fs::write(db.root().join("README.md"), "the old README\n").unwrap();
    let (stderr, code) = run_limited(&db, &["render", "-o", "README.md"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("hftlist: error: cannot write `README.md`: "),
        "{stderr}"
    );
    assert_text(
        &std::fs::read_to_string(db.root().join("README.md")).unwrap(),
        "the old README\n",
    );
    assert!(
        leftovers(db.root()).is_empty(),
        "{:?}",
        leftovers(db.root())
    );
}

#[test]
fn a_failed_import_keeps_what_was_written_and_nothing_half_written() {
    let db = TestDb::new();
    let md = format!(
        "### Attacks\n- [2024/1/1] **Short** [[paper](https://arxiv.org/abs/2401.00001)]\n\
         - [2024/1/2] **{}** [[paper](https://arxiv.org/abs/2401.00002)]\n",
        long_title()
    );
    std::fs::write(db.root().join("list.md"), md).unwrap();
    let (stderr, code) = run_limited(&db, &["import", "list.md"]);
    // The entry that cannot be written is reported, and the import goes on.
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("list.md:2: wrote papers/short.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "list.md:3: error: cannot write this entry: cannot write `papers/a-title-very-long-very.yaml`: "
        ),
        "{stderr}"
    );
    assert!(leftovers(&db.papers()).is_empty());
    assert!(!db.papers().join("a-title-very-long-very.yaml").exists());
    // Without the limit, the same import completes: the first paper is recognised, the second written.
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("read 2 entries: wrote 1, skipped 1 duplicates, 0 could not be parsed\n"),
        "{}",
        run.stderr
    );
    assert_eq!(db.run(&["validate"]).code, 0);
}

#[test]
fn a_failed_add_writes_nothing() {
    let db = TestDb::new();
    let title = long_title();
    let (stderr, code) = run_limited(
        &db,
        &[
            "add",
            "--kind",
            "attack",
            "--title",
            &title,
            "--date",
            "2024-01-02",
            "--doi",
            "10.1145/3712003",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("hftlist: error: cannot write `papers/a-title-very-long-very.yaml`: "),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(db.papers()).unwrap().count(),
        1,
        "only list.yaml"
    );
}

#[test]
fn import_never_overwrites_and_says_so() {
    let db = TestDb::new();
    std::fs::write(
        db.root().join("list.md"),
        "### Attacks\n- [2024/1/1] **Short** [[paper](https://arxiv.org/abs/2401.00001)]\n",
    )
    .unwrap();
    // A directory where the record would go: the rename must fail, not replace it.
    std::fs::create_dir(db.papers().join("short.yaml")).unwrap();
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("wrote papers/short-2.yaml"),
        "{}",
        run.stderr
    );
    assert!(db.papers().join("short.yaml").is_dir());
}
