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

/// A property the schema does not describe, with its place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedUndocumented {
    /// 1-based line of the property's value.
    pub line: usize,
    /// 1-based column of the property's value.
    pub column: usize,
    /// The property.
    pub field: crate::Undocumented,
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
    /// What the schema does not describe, when the validator reports it
    /// ([`SchemaValidator::reporting_undocumented`]); empty otherwise.
    pub undocumented: Vec<LocatedUndocumented>,
}

/// Checks one JSON document, whose first line is line `first_line` of its
/// source.
///
/// A valid payload costs one parse and one validation: the text is looked
/// at again (for UTF-8, lines and columns) only when something is wrong.
pub fn check_document(bytes: &[u8], first_line: usize, validator: SchemaValidator) -> Checked {
    let mut notes = Vec::new();
    let bytes = match bytes.strip_prefix(BYTE_ORDER_MARK) {
        Some(rest) => {
            notes.push("a UTF-8 byte-order mark was ignored".to_string());
            rest
        }
        None => bytes,
    };
    if bytes.len() >= STREAMING_BYTES
        && !validator.reports_undocumented()
        && crate::streaming::is_surely_valid(bytes, validator) == Some(true)
    {
        return Checked {
            line: first_line,
            verdict: Verdict::Valid,
            notes,
            undocumented: Vec::new(),
        };
    }
    // One check of the whole text is faster than serde_json's string by
    // string, and it gives the text positions are found in.
    let parsed = std::str::from_utf8(bytes)
        .map_err(|_| None)
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(text)
                .map(|payload| (text, payload))
                .map_err(Some)
        });
    let (text, payload) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return malformed(bytes, first_line, error.as_ref(), notes),
    };
    let violations = validator.validate(&payload);
    let undocumented = if validator.reports_undocumented() {
        validator
            .undocumented(&payload)
            .into_iter()
            .map(|field| {
                let offset = offset_of(text, &field.pointer).unwrap_or(0);
                let (line, column) = line_and_column(text, offset);
                LocatedUndocumented {
                    line: first_line + line - 1,
                    column,
                    field,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    drop_in_background(payload, bytes.len());
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
        undocumented,
    }
}

/// Why `bytes` is not one JSON payload, where.
fn malformed(
    bytes: &[u8],
    first_line: usize,
    error: Option<&serde_json::Error>,
    notes: Vec<String>,
) -> Checked {
    let at = |line: usize, column: usize, message: String| Checked {
        line: first_line,
        verdict: Verdict::Malformed {
            line: first_line + line - 1,
            column,
            message,
        },
        notes: notes.clone(),
        undocumented: Vec::new(),
    };
    if let Err(utf8) = std::str::from_utf8(bytes) {
        let valid = &bytes[..utf8.valid_up_to()];
        let (line, column) = line_and_column(&String::from_utf8_lossy(valid), valid.len());
        return at(
            line,
            column,
            format!("not UTF-8: invalid byte at offset {}", utf8.valid_up_to()),
        );
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return at(1, 1, "empty: no JSON payload".to_string());
    }
    let Some(error) = error else {
        return at(1, 1, "not JSON".to_string());
    };
    let message = format!(
        "not JSON: {}",
        error
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
    );
    at(error.line().max(1), error.column().max(1), message)
}

/// Payloads at least this large are first checked while they are parsed
/// (see `streaming`), when their schema allows it.
/// Under the fuzzer, every payload takes that path first.
const STREAMING_BYTES: usize = if cfg!(fuzzing) { 0 } else { 1024 * 1024 };

/// Payloads at least this large are freed on another thread: freeing a
/// big tree of small allocations takes as long as a third of building it,
/// and nothing waits for it.
const BACKGROUND_DROP_BYTES: usize = 1024 * 1024;

fn drop_in_background(payload: serde_json::Value, source_bytes: usize) {
    if source_bytes < BACKGROUND_DROP_BYTES {
        return;
    }
    static DROPPER: std::sync::OnceLock<
        Option<std::sync::Mutex<std::sync::mpsc::SyncSender<serde_json::Value>>>,
    > = std::sync::OnceLock::new();
    let dropper = DROPPER.get_or_init(|| {
        // One payload waiting at most: a caller faster than the freeing
        // waits, so memory stays bounded.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<serde_json::Value>(1);
        std::thread::Builder::new()
            .name("zendesk-validate-drop".into())
            .spawn(move || receiver.into_iter().for_each(drop))
            .ok()
            .map(|_| std::sync::Mutex::new(sender))
    });
    match dropper {
        Some(sender) => {
            let sender = sender.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Err(std::sync::mpsc::SendError(payload)) = sender.send(payload) {
                drop(payload);
            }
        }
        None => drop(payload),
    }
}

/// Checks a whole document from `reader`, refusing one larger than
/// `max_bytes` without reading it all.
pub fn check_reader(
    reader: impl io::Read,
    validator: SchemaValidator,
    max_bytes: usize,
) -> io::Result<Checked> {
    check_read(reader, 0, validator, max_bytes)
}

/// Checks the one JSON document in the file at `path`, read in one go
/// (its size is known, so no read is wasted), refusing one larger than
/// `max_bytes` unread.
pub fn check_file(
    path: &std::path::Path,
    validator: SchemaValidator,
    max_bytes: usize,
) -> io::Result<Checked> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    if size > max_bytes as u64 {
        return Ok(too_large(1, max_bytes));
    }
    check_read(file, size as usize + 1, validator, max_bytes)
}

/// Reads at most `max_bytes` (into a buffer of `capacity` to start with)
/// and checks what was read as one document.
fn check_read(
    reader: impl io::Read,
    capacity: usize,
    validator: SchemaValidator,
    max_bytes: usize,
) -> io::Result<Checked> {
    let mut bytes = Vec::with_capacity(capacity);
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
                if let Some(checked) = check_line(&line, number, validator) {
                    on_payload(checked);
                }
            }
        }
    }
}

/// One line of JSON Lines, its ending included; `None` when it is blank.
fn check_line(line: &[u8], number: usize, validator: SchemaValidator) -> Option<Checked> {
    let content = line.strip_suffix(b"\n").unwrap_or(line);
    let content = content.strip_suffix(b"\r").unwrap_or(content);
    (!content.iter().all(u8::is_ascii_whitespace))
        .then(|| check_document(content, number, validator))
}

/// [`check_lines`] on `jobs` threads: this thread reads the lines, batches
/// of them are checked in parallel, and `on_payload` gets every verdict in
/// the order of the lines, with their line numbers. At most a few batches
/// per thread are held at once, so memory stays flat.
pub fn check_lines_parallel(
    reader: impl BufRead,
    validator: SchemaValidator,
    max_bytes: usize,
    jobs: usize,
    mut on_payload: impl FnMut(Checked) + Send,
) -> io::Result<()> {
    let mut batches = LineBatches {
        reader,
        max_bytes,
        number: 0,
        error: None,
    };
    crate::parallel::ordered_map(
        jobs,
        &mut batches,
        |batch: LineBatch| {
            batch
                .lines
                .iter()
                .filter_map(|line| match line {
                    BatchedLine::Line { number, range } => {
                        check_line(&batch.text[range.clone()], *number, validator)
                    }
                    BatchedLine::TooLong(number) => Some(too_large(*number, max_bytes)),
                })
                .collect::<Vec<_>>()
        },
        |verdicts| verdicts.into_iter().for_each(&mut on_payload),
    );
    batches.error.map_or(Ok(()), Err)
}

/// Lines read together: their text in one buffer (one allocation per
/// batch, not per line), and where each one is.
struct LineBatch {
    text: Vec<u8>,
    lines: Vec<BatchedLine>,
}

enum BatchedLine {
    Line {
        number: usize,
        range: std::ops::Range<usize>,
    },
    TooLong(usize),
}

/// Lines in batches of up to 256 lines or 256 KiB, so that a thread's
/// share of work outweighs handing it over. Reading and splitting stay on
/// this thread; a line is never held beyond the payload limit.
struct LineBatches<R> {
    reader: R,
    max_bytes: usize,
    number: usize,
    error: Option<io::Error>,
}

impl<R: BufRead> Iterator for LineBatches<R> {
    type Item = LineBatch;

    fn next(&mut self) -> Option<LineBatch> {
        const LINES: usize = 256;
        const BYTES: usize = 256 * 1024;
        let mut batch = LineBatch {
            text: Vec::with_capacity(BYTES + 4096),
            lines: Vec::with_capacity(LINES),
        };
        while batch.lines.len() < LINES && batch.text.len() < BYTES && self.error.is_none() {
            self.number += 1;
            // Read straight into the batch's buffer, after the lines before.
            let start = batch.text.len();
            match read_line_capped(&mut self.reader, &mut batch.text, self.max_bytes) {
                Ok(LineRead::End) => break,
                Ok(LineRead::TooLong) => {
                    batch.lines.push(BatchedLine::TooLong(self.number));
                    continue;
                }
                Ok(LineRead::Line) => {}
                Err(error) => {
                    self.error = Some(error);
                    break;
                }
            }
            batch.lines.push(BatchedLine::Line {
                number: self.number,
                range: start..batch.text.len(),
            });
        }
        (!batch.lines.is_empty()).then_some(batch)
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
        undocumented: Vec::new(),
    }
}

enum LineRead {
    Line,
    TooLong,
    End,
}

/// Appends one line to `line`, or skips the rest of it once it passes
/// `max_bytes` (so at most `max_bytes` of it is ever held) and leaves
/// `line` as it was.
fn read_line_capped(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    max_bytes: usize,
) -> io::Result<LineRead> {
    // Room for the line ending after the payload.
    let limit = max_bytes as u64 + 2;
    let start = line.len();
    let read = reader.by_ref().take(limit).read_until(b'\n', line)?;
    if read == 0 {
        return Ok(LineRead::End);
    }
    if line.last() != Some(&b'\n') && read as u64 == limit {
        reader.skip_until(b'\n')?;
        // What was read of it goes; so does the room it took.
        line.truncate(start);
        line.shrink_to(start.max(256 * 1024));
        return Ok(LineRead::TooLong);
    }
    Ok(LineRead::Line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequential(input: &[u8], max_bytes: usize) -> Vec<Checked> {
        let validator = crate::schema("SideConversationEvent").unwrap();
        let mut verdicts = Vec::new();
        check_lines(input, validator, max_bytes, |c| verdicts.push(c)).unwrap();
        verdicts
    }

    fn parallel(input: &[u8], max_bytes: usize, jobs: usize) -> Vec<Checked> {
        let validator = crate::schema("SideConversationEvent").unwrap();
        let mut verdicts = Vec::new();
        check_lines_parallel(
            io::BufReader::with_capacity(7, input),
            validator,
            max_bytes,
            jobs,
            |c| verdicts.push(c),
        )
        .unwrap();
        verdicts
    }

    #[test]
    fn parallel_lines_say_what_sequential_lines_say_in_the_same_order() {
        let valid = r#"{"id": "a", "type": "reply"}"#;
        let long = format!(r#"{{"id": "{}", "type": "reply"}}"#, "x".repeat(400));
        let mut input = String::new();
        for n in 0..3000 {
            match n % 9 {
                0 => input.push('\n'),
                1 => input.push_str("   \r\n"),
                2 => input.push_str(&format!("{valid}\r\n")),
                3 => input.push_str("{\"id\": 1}\n"),
                4 => input.push_str("{not json\n"),
                5 => input.push_str(&format!("{long}\n")),
                6 => input.push_str("\u{feff}{\"id\": \"bom\"}\n"),
                _ => input.push_str(&format!("{valid}\n")),
            }
        }
        input.push_str(valid); // no line ending at the end
        for max_bytes in [DEFAULT_MAX_PAYLOAD_BYTES, 200] {
            let expected = sequential(input.as_bytes(), max_bytes);
            assert!(expected
                .iter()
                .any(|c| matches!(c.verdict, Verdict::Invalid(_))));
            assert!(expected
                .iter()
                .any(|c| matches!(c.verdict, Verdict::Malformed { .. })));
            for jobs in [1, 2, 4] {
                assert_eq!(
                    parallel(input.as_bytes(), max_bytes, jobs),
                    expected,
                    "{jobs} jobs, limit {max_bytes}"
                );
            }
        }
    }

    #[test]
    fn a_line_longer_than_a_chunk_and_the_limit_is_skipped_and_numbering_goes_on() {
        let huge = format!("{{\"id\": \"{}\"}}\n", "y".repeat(600 * 1024));
        let input = format!("{{\"id\": \"a\"}}\n{huge}{{\"id\": 2}}\n{huge}");
        let expected = sequential(input.as_bytes(), 1024);
        assert_eq!(expected.len(), 4);
        assert_eq!(expected[3].line, 4);
        assert_eq!(parallel(input.as_bytes(), 1024, 2), expected);
        let within_limit = sequential(input.as_bytes(), 1024 * 1024);
        assert_eq!(parallel(input.as_bytes(), 1024 * 1024, 2), within_limit);
        assert!(matches!(within_limit[1].verdict, Verdict::Valid));
    }
}
