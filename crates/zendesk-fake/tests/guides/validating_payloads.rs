//! `docs/validating-payloads.md`: the validator as a library call.

use zendesk_client::models::{TicketCommentInput, TicketCreateInput, TicketCreateRequest};

#[rustfmt::skip]
#[test]
fn a_library_call() -> super::Outcome {
    let recorded = serde_json::json!({"upload": {"token": "token-1", "attachments": []}});
    // ANCHOR: library
    let body = TicketCreateRequest::from(TicketCreateInput::new(TicketCommentInput::new().body("On fire")));
    let violations = zendesk_validate::request("CreateTicket")?.validate(&serde_json::to_value(&body)?);
    assert!(violations.is_empty(), "{violations:?}");

    let answered = zendesk_validate::response("UploadFiles", "201")?;
    for violation in answered.validate(&recorded) {
        eprintln!("{}: {}", violation.pointer, violation.message);   // a JSON pointer and the rule, in words
    }
    // ANCHOR_END: library
    let empty = serde_json::json!({"ticket": {}});
    let refused = zendesk_validate::request("CreateTicket")?.validate(&empty);
    assert_eq!(refused[0].pointer, "/ticket", "a ticket without a comment is refused");
    assert!(answered.is_valid(&recorded));
    Ok(())
}
