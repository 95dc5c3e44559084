//! What the PrefLib and BLT formats share: the errors that say where a file is broken or why an
//! election cannot be written, and the first steps of reading (a size limit, UTF-8, lines).

use std::io;

/// A file that cannot be read: which file, where, what was expected and what was found.
///
/// Displays as `file:line:column: message` (`file:line: message` when no column is meaningful,
/// `file: message` when no line is), as the Pabulib reader's errors do, so that editors can jump
/// to the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {}", .file, position(*.line, *.column), .message)]
pub struct ReadError {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

impl ReadError {
    pub(crate) fn new(file: &str, line: Option<usize>, column: Option<usize>, message: impl Into<String>) -> ReadError {
        ReadError { file: file.to_owned(), line, column, message: message.into() }
    }

    pub(crate) fn at(file: &str, line: usize, column: usize, message: impl Into<String>) -> ReadError {
        ReadError::new(file, Some(line), Some(column), message)
    }

    /// The file, as the caller named it.
    #[must_use]
    pub fn file(&self) -> &str {
        &self.file
    }

    /// 1-based line, when the problem has one.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// 1-based column in characters, when meaningful.
    #[must_use]
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// What was expected and what was found.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

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

/// Reads at most `limit` bytes from `reader`, refusing longer input before anything is parsed (so
/// a hostile upload cannot make a reader hold more than `limit + 1` bytes).
pub(crate) fn read_limited(name: &str, reader: impl io::Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::new(name, None, None, format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::new(name, None, None, format!("the file is longer than the limit of {limit} bytes")));
    }
    Ok(bytes)
}

/// The text of a file: its size checked, decoded as UTF-8 (or an error that says on which line
/// and column it stops being UTF-8), without its byte-order mark.
pub(crate) fn decode<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, ReadError> {
    if bytes.len() >= MAX_FILE_BYTES {
        return Err(ReadError::new(name, None, None, format!("the file is longer than {} bytes", MAX_FILE_BYTES - 1)));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
        // The prefix is valid UTF-8, so this cannot fail; an empty prefix is the fallback.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = end_position(prefix);
        let byte = bytes.get(error.valid_up_to()).copied().unwrap_or_default();
        ReadError::at(
            name,
            line,
            column,
            format!("the file is not valid UTF-8: byte 0x{byte:02X} does not continue a character here"),
        )
    })?;
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

/// The line and column just after `text`.
pub(crate) fn end_position(text: &str) -> (usize, usize) {
    let breaks = text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    let start = text.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    (breaks + 1, text[start..].chars().count() + 1)
}

/// The 1-based column, in characters, of byte `offset` of `line`.
pub(crate) fn column_of(line: &str, offset: usize) -> usize {
    line.get(..offset).map_or(offset, |s| s.chars().count()) + 1
}

/// Byte offset of `part` inside `whole` (`part` is a slice of `whole`).
pub(crate) fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
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
