/**
 * README.md's nginx recipe, run as written with Debian's nginx in front of the native
 * server, over TLS with a self-signed certificate. The recipe is read from the README
 * itself, and only its host name, ports and certificate paths are replaced, so the test
 * fails when the README drifts. Through it: people register and sign in, open channel
 * sockets (wss) and exchange a message, upload a file in parts and download it; the
 * API's JSON arrives gzipped and the web app in the server's own brotli. The client
 * connects from 127.0.0.2 and the proxy from 127.0.0.1, so the address the server
 * records says whose X-Forwarded-For it believed: the proxy's only when trusted, and a
 * client's own forged header never.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPLOAD_PART_BYTES } from "../../protocol/index.ts";
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

const NGINX = "/usr/sbin/nginx";
const PASSWORD = "correct horse battery staple";
const FORGED = "203.0.113.66";
const work = mkdtempSync(join(tmpdir(), "chatalot-nginx-"));
const certificate = join(work, "cert.pem");
const privateKey = join(work, "key.pem");

/** The ```nginx block under README.md's "#### nginx", with only names, ports and paths replaced. */
function readmeRecipe(upstreamPort: number, tlsPort: number, plainPort: number): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n#### nginx\n"));
  const recipe = /```nginx\n([\s\S]*?)```/.exec(section)?.[1];
  if (!recipe) throw new Error("README.md has no ```nginx block under #### nginx");
  const replacements: [string, string][] = [
    ["listen 443 ssl http2;", `listen 127.0.0.1:${tlsPort} ssl http2;`],
    ["listen 80;", `listen 127.0.0.1:${plainPort};`],
    ["/etc/letsencrypt/live/chat.example.com/fullchain.pem", certificate],
    ["/etc/letsencrypt/live/chat.example.com/privkey.pem", privateKey],
    ["proxy_pass http://127.0.0.1:8080;", `proxy_pass http://127.0.0.1:${upstreamPort};`],
    ["server_name chat.example.com;", "server_name localhost;"],
  ];
  let text = recipe;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`README.md's nginx recipe no longer has "${from}"`);
    text = text.replaceAll(from, to);
  }
  return text;
}

interface RunningProxy extends ProxyEndpoint {
  plainPort: number;
  stop(): Promise<void>;
}

/** nginx in the foreground with its own pid, logs and temporary files; the recipe is its http block. */
async function startNginx(name: string, upstream: RunningServer, tlsPort: number): Promise<RunningProxy> {
  const prefix = join(work, name);
  mkdirSync(prefix, { recursive: true });
  const plainPort = await freePort();
  const temporary = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((kind) => `${kind}_temp_path ${join(prefix, kind)};`)
    .join("\n  ");
  const config = join(prefix, "nginx.conf");
  writeFileSync(
    config,
    `# As root, so the workers may use the temporary directories under ${prefix}.
user root;
daemon off;
pid ${join(prefix, "nginx.pid")};
error_log ${join(prefix, "error.log")} info;
events {}
http {
  access_log ${join(prefix, "access.log")};
  ${temporary}
${readmeRecipe(upstream.port, tlsPort, plainPort)}
}
`,
  );
  execFileSync(NGINX, ["-t", "-q", "-c", config, "-p", prefix]);
  const child: ChildProcess = spawn(NGINX, ["-c", config, "-p", prefix], { stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 10_000;
  while (!(await answers(`http://127.0.0.1:${plainPort}/`))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`nginx did not start:\n${readFileSync(join(prefix, "error.log"), "utf8")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    tlsPort,
    ca: readFileSync(certificate),
    plainPort,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGQUIT");
      await exited;
    },
  };
}

const answers = (url: string) =>
  new Promise<boolean>((resolve) =>
    httpRequest(url, (response) => resolve(response.resume() !== undefined))
      .on("error", () => resolve(false))
      .end(),
  );

/** The sign-in's recorded address, the client forging X-Forwarded-For. */
const recorded = (proxy: RunningProxy, username: string) => recordedAddress(proxy, username, PASSWORD, FORGED);

const databases: TestDatabase[] = [];
const servers: RunningServer[] = [];
const proxies: RunningProxy[] = [];

/** A server behind the README's nginx; PUBLIC_URL is the proxy's address, as in production. */
async function serverBehindNginx(name: string, trustedProxies: string | undefined): Promise<RunningProxy> {
  const database = await createTestDatabase(name);
  databases.push(database);
  const tlsPort = await freePort();
  const server = await startServer({
    databaseUrl: database.url,
    env: {
      PUBLIC_URL: `https://localhost:${tlsPort}`,
      TRUSTED_PROXIES: trustedProxies,
      COMMUNITY_CREATION_MODE: "open",
    },
  });
  servers.push(server);
  const proxy = await startNginx(name, server, tlsPort);
  proxies.push(proxy);
  return proxy;
}

beforeAll(() => {
  if (!existsSync(NGINX)) throw new Error("Debian's nginx is not installed: run `apt-get install nginx`");
  if (process.getuid?.() !== 0)
    throw new Error("this test runs nginx as root (its workers use the test's directories)");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout", privateKey, "-out", certificate,
  ], { stdio: "ignore" }); // prettier-ignore
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  for (const server of servers) await server.stop();
  for (const database of databases) await database.stop();
});

describe("behind the README's nginx, trusted as TRUSTED_PROXIES=127.0.0.1", () => {
  let proxy: RunningProxy;
  let alice = "";
  let bob = "";
  let channelId = "";

  it("sends plain HTTP to https, and registers people over TLS with the address nginx saw", async () => {
    proxy = await serverBehindNginx("nginx_trusted", "127.0.0.1");
    const plain = await new Promise<{ status: number; location: string }>((resolve, reject) =>
      httpRequest(`http://127.0.0.1:${proxy.plainPort}/sign-in`, { headers: { Host: "localhost" } }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? "" });
      })
        .on("error", reject)
        .end(),
    );
    expect(plain).toEqual({ status: 301, location: "https://localhost/sign-in" });

    for (const username of ["alice", "bob"]) {
      const registered = await through(proxy, "POST", "/api/auth/register", { json: { username, password: PASSWORD } });
      expect(registered.status).toBe(201);
    }
    // The client's own forged header is replaced by nginx, then believed from nginx alone.
    expect(await recorded(proxy, "alice")).toBe(CLIENT_ADDRESS);
  });

  it("carries a message from one channel socket to another over wss", async () => {
    const shared = await sharedChannelThrough(proxy, PASSWORD, "Proxied");
    expect(shared.created.status).toBe(201);
    expect(shared.joined.status).toBe(200);
    [alice, bob, channelId] = [shared.alice, shared.bob, shared.channelId];

    const payload = Buffer.from("hello through nginx ".repeat(100)).toString("base64");
    const frame = await relayThrough(proxy, [alice, bob], channelId, payload);
    if (frame.type !== "message") expect.fail(`not a message: ${JSON.stringify(frame)}`);
    expect(frame.message.payload).toBe(payload);
  });

  it("takes an upload in parts and gives the same bytes back", async () => {
    const bytes = randomBytes(UPLOAD_PART_BYTES + 300_000);
    const created = await through(proxy, "POST", `/api/channels/${channelId}/uploads`, {
      token: alice,
      json: { size: bytes.length },
    });
    expect(created.status).toBe(201);
    const id = created.json.upload.id as string;
    for (let offset = 0; offset < bytes.length; offset += UPLOAD_PART_BYTES) {
      const part = await through(proxy, "PATCH", `/api/uploads/${id}`, {
        token: alice,
        body: bytes.subarray(offset, offset + UPLOAD_PART_BYTES),
        headers: { "Upload-Offset": String(offset) },
      });
      expect(part.status, part.body.toString()).toBe(200);
    }
    const downloaded = await through(proxy, "GET", `/api/files/${id}`, { token: alice });
    expect(downloaded.status).toBe(200);
    expect(Buffer.compare(downloaded.body, bytes)).toBe(0);
  });

  it("gzips the API's JSON and passes the server's own brotli through untouched", async () => {
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

describe("behind the same nginx, not trusted (TRUSTED_PROXIES unset)", () => {
  it("records the proxy's address, believing neither nginx's header nor the client's", async () => {
    const proxy = await serverBehindNginx("nginx_untrusted", undefined);
    const registered = await through(proxy, "POST", "/api/auth/register", {
      json: { username: "carol", password: PASSWORD },
    });
    expect(registered.status).toBe(201);
    expect(await recorded(proxy, "carol")).toBe("127.0.0.1");
  });
});

describe("behind the same nginx, with the client inside a trusted range (TRUSTED_PROXIES=127.0.0.0/8)", () => {
  let proxy: RunningProxy;

  it("still never sees the client's forged header: nginx replaces it rather than appending", async () => {
    proxy = await serverBehindNginx("nginx_range", "127.0.0.0/8");
    const registered = await through(proxy, "POST", "/api/auth/register", {
      json: { username: "dave", password: PASSWORD },
    });
    expect(registered.status).toBe(201);
    expect(await recorded(proxy, "dave")).toBe(CLIENT_ADDRESS);
  });

  it("answers with nginx's request id, never one the client sent", async () => {
    const answered = await through(proxy, "GET", "/health", { headers: { "X-Request-Id": "chosen-by-the-client" } });
    expect(answered.status).toBe(200);
    // nginx's $request_id: 32 hex digits, believed from the trusted proxy.
    expect(answered.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
  });
});
