//! The bundled database `papers/`: it must validate, and every record must already be in the
//! canonical form that `add` and `import` write, so load -> save changes no byte.

use std::path::Path;

#[test]
fn bundled_papers_validate_without_errors() {
    let catalog = hftlist::catalog::Catalog::load(Path::new("papers")).unwrap();
    let diagnostics = hftlist::checks::lint::check(&catalog, hftlist::checks::lint::today());
    let db = catalog.db();
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == hftlist::model::diag::Severity::Error)
        .map(|d| d.human())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(db.entries.len(), db.files, "every record file loads");
}

#[test]
fn bundled_papers_are_canonical() {
    let db = hftlist::store::db::Db::load(Path::new("papers")).unwrap();
    for entry in &db.entries {
        let on_disk = std::fs::read_to_string(&entry.path).unwrap();
        let saved = hftlist::store::db::to_yaml(&entry.paper).unwrap();
        assert!(
            on_disk == saved,
            "{} is not canonical; it would be saved as:\n{saved}",
            entry.path.display()
        );
    }
}
