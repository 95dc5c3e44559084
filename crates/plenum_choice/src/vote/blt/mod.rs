//! BLT ballot files, the input of STV counting programs since Hill, Wichmann & Woodall's Meek
//! program (1987), read by OpenSTV/OpaVote, Droop, eSTV, OpenTally and stv-rs:
//!
//! ```text
//! 4 2                  4 candidates, 2 seats
//! -2                   candidate 2 withdrew (optional)
//! 3 1 3 4 0            3 voters ranked 1, then 3, then 4
//! 2 4 1=3 0            2 voters ranked 4, then 1 and 3 equal
//! 0                    end of the ballots
//! "Adam"               one quoted name per candidate
//! "Basil"
//! "Charlotte"
//! "Donald"
//! "Title"
//! ```
//!
//! What [`read`] accepts, beyond that:
//!
//! - Droop's options before the first ballot: `[nick a b c d]` (short names, one per candidate,
//!   usable wherever a candidate number is: on ballots, in `[withdrawn]`, in `[tie]`; kept in
//!   [`Election::nicknames`]), `[withdrawn 2 6]` or `[withdrawn b f]` (as stv-rs writes it; the
//!   same as `-2 -6`), `[tie …]` (every candidate once, kept in [`Election::tie_order`]); any other
//!   option (`[droop rule=meek]`) is kept in [`Election::metadata`] as `("[droop]", "rule=meek")`.
//! - Equal rankings `1=3` (OpenSTV, Droop, OpenTally, stv-rs): tied alternatives in the ballot.
//!   No reference file has them, but every counter named above reads them, and a PrefLib `.toi`
//!   election needs them to become a BLT file.
//! - OpenSTV's ballot ids: `(id) 1 3 0` is one ballot cast by one voter; ids are kept in
//!   [`Election::ballot_ids`], must be unique, and must be on every ballot or on none.
//! - Wichmann's source and comment: up to two quoted strings after the title, kept in
//!   [`Election::metadata`] as `source` and `comment`; any text after them (Wichmann's M135 test
//!   gives its published first preferences there) is kept, trimmed, as `notes`.
//! - Comments: `#` to the end of the line (OpenSTV), `/* … */` (Droop); a UTF-8 byte-order mark;
//!   any line endings; blank lines; blanks anywhere between items.
//! - Empty ballots (`1 0`): kept, as the voters they count are part of the election (Droop drops
//!   them; pref_voting keeps them).
//! - Withdrawn candidates stay on the ballots as written: counting methods skip them.
//!   [`Election::withdrawn`] is sorted.
//!
//! Refused, with file, line and column:
//!
//! - A ballot that does not end with `0` on its own line. The original format ignores line
//!   breaks, but every real file has one ballot per line, and a missing `0` would otherwise
//!   silently glue the next ballot onto this one.
//! - Fractional weights (`1.5 1 2 0`): every method counts whole ballots, exactly.
//! - OpenSTV's skipped rankings (`1 - 2 0`): counters disagree on what a skip means.
//! - Hill's parenthesised equal rankings (ballot ids use parentheses here, as in OpenSTV).
//! - Names or a title not in double quotes, or with a quote not closed on its line; a number
//!   of names other than the number of candidates (the title is missing, or is taken as a name).
//! - A candidate out of range or ranked twice on a ballot; a candidate withdrawn twice; a
//!   nickname that is a number, starts with `-`, contains `=` or is given twice; an option
//!   repeated (other than `[withdrawn]`) or never closed; options or withdrawals after the first
//!   ballot.
//!
//! The number of seats is read as given; whether it suits the candidates is the method's affair.
//!
//! [`write()`] writes what [`read`] reads back unchanged: `read(write(read(x))) == read(x)`.

mod lex;
mod read;
mod write;

use super::Election;
pub use super::file::{ReadError, WriteError};

pub use write::write;

/// Reads a BLT file held in memory. `file_name` is how errors name the file.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Election, ReadError> {
    read::read(file_name, bytes)
}

/// Reads a BLT file from `reader`, refusing it before parsing if it is longer than `limit` bytes,
/// so that a hostile upload cannot make the reader hold more than `limit + 1` bytes.
pub fn read_from(file_name: &str, reader: impl std::io::Read, limit: u64) -> Result<Election, ReadError> {
    read(file_name, &super::file::read_limited(file_name, reader, limit)?)
}

/// The options that have fields of their own in [`Election`].
const NICK: &str = "nick";
const WITHDRAWN: &str = "withdrawn";
const TIE: &str = "tie";

/// The metadata keys of Wichmann's fields after the title, and of the text after them.
const SOURCE: &str = "source";
const COMMENT: &str = "comment";
const NOTES: &str = "notes";

/// Why `nick` cannot be a nickname, if it cannot: it must be one word that cannot be taken for
/// a candidate number, a withdrawal or an equal ranking.
fn bad_nickname(nick: &str) -> Option<&'static str> {
    if !lex::is_word(nick) {
        Some("a nickname is one word, without blanks or any of `\"[]()#` and `/*`")
    } else if nick.bytes().all(|b| b.is_ascii_digit()) {
        Some("a nickname must not be a number, which names a candidate by position")
    } else if nick.starts_with('-') {
        Some("a nickname must not start with `-`, which marks a withdrawal")
    } else if nick.contains('=') {
        Some("a nickname must not contain `=`, which joins equal rankings")
    } else {
        None
    }
}
