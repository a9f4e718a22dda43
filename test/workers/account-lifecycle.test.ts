import { describe, expect, it } from "vitest";
import type { MessageView } from "../../protocol/index.ts";
import {
  clientId,
  connect,
  createChannel,
  json,
  PASSWORD,
  refreshCookieOf,
  register,
  request,
  text,
  unique,
} from "./fixtures.ts";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const csrf = (cookie: string) => ({ Cookie: cookie, "X-Chatalot-CSRF": "1" });

describe("deleting an account", () => {
  it("keeps its messages, shown as from a deleted user, ends its sessions and frees the name", async () => {
    const name = unique("dora");
    const dora = await register(name);
    const witness = await register(unique("walt"));
    const channel = await createChannel(witness, dora);
    const socket = await connect(dora, channel.id);
    socket.send({ type: "send", clientId: clientId(), payload: text("before I go") });
    await socket.next("ack");

    const wrong = await request("/api/account", { ...json("DELETE", { password: "not my password!" }, dora.token) });
    expect(wrong.status).toBe(403);
    const deleted = await request("/api/account", { ...json("DELETE", { password: PASSWORD }, dora.token) });
    expect(deleted.status).toBe(204);

    expect((await request("/api/me", { headers: bearer(dora.token) })).status).toBe(401);
    const history = await request(`/api/channels/${channel.id}/messages`, { headers: bearer(witness.token) });
    const [message] = ((await history.json()) as { messages: MessageView[] }).messages;
    expect(message).toMatchObject({ senderId: dora.user.id, senderName: "deleted user", payload: text("before I go") });
    const again = await register(name);
    expect(again.user.id).not.toBe(dora.user.id);
  });
});

describe("two tabs refreshing the same session at once", () => {
  it("get one new token and one 409 to retry, and the session survives", async () => {
    const tess = await register(unique("tess"));
    const [first, second] = await Promise.all([
      request("/api/auth/refresh", { method: "POST", headers: csrf(tess.cookie) }),
      request("/api/auth/refresh", { method: "POST", headers: csrf(tess.cookie) }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = first.status === 200 ? first : second;
    const loser = first.status === 200 ? second : first;
    expect(((await loser.json()) as { error: { code: string } }).error.code).toBe("refresh_conflict");
    expect(loser.headers.get("Retry-After")).toBe("1");
    // The retry with the cookie the winner set works, and the session is still live.
    const retried = await request("/api/auth/refresh", { method: "POST", headers: csrf(refreshCookieOf(winner)) });
    expect(retried.status).toBe(200);
  });

  it("still treats the old token as stolen once its successor has been used", async () => {
    const tom = await register(unique("tom"));
    const second = await request("/api/auth/refresh", { method: "POST", headers: csrf(tom.cookie) });
    const third = await request("/api/auth/refresh", { method: "POST", headers: csrf(refreshCookieOf(second)) });
    expect(third.status).toBe(200);
    const stolen = await request("/api/auth/refresh", { method: "POST", headers: csrf(tom.cookie) });
    expect(stolen.status).toBe(401);
    const afterTheft = await request("/api/auth/refresh", { method: "POST", headers: csrf(refreshCookieOf(third)) });
    expect(afterTheft.status).toBe(401);
  });
});
