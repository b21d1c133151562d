//! The README renderer on any template: never a panic or a hang, and whatever the template
//! does, its work is bounded (fuel) and its output is at most `MAX_OUTPUT` bytes; an error names
//! the template file. A template with no template syntax renders to itself.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn db() -> &'static hftlist::store::db::Db {
    static DB: OnceLock<hftlist::store::db::Db> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/good");
        hftlist::store::db::Db::load(&dir).expect("the fixture database loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(template) = std::str::from_utf8(data) else {
        return;
    };
    let name = "fuzz/README.template.md";
    let options = hftlist::views::render::Options::default();
    match hftlist::views::render::render_named(db(), name, template, options) {
        Ok(out) => {
            assert!(out.len() <= hftlist::views::render::MAX_OUTPUT);
            if !template.contains(['{', '}', '%', '#']) {
                assert_eq!(out, template, "a template without syntax must render to itself");
            }
        }
        Err(e) => {
            let message = format!("{e:#}");
            assert!(message.contains(name), "the error does not name the template: {message}");
        }
    }
});
