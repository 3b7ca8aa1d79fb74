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

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::diag::{Diagnostic, Diagnostics};
use crate::store;
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

/// The data lock (the one list files are written under), or the diagnostic of why it
/// cannot be taken.
fn lock(root: &Path, on_wait: &dyn Fn()) -> Result<store::DataLock, Diagnostics> {
    crate::lists::write::lock(root, on_wait).map_err(one)
}

/// One refusal, as the set of diagnostics a command returns.
fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::new();
    ds.push(d);
    ds
}

/// Writes `text` to `rel` in one rename: replacing the file, or creating it only if it
/// still does not exist; `error` says what went wrong in the command's words.
fn write(
    root: &Path,
    rel: &Path,
    text: &str,
    replace: bool,
    error: fn(&Path, &std::io::Error) -> Diagnostic,
) -> Result<(), Diagnostics> {
    let target = root.join(rel);
    let done = if replace {
        store::replace(&target, text)
    } else {
        store::create_new(&target, text)
    };
    done.map_err(|e| {
        let mut d = Diagnostics::new();
        d.push(error(rel, &e));
        d
    })
}
