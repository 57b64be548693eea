//! Lists as streams that follow `next_page` (or, for a cursor page,
//! `links.next` while `meta.has_more`), and the incremental event export as
//! a stream of pages with a checkpoint to resume from.

use std::collections::BTreeSet;

use futures_util::stream::{self, Stream, TryStreamExt};
use serde::de::DeserializeOwned;
use zendesk_models::{
    SideConversation, SideConversationEvent, SideConversationEventListResponse,
    SideConversationListResponse, TicketCommentObject, TicketCommentsResponse,
};

use crate::errors::{Error, ErrorKind};
use crate::{builder, Client};

/// Where a list stream is.
enum Cursor {
    First,
    /// The path and query of the next page, below the base URL.
    Next(String),
    Done,
}

/// A page of a list: its items and the link to the next page.
trait Page: DeserializeOwned {
    type Item;
    fn next_page(&self) -> Option<&str>;
    fn into_items(self) -> Vec<Self::Item>;
}

impl Page for SideConversationListResponse {
    type Item = SideConversation;
    fn next_page(&self) -> Option<&str> {
        self.next_page.as_deref()
    }
    fn into_items(self) -> Vec<SideConversation> {
        self.side_conversations
    }
}

impl Page for SideConversationEventListResponse {
    type Item = SideConversationEvent;
    fn next_page(&self) -> Option<&str> {
        self.next_page.as_deref()
    }
    fn into_items(self) -> Vec<SideConversationEvent> {
        self.events
    }
}

/// A cursor page: the next page is `links.next`, while `meta.has_more`.
impl Page for TicketCommentsResponse {
    type Item = TicketCommentObject;
    fn next_page(&self) -> Option<&str> {
        let has_more = self.meta.as_ref().and_then(|m| m.has_more).unwrap_or(false);
        has_more
            .then(|| self.links.as_ref().and_then(|l| l.next.as_deref()))
            .flatten()
    }
    fn into_items(self) -> Vec<TicketCommentObject> {
        self.comments
    }
}

impl<'a> builder::ListTicketComments<'a> {
    /// Every page, from the one this request asks for to the last,
    /// following each page's cursor (`links.next` while `meta.has_more`).
    pub fn pages(self) -> impl Stream<Item = Result<TicketCommentsResponse, Error>> + 'a {
        let client = self.client();
        client.pages("list_ticket_comments", move || async move {
            Ok(self.send().await?.into_inner())
        })
    }

    /// Every comment of every page, in order.
    pub fn stream(self) -> impl Stream<Item = Result<TicketCommentObject, Error>> + 'a {
        items(self.pages())
    }
}

impl<'a> builder::ListSideConversations<'a> {
    /// Every page, from the one this request asks for to the last,
    /// following each `next_page`.
    pub fn pages(self) -> impl Stream<Item = Result<SideConversationListResponse, Error>> + 'a {
        let client = self.client();
        client.pages("list_side_conversations", move || async move {
            Ok(self.send().await?.into_inner())
        })
    }

    /// Every side conversation of every page, in order.
    pub fn stream(self) -> impl Stream<Item = Result<SideConversation, Error>> + 'a {
        items(self.pages())
    }
}

impl<'a> builder::ListSideConversationEvents<'a> {
    /// Every page, from the one this request asks for to the last,
    /// following each `next_page`.
    pub fn pages(
        self,
    ) -> impl Stream<Item = Result<SideConversationEventListResponse, Error>> + 'a {
        let client = self.client();
        client.pages("list_side_conversation_events", move || async move {
            Ok(self.send().await?.into_inner())
        })
    }

    /// Every event of every page, in order.
    pub fn stream(self) -> impl Stream<Item = Result<SideConversationEvent, Error>> + 'a {
        items(self.pages())
    }
}

impl Client {
    /// Pages from `first`, then from each `next_page` in turn. The next
    /// page's path and query are sent to this client's base URL, so a proxy
    /// or fake keeps serving them and credentials go nowhere else.
    fn pages<'a, P, F, Fut>(
        &'a self,
        operation_id: &'static str,
        first: F,
    ) -> impl Stream<Item = Result<P, Error>> + 'a
    where
        P: Page + 'a,
        F: FnOnce() -> Fut + 'a,
        Fut: std::future::Future<Output = Result<P, Error>> + 'a,
    {
        let mut first = Some(first);
        stream::try_unfold(Cursor::First, move |cursor| {
            let first = first.take();
            async move {
                let (page, current): (P, Option<String>) = match cursor {
                    Cursor::Done => return Ok(None),
                    Cursor::First => (
                        first.expect("the first page is fetched once")().await?,
                        None,
                    ),
                    Cursor::Next(path) => {
                        let request = self
                            .request_to(reqwest::Method::GET, &path)
                            .build()
                            .map_err(|e| {
                                Error::new(ErrorKind::InvalidRequest, e.without_url().to_string())
                            })?;
                        (
                            self.send::<P>(request, operation_id, 200)
                                .await?
                                .into_inner(),
                            Some(path),
                        )
                    }
                };
                let next = match page.next_page() {
                    None => Cursor::Done,
                    Some(url) => {
                        let path = path_and_query(url)?;
                        // A page that links to itself would never end.
                        if current.as_deref() == Some(path.as_str()) {
                            Cursor::Done
                        } else {
                            Cursor::Next(path)
                        }
                    }
                };
                Ok(Some((page, next)))
            }
        })
    }
}

fn items<'a, P: Page + 'a>(
    pages: impl Stream<Item = Result<P, Error>> + 'a,
) -> impl Stream<Item = Result<P::Item, Error>> + 'a
where
    P::Item: 'a,
{
    pages
        .map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok)))
        .try_flatten()
}

/// The path and query of a `next_page` URL (absolute or relative).
fn path_and_query(url: &str) -> Result<String, Error> {
    let base = reqwest::Url::parse("https://next-page.invalid/").expect("a valid URL");
    let url = base.join(url).map_err(|e| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("next_page {url:?}: {e}"),
        )
    })?;
    Ok(match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    })
}

/// Where the incremental export is: the `start_time` of the next page, and
/// the ids of the events already seen in its first second (a page repeats
/// the events of the second it starts at). Persist it after each page, and
/// resume from it without losing or repeating an event.
///
/// To survive a power cut as well as a crash, persist in this order after
/// each page (as `zendesk export-events --checkpoint` does):
///
/// 1. write the page's events to their destination and make them durable
///    (`File::sync_data`, or a database commit);
/// 2. write the new checkpoint to a temporary file beside the old one and
///    sync it (`File::sync_all`);
/// 3. rename the temporary file over the old checkpoint;
/// 4. sync the directory that holds them (open it and `sync_all`), so that
///    the rename itself is on disk.
///
/// A checkpoint then never points past events that are not on disk; store
/// with it where the output ended (its length), and cut the output back to
/// that length when resuming, so that events written after the last
/// checkpoint are not delivered twice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExportCheckpoint {
    /// The `start_time` (Unix seconds) of the next page to ask for.
    pub start_time: i64,
    /// The ids of the events of second `start_time` already delivered.
    pub seen_event_ids: BTreeSet<String>,
}

impl ExportCheckpoint {
    /// The export from `start_time` (Unix seconds).
    pub fn from_start_time(start_time: i64) -> Self {
        ExportCheckpoint {
            start_time,
            seen_event_ids: BTreeSet::new(),
        }
    }
}

/// One page of the export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportPage {
    /// The page's events, less any already handed out.
    pub events: Vec<SideConversationEvent>,
    /// Where to resume after this page.
    pub checkpoint: ExportCheckpoint,
    /// True on the last page: the export has caught up.
    pub caught_up: bool,
}

impl Client {
    /// The incremental event export (`IncrementalSideConversationEventExport`)
    /// as a stream of pages with checkpoints: set where it starts, then
    /// [`ExportEvents::stream`].
    pub fn export_events(&self) -> ExportEvents<'_> {
        ExportEvents {
            client: self,
            from: ExportCheckpoint::from_start_time(0),
        }
    }
}

/// The incremental event export, from a start time or a saved checkpoint.
#[derive(Debug, Clone)]
pub struct ExportEvents<'a> {
    client: &'a Client,
    from: ExportCheckpoint,
}

impl<'a> ExportEvents<'a> {
    /// Starts at `start_time` (Unix seconds); 0 when not set.
    pub fn start_time(mut self, start_time: i64) -> Self {
        self.from = ExportCheckpoint::from_start_time(start_time);
        self
    }

    /// Resumes from a checkpoint an earlier export saved.
    pub fn checkpoint(mut self, checkpoint: ExportCheckpoint) -> Self {
        self.from = checkpoint;
        self
    }

    /// The export page by page, until it has caught up (`end_of_stream`, no
    /// `next_page`, or an empty page).
    pub fn stream(self) -> impl Stream<Item = Result<ExportPage, Error>> + 'a {
        let client = self.client;
        stream::try_unfold(Some(self.from), move |checkpoint| async move {
            let Some(checkpoint) = checkpoint else {
                return Ok(None);
            };
            let response = client
                .incremental_side_conversation_event_export()
                .start_time(checkpoint.start_time)
                .send()
                .await?
                .into_inner();
            let end_time = response
                .end_time
                .or_else(|| response.next_page.as_deref().and_then(start_time_of))
                .unwrap_or(checkpoint.start_time);
            let received = response.events.len();
            let events: Vec<SideConversationEvent> = response
                .events
                .into_iter()
                .filter(|e| {
                    e.id.as_ref()
                        .is_none_or(|id| !checkpoint.seen_event_ids.contains(id))
                })
                .collect();
            // The next page starts at `end_time`: remember what this page
            // already gave of that second (and, on a page that did not move
            // forward, of the earlier pages too).
            let mut seen_event_ids: BTreeSet<String> = if end_time == checkpoint.start_time {
                checkpoint.seen_event_ids.clone()
            } else {
                BTreeSet::new()
            };
            seen_event_ids.extend(
                events
                    .iter()
                    .filter(|e| created_second(e).is_none_or(|second| second >= end_time))
                    .filter_map(|e| e.id.clone()),
            );
            let stalled = end_time == checkpoint.start_time && events.is_empty();
            let caught_up = response.end_of_stream == Some(true)
                || response.next_page.is_none()
                || received == 0
                || stalled;
            let page = ExportPage {
                events,
                checkpoint: ExportCheckpoint {
                    start_time: end_time,
                    seen_event_ids,
                },
                caught_up,
            };
            let next = (!caught_up).then(|| page.checkpoint.clone());
            Ok(Some((page, next)))
        })
    }
}

fn created_second(event: &SideConversationEvent) -> Option<i64> {
    Some(event.created_at.as_ref()?.to_datetime().ok()?.timestamp())
}

fn start_time_of(next_page: &str) -> Option<i64> {
    let url = reqwest::Url::parse(next_page).ok()?;
    let (_, value) = url.query_pairs().find(|(key, _)| key == "start_time")?;
    value.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_page_urls_become_paths_below_the_base() {
        assert_eq!(
            path_and_query("https://acme.zendesk.com/api/v2/tickets/1/side_conversations.json?page=2&per_page=50").unwrap(),
            "/api/v2/tickets/1/side_conversations.json?page=2&per_page=50"
        );
        assert_eq!(
            path_and_query("/api/v2/x?page=3").unwrap(),
            "/api/v2/x?page=3"
        );
        assert_eq!(start_time_of("https://x.zendesk.com/api/v2/tickets/side_conversations/events.json?start_time=1383685952"), Some(1_383_685_952));
    }
}
