//! `multipart/form-data` bodies, read as leniently as the service (a Rack
//! application) reads them: a part's headers are taken byte for byte, so a
//! field name with control characters or bytes that are not UTF-8 is one
//! more part to skip, not a malformed body. `multer` (axum's reader) follows
//! RFC 7578 strictly and refuses such a body, hence this reader.

use memchr::memmem;

/// One part of a multipart body.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    /// The `name` of its `Content-Disposition`.
    pub name: Option<String>,
    /// The `filename` of its `Content-Disposition`.
    pub file_name: Option<String>,
    /// Its `Content-Type` header.
    pub content_type: Option<String>,
    /// Its bytes.
    pub body: &'a [u8],
}

/// The boundary named by a `multipart/form-data` `Content-Type`.
pub fn boundary(content_type: &str) -> Result<String, String> {
    let mut params = content_type.split(';');
    let essence = params.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!(
            "a multipart/form-data body is expected, not {essence:?}"
        ));
    }
    params
        .filter_map(|param| param.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .filter(|boundary| !boundary.is_empty())
        .ok_or_else(|| "the multipart Content-Type names no boundary".to_string())
}

/// The parts of `body`, delimited by `boundary`.
pub fn parts<'a>(boundary: &str, body: &'a [u8]) -> Result<Vec<Part<'a>>, String> {
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let start = memmem::find(body, delimiter.as_bytes())
        .ok_or("the multipart body never opens its boundary")?;
    let mut rest = &body[start + delimiter.len()..];
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        let line_end = memmem::find(rest, b"\r\n").ok_or("a boundary line does not end")?;
        rest = &rest[line_end + 2..];
        let (head, after_head) = match memmem::find(rest, b"\r\n\r\n") {
            Some(end) => (&rest[..end], &rest[end + 4..]),
            // A part without headers starts with the blank line itself.
            None if rest.starts_with(b"\r\n") => (&rest[..0], &rest[2..]),
            None => return Err("a part's headers do not end".into()),
        };
        let body_end = memmem::find(after_head, next_delimiter.as_bytes())
            .ok_or("the multipart body is not closed by its boundary")?;
        parts.push(part(head, &after_head[..body_end]));
        rest = &after_head[body_end + next_delimiter.len()..];
    }
}

fn part<'a>(head: &[u8], body: &'a [u8]) -> Part<'a> {
    let mut part = Part {
        name: None,
        file_name: None,
        content_type: None,
        body,
    };
    for line in head.split(|&byte| byte == b'\n') {
        let line = String::from_utf8_lossy(line);
        let Some((header, value)) = line.trim_end_matches('\r').split_once(':') else {
            continue;
        };
        let value = value.trim();
        if header.trim().eq_ignore_ascii_case("content-disposition") {
            for param in value.split(';').skip(1) {
                let Some((key, text)) = param.split_once('=') else {
                    continue;
                };
                let text = text.trim().trim_matches('"').to_string();
                match key.trim().to_ascii_lowercase().as_str() {
                    "name" => part.name = Some(text),
                    "filename" => part.file_name = Some(text),
                    _ => {}
                }
            }
        } else if header.trim().eq_ignore_ascii_case("content-type") {
            part.content_type = Some(value.to_string());
        }
    }
    part
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boundary_comes_from_the_content_type_quoted_or_not() {
        assert_eq!(
            boundary("multipart/form-data; boundary=abc").unwrap(),
            "abc"
        );
        assert_eq!(
            boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"").unwrap(),
            "a b"
        );
        assert!(boundary("application/json")
            .unwrap_err()
            .contains("application/json"));
        assert!(boundary("multipart/form-data")
            .unwrap_err()
            .contains("no boundary"));
    }

    #[test]
    fn parts_keep_their_names_file_names_types_and_bytes() {
        let body = b"preamble\r\n--XX\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n\
--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x00\r\n--XX--\r\n";
        let parts = parts("XX", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name.as_deref(), Some("note"));
        assert_eq!(parts[0].body, b"hi");
        assert_eq!(parts[1].name.as_deref(), Some("file"));
        assert_eq!(parts[1].file_name.as_deref(), Some("a.png"));
        assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
        assert_eq!(parts[1].body, b"\x89PNG\r\n\x00");
    }

    #[test]
    fn a_name_with_control_characters_or_bytes_that_are_not_utf8_is_one_more_part() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"\x19\xf1\xff x\"\r\n\r\n{}\r\n\
--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\r\nhello\r\n--B--";
        let parts = parts("B", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].name.as_deref(), Some("file"));
        assert_eq!(parts[1].body, b"hello");
    }

    #[test]
    fn a_body_that_is_not_closed_is_an_error() {
        let error = parts(
            "B",
            b"--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhello",
        )
        .unwrap_err();
        assert!(error.contains("not closed"), "{error}");
        assert!(parts("B", b"no boundary here").is_err());
    }
}
