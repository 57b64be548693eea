//! The operations whose body is a file, not JSON: `upload-files` (the raw
//! body) and `create-side-conversation-attachment` (multipart), each sent
//! by the client's own upload methods.

use std::path::PathBuf;

use zendesk_client::{Client, FileToUpload};

use crate::invoke::{print_value, CliError};

/// `--file PATH`: the file to send.
pub fn file_argument() -> clap::Arg {
    clap::Arg::new("file")
        .long("file")
        .value_name("PATH")
        .required(true)
        .value_parser(clap::value_parser!(PathBuf))
        .help("The file to send")
}

/// `--content-type TYPE`: overrides the media type guessed from the name.
pub fn content_type_argument() -> clap::Arg {
    clap::Arg::new("content-type")
        .long("content-type")
        .value_name("TYPE")
        .value_parser(clap::builder::NonEmptyStringValueParser::new())
        .help("The file's media type [default: guessed from its name]")
}

/// The `--file`, with `--content-type` when given, and named `name` when
/// given (else by its own file name).
async fn file(args: &clap::ArgMatches, name: Option<&String>) -> Result<FileToUpload, CliError> {
    let path = args
        .get_one::<PathBuf>("file")
        .ok_or_else(|| CliError::local("--file is required"))?;
    let mut file = FileToUpload::read(path)
        .await
        .map_err(|e| CliError::local(e.to_string()))?;
    if let Some(name) = name {
        file.filename = name.clone();
    }
    if let Some(content_type) = args.get_one::<String>("content-type") {
        file = file.with_content_type(content_type.clone());
    }
    Ok(file)
}

/// `UploadFiles`: the file as the raw body; `--filename` names it (the
/// file's own name when not given), `--token` adds it to an earlier upload.
pub async fn upload_files(client: &Client, args: &clap::ArgMatches) -> Result<(), CliError> {
    let file = file(args, args.get_one::<String>("filename")).await?;
    let mut upload = client.upload(file);
    if let Some(token) = args.get_one::<String>("token") {
        upload = upload.token(token.clone());
    }
    let upload = upload.send().await.map_err(CliError::from_client)?;
    print_value(&zendesk_models::UploadResponse::from(upload))
}

/// `CreateSideConversationAttachment`: the file as the multipart `file` part.
pub async fn create_side_conversation_attachment(
    client: &Client,
    args: &clap::ArgMatches,
) -> Result<(), CliError> {
    let file = file(args, None).await?;
    let created = client
        .create_side_conversation_attachment()
        .file(file)
        .send()
        .await
        .map_err(|e| CliError::from_client(e.into()))?;
    print_value(&created.into_inner())
}
