/**
 * Search's metadata route refuses what it cannot read with a 400 and a stable code
 * (a forged cursor never reaches SQL), names only the caller's own input in its
 * errors, and shares the history pages' per-person budget.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { ChannelView } from "../../protocol/index.ts";
import {
  as,
  clientId,
  connect,
  createChannel,
  errorCode,
  expectStatus,
  register,
  request,
  text,
  unique,
  type Person,
} from "./fixtures.ts";

let erin: Person;
let channel: ChannelView;

beforeAll(async () => {
  erin = await register(unique("erin"));
  channel = await createChannel(erin);
  const socket = await connect(erin, channel.id);
  for (const body of ["one", "two", "three"]) {
    const id = clientId();
    socket.send({ type: "send", clientId: id, payload: text(body) });
    await socket.next("ack", (frame) => frame.clientId === id);
  }
  socket.close();
});

const search = (person: Person, query: string, bindings: object = env) =>
  request(`/api/search/messages?${query}`, { headers: { Authorization: `Bearer ${person.token}` } }, bindings);

/** base64url, as cursors are written. */
const base64url = (value: string) => btoa(value).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

describe("bad input to the search route", () => {
  const cases: [string, string | (() => string), string][] = [
    ["a channel id that is not a uuid", "channelId=general", "invalid_request"],
    ["a sender id that is not a uuid", "senderId=1", "invalid_request"],
    ["a date that is not ISO 8601", "before=yesterday", "invalid_request"],
    ["a date without an offset", "after=2026-01-01T00:00:00", "invalid_request"],
    ["limit 0", "limit=0", "invalid_request"],
    ["limit 1000", "limit=1000", "invalid_request"],
    ["a limit that is not a number", "limit=ten", "invalid_request"],
    ["a boolean that is not true or false", "pinned=yes", "invalid_request"],
    ["a negative thread root", "threadRootSeq=-1", "invalid_request"],
    ["an unknown parameter", "text=secret%20words", "invalid_request"],
    ["a parameter given twice", "limit=1&limit=2", "invalid_request"],
    [
      "101 channels",
      () => Array.from({ length: 101 }, () => `channelId=${crypto.randomUUID()}`).join("&"),
      "invalid_request",
    ],
    ["a cursor that is not base64url", "cursor=%27%3B%20drop%20table%20messages%3B--", "invalid_cursor"],
    ["a cursor of random bytes", "cursor=AAAAAAAA", "invalid_cursor"],
    [
      "a cursor with SQL in its seq",
      () => `cursor=${base64url(`1;.${crypto.randomUUID()}.1 or 1=1`)}`,
      "invalid_cursor",
    ],
    [
      "a cursor past year 9999",
      () => `cursor=${base64url(`999999999999999999.${crypto.randomUUID()}.1`)}`,
      "invalid_cursor",
    ],
    ["a cursor with a seq of 0", () => `cursor=${base64url(`0.${crypto.randomUUID()}.0`)}`, "invalid_cursor"],
  ];
  for (const [what, query, code] of cases) {
    it(`answers 400 ${code} to ${what}`, async () => {
      const response = await expectStatus(await search(erin, typeof query === "string" ? query : query()), 400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).not.toMatch(/select|postgres|messages m|stack/i);
    });
  }

  it("takes dates at the ends of what can be stored, and a well-formed cursor from nowhere", async () => {
    const far = await search(erin, "after=0000-01-01T00:00:00Z&before=9999-12-31T23:59:59.999%2B14:00");
    expect(
      ((await expectStatus(far, 200).then((response) => response.json())) as { messages: [] }).messages,
    ).toHaveLength(3);
    const nowhere = await search(erin, `cursor=${base64url(`0.${crypto.randomUUID()}.1`)}`);
    expect(await expectStatus(nowhere, 200).then((response) => response.json())).toEqual({
      messages: [],
      nextCursor: null,
    });
  });
});

describe("the search route's budget", () => {
  it("answers 429 past HISTORY_PAGES_PER_MINUTE, counting history pages too", async () => {
    const frank = await register(unique("frank"));
    const bindings = { ...env, HISTORY_PAGES_PER_MINUTE: "3" };
    await expectStatus(await search(frank, "", bindings), 200);
    await expectStatus(
      await request(
        `/api/channels/${channel.id}/messages`,
        { headers: { Authorization: `Bearer ${frank.token}` } },
        bindings,
      ),
      404, // frank cannot see erin's channel; the page was still asked for
    );
    await expectStatus(await search(frank, "", bindings), 200);
    const refused = await search(frank, "", bindings);
    expect(refused.status).toBe(429);
    expect(await errorCode(refused)).toBe("rate_limited");
    // Someone else's budget is their own.
    await expectStatus(await search(await register(unique("grace")), "", bindings), 200);
  });

  it("is refused without a session", async () => {
    const response = await as({ ...erin, token: "" }, "GET", "/api/search/messages");
    expect(response.status).toBe(401);
  });
});
