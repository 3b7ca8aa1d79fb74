//! Changes to the files staff keep, made for them by commands (`gazette list …`,
//! `gazette new …`, `gazette enterprise …`) so that a quarter needs no hand-edited TOML.
//! Every change keeps the rest of the file as it was (comments, order, other values:
//! `toml_edit`), is made under the data lock on a fresh read of the file, is checked as
//! `gazette check` would before it is written, and replaces the file in one rename. What
//! makes no sense is refused with the reason and a way forward; nothing is written then.

pub mod calendar;
pub mod changes;
pub mod list;
pub mod notice;

use chrono::{Datelike, NaiveDate};
use toml_edit::{value, Datetime, Item};

/// A TOML date value.
fn date_item(d: NaiveDate) -> Item {
    value(Datetime {
        date: Some(toml_edit::Date {
            year: d.year() as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    })
}
