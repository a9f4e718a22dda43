/**
 * How the production server serves the built web app: the brotli or gzip copy the
 * build wrote (scripts/precompress-web.ts) when the request accepts it, the file as
 * it is otherwise, with Vary: Accept-Encoding; hashed assets cached for a year, the
 * page and the service worker never. Raw HTTP (node:http), so nothing decodes for us.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { root, startServer, type RunningServer } from "../support/server.ts";

const DIST = join(root, "web", "dist");

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

/** The entry script index.html loads: a hashed file under /assets/. */
function entryScript(): string {
  const match = /src="(\/assets\/index-[^"]+\.js)"/.exec(readFileSync(join(DIST, "index.html"), "utf8"));
  if (!match?.[1]) throw new Error("web/dist/index.html names no entry script: run `npm run build`");
  return match[1];
}

let database: TestDatabase;
let server: RunningServer;
beforeAll(async () => {
  database = await createTestDatabase("chatalot_web_compression");
  server = await startServer({ databaseUrl: database.url });
});
afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("serving the built web app", () => {
  it("sends a script as brotli to a browser that accepts it, and the bytes are the file", async () => {
    const script = entryScript();
    const response = await get(`${server.url}${script}`, { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers["vary"]).toMatch(/Accept-Encoding/i);
    expect(response.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const original = readFileSync(join(DIST, script));
    expect(response.body.length).toBeLessThan(original.length / 2);
    expect(brotliDecompressSync(response.body).equals(original)).toBe(true);
  });

  it("sends gzip when brotli is refused or not offered", async () => {
    const script = entryScript();
    const original = readFileSync(join(DIST, script));
    for (const acceptEncoding of ["gzip", "br;q=0, gzip;q=0.8"]) {
      const response = await get(`${server.url}${script}`, { "Accept-Encoding": acceptEncoding });
      expect(response.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(response.body).equals(original)).toBe(true);
    }
  });

  it("sends the file as it is without Accept-Encoding, or with identity only", async () => {
    const script = entryScript();
    const original = readFileSync(join(DIST, script));
    for (const headers of [{}, { "Accept-Encoding": "identity" }] as Record<string, string>[]) {
      const response = await get(`${server.url}${script}`, headers);
      expect(response.headers["content-encoding"]).toBeUndefined();
      expect(response.headers["vary"]).toMatch(/Accept-Encoding/i);
      expect(response.body.equals(original)).toBe(true);
    }
  });

  it("compresses the page of an app route and never lets it be cached", async () => {
    const response = await get(`${server.url}/channels/abc`, { "Accept-Encoding": "br" });
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(brotliDecompressSync(response.body).equals(readFileSync(join(DIST, "index.html")))).toBe(true);
  });

  it("never lets the service worker be cached, so an update is seen at the next launch", async () => {
    const response = await get(`${server.url}/sw.js`, { "Accept-Encoding": "gzip" });
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(gunzipSync(response.body).equals(readFileSync(join(DIST, "sw.js")))).toBe(true);
  });

  it("sends images as they are: PNG is compressed already", async () => {
    const response = await get(`${server.url}/icons/icon-192.png`, { "Accept-Encoding": "br, gzip" });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.headers["content-type"]).toBe("image/png");
    expect(response.body.equals(readFileSync(join(DIST, "icons", "icon-192.png")))).toBe(true);
  });

  it("lets the page load its service worker and manifest from its own origin, and nothing wider", async () => {
    const policy = String((await get(`${server.url}/`)).headers["content-security-policy"]);
    expect(policy).toContain("worker-src 'self'");
    expect(policy).toContain("manifest-src 'self'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
  });
});
