//! `docs/your-account.md`: record through the proxy, replay with no
//! account, and score the fake's fidelity, here with another fake standing
//! in for the account.

#[rustfmt::skip]
#[tokio::test]
async fn record_replay_and_fidelity() -> super::Outcome {
    let account = zendesk_fake::start(Config::default()).await?;
    let zendesk_url = account.base_url().to_string();
    let recording = super::temporary_dir("record_replay_and_fidelity").join("recording");
    // ANCHOR: record-replay
    use zendesk_fake::{Config, ProxyConfig, ReplayConfig};

    // Once, with an account (its URL, and the client's own credentials):
    let recorder = zendesk_fake::start(Config {
        proxy: Some(ProxyConfig { record: Some(recording.clone()), ..ProxyConfig::new(zendesk_url) }),
        ..Config::default()
    }).await?;
    // ... run the suite with its client pointed at recorder.base_url() ...
    // ANCHOR_END: record-replay
    let client = super::agent(&recorder);
    let shown = client.show_ticket().ticket_id(12345).send().await?.into_inner();
    recorder.stop().await?;
    // ANCHOR: replay
    // In CI, with no account:
    let replay = zendesk_fake::start(Config {
        replay: Some(ReplayConfig::new(&recording)),
        ..Config::default()
    }).await?;
    // ANCHOR_END: replay
    let replayed = super::agent(&replay).show_ticket().ticket_id(12345).send().await?.into_inner();
    assert_eq!(replayed.ticket.id, shown.ticket.id);
    // ANCHOR: fidelity
    let fidelity = zendesk_fake::fidelity::run(&recording).await?;
    println!("{fidelity}");   // per operation and status: fields only one side sent, type differences, the score
    // ANCHOR_END: fidelity
    assert_eq!(fidelity.exchanges, 1);
    assert!(fidelity.score > 0.99, "a fake against a fake: {fidelity}");
    Ok(())
}
