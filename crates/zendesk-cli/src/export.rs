//! `zendesk export-events`: the incremental event export as JSON Lines, one
//! event per line, resumable from a checkpoint file.
//!
//! After each page, the page's events are written and synced to disk
//! (`sync_data`), then the checkpoint is replaced atomically and durably: a
//! temporary file is written and synced, renamed over the old one, and the
//! directory is synced. The checkpoint records how long the output was at
//! that moment, so a run resumed with the same `--output` first cuts away
//! whatever an interrupted run wrote after its last checkpoint: no event is
//! lost or repeated, after a crash or a power cut. Writing to stdout, lines
//! already printed cannot be taken back; the checkpoint still never skips an
//! event.

use std::fs::{File, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use zendesk_client::{Client, ExportCheckpoint};

use crate::invoke::CliError;

pub const NAME: &str = "export-events";

/// What `--checkpoint` holds.
#[derive(Debug, Serialize, Deserialize)]
struct SavedCheckpoint {
    /// Where the export resumes.
    checkpoint: ExportCheckpoint,
    /// The length in bytes of `--output` when it was written (0 on stdout).
    output_bytes: u64,
    /// Events written so far, over every run.
    events: u64,
}

pub fn command() -> clap::Command {
    clap::Command::new(NAME)
        .about("Export every side conversation event from a time on, as JSON Lines")
        .long_about(
            "Export every side conversation event from a time on, as JSON Lines\n\n\
             Follows IncrementalSideConversationEventExport page by page until it has \
             caught up, one event per line. With --checkpoint, the checkpoint is replaced \
             atomically after each page, and a run that finds it resumes from it: with the \
             same --output, an interrupted export (Ctrl-C, a crash, a 429 past the retry \
             budget) loses and repeats no event.\n\nAllowed for: admins.",
        )
        .arg(
            clap::Arg::new("start-time")
                .long("start-time")
                .value_name("UNIX_SECONDS")
                .required(true)
                .value_parser(clap::value_parser!(i64).range(0..))
                .help("Where the export starts, in Unix seconds (a checkpoint, when found, wins)"),
        )
        .arg(
            clap::Arg::new("checkpoint")
                .long("checkpoint")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Resume from this file when it exists; replace it after each page"),
        )
        .arg(
            clap::Arg::new("output")
                .long("output")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Write the events here instead of stdout (appended to when resuming)"),
        )
}

pub async fn run(client: &Client, args: &clap::ArgMatches) -> Result<(), CliError> {
    let start_time = *args.get_one::<i64>("start-time").unwrap_or(&0);
    let checkpoint_path = args.get_one::<PathBuf>("checkpoint");
    let output_path = args.get_one::<PathBuf>("output");
    let saved = match checkpoint_path {
        Some(path) if path.exists() => Some(read_checkpoint(path)?),
        _ => None,
    };
    let mut output = Output::open(output_path, saved.as_ref().map(|s| s.output_bytes))?;
    let (from, mut events) = match saved {
        Some(saved) => (saved.checkpoint, saved.events),
        None => (ExportCheckpoint::from_start_time(start_time), 0),
    };
    let mut progress = Progress::new(events);
    let stream = client.export_events().checkpoint(from).stream();
    let mut stream = std::pin::pin!(stream);
    let mut line = Vec::with_capacity(4096);
    while let Some(page) = stream.try_next().await.map_err(CliError::from_client)? {
        line.clear();
        for event in &page.events {
            serde_json::to_writer(&mut line, event)
                .map_err(|e| CliError::local(format!("an event cannot be written as JSON: {e}")))?;
            line.push(b'\n');
        }
        // With a checkpoint to move on, the events must be on disk first;
        // without one, a sync at the end does.
        let written = output.append(&line, checkpoint_path.is_some())?;
        events += page.events.len() as u64;
        if let Some(path) = checkpoint_path {
            write_checkpoint(
                path,
                &SavedCheckpoint {
                    checkpoint: page.checkpoint.clone(),
                    output_bytes: written,
                    events,
                },
            )?;
        }
        progress.page(page.events.len() as u64, page.checkpoint.start_time);
    }
    output.sync()?;
    progress.finish();
    Ok(())
}

/// Where events go: a file, cut back to a checkpoint's length when
/// resuming, or stdout.
enum Output {
    File {
        file: File,
        name: String,
        length: u64,
    },
    Stdout,
}

impl Output {
    fn open(path: Option<&PathBuf>, resume_at: Option<u64>) -> Result<Output, CliError> {
        let Some(path) = path else {
            return Ok(Output::Stdout);
        };
        let name = path.display().to_string();
        let io = |e: std::io::Error| CliError::local(format!("{name}: {e}"));
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        let existing = file.metadata().map_err(io)?.len();
        let length = resume_at.unwrap_or(0);
        if existing < length {
            return Err(CliError::local(format!(
                "{name} holds {existing} bytes, but the checkpoint was written when it held {length}: \
                 it is not this export's output"
            )));
        }
        // Whatever an interrupted run wrote after its last checkpoint goes.
        file.set_len(length).map_err(io)?;
        Ok(Output::File { file, name, length })
    }

    /// Appends `bytes` and, for a file when `sync` says so, syncs them to
    /// disk; the output's length afterwards.
    fn append(&mut self, bytes: &[u8], sync: bool) -> Result<u64, CliError> {
        match self {
            Output::File { file, name, length } => {
                use std::io::{Seek, SeekFrom};
                file.seek(SeekFrom::Start(*length))
                    .and_then(|_| file.write_all(bytes))
                    .and_then(|_| if sync { file.sync_data() } else { Ok(()) })
                    .map_err(|e| CliError::local(format!("{name}: {e}")))?;
                *length += bytes.len() as u64;
                Ok(*length)
            }
            Output::Stdout => {
                let mut stdout = std::io::stdout().lock();
                stdout
                    .write_all(bytes)
                    .and_then(|_| stdout.flush())
                    .map_err(|e| CliError::local(format!("stdout: {e}")))?;
                Ok(0)
            }
        }
    }
}

impl Output {
    /// Makes everything written durable (a file's data; stdout has no disk).
    fn sync(&mut self) -> Result<(), CliError> {
        match self {
            Output::File { file, name, .. } => file
                .sync_data()
                .map_err(|e| CliError::local(format!("{name}: {e}"))),
            Output::Stdout => Ok(()),
        }
    }
}

fn read_checkpoint(path: &Path) -> Result<SavedCheckpoint, CliError> {
    let name = path.display();
    let text = std::fs::read(path).map_err(|e| CliError::local(format!("{name}: {e}")))?;
    serde_json::from_slice(&text).map_err(|e| {
        CliError::local(format!(
            "{name}:{}:{}: not a checkpoint of this export: {e}",
            e.line(),
            e.column()
        ))
    })
}

/// Writes the checkpoint beside its final place and syncs it, renames it
/// over the old one, then syncs the directory: a reader sees the old
/// checkpoint or the new, never half of one, and after a power cut the disk
/// holds one that points at events it also holds.
fn write_checkpoint(path: &Path, saved: &SavedCheckpoint) -> Result<(), CliError> {
    let name = path.display();
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = PathBuf::from(temporary);
    let bytes = serde_json::to_vec(saved).map_err(|e| CliError::local(e.to_string()))?;
    let write_synced = || -> std::io::Result<()> {
        let mut file = File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()
    };
    write_synced()
        .and_then(|_| std::fs::rename(&temporary, path))
        .and_then(|_| sync_directory_of(path))
        .map_err(|e| CliError::local(format!("{name}: {e}")))
}

/// Makes a rename in `path`'s directory durable (on Unix, a directory is
/// opened and synced like a file; elsewhere the rename is left to the OS).
fn sync_directory_of(path: &Path) -> std::io::Result<()> {
    if !cfg!(unix) {
        return Ok(());
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(directory)?.sync_all()
}

/// The progress line on stderr, when stderr is a terminal.
struct Progress {
    shown: bool,
    started: Instant,
    pages: u64,
    events_at_start: u64,
    events: u64,
}

impl Progress {
    fn new(events: u64) -> Self {
        Progress {
            shown: std::io::stderr().is_terminal(),
            started: Instant::now(),
            pages: 0,
            events_at_start: events,
            events,
        }
    }

    fn page(&mut self, events: u64, reached: i64) {
        self.pages += 1;
        self.events += events;
        if !self.shown {
            return;
        }
        let seconds = self.started.elapsed().as_secs_f64().max(1e-9);
        let rate = (self.events - self.events_at_start) as f64 / seconds;
        let reached = utc(reached);
        eprint!(
            "\r{} pages, {} events, {rate:.0} events/s, reached {reached}   ",
            self.pages, self.events
        );
    }

    fn finish(&self) {
        if self.shown && self.pages > 0 {
            eprintln!();
        }
    }
}

/// Unix seconds as an RFC 3339 UTC time.
fn utc(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|time| time.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| seconds.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_read_as_utc_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_383_685_952), "2013-11-05T21:12:32Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
    }
}
