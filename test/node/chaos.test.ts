/**
 * The chaos scenario, bounded: ~20 s of continuous sending into three channels while
 * sockets are cut at random, the server is killed with SIGKILL and restarted, and
 * PostgreSQL (a private instance) is stopped abruptly and restarted. The longer
 * version is `node test/chaos.ts --seconds 300`.
 */
import { describe, expect, it } from "vitest";
import { runChaos } from "../support/chaos-scenario.ts";

describe("under chaos", () => {
  it("stores every acknowledged message exactly once and every client ends with its channel's messages in order", async () => {
    const report = await runChaos({ seconds: 20, channels: 3, clientsPerChannel: 3, log: console.log });
    console.log(`chaos: ${JSON.stringify(report)}`);
    expect(report.problems).toEqual([]);
    expect(report.serverKills).toBe(1);
    expect(report.databaseRestarts).toBe(1);
    expect(report.acknowledged).toBeGreaterThan(100);
    expect(report.stored).toBe(report.acknowledged);
    expect(report.reconnects).toBeGreaterThan(9);
  }, 180_000);
});
