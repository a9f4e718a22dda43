# Chatalot's production image: workerd, its configuration and the server's bundles, the
# built web app and the entrypoint, on a small Debian as a non-root user.
# docker-compose.yml builds it; README.md says how to run it.

# Build stage: install, build the bundles and the web app, find the workerd binary.
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
# dist/worker (the server bundle, and the bridge's and hasher's small ones) and web/dist (the web app).
RUN npm run build
# The workerd executable the workerd package installed for this platform. Not `workerd
# compile`: a compiled binary holds one configuration, and serve.sh runs two (the server
# and the password hasher's own process, which loads none of the app).
RUN mkdir -p /out \
 && cp "$(node -p 'require("workerd").default')" /out/workerd \
 && chmod 0755 /out/workerd

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
COPY --from=build /out/workerd /app/workerd
# The configuration embeds ../dist/worker/*.js: the same layout as the checkout.
COPY --from=build /src/workerd/chatalot.capnp /app/config/chatalot.capnp
COPY --from=build /src/dist/worker/index.js /src/dist/worker/bridge.js /src/dist/worker/hasher.js /app/dist/worker/
COPY --from=build /src/web/dist /app/web
COPY scripts/serve.sh /app/serve.sh
RUN chmod 0755 /app/serve.sh
# What serve.sh runs and where; the compose file adds the database and secret settings.
ENV WORKERD=/app/workerd \
    WORKERD_CONFIG=/app/config/chatalot.capnp \
    WEB_ROOT=/app/web \
    ROOM_STORAGE_DIR=/data/rooms \
    LISTEN=0.0.0.0:8080
USER chatalot
EXPOSE 8080
# /health answers 503 while PostgreSQL is unreachable, which marks the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["/app/serve.sh"]
