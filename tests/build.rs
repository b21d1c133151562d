//! `hftlist build`: every generated file in one step, and `--check`.

use crate::util::two_papers;

#[test]
fn build_writes_the_readme_and_the_chart_the_template_shows() {
    let db = two_papers();
    db.file(
        "README.template.md",
        "# {{ title }}\n\n![chart](docs/papers-per-year.svg)\n\n{{ sections }}\n",
    );
    std::fs::create_dir(db.root().join("docs")).unwrap();
    let run = db.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(db.root().join("README.md").exists());
    let chart = std::fs::read_to_string(db.root().join("docs/papers-per-year.svg")).unwrap();
    assert!(chart.starts_with("<svg"), "{chart}");
    assert_eq!(db.run(&["build", "--check"]).code, 0);
    // The same files as `render` and `stats --svg` write: their own checks agree.
    assert_eq!(db.run(&["render", "--check", "README.md"]).code, 0);
    assert_eq!(
        db.run(&["stats", "--svg", "docs/papers-per-year.svg", "--check"])
            .code,
        0
    );
}

#[test]
fn build_check_fails_on_a_stale_chart() {
    let db = two_papers();
    db.file(
        "README.template.md",
        "# {{ title }}\n\n![chart](docs/papers-per-year.svg)\n",
    );
    std::fs::create_dir(db.root().join("docs")).unwrap();
    assert_eq!(db.run(&["build"]).code, 0);
    db.file(
        "new.yaml",
        "title: Another\nkind: attack\ndate: \"2025\"\narxiv: \"2501.00001\"\n",
    );
    std::fs::write(db.root().join("README.md"), db.run(&["render"]).stdout).unwrap();
    let run = db.run(&["build", "--check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("papers-per-year.svg` is not current"),
        "{}",
        run.stderr
    );
}

#[test]
fn build_leaves_out_a_chart_the_template_does_not_show() {
    let db = two_papers();
    db.file("README.template.md", "# {{ title }}\n");
    assert_eq!(db.run(&["build"]).code, 0);
    assert!(!db.root().join("docs").exists());
}
