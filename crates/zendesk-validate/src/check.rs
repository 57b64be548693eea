//! Checking payloads as they come: one JSON document, or a stream of JSON
//! Lines read one line at a time (constant memory, whatever the size).

use std::io::{self, BufRead, Read};

use crate::position::{line_and_column, offset_of};
use crate::schemas::{SchemaValidator, Violation};

/// The most bytes one payload may have before it is refused unread.
pub const DEFAULT_MAX_PAYLOAD_BYTES: usize = 64 * 1024 * 1024;

const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// A violation with its place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// 1-based line of the offending value.
    pub line: usize,
    /// 1-based column of the offending value.
    pub column: usize,
    /// What rule it breaks.
    pub violation: Violation,
}

/// What became of one payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Valid against its schema.
    Valid,
    /// Each violation, located.
    Invalid(Vec<Located>),
    /// Not JSON (or not one payload): nothing was validated.
    Malformed {
        /// 1-based line where parsing stopped.
        line: usize,
        /// 1-based column where parsing stopped.
        column: usize,
        /// What the parser said.
        message: String,
    },
}

/// One payload's verdict and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The payload's first line in its source (1-based).
    pub line: usize,
    /// Valid, invalid, or not JSON.
    pub verdict: Verdict,
    /// Things worth knowing that are not errors (a byte-order mark).
    pub notes: Vec<String>,
}

/// Checks one JSON document, whose first line is line `first_line` of its
/// source.
pub fn check_document(bytes: &[u8], first_line: usize, validator: SchemaValidator) -> Checked {
    let mut notes = Vec::new();
    let bytes = match bytes.strip_prefix(BYTE_ORDER_MARK) {
        Some(rest) => {
            notes.push("a UTF-8 byte-order mark was ignored".to_string());
            rest
        }
        None => bytes,
    };
    let malformed = |line: usize, column: usize, message: String| Checked {
        line: first_line,
        verdict: Verdict::Malformed {
            line: first_line + line - 1,
            column,
            message,
        },
        notes: notes.clone(),
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let (line, column) = line_and_column(&String::from_utf8_lossy(valid), valid.len());
            return malformed(
                line,
                column,
                format!("not UTF-8: invalid byte at offset {}", error.valid_up_to()),
            );
        }
    };
    if text.trim().is_empty() {
        return malformed(1, 1, "empty: no JSON payload".to_string());
    }
    let payload: serde_json::Value = match serde_json::from_str(text) {
        Ok(payload) => payload,
        Err(error) => {
            let message = format!(
                "not JSON: {}",
                error
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
            );
            return malformed(error.line().max(1), error.column().max(1), message);
        }
    };
    let violations = validator.validate(&payload);
    let verdict = if violations.is_empty() {
        Verdict::Valid
    } else {
        Verdict::Invalid(
            violations
                .into_iter()
                .map(|violation| {
                    let offset = offset_of(text, &violation.pointer).unwrap_or(0);
                    let (line, column) = line_and_column(text, offset);
                    Located {
                        line: first_line + line - 1,
                        column,
                        violation,
                    }
                })
                .collect(),
        )
    };
    Checked {
        line: first_line,
        verdict,
        notes,
    }
}

/// Checks a whole document from `reader`, refusing one larger than
/// `max_bytes` without reading it all.
pub fn check_reader(
    reader: impl io::Read,
    validator: SchemaValidator,
    max_bytes: usize,
) -> io::Result<Checked> {
    let mut bytes = Vec::new();
    reader.take(max_bytes as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > max_bytes {
        return Ok(too_large(1, max_bytes));
    }
    Ok(check_document(&bytes, 1, validator))
}

/// Checks JSON Lines from `reader`, one payload per line, calling `on_payload`
/// with each verdict as it is reached. Blank lines are skipped; a line longer
/// than `max_bytes` is reported and skipped without being held in memory.
pub fn check_lines(
    mut reader: impl BufRead,
    validator: SchemaValidator,
    max_bytes: usize,
    mut on_payload: impl FnMut(Checked),
) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        number += 1;
        line.clear();
        match read_line_capped(&mut reader, &mut line, max_bytes)? {
            LineRead::End => return Ok(()),
            LineRead::TooLong => on_payload(too_large(number, max_bytes)),
            LineRead::Line => {
                let content = line.strip_suffix(b"\n").unwrap_or(&line);
                let content = content.strip_suffix(b"\r").unwrap_or(content);
                if !content.iter().all(u8::is_ascii_whitespace) {
                    on_payload(check_document(content, number, validator));
                }
            }
        }
    }
}

fn too_large(line: usize, max_bytes: usize) -> Checked {
    Checked {
        line,
        verdict: Verdict::Malformed {
            line,
            column: 1,
            message: format!(
                "payload larger than {max_bytes} bytes: not checked (see --max-payload-bytes)"
            ),
        },
        notes: Vec::new(),
    }
}

enum LineRead {
    Line,
    TooLong,
    End,
}

/// Reads one line into `line`, or skips the rest of it once it passes
/// `max_bytes` (so at most `max_bytes` of it is ever held).
fn read_line_capped(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    max_bytes: usize,
) -> io::Result<LineRead> {
    // Room for the line ending after the payload.
    let limit = max_bytes as u64 + 2;
    let read = reader.by_ref().take(limit).read_until(b'\n', line)?;
    if read == 0 {
        return Ok(LineRead::End);
    }
    if line.last() != Some(&b'\n') && read as u64 == limit {
        reader.skip_until(b'\n')?;
        line.clear();
        line.shrink_to(64 * 1024);
        return Ok(LineRead::TooLong);
    }
    Ok(LineRead::Line)
}
