//! BLT tokens. BLT is a stream of whitespace-separated items (the original format does not need
//! line breaks), with OpenSTV's `#` comments and Droop's `/* */` comments between them.

use std::cell::Cell;

use crate::vote::file::ReadError;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A run of characters up to a blank or one of `"[]()#`: a number, `-2`, `1=3`, a nickname.
    Word,
    /// `"…"` on one line; the text is what is between the quotes.
    Quoted,
    /// `[`, which opens an option.
    Open,
    /// `]`, which closes an option.
    Close,
    /// `(…)` on one line, a ballot id; the text is what is between the parentheses.
    Id,
}

/// One token and where it starts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Token<'a> {
    pub(super) kind: Kind,
    pub(super) text: &'a str,
    pub(super) line: usize,
    /// 1-based, in characters.
    pub(super) column: usize,
}

impl Token<'_> {
    /// The token as it appears in the file, for error messages.
    pub(super) fn shown(&self) -> String {
        match self.kind {
            Kind::Word => format!("{:?}", self.text),
            Kind::Quoted => format!("the quoted text \"{}\"", self.text),
            Kind::Open => "`[`".to_owned(),
            Kind::Close => "`]`".to_owned(),
            Kind::Id => format!("the ballot id ({})", self.text),
        }
    }
}

/// Characters that end a word.
pub(super) const DELIMITERS: &[char] = &['"', '[', ']', '(', ')', '#'];

/// Whether `text` would be read back as one [`Kind::Word`] token equal to itself.
pub(super) fn is_word(text: &str) -> bool {
    !text.is_empty() && !text.contains(|c: char| c.is_whitespace() || DELIMITERS.contains(&c)) && !text.contains("/*")
}

/// Splits a BLT file into tokens, keeping track of lines and columns.
#[derive(Debug)]
pub(super) struct Lexer<'a> {
    name: &'a str,
    text: &'a str,
    pos: usize,
    line: usize,
    line_start: usize,
    /// A byte offset on the current line and its column, so that columns are counted once
    /// however long a line is (a file on one line must not take quadratic time).
    counted: Cell<(usize, usize)>,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(name: &'a str, text: &'a str) -> Lexer<'a> {
        Lexer { name, text, pos: 0, line: 1, line_start: 0, counted: Cell::new((0, 1)) }
    }

    /// The text after the last token read, as it is in the file.
    pub(super) fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    /// The line and column where the next token would start (after blanks and comments): where
    /// the file ends, once [`Lexer::next`] has returned `None`.
    pub(super) fn here(&self) -> (usize, usize) {
        (self.line, self.column(self.pos))
    }

    fn column(&self, offset: usize) -> usize {
        let (mut from, mut column) = self.counted.get();
        if from < self.line_start || from > offset {
            (from, column) = (self.line_start, 1);
        }
        let column = column + self.text.get(from..offset).map_or(0, |s| s.chars().count());
        self.counted.set((offset, column));
        column
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> ReadError {
        ReadError::at(self.name, self.line, self.column(offset), message)
    }

    /// The next token, or `None` at the end of the file.
    pub(super) fn next(&mut self) -> Result<Option<Token<'a>>, ReadError> {
        self.skip()?;
        let rest = self.rest();
        let Some(c) = rest.chars().next() else { return Ok(None) };
        let start = self.pos;
        let (line, column) = (self.line, self.column(start));
        let token = |kind, text| Token { kind, text, line, column };
        match c {
            '[' | ']' => {
                self.pos += 1;
                Ok(Some(token(if c == '[' { Kind::Open } else { Kind::Close }, &rest[..1])))
            }
            '"' | '(' => {
                let close = if c == '"' { '"' } else { ')' };
                let inside = &rest[1..];
                match inside.find([close, '\n', '\r']) {
                    Some(end) if inside[end..].starts_with(close) => {
                        self.pos += 1 + end + 1;
                        Ok(Some(token(if c == '"' { Kind::Quoted } else { Kind::Id }, &inside[..end])))
                    }
                    _ => Err(self.error(start, format!("`{c}` is never closed on its line: expected `{close}`"))),
                }
            }
            ')' => Err(self.error(start, "`)` without a `(` before it")),
            _ => {
                let end = rest
                    .char_indices()
                    .find(|&(i, c)| c.is_whitespace() || DELIMITERS.contains(&c) || rest[i..].starts_with("/*"))
                    .map_or(rest.len(), |(i, _)| i);
                self.pos += end;
                Ok(Some(token(Kind::Word, &rest[..end])))
            }
        }
    }

    /// Skips blanks, line breaks and comments.
    fn skip(&mut self) -> Result<(), ReadError> {
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else { return Ok(()) };
            if c == '\n' || c == '\r' {
                self.pos += if rest.starts_with("\r\n") { 2 } else { 1 };
                self.line += 1;
                self.line_start = self.pos;
            } else if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else if c == '#' {
                self.pos += rest.find(['\n', '\r']).unwrap_or(rest.len());
            } else if rest.starts_with("/*") {
                let Some(end) = rest.find("*/") else {
                    return Err(self.error(self.pos, "this comment is never closed: expected `*/`"));
                };
                let comment = &rest[..end + 2];
                let breaks = comment.matches('\n').count() + comment.matches('\r').count() - comment.matches("\r\n").count();
                if breaks > 0 {
                    self.line += breaks;
                    self.line_start = self.pos + comment.rfind(['\n', '\r']).map_or(0, |i| i + 1);
                }
                self.pos += end + 2;
            } else {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String, usize, usize)> {
        let mut lexer = Lexer::new("t", text);
        let mut out = Vec::new();
        while let Some(t) = lexer.next().unwrap() {
            out.push((t.kind, t.text.to_owned(), t.line, t.column));
        }
        out
    }

    #[test]
    fn comments_are_skipped_and_positions_kept() {
        let found = kinds("4 2 # four\n/* a\n b */ [nick a]\r\n(id 1) 1=2 0\n\"Ann Lee\"");
        assert_eq!(
            found,
            vec![
                (Kind::Word, "4".into(), 1, 1),
                (Kind::Word, "2".into(), 1, 3),
                (Kind::Open, "[".into(), 3, 7),
                (Kind::Word, "nick".into(), 3, 8),
                (Kind::Word, "a".into(), 3, 13),
                (Kind::Close, "]".into(), 3, 14),
                (Kind::Id, "id 1".into(), 4, 1),
                (Kind::Word, "1=2".into(), 4, 8),
                (Kind::Word, "0".into(), 4, 12),
                (Kind::Quoted, "Ann Lee".into(), 5, 1),
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_is_an_error_on_its_line() {
        let mut lexer = Lexer::new("t", "1\n  \"Ann\n\"");
        lexer.next().unwrap();
        assert_eq!(lexer.next().unwrap_err().to_string(), "t:2:3: `\"` is never closed on its line: expected `\"`");
    }
}
