"""The HTTP edge in front of Litestar: CORS, API keys, rate limits, the response cache,
the replies sent over ASGI and the one mapping of errors to RFC 9457 problems."""
