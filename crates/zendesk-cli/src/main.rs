//! `zendesk`: a subcommand per operation of the spec, `export-events` (the
//! resumable export to JSON Lines) and `completions`.
//!
//! The account and credentials come from the environment, as the client
//! reads them: `ZENDESK_SUBDOMAIN` or `ZENDESK_BASE_URL`, and
//! `ZENDESK_EMAIL` with `ZENDESK_API_TOKEN`, or `ZENDESK_OAUTH_TOKEN`.
//! Exit status: 0 success, 1 an error from the service, 2 usage or a local
//! error.

mod export;
mod files;
#[rustfmt::skip]
mod generated;
mod invoke;

use std::process::ExitCode;

use invoke::CliError;
use zendesk_client::{Client, RetryPolicy};

const AFTER_HELP: &str = "\
The account and credentials come from the environment:
  ZENDESK_SUBDOMAIN (or ZENDESK_BASE_URL)
  ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN

Exit status: 0 success, 1 an error from the service, 2 usage or a local error.";

fn command() -> clap::Command {
    clap::Command::new("zendesk")
        .about("Zendesk's side conversations, tickets and attachments API, an operation per subcommand")
        .version(env!("CARGO_PKG_VERSION"))
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            clap::Arg::new("max-attempts")
                .long("max-attempts")
                .global(true)
                .value_name("N")
                .value_parser(clap::value_parser!(u32).range(1..))
                .help("Tries per request, the first included, before an error is final [default: the client's]"),
        )
        .arg(
            clap::Arg::new("no-pacing")
                .long("no-pacing")
                .global(true)
                .action(clap::ArgAction::SetTrue)
                .help("Send at once instead of pacing under the account's rate limit (for a fake that does not enforce one)"),
        )
        .subcommands(generated::commands())
        .subcommand(export::command())
        .subcommand(
            clap::Command::new("completions")
                .about("Print a shell completion script")
                .arg(
                    clap::Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

fn client(args: &clap::ArgMatches) -> Result<Client, CliError> {
    let mut retry = RetryPolicy::default();
    if let Some(attempts) = args.get_one::<u32>("max-attempts") {
        retry = retry.with_max_attempts(*attempts);
    }
    zendesk_client::ClientBuilder::from_env()
        .map(|builder| match args.get_flag("no-pacing") {
            true => builder.pacing(zendesk_client::Pacing::off()),
            false => builder,
        })
        .and_then(|builder| builder.retry(retry).build())
        .map_err(|e| CliError::local(e.to_string()))
}

async fn run(args: clap::ArgMatches) -> Result<(), CliError> {
    let Some((name, sub)) = args.subcommand() else {
        return Err(CliError::local("no subcommand"));
    };
    if name == "completions" {
        if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
            clap_complete::generate(*shell, &mut command(), "zendesk", &mut std::io::stdout());
        }
        return Ok(());
    }
    let client = client(sub)?;
    if name == export::NAME {
        return export::run(&client, sub).await;
    }
    match generated::run(&client, name, sub).await {
        Some(outcome) => outcome,
        None => Err(CliError::local(format!("no subcommand {name}"))),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = command().get_matches();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("zendesk: {}", error.message);
            ExitCode::from(error.exit_code)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_consistent() {
        super::command().debug_assert();
    }
}
