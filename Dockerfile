# Chatalot's production image: the app compiled with its workerd configuration into one
# binary, the built web app and the entrypoint, on a small Debian as a non-root user.
# docker-compose.yml builds it; README.md says how to run it.

# Build stage: install, build the bundle and the web app, compile them into one binary.
FROM node:22.23-bookworm-slim AS build
WORKDIR /src
# Only where egress passes a TLS-intercepting proxy (the container tests' machines): the path
# of its CA certificates, mounted into the build, for npm. Unset everywhere else, and an ARG
# of this stage never reaches the runtime image.
ARG NODE_EXTRA_CA_CERTS
# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
# npm ci's postinstall applies these (patch-package): they must be there first.
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
# The git commit the admin page shows: the build context has no .git, so scripts/update.sh
# passes it (`--build-arg CHATALOT_COMMIT=...`); unset, the page says it was not recorded.
ARG CHATALOT_COMMIT=""
# dist/worker/index.js (the server bundle) and web/dist (the web app).
RUN npm run build
# The binary embeds workerd/chatalot.capnp and the bundle; serve.sh overrides the socket
# and the directories at run time (-s, -d).
RUN mkdir -p /out \
 && node_modules/.bin/workerd compile workerd/chatalot.capnp > /out/chatalot \
 && chmod 0755 /out/chatalot

# Runtime stage: the binary needs glibc >= 2.35 (bookworm has 2.36), so not Alpine.
FROM debian:bookworm-slim
# curl for serve.sh's start-up check and the health check; nothing else.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# A fixed uid, because files mounted from the host (secrets/) must be readable by it.
RUN groupadd --system --gid 10001 chatalot \
 && useradd --system --uid 10001 --gid chatalot --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin chatalot \
 && mkdir -p /data/rooms /data/uploads \
 && chown chatalot:chatalot /data/rooms /data/uploads
COPY --from=build /out/chatalot /app/chatalot
COPY --from=build /src/web/dist /app/web
COPY scripts/serve.sh /app/serve.sh
RUN chmod 0755 /app/serve.sh
# What serve.sh runs and where; the compose file adds the database and secret settings.
ENV CHATALOT_BINARY=/app/chatalot \
    WEB_ROOT=/app/web \
    ROOM_STORAGE_DIR=/data/rooms \
    LISTEN=0.0.0.0:8080
USER chatalot
EXPOSE 8080
# /health answers 503 while PostgreSQL is unreachable, which marks the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["/app/serve.sh"]
