//! One module per subcommand: each loads what it needs, calls the library and returns the exit
//! code; none of them parses or checks data itself.

pub mod add;
pub mod import;
pub mod query;
pub mod render;
pub mod validate;
