//! The reader: a BLT file becomes an [`Election`], or a [`ReadError`] that says where the file is
//! broken. What it accepts and refuses is listed in the module docs of [`super`].

use std::collections::HashMap;

use super::lex::{Kind, Lexer, Token};
use super::{COMMENT, NICK, NOTES, SOURCE, TIE, WITHDRAWN, bad_nickname};
use crate::vote::Election;
use crate::vote::ballot::{Alternative, MAX_ALTERNATIVES, Rankings};
use crate::vote::file::{ReadError, decode, end_position};

pub(super) fn read(name: &str, bytes: &[u8]) -> Result<Election, ReadError> {
    let text = decode(name, bytes)?;
    let mut parser = Parser {
        name,
        text,
        lex: Lexer::new(name, text),
        m: 0,
        nick_index: HashMap::new(),
        election: Election::default(),
        withdrawn: Vec::new(),
    };
    parser.counts()?;
    let first_ballot = parser.options()?;
    parser.ballots(first_ballot)?;
    parser.names()?;
    parser.after_names()?;
    let mut election = parser.election;
    election.withdrawn = parser.withdrawn.iter().enumerate().filter(|&(_, &w)| w).map(|(a, _)| a).collect();
    Ok(election)
}

/// A whole number as BLT writes them: ASCII digits only.
fn whole_number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[derive(Debug)]
struct Parser<'a> {
    name: &'a str,
    text: &'a str,
    lex: Lexer<'a>,
    /// The number of candidates.
    m: usize,
    nick_index: HashMap<&'a str, Alternative>,
    election: Election,
    /// Whether each candidate is withdrawn.
    withdrawn: Vec<bool>,
}

impl<'a> Parser<'a> {
    fn error(&self, token: &Token<'_>, message: impl Into<String>) -> ReadError {
        ReadError::at(self.name, token.line, token.column, message)
    }

    /// The next token, or an error that says what was expected where the file ends.
    fn next(&mut self, expected: &str) -> Result<Token<'a>, ReadError> {
        match self.lex.next()? {
            Some(token) => Ok(token),
            None => {
                let (line, column) = self.lex.here();
                Err(ReadError::at(self.name, line, column, format!("the file ends here: expected {expected}")))
            }
        }
    }

    /// `CANDIDATES SEATS`.
    fn counts(&mut self) -> Result<(), ReadError> {
        let token = self.next("the number of candidates and of seats (`CANDIDATES SEATS`)")?;
        let m = match (token.kind, whole_number(token.text)) {
            (Kind::Word, Some(m)) if m <= MAX_ALTERNATIVES as u64 => m as usize,
            (Kind::Word, Some(m)) => {
                return Err(self.error(&token, format!("{m} candidates: at most {MAX_ALTERNATIVES} are supported")));
            }
            _ => return Err(self.error(&token, format!("expected the number of candidates, found {}", token.shown()))),
        };
        let token = self.next("the number of seats")?;
        let seats = match (token.kind, whole_number(token.text).map(usize::try_from)) {
            (Kind::Word, Some(Ok(seats))) => seats,
            _ => return Err(self.error(&token, format!("expected the number of seats, found {}", token.shown()))),
        };
        self.m = m;
        self.withdrawn = vec![false; m];
        self.election.seats = Some(seats);
        self.election.rankings = Rankings::new(m).map_err(|e| self.error(&token, e.to_string()))?;
        Ok(())
    }

    /// Options and withdrawals, up to the first ballot, which is returned.
    fn options(&mut self) -> Result<Token<'a>, ReadError> {
        loop {
            let token = self.next("the ballots, then a line `0`")?;
            match token.kind {
                Kind::Open => self.option(&token)?,
                Kind::Word if token.text.starts_with('-') => {
                    let a = self.candidate_number(&token.text[1..], &token)?;
                    self.withdraw(a, &token)?;
                }
                Kind::Word | Kind::Id => return Ok(token),
                Kind::Quoted | Kind::Close => {
                    return Err(self.error(
                        &token,
                        format!("expected a ballot, a withdrawn candidate `-n` or an option `[…]`, found {}", token.shown()),
                    ));
                }
            }
        }
    }

    fn withdraw(&mut self, a: Alternative, token: &Token<'_>) -> Result<(), ReadError> {
        if std::mem::replace(&mut self.withdrawn[a], true) {
            return Err(self.error(token, format!("candidate {} is withdrawn twice", a + 1)));
        }
        Ok(())
    }

    /// One `[name values…]` option; `open` is its `[`.
    fn option(&mut self, open: &Token<'a>) -> Result<(), ReadError> {
        let name = self.next("an option name after `[`")?;
        if name.kind != Kind::Word {
            return Err(self.error(&name, format!("expected an option name after `[`, found {}", name.shown())));
        }
        let mut values = Vec::new();
        loop {
            let token = self.lex.next()?.ok_or_else(|| self.error(open, "this option is never closed: expected `]`"))?;
            match token.kind {
                Kind::Close => break,
                Kind::Word => values.push(token),
                _ => return Err(self.error(&token, format!("expected a word or `]` in this option, found {}", token.shown()))),
            }
        }
        match name.text {
            NICK => self.nicknames(&name, &values),
            WITHDRAWN => {
                for value in &values {
                    let a = self.candidate(value.text, value)?;
                    self.withdraw(a, value)?;
                }
                Ok(())
            }
            TIE => {
                if !self.election.tie_order.is_empty() {
                    return Err(self.error(&name, "a second `[tie]` option"));
                }
                let mut listed = vec![false; self.m];
                let mut order = Vec::with_capacity(self.m);
                for value in &values {
                    let a = self.candidate(value.text, value)?;
                    if std::mem::replace(&mut listed[a], true) {
                        return Err(self.error(value, format!("candidate {} is listed twice in `[tie]`", a + 1)));
                    }
                    order.push(a);
                }
                if order.len() != self.m {
                    return Err(
                        self.error(&name, format!("`[tie]` lists {} candidates: it must list all {} once", order.len(), self.m))
                    );
                }
                self.election.tie_order = order;
                Ok(())
            }
            other => {
                let text = values.iter().map(|v| v.text).collect::<Vec<_>>().join(" ");
                self.election.metadata.push((format!("[{other}]"), text));
                Ok(())
            }
        }
    }

    fn nicknames(&mut self, name: &Token<'_>, values: &[Token<'a>]) -> Result<(), ReadError> {
        if !self.election.nicknames.is_empty() {
            return Err(self.error(name, "a second `[nick]` option"));
        }
        if values.len() != self.m {
            return Err(self.error(name, format!("`[nick]` gives {} nicknames for {} candidates", values.len(), self.m)));
        }
        for (a, value) in values.iter().enumerate() {
            if let Some(why) = bad_nickname(value.text) {
                return Err(self.error(value, format!("{why}: found {:?}", value.text)));
            }
            if let Some(first) = self.nick_index.insert(value.text, a) {
                return Err(
                    self.error(value, format!("nickname {:?} is given to candidates {} and {}", value.text, first + 1, a + 1))
                );
            }
        }
        self.election.nicknames = values.iter().map(|v| v.text.to_owned()).collect();
        Ok(())
    }

    /// A candidate named by number (from 1) or, when the file has them, by nickname.
    fn candidate(&self, text: &str, token: &Token<'_>) -> Result<Alternative, ReadError> {
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return self.candidate_number(text, token);
        }
        if let Some(&a) = self.nick_index.get(text) {
            return Ok(a);
        }
        let expected = if self.nick_index.is_empty() { "a candidate number" } else { "a candidate number or nickname" };
        Err(self.error(token, format!("expected {expected}, found {text:?}")))
    }

    fn candidate_number(&self, text: &str, token: &Token<'_>) -> Result<Alternative, ReadError> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(token, format!("expected a candidate number, found {text:?}")));
        }
        match whole_number(text).and_then(|n| usize::try_from(n).ok()) {
            Some(n) if (1..=self.m).contains(&n) => Ok(n - 1),
            _ => Err(self.error(token, format!("candidate {text} does not exist: there are {}", self.m))),
        }
    }

    /// The ballots, from `first` to the `0` that ends them.
    fn ballots(&mut self, first: Token<'a>) -> Result<(), ReadError> {
        let mut token = first;
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut seen = vec![0usize; self.m];
        let mut entries: Vec<Alternative> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        for ballot in 1.. {
            let count = match token.kind {
                Kind::Word if whole_number(token.text) == Some(0) => break,
                Kind::Word => self.weight(&token)?,
                Kind::Id => {
                    let id = token.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if id.is_empty() {
                        return Err(self.error(&token, "an empty ballot id `()`"));
                    }
                    if let Some(line) = ids.insert(id.clone(), token.line) {
                        return Err(self.error(&token, format!("ballot id {id:?} is also on line {line}")));
                    }
                    self.election.ballot_ids.push(id);
                    1
                }
                _ => {
                    return Err(
                        self.error(&token, format!("expected a ballot or the `0` that ends them, found {}", token.shown()))
                    );
                }
            };
            let with_ids = self.election.ballot_ids.len();
            if with_ids != 0 && with_ids != ballot {
                return Err(self.error(&token, "ballot ids must be on every ballot or on none"));
            }
            if self.election.rankings.voters().checked_add(count).is_none() {
                return Err(self.error(&token, format!("the weights add up to more than {}", u64::MAX)));
            }

            entries.clear();
            ends.clear();
            loop {
                let next = self.lex.next()?;
                let Some(item) = next.filter(|t| t.line == token.line) else {
                    return Err(self.error(&token, "this ballot does not end with `0` on its line"));
                };
                if item.kind != Kind::Word {
                    return Err(self
                        .error(&item, format!("expected a candidate or the `0` that ends the ballot, found {}", item.shown())));
                }
                if whole_number(item.text) == Some(0) {
                    break;
                }
                self.ranked(&item, ballot, &mut seen, &mut entries)?;
                ends.push(entries.len());
            }
            let mut groups = Vec::with_capacity(ends.len());
            let mut start = 0;
            for &end in &ends {
                groups.push(&entries[start..end]);
                start = end;
            }
            // Ranges, repeats and the total were checked above.
            self.election.rankings.push(count, &groups).map_err(|e| self.error(&token, e.to_string()))?;
            token = self.next("another ballot, or the `0` that ends them")?;
        }
        Ok(())
    }

    /// A ballot's weight: a whole number of voters.
    fn weight(&self, token: &Token<'_>) -> Result<u64, ReadError> {
        let text = token.text;
        if let Some(count) = whole_number(text) {
            return Ok(count);
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let message = if text.split_once('.').is_some_and(|(a, b)| digits(a) && digits(b)) {
            format!("ballot weights must be whole numbers, found {text}: fractional weights are not supported")
        } else if text.starts_with('-') {
            format!("withdrawn candidates ({text}) must come before the first ballot")
        } else if text.bytes().all(|b| b.is_ascii_digit()) {
            format!("the weight {text} is too large")
        } else {
            format!("expected a ballot weight, a ballot id `(…)` or the `0` that ends the ballots, found {text:?}")
        };
        Err(self.error(token, message))
    }

    /// One rank of a ballot: a candidate, or candidates joined by `=`, none of them already on
    /// the ballot (`seen[a] == ballot` when it is).
    fn ranked(
        &self,
        item: &Token<'_>,
        ballot: usize,
        seen: &mut [usize],
        entries: &mut Vec<Alternative>,
    ) -> Result<(), ReadError> {
        let mut column = item.column;
        for part in item.text.split('=') {
            let at = Token { column, ..*item };
            column += part.chars().count() + 1;
            if part.is_empty() {
                return Err(self.error(&at, format!("an empty place in the equal ranking {:?}", item.text)));
            }
            if part == "-" {
                return Err(self.error(&at, "skipped rankings (`-`) are not supported: counters disagree on what they mean"));
            }
            let a = self.candidate(part, &at)?;
            if std::mem::replace(&mut seen[a], ballot) == ballot {
                return Err(self.error(&at, format!("candidate {part} appears twice on this ballot")));
            }
            entries.push(a);
        }
        Ok(())
    }

    /// One quoted name per candidate.
    fn names(&mut self) -> Result<(), ReadError> {
        let mut names = Vec::with_capacity(self.m);
        for a in 1..=self.m {
            let expected = format!("the name of candidate {a} of {}, in double quotes", self.m);
            let token = self.next(&expected)?;
            if token.kind != Kind::Quoted {
                return Err(self.error(&token, format!("expected {expected}, found {}", token.shown())));
            }
            names.push(token.text.to_owned());
        }
        self.election.alternatives = names;
        Ok(())
    }

    /// The title, then Wichmann's source and comment, then any notes.
    fn after_names(&mut self) -> Result<(), ReadError> {
        let expected = "the election's title, in double quotes, after the names";
        let token = self.next(expected)?;
        if token.kind != Kind::Quoted {
            return Err(self.error(&token, format!("expected {expected}, found {}", token.shown())));
        }
        self.election.title = (!token.text.is_empty()).then(|| token.text.to_owned());
        let mut rest = self.lex.rest();
        for key in [SOURCE, COMMENT] {
            let trimmed = rest.trim_start();
            let Some(inside) = trimmed.strip_prefix('"') else { break };
            match inside.find(['"', '\n', '\r']) {
                Some(end) if inside[end..].starts_with('"') => {
                    self.election.metadata.push((key.to_owned(), inside[..end].to_owned()));
                    rest = &inside[end + 1..];
                }
                _ => {
                    let (line, column) = end_position(&self.text[..self.text.len() - trimmed.len()]);
                    return Err(ReadError::at(self.name, line, column, "`\"` is never closed on its line: expected `\"`"));
                }
            }
        }
        let notes = rest.trim();
        if !notes.is_empty() {
            self.election.metadata.push((NOTES.to_owned(), notes.replace("\r\n", "\n").replace('\r', "\n")));
        }
        Ok(())
    }
}
