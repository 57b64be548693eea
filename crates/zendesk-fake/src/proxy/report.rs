//! The proxy's report: every violation as a JSON Lines record, written as
//! it is found (`--report FILE`), and a summary kept in memory (exchanges
//! per operation, violations per rule: bounded by the spec's size).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

use crate::layer::checks::{Finding, Side};

/// What the report says of the exchanges so far.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Exchanges per operation (`unknown` for paths the spec does not know).
    pub exchanges: BTreeMap<String, u64>,
    /// Violations per rule broken.
    pub violations: BTreeMap<String, u64>,
    /// Exchanges with at least one violation.
    pub exchanges_with_violations: u64,
    /// Properties the spec does not describe, by operation, status and
    /// place (`ShowAttachment 200 /attachment/width (integer)`): how many
    /// answers carried each. At most 10,000 places are kept.
    pub undocumented: BTreeMap<String, u64>,
    /// Places past the 10,000 kept, counted but not kept.
    pub undocumented_dropped: u64,
    /// Report lines that could not be written (the disk full, say).
    pub unwritten: u64,
}

/// The most places of undocumented properties a summary keeps: what an
/// upstream sends is not the spec's size, and need not be bounded.
pub const MAX_UNDOCUMENTED: usize = 10_000;

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: u64 = self.exchanges.values().sum();
        writeln!(
            f,
            "{total} exchanges, {} with violations",
            self.exchanges_with_violations
        )?;
        for (operation, count) in &self.exchanges {
            writeln!(f, "  {count:>8}  {operation}")?;
        }
        if !self.violations.is_empty() {
            writeln!(f, "violations per rule:")?;
            for (rule, count) in &self.violations {
                writeln!(f, "  {count:>8}  {rule}")?;
            }
        }
        if !self.undocumented.is_empty() {
            writeln!(f, "properties the spec does not describe (not violations):")?;
            for (place, count) in &self.undocumented {
                writeln!(f, "  {count:>8}  {place}")?;
            }
        }
        if self.undocumented_dropped > 0 {
            writeln!(
                f,
                "{} more places of undocumented properties were counted, not kept",
                self.undocumented_dropped
            )?;
        }
        if self.unwritten > 0 {
            writeln!(f, "{} report lines could not be written", self.unwritten)?;
        }
        Ok(())
    }
}

/// One exchange, as a report line names it.
pub struct Reported<'a> {
    pub operation: Option<&'a str>,
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
}

#[derive(Serialize)]
struct Line<'a> {
    operation: Option<&'a str>,
    method: &'a str,
    path: &'a str,
    status: u16,
    side: Side,
    pointer: &'a str,
    rule: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    json_type: Option<&'static str>,
}

/// The report of one proxy.
#[derive(Debug)]
pub struct Report {
    file: Option<Mutex<BufWriter<File>>>,
    summary: Mutex<Summary>,
}

impl Report {
    /// A report that writes its lines to `path` (created or truncated), or
    /// keeps only the summary.
    pub fn create(path: Option<&Path>) -> std::io::Result<Report> {
        let file = match path {
            Some(path) => Some(Mutex::new(BufWriter::new(File::create(path)?))),
            None => None,
        };
        Ok(Report {
            file,
            summary: Mutex::new(Summary::default()),
        })
    }

    /// Counts an exchange and writes its violations.
    pub fn add(&self, exchange: &Reported<'_>, findings: &[Finding]) {
        let unwritten = self.write(exchange, findings.iter());
        let mut summary = self.summary.lock().unwrap_or_else(|e| e.into_inner());
        *summary
            .exchanges
            .entry(exchange.operation.unwrap_or("unknown").to_string())
            .or_default() += 1;
        for finding in findings {
            *summary.violations.entry(finding.rule.clone()).or_default() += 1;
        }
        if !findings.is_empty() {
            summary.exchanges_with_violations += 1;
        }
        summary.unwritten += unwritten;
    }

    /// Counts the properties an answer carries that the spec does not
    /// describe, and writes a line for each place the first time it is
    /// seen (rule `undocumented`).
    pub fn add_undocumented(&self, exchange: &Reported<'_>, found: &[Finding]) {
        if found.is_empty() {
            return;
        }
        let mut first_seen = Vec::new();
        {
            let mut summary = self.summary.lock().unwrap_or_else(|e| e.into_inner());
            for finding in found {
                let place = format!(
                    "{} {} {} ({})",
                    exchange.operation.unwrap_or("unknown"),
                    exchange.status,
                    finding.pointer,
                    finding.json_type.unwrap_or("")
                );
                if let Some(count) = summary.undocumented.get_mut(&place) {
                    *count += 1;
                } else if summary.undocumented.len() < MAX_UNDOCUMENTED {
                    summary.undocumented.insert(place, 1);
                    first_seen.push(finding);
                } else {
                    summary.undocumented_dropped += 1;
                }
            }
        }
        let unwritten = self.write(exchange, first_seen.into_iter());
        self.summary.lock().unwrap_or_else(|e| e.into_inner()).unwritten += unwritten;
    }

    /// Writes a line per finding; how many could not be written.
    fn write<'a>(&self, exchange: &Reported<'_>, findings: impl Iterator<Item = &'a Finding>) -> u64 {
        let findings: Vec<&Finding> = findings.collect();
        let mut unwritten = 0;
        if let (Some(file), false) = (&self.file, findings.is_empty()) {
            let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
            for finding in &findings {
                let line = Line {
                    operation: exchange.operation,
                    method: exchange.method,
                    path: exchange.path,
                    status: exchange.status,
                    side: finding.side,
                    pointer: &finding.pointer,
                    rule: &finding.rule,
                    message: &finding.message,
                    json_type: finding.json_type,
                };
                let written = serde_json::to_writer(&mut *file, &line)
                    .map_err(std::io::Error::from)
                    .and_then(|()| file.write_all(b"\n"));
                if written.is_err() {
                    unwritten += 1;
                }
            }
            if file.flush().is_err() {
                unwritten += findings.len() as u64;
            }
        }
        unwritten
    }

    /// The summary so far.
    pub fn summary(&self) -> Summary {
        self.summary.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
