//! How `zendesk-validate` reports: per payload as it is checked, in one of
//! three formats, then a summary and the exit status.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use zendesk_validate::file_names::Target;
use zendesk_validate::{Checked, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: pointer: message`, then `N valid, M invalid`.
    Human,
    /// One JSON object per line for each problem found.
    Json,
    /// GitHub Actions `::error` annotations.
    Github,
}

/// What the reporter needs to know about the payloads of one source.
pub struct PayloadContext<'a> {
    pub file: &'a str,
    pub target: &'a Target,
    /// The file's name marks its payloads as ones that must fail.
    pub expect_invalid: bool,
}

pub struct Reporter {
    format: Format,
    out: BufWriter<io::Stdout>,
    valid: u64,
    invalid: u64,
    invalid_as_expected: u64,
    valid_unexpectedly: u64,
    io_errors: u64,
    /// Properties the spec does not describe, as reported.
    undocumented: u64,
    /// Whether an undocumented property fails the run.
    deny_undocumented: bool,
}

impl Reporter {
    pub fn new(format: Format, deny_undocumented: bool) -> Self {
        Reporter {
            format,
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
            valid: 0,
            invalid: 0,
            invalid_as_expected: 0,
            valid_unexpectedly: 0,
            io_errors: 0,
            undocumented: 0,
            deny_undocumented,
        }
    }

    /// A source that could not be read or named: reported on stderr, and the
    /// run ends with status 2 after checking everything else.
    pub fn io_error(&mut self, file: &str, message: &str) {
        self.io_errors += 1;
        let _ = self.out.flush();
        eprintln!("zendesk-validate: {file}: {message}");
    }

    pub fn payload(&mut self, context: &PayloadContext<'_>, checked: &Checked) {
        for note in &checked.notes {
            if self.format == Format::Human {
                self.line(&format!(
                    "{}:{}:1: note: {note}",
                    context.file, checked.line
                ));
            }
        }
        let problems: Vec<Problem> = match &checked.verdict {
            Verdict::Valid if context.expect_invalid => {
                self.valid_unexpectedly += 1;
                vec![Problem {
                    line: checked.line,
                    column: 1,
                    pointer: None,
                    schema_location: None,
                    message: "valid, but the file's name marks it invalid".to_string(),
                    kind: "unexpectedly-valid",
                }]
            }
            Verdict::Valid => {
                self.valid += 1;
                Vec::new()
            }
            Verdict::Invalid(_) | Verdict::Malformed { .. } if context.expect_invalid => {
                self.invalid += 1;
                self.invalid_as_expected += 1;
                Vec::new()
            }
            Verdict::Invalid(found) => {
                self.invalid += 1;
                found
                    .iter()
                    .map(|located| Problem {
                        line: located.line,
                        column: located.column,
                        pointer: Some(located.violation.pointer.clone()),
                        schema_location: Some(located.violation.schema_location.clone()),
                        message: located.violation.message.clone(),
                        kind: "violation",
                    })
                    .collect()
            }
            Verdict::Malformed {
                line,
                column,
                message,
            } => {
                self.invalid += 1;
                vec![Problem {
                    line: *line,
                    column: *column,
                    pointer: None,
                    schema_location: None,
                    message: message.clone(),
                    kind: "malformed",
                }]
            }
        };
        let undocumented = checked.undocumented.iter().map(|located| Problem {
            line: located.line,
            column: located.column,
            pointer: Some(located.field.pattern.clone()),
            schema_location: None,
            message: format!(
                "{} property the spec does not describe",
                located.field.json_type
            ),
            kind: "undocumented",
        });
        self.undocumented += checked.undocumented.len() as u64;
        for problem in problems.into_iter().chain(undocumented) {
            let text = self.render(context, &problem);
            self.line(&text);
        }
    }

    fn render(&self, context: &PayloadContext<'_>, problem: &Problem) -> String {
        let file = context.file;
        let (line, column) = (problem.line, problem.column);
        let located_message = match &problem.pointer {
            Some(pointer) if pointer.is_empty() => format!("(root): {}", problem.message),
            Some(pointer) => format!("{pointer}: {}", problem.message),
            None => problem.message.clone(),
        };
        // An undocumented property is a notice, unless it fails the run.
        let level = if problem.kind == "undocumented" && !self.deny_undocumented {
            "notice"
        } else {
            "error"
        };
        match self.format {
            Format::Human => format!("{file}:{line}:{column}: {located_message}"),
            Format::Github => format!(
                "::{level} file={},line={line},col={column},title=zendesk-validate ({})::{}",
                escape_property(file),
                escape_property(&context.target.to_string()),
                escape_data(&located_message)
            ),
            Format::Json => serde_json::json!({
                "file": file,
                "line": line,
                "column": column,
                "target": context.target.to_string(),
                "kind": problem.kind,
                "pointer": problem.pointer,
                "schema_location": problem.schema_location,
                "message": problem.message,
            })
            .to_string(),
        }
    }

    fn line(&mut self, text: &str) {
        // A reader that went away (`| head`) ends the output, not the run.
        let _ = writeln!(self.out, "{text}");
    }

    /// Prints the summary and returns the exit status.
    pub fn finish(mut self) -> ExitCode {
        let mut summary = format!("{} valid, {} invalid", self.valid, self.invalid);
        if self.invalid_as_expected > 0 {
            summary.push_str(&format!(
                " ({} of them marked invalid, as expected)",
                self.invalid_as_expected
            ));
        }
        if self.valid_unexpectedly > 0 {
            summary.push_str(&format!(
                ", {} marked invalid but valid",
                self.valid_unexpectedly
            ));
        }
        if self.io_errors > 0 {
            summary.push_str(&format!(", {} not checked (see above)", self.io_errors));
        }
        if self.undocumented > 0 {
            summary.push_str(&format!(
                "; {} propert{} the spec does not describe",
                self.undocumented,
                if self.undocumented == 1 { "y" } else { "ies" }
            ));
        }
        match self.format {
            Format::Json => {
                let _ = self.out.flush();
                eprintln!("{summary}");
            }
            Format::Human | Format::Github => self.line(&summary),
        }
        let _ = self.out.flush();
        if self.io_errors > 0 {
            ExitCode::from(2)
        } else if self.invalid > self.invalid_as_expected
            || self.valid_unexpectedly > 0
            || (self.deny_undocumented && self.undocumented > 0)
        {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

struct Problem {
    line: usize,
    column: usize,
    pointer: Option<String>,
    schema_location: Option<String>,
    message: String,
    kind: &'static str,
}

/// Writes to stdout; a reader that went away is not an error.
pub fn write_stdout(text: &str) {
    let _ = io::stdout().lock().write_all(text.as_bytes());
}

/// GitHub's escaping for an annotation's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping for an annotation's properties (`file=`, `title=`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
