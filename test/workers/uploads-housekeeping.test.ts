/**
 * The hourly housekeeping (the Database object's alarm) removes, from R2 and from the
 * database, an upload no message took within a day and the uploads of a channel that is
 * gone, and leaves a recent one alone.
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { bridgeSocketClass } from "../../db/bridge-socket.ts";
import { databaseStub } from "../../db/index.ts";
import { as, createChannel, register, unique } from "./fixtures.ts";
import { newUpload, sealedBytes, storedKeys, uploadAll } from "./uploads-fixtures.ts";

// The test's own connection, through the same bridge the Database object uses, to age a row.
neonConfig.webSocketConstructor = bridgeSocketClass(env.PG_BRIDGE);
neonConfig.wsProxy = (host, port) => `pg-bridge/?address=${host}:${port}`;
neonConfig.useSecureWebSocket = false;
neonConfig.pipelineConnect = false;
const pool = new Pool({ connectionString: env.DATABASE_URL, max: 1 });
// The bridge drops an idle connection when the test's requests end; nothing is lost.
pool.on("error", () => undefined);
afterAll(() => pool.end());

describe("uploads' housekeeping", { timeout: 30_000 }, () => {
  it("removes an upload no message took for a day, parts and row, and keeps a newer one", async () => {
    const database = databaseStub(env.DATABASE);
    // Start-up runs housekeeping once and schedules the hourly alarm.
    expect((await database.startup()).ok).toBe(true);
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const old = await newUpload(alice, channel.id, 1500);
    await uploadAll(alice, old, sealedBytes(1500));
    const recent = await newUpload(alice, channel.id, 700);
    await uploadAll(alice, recent, sealedBytes(700));
    await pool.query("update uploads set created_at = now() - interval '25 hours' where id = $1", [old.id]);

    expect(await runDurableObjectAlarm(database)).toBe(true);

    expect(await storedKeys(old.id)).toEqual([]);
    expect((await pool.query("select id from uploads where id = $1", [old.id])).rows).toEqual([]);
    expect(await storedKeys(recent.id)).toEqual([`files/${recent.id}/0`]);
    expect((await as(alice, "GET", `/api/uploads/${recent.id}`)).status).toBe(200);
  });

  it("removes the uploads of a channel that is gone, whatever removed it", async () => {
    const database = databaseStub(env.DATABASE);
    expect((await database.startup()).ok).toBe(true);
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const upload = await newUpload(alice, channel.id, 900);
    await uploadAll(alice, upload, sealedBytes(900));
    // Not through the API (which removes them at once): as a restore or a manual fix might.
    await pool.query("delete from channels where id = $1", [channel.id]);

    expect(await runDurableObjectAlarm(database)).toBe(true);

    expect(await storedKeys(upload.id)).toEqual([]);
    expect((await pool.query("select id from uploads where id = $1", [upload.id])).rows).toEqual([]);
  });
});
