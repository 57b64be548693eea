//! Arbitrary bytes as JSON Lines: never a panic, and the parallel reader
//! says exactly what the sequential one says, in the same order, whatever
//! the payload limit and the number of threads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zendesk_validate::{check_lines, check_lines_parallel};

fuzz_target!(|data: &[u8]| {
    let Some((&setting, input)) = data.split_first() else {
        return;
    };
    let validator = zendesk_validate::schema("SideConversationEvent").unwrap();
    let max_bytes =
        [8, 64, 1024, zendesk_validate::DEFAULT_MAX_PAYLOAD_BYTES][setting as usize % 4];
    let jobs = 1 + (setting as usize / 4) % 3;
    let mut sequential = Vec::new();
    check_lines(input, validator, max_bytes, |c| sequential.push(c)).unwrap();
    let mut parallel = Vec::new();
    check_lines_parallel(
        std::io::BufReader::with_capacity(16, input),
        validator,
        max_bytes,
        jobs,
        |c| parallel.push(c),
    )
    .unwrap();
    assert_eq!(parallel, sequential);
});
