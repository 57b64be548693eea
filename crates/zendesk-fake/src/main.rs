//! `zendesk-fake`: serves a stateful local Zendesk until interrupted.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use zendesk_fake::{Config, EndpointLimit, Faults, RateLimitFault, Role, Seed, ZendeskPlan};

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

/// A stateful local Zendesk for side conversations, tickets and attachments; or a
/// checking, recording proxy to a real account; or a replay of a recording.
#[derive(Parser, Debug)]
#[command(name = "zendesk-fake", version, after_help = AFTER_HELP, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

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
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    rate_limit_window: u64,

    /// A limit of one operation on top of the account's, as
    /// OPERATION=REQUESTS/SECONDS (IncrementalSideConversationEventExport=10/60);
    /// repeatable.
    #[arg(long, value_name = "OPERATION=N/SECONDS", value_parser = parse_endpoint_limit)]
    endpoint_limit: Vec<EndpointLimit>,

    /// Zendesk's documented limits for a Suite plan: its account limit a
    /// minute (team 200, growth 400, professional 400, enterprise 700,
    /// enterprise-plus 2500) and the incremental export's 10 a minute;
    /// --rate-limit and --endpoint-limit override them.
    #[arg(long, value_name = "PLAN", value_parser = parse_plan)]
    zendesk_limits: Option<ZendeskPlan>,

    /// The share of the account's budget another integration spends (0.0 to
    /// below 1.0), evenly over each window.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    foreign_share: f64,

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

    /// Records (tickets, comments, side conversations, their events and
    /// files, uploads) calls may add after the seed; beyond them a call that
    /// would add one gets 422 AccountFull until POST /__fake/reset.
    #[arg(long, value_name = "N", default_value_t = zendesk_fake::DEFAULT_ACCOUNT_LIMIT)]
    account_limit: usize,

    /// Check every response against the spec before sending it.
    #[arg(long)]
    validate_responses: bool,

    /// Print the default seed as JSON and exit.
    #[arg(long)]
    print_seed: bool,

    /// Forward every request under /api/v2/ to this account
    /// (https://acme.zendesk.com) and check each exchange against the spec.
    #[arg(long, value_name = "URL", conflicts_with = "replay")]
    upstream: Option<String>,

    /// With --upstream: write each violation of the spec to FILE, as JSON Lines.
    #[arg(long, value_name = "FILE", requires = "upstream")]
    report: Option<PathBuf>,

    /// With --upstream: do not forward an invalid request (422), and turn an
    /// invalid answer into a 502.
    #[arg(long, requires = "upstream")]
    strict: bool,

    /// With --upstream: record every exchange, scrubbed, into DIR
    /// (cassette.jsonl, and fixtures/ for zendesk-validate).
    #[arg(long, value_name = "DIR", requires = "upstream")]
    record: Option<PathBuf>,

    /// More scrubbing for --record (and matching for --replay), as
    /// REGEX=REPLACEMENT; repeatable.
    #[arg(long, value_name = "REGEX=REPLACEMENT", value_parser = zendesk_fake::ScrubRule::parse)]
    scrub: Vec<zendesk_fake::ScrubRule>,

    /// Answer from the recording in DIR instead of the stateful account.
    #[arg(long, value_name = "DIR")]
    replay: Option<PathBuf>,

    /// With --replay: answer a request the recording does not hold from the
    /// stateful account instead of with a 404.
    #[arg(long, requires = "replay")]
    replay_fallback: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Sends a recording's requests to a fresh stateful fake and compares
    /// its answers with the recorded ones.
    Fidelity {
        /// The recording's folder (holding cassette.jsonl).
        dir: PathBuf,
        /// How to print the result.
        #[arg(long, value_enum, default_value = "human")]
        format: FidelityFormat,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FidelityFormat {
    Human,
    Json,
}

async fn fidelity(dir: &std::path::Path, format: FidelityFormat) -> ExitCode {
    match zendesk_fake::fidelity::run(dir).await {
        Ok(fidelity) => {
            match format {
                FidelityFormat::Human => say(fidelity.to_string().trim_end()),
                FidelityFormat::Json => say(&serde_json::to_string_pretty(&fidelity).unwrap_or_default()),
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("zendesk-fake fidelity: {message}");
            ExitCode::from(2)
        }
    }
}

/// `OPERATION=REQUESTS/SECONDS`, the operation one of the spec's.
fn parse_endpoint_limit(text: &str) -> Result<EndpointLimit, String> {
    let usage = || format!("{text:?} is not OPERATION=REQUESTS/SECONDS (ShowAttachment=100/60)");
    let (operation, rate) = text.split_once('=').ok_or_else(usage)?;
    let (requests, seconds) = rate.split_once('/').ok_or_else(usage)?;
    let requests: u32 = requests.trim().parse().map_err(|_| usage())?;
    let seconds: u64 = seconds.trim().parse().map_err(|_| usage())?;
    if !(1..=86_400).contains(&seconds) {
        return Err(format!("{text:?}: the window must be from 1 to 86400 seconds"));
    }
    let operation = zendesk_validate::operation(operation.trim()).ok_or_else(|| {
        format!("{text:?}: no operation {operation:?} in the spec (zendesk-validate --list lists them)")
    })?;
    Ok(EndpointLimit {
        operation: operation.id.to_string(),
        requests,
        window: Duration::from_secs(seconds),
    })
}

fn parse_plan(text: &str) -> Result<ZendeskPlan, String> {
    match text {
        "team" => Ok(ZendeskPlan::Team),
        "growth" => Ok(ZendeskPlan::Growth),
        "professional" => Ok(ZendeskPlan::Professional),
        "enterprise" => Ok(ZendeskPlan::Enterprise),
        "enterprise-plus" => Ok(ZendeskPlan::EnterprisePlus),
        other => Err(format!(
            "{other:?} is not a plan: team, growth, professional, enterprise or enterprise-plus"
        )),
    }
}

/// Prints a line; a reader that went away does not stop the server.
fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// The upstream's origin (scheme, host, port) only: a URL may carry
/// credentials.
fn upstream_host(upstream: &str) -> String {
    match reqwest::Url::parse(upstream) {
        Ok(url) => url.origin().ascii_serialization(),
        Err(_) => "the upstream".to_string(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Fidelity { dir, format }) = &args.command {
        return fidelity(dir, *format).await;
    }
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
    if !(0.0..1.0).contains(&args.foreign_share) {
        eprintln!("zendesk-fake: --foreign-share must be from 0.0 to below 1.0");
        return ExitCode::from(2);
    }
    let mut faults = args.zendesk_limits.map(Faults::zendesk_limits).unwrap_or_default();
    if let Some(requests) = args.rate_limit {
        faults.rate_limit = Some(RateLimitFault {
            requests,
            window: Duration::from_secs(args.rate_limit_window),
        });
    }
    for limit in args.endpoint_limit {
        faults.endpoint_limits.retain(|l| l.operation != limit.operation);
        faults.endpoint_limits.push(limit);
    }
    let config = Config {
        seed,
        faults: Faults {
            foreign_share: args.foreign_share,
            unavailable_share: args.unavailable_share,
            unavailable_retry_after: 1,
            latency: Duration::from_millis(args.latency_ms),
            random_seed: 0x5eed,
            ..faults
        },
        validate_responses: args.validate_responses,
        journal_limit: args.journal_limit,
        account_limit: args.account_limit,
        proxy: args.upstream.clone().map(|upstream| zendesk_fake::ProxyConfig {
            upstream,
            report: args.report.clone(),
            strict: args.strict,
            record: args.record.clone(),
            scrub: args.scrub.clone(),
        }),
        replay: args.replay.clone().map(|dir| zendesk_fake::ReplayConfig {
            dir,
            fallback: args.replay_fallback,
            scrub: args.scrub.clone(),
        }),
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
    let mode = match (&args.upstream, &args.replay) {
        (Some(upstream), _) => format!(
            "proxying /api/v2/ to {}{}",
            upstream_host(upstream),
            args.record.as_ref().map(|d| format!(", recording into {}", d.display())).unwrap_or_default()
        ),
        (None, Some(dir)) => format!("replaying {}", dir.display()),
        (None, None) => format!("users:\n{}", users.join("\n")),
    };
    say(&format!(
        "zendesk-fake serving {}\n{mode}\nstop with Ctrl-C (or SIGTERM)",
        fake.base_url(),
    ));
    stop_signal().await;
    if let Some(summary) = fake.proxy_summary() {
        eprint!("{summary}");
    }
    match fake.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("zendesk-fake: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C, or (on Unix) SIGTERM, as a service manager or `kill` sends: either
/// way the fake stops as it should, and a recording reaches the disk.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
