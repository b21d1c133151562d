//! The query argument parser: any arguments give a query or a usage error, never a panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use clap::Parser;
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
    // Arguments are separated by NUL, as a shell would pass them.
    let mut args = vec!["hftlist", "query"];
    args.extend(text.split('\0'));
    let Ok(cli) = hftlist::cli::Cli::try_parse_from(&args) else {
        return;
    };
    if let hftlist::cli::Command::Query(query) = cli.command {
        let _ = query.filters.query(&list().registry);
    }
    for word in text.split('\0') {
        let _ = word.parse::<hftlist::catalog::query::YearRange>();
        let _ = word.parse::<hftlist::model::date::PartialDate>();
        let _ = hftlist::catalog::query::VenueFilter::parse(word, &list().registry);
    }
});
