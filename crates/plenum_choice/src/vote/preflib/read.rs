//! The reader: a PrefLib file becomes an [`Election`], or a [`ReadError`] that says where the
//! file is broken. What it tolerates and refuses is listed in the module docs of [`super`].

use super::{
    ALTERNATIVE_NAME, DATA_TYPE, DataType, NUMBER_ALTERNATIVES, NUMBER_UNIQUE_ORDERS, NUMBER_VOTERS, STANDARD_KEYS, TITLE,
};
use crate::vote::Election;
use crate::vote::ballot::{Alternative, MAX_ALTERNATIVES, Rankings};
use crate::vote::file::{ReadError, column_of, decode, lines, offset_in};

/// A header value and where it is.
#[derive(Debug, Clone, Copy)]
struct Located<T> {
    value: T,
    line: usize,
    column: usize,
}

/// The header as read, before it is checked against itself and the orders.
#[derive(Debug, Default)]
struct Header<'a> {
    /// Values of [`STANDARD_KEYS`] (`TITLE` included), with the line each was on.
    standard: [Option<(usize, &'a str)>; STANDARD_KEYS.len()],
    extras: Vec<(String, String)>,
    data_type: Option<Located<DataType>>,
    alternatives: Option<Located<u64>>,
    voters: Option<Located<u64>>,
    unique_orders: Option<Located<u64>>,
    /// `(i, name)` of each `ALTERNATIVE NAME i` line, `i` located.
    names: Vec<(Located<u64>, &'a str)>,
}

pub(super) fn read(name: &str, bytes: &[u8]) -> Result<Election, ReadError> {
    let text = decode(name, bytes)?;
    let mut header = Header::default();
    let mut lines = lines(text).filter(|(_, line)| !is_blank(line)).peekable();
    let mut header_lines = 0;
    while let Some(&(number, line)) = lines.peek() {
        if !line.trim_start().starts_with('#') {
            break;
        }
        header.line(name, number, line)?;
        header_lines += 1;
        lines.next();
    }
    if header_lines == 0 {
        return Err(match lines.peek() {
            None => ReadError::new(name, None, None, "the file is empty: expected a PrefLib header (`# FILE NAME: …`)"),
            Some(&(number, line)) if line.trim().bytes().all(|b| b.is_ascii_digit()) => ReadError::at(
                name,
                number,
                1,
                "this looks like the PrefLib format before 2022 (a first line with the number of alternatives): \
                 only the current format (https://preflib.org/format) is read",
            ),
            Some(&(number, _)) => ReadError::at(name, number, 1, "expected a PrefLib header (`# KEY: value` lines) first"),
        });
    }

    let kind = header.data_type(name)?;
    let m = header.alternatives(name)?;
    let alternatives = header.names(name, m)?;
    let mut orders = Orders {
        name,
        m,
        kind,
        rankings: Rankings::new(m).map_err(|e| ReadError::new(name, None, None, e.to_string()))?,
        seen: vec![0; m],
        lines: 0,
        entries: Vec::with_capacity(m),
        ends: Vec::with_capacity(m),
    };
    for (number, line) in lines {
        orders.line(number, line)?;
    }
    let Orders { rankings, lines: order_lines, .. } = orders;

    if let Some(declared) = header.voters
        && declared.value != rankings.voters()
    {
        return Err(ReadError::at(
            name,
            declared.line,
            declared.column,
            format!("{NUMBER_VOTERS} is {}, but the counts add up to {}", declared.value, rankings.voters()),
        ));
    }
    if let Some(declared) = header.unique_orders
        && declared.value != order_lines as u64
    {
        return Err(ReadError::at(
            name,
            declared.line,
            declared.column,
            format!("{NUMBER_UNIQUE_ORDERS} is {}, but there are {order_lines} order lines", declared.value),
        ));
    }

    let title_slot = STANDARD_KEYS.iter().position(|&k| k == TITLE);
    let title = title_slot.and_then(|i| header.standard[i]).map(|(_, t)| t).filter(|t| !t.is_empty()).map(str::to_owned);
    let mut metadata: Vec<(String, String)> = STANDARD_KEYS
        .iter()
        .zip(&header.standard)
        .filter(|(key, _)| **key != TITLE && **key != DATA_TYPE)
        .filter_map(|(key, value)| value.filter(|(_, v)| !v.is_empty()).map(|(_, v)| ((*key).to_owned(), v.to_owned())))
        .collect();
    metadata.append(&mut header.extras);
    Ok(Election { title, alternatives, rankings, metadata, ..Election::default() })
}

/// A whole number as PrefLib writes them: ASCII digits only; `None` if it does not fit.
fn whole_number(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Whether a line holds nothing but whitespace (Unicode whitespace, as `str::trim` sees it;
/// ASCII lines, the usual case, are checked byte by byte).
fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b.is_ascii_whitespace()) || (!line.is_ascii() && line.trim().is_empty())
}

impl<'a> Header<'a> {
    /// Reads one `# KEY: value` line.
    fn line(&mut self, name: &str, number: usize, line: &'a str) -> Result<(), ReadError> {
        let hash = line.len() - line.trim_start().len();
        let body = &line[hash + 1..];
        let Some(colon) = body.find(':') else {
            return Err(ReadError::at(
                name,
                number,
                column_of(line, hash),
                format!("expected a header line `# KEY: value`, found {:?}", line.trim()),
            ));
        };
        let key = body[..colon].trim();
        let value = body[colon + 1..].trim();
        let value_column =
            if value.is_empty() { column_of(line, hash + 1 + colon + 1) } else { column_of(line, offset_in(line, value)) };
        if key.is_empty() {
            return Err(ReadError::at(name, number, column_of(line, hash), "a header line with no key before its `:`"));
        }
        let number_value = |what: &str| {
            whole_number(value).map(|n| Located { value: n, line: number, column: value_column }).ok_or_else(|| {
                ReadError::at(name, number, value_column, format!("{what}: expected a whole number, found {value:?}"))
            })
        };
        match key {
            DATA_TYPE => {
                self.standard_key(name, number, column_of(line, hash), key, value)?;
                let Some(kind) = DataType::parse(value) else {
                    return Err(ReadError::at(
                        name,
                        number,
                        value_column,
                        format!("unknown {DATA_TYPE} {value:?}: this reader reads the ordinal types soc, soi, toc and toi"),
                    ));
                };
                self.data_type = Some(Located { value: kind, line: number, column: value_column });
            }
            NUMBER_ALTERNATIVES | NUMBER_VOTERS | NUMBER_UNIQUE_ORDERS => {
                let slot = match key {
                    NUMBER_ALTERNATIVES => &mut self.alternatives,
                    NUMBER_VOTERS => &mut self.voters,
                    _ => &mut self.unique_orders,
                };
                if let Some(first) = slot {
                    return Err(ReadError::at(
                        name,
                        number,
                        column_of(line, hash),
                        format!("a second {key} line (the first is on line {})", first.line),
                    ));
                }
                *slot = Some(number_value(key)?);
            }
            _ if key.starts_with(ALTERNATIVE_NAME) => {
                let index = key[ALTERNATIVE_NAME.len()..].trim();
                let index_column = column_of(line, if index.is_empty() { offset_in(line, key) } else { offset_in(line, index) });
                let Some(i) = whole_number(index).filter(|&i| i >= 1) else {
                    return Err(ReadError::at(
                        name,
                        number,
                        index_column,
                        format!("expected `{ALTERNATIVE_NAME} i` with i a number from 1, found {key:?}"),
                    ));
                };
                self.names.push((Located { value: i, line: number, column: index_column }, value));
            }
            _ if STANDARD_KEYS.contains(&key) => self.standard_key(name, number, column_of(line, hash), key, value)?,
            _ => self.extras.push((key.to_owned(), value.to_owned())),
        }
        Ok(())
    }

    /// Records a standard key, which may appear once.
    fn standard_key(&mut self, name: &str, number: usize, column: usize, key: &str, value: &'a str) -> Result<(), ReadError> {
        let Some(slot) = STANDARD_KEYS.iter().position(|&k| k == key) else { return Ok(()) };
        if let Some((first, _)) = self.standard[slot] {
            return Err(ReadError::at(name, number, column, format!("a second {key} line (the first is on line {first})")));
        }
        self.standard[slot] = Some((number, value));
        Ok(())
    }

    /// The data type the orders must fit: `DATA TYPE`, which the file name's extension must
    /// agree with, or else the extension.
    fn data_type(&self, name: &str) -> Result<Option<DataType>, ReadError> {
        let extension = DataType::of_file_name(name);
        match (self.data_type, extension) {
            (Some(declared), Some(extension)) if declared.value != extension => Err(ReadError::at(
                name,
                declared.line,
                declared.column,
                format!("{DATA_TYPE} is {}, but the file name ends in .{extension}", declared.value),
            )),
            (declared, extension) => Ok(declared.map(|d| d.value).or(extension)),
        }
    }

    fn alternatives(&self, name: &str) -> Result<usize, ReadError> {
        let Some(declared) = self.alternatives else {
            return Err(ReadError::new(name, None, None, format!("the header has no `# {NUMBER_ALTERNATIVES}: …` line")));
        };
        match usize::try_from(declared.value) {
            Ok(m) if m <= MAX_ALTERNATIVES => Ok(m),
            _ => Err(ReadError::at(
                name,
                declared.line,
                declared.column,
                format!("{NUMBER_ALTERNATIVES} is {}: at most {MAX_ALTERNATIVES} are supported", declared.value),
            )),
        }
    }

    /// The name of each of the `m` alternatives, each named once.
    fn names(&self, name: &str, m: usize) -> Result<Vec<String>, ReadError> {
        let mut names: Vec<Option<(usize, String)>> = vec![None; m];
        for (i, value) in &self.names {
            let Some(slot) = usize::try_from(i.value - 1).ok().and_then(|a| names.get_mut(a)) else {
                return Err(ReadError::at(
                    name,
                    i.line,
                    i.column,
                    format!("{ALTERNATIVE_NAME} {}, but {NUMBER_ALTERNATIVES} is {m}", i.value),
                ));
            };
            if let Some((first, _)) = slot {
                return Err(ReadError::at(
                    name,
                    i.line,
                    i.column,
                    format!("a second name for alternative {} (the first is on line {first})", i.value),
                ));
            }
            *slot = Some((i.line, (*value).to_owned()));
        }
        names
            .into_iter()
            .enumerate()
            .map(|(a, slot)| {
                slot.map(|(_, n)| n).ok_or_else(|| {
                    let declared = self.alternatives.map(|d| (d.line, d.column));
                    ReadError::new(
                        name,
                        declared.map(|d| d.0),
                        declared.map(|d| d.1),
                        format!("{NUMBER_ALTERNATIVES} is {m}, but there is no `# {ALTERNATIVE_NAME} {}: …` line", a + 1),
                    )
                })
            })
            .collect()
    }
}

/// The order lines, read one at a time into [`Rankings`].
#[derive(Debug)]
struct Orders<'n> {
    name: &'n str,
    m: usize,
    kind: Option<DataType>,
    rankings: Rankings,
    /// `seen[a]` is the number of the last order line that ranked `a` (to find repeats without
    /// clearing anything between lines).
    seen: Vec<usize>,
    /// Order lines read so far.
    lines: usize,
    /// Scratch space for the line being read: its alternatives, and where each group ends.
    entries: Vec<Alternative>,
    ends: Vec<usize>,
}

impl Orders<'_> {
    /// Reads one order line, `count: a,b,{c,d}`.
    fn line(&mut self, number: usize, line: &str) -> Result<(), ReadError> {
        let mut at = Cursor { line, pos: 0 };
        let name = self.name;
        let error = |offset: usize, message: String| ReadError::at(name, number, column_of(line, offset), message);
        at.blanks();
        if at.peek() == Some(b'#') {
            return Err(error(at.pos, "a header line after the orders began: the header comes first".to_owned()));
        }
        let count_at = at.pos;
        let Some(digits) = at.digits() else {
            return Err(error(count_at, format!("expected the number of voters who cast this order, found {}", at.found())));
        };
        let Some(count) = whole_number(digits) else {
            return Err(error(count_at, format!("the count {digits} is too large")));
        };
        if count == 0 {
            return Err(error(count_at, "a count of 0: an order line is cast by at least one voter".to_owned()));
        }
        at.blanks();
        if at.peek() != Some(b':') {
            return Err(error(at.pos, format!("expected `:` after the count, found {}", at.found())));
        }
        at.pos += 1;
        at.blanks();
        self.lines += 1;
        let order_at = at.pos;

        let mut entries = std::mem::take(&mut self.entries);
        let mut ends = std::mem::take(&mut self.ends);
        entries.clear();
        ends.clear();
        let read = self.order(&mut at, number, &error, &mut entries, &mut ends);
        let pushed = read.and_then(|()| {
            if let Some(kind) = self.kind.filter(|k| k.is_complete() && entries.len() != self.m) {
                return Err(error(
                    order_at,
                    format!(
                        "this order ranks {} of the {} alternatives, but the orders of a {kind} file are complete",
                        entries.len(),
                        self.m
                    ),
                ));
            }
            if self.rankings.voters().checked_add(count).is_none() {
                return Err(error(count_at, format!("the counts add up to more than {}", u64::MAX)));
            }
            // In range, without repeats (checked as read), and the total cannot overflow.
            self.rankings.push_read(count, &entries, &ends);
            Ok(())
        });
        self.entries = entries;
        self.ends = ends;
        pushed
    }

    /// Reads the order after the `count:` into `entries` (alternatives) and `ends` (where each
    /// group of tied alternatives ends).
    fn order(
        &mut self,
        at: &mut Cursor<'_>,
        number: usize,
        error: &impl Fn(usize, String) -> ReadError,
        entries: &mut Vec<Alternative>,
        ends: &mut Vec<usize>,
    ) -> Result<(), ReadError> {
        while !at.is_end() {
            if !ends.is_empty() {
                if at.peek() != Some(b',') {
                    return Err(error(at.pos, format!("expected `,` or the end of the line, found {}", at.found())));
                }
                at.pos += 1;
                at.blanks();
            }
            if at.peek() == Some(b'{') {
                let open = at.pos;
                at.pos += 1;
                at.blanks();
                if at.peek() == Some(b'}') {
                    return Err(error(open, "an empty tie `{}`".to_owned()));
                }
                loop {
                    let a = self.alternative(at, number, error)?;
                    entries.push(a);
                    at.blanks();
                    match at.peek() {
                        Some(b',') => {
                            at.pos += 1;
                            at.blanks();
                        }
                        Some(b'}') => {
                            at.pos += 1;
                            break;
                        }
                        None => return Err(error(open, "this tie is never closed: expected `}`".to_owned())),
                        Some(_) => return Err(error(at.pos, format!("expected `,` or `}}` in this tie, found {}", at.found()))),
                    }
                }
                let size = entries.len() - ends.last().copied().unwrap_or(0);
                if let Some(kind) = self.kind.filter(|k| k.is_strict() && size > 1) {
                    return Err(error(open, format!("a tie, but the orders of a {kind} file are strict")));
                }
            } else {
                let a = self.alternative(at, number, error)?;
                entries.push(a);
            }
            ends.push(entries.len());
            at.blanks();
        }
        Ok(())
    }

    /// Reads one alternative number: in range, and not already in this order.
    fn alternative(
        &mut self,
        at: &mut Cursor<'_>,
        number: usize,
        error: &impl Fn(usize, String) -> ReadError,
    ) -> Result<Alternative, ReadError> {
        let start = at.pos;
        let Some(digits) = at.digits() else {
            return Err(error(start, format!("expected an alternative (a number from 1 to {}), found {}", self.m, at.found())));
        };
        let Some(a) = whole_number(digits).and_then(|n| usize::try_from(n).ok()).filter(|&n| (1..=self.m).contains(&n)) else {
            return Err(error(start, format!("alternative {digits} does not exist: {NUMBER_ALTERNATIVES} is {}", self.m)));
        };
        let a = a - 1;
        if self.seen[a] == number {
            return Err(error(start, format!("alternative {digits} appears twice in this order")));
        }
        self.seen[a] = number;
        Ok(a)
    }
}

/// A position in one line.
#[derive(Debug)]
struct Cursor<'a> {
    line: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.line.as_bytes().get(self.pos).copied()
    }

    fn is_end(&self) -> bool {
        self.pos >= self.line.len()
    }

    fn blanks(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// The run of ASCII digits here, if any.
    fn digits(&mut self) -> Option<&'a str> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.line[start..self.pos])
    }

    /// What is here, for an error message: the token up to the next delimiter, quoted, or "the
    /// end of the line".
    fn found(&self) -> String {
        let rest = self.line.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            return "the end of the line".to_owned();
        }
        let delimiter = |c: char| c.is_whitespace() || ",{}:".contains(c);
        let end = if rest.starts_with(delimiter) {
            1
        } else {
            rest.char_indices().find(|&(_, c)| delimiter(c)).map_or(rest.len(), |(i, _)| i)
        };
        format!("{:?}", &rest[..end])
    }
}
