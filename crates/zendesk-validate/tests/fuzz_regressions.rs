//! Every input `cargo fuzz` (crates/zendesk-validate/fuzz) ever stopped on,
//! kept: each is checked as a document of every schema, and as JSON Lines,
//! with the fuzz targets' own oracles.

use zendesk_validate::{check_document, check_lines, check_lines_parallel, Verdict};

fn inputs() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    inputs
}

#[test]
fn every_kept_input_gets_the_verdict_direct_validation_gives() {
    for (name, input) in inputs() {
        let payload = &input[1..];
        for schema in zendesk_validate::schema_names() {
            let validator = zendesk_validate::schema(schema).unwrap();
            let checked = check_document(payload, 1, validator);
            let expected =
                std::str::from_utf8(payload.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(payload))
                    .ok()
                    .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
                    .is_some_and(|value| validator.is_valid(&value));
            assert_eq!(
                matches!(checked.verdict, Verdict::Valid),
                expected,
                "{name} as {schema}"
            );
        }
    }
}

#[test]
fn every_kept_input_reads_the_same_as_lines_in_parallel() {
    let validator = zendesk_validate::schema("SideConversationEvent").unwrap();
    for (name, input) in inputs() {
        for max_bytes in [8, 64, 1024] {
            let mut sequential = Vec::new();
            check_lines(&input[..], validator, max_bytes, |c| sequential.push(c)).unwrap();
            let mut parallel = Vec::new();
            check_lines_parallel(&input[..], validator, max_bytes, 2, |c| parallel.push(c))
                .unwrap();
            assert_eq!(parallel, sequential, "{name}, limit {max_bytes}");
        }
    }
}
