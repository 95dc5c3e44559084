//! What every file reader shares (Pabulib, PrefLib, BLT): the error that says where a file is
//! broken, reading within a size limit, and UTF-8 decoding that points at the bad byte.

use std::io;

/// A file that cannot be read: which file, where, what was expected and what was found.
///
/// Displays as `file:line:column: message` (`file:line: message` when no column is meaningful,
/// `file: message` when no line is), so that editors can jump to the place.
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

/// The bytes as UTF-8 text, or an error that says on which line and column they stop being
/// UTF-8.
pub(crate) fn decode_utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, ReadError> {
    std::str::from_utf8(bytes).map_err(|error| {
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
    })
}

/// The line and column just after `text`.
pub(crate) fn end_position(text: &str) -> (usize, usize) {
    let breaks = text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    let start = text.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    (breaks + 1, text[start..].chars().count() + 1)
}

/// Byte offset of `part` inside `whole` (`part` is a slice of `whole`).
pub(crate) fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}
