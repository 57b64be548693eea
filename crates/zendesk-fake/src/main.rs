//! `zendesk-fake`: serves a stateful local Zendesk until interrupted.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use zendesk_fake::{Config, Faults, RateLimitFault, Role, Seed};

/// Every request allocates on whichever worker thread serves it: mimalloc's
/// per-thread heaps do that without the system allocator's contention.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const AFTER_HELP: &str = "\
The default account has three users (API token / OAuth token):
  admin@example.com     admin     admin-token     admin-oauth
  agent@example.com     agent     agent-token     agent-oauth
  customer@example.com  end user  customer-token
and tickets 12345 (comment 100 holds attachment 498483), 12346, and closed 12347.
Sign in as {email}/token:{api_token} (basic) or with a bearer token.

A seed file is JSON: {\"users\": [...], \"tickets\": [...], \"generated_events\": 0};
print the default one with --print-seed.";

/// A stateful local Zendesk for side conversations and attachments.
#[derive(Parser, Debug)]
#[command(name = "zendesk-fake", version, after_help = AFTER_HELP)]
struct Args {
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,

    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,

    /// Users and tickets to start with, as JSON (see --print-seed).
    #[arg(long, value_name = "FILE")]
    seed: Option<PathBuf>,

    /// Also generate this many side conversation events on the first ticket.
    #[arg(long, value_name = "N", default_value_t = 0)]
    generated_events: u64,

    /// Answer 429 beyond this many requests per --rate-limit-window.
    #[arg(long, value_name = "REQUESTS")]
    rate_limit: Option<u32>,

    /// The rate limit's window, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    rate_limit_window: u64,

    /// The share of requests answered 503 (0.0 to 1.0).
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    unavailable_share: f64,

    /// Milliseconds added before every answer.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,

    /// Requests the journal (GET /__fake/journal) keeps, the most recent
    /// ones; 0 keeps none.
    #[arg(long, value_name = "N", default_value_t = zendesk_fake::DEFAULT_JOURNAL_LIMIT)]
    journal_limit: usize,

    /// Check every response against the spec before sending it.
    #[arg(long)]
    validate_responses: bool,

    /// Print the default seed as JSON and exit.
    #[arg(long)]
    print_seed: bool,
}

/// Prints a line; a reader that went away does not stop the server.
fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.print_seed {
        say(&serde_json::to_string_pretty(&Seed::default()).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    if !(0.0..=1.0).contains(&args.unavailable_share) {
        eprintln!("zendesk-fake: --unavailable-share must be from 0.0 to 1.0");
        return ExitCode::from(2);
    }
    let mut seed = match &args.seed {
        None => Seed::default(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                serde_json::from_str::<Seed>(&text)
                    .map_err(|e| format!("line {}, column {}: {e}", e.line(), e.column()))
            }) {
            Ok(seed) => seed,
            Err(message) => {
                eprintln!("zendesk-fake: {}: {message}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    seed.generated_events += args.generated_events;
    let config = Config {
        seed,
        faults: Faults {
            rate_limit: args.rate_limit.map(|requests| RateLimitFault {
                requests,
                window: Duration::from_secs(args.rate_limit_window),
                retry_after: args.rate_limit_window,
            }),
            unavailable_share: args.unavailable_share,
            unavailable_retry_after: 1,
            latency: Duration::from_millis(args.latency_ms),
            random_seed: 0x5eed,
        },
        validate_responses: args.validate_responses,
        journal_limit: args.journal_limit,
        ..Config::default()
    };
    let users: Vec<String> = config
        .seed
        .users
        .iter()
        .map(|u| {
            let role = match u.role {
                Role::Admin => "admin",
                Role::Agent => "agent",
                Role::EndUser => "end user",
            };
            format!("  {} ({role})", u.email)
        })
        .collect();
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "zendesk-fake: cannot listen on {}:{}: {error}",
                args.host, args.port
            );
            return ExitCode::from(2);
        }
    };
    let fake = match zendesk_fake::serve_on(listener, config).await {
        Ok(fake) => fake,
        Err(error) => {
            eprintln!("zendesk-fake: {error}");
            return ExitCode::FAILURE;
        }
    };
    say(&format!(
        "zendesk-fake serving {}\nusers:\n{}\nstop with Ctrl-C",
        fake.base_url(),
        users.join("\n")
    ));
    let _ = tokio::signal::ctrl_c().await;
    match fake.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("zendesk-fake: {error}");
            ExitCode::FAILURE
        }
    }
}
