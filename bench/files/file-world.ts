/**
 * What the files bench runs against: the production server (bench-server.ts) on a
 * fresh database, storing files in a folder of the bench's own so that `cp` can copy
 * on the same disk, with room for a 100 MiB file; the admin, one community and its
 * #general, and people who upload there. Everything under one folder, removed at exit.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBenchServer, type BenchServer } from "../bench-server.ts";
import { ChatalotApi, type Account } from "../chatalot-api.ts";
import { onCleanup } from "../cleanup.ts";

/** Room for the 100 MiB file (sealed) and for every file the bench keeps at once. */
const UPLOAD_MAX_BYTES = 256 * 2 ** 20;
const UPLOAD_QUOTA_BYTES = 8 * 2 ** 30;

export interface FileWorld {
  bench: BenchServer;
  api: ChatalotApi;
  channelId: string;
  /** The bench's folder on the disk the server stores files on; UPLOAD_DIR is `uploads` in it. */
  root: string;
  uploadDir: string;
  /** Registers `count` people who join the community (each holds at most UPLOADS_PENDING_MAX unsent files). */
  people(count: number): Promise<Account[]>;
}

export async function startFileWorld(): Promise<FileWorld> {
  const root = mkdtempSync(join(tmpdir(), "chatalot-files-bench-"));
  onCleanup("remove the bench's files", async () => rmSync(root, { recursive: true, force: true }));
  const uploadDir = join(root, "uploads");
  mkdirSync(uploadDir);
  const bench = await startBenchServer("files", {
    poolSize: 4,
    env: {
      UPLOAD_DIR: uploadDir,
      UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES),
      UPLOAD_QUOTA_BYTES: String(UPLOAD_QUOTA_BYTES),
    },
  });
  const api = new ChatalotApi(bench.server.url);
  const owner = await api.register(0);
  const { community } = await api.request<{ community: { id: string } }>("POST", "/api/communities", {
    body: { name: "Files" },
    account: owner,
  });
  const path = `/api/communities/${community.id}`;
  const { channels } = await api.request<{ channels: { id: string; name: string }[] }>("GET", `${path}/channels`, {
    account: owner,
  });
  const { code } = await api.request<{ code: string }>("POST", `${path}/invites`, { body: {}, account: owner });
  let registered = 0;
  return {
    bench,
    api,
    channelId: channels.find((channel) => channel.name === "general")!.id,
    root,
    uploadDir,
    async people(count) {
      const people: Account[] = [];
      for (let index = 0; index < count; index++) {
        const person = await api.register(++registered);
        await api.join(person, [code]);
        people.push(person);
      }
      return people;
    },
  };
}
