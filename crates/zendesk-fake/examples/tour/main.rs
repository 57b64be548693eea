//! The tour: the Attachments page's workflow and a side conversation's
//! whole life, through `zendesk-client`.
//!
//! `cargo run --example tour` starts a local `zendesk-fake` (which checks
//! every request and response against the spec) and drives it. With
//! `ZENDESK_SUBDOMAIN` (or `ZENDESK_BASE_URL`) and credentials in the
//! environment it runs against that account instead: reading ticket
//! `ZENDESK_TOUR_TICKET_ID` only, unless `--allow-writes` is given (then it
//! makes a ticket of its own and works on it).

mod steps;

use std::process::ExitCode;

use zendesk_client::{Client, ClientBuilder, Credentials, ExportCheckpoint};

#[tokio::main]
async fn main() -> ExitCode {
    let allow_writes = std::env::args().any(|a| a == "--allow-writes");
    let real = ["ZENDESK_SUBDOMAIN", "ZENDESK_BASE_URL"]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    let result = if real {
        against_account(allow_writes).await
    } else {
        against_fake().await
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tour failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn against_fake() -> Result<(), steps::TourError> {
    let config = zendesk_fake::Config {
        validate_responses: true,
        ..zendesk_fake::Config::default()
    };
    let fake = zendesk_fake::start(config).await?;
    println!(
        "started zendesk-fake at {} (it checks every request and response against the spec)",
        fake.base_url()
    );
    let client = |email: &str, token: &str| {
        Client::builder()
            .base_url(fake.base_url())
            .credentials(Credentials::api_token(email, token))
            .build()
    };
    let (agent, admin, end_user) = (
        client("agent@example.com", "agent-token")?,
        client("admin@example.com", "admin-token")?,
        client("customer@example.com", "customer-token")?,
    );
    let tour = steps::Tour::of_default_fake(&agent, &admin, &end_user);
    let outcome = steps::run(&tour, &mut |line| println!("{line}")).await?;
    let missing: Vec<_> = outcome
        .created_events
        .iter()
        .filter(|id| !outcome.exported_events.contains(id))
        .collect();
    if !missing.is_empty() {
        return Err(format!("the export missed events {missing:?}").into());
    }
    println!(
        "done: {} steps, every event the tour made exported once",
        outcome.steps
    );
    fake.stop().await?;
    Ok(())
}

async fn against_account(allow_writes: bool) -> Result<(), steps::TourError> {
    let ticket_id: i64 = std::env::var("ZENDESK_TOUR_TICKET_ID")
        .map_err(|_| "set ZENDESK_TOUR_TICKET_ID to the ticket the tour may use")?
        .parse()
        .map_err(|_| "ZENDESK_TOUR_TICKET_ID is not a ticket id")?;
    let client = ClientBuilder::from_env()?.build()?;
    let day_ago = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64
        - 86_400;
    let tour = steps::Tour {
        agent: &client,
        admin: &client,
        end_user: &client,
        ticket_id,
        writes: allow_writes,
        export_from: ExportCheckpoint::from_start_time(day_ago),
    };
    println!(
        "touring ticket {ticket_id} of a real account ({})",
        if allow_writes {
            "with writes"
        } else {
            "read-only"
        }
    );
    let outcome = steps::run(&tour, &mut |line| println!("{line}")).await?;
    println!("done: {} steps", outcome.steps);
    Ok(())
}
