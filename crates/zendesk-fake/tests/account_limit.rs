//! What the account holds is bounded: calls add at most
//! `Config::account_limit` records after the seed, then a call that would
//! add one gets 422 `AccountFull` and changes nothing; changes, removals and
//! reads go on, and a reset makes room again.

use zendesk_client::models::{
    CreateSideConversationRequest, EmailParticipant, MessageRequest, TicketCommentInput,
    TicketCreateInput, TicketCreateRequest,
};
use zendesk_client::{Client, Credentials, FileToUpload, RetryPolicy};
use zendesk_fake::{Config, FakeZendesk};

use crate::support::{checked_fake, error_of};

fn agent(fake: &FakeZendesk) -> Client {
    Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn ticket(subject: &str) -> TicketCreateRequest {
    TicketCreateInput::new(TicketCommentInput::new().body("Hello"))
        .subject(subject)
        .into()
}

#[tokio::test]
async fn a_full_account_refuses_what_adds_and_takes_the_rest() {
    // A ticket with its first comment is two records: the second ticket
    // reaches the limit of 3, the third is refused.
    let fake = checked_fake(Config {
        account_limit: 3,
        ..Config::default()
    })
    .await;
    let agent = agent(&fake);
    let first = agent
        .create_ticket()
        .body(ticket("First"))
        .send()
        .await
        .unwrap();
    let first_id = first.into_inner().ticket.id.unwrap();
    agent
        .create_ticket()
        .body(ticket("Second"))
        .send()
        .await
        .unwrap();

    let refused = error_of(agent.create_ticket().body(ticket("Third")).send()).await;
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(refused.code(), Some("AccountFull"));
    let description = refused.description().unwrap_or_default().to_string();
    assert!(description.contains("3 records"), "{description}");
    assert!(description.contains("/__fake/reset"), "{description}");
    let upload = error_of(agent.upload(FileToUpload::new("notes.txt", "notes")).send()).await;
    assert_eq!(upload.code(), Some("AccountFull"));
    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
        .subject("A question");
    let side_conversation = error_of(
        agent
            .create_side_conversation()
            .ticket_id(first_id)
            .body(CreateSideConversationRequest::from(message))
            .send(),
    )
    .await;
    assert_eq!(side_conversation.code(), Some("AccountFull"));

    // Nothing refused was kept; what reads and what only changes is taken.
    let comments = agent
        .list_ticket_comments()
        .ticket_id(first_id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(comments.comments.len(), 1);
    let comment_id = comments.comments[0].id.unwrap();
    agent
        .make_ticket_comment_private()
        .ticket_id(first_id)
        .ticket_comment_id(comment_id)
        .send()
        .await
        .unwrap();
    let none = error_of(agent.show_ticket().ticket_id(first_id + 2).send()).await;
    assert!(none.is_not_found());

    fake.reset();
    agent
        .create_ticket()
        .body(ticket("After the reset"))
        .send()
        .await
        .unwrap();
}
