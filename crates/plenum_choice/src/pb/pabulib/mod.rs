//! The Pabulib `.pb` file format: reading and writing.
//!
//! The format is what pabulib.org/format describes and what the real corpus, pabutools 1.2.3
//! and pabulib's checker make of it (see `FORMATS.md` in the reference notes). [`read`] is
//! strict where a mistake would change a tally and tolerant where the reference tools are:
//!
//! - **Tolerated**: a UTF-8 byte-order mark; `\n`, `\r\n` and lone `\r` line endings, mixed; no
//!   final line break; blank lines anywhere; section markers in any case with blanks around
//!   them; cells with blanks around them (trimmed); CSV quoting with doubled `""`, a `"` in the
//!   middle of an unquoted cell, text after a closing quote, quoted cells spanning lines (all
//!   as Python's `csv.reader(delimiter=";")`); decimal costs and budget (`200000.0`, exact), a
//!   decimal comma (`1,5` is 1.5, as pabutools reads it) and exact fractions `p/q`; `None`
//!   (any case) as an absent cell; empty votes (an empty ballot); a project named twice in one
//!   vote (kept twice in [`Voter::vote`](crate::pb::Voter::vote): what a repeat means is the ballots' business);
//!   extra columns (kept in `fields`); trailing empty cells past the header; the sentinel cost
//!   `999999999` (kept).
//! - **Refused** (a [`ReadError`] with file, line and column): invalid UTF-8; sections missing,
//!   repeated or out of order; data before `META`; a `META` header other than `key;value`; a
//!   header whose first column is not `project_id`/`voter_id`, with no `cost`/`vote` column,
//!   an empty or repeated column name; an empty or repeated `META` key; an empty, `None` or
//!   repeated project or voter id; a project id with a comma (it could not be voted for); non-empty cells past the header; a missing, malformed or
//!   negative budget or cost; a missing or unknown `vote_type`; a vote naming a project that is
//!   not in `PROJECTS`; malformed points, or points not aligned with the vote; a non-empty
//!   cumulative or scoring vote without points; a quote never closed; a cell longer than
//!   Python's csv limit (131,072 characters).
//!
//! Deliberate choices where the reference tools disagree or fail:
//! - A line break inside a quoted cell is kept as `\n` (as pabulib's checker reads it);
//!   pabutools, which splits lines first, would glue the two lines together. Only `\n`, `\r\n`
//!   and `\r` end lines (pabutools' `splitlines` also splits on form feeds and U+2028; the
//!   checker does not).
//! - Vote items are trimmed (`1, 2` names projects `1` and `2`; pabutools would look for `" 2"`
//!   and fail; the checker reports the blanks, see [`crate::pb::check`]). Empty items are
//!   skipped (`1,,2`) unless the voter has points, which must line up with them.
//! - Points on approval and choose-1 ballots (which the format forbids) are kept in
//!   [`Voter::points`](crate::pb::Voter::points) when well formed, so nothing in the file is lost; rules ignore them.
//!   Ordinal ballots may have points or not.
//! - An empty or `None` `points` cell reads as `None`, never as `Some(vec![])`.
//!
//! [`write()`] writes what [`read()`] reads back unchanged: `read(write(read(x))) == read(x)`.

mod csv;
mod number;
mod plain;
mod read;
mod write;

use crate::pb::Election;

pub use crate::file::ReadError;
pub use write::write;

pub(crate) use crate::file::decode_utf8 as decode;
pub(crate) use csv::{Cell, Rows, is_py_space, py_strip};

/// Reads a Pabulib file held in memory. `name` is how errors name the file (the path as given).
pub fn read(name: &str, text: &[u8]) -> Result<Election, ReadError> {
    read::read(name, text, true)
}

/// [`read`] without its fast path for plain voter rows: every row goes through the general
/// path. For tests and fuzzing, which check that both give the same result on any input.
#[doc(hidden)]
pub fn read_every_row_the_long_way(name: &str, text: &[u8]) -> Result<Election, ReadError> {
    read::read(name, text, false)
}

/// Reads a Pabulib file from `reader`, refusing it before parsing if it is longer than `limit`
/// bytes (so a hostile upload cannot make the reader hold more than `limit + 1` bytes).
pub fn read_from(name: &str, reader: impl std::io::Read, limit: u64) -> Result<Election, ReadError> {
    let bytes = crate::file::read_limited(name, reader, limit)?;
    read(name, &bytes)
}
