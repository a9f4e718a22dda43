import { describe, expect, it } from "vitest";
import { register, request, unique } from "./fixtures.ts";

const as = (token: string, method: string, path: string) =>
  request(path, { method, headers: { Authorization: `Bearer ${token}` } });

describe("blocking", () => {
  it("lets alice block and unblock bob, and lists whom she blocked", async () => {
    const [alice, bob] = await Promise.all([register(unique("alice")), register(unique("bob"))]);
    expect((await as(alice!.token, "PUT", `/api/blocks/${bob!.user.id}`)).status).toBe(204);
    expect((await as(alice!.token, "PUT", `/api/blocks/${bob!.user.id}`)).status).toBe(204); // twice is still one block
    const listed = (await (await as(alice!.token, "GET", "/api/blocks")).json()) as {
      blocked: { userId: string; username: string }[];
    };
    expect(listed.blocked).toEqual([expect.objectContaining({ userId: bob!.user.id, username: bob!.user.username })]);
    // bob's own list is his own.
    expect(((await (await as(bob!.token, "GET", "/api/blocks")).json()) as { blocked: unknown[] }).blocked).toEqual([]);
    expect((await as(alice!.token, "DELETE", `/api/blocks/${bob!.user.id}`)).status).toBe(204);
    expect((await as(alice!.token, "DELETE", `/api/blocks/${bob!.user.id}`)).status).toBe(404);
  });

  it("refuses blocking oneself or someone who does not exist", async () => {
    const carol = await register(unique("carol"));
    expect((await as(carol.token, "PUT", `/api/blocks/${carol.user.id}`)).status).toBe(400);
    expect((await as(carol.token, "PUT", `/api/blocks/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await as(carol.token, "PUT", "/api/blocks/not-a-uuid")).status).toBe(400);
  });
});
