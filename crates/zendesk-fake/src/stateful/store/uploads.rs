//! Uploads and ticket attachments: files uploaded under a token until a
//! comment takes them, then the comment's attachments, shown, redacted and
//! let through a malware flag.

use chrono::Utc;
use serde_json::json;
use zendesk_models::{Attachment, MalwareScanResult, Timestamp, Upload, UploadResponse};

use super::Store;
use crate::errors::ApiError;

/// How long an upload token lives.
const UPLOAD_TOKEN_DAYS: i64 = 3;

impl Store {
    pub(super) fn attachment(
        &self,
        id: i64,
        file_name: &str,
        content_type: &str,
        size: i64,
        token: Option<&str>,
    ) -> Attachment {
        let content_url = match token {
            Some(token) => self.url(&format!("/attachments/token/{token}/?name={file_name}")),
            None => self.url(&format!("/attachments/{id}/{file_name}")),
        };
        Attachment {
            id: Some(id),
            file_name: Some(file_name.to_string()),
            content_type: Some(content_type.to_string()),
            content_url: Some(content_url.clone()),
            mapped_content_url: Some(content_url),
            url: Some(self.url(&format!("/api/v2/attachments/{id}.json"))),
            size: Some(size),
            inline: Some(false),
            deleted: Some(false),
            thumbnails: Some(Vec::new()),
            malware_access_override: Some(false),
            malware_scan_result: Some(MalwareScanResult::MalwareNotFound),
            ..Default::default()
        }
    }

    pub fn show_attachment(&self, id: i64) -> Result<Attachment, ApiError> {
        self.attachments
            .get(&id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("attachment", id))
    }

    pub fn redact(
        &mut self,
        ticket_id: i64,
        comment_id: i64,
        attachment_id: i64,
    ) -> Result<Attachment, ApiError> {
        let ticket = self.ticket(ticket_id)?;
        let closed = ticket.closed();
        let in_comment = ticket
            .comments
            .iter()
            .find(|c| c.comment.id == Some(comment_id))
            .ok_or_else(|| ApiError::not_found("comment", comment_id))?
            .attachments
            .contains(&attachment_id);
        if !in_comment {
            return Err(ApiError::not_found("attachment", attachment_id));
        }
        if closed {
            return Err(ApiError::invalid(
                "the ticket is closed: its attachments can no longer be redacted",
                json!({"ticket": [{"error": "Closed", "description": "closed tickets cannot be redacted"}]}),
            ));
        }
        let mut redacted = self.attachment(attachment_id, "redacted.txt", "text/plain", 0, None);
        // An inline image stays inline, as an empty file.
        redacted.inline = self.attachments.get(&attachment_id).and_then(|a| a.inline);
        self.attachments.insert(attachment_id, redacted.clone());
        Ok(redacted)
    }

    /// Lets an attachment flagged as malware be downloaded, or not.
    pub fn update_attachment(
        &mut self,
        id: i64,
        override_malware: bool,
    ) -> Result<Attachment, ApiError> {
        let attachment = self
            .attachments
            .get_mut(&id)
            .ok_or_else(|| ApiError::not_found("attachment", id))?;
        attachment.malware_access_override = Some(override_malware);
        Ok(attachment.clone())
    }

    /// The files of upload tokens, taken for a comment (the tokens are used
    /// up): an image whose download URL `html_body` shows is inline.
    pub(super) fn take_uploads(&mut self, tokens: &[String], html_body: &str) -> Vec<i64> {
        let mut taken = Vec::new();
        for token in tokens {
            let Some(ids) = self.uploads.remove(token) else {
                continue;
            };
            self.used_tokens.insert(token.clone());
            for id in ids {
                if let Some(attachment) = self.attachments.get_mut(&id) {
                    let shown = attachment
                        .content_url
                        .as_deref()
                        .is_some_and(|url| html_body.contains(url));
                    attachment.inline = Some(shown);
                }
                taken.push(id);
            }
        }
        taken
    }

    pub fn upload(
        &mut self,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
        token: Option<&str>,
    ) -> Result<UploadResponse, ApiError> {
        let size = bytes.len() as i64;
        let token = match token {
            Some(token) if self.uploads.contains_key(token) => token.to_string(),
            Some(token) => return Err(ApiError::not_found("upload", token)),
            None => self.new_id().replace('-', "")[..15].to_string(),
        };
        self.next_attachment_id += 1;
        let id = self.next_attachment_id;
        let mut attachment = self.attachment(id, file_name, content_type, size, Some(&token));
        // An image's size, as the service reports it; null for other files.
        let (width, height) = png_size(bytes).map_or((None, None), |(w, h)| (Some(w), Some(h)));
        attachment.width = width;
        attachment.height = height;
        self.attachments.insert(id, attachment.clone());
        let ids = self.uploads.entry(token.clone()).or_default();
        ids.push(id);
        let attachments = ids.iter().map(|id| self.attachments[id].clone()).collect();
        let upload = Upload {
            expires_at: Some(Timestamp::from(
                Utc::now() + chrono::Duration::days(UPLOAD_TOKEN_DAYS),
            )),
            attachment: Some(attachment),
            attachments: Some(attachments),
            ..Upload::new(token)
        };
        Ok(UploadResponse::new(upload))
    }

    pub fn delete_upload(&mut self, token: &str) -> Result<(), ApiError> {
        let ids = self
            .uploads
            .remove(token)
            .ok_or_else(|| ApiError::not_found("upload", token))?;
        for id in ids {
            self.attachments.remove(&id);
        }
        Ok(())
    }
}

/// A PNG's width and height, from its header.
pub(super) fn png_size(bytes: &[u8]) -> Option<(i64, i64)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let number = |at: usize| -> Option<i64> {
        Some(i64::from(u32::from_be_bytes(
            bytes[at..at + 4].try_into().ok()?,
        )))
    };
    Some((number(16)?, number(20)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_headers_give_the_size() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&406u32.to_be_bytes());
        png.extend_from_slice(&214u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((406, 214)));
        assert_eq!(png_size(b"not a png at all, no header"), None);
    }
}
