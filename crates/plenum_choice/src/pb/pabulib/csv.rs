//! Splits Pabulib text into rows of `;`-separated cells, exactly as Python's
//! `csv.reader(stream, delimiter=";")` does (quote `"`, doubled quotes, non-strict), because
//! both reference tools read files that way and every quirk of the corpus is defined by it:
//!
//! - a cell is quoted only when its *first* character is `"`; a `"` anywhere else in an unquoted
//!   cell is an ordinary character (`Konkurs " NA NAJ` stays as written);
//! - inside quotes, `""` is one `"`, `;` is text, and line breaks are text (a quoted cell may span
//!   lines; each break reads as `\n`, as the checker sees it after Python's newline translation);
//! - after a closing quote, further characters are appended to the cell (`"ab"cd` is `abcd`);
//! - a quote still open at the end of the text ends the cell there (flagged: see
//!   [`Cell::unterminated`]);
//! - lines end with `\n`, `\r\n` or a lone `\r`; an empty line is a row with no cells;
//! - a cell longer than 131,072 characters is an error, as in Python (`field_size_limit`).
//!
//! Cells come back untrimmed and borrowed from the input when they can be.

use std::borrow::Cow;

/// Python's default `csv.field_size_limit()`, in characters.
pub(crate) const FIELD_SIZE_LIMIT: usize = 131_072;

/// One cell of a row, as Python's csv module yields it (not trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell<'a> {
    pub text: Cow<'a, str>,
    /// 1-based line of the cell's first character.
    pub line: usize,
    /// 1-based column (in characters) of the cell's first character.
    pub column: usize,
    /// Whether the cell started with a quote (its text then does not map 1:1 to the line).
    pub quoted: bool,
    /// Whether the cell opened a quote that the text never closed.
    pub unterminated: bool,
}

/// A cell longer than Python's csv module accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CellTooLong {
    pub line: usize,
    pub column: usize,
}

/// Reads rows one at a time, reusing the caller's buffer.
#[derive(Debug)]
pub(crate) struct Rows<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    column: usize,
}

impl<'a> Rows<'a> {
    #[must_use]
    pub fn new(text: &'a str) -> Rows<'a> {
        Rows { text, pos: 0, line: 1, column: 1 }
    }

    /// The line the next row starts on.
    #[must_use]
    pub fn line(&self) -> usize {
        self.line
    }

    /// Where reading stands, to come back to with [`Rows::restore`].
    #[must_use]
    pub fn checkpoint(&self) -> (usize, usize, usize) {
        (self.pos, self.line, self.column)
    }

    pub fn restore(&mut self, (pos, line, column): (usize, usize, usize)) {
        (self.pos, self.line, self.column) = (pos, line, column);
    }

    /// The next line, with its number, when it holds no quote (so that every `;` separates
    /// cells, exactly as in Python's csv) and is not empty; reading moves past it. `None`, and
    /// nothing moves, otherwise.
    pub fn plain_line(&mut self) -> Option<(usize, &'a str)> {
        let bytes = self.text.as_bytes();
        let rest = bytes.get(self.pos..)?;
        let end = find_line_end(rest);
        if end == 0 || rest.get(end) == Some(&b'"') {
            return None;
        }
        let line = (self.line, self.text.get(self.pos..self.pos + end)?);
        self.pos += end;
        if self.pos < bytes.len() {
            self.end_line();
        }
        self.column = 1;
        Some(line)
    }

    /// How many bytes are left to read.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.text.len() - self.pos
    }

    /// Reads the next row into `cells` (cleared first). Returns `Ok(false)` at the end of the
    /// text. An empty line gives a row with no cells, as in Python.
    pub fn next_row(&mut self, cells: &mut Vec<Cell<'a>>) -> Result<bool, CellTooLong> {
        cells.clear();
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return Ok(false);
        }
        if matches!(bytes[self.pos], b'\n' | b'\r') {
            self.end_line();
            return Ok(true);
        }
        loop {
            let cell = if bytes.get(self.pos) == Some(&b'"') { self.quoted_cell() } else { self.unquoted_cell() };
            if cell.text.len() > FIELD_SIZE_LIMIT && cell.text.chars().count() > FIELD_SIZE_LIMIT {
                return Err(CellTooLong { line: cell.line, column: cell.column });
            }
            cells.push(cell);
            match bytes.get(self.pos) {
                Some(b';') => {
                    self.pos += 1;
                    self.column += 1;
                }
                Some(b'\n' | b'\r') => {
                    self.end_line();
                    return Ok(true);
                }
                _ => return Ok(true),
            }
        }
    }

    /// Consumes one line break (`\n`, `\r\n` or `\r`) at `pos`.
    fn end_line(&mut self) {
        let bytes = self.text.as_bytes();
        if bytes.get(self.pos) == Some(&b'\r') && bytes.get(self.pos + 1) == Some(&b'\n') {
            self.pos += 2;
        } else {
            self.pos += 1;
        }
        self.line += 1;
        self.column = 1;
    }

    /// An unquoted cell: everything up to `;` or the end of the line, quotes included.
    fn unquoted_cell(&mut self) -> Cell<'a> {
        let (line, column, start) = (self.line, self.column, self.pos);
        let end = find_delimiter(self.text.as_bytes(), start);
        self.pos = end;
        self.column += count_chars(&self.text.as_bytes()[start..end]);
        Cell { text: Cow::Borrowed(&self.text[start..end]), line, column, quoted: false, unterminated: false }
    }

    /// A quoted cell, with what may follow its closing quote up to `;` or the end of the line.
    fn quoted_cell(&mut self) -> Cell<'a> {
        let (line, column) = (self.line, self.column);
        let bytes = self.text.as_bytes();
        // Skip the opening quote.
        self.pos += 1;
        self.column += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run_start = start;
        loop {
            let Some(&b) = bytes.get(self.pos) else {
                // End of text inside quotes: Python keeps what it has.
                let text = finish(self.text, owned, run_start, self.pos);
                return Cell { text, line, column, quoted: true, unterminated: true };
            };
            match b {
                b'"' => {
                    if bytes.get(self.pos + 1) == Some(&b'"') {
                        // `""` is one quote: keep the first, skip the second.
                        let buf = owned.get_or_insert_with(String::new);
                        buf.push_str(&self.text[run_start..=self.pos]);
                        self.pos += 2;
                        self.column += 2;
                        run_start = self.pos;
                        continue;
                    }
                    let end = self.pos;
                    self.pos += 1;
                    self.column += 1;
                    return self.after_closing_quote(owned, run_start, end, line, column);
                }
                b'\n' | b'\r' => {
                    // A line break inside quotes is text, read as `\n` whatever its form.
                    let buf = owned.get_or_insert_with(String::new);
                    buf.push_str(&self.text[run_start..self.pos]);
                    buf.push('\n');
                    self.end_line();
                    run_start = self.pos;
                }
                _ => {
                    if b & 0xC0 != 0x80 {
                        self.column += 1;
                    }
                    self.pos += 1;
                }
            }
        }
    }

    /// Python's non-strict mode: characters after a closing quote join the cell, as unquoted text.
    fn after_closing_quote(
        &mut self,
        owned: Option<String>,
        run_start: usize,
        end: usize,
        line: usize,
        column: usize,
    ) -> Cell<'a> {
        let tail_start = self.pos;
        self.pos = find_delimiter(self.text.as_bytes(), tail_start);
        self.column += count_chars(&self.text.as_bytes()[tail_start..self.pos]);
        let text = if tail_start == self.pos {
            finish(self.text, owned, run_start, end)
        } else {
            let mut buf = owned.unwrap_or_default();
            buf.push_str(&self.text[run_start..end]);
            buf.push_str(&self.text[tail_start..self.pos]);
            Cow::Owned(buf)
        };
        Cell { text, line, column, quoted: true, unterminated: false }
    }
}

/// The position of the first `;`, `\n` or `\r` at or after `from`, or the end. Looks at eight
/// bytes at a time: cells are scanned once per file and this is the reader's inner loop.
fn find_delimiter(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let mut pos = from;
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        if has(word, b';') | has(word, b'\n') | has(word, b'\r') != 0 {
            break;
        }
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        if matches!(b, b';' | b'\n' | b'\r') {
            break;
        }
        pos += 1;
    }
    pos
}

/// The position of the first `\n`, `\r` or `"` in `bytes` (or its length), eight bytes at a
/// time.
fn find_line_end(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let mut pos = 0;
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        if has(word, b'\n') | has(word, b'\r') | has(word, b'"') != 0 {
            break;
        }
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        if matches!(b, b'\n' | b'\r' | b'"') {
            break;
        }
        pos += 1;
    }
    pos
}

/// The number of characters in valid UTF-8: the bytes that do not continue a character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// The cell's text: borrowed when nothing had to be rewritten, owned otherwise.
fn finish(text: &str, owned: Option<String>, run_start: usize, end: usize) -> Cow<'_, str> {
    match owned {
        None => Cow::Borrowed(&text[run_start..end]),
        Some(mut buf) => {
            buf.push_str(&text[run_start..end]);
            Cow::Owned(buf)
        }
    }
}

/// Python's `str.isspace()`: Rust's whitespace plus the four information separators.
#[must_use]
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` with no argument.
#[must_use]
pub(crate) fn py_strip(s: &str) -> &str {
    // Fast path: printable ASCII at both ends is never whitespace.
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    if printable(s.as_bytes().first()) && printable(s.as_bytes().last()) {
        return s;
    }
    s.trim_matches(is_py_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as lists of cell texts.
    fn rows(text: &str) -> Vec<Vec<String>> {
        let mut rows = Rows::new(text);
        let mut cells = Vec::new();
        let mut out = Vec::new();
        while rows.next_row(&mut cells).unwrap() {
            out.push(cells.iter().map(|c| c.text.to_string()).collect());
        }
        out
    }

    #[test]
    fn cells_split_on_semicolons_and_lines_on_any_break() {
        assert_eq!(rows("a;b\r\nc;d\ne\rf"), vec![vec!["a", "b"], vec!["c", "d"], vec!["e"], vec!["f"]]);
    }

    #[test]
    fn empty_lines_are_rows_without_cells_and_trailing_semicolons_add_an_empty_cell() {
        assert_eq!(rows("a;\n\n;\n"), vec![vec!["a", ""], vec![], vec!["", ""]]);
    }

    #[test]
    fn doubled_quotes_inside_quotes_are_one_quote() {
        assert_eq!(rows("499;\"\"\"Konikowo\"\" - plac\";x"), vec![vec!["499", "\"Konikowo\" - plac", "x"]]);
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_literal() {
        assert_eq!(rows("1;Konkurs \" NA NAJ;2"), vec![vec!["1", "Konkurs \" NA NAJ", "2"]]);
        assert_eq!(rows(" \"a;b\""), vec![vec![" \"a", "b\""]]);
    }

    #[test]
    fn text_after_a_closing_quote_joins_the_cell_as_python_does() {
        assert_eq!(rows("a;\"b\"x\"y;c"), vec![vec!["a", "bx\"y", "c"]]);
    }

    #[test]
    fn quoted_cells_span_lines_and_read_breaks_as_newlines() {
        assert_eq!(rows("a;\"b\r\nc\";d\ne"), vec![vec!["a", "b\nc", "d"], vec!["e"]]);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_and_is_flagged() {
        let mut r = Rows::new("a;\"open\nrest");
        let mut cells = Vec::new();
        assert!(r.next_row(&mut cells).unwrap());
        assert_eq!(cells[1].text, "open\nrest");
        assert!(cells[1].unterminated);
    }

    #[test]
    fn cells_know_their_line_and_character_column() {
        let mut r = Rows::new("x\nzą;\"b\";c");
        let mut cells = Vec::new();
        r.next_row(&mut cells).unwrap();
        r.next_row(&mut cells).unwrap();
        let at: Vec<(usize, usize)> = cells.iter().map(|c| (c.line, c.column)).collect();
        assert_eq!(at, vec![(2, 1), (2, 4), (2, 8)]);
    }

    #[test]
    fn cells_longer_than_pythons_limit_are_refused() {
        let ok = "a".repeat(FIELD_SIZE_LIMIT);
        assert_eq!(rows(&ok)[0][0].len(), FIELD_SIZE_LIMIT);
        let long = format!("x;{}a", ok);
        let mut r = Rows::new(&long);
        assert_eq!(r.next_row(&mut Vec::new()), Err(CellTooLong { line: 1, column: 3 }));
    }

    #[test]
    fn python_strip_also_removes_information_separators() {
        assert_eq!(py_strip("\u{1f} a \u{3000}"), "a");
        assert_eq!(py_strip("\u{feff}a"), "\u{feff}a");
    }
}
