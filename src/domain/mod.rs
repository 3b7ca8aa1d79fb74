//! Pure domain helpers: no I/O, so they are easy to test and reuse.

pub mod credit_code;
pub mod datefmt;
pub mod honour;
pub mod numerals;
pub(crate) mod phone;
pub(crate) mod publicity;
pub mod repeat;
pub(crate) mod text;
pub(crate) mod url;
pub(crate) mod workdays;
