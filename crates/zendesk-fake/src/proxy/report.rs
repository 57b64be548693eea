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
    /// Report lines that could not be written (the disk full, say).
    pub unwritten: u64,
}

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
        let mut unwritten = 0;
        if let (Some(file), false) = (&self.file, findings.is_empty()) {
            let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
            for finding in findings {
                let line = Line {
                    operation: exchange.operation,
                    method: exchange.method,
                    path: exchange.path,
                    status: exchange.status,
                    side: finding.side,
                    pointer: &finding.pointer,
                    rule: &finding.rule,
                    message: &finding.message,
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

    /// The summary so far.
    pub fn summary(&self) -> Summary {
        self.summary.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
