//! `plenum pb explain FILE [--project ID]`: why each project was or was not funded.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use plenum_choice::pb::rules::Count;

use super::load;
use super::rule_args::RuleArgs;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The Pabulib (.pb) file.
    file: PathBuf,
    #[command(flatten)]
    rule: RuleArgs,
    /// Only this project (its project_id); all projects when absent.
    #[arg(long)]
    project: Option<String>,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let election = load(&args.file).map_err(anyhow::Error::msg)?;
    let outcome = Count::new(&election).explaining().run(&args.rule.spec()).with_context(|| args.file.display().to_string())?;
    let instance = &election.instance;
    let projects: Vec<usize> = match &args.project {
        Some(id) => vec![
            instance.project_index(id).with_context(|| format!("{}: no project with project_id {id:?}", args.file.display()))?,
        ],
        None => {
            // Funded first, in the order the rule chose them, then the rest in file order.
            let mut order = outcome.selected.clone();
            order.extend((0..instance.projects.len()).filter(|p| !outcome.selected.contains(p)));
            order
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{}: rule {}", args.file.display(), outcome.spec)?;
    for note in &outcome.notes {
        writeln!(out, "  note: {note}")?;
    }
    for p in projects {
        let project = &instance.projects[p];
        let name = instance.project_field(p, "name").map(|n| format!(" ({n})")).unwrap_or_default();
        writeln!(out, "{}{name}: {}", project.id, outcome.explain(&election, p))?;
    }
    Ok(ExitCode::SUCCESS)
}
