/**
 * Two test projects: `workers` runs route and room tests inside workerd (the
 * Cloudflare vitest integration, configured from wrangler.toml); `node` drives
 * whole processes: the production entrypoint, operator scripts, Chromium.
 */
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_TOTP_KEY } from "./test/support/keys.ts";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                DATABASE_URL: inject("databaseUrl"),
                DATABASE_POOL_SIZE: inject("isEmbeddedDatabase") ? "1" : "4",
                JWT_PRIVATE_KEY: inject("jwtPrivateKey"),
                JWT_PUBLIC_KEYS: inject("jwtPublicKey"),
                TOTP_ENCRYPTION_KEY: TEST_TOTP_KEY,
                PUBLIC_URL: "http://chatalot.test",
                ADMIN_USERNAME: "admin",
                REGISTRATION_MODE: "open",
                // A JSON line per request is the operator's; here it would bury the failures.
                LOG_LEVEL: "warn",
                // Small enough for test/workers/messaging.test.ts to reach; above what any other file holds for one person.
                SOCKETS_PER_USER: "64",
                // The test files share one sign-in gate and run side by side: room for all their
                // registrations at once, and a breaker their lockout tests do not trip.
                PASSWORD_CHECKS_QUEUED_MAX: "64",
                SIGN_IN_FAILURES_PER_MINUTE: "100000",
                // Calls (test/workers/calls-*.test.ts): short waits for the grace and the ring, and
                // limits a test reaches with a few sockets.
                CALL_RECONNECT_GRACE_MS: "1500",
                CALL_RING_MS: "2500",
                CALL_MAX_PARTICIPANTS: "3",
                CALL_CANDIDATES_PER_MINUTE: "5",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          // Each test signs people in (scrypt) and runs beside the node project's servers and
          // browsers: vitest's 5 s default timed out once on a busy CI run. Speed is measured
          // in bench/, not here.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file starts whole servers; two cores do not run several at once well.
          fileParallelism: false,
        },
      },
    ],
  },
});
