/**
 * The TURN relay against the real thing: the production server hands alice credentials
 * from GET /api/calls/ice-servers, and a real coturn, started the way the compose turn
 * profile starts it (scripts/turn-relay.sh, the compose file's flags, the same secret
 * file), relays for them; credentials from another secret, or expired, are refused.
 * In Chromium, two peer connections forced to relay (iceTransportPolicy "relay") meet
 * through it with the route's iceServers, and gather nothing with a forged credential:
 * the forced-relay proof of calls, apart from the call UI.
 *
 * The profile denies relaying to loopback and private addresses and to its own public
 * address, and here everything is on loopback with 127.0.0.1 as that public address:
 * this test's relay alone adds --allow-loopback-peers, and sets TURN_RELAY_TO_SELF=true,
 * which allows its own address back (allowed-peer-ip beats denied-peer-ip in coturn).
 * Every other denial of the profile stays in force, and is checked below.
 */
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IceServersView, IceServerView } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { launchChromium } from "../support/browser.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";
import { openTurnSession } from "../support/turn-allocation.ts";
import { startTurnRelay, type RunningRelay } from "../support/turn-relay.ts";

const TURN_SECRET = "0b7e4f19c2d84a6e93f5a1c07d2e8b6f4a9c3e51d7b2f08e6c4a1d9b3f7e2c05";
const OTHER_SECRET = "d41c9e7a2b6f08e3c5a19f4d7b2e6c0a8f3d5b1e9c7a2f4d6b0e8c3a5f1d7b92";
const PASSWORD = "her relay Passphrase 3m4n5o";

let database: TestDatabase;
let server: RunningServer;
let relay: RunningRelay;
let alice: Account;
let browser: Browser | undefined;

beforeAll(async () => {
  const secrets = mkdtempSync(join(tmpdir(), "chatalot-turn-secret-"));
  const secretFile = join(secrets, "turn_secret");
  // As scripts/generate-secrets.sh writes it: hex, no newline, readable by its owner only.
  writeFileSync(secretFile, TURN_SECRET, { mode: 0o600 });
  [database, relay] = await Promise.all([
    createTestDatabase("turn_relay"),
    startTurnRelay({ secretFile, extraFlags: ["--allow-loopback-peers"], env: { TURN_RELAY_TO_SELF: "true" } }),
  ]);
  server = await startServer({
    databaseUrl: database.url,
    env: { TURN_SECRET_FILE: secretFile, TURN_URLS: `stun:127.0.0.1:${relay.port},turn:127.0.0.1:${relay.port}` },
  });
  alice = await registerOn(server, "alice", PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  await server?.stop();
  await database?.stop();
});

async function turnEntryFor(person: Account): Promise<IceServerView & { username: string; credential: string }> {
  const response = await call<IceServersView>(server, "/api/calls/ice-servers", { token: person.token });
  expect(response.status, response.text).toBe(200);
  const entry = response.body.iceServers.find((server) => server.username !== undefined);
  expect(entry?.urls).toEqual([`turn:127.0.0.1:${relay.port}`]);
  return entry as IceServerView & { username: string; credential: string };
}

const signedWith = (secret: string, username: string) => createHmac("sha1", secret).update(username).digest("base64");

/** turnutils_uclient (coturn's own client) in client-to-client mode: two relays, messages through both. */
async function uclient(username: string, credential: string) {
  const run = promisify(execFile)(
    "turnutils_uclient",
    ["-y", "-n", "5", "-p", String(relay.port), "-u", username, "-w", credential, "127.0.0.1"],
    { timeout: 30_000 },
  );
  const { stdout, stderr } = await run.catch((error: { stdout: string; stderr: string; code: number }) => error);
  // Its closing count, over every client: "start_mclient: tot_send_msgs=N, tot_recv_msgs=M".
  const totals = /start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/.exec(stdout + stderr);
  return { output: stdout + stderr, sent: Number(totals?.[1] ?? 0), received: Number(totals?.[2] ?? 0) };
}

interface RelayProbe {
  /** "connected", "failed", or "nothing gathered" (no relay candidate on either side). */
  outcome: string;
  candidateTypes: string[];
  /** The errorCode of every icecandidateerror (401: the relay refused the credential). */
  candidateErrors: number[];
  selectedPair: { local: string; remote: string } | null;
  received: string | null;
}

/**
 * Two RTCPeerConnections in one page, both with iceTransportPolicy "relay", negotiating a
 * data channel: they can only meet through relayed candidates, so connecting proves the
 * relay carried the traffic, and the selected pair says which candidates it used.
 */
function probeRelay(page: Page, iceServers: IceServerView[]): Promise<RelayProbe> {
  return page.evaluate(async (iceServers) => {
    const configuration: RTCConfiguration = { iceServers, iceTransportPolicy: "relay" };
    const offerer = new RTCPeerConnection(configuration);
    const answerer = new RTCPeerConnection(configuration);
    const candidateTypes: string[] = [];
    const candidateErrors: number[] = [];
    for (const [from, to] of [
      [offerer, answerer],
      [answerer, offerer],
    ] as const) {
      from.onicecandidate = (event) => {
        if (!event.candidate) return;
        candidateTypes.push(event.candidate.type ?? "unknown");
        void to.addIceCandidate(event.candidate);
      };
      from.onicecandidateerror = (event) => candidateErrors.push((event as RTCPeerConnectionIceErrorEvent).errorCode);
    }
    const channel = offerer.createDataChannel("probe");
    const received = new Promise<string>((resolve) => {
      answerer.ondatachannel = (event) => (event.channel.onmessage = (message) => resolve(String(message.data)));
    });
    await offerer.setLocalDescription();
    await answerer.setRemoteDescription(offerer.localDescription!);
    await answerer.setLocalDescription();
    await offerer.setRemoteDescription(answerer.localDescription!);
    const outcome = await new Promise<string>((resolve) => {
      offerer.onconnectionstatechange = () => {
        if (offerer.connectionState === "connected" || offerer.connectionState === "failed")
          resolve(offerer.connectionState);
      };
      const isDoneGathering = () =>
        offerer.iceGatheringState === "complete" && answerer.iceGatheringState === "complete";
      const checkGathering = () =>
        isDoneGathering() && candidateTypes.length === 0
          ? resolve("nothing gathered")
          : setTimeout(checkGathering, 100);
      checkGathering();
    });
    let selectedPair: RelayProbe["selectedPair"] = null;
    let message: string | null = null;
    if (outcome === "connected") {
      // ICE and DTLS are up; the data channel opens once SCTP has shaken hands over them.
      if (channel.readyState !== "open") await new Promise((resolve) => (channel.onopen = resolve));
      channel.send("hello through the relay");
      message = await received;
      const reports = new Map<string, Record<string, string>>();
      (await offerer.getStats()).forEach((report) => reports.set(report.id, report));
      const transport = [...reports.values()].find((report) => report.type === "transport");
      const pair = reports.get(transport?.selectedCandidatePairId ?? "");
      if (pair) {
        selectedPair = {
          local: reports.get(pair.localCandidateId!)!.candidateType!,
          remote: reports.get(pair.remoteCandidateId!)!.candidateType!,
        };
      }
    }
    offerer.close();
    answerer.close();
    return { outcome, candidateTypes, candidateErrors, selectedPair, received: message };
  }, iceServers);
}

describe("the TURN relay with credentials from GET /api/calls/ice-servers", () => {
  it("allocates alice a relay port from the profile's range", async () => {
    const { username, credential } = await turnEntryFor(alice);

    const session = await openTurnSession(relay.port, username, credential);
    session.close();

    expect(session.allocation).toEqual({ relayed: { address: "127.0.0.1", port: expect.any(Number) } });
    const { port } = (session.allocation as { relayed: { port: number } }).relayed;
    expect(port).toBeGreaterThanOrEqual(relay.minPort);
    expect(port).toBeLessThanOrEqual(relay.maxPort);
  });

  it("relays messages between two of alice's allocations (coturn's own client)", async () => {
    const { username, credential } = await turnEntryFor(alice);

    const { output, sent, received } = await uclient(username, credential);

    expect(sent, output).toBeGreaterThan(0);
    expect(received, output).toBe(sent);
  });

  it("refuses with 401 the same user name signed with another secret, or expired", async () => {
    const { username } = await turnEntryFor(alice);
    const expired = `${Math.floor(Date.now() / 1000) - 60}:${alice.id}`;

    const forged = await openTurnSession(relay.port, username, signedWith(OTHER_SECRET, username));
    const stale = await openTurnSession(relay.port, expired, signedWith(TURN_SECRET, expired));
    forged.close();
    stale.close();
    const { output, received } = await uclient(username, signedWith(OTHER_SECRET, username));

    expect(forged.allocation).toEqual({ errorCode: 401 });
    expect(stale.allocation).toEqual({ errorCode: 401 });
    expect(output).toContain("Cannot complete Allocation");
    expect(received).toBe(0);
  });

  it("keeps the profile's denials: no private, loopback or multicast peers, no TCP relays", async () => {
    const { username, credential } = await turnEntryFor(alice);
    const session = await openTurnSession(relay.port, username, credential);

    const answers: Record<string, number> = {};
    for (const peer of [
      "8.8.8.8",
      "127.0.0.1",
      "127.0.0.2",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "224.0.0.251",
    ])
      answers[peer] = await session.permit(peer);
    session.close();
    const tcp = await openTurnSession(relay.port, username, credential, "tcp");
    tcp.close();

    expect(answers).toEqual({
      "8.8.8.8": 0,
      // Allowed back for this loopback test only.
      "127.0.0.1": 0,
      "127.0.0.2": 403,
      "10.1.2.3": 403,
      "172.16.0.1": 403,
      "192.168.1.1": 403,
      "169.254.169.254": 403,
      "100.64.0.1": 403,
      "224.0.0.251": 403,
    });
    // 442 Unsupported Transport Protocol: --no-tcp-relay, as TURN_TCP_RELAY=false leaves it.
    expect(tcp.allocation).toEqual({ errorCode: 442 });
  });

  it("connects two forced-relay peer connections in Chromium through it, and none with a wrong secret", async () => {
    const entry = await turnEntryFor(alice);
    browser = await launchChromium();
    const page = await browser.newPage();

    const relayed = await probeRelay(page, [entry]);
    const forged = await probeRelay(page, [{ ...entry, credential: signedWith(OTHER_SECRET, entry.username) }]);

    expect(relayed).toMatchObject({
      outcome: "connected",
      selectedPair: { local: "relay", remote: "relay" },
      received: "hello through the relay",
      candidateErrors: [],
    });
    expect(new Set(relayed.candidateTypes)).toEqual(new Set(["relay"]));
    expect(forged).toMatchObject({ outcome: "nothing gathered", candidateTypes: [], selectedPair: null });
    expect(forged.candidateErrors.length).toBeGreaterThan(0);
    expect(new Set(forged.candidateErrors)).toEqual(new Set([401]));
  });

  it("never lets the secret or a credential into the server's or the relay's output", async () => {
    const { credential } = await turnEntryFor(alice);

    for (const output of [server.output(), relay.output()]) {
      expect(output).not.toContain(TURN_SECRET);
      expect(output).not.toContain(credential);
    }
  });
});
