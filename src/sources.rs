//! The only network code: one module per metadata service.

pub mod arxiv;
