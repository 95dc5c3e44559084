//! Why a file could not be read, and where.

/// A Pabulib file that cannot be read: which file, where, what was expected and what was found.
///
/// Displays as `file:line:column: message` (`file:line: message` when no column is meaningful,
/// `file: message` when no line is).
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
