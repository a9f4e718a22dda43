import { describe, expect, it } from "vitest";
import { request } from "./fixtures.ts";

/** Registration is limited to 10 an hour per address; invalid bodies count too, which keeps this fast. */
const attempt = (address: string) =>
  request("/api/auth/register", {
    method: "POST",
    headers: { "CF-Connecting-IP": address, "Content-Type": "application/json" },
    body: "{}",
  });

describe("rate limits on IPv6", () => {
  it("count a whole /64 as one client, so rotating host addresses does not escape them", async () => {
    const network = `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;
    const statuses = [];
    for (let host = 1; host <= 11; host++) statuses.push((await attempt(`${network}::${host.toString(16)}`)).status);
    expect(statuses.slice(0, 10).every((status) => status === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another /64 is another client.
    expect((await attempt(`2001:db8:${crypto.randomUUID().slice(0, 4)}:1::1`)).status).toBe(400);
  });
});
