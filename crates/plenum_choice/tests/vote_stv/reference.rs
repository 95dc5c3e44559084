//! The reference data: `.blt` ballot files and Droop-format count transcripts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use plenum_choice::Rational;
use plenum_choice::vote::{Election, blt};

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/stv")
}

/// A `.blt` file of the reference set, read by Plenum's reader.
pub fn read_blt(file: &str) -> Election {
    let path = testdata().join(file);
    blt::read(file, &std::fs::read(path).unwrap()).unwrap()
}

/// One action of a Droop-format transcript, with the candidates' votes when it lists them.
#[derive(Debug)]
pub struct Action {
    /// The `Round N:` it belongs to (0 before the first).
    pub round: usize,
    pub text: String,
    pub votes: HashMap<String, String>,
    pub stats: HashMap<String, String>,
}

impl Action {
    /// The candidate an `Elect…`/`Defeat…` action names.
    fn subject(&self) -> &str {
        self.text.rsplit_once(": ").map_or("", |(_, name)| name)
    }
    fn is_elect(&self) -> bool {
        self.text.starts_with("Elect")
    }
    fn is_remaining(&self) -> bool {
        self.text.contains("remaining")
    }
    fn is_defeat(&self) -> bool {
        self.text.starts_with("Defeat") && !self.is_remaining()
    }
}

pub struct Transcript {
    pub quota: String,
    pub actions: Vec<Action>,
}

pub fn read_transcript(path: &Path) -> Transcript {
    let text = std::fs::read_to_string(path).unwrap();
    let (mut quota, mut actions, mut round) = (String::new(), Vec::<Action>::new(), 0);
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("Round ") {
            round = n.trim_end_matches(':').parse().unwrap();
        } else if let Some(action) = line.strip_prefix("Action: ") {
            let text = action.to_owned();
            actions.push(Action { round, text, votes: HashMap::new(), stats: HashMap::new() });
        } else if let Some((key, value)) = line.trim().split_once(':') {
            let value = value.trim();
            match actions.last_mut() {
                None if key == "Quota" => quota = value.to_owned(),
                None => {}
                Some(action) if ["Elected", "Hopeful", "Pending", "Defeated"].contains(&key) => {
                    let (names, votes) = value.rsplit_once(" (").unwrap();
                    for name in names.split(", ") {
                        action.votes.insert(name.to_owned(), votes.trim_end_matches(')').to_owned());
                    }
                }
                Some(action) => {
                    action.stats.insert(key.to_owned(), value.to_owned());
                }
            }
        }
    }
    Transcript { quota, actions }
}

/// A round as a transcript shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub tallies: Vec<String>,
    pub exhausted: String,
    pub quota: String,
    pub elected: Vec<String>,
    pub eliminated: Vec<String>,
}

fn decimal(s: &str) -> Rational {
    s.parse().unwrap()
}

fn tallies(action: &Action, names: &[String], digits: u32) -> Vec<String> {
    let zero = Rational::ZERO.to_decimal(digits);
    names.iter().map(|n| action.votes.get(n).cloned().unwrap_or_else(|| zero.clone())).collect()
}

/// The rounds of a WIGM or Scottish transcript: one per transfer with what it elected after it
/// and what it excluded before it. Transfers of a zero surplus change nothing and are skipped.
pub fn gregory_rounds(t: &Transcript, names: &[String], digits: u32) -> Vec<Expected> {
    let mut rounds: Vec<Expected> = Vec::new();
    let mut eliminated = Vec::new();
    for action in &t.actions {
        let zero_surplus = action.text.starts_with("Surplus transferred")
            && decimal(action.text.rsplit_once('(').unwrap().1.trim_end_matches(')')).is_zero();
        let stage = action.text == "Begin Count"
            || action.text.starts_with("Transfer defeated")
            || (action.text.starts_with("Surplus transferred") && !zero_surplus);
        if stage {
            let exhausted = ["Nontransferable votes", "Residual"].iter().map(|k| decimal(&action.stats[*k])).sum::<Rational>();
            rounds.push(Expected {
                tallies: tallies(action, names, digits),
                exhausted: exhausted.to_decimal(digits),
                quota: t.quota.clone(),
                elected: Vec::new(),
                eliminated: std::mem::take(&mut eliminated),
            });
        } else if action.is_elect() {
            rounds.last_mut().unwrap().elected.push(action.subject().to_owned());
        } else if action.is_defeat() {
            eliminated.push(action.subject().to_owned());
        }
    }
    rounds
}

/// The rounds of a Meek transcript: one per `Round N:`, with the votes of its first election
/// or exclusion; candidates elected as the remaining ones belong to the last round.
pub fn meek_rounds(t: &Transcript, names: &[String], digits: u32) -> Vec<Expected> {
    let mut rounds: Vec<Expected> = Vec::new();
    let mut current = usize::MAX;
    for action in &t.actions {
        let decisive = (action.is_elect() && !action.is_remaining()) || action.is_defeat();
        if decisive && action.round != current {
            current = action.round;
            rounds.push(Expected {
                tallies: tallies(action, names, digits),
                exhausted: action.stats["Residual"].clone(),
                quota: action.stats["Quota"].clone(),
                elected: Vec::new(),
                eliminated: Vec::new(),
            });
        }
        if action.is_elect() {
            if rounds.is_empty() {
                let begin = &t.actions[0];
                rounds.push(Expected {
                    tallies: tallies(begin, names, digits),
                    exhausted: begin.stats["Residual"].clone(),
                    quota: begin.stats["Quota"].clone(),
                    elected: Vec::new(),
                    eliminated: Vec::new(),
                });
            }
            rounds.last_mut().unwrap().elected.push(action.subject().to_owned());
        } else if action.is_defeat() {
            rounds.last_mut().unwrap().eliminated.push(action.subject().to_owned());
        }
    }
    rounds
}
