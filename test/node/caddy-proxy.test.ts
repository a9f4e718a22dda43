/**
 * README.md's Caddyfile, run as written with Debian's Caddy in front of the native server.
 * The recipe is read from the README, and only its site address and upstream port are
 * replaced; global options (prepended) keep Caddy to the test's directory, its own
 * certificate authority for localhost, and no admin endpoint. Through it: people register
 * over TLS, open channel sockets (wss) and exchange a message; the API's JSON arrives
 * compressed and the web app in the server's own brotli; and with the server trusting all of
 * 127.0.0.0/8, a client's forged X-Forwarded-For still never reaches it (Caddy replaces it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, freePort, type TestDatabase } from "../support/database.ts";
import { root, startServer, type RunningServer } from "../support/server.ts";
import {
  CLIENT_ADDRESS,
  recordedAddress,
  relayThrough,
  sharedChannelThrough,
  through,
  type ProxyEndpoint,
} from "../support/through-proxy.ts";

const CADDY = "/usr/bin/caddy";
const PASSWORD = "correct horse battery staple";
const FORGED = "203.0.113.66";
const work = mkdtempSync(join(tmpdir(), "chatalot-caddy-"));

/** The ```caddyfile block under README.md's "#### Caddy", with only the site and upstream replaced. */
function readmeCaddyfile(upstreamPort: number, tlsPort: number): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n#### Caddy\n"));
  let text = /```caddyfile\n([\s\S]*?)```/.exec(section)?.[1];
  if (!text) throw new Error("README.md has no ```caddyfile block under #### Caddy");
  for (const [from, to] of [
    ["chat.example.com {", `https://localhost:${tlsPort} {`],
    ["reverse_proxy 127.0.0.1:8080", `reverse_proxy 127.0.0.1:${upstreamPort}`],
  ]) {
    if (!text.includes(from)) throw new Error(`README.md's Caddyfile no longer has "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

let database: TestDatabase | undefined;
let server: RunningServer | undefined;
let caddy: ChildProcess | undefined;
let proxy: ProxyEndpoint;

beforeAll(async () => {
  if (!existsSync(CADDY)) throw new Error("Debian's Caddy is not installed: run `apt-get install caddy`");
  database = await createTestDatabase("caddy_proxy");
  const tlsPort = await freePort();
  server = await startServer({
    databaseUrl: database.url,
    // The whole loopback range trusted, the client inside it: only Caddy's replacing the
    // header keeps a forged address out.
    env: {
      PUBLIC_URL: `https://localhost:${tlsPort}`,
      TRUSTED_PROXIES: "127.0.0.0/8",
      COMMUNITY_CREATION_MODE: "open",
    },
  });
  const config = join(work, "Caddyfile");
  writeFileSync(
    config,
    `{
\tadmin off
\tlocal_certs
\tskip_install_trust
\tauto_https disable_redirects
\thttp_port ${await freePort()}
\tstorage file_system {
\t\troot ${join(work, "data")}
\t}
}

${readmeCaddyfile(server.port, tlsPort)}`,
  );
  caddy = spawn(CADDY, ["run", "--config", config, "--adapter", "caddyfile"], {
    env: { PATH: process.env.PATH, HOME: work, XDG_DATA_HOME: work, XDG_CONFIG_HOME: work },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  caddy.stderr!.on("data", (chunk) => (log += chunk));
  const rootCertificate = join(work, "data", "pki", "authorities", "local", "root.crt");
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (existsSync(rootCertificate)) {
      proxy = { tlsPort, ca: readFileSync(rootCertificate) };
      if ((await through(proxy, "GET", "/health").catch(() => ({ status: 0 }))).status === 200) break;
    }
    if (Date.now() > deadline || caddy.exitCode !== null) throw new Error(`Caddy did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  if (caddy && caddy.exitCode === null) {
    const exited = new Promise((resolve) => caddy!.once("exit", resolve));
    caddy.kill("SIGTERM");
    await exited;
  }
  await server?.stop();
  await database?.stop();
});

describe("behind the README's Caddy", () => {
  let alice = "";
  let bob = "";
  let channelId = "";

  it("registers people over TLS with the address Caddy saw, never one the client forged", async () => {
    for (const username of ["alice", "bob"]) {
      const registered = await through(proxy, "POST", "/api/auth/register", { json: { username, password: PASSWORD } });
      expect(registered.status).toBe(201);
    }
    expect(await recordedAddress(proxy, "alice", PASSWORD, FORGED)).toBe(CLIENT_ADDRESS);
  });

  it("answers with Caddy's request id, never one the client sent", async () => {
    const answered = await through(proxy, "GET", "/health", { headers: { "X-Request-Id": "chosen-by-the-client" } });
    expect(answered.status).toBe(200);
    // Caddy's {http.request.uuid}, believed from the trusted proxy.
    expect(answered.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("carries a message from one channel socket to another over wss", async () => {
    const shared = await sharedChannelThrough(proxy, PASSWORD, "Caddied");
    expect(shared.joined.status).toBe(200);
    [alice, bob, channelId] = [shared.alice, shared.bob, shared.channelId];

    const payload = Buffer.from("hello through caddy ".repeat(100)).toString("base64");
    const frame = await relayThrough(proxy, [alice, bob], channelId, payload);
    if (frame.type !== "message") expect.fail(`not a message: ${JSON.stringify(frame)}`);
    expect(frame.message.payload).toBe(payload);
  });

  it("compresses the API's JSON and passes the server's own brotli through untouched", async () => {
    const history = await through(proxy, "GET", `/api/channels/${channelId}/messages`, {
      token: bob,
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(history.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(history.body).toString("utf8")).messages).toHaveLength(1);

    const assets = join(root, "web", "dist", "assets");
    const script = readdirSync(assets).find((name) => name.endsWith(".js") && existsSync(join(assets, `${name}.br`)))!;
    const asset = await through(proxy, "GET", `/assets/${script}`, { headers: { "Accept-Encoding": "br, gzip" } });
    expect(asset.headers["content-encoding"]).toBe("br");
    expect(Buffer.compare(asset.body, readFileSync(join(assets, `${script}.br`)))).toBe(0);
  });
});
