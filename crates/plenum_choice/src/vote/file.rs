//! What the PrefLib and BLT formats share: the errors that say where a file is broken or why an
//! election cannot be written, and the first steps of reading (a size limit, UTF-8, lines).

use std::io;

pub use crate::file::ReadError;
use crate::file::decode_utf8;
pub(crate) use crate::file::{end_position, offset_in, read_limited};

/// Why an election was not written. Writers check everything before writing, so on
/// [`WriteError::Unwritable`] nothing has been written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The election holds something the format cannot say, or cannot say so that it reads back
    /// the same (a line break in a name, a count of zero, …).
    #[error("cannot be written as {format}: {reason}")]
    Unwritable {
        /// The format (`"PrefLib soc"`, `"BLT"`).
        format: String,
        /// What is in the way, for people.
        reason: String,
    },
    /// The output failed.
    #[error("cannot write: {0}")]
    Io(#[from] io::Error),
}

/// The largest input the readers take: ballots are stored with `u32` offsets, and every ranked
/// alternative takes at least two bytes of a file, so below this size they cannot overflow.
const MAX_FILE_BYTES: usize = u32::MAX as usize;

/// The text of a file: its size checked, decoded as UTF-8 (or an error that says on which line
/// and column it stops being UTF-8), without its byte-order mark.
pub(crate) fn decode<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, ReadError> {
    if bytes.len() >= MAX_FILE_BYTES {
        return Err(ReadError::new(name, None, None, format!("the file is longer than {} bytes", MAX_FILE_BYTES - 1)));
    }
    let text = decode_utf8(name, bytes)?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The lines of `text` with their 1-based numbers, without line endings; `\n`, `\r\n` and a lone
/// `\r` each end a line. A final line ending does not start another line.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut rest = text;
    let mut number = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        number += 1;
        // Bytes, not chars: both are ASCII, so a match is always on a char boundary.
        match rest.bytes().position(|b| b == b'\n' || b == b'\r') {
            Some(end) => {
                let line = &rest[..end];
                let skip = if rest[end..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[end + skip..];
                if rest.is_empty() {
                    done = true;
                }
                Some((number, line))
            }
            None => {
                done = true;
                (!rest.is_empty() || number == 1).then_some((number, rest))
            }
        }
    })
}

/// The 1-based column, in characters, of byte `offset` of `line`.
pub(crate) fn column_of(line: &str, offset: usize) -> usize {
    line.get(..offset).map_or(offset, |s| s.chars().count()) + 1
}

/// Whether `text` can be written on one line and read back as itself: no line break.
pub(crate) fn is_one_line(text: &str) -> bool {
    !text.contains(['\n', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_ends_a_line() {
        let found: Vec<_> = lines("a\r\nb\rc\nd").collect();
        assert_eq!(found, vec![(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
        assert_eq!(lines("a\n").collect::<Vec<_>>(), vec![(1, "a")]);
        assert_eq!(lines("").collect::<Vec<_>>(), vec![(1, "")]);
        assert_eq!(lines("\n\n").collect::<Vec<_>>(), vec![(1, ""), (2, "")]);
    }

    #[test]
    fn invalid_utf8_is_placed_on_its_line_and_column() {
        let error = decode("f", b"ab\ncd\xFFe").unwrap_err();
        assert_eq!(error.to_string(), "f:2:3: the file is not valid UTF-8: byte 0xFF does not continue a character here");
        assert_eq!(decode("f", b"ab\r\n\xFF").unwrap_err().line(), Some(2));
        assert_eq!(decode("f", "\u{feff}x".as_bytes()).unwrap(), "x");
    }
}
