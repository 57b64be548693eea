//! Where a JSON pointer's node starts in a block-style YAML document, for
//! messages that name a line (`::error file=..,line=..`).
//!
//! serde_norway gives positions only in errors, so this reads the text by
//! indentation: enough for a hand-written OpenAPI document in block style.
//! A node inside a flow collection (`enum: [open, closed]`) is not found;
//! `nearest_line` then answers with its nearest ancestor.

/// One line of the document as the walk sees it. `- key: value` is read as
/// two lines, the item (`-`) and `key: value` two columns deeper, so the
/// item's first key is found like any other.
#[derive(Debug)]
struct Line<'a> {
    number: usize,
    indent: usize,
    content: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let content = raw.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let mut indent = raw.len() - content.len();
        let mut content = content;
        while let Some(rest) = content
            .strip_prefix("- ")
            .or(content.strip_prefix('-').filter(|r| r.is_empty()))
        {
            lines.push(Line {
                number: index + 1,
                indent,
                content: "-",
            });
            let trimmed = rest.trim_start();
            if trimmed.is_empty() {
                break;
            }
            indent += 2 + (rest.len() - trimmed.len());
            content = trimmed;
        }
        if content != "-" {
            lines.push(Line {
                number: index + 1,
                indent,
                content,
            });
        }
    }
    lines
}

/// The key a `key: value` line starts, without quotes.
fn key_of(content: &str) -> Option<&str> {
    let (key, _) = if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find("':")?;
        return Some(&quoted[..end]);
    } else if let Some(quoted) = content.strip_prefix('"') {
        let end = quoted.find("\":")?;
        return Some(&quoted[..end]);
    } else {
        content
            .split_once(": ")
            .or_else(|| content.strip_suffix(':').map(|k| (k, "")))?
    };
    Some(key.trim_end())
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The 1-based line where the node at `pointer` starts; `None` when the walk
/// cannot find it.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let lines = lines(text);
    let mut start = 0;
    let mut end = lines.len();
    let mut parent_indent: Option<usize> = None;
    let mut found_line = 1;
    for token in pointer.split('/').skip(1).map(unescape) {
        let children: Vec<usize> = (start..end)
            .filter(|&i| parent_indent.is_none_or(|p| lines[i].indent > p))
            .collect();
        let child_indent = lines[*children.first()?].indent;
        let at_level: Vec<usize> = children
            .into_iter()
            .filter(|&i| lines[i].indent == child_indent)
            .collect();
        let is_sequence = lines[at_level[0]].content == "-";
        let position = if is_sequence {
            let index: usize = token.parse().ok()?;
            *at_level.get(index)?
        } else {
            *at_level
                .iter()
                .find(|&&i| key_of(lines[i].content) == Some(token.as_str()))?
        };
        found_line = lines[position].number;
        start = position + 1;
        end = (start..end)
            .find(|&i| lines[i].indent <= child_indent)
            .unwrap_or(end);
        parent_indent = Some(child_indent);
    }
    Some(found_line)
}

/// Where a node's block lies in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The 1-based line where the node starts (its key, or its `-`).
    pub line: usize,
    /// The 1-based last line that belongs to it (comments and blank lines
    /// after it are not its own).
    pub last_line: usize,
    /// The indentation of its children, when it has any in block style.
    pub child_indent: Option<usize>,
    /// The indentation of the node itself.
    pub indent: usize,
}

/// Where the node at `pointer` lies; `None` when the walk cannot find it.
pub fn span(text: &str, pointer: &str) -> Option<Span> {
    let lines = lines(text);
    if lines.is_empty() {
        return None;
    }
    let mut start = 0;
    let mut end = lines.len();
    let mut parent_indent: Option<usize> = None;
    let mut found: Option<usize> = None;
    for token in pointer.split('/').skip(1).map(unescape) {
        let children: Vec<usize> = (start..end)
            .filter(|&i| parent_indent.is_none_or(|p| lines[i].indent > p))
            .collect();
        let child_indent = lines[*children.first()?].indent;
        let at_level: Vec<usize> = children
            .into_iter()
            .filter(|&i| lines[i].indent == child_indent)
            .collect();
        let is_sequence = lines[at_level[0]].content == "-";
        let position = if is_sequence {
            let index: usize = token.parse().ok()?;
            *at_level.get(index)?
        } else {
            *at_level
                .iter()
                .find(|&&i| key_of(lines[i].content) == Some(token.as_str()))?
        };
        found = Some(position);
        start = position + 1;
        end = (start..end)
            .find(|&i| lines[i].indent <= child_indent)
            .unwrap_or(end);
        parent_indent = Some(child_indent);
    }
    let (line, indent) = match found {
        Some(position) => (lines[position].number, lines[position].indent),
        None => (1, 0),
    };
    let last = if end > start { end - 1 } else { start.saturating_sub(1) };
    let child_indent = (start < end).then(|| lines[start].indent);
    Some(Span {
        line,
        last_line: lines[last.min(lines.len() - 1)].number.max(line),
        child_indent,
        indent,
    })
}

/// The line of `pointer`, or of its nearest ancestor the walk finds.
pub fn nearest_line(text: &str, pointer: &str) -> usize {
    let mut pointer = pointer;
    loop {
        if let Some(line) = line_of(text, pointer) {
            return line;
        }
        match pointer.rfind('/') {
            Some(cut) => pointer = &pointer[..cut],
            None => return 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
openapi: 3.0.3
paths:
  /api/v2/uploads:
    post:
      operationId: UploadFiles
      parameters:
        - $ref: '#/components/parameters/UploadFilename'
        - name: token
          in: query
      responses:
        '201':
          description: Created
components:
  schemas:
    # a comment
    Upload:
      type: object
      required: [token]
      properties:
        token:
          type: string
";

    #[test]
    fn pointers_find_their_lines() {
        assert_eq!(line_of(TEXT, ""), Some(1));
        assert_eq!(line_of(TEXT, "/paths/~1api~1v2~1uploads/post"), Some(4));
        assert_eq!(
            line_of(TEXT, "/paths/~1api~1v2~1uploads/post/parameters/0"),
            Some(7)
        );
        assert_eq!(
            line_of(TEXT, "/paths/~1api~1v2~1uploads/post/parameters/1/in"),
            Some(9)
        );
        assert_eq!(
            line_of(TEXT, "/paths/~1api~1v2~1uploads/post/responses/201"),
            Some(11)
        );
        assert_eq!(
            line_of(TEXT, "/components/schemas/Upload/properties/token/type"),
            Some(21)
        );
        assert_eq!(line_of(TEXT, "/components/schemas/Upload/required/0"), None);
        assert_eq!(
            nearest_line(TEXT, "/components/schemas/Upload/required/0"),
            18
        );
        assert_eq!(
            nearest_line(TEXT, "/components/schemas/Gone/properties/x"),
            14
        );
    }

    #[test]
    fn spans_cover_a_node_and_its_children() {
        let paths = span(TEXT, "/paths").unwrap();
        assert_eq!(
            (paths.line, paths.last_line, paths.child_indent, paths.indent),
            (2, 12, Some(2), 0)
        );
        let schemas = span(TEXT, "/components/schemas").unwrap();
        assert_eq!((schemas.line, schemas.last_line, schemas.child_indent), (14, 21, Some(4)));
        let token = span(TEXT, "/components/schemas/Upload/properties/token/type").unwrap();
        assert_eq!((token.line, token.last_line, token.child_indent), (21, 21, None));
        assert!(span(TEXT, "/components/responses").is_none());
    }
}
