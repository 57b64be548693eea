//! Uploading files: for ticket comments (an upload token) and for side
//! conversation messages (an attachment id).
//!
//! The generated `upload_files` always sends `application/octet-stream`;
//! `Client::upload` sends the file's own media type, which the service keeps.

use std::path::Path;

use zendesk_models::Upload;

use crate::errors::{Error, ErrorKind};
use crate::Client;

/// One file to upload: its name, media type and contents.
#[derive(Debug, Clone)]
pub struct FileToUpload {
    /// The file's name, extension included, as the attachment shows it.
    pub filename: String,
    /// Guessed from the file name when `None`.
    pub content_type: Option<String>,
    /// The file's bytes.
    pub contents: bytes::Bytes,
}

impl FileToUpload {
    /// A file from its name and bytes; the media type is guessed from the name.
    pub fn new(filename: impl Into<String>, contents: impl Into<bytes::Bytes>) -> Self {
        FileToUpload {
            filename: filename.into(),
            content_type: None,
            contents: contents.into(),
        }
    }

    /// Sets the media type instead of guessing it from the name.
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

    pub(crate) fn media_type(&self) -> String {
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
    /// Uploads one file for a ticket comment (`UploadFiles`, with the file's
    /// media type): `client.upload(file).send()`, or `.token(..)` to add it
    /// to an earlier upload.
    pub fn upload(&self, file: FileToUpload) -> UploadFile<'_> {
        let media_type = file.media_type();
        UploadFile {
            client: self,
            filename: file.filename,
            media_type,
            body: file.contents.into(),
            token: None,
        }
    }

    /// Uploads one file whose contents are a body or stream
    /// (`reqwest::Body::wrap_stream`), sent once and never retried; the media
    /// type is guessed from the name unless set with
    /// [`UploadFile::content_type`].
    pub fn upload_stream(
        &self,
        filename: impl Into<String>,
        body: impl Into<reqwest::Body>,
    ) -> UploadFile<'_> {
        let filename = filename.into();
        UploadFile {
            client: self,
            media_type: guess_media_type(&filename),
            filename,
            body: body.into(),
            token: None,
        }
    }

    /// Uploads several files under one token (the first file's):
    /// `client.upload_all(files).send()` returns the upload with every
    /// file's attachment.
    pub fn upload_all(&self, files: impl IntoIterator<Item = FileToUpload>) -> UploadFiles<'_> {
        UploadFiles {
            client: self,
            files: files.into_iter().collect(),
        }
    }
}

/// One file to upload for a ticket comment; see [`Client::upload`].
#[derive(Debug)]
pub struct UploadFile<'a> {
    client: &'a Client,
    filename: String,
    media_type: String,
    body: reqwest::Body,
    token: Option<String>,
}

impl UploadFile<'_> {
    /// Sets the media type the file is sent (and kept) with.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.media_type = media_type.into();
        self
    }

    /// Adds the file to the earlier upload with this token.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sends the file; a body that is a stream is sent once, never retried.
    pub async fn send(self) -> Result<Upload, Error> {
        let mut query = vec![("filename", self.filename.as_str())];
        query.extend(self.token.as_deref().map(|t| ("token", t)));
        let request = self
            .client
            .request_to(reqwest::Method::POST, "/api/v2/uploads")
            .query(&query)
            .header(reqwest::header::CONTENT_TYPE, self.media_type)
            .body(self.body)
            .build()
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, e.without_url().to_string()))?;
        let response = self
            .client
            .send::<zendesk_models::UploadResponse>(request, "upload_files", 201)
            .await?;
        Ok(response.into_inner().upload)
    }
}

/// Several files under one upload token; see [`Client::upload_all`].
#[derive(Debug, Clone)]
pub struct UploadFiles<'a> {
    client: &'a Client,
    files: Vec<FileToUpload>,
}

impl UploadFiles<'_> {
    /// Sends the files one after another, each under the first's token.
    pub async fn send(self) -> Result<Upload, Error> {
        let mut upload: Option<Upload> = None;
        for file in self.files {
            let mut request = self.client.upload(file);
            if let Some(earlier) = &upload {
                request = request.token(earlier.token.clone());
            }
            upload = Some(request.send().await?);
        }
        upload.ok_or_else(|| Error::new(ErrorKind::InvalidRequest, "no file to upload"))
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
