import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../functions/app.ts";

describe("GET /health", () => {
  it("reports ok with the version and a reachable database, once the schema is current", async () => {
    let response = await app.request("/health", {}, env);
    // A fresh Database object reports "starting" (503) until its migrations ran; asking starts them.
    for (let attempt = 0; response.status === 503 && attempt < 100; attempt++) {
      expect(((await response.json()) as { status: string }).status).toBe("starting");
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await app.request("/health", {}, env);
    }
    expect(response.status).toBe(200);
    const body = (await response.json()) as { uptime_secs: number };
    expect(body).toMatchObject({ status: "ok", version: expect.any(String), db_healthy: true });
    expect(body.uptime_secs).toBeGreaterThanOrEqual(0);
  });
});
