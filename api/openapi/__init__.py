"""The OpenAPI document: its finishing touches, examples, client shaping and the file."""
