//! The YAML record loader: any bytes give diagnostics or a paper, never a panic or a hang; the
//! fast path for canonical records agrees with serde-saphyr on every input; a paper that loads
//! saves to text that loads back to the same paper.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("x.yaml");
    let loaded = hftlist::store::db::parse_record(path, text);
    assert_eq!(loaded, hftlist::store::db::parse_record_full(path, text), "the fast path disagrees");
    let (paper, _, diagnostics) = loaded;
    if let Some(paper) = paper {
        let saved = hftlist::store::db::to_yaml(&paper).expect("a loaded paper saves");
        let (again, _, _) = hftlist::store::db::parse_record(path, &saved);
        assert_eq!(again.as_ref(), Some(&paper), "save -> load changed the paper:\n{saved}");
    } else {
        assert!(!diagnostics.is_empty(), "a file that does not load must say why");
    }
});
