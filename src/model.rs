//! The model: pure types parsed once, with no I/O. A paper record and its fields (identifiers,
//! dates, links), the list settings (sections, the venue registry), and diagnostics as data.
//! Every other layer speaks in these types.

pub mod date;
pub mod diag;
pub mod ident;
pub mod link;
pub mod list;
pub mod name;
pub mod paper;
pub mod sanitize;
pub mod venue;
