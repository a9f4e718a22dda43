/**
 * The container tests (test/container/): the project's own Dockerfile built and its
 * docker-compose.yml run with podman and docker-compose, the README's way. Not part of
 * `npm test`; `npm run test:container` runs them and .ci/run calls that after the suite.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "container",
    include: ["test/container/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./test/container/global-setup.ts"],
    // Whole stacks start, restart and stop inside single tests.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // The global teardown stops podman and removes what netavark left (vitest allows 10 s).
    teardownTimeout: 120_000,
    // Each file runs stacks of its own; two cores run one at a time well.
    fileParallelism: false,
  },
});
