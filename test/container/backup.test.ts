/**
 * scripts/backup.sh and scripts/restore.sh in compose mode, against the real stack (podman,
 * stack.ts): the admin sends while the first stack is backed up, a second, fresh stack (up
 * and migrated, with no accounts) takes the archive, and serves the admin's account, every
 * message acknowledged before the backup began and the file's bytes.
 */
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unpackFrames, type MessageView, type ServerFrame } from "../../protocol/index.ts";
import { call, generalChannel, openChannelSocket, registerOn, signInOn, type Account } from "../support/accounts.ts";
import type { RunningServer } from "../support/server.ts";
import { run } from "./podman.ts";
import { COMPOSE_ENV, startStack, type Stack } from "./stack.ts";

const repositoryRoot = join(import.meta.dirname, "..", "..");
const PASSWORD = "a long passphrase for the backup test";
const FILE = Buffer.from(crypto.getRandomValues(new Uint8Array(5_000)));
const SEND_INTERVAL_MS = 120;

let original: Stack, fresh: Stack;
let admin: Account;
let channelId = "",
  fileId = "",
  archive = "";
const acknowledged: string[] = [];
let acknowledgedBeforeBackup = 0;

const serverOf = (stack: Stack) => ({ url: stack.url }) as RunningServer;
/** The deployment is a checkout: the scripts read the migrations' journal and the version beside them. */
function asCheckout(stack: Stack): void {
  mkdirSync(join(stack.dir, "db", "migrations", "meta"), { recursive: true });
  copyFileSync(
    join(repositoryRoot, "db", "migrations", "meta", "_journal.json"),
    join(stack.dir, "db", "migrations", "meta", "_journal.json"),
  );
  copyFileSync(join(repositoryRoot, "package.json"), join(stack.dir, "package.json"));
}
const script = (stack: Stack, name: string, args: string[]) =>
  run(join(stack.dir, "scripts", name), args, { cwd: stack.dir, env: COMPOSE_ENV, timeoutMs: 300_000 });

beforeAll(async () => {
  [original, fresh] = [await startStack("backup"), await startStack("restored")];
  asCheckout(original);
  asCheckout(fresh);
}, 600_000);

afterAll(async () => {
  await original?.down();
  await fresh?.down();
});

describe("backups of the compose stack", () => {
  it("backs up while the admin keeps sending", async () => {
    admin = await registerOn(serverOf(original), "admin", PASSWORD);
    channelId = await generalChannel(serverOf(original), admin);
    const upload = await call(serverOf(original), `/api/channels/${channelId}/uploads`, {
      token: admin.token,
      body: { size: FILE.length },
    });
    fileId = upload.body.upload.id;
    const part = await fetch(`${original.url}/api/uploads/${fileId}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${admin.token}`, "Upload-Offset": "0" },
      body: FILE,
    });
    expect(part.status).toBe(200);

    const { socket } = await openChannelSocket(serverOf(original), admin, channelId);
    const waiting = new Map<string, (frame: ServerFrame) => void>();
    socket.on("message", (data) => {
      for (const frame of unpackFrames(JSON.parse(String(data)) as ServerFrame))
        if (frame.type === "ack" || frame.type === "error") [...waiting.values()].forEach((resolve) => resolve(frame));
    });
    const send = async (clientId: string, extra: object = {}) => {
      const answer = new Promise<ServerFrame>((resolve) => waiting.set(clientId, resolve));
      socket.send(JSON.stringify({ type: "send", clientId, payload: "bm90ZQ==", ...extra }));
      const frame = await answer;
      waiting.delete(clientId);
      if (frame.type !== "ack") throw new Error(`refused: ${JSON.stringify(frame)}`);
      return (frame as { message: MessageView }).message;
    };
    await send("with-the-file", { attachments: [fileId] });
    let isSending = true;
    const sending = (async () => {
      for (let index = 0; isSending; index++) {
        const clientId = `compose-${String(index).padStart(6, "0")}`;
        await send(clientId);
        acknowledged.push(clientId);
        await new Promise((resolve) => setTimeout(resolve, SEND_INTERVAL_MS));
      }
    })();
    while (acknowledged.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
    acknowledgedBeforeBackup = acknowledged.length;
    const backup = await script(original, "backup.sh", []);
    const acknowledgedAfterBackup = acknowledged.length;
    isSending = false;
    await sending;
    socket.close();
    expect(backup.code, backup.stderr).toBe(0);
    expect(acknowledgedAfterBackup).toBeGreaterThan(acknowledgedBeforeBackup);
    archive = backup.stdout.trim().split("\n").at(-1)!;
    expect(readdirSync(join(original.dir, "backups"))).toEqual([archive.split("/").at(-1)]);
    expect(backup.stderr).not.toMatch(/sqlite3 is not installed/);
  });

  it("restores into a fresh stack, which serves the account, the messages and the file", async () => {
    const restored = await script(fresh, "restore.sh", [archive]);
    expect(restored.code, restored.stderr).toBe(0);
    const deadline = Date.now() + 180_000;
    while ((await fresh.health()).body?.status !== "ok") {
      if (Date.now() > deadline) throw new Error("the restored stack never answered /health ok");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The fresh stack's own signing keys: the admin signs in again, with the same password.
    const again = await signInOn(serverOf(fresh), "admin", PASSWORD);
    const ids: string[] = [];
    for (let after = 0; ; after += 100) {
      const page = await call(serverOf(fresh), `/api/channels/${channelId}/messages?after=${after}&limit=100`, {
        token: again.token,
      });
      expect(page.status, page.text).toBe(200);
      ids.push(...(page.body.messages as MessageView[]).map((message) => message.clientId));
      if (page.body.messages.length < 100) break;
    }
    expect(ids[0]).toBe("with-the-file");
    expect(ids.length - 1).toBeGreaterThanOrEqual(acknowledgedBeforeBackup);
    expect(ids.slice(1)).toEqual(acknowledged.slice(0, ids.length - 1));
    const file = await fetch(`${fresh.url}/api/files/${fileId}`, {
      headers: { Authorization: `Bearer ${again.token}` },
    });
    expect(Buffer.from(await file.arrayBuffer())).toEqual(FILE);

    // Run again, the stack now holds an account: refused, and it still serves.
    const refused = await script(fresh, "restore.sh", [archive]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/already holds 1 account\(s\).*--force/s);
    expect((await fresh.health()).body?.status).toBe("ok");
  });
});
