#![allow(unreachable_pub)] // test helpers are shared between modules of this one crate
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic in a test is a failed test
#![allow(clippy::disallowed_macros)] // tests may print; the binary goes through cmd::say

//! hftlist's integration tests: each module runs the built binary on a database made for the
//! test, and checks stdout, stderr and the exit code.

// A small database under construction in a temp folder, and the command runner.
mod util;

// `hftlist validate`: one failing and one passing case per rule, output formats, exit codes.
mod validate;

// Hostile and broken files: each gets its own exact diagnostic, nothing panics.
mod bad_inputs;

// Local http, https and proxy servers for the network tests.
mod server;

// `hftlist add`, against a local fake of the arXiv API.
mod add;

// `hftlist fmt`: records in canonical form.
mod fmt;

// The network edge: TLS trust, endpoints, redirects, proxies, the cache, --offline.
mod net;

// The OpenReview, DBLP and Crossref clients, called as a library against local servers.
mod sources;

// `hftlist refresh`, and `add` from a DOI or an OpenReview forum, against a stand-in of the
// four services.
mod refresh;

// `hftlist links`: every case of a link against a local routing server.
mod links;

// `hftlist import`: Markdown lists into records.
mod import;

// `hftlist query`.
mod query;

// `hftlist export` and `query --format bibtex`: citations read back by independent parsers.
mod export;

// `hftlist render`: the generated README.
mod render;

// Issue 12: hostile files from a pull request (links, FIFOs, control characters, templates),
// safe writes, no panics, portable names.
mod security;

// Failed writes leave everything as it was.
mod no_data_loss;

// Properties over generated records and databases (proptest).
mod properties;

// The near-duplicate detector on a synthetic database.
mod scale;

// The near-duplicate rules from the command line: similar titles and shared identities.
mod near_duplicates;

// The bundled database: it validates, and every record is in canonical form.
mod data;

// `hftlist site`: the files, `--check`, escaping, and the page's data against `query`.
mod site;

// A small WebDriver client for headless Chromium (chromedriver on 127.0.0.1).
mod webdriver;

// The site in a real browser: search, filters, shared URLs, cite, phone width, speed.
mod browser;

// `hftlist completions` and `hftlist man`.
mod completions;

// Values in any case, finding the database, colour, --quiet and --verbose.
mod conventions;

// `hftlist init`.
mod init;

// `hftlist rename` and `hftlist remove`.
mod rename;

// `hftlist build`.
mod build;

// `hftlist validate FILE...` and `--format github`.
mod validate_files;

// `hftlist import` of BibTeX and CSL-JSON.
mod import_bib;

// The papercuts of issue 17.
mod papercuts;

// The repository's hooks, CI, documented commands and licences.
mod repo;
