# Chatalot on self-hosted workerd: the production configuration, served by
# scripts/serve.sh (the Docker image's entrypoint, and `npm run start:production`).
# Two configurations, one per process: `server` (the app and everything it reaches) and
# `hasherProcess` (only the password hasher, so that process loads none of the app).
# The app runs the same bundle as wrangler.toml; keep bindings and classes in step.
# Paths are relative to this file; scripts/serve.sh overrides the directories and the
# listening address at run time (-d, -s), and every setting comes from the environment.
using Workerd = import "/workerd/workerd.capnp";

const server :Workerd.Config = (
  services = [
    # The app: Hono handlers, channel rooms and the Database object.
    (name = "chatalot", worker = .app),
    # The PostgreSQL bridge: its own small bundle (scripts/build-worker.ts), and the
    # only service allowed onto the network.
    (name = "pg-bridge", worker = .bridge),
    # Where the bridge may connect: the database lives on a private network (Docker) or loopback.
    (name = "database-network", network = (allow = ["private", "local", "public"])),
    # The app itself gets no network at all: everything outside goes through bindings.
    (name = "no-network", network = (allow = [])),
    # Web Push (rooms/push/): the way out to browsers' push services, public addresses only,
    # so an endpoint whose name resolves to a private address reaches nothing inside.
    (name = "push-network", network = (allow = ["public"], tlsOptions = (trustBrowserCas = true))),
    # The update check (functions/update-check.ts): only UPDATE_CHECK_URL, which the operator
    # names and may host on their own network, is ever fetched through it, and only when set.
    (name = "update-network", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
    # Tests only: the fake push service, reached when PUSH_TEST_SERVICE_ORIGIN names it;
    # scripts/serve.sh points it at that origin's address (-e). Unused otherwise.
    (name = "push-test-service", external = (address = "127.0.0.1:9", http = ())),
    # Durable Object storage (SQLite files); a Docker volume in production.
    (name = "room-storage", disk = (path = "../.chatalot/rooms", writable = true)),
    # Uploaded files' encrypted bytes (docs/files.md): UPLOAD_DIR, the compose bind mount.
    # workerd writes each file to a temporary name and renames it, so none is partly visible.
    (name = "uploads-disk", disk = (path = "../.chatalot/uploads", writable = true)),
    # The built web app, served read-only.
    (name = "web-assets", disk = (path = "../web/dist")),
    # Password hashing (scrypt, ~0.4 s of CPU each). workerd runs a process on one
    # thread, so scripts/serve.sh runs a second process (`hasherProcess` below) that
    # only serves the "hasher" socket, and the app reaches it through "hasher-process":
    # a hash never stalls chat. This service here serves PASSWORD_HASHER_PROCESS=same.
    (name = "password-hasher", worker = .hasher),
    (name = "hasher-process", external = (address = "unix:/tmp/chatalot-hasher.sock", http = ())),
  ],
  sockets = [
    # The one public socket; put a TLS-terminating reverse proxy in front of it.
    (name = "http", address = "*:8080", http = (), service = "chatalot"),
    # The hashing process's socket; private, never published.
    (name = "hasher", address = "unix:/tmp/chatalot-hasher.sock", http = (),
     service = (name = "password-hasher", entrypoint = "PasswordHasher")),
  ],
);

# The password hasher's own process: the hasher's small bundle and its socket, nothing
# else (about 65-75 MB resident idle, where a process loading the whole app took ~175 MB).
const hasherProcess :Workerd.Config = (
  services = [
    (name = "password-hasher", worker = .hasher),
    (name = "no-network", network = (allow = [])),
  ],
  sockets = [
    (name = "hasher", address = "unix:/tmp/chatalot-hasher.sock", http = (),
     service = (name = "password-hasher", entrypoint = "PasswordHasher")),
  ],
);

const app :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed "../dist/worker/index.js")],
  # Same as wrangler.toml; Node built-ins are on by default from this date.
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "ASSETS", service = "web-assets"),
    (name = "PG_BRIDGE", service = (name = "pg-bridge", entrypoint = "PostgresBridge")),
    # The rooms remove deleted messages' files through the app's own FileRemoval entrypoint.
    (name = "FILE_REMOVAL", service = (name = "chatalot", entrypoint = "FileRemoval")),
    (name = "PASSWORD_HASHER", service = "hasher-process"),
    (name = "UPLOADS_DISK", service = "uploads-disk"),
    # The Database object's hourly alarm removes orphaned uploads through this entrypoint.
    (name = "UPLOAD_HOUSEKEEPING", service = (name = "chatalot", entrypoint = "UploadHousekeeping")),
    (name = "CHANNEL_ROOM", durableObjectNamespace = "ChannelRoom"),
    (name = "DATABASE", durableObjectNamespace = "Database"),
    (name = "USER_SOCKETS", durableObjectNamespace = "UserSockets"),
    (name = "COMMUNITY_HUB", durableObjectNamespace = "CommunityHub"),
    (name = "RATE_LIMITS", durableObjectNamespace = "RateLimits"),
    (name = "PUSH_QUEUE", durableObjectNamespace = "PushQueue"),
    (name = "PUSH_NETWORK", service = "push-network"),
    (name = "PUSH_TEST_SERVICE", service = "push-test-service"),
    (name = "UPDATE_NETWORK", service = "update-network"),
    (name = "PUBLIC_URL", fromEnvironment = "PUBLIC_URL"),
    (name = "ADMIN_USERNAME", fromEnvironment = "ADMIN_USERNAME"),
    (name = "REGISTRATION_MODE", fromEnvironment = "REGISTRATION_MODE"),
    (name = "DATABASE_URL", fromEnvironment = "DATABASE_URL"),
    (name = "DATABASE_POOL_SIZE", fromEnvironment = "DATABASE_POOL_SIZE"),
    (name = "JWT_PRIVATE_KEY", fromEnvironment = "JWT_PRIVATE_KEY"),
    (name = "JWT_PUBLIC_KEYS", fromEnvironment = "JWT_PUBLIC_KEYS"),
    (name = "TOTP_ENCRYPTION_KEY", fromEnvironment = "TOTP_ENCRYPTION_KEY"),
    (name = "UPLOAD_MAX_BYTES", fromEnvironment = "UPLOAD_MAX_BYTES"),
    (name = "UPLOAD_QUOTA_BYTES", fromEnvironment = "UPLOAD_QUOTA_BYTES"),
    (name = "TRUSTED_PROXIES", fromEnvironment = "TRUSTED_PROXIES"),
    (name = "CORS_ORIGINS", fromEnvironment = "CORS_ORIGINS"),
    (name = "COMMUNITY_CREATION_MODE", fromEnvironment = "COMMUNITY_CREATION_MODE"),
    (name = "SOCKET_FRAMES_PER_SECOND", fromEnvironment = "SOCKET_FRAMES_PER_SECOND"),
    (name = "SOCKETS_PER_USER", fromEnvironment = "SOCKETS_PER_USER"),
    (name = "CALL_MAX_PARTICIPANTS", fromEnvironment = "CALL_MAX_PARTICIPANTS"),
    (name = "CALL_RING_MS", fromEnvironment = "CALL_RING_MS"),
    (name = "CALL_RECONNECT_GRACE_MS", fromEnvironment = "CALL_RECONNECT_GRACE_MS"),
    (name = "CALL_CANDIDATES_PER_MINUTE", fromEnvironment = "CALL_CANDIDATES_PER_MINUTE"),
    (name = "RATE_LIMIT_MEMORY_WINDOWS", fromEnvironment = "RATE_LIMIT_MEMORY_WINDOWS"),
    (name = "SESSION_MAX_AGE_DAYS", fromEnvironment = "SESSION_MAX_AGE_DAYS"),
    (name = "HISTORY_PAGES_PER_MINUTE", fromEnvironment = "HISTORY_PAGES_PER_MINUTE"),
    (name = "PASSWORD_CHECKS_QUEUED_MAX", fromEnvironment = "PASSWORD_CHECKS_QUEUED_MAX"),
    (name = "SIGN_IN_FAILURES_PER_MINUTE", fromEnvironment = "SIGN_IN_FAILURES_PER_MINUTE"),
    (name = "TOTP_ENCRYPTION_KEY_VERSION", fromEnvironment = "TOTP_ENCRYPTION_KEY_VERSION"),
    (name = "TOTP_ENCRYPTION_KEYS_RETIRED", fromEnvironment = "TOTP_ENCRYPTION_KEYS_RETIRED"),
    (name = "CHATALOT_STARTED_AT", fromEnvironment = "CHATALOT_STARTED_AT"),
    (name = "STARTUP_TOKEN", fromEnvironment = "STARTUP_TOKEN"),
    (name = "TURN_SECRET", fromEnvironment = "TURN_SECRET"),
    (name = "TURN_URLS", fromEnvironment = "TURN_URLS"),
    (name = "VAPID_PRIVATE_KEY", fromEnvironment = "VAPID_PRIVATE_KEY"),
    (name = "VAPID_SUBJECT", fromEnvironment = "VAPID_SUBJECT"),
    (name = "PUSH_TEST_SERVICE_ORIGIN", fromEnvironment = "PUSH_TEST_SERVICE_ORIGIN"),
    # Metrics and logs (README, "Metrics and logs").
    (name = "METRICS_ALLOWED_ADDRESSES", fromEnvironment = "METRICS_ALLOWED_ADDRESSES"),
    (name = "METRICS_TOKEN", fromEnvironment = "METRICS_TOKEN"),
    (name = "LOG_IP_ADDRESSES", fromEnvironment = "LOG_IP_ADDRESSES"),
    (name = "LOG_LEVEL", fromEnvironment = "LOG_LEVEL"),
    # Wall-clock spans of each message, for bench/latency-ladder.ts (db/latency-spans.ts).
    (name = "LATENCY_SPANS", fromEnvironment = "LATENCY_SPANS"),
    (name = "UPDATE_CHECK_URL", fromEnvironment = "UPDATE_CHECK_URL"),
  ],
  durableObjectNamespaces = [
    (className = "ChannelRoom", uniqueKey = "chatalot-channel-room", enableSql = true),
    (className = "Database", uniqueKey = "chatalot-database", enableSql = true),
    (className = "UserSockets", uniqueKey = "chatalot-user-sockets", enableSql = true),
    (className = "CommunityHub", uniqueKey = "chatalot-community-hub", enableSql = true),
    (className = "RateLimits", uniqueKey = "chatalot-rate-limits", enableSql = true),
    (className = "PushQueue", uniqueKey = "chatalot-push-queue", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "room-storage"),
  globalOutbound = "no-network",
);

const bridge :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed "../dist/worker/bridge.js")],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "DATABASE_URL", fromEnvironment = "DATABASE_URL"),
  ],
  globalOutbound = "database-network",
);

# Its own small bundle (scripts/build-worker.ts), as the bridge's.
const hasher :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed "../dist/worker/hasher.js")],
  compatibilityDate = "2026-11-01",
  globalOutbound = "no-network",
);
