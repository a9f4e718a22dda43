import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createChannel, json, register, request, ticketFor, unique } from "./fixtures.ts";
import { socketProtocols } from "../../protocol/index.ts";

const https = { ...env, PUBLIC_URL: "https://chat.example" };

// An HTML page, a JSON success, a JSON error from a handler, and an unknown API route.
const responses: [string, string, RequestInit][] = [
  ["the web app's HTML", "/", {}],
  ["an app route served as HTML", "/channels/abc", {}],
  ["a JSON success", "/health", {}],
  ["a JSON 401", "/api/me", {}],
  ["a JSON 400", "/api/auth/login", json("POST", {})],
  ["an unknown API route", "/api/nothing-here", {}],
];

describe("every response carries the security headers", () => {
  it.each(responses)("%s", async (_name, path, init) => {
    const response = await request(path, init);
    await response.body?.cancel();
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // Decrypted attachments play from blob: URLs; nothing else is let in.
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    // PUBLIC_URL is http in this project: no HSTS.
    expect(response.headers.get("Strict-Transport-Security")).toBeNull();
  });

  it("serves HTML as HTML, so the headers above apply to a real page", async () => {
    const response = await request("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expect(await response.text()).toContain("<html");
  });

  it.each(responses)("with an https PUBLIC_URL, %s also carries HSTS", async (_name, path, init) => {
    const response = await request(path, init, https);
    await response.body?.cancel();
    expect(response.headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });
});

describe("CORS", () => {
  const preflight = (origin: string, bindings: object = env) =>
    request(
      "/api/auth/login",
      {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type, x-chatalot-csrf",
        },
      },
      bindings,
    );

  it("lets PUBLIC_URL's origin call the API with credentials", async () => {
    const response = await preflight("http://chatalot.test");
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("http://chatalot.test");
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(response.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("x-chatalot-csrf");
  });

  it("gives a foreign origin no Access-Control-Allow-Origin, on a preflight or a real request", async () => {
    const response = await preflight("https://evil.example");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const actual = await request("/health", { headers: { Origin: "https://evil.example" } });
    expect(actual.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const api = await request("/api/me", { headers: { Origin: "https://evil.example" } });
    expect(api.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("also allows the origins listed in CORS_ORIGINS, and only those", async () => {
    const withApp = { ...env, CORS_ORIGINS: "https://app.example" };
    const listed = await preflight("https://app.example", withApp);
    expect(listed.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example");
    expect(listed.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    const unlisted = await preflight("https://other.example", withApp);
    expect(unlisted.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("WebSocket upgrades", () => {
  it("accept an Origin from CORS_ORIGINS and refuse any other, like the API", async () => {
    const withApp = { ...env, CORS_ORIGINS: "https://app.example" };
    const alice = await register(unique("alice"));
    const general = await createChannel(alice);
    const upgradeFrom = async (origin: string) =>
      request(
        `/api/channels/${general.id}/socket`,
        {
          headers: {
            Upgrade: "websocket",
            Origin: origin,
            "Sec-WebSocket-Protocol": socketProtocols(await ticketFor(alice, general.id)).join(", "),
          },
        },
        withApp,
      );
    const listed = await upgradeFrom("https://app.example");
    expect(listed.status).toBe(101);
    listed.webSocket!.accept();
    listed.webSocket!.close(1000, "done");
    const ours = await upgradeFrom("http://chatalot.test");
    expect(ours.status).toBe(101);
    ours.webSocket!.accept();
    ours.webSocket!.close(1000, "done");
    const foreign = await upgradeFrom("https://other.example");
    expect(foreign.status).toBe(403);
  });
});
