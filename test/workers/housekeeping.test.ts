import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { databaseStub } from "../../db/index.ts";

describe("database housekeeping", () => {
  it("runs from the Database object's alarm and schedules the next run", async () => {
    const stub = databaseStub(env.DATABASE);
    expect((await stub.startup()).ok).toBe(true);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The alarm set itself again for the next hour.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
  });
});
