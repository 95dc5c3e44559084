//! `plenum pb check FILE... [--format text|json]`: pabulib's checks on each file.
//!
//! Exit code: 0 when every file is valid (warnings allowed), 1 when some file has errors, 2
//! when some file could not be read at all (it is reported, and the others are still checked).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use plenum_choice::pb::check::{Finding, Report, check};
use serde::Serialize;

use super::{Format, MAX_FILE_BYTES};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The Pabulib files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// `text` for people, `json` for programs (one object per file per line).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// One file's report on the wire.
#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    file: &'a str,
    valid: bool,
    errors: Vec<JsonFinding<'a>>,
    warnings: Vec<JsonFinding<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonFinding<'a> {
    kind: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding { kind: &f.kind, line: f.line, column: f.column, message: &f.message }
    }
}

impl<'a> From<&'a Report> for JsonReport<'a> {
    fn from(r: &'a Report) -> Self {
        JsonReport {
            file: &r.file,
            valid: r.is_valid(),
            errors: r.errors.iter().map(JsonFinding::from).collect(),
            warnings: r.warnings.iter().map(JsonFinding::from).collect(),
        }
    }
}

/// A file that could not be read, on the wire.
#[derive(Debug, Serialize)]
struct JsonUnreadable<'a> {
    file: &'a str,
    valid: bool,
    unreadable: &'a str,
    errors: [JsonFinding<'a>; 1],
    warnings: [JsonFinding<'a>; 0],
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let (mut invalid, mut unreadable) = (false, false);
    for path in &args.files {
        let name = path.display().to_string();
        match read_file(path) {
            Ok(bytes) => {
                let report = check(&name, &bytes);
                invalid |= !report.is_valid();
                match args.format {
                    Format::Text => write_text(&mut out, &report)?,
                    Format::Json => writeln!(out, "{}", serde_json::to_string(&JsonReport::from(&report))?)?,
                }
            }
            Err(reason) => {
                unreadable = true;
                match args.format {
                    Format::Text => writeln!(out, "{name}: cannot read: {reason}")?,
                    Format::Json => {
                        let finding = JsonFinding { kind: "unreadable file", line: None, column: None, message: &reason };
                        let line =
                            JsonUnreadable { file: &name, valid: false, unreadable: &reason, errors: [finding], warnings: [] };
                        writeln!(out, "{}", serde_json::to_string(&line)?)?;
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if unreadable {
        2
    } else if invalid {
        1
    } else {
        0
    }))
}

/// The whole file, refusing one larger than [`MAX_FILE_BYTES`] before reading it.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {MAX_FILE_BYTES} bytes"));
    }
    Ok(bytes)
}

/// `file: OK`, or each finding as `file:line:column: error: message [kind]`.
fn write_text(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    if report.errors.is_empty() && report.warnings.is_empty() {
        return writeln!(out, "{}: OK", report.file);
    }
    let verdict = if report.is_valid() { "valid" } else { "INVALID" };
    writeln!(out, "{}: {verdict} ({} errors, {} warnings)", report.file, report.errors.len(), report.warnings.len())?;
    for (level, findings) in [("error", &report.errors), ("warning", &report.warnings)] {
        for f in findings {
            let at = match (f.line, f.column) {
                (Some(l), Some(c)) => format!(":{l}:{c}"),
                (Some(l), None) => format!(":{l}"),
                _ => String::new(),
            };
            writeln!(out, "{}{at}: {level}: {} [{}]", report.file, f.message, f.kind)?;
        }
    }
    Ok(())
}
