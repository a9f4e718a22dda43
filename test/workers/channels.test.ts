import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { ChannelView, MessageView } from "../../protocol/index.ts";
import { clientId, connect, createChannel, json, register, request, text, unique, type Person } from "./fixtures.ts";

let alice: Person;

beforeAll(async () => {
  alice = await register(unique("alice"));
});

const authed = (person: Person) => ({ headers: { Authorization: `Bearer ${person.token}` } });

describe("channels", () => {
  it("are created by a signed-in user and listed for everyone signed in", async () => {
    const name = unique("release-notes").replace(/_/g, "-").toLowerCase();
    const channel = await createChannel(alice, name);
    expect(channel).toMatchObject({ id: expect.any(String), name });
    const response = await request("/api/channels", authed(alice));
    const { channels } = (await response.json()) as { channels: ChannelView[] };
    expect(channels).toContainEqual(channel);
  });

  it("refuse a second channel with the same name in any case", async () => {
    const name = unique("random").replace(/_/g, "-").toLowerCase();
    await createChannel(alice, name);
    const response = await request("/api/channels", json("POST", { name }, alice.token));
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("channel_exists");
  });

  it("refuse names that are not lower-case words joined by dashes", async () => {
    for (const name of ["", "Has Spaces", "UPPER", "-leading", "x".repeat(65)]) {
      const response = await request("/api/channels", json("POST", { name }, alice.token));
      expect(response.status, name).toBe(400);
    }
  });

  it("are invisible to anyone who is not signed in", async () => {
    expect((await request("/api/channels")).status).toBe(401);
    expect((await request("/api/channels", json("POST", { name: "sneaky" }))).status).toBe(401);
  });
});

describe("history", () => {
  it("pages backwards from the newest message, oldest first within a page", async () => {
    const channel = await createChannel(alice);
    const socket = await connect(alice, channel.id);
    for (let index = 1; index <= 5; index++) {
      socket.send({ type: "send", clientId: clientId(), payload: text(`m${index}`) });
      await socket.next("ack");
    }
    socket.close();
    const page = async (query: string) => {
      const response = await request(`/api/channels/${channel.id}/messages${query}`, authed(alice));
      expect(response.status).toBe(200);
      return ((await response.json()) as { messages: MessageView[] }).messages.map((message) => atob(message.payload));
    };
    expect(await page("?limit=2")).toEqual(["m4", "m5"]);
    expect(await page("?limit=2&before=4")).toEqual(["m2", "m3"]);
    expect(await page("?before=2")).toEqual(["m1"]);
    expect(await page("")).toEqual(["m1", "m2", "m3", "m4", "m5"]);
  });

  it("rejects a page size over the limit and answers 404 for a channel that does not exist", async () => {
    const channel = await createChannel(alice);
    expect((await request(`/api/channels/${channel.id}/messages?limit=1000`, authed(alice))).status).toBe(400);
    expect((await request(`/api/channels/${crypto.randomUUID()}/messages`, authed(alice))).status).toBe(404);
    expect((await request(`/api/channels/not-a-uuid/messages`, authed(alice))).status).toBe(404);
  });
});

describe("every response", () => {
  it("carries a strict Content-Security-Policy and the usual protective headers", async () => {
    const response = await request("/health");
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("is a JSON error with a stable code for an unknown API route", async () => {
    const response = await request("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "no such API route" } });
  });

  it("names the variable and the fix when the configuration is invalid, and hides secrets", async () => {
    const response = await request(
      "/health",
      {},
      { ...env, REGISTRATION_MODE: "wide_open", DATABASE_URL: "mysql://u:hunter22@h/d" },
    );
    expect(response.status).toBe(500);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_configuration");
    expect(error.message).toContain("REGISTRATION_MODE must be one of open, invite_only, closed");
    expect(error.message).toContain("DATABASE_URL must look like postgres://");
    expect(error.message).not.toContain("hunter22");
  });
});
