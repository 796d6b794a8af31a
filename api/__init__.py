"""prepdeck's REST API: a read-only Litestar service over one build, behind an ASGI edge.

    app.py          the factory: ``create_app(settings)``, ``from_env()`` for uvicorn
    cli.py          ``prepdeck serve``: bind, print the URLs, run uvicorn workers
    supervisor.py   the workers' supervisor: refuse new connections on SIGTERM, reload
                    the current build on SIGHUP
    config.py       settings from ``PREPDECK_*`` variables (``ENV_VARS`` documents them)
    service.py      the loaded build of a worker (catalog, search index, response store)
                    and readiness
    versions.py     what produced the bytes (code versions) and the one ETag derivation
    errors.py       the api's exceptions; ``http/problems.py`` maps every error to RFC 9457

    resources/      what each endpoint answers
      controllers/  the ``@get`` handlers, one module per resource group (``/v1`` lists
                    them; ``/problems`` says what each kind of error means)
      params.py     request parameters, with bounds, descriptions and examples
      responses.py  response Structs that wrap the corpus Structs (pages, summaries, ...)
      catalog.py    look-ups, filters and views over the corpus
      pagination.py pages of a list and their ``next`` links
      decks.py      Anki decks made by the exporter once and kept on disk

    store/          the response store: detail responses made at build time (``ARTIFACT``),
                    read by every worker from one memory-mapped copy

    http/           the ASGI edge in front of Litestar
      edge.py       CORS (cors.py), API keys, rate limits (ratelimit.py) and the response
                    cache, in front of Litestar
      replies.py    answers sent over ASGI: cached, problems, Litestar's finished
      caching.py    cache keys, entries and compressed variants, the bounded LRU in front
                    of the response store
      heavy.py      heavy work off the event loop: threads, one flight per resource, a
                    per-client cap
      problems.py   every error as an RFC 9457 problem document, with its kind's code

    openapi/        the OpenAPI document
      document.py   its finishing touches (examples.py holds the examples; headers.py
                    adds headers, 304s, HEAD and deprecations; clients.py shapes it for
                    client generators)
      docs.py       the docs page, Swagger UI served from the app
      file.py       writes the checked-in copy (``make openapi``)

Only `prepdeck serve` imports it (``api.cli``); each worker loads ``api.app:from_env``.
"""
