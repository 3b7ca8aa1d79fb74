//! The files staff edit, in the shapes they are written (serde): the raw layer of the
//! pipeline. Every table denies unknown keys, so that a misspelt key is an error, not a
//! silently ignored setting; values that `validate` checks keep their span. Nothing here
//! depends on the checked model: `validate` turns these shapes into `model`.

pub mod calendar;
pub mod changes;
pub(crate) mod deploy;
pub mod districts;
pub mod list;
pub mod notice;
pub(crate) mod page;
pub mod programme;
pub mod site;
