//! Arbitrary bytes as one payload of every schema and every operation's
//! bodies: never a panic, and the verdict agrees with parsing and
//! validating the whole value directly (which also checks the streaming
//! path, used for every size under `cfg(fuzzing)`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zendesk_validate::{check_document, Verdict};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, payload)) = data.split_first() else {
        return;
    };
    let validators: Vec<_> = zendesk_validate::schema_names()
        .filter_map(|name| zendesk_validate::schema(name).ok())
        .collect();
    let validator = validators[choice as usize % validators.len()];
    let checked = check_document(payload, 1, validator);
    let payload = payload.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(payload);
    let expected_valid = std::str::from_utf8(payload)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .is_some_and(|value| validator.is_valid(&value));
    assert_eq!(
        matches!(checked.verdict, Verdict::Valid),
        expected_valid,
        "{validator:?}: {:?}",
        checked.verdict
    );
    if let Verdict::Invalid(violations) = &checked.verdict {
        assert!(!violations.is_empty());
        assert!(violations.iter().all(|v| v.line >= 1 && v.column >= 1));
    }
});
