/**
 * The production image (the project's own Dockerfile, built once by global-setup.ts) and
 * docker-compose.yml, run through the README's steps by stack.ts: generated secrets, .env,
 * `docker compose up -d`. Base images are local STAND-INS (stand-ins.ts): PostgreSQL 15 under
 * the postgres:17.9 name, Debian's coturn under coturn's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type WebSocket from "ws";
import { unpackFrames, type ServerFrame } from "../../protocol/index.ts";
import { call, generalChannel, openChannelSocket, registerOn, within } from "../support/accounts.ts";
import type { RunningServer } from "../support/server.ts";
import { run } from "./podman.ts";
import { startStack, type Stack } from "./stack.ts";

const repositoryRoot = join(import.meta.dirname, "..", "..");
const POLL_MS = 500;

let stack: Stack;
let upStartedAt: Date;
/** The account helpers need only the address. */
const server = () => ({ url: stack.url }) as RunningServer;

beforeAll(async () => {
  upStartedAt = new Date();
  stack = await startStack("image");
});

afterAll(async () => {
  await stack?.down();
});

async function containerOf(service: string): Promise<string> {
  const id = (await stack.compose(["ps", "-q", service])).stdout.trim();
  if (!id) throw new Error(`no ${service} container`);
  return id;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  isDone: (value: T) => boolean,
  ms = 120_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const healthStatusOf = async (id: string) =>
  (await stack.podman(["inspect", "--format", "{{.State.Health.Status}}", id])).stdout.trim();

/** Sends a frame and waits for the answer naming its client id. */
function ask(socket: WebSocket, frame: Record<string, unknown>): Promise<ServerFrame> {
  const clientId = crypto.randomUUID().replaceAll("-", "");
  const answered = new Promise<ServerFrame>((resolve) => {
    const listener = (data: WebSocket.RawData) => {
      const answer = unpackFrames(JSON.parse(String(data)) as ServerFrame).find(
        (candidate) => "clientId" in candidate && candidate.clientId === clientId,
      );
      if (!answer) return;
      socket.off("message", listener);
      resolve(answer);
    };
    socket.on("message", listener);
  });
  socket.send(JSON.stringify({ ...frame, clientId }));
  return within(answered, 10_000, `an answer to ${String(frame.type)}`);
}

describe("the image and docker-compose.yml, the README's way", () => {
  it("reports the image's size and build time", () => {
    console.log(
      `image chatalot:local: ${(inject("imageSizeBytes") / 1_000_000).toFixed(0)} MB, ` +
        `built in ${(inject("imageBuildMs") / 1000).toFixed(0)} s`,
    );
    // No build tools or npm in the runtime stage: well under the build stage's gigabyte.
    expect(inject("imageSizeBytes")).toBeLessThan(400_000_000);
  });

  it("starts the server only once PostgreSQL is healthy", async () => {
    const postgres = await containerOf("postgres");
    const chatalot = await containerOf("chatalot");
    const events = await stack.podman([
      "events",
      "--stream=false",
      "--since",
      upStartedAt.toISOString(),
      "--filter",
      `label=com.docker.compose.project=${stack.project}`,
      "--format",
      "json",
    ]);
    // In the order they happened. Podman reports a container's health as it stood when a
    // check began, so a check's outcome shows in the next check's event.
    const parsed = events.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { ID: string; Status: string; health_status?: string });
    const created = parsed.findIndex((event) => event.ID === chatalot && event.Status === "create");
    expect(created, events.stdout).toBeGreaterThan(0);
    const postgresBefore = parsed.slice(0, created).filter((event) => event.ID === postgres);
    // Compose waited through checks while PostgreSQL was still starting...
    expect(postgresBefore.some((event) => event.health_status === "starting")).toBe(true);
    // ...and created the server after a check had ended (none was running)...
    expect(postgresBefore.at(-1)?.Status).toBe("exec_died");
    // ...whose outcome, reported by the next check, was healthy.
    const nextCheck = parsed.slice(created).find((event) => event.ID === postgres && event.Status === "health_status");
    expect(nextCheck?.health_status).toBe("healthy");
  });

  it("has applied every migration by the time /health says ok", async () => {
    const journal = JSON.parse(readFileSync(join(repositoryRoot, "db/migrations/meta/_journal.json"), "utf8"));
    const applied = await stack.compose([
      "exec",
      "-T",
      "postgres",
      "psql",
      "-U",
      "chatalot",
      "-d",
      "chatalot",
      "-tAc",
      "select count(*) from drizzle.__drizzle_migrations",
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(Number(applied.stdout.trim())).toBe(journal.entries.length);
  });

  it("answers /health with the README's body", async () => {
    const { status, body } = await stack.health();
    expect(status).toBe(200);
    const version = JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8")).version;
    expect(body).toEqual({ status: "ok", version, uptime_secs: expect.any(Number), db_healthy: true });
  });

  it("runs every process of the server as uid 10001 with no capabilities", async () => {
    const chatalot = await containerOf("chatalot");
    const statuses = await stack.podman([
      "exec",
      chatalot,
      "sh",
      "-c",
      'for s in /proc/[0-9]*/status; do grep -hE "^(Name|Uid|CapPrm|CapEff|CapBnd|NoNewPrivs):" "$s"; echo; done',
    ]);
    expect(statuses.code, statuses.stderr).toBe(0);
    const processes = statuses.stdout
      .trim()
      .split("\n\n")
      .map((block) => Object.fromEntries(block.split("\n").map((line) => line.split(/:\s+/) as [string, string])));
    // workerd runs twice: the server and its password hasher (workerd/chatalot.capnp's two configurations).
    expect(processes.filter((process) => process.Name === "workerd")).toHaveLength(2);
    for (const process of processes) {
      expect(process, JSON.stringify(process)).toMatchObject({
        Uid: "10001\t10001\t10001\t10001",
        CapPrm: "0000000000000000",
        CapEff: "0000000000000000",
        CapBnd: "0000000000000000",
        NoNewPrivs: "1",
      });
    }
  });

  it("starts coturn with the hardened settings under --profile turn", async () => {
    const up = await stack.compose(["--profile", "turn", "up", "-d"]);
    expect(up.code, up.stderr).toBe(0);
    const turn = await containerOf("turn");
    const commandLine = await waitFor(
      "turnserver running",
      async () => (await stack.podman(["exec", turn, "sh", "-c", "tr '\\0' '\\n' </proc/1/cmdline; id -u"])).stdout,
      (output) => output.startsWith("turnserver\n"),
    );
    const args = commandLine.trim().split("\n");
    expect(args.at(-1)).toBe("10001");
    expect(args).toEqual(
      expect.arrayContaining([
        "--use-auth-secret",
        "--no-tls",
        "--no-dtls",
        "--no-cli",
        "--no-tcp-relay",
        "--no-multicast-peers",
        "--denied-peer-ip=10.0.0.0-10.255.255.255",
        "--denied-peer-ip=127.0.0.0-127.255.255.255",
        "--denied-peer-ip=172.16.0.0-172.31.255.255",
        "--denied-peer-ip=192.168.0.0-192.168.255.255",
        "--denied-peer-ip=203.0.113.10",
        "--external-ip=203.0.113.10",
        "--user-quota=50",
        "--total-quota=4",
      ]),
    );
    // The shared secret is in the generated config file only, never on the command line.
    const secret = readFileSync(join(stack.dir, "secrets", "turn_secret"), "utf8").trim();
    expect(commandLine).not.toContain(secret);
    const config = await stack.podman(["exec", turn, "cat", "/var/lib/coturn/secret.conf"]);
    expect(config.stdout.trim()).toBe(`static-auth-secret=${secret}`);
    // And it answers on its published port: a STUN binding from the host (coturn's own client).
    const turnPort = /^TURN_PORT=(\d+)$/m.exec(readFileSync(join(stack.dir, ".env"), "utf8"))![1]!;
    const binding = await waitFor(
      "a STUN answer",
      () => run("turnutils_stunclient", ["-p", turnPort, "127.0.0.1"], { timeoutMs: 10_000 }),
      (result) => /UDP reflexive addr/.test(result.stdout),
      30_000,
    );
    expect(binding.code).toBe(0);
  });

  it("answers 503 and turns unhealthy while PostgreSQL is stopped, and recovers when it starts", async () => {
    const chatalot = await containerOf("chatalot");
    expect((await stack.compose(["stop", "postgres"])).code).toBe(0);
    const down = await waitFor("/health 503", stack.health, (health) => health.status === 503);
    expect(down.body).toMatchObject({ status: "degraded", db_healthy: false });
    // Failures count only after the HEALTHCHECK's start period (120 s from the container's start).
    await waitFor(
      "the container unhealthy",
      () => healthStatusOf(chatalot),
      (status) => status === "unhealthy",
      240_000,
    );

    expect((await stack.compose(["start", "postgres"])).code).toBe(0);
    await waitFor("/health ok again", stack.health, (health) => health.status === 200 && health.body?.status === "ok");
    await waitFor(
      "the container healthy again",
      () => healthStatusOf(chatalot),
      (status) => status === "healthy",
    );
  });

  it("lets the admin register, and keeps a message across `docker compose restart chatalot`", async () => {
    const admin = await registerOn(server(), "admin", "correct horse battery staple");
    expect(admin.isAdmin).toBe(true);
    const channelId = await generalChannel(server(), admin);
    const { socket } = await openChannelSocket(server(), admin, channelId);
    const payload = Buffer.from("written before the restart").toString("base64");
    const sent = await ask(socket, { type: "send", payload });
    expect(sent.type, JSON.stringify(sent)).toBe("ack");
    socket.close();

    const restarted = await stack.compose(["restart", "chatalot"]);
    expect(restarted.code, restarted.stderr).toBe(0);
    await waitFor("/health ok after the restart", stack.health, (health) => health.body?.status === "ok");
    const history = await call(server(), `/api/channels/${channelId}/messages?limit=50`, { token: admin.token });
    expect(history.status, history.text).toBe(200);
    expect(history.body.messages.map((message: { payload: string }) => message.payload)).toContain(payload);
  });
});
