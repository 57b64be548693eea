//! `cargo xtask import --from FILE (--operation ID[,ID...] | --tag TAG |
//! --all) [--corrections OVERLAY] [--spec SPEC] [--dry-run]`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use xtask::import::{self, Request, Select};
use zendesk_spec::{workspace_root, SPEC_PATH};

const USAGE: &str = "usage: cargo xtask import --from FILE (--operation ID[,ID...] | --tag TAG | --all) [--corrections OVERLAY] [--spec SPEC] [--dry-run]";

pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let request = match parse(args) {
        Ok(request) => request,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match import::import(&request) {
        Ok(outcome) => {
            let report = import::report(&outcome, request.dry_run);
            if let Err(e) = std::io::stdout().lock().write_all(report.as_bytes()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("error: stdout: {e}");
                    return ExitCode::from(2);
                }
            }
            if outcome.refused.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: &[String]) -> Result<Request, String> {
    let root = workspace_root();
    let mut from = None;
    let mut select = None;
    let mut corrections = None;
    let mut spec = root.join(SPEC_PATH);
    let mut dry_run = false;
    let mut args = args.iter();
    let mut set = |select_now: Select| -> Result<(), String> {
        if select.replace(select_now).is_some() {
            return Err("give one of --operation, --tag and --all".into());
        }
        Ok(())
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--from" => from = Some(PathBuf::from(value("--from")?)),
            "--operation" => {
                let ids: Vec<String> = value("--operation")?
                    .split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(String::from)
                    .collect();
                if ids.is_empty() {
                    return Err("--operation needs at least one operationId".into());
                }
                set(Select::Operations(ids))?;
            }
            "--tag" => set(Select::Tag(value("--tag")?))?,
            "--all" => set(Select::All)?,
            "--corrections" => corrections = Some(PathBuf::from(value("--corrections")?)),
            "--spec" => spec = PathBuf::from(value("--spec")?),
            "--dry-run" => dry_run = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Request {
        from: from.ok_or("--from FILE is required")?,
        select: select.ok_or("give one of --operation, --tag and --all")?,
        corrections,
        spec,
        root,
        dry_run,
    })
}
