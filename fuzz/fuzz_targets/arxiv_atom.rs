//! The arXiv Atom parser: any answer gives a record or an error, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let id: hftlist::model::ident::ArxivId = "2501.17433".parse().expect("a valid id");
    if let Ok(record) = hftlist::sources::arxiv::parse_feed(text, &id) {
        assert!(!record.title.is_empty());
        assert_eq!(record.title, record.title.split_whitespace().collect::<Vec<_>>().join(" "));
    }
});
