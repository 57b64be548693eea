//! Uploading files: for ticket comments (an upload token) and for side
//! conversation messages (an attachment id).
//!
//! The generated `upload_files` always sends `application/octet-stream`;
//! these send the file's own media type, which the service keeps.

use std::path::Path;

use zendesk_models::{SideConversationAttachment, Upload};

use crate::errors::{Error, ErrorKind};
use crate::Client;

/// One file to upload.
#[derive(Debug, Clone)]
pub struct FileToUpload {
    pub filename: String,
    /// Guessed from the file name when `None`.
    pub content_type: Option<String>,
    pub contents: bytes::Bytes,
}

impl FileToUpload {
    pub fn new(filename: impl Into<String>, contents: impl Into<bytes::Bytes>) -> Self {
        FileToUpload {
            filename: filename.into(),
            content_type: None,
            contents: contents.into(),
        }
    }

    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Reads the file at `path`; its name is the file's name.
    pub async fn read(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let contents = tokio::fs::read(path)
            .await
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
        let filename = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
            Error::new(ErrorKind::Io, format!("{}: no file name", path.display()))
        })?;
        Ok(FileToUpload::new(filename, contents))
    }

    fn media_type(&self) -> String {
        self.content_type
            .clone()
            .unwrap_or_else(|| guess_media_type(&self.filename))
    }
}

/// The media type a file name suggests, `application/octet-stream` when none.
pub fn guess_media_type(filename: &str) -> String {
    mime_guess::from_path(filename)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

impl Client {
    /// Uploads one file for a ticket comment; with `token`, adds it to that
    /// earlier upload. The body may be bytes or a stream
    /// (`reqwest::Body::wrap_stream`); a stream is sent once, never retried.
    pub async fn upload(
        &self,
        filename: &str,
        content_type: Option<&str>,
        contents: impl Into<reqwest::Body>,
        token: Option<&str>,
    ) -> Result<Upload, Error> {
        let media_type = content_type.map_or_else(|| guess_media_type(filename), str::to_string);
        let mut query = vec![("filename", filename)];
        query.extend(token.map(|t| ("token", t)));
        let request = self
            .request_to(reqwest::Method::POST, "/api/v2/uploads")
            .query(&query)
            .header(reqwest::header::CONTENT_TYPE, media_type)
            .body(contents)
            .build()
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, e.without_url().to_string()))?;
        let response = self
            .send::<zendesk_models::UploadResponse>(request, "upload_files", 201)
            .await?;
        Ok(response.into_inner().upload)
    }

    /// Uploads the file at `path` for a ticket comment.
    pub async fn upload_path(
        &self,
        path: impl AsRef<Path>,
        token: Option<&str>,
    ) -> Result<Upload, Error> {
        let file = FileToUpload::read(path).await?;
        self.upload(
            &file.filename,
            Some(&file.media_type()),
            file.contents,
            token,
        )
        .await
    }

    /// Uploads several files under one token (the first file's), and
    /// returns the upload with every file's attachment.
    pub async fn upload_all(
        &self,
        files: impl IntoIterator<Item = FileToUpload>,
    ) -> Result<Upload, Error> {
        let mut upload: Option<Upload> = None;
        for file in files {
            let token = upload.as_ref().map(|u| u.token.clone());
            upload = Some(
                self.upload(
                    &file.filename,
                    Some(&file.media_type()),
                    file.contents.clone(),
                    token.as_deref(),
                )
                .await?,
            );
        }
        upload.ok_or_else(|| Error::new(ErrorKind::InvalidRequest, "no file to upload"))
    }

    /// Uploads a side conversation attachment; its `id` goes in a message's
    /// `attachment_ids`.
    pub async fn upload_side_conversation_attachment(
        &self,
        file: FileToUpload,
    ) -> Result<SideConversationAttachment, Error> {
        let media_type = file.media_type();
        let response = self
            .create_side_conversation_attachment(&file.filename, &media_type, file.contents)
            .await?;
        Ok(response.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_guessed_from_names() {
        assert_eq!(guess_media_type("image.png"), "image/png");
        assert_eq!(guess_media_type("crash.log"), "text/plain");
        assert_eq!(guess_media_type("no-extension"), "application/octet-stream");
        let file = FileToUpload::new("a.png", vec![1u8]).with_content_type("image/webp");
        assert_eq!(file.media_type(), "image/webp");
    }
}
