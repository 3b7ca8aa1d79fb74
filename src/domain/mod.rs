//! Pure domain helpers: no I/O, so they are easy to test and reuse.

pub mod credit_code;
pub mod datefmt;
pub mod phone;
pub mod publicity;
pub mod text;
pub mod url;
pub mod workdays;
