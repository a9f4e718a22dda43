import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../functions/app.ts";

describe("GET /health", () => {
  it("reports ok with the version and a reachable database", async () => {
    const response = await app.request("/health", {}, env);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { uptime_secs: number };
    expect(body).toMatchObject({ status: "ok", version: expect.any(String), db_healthy: true });
    expect(body.uptime_secs).toBeGreaterThanOrEqual(0);
  });
});
