//! Where a JSON pointer's value stands in the source text, so a violation
//! points at a line and column. serde_json's `RawValue` keeps each value as a
//! slice of the text, whose offset is the position.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

/// Byte offset in `text` (a JSON document that parses) of the value at
/// `pointer`; `None` when the pointer does not lead to a value.
pub fn offset_of(text: &str, pointer: &str) -> Option<usize> {
    let mut current: &RawValue = serde_json::from_str(text).ok()?;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let raw = current.get();
        current = match raw.as_bytes().first()? {
            b'{' => {
                let members: BTreeMap<String, &RawValue> = serde_json::from_str(raw).ok()?;
                *members.get(&token)?
            }
            b'[' => {
                let items: Vec<&RawValue> = serde_json::from_str(raw).ok()?;
                *items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    (current.get().as_ptr() as usize).checked_sub(text.as_ptr() as usize)
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_lead_to_the_value() {
        let text = "{\n  \"a/b\": [1, {\"é\": \"x\"}],\n  \"c\": null\n}";
        let at = |p: &str| offset_of(text, p).map(|o| line_and_column(text, o));
        assert_eq!(at(""), Some((1, 1)));
        assert_eq!(at("/a~1b"), Some((2, 10)));
        assert_eq!(at("/a~1b/1/é"), Some((2, 20)));
        assert_eq!(at("/c"), Some((3, 8)));
        assert_eq!(at("/missing"), None);
        assert_eq!(at("/a~1b/9"), None);
    }
}
