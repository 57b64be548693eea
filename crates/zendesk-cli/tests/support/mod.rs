//! Running the `zendesk` binary against an in-process `zendesk-fake`.

#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

pub async fn fake(config: zendesk_fake::Config) -> zendesk_fake::FakeZendesk {
    zendesk_fake::start(zendesk_fake::Config {
        validate_responses: true,
        ..config
    })
    .await
    .unwrap()
}

/// An empty folder under the target folder, for one test's files.
pub fn temporary_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("zendesk-cli")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a run of the binary ended with.
#[derive(Debug)]
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The binary, with an environment that names the fake and a user.
pub struct Zendesk {
    environment: Vec<(String, String)>,
}

impl Zendesk {
    pub fn new(fake: &zendesk_fake::FakeZendesk, credentials: &[(&str, &str)]) -> Self {
        let mut environment = vec![("ZENDESK_BASE_URL".to_string(), fake.base_url().to_string())];
        environment.extend(
            credentials
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        Zendesk { environment }
    }

    pub fn agent(fake: &zendesk_fake::FakeZendesk) -> Self {
        Self::new(
            fake,
            &[
                ("ZENDESK_EMAIL", "agent@example.com"),
                ("ZENDESK_API_TOKEN", "agent-token"),
            ],
        )
    }

    pub fn admin(fake: &zendesk_fake::FakeZendesk) -> Self {
        Self::new(fake, &[("ZENDESK_OAUTH_TOKEN", "admin-oauth")])
    }

    pub fn customer(fake: &zendesk_fake::FakeZendesk) -> Self {
        Self::new(
            fake,
            &[
                ("ZENDESK_EMAIL", "customer@example.com"),
                ("ZENDESK_API_TOKEN", "customer-token"),
            ],
        )
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zendesk"));
        command.args(args).env_clear();
        for (key, value) in &self.environment {
            command.env(key, value);
        }
        command
    }

    /// Runs the binary to its end (off the runtime's threads, so the fake
    /// in this process keeps answering).
    pub async fn run(&self, args: &[&str]) -> Ran {
        self.run_with_stdin(args, "").await
    }

    pub async fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Ran {
        let mut command = self.command(args);
        let stdin = stdin.to_string();
        tokio::task::spawn_blocking(move || {
            let mut child = command
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(stdin.as_bytes())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            Ran {
                code: output.status.code().unwrap_or(-1),
                stdout: String::from_utf8(output.stdout).unwrap(),
                stderr: String::from_utf8(output.stderr).unwrap(),
            }
        })
        .await
        .unwrap()
    }

    /// The JSON a successful run printed.
    pub async fn ok(&self, args: &[&str]) -> Value {
        self.ok_with_stdin(args, "").await
    }

    pub async fn ok_with_stdin(&self, args: &[&str], stdin: &str) -> Value {
        let ran = self.run_with_stdin(args, stdin).await;
        assert_eq!(ran.code, 0, "zendesk {args:?}: {}", ran.stderr);
        assert_eq!(
            ran.stdout.lines().count(),
            1,
            "one line when stdout is not a terminal"
        );
        serde_json::from_str(&ran.stdout).unwrap()
    }

    /// The JSON Lines a successful run printed.
    pub async fn lines(&self, args: &[&str]) -> Vec<Value> {
        let ran = self.run(args).await;
        assert_eq!(ran.code, 0, "zendesk {args:?}: {}", ran.stderr);
        ran.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}
