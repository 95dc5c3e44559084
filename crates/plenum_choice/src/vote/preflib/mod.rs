//! PrefLib's ordinal files: `.soc`, `.soi`, `.toc` and `.toi` (<https://preflib.org/format>), the
//! format of the largest public library of real preference data.
//!
//! A file is a header of `# KEY: value` lines, then one line per distinct order,
//! `count: a,b,{c,d},e`: `count` voters ranked alternative `a` first, then `b`, then `c` and `d`
//! tied, then `e`. Alternatives are numbered from 1 in files and from 0 in [`Election`].
//!
//! What [`read`] makes of a file:
//!
//! - **Header**: `TITLE` becomes [`Election::title`], `ALTERNATIVE NAME i` the names; `DATA TYPE`
//!   and the three `NUMBER …` lines are checked against the orders and not kept (they follow from
//!   the orders); every other line is kept in [`Election::metadata`]: first the standard keys
//!   that have a value (`FILE NAME`, `DESCRIPTION`, `MODIFICATION TYPE`, `RELATES TO`,
//!   `RELATED FILES`, `PUBLICATION DATE`, `MODIFICATION DATE`) in PrefLib's order, then any other
//!   key in file order. An empty value of a standard key (`# DESCRIPTION: `) or of `TITLE` is
//!   the same as no line. Values and names are trimmed and otherwise kept as written (the
//!   Minneapolis files name `"Nancy Bernard"`, quotes included).
//! - **Required**: `NUMBER ALTERNATIVES` and one `ALTERNATIVE NAME i` for each alternative.
//!   `NUMBER VOTERS` and `NUMBER UNIQUE ORDERS` are checked when present (the counts must add up
//!   to the first, the order lines must number the second).
//! - **Data type**: the content must fit the `DATA TYPE`: `soc` strict and complete orders,
//!   `soi` strict ones, `toc` complete ones, `toi` anything. The file name's extension, when it is
//!   one of the four, must agree with `DATA TYPE`: a program that trusts the extension (as
//!   preflibtools does) would otherwise misread the file. Without `DATA TYPE` the extension takes
//!   its place; with neither, the orders are read as `toi`. [`DataType::of`] gives the narrowest
//!   type of an election's orders.
//! - **Tolerated**: a UTF-8 byte-order mark; `\n`, `\r\n` and `\r` line endings; blank lines
//!   anywhere; blanks around keys, values, counts, alternatives and punctuation; a tie of one
//!   (`{3}`, the same as `3`); the same order on two lines (kept as two ballots, as the counts
//!   still add up).
//! - **Refused** (a [`ReadError`] with file, line and column): invalid UTF-8; a header line that
//!   is not `# KEY: value`, or that comes after the orders began; a standard key, a
//!   `NUMBER …` or an `ALTERNATIVE NAME i` twice; an
//!   unknown `DATA TYPE`; a malformed or missing number; an alternative out of range, or twice in
//!   one order; an empty tie `{}` or one never closed; a count of 0; orders that do not fit the
//!   data type; counts or lines that disagree with the header; the format before 2022 (a first
//!   line holding the number of alternatives), which PrefLib no longer publishes.
//!
//! [`write()`] writes PrefLib's layout: the nine standard header lines (empty when unknown), the
//! counts, the names, then the orders as `count: a,b,{c,d}`. So `read(write(read(x))) ==
//! read(x)`, and a file in PrefLib's own layout, written with its own data type, comes back byte
//! for byte (all 41 reference files do).

mod read;
mod write;

use std::fmt;

use super::Election;
use super::ballot::Rankings;
pub use super::file::{ReadError, WriteError};

pub use write::write;

/// Reads a PrefLib file held in memory. `file_name` is how errors name the file, and its
/// extension is checked against the `DATA TYPE` (see the [module documentation](self)).
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Election, ReadError> {
    read::read(file_name, bytes)
}

/// Reads a PrefLib file from `reader`, refusing it before parsing if it is longer than `limit`
/// bytes, so that a hostile upload cannot make the reader hold more than `limit + 1` bytes.
pub fn read_from(file_name: &str, reader: impl std::io::Read, limit: u64) -> Result<Election, ReadError> {
    read(file_name, &super::file::read_limited(file_name, reader, limit)?)
}

/// The four kinds of PrefLib ordinal file: whether orders may have ties, and whether they rank
/// every alternative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    /// Strict orders, complete: every ballot ranks every alternative, no ties.
    Soc,
    /// Strict orders, incomplete: ballots may rank only some alternatives, no ties.
    Soi,
    /// Orders with ties, complete.
    Toc,
    /// Orders with ties, incomplete: any ranking.
    Toi,
}

impl DataType {
    /// All four, from the narrowest.
    pub const ALL: [DataType; 4] = [DataType::Soc, DataType::Soi, DataType::Toc, DataType::Toi];

    /// The type a `DATA TYPE` value or a file extension names (`soc`, `soi`, `toc`, `toi`, in
    /// any case).
    #[must_use]
    pub fn parse(text: &str) -> Option<DataType> {
        DataType::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(text))
    }

    /// The type a file name's extension names, if it is one of the four.
    #[must_use]
    pub fn of_file_name(file_name: &str) -> Option<DataType> {
        let (_, extension) = file_name.rsplit_once('.')?;
        DataType::parse(extension)
    }

    /// The name in files and extensions: `soc`, `soi`, `toc` or `toi`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DataType::Soc => "soc",
            DataType::Soi => "soi",
            DataType::Toc => "toc",
            DataType::Toi => "toi",
        }
    }

    /// Whether orders of this type have no ties.
    #[must_use]
    pub fn is_strict(self) -> bool {
        matches!(self, DataType::Soc | DataType::Soi)
    }

    /// Whether orders of this type rank every alternative.
    #[must_use]
    pub fn is_complete(self) -> bool {
        matches!(self, DataType::Soc | DataType::Toc)
    }

    /// Whether every order of `rankings` is of this type.
    #[must_use]
    pub fn fits(self, rankings: &Rankings) -> bool {
        let m = rankings.alternatives();
        rankings.iter().all(|r| (!self.is_strict() || !r.has_ties()) && (!self.is_complete() || r.alternatives.len() == m))
    }

    /// The narrowest type that `rankings` fit.
    #[must_use]
    pub fn of(rankings: &Rankings) -> DataType {
        DataType::ALL.into_iter().find(|t| t.fits(rankings)).unwrap_or(DataType::Toi)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The standard header keys PrefLib writes, in its order, that [`read`] keeps in
/// [`Election::metadata`] (`TITLE` and `DATA TYPE` are in this order too, but have their own place).
const STANDARD_KEYS: [&str; 9] = [
    "FILE NAME",
    "TITLE",
    "DESCRIPTION",
    "DATA TYPE",
    "MODIFICATION TYPE",
    "RELATES TO",
    "RELATED FILES",
    "PUBLICATION DATE",
    "MODIFICATION DATE",
];

const TITLE: &str = "TITLE";
const DATA_TYPE: &str = "DATA TYPE";
const NUMBER_ALTERNATIVES: &str = "NUMBER ALTERNATIVES";
const NUMBER_VOTERS: &str = "NUMBER VOTERS";
const NUMBER_UNIQUE_ORDERS: &str = "NUMBER UNIQUE ORDERS";
const ALTERNATIVE_NAME: &str = "ALTERNATIVE NAME";

/// Whether `key` is one the reader gives a meaning of its own (so it never lands in metadata).
fn is_reserved(key: &str) -> bool {
    [TITLE, DATA_TYPE, NUMBER_ALTERNATIVES, NUMBER_VOTERS, NUMBER_UNIQUE_ORDERS].contains(&key)
        || key.starts_with(ALTERNATIVE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_narrowest_type_is_found() {
        let mut r = Rankings::new(3).unwrap();
        assert_eq!(DataType::of(&r), DataType::Soc);
        r.push(1, &[vec![0], vec![1], vec![2]]).unwrap();
        assert_eq!(DataType::of(&r), DataType::Soc);
        r.push(1, &[vec![0], vec![1, 2]]).unwrap();
        assert_eq!(DataType::of(&r), DataType::Toc);
        r.push(1, &[vec![0]]).unwrap();
        assert_eq!(DataType::of(&r), DataType::Toi);
        assert!(!DataType::Soi.fits(&r));
    }

    #[test]
    fn extensions_name_types_in_any_case() {
        assert_eq!(DataType::of_file_name("data/00001-00000002.SOI"), Some(DataType::Soi));
        assert_eq!(DataType::of_file_name("upload.txt"), None);
        assert_eq!(DataType::of_file_name("soc"), None);
    }
}
