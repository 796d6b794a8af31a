# prepdeck API image: the guides are built into the image, so every replica serves the same
# immutable, content-addressed build and needs nothing at start-up but the image.
#
#   docker build -t prepdeck .
#   docker run -p 8000:8000 prepdeck                       # the embedded guide
#   docker build --build-arg GUIDES=guides -t my-deck .    # your own guides/ folder instead

FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md prepdeck.py ./
COPY corpus ./corpus
COPY search_index ./search_index
COPY api ./api
COPY exporter ./exporter
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .
# Bake the build (corpus, search index, response store) at image build time; the per-guide
# parse cache (units/) only speeds up the next build, so it stays out of the image.
ARG GUIDES=
COPY . /context
ENV PREPDECK_HOME=/opt/prepdeck
RUN if [ -n "$GUIDES" ]; then /opt/venv/bin/prepdeck build --strict --guides "/context/$GUIDES"; \
    else /opt/venv/bin/prepdeck build --strict; fi \
 && rm -rf /opt/prepdeck/units && mkdir -p /opt/prepdeck/cache

FROM python:3.12-slim
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin prepdeck
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/prepdeck /opt/prepdeck
ARG GUIDES=
COPY --from=build /context/${GUIDES:-corpus/guides} /opt/guides
# The build is read-only; only the deck download cache is writable by the service user.
RUN chown -R prepdeck /opt/prepdeck/cache
ENV PATH=/opt/venv/bin:$PATH \
    PREPDECK_HOME=/opt/prepdeck \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "exec prepdeck serve --guides /opt/guides --host 0.0.0.0 --port 8000 --workers ${PREPDECK_WORKERS:-2}"]
