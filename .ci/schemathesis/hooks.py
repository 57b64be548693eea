"""schemathesis hooks for the fake's run (see .ci/schemathesis/run)."""

import json

import schemathesis


@schemathesis.deserializer("text/plain")
def json_sent_as_text(ctx, response):
    """Zendesk sends the upload 201 as `text/plain` with a JSON body (see
    spec/NOTES.md), and the spec documents it so: read such a body as the
    JSON it is, so that its schema is checked and its links are followed.
    Plain-text bodies (a 429's) stay text."""
    text = response.content.decode(response.encoding or "utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text
