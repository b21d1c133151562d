//! The store: the only code that touches YAML and the database folder. It loads records (never
//! stopping at a bad one), and creates or rewrites them atomically in canonical form; and finds
//! which database folder a run uses.

pub mod atomic;
pub mod db;
pub mod input;
pub mod locate;
pub mod lock;
