//! The Markdown importer: any text is read into items and each item is imported or reported,
//! never a panic; every record it builds saves and loads back unchanged.
#![no_main]

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use hftlist::import::{Importer, Outcome};
use libfuzzer_sys::fuzz_target;

fn list() -> &'static hftlist::model::list::List {
    static LIST: OnceLock<hftlist::model::list::List> = OnceLock::new();
    LIST.get_or_init(|| {
        hftlist::store::db::parse_list(Path::new("list.yaml"), include_str!("../../papers/list.yaml"))
            .expect("the bundled list.yaml is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut importer = Importer::new(list(), HashMap::new());
    for item in hftlist::import::parse(text) {
        if let Outcome::New { paper, .. } = importer.take(&item) {
            let saved = hftlist::store::db::to_yaml(&paper).expect("an imported paper saves");
            let (again, _, diagnostics) = hftlist::store::db::parse_record(Path::new("x.yaml"), &saved);
            assert_eq!(again.as_ref(), Some(&*paper), "{diagnostics:?}\n{saved}");
        }
    }
});
