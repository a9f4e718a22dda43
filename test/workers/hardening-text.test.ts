/**
 * Attacks with text: control characters that once failed a request half way (the
 * change made, its audit row and its push not), names that display as something
 * they are not, and cross-site forms posting JSON as text/plain. Each is refused
 * before anything changes.
 */
import { describe, expect, it } from "vitest";
import {
  as,
  clientId,
  connect,
  createChannel,
  createCommunity,
  errorCode,
  expectStatus,
  json,
  register,
  request,
  text,
  unique,
  type Person,
} from "./fixtures.ts";

const NUL = "\u0000";
const RIGHT_TO_LEFT_OVERRIDE = "\u202E";
const ZERO_WIDTH_SPACE = "\u200B";

async function membersOf(person: Person, communityId: string): Promise<string[]> {
  const response = await expectStatus(await as(person, "GET", `/api/communities/${communityId}/members`), 200);
  return ((await response.json()) as { members: { userId: string }[] }).members.map((member) => member.userId);
}

async function auditActions(person: Person, communityId: string): Promise<string[]> {
  const response = await expectStatus(await as(person, "GET", `/api/communities/${communityId}/audit`), 200);
  return ((await response.json()) as { events: { action: string }[] }).events.map((event) => event.action);
}

describe("a control character in a moderation reason", () => {
  it("refuses a kick whose reason holds a NUL, and the member stays, unaudited, with a working socket", async () => {
    const alice = await register(unique("alice"));
    const bob = await register(unique("bob"));
    const channel = await createChannel(alice, bob);
    const communityId = channel.communityId!;
    const socket = await connect(bob, channel.id);

    const kick = await as(alice, "POST", `/api/communities/${communityId}/members/${bob.user.id}/kick`, {
      reason: `spam${NUL}`,
    });
    expect(kick.status).toBe(400);
    expect(await errorCode(kick)).toBe("invalid_text");

    expect(await membersOf(alice, communityId)).toContain(bob.user.id);
    expect(await auditActions(alice, communityId)).not.toContain("member.kicked");
    const id = clientId();
    socket.send({ type: "send", clientId: id, payload: text("still here") });
    expect((await socket.next("ack")).clientId).toBe(id);
    socket.close();
  });

  it("refuses a time-out whose reason holds a NUL or a line break, and no time-out applies", async () => {
    const alice = await register(unique("alice"));
    const bob = await register(unique("bob"));
    const channel = await createChannel(alice, bob);
    for (const reason of [`flood${NUL}`, "flood\nagain", "bell\u0007"]) {
      const timeout = await as(
        alice,
        "POST",
        `/api/communities/${channel.communityId}/members/${bob.user.id}/timeout`,
        {
          minutes: 10,
          reason,
        },
      );
      expect(timeout.status, JSON.stringify(reason)).toBe(400);
    }
    const socket = await connect(bob, channel.id);
    const id = clientId();
    socket.send({ type: "send", clientId: id, payload: text("not timed out") });
    expect((await socket.next("ack")).clientId).toBe(id);
    socket.close();
  });

  it("still kicks, audits and disconnects with a reason of ordinary text", async () => {
    const alice = await register(unique("alice"));
    const bob = await register(unique("bob"));
    const channel = await createChannel(alice, bob);
    const socket = await connect(bob, channel.id);
    await expectStatus(
      await as(alice, "POST", `/api/communities/${channel.communityId}/members/${bob.user.id}/kick`, {
        reason: "spam, again 🙄",
      }),
      204,
    );
    expect(await socket.closed()).toBe(4003);
    expect(await auditActions(alice, channel.communityId!)).toContain("member.kicked");
  });
});

describe("every free-text field refuses what PostgreSQL or a reader would choke on", () => {
  it("refuses a NUL in a display name, bio, community, role and category name, topic and device name", async () => {
    const alice = await register(unique("alice"));
    const community = await createCommunity(alice);
    const channel = await createChannel(alice);
    const attempts: [string, Promise<Response>][] = [
      ["display name", as(alice, "PATCH", "/api/account/profile", { displayName: `Al${NUL}ice` })],
      ["bio", as(alice, "PATCH", "/api/account/profile", { bio: `hi${NUL}` })],
      ["community name", as(alice, "POST", "/api/communities", { name: `Club${NUL}` })],
      ["community rename", as(alice, "PATCH", `/api/communities/${community.id}`, { name: `Club${NUL}` })],
      [
        "role name",
        as(alice, "POST", `/api/communities/${community.id}/roles`, {
          name: `mods${NUL}`,
          permissions: [],
          position: 1,
        }),
      ],
      ["category name", as(alice, "POST", `/api/communities/${community.id}/categories`, { name: `Text${NUL}` })],
      ["channel topic", as(alice, "PATCH", `/api/channels/${channel.id}`, { topic: `news${NUL}` })],
      [
        "device name",
        request(
          "/api/auth/register",
          json("POST", {
            username: unique("dan"),
            password: "correct horse battery staple",
            deviceName: `phone${NUL}`,
          }),
        ),
      ],
    ];
    for (const [field, attempt] of attempts) {
      const response = await attempt;
      expect(response.status, `${field}: ${await response.clone().text()}`).toBe(400);
    }
    const me = await expectStatus(await as(alice, "GET", "/api/account"), 200);
    const { user } = (await me.json()) as { user: { displayName: string | null; bio: string | null } };
    expect(user).toMatchObject({ displayName: null, bio: null });
  });

  it("refuses an unpaired surrogate anywhere in a body, even in a field nobody reads", async () => {
    const alice = await register(unique("alice"));
    const response = await request("/api/communities", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${alice.token}` },
      body: '{"name":"Club \\ud800"}',
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_text");
  });

  it("keeps line breaks in a bio and stores text as NFC", async () => {
    const alice = await register(unique("alice"));
    const decomposed = "Cafe\u0301 owner\nand baker";
    const response = await expectStatus(
      await as(alice, "PATCH", "/api/account/profile", { bio: decomposed, displayName: "Zoe\u0308" }),
      200,
    );
    const { user } = (await response.json()) as { user: { bio: string; displayName: string } };
    expect(user.bio).toBe("Café owner\nand baker");
    expect(user.displayName).toBe("Zoë");
  });
});

describe("names that lie", () => {
  it("refuses right-to-left overrides, isolates and zero-width characters in names others see", async () => {
    const alice = await register(unique("alice"));
    const community = await createCommunity(alice);
    const attempts: [string, Promise<Response>][] = [
      ["display name", as(alice, "PATCH", "/api/account/profile", { displayName: `${RIGHT_TO_LEFT_OVERRIDE}nimda` })],
      ["display name (isolate)", as(alice, "PATCH", "/api/account/profile", { displayName: "\u2067bob\u2069" })],
      ["display name (Braille blank)", as(alice, "PATCH", "/api/account/profile", { displayName: "bob\u2800" })],
      ["community name", as(alice, "POST", "/api/communities", { name: `Offi${ZERO_WIDTH_SPACE}cial` })],
      [
        "role name",
        as(alice, "POST", `/api/communities/${community.id}/roles`, {
          name: `Ad${ZERO_WIDTH_SPACE}min`,
          permissions: [],
          position: 1,
        }),
      ],
      [
        "category name",
        as(alice, "POST", `/api/communities/${community.id}/categories`, { name: `${RIGHT_TO_LEFT_OVERRIDE}txet` }),
      ],
    ];
    for (const [field, attempt] of attempts) {
      const response = await attempt;
      expect(response.status, `${field}: ${await response.clone().text()}`).toBe(400);
    }
    const listed = await expectStatus(await as(alice, "GET", "/api/communities"), 200);
    expect(await listed.text()).not.toContain("Offi");
  });

  it("refuses a display name that reads as another account's username or as admin, look-alike letters and all", async () => {
    const alice = await register(unique("alice"));
    const mallory = await register(unique("mallory"));
    const cyrillicA = "\u0430";
    for (const name of [
      alice.user.username,
      alice.user.username.toUpperCase(),
      alice.user.username.replace("a", cyrillicA),
      `${cyrillicA}dmin`,
      "Ａｄｍｉｎ",
      "moderator",
      alice.user.username.replace("l", "I"), // a capital i reads as an l
      "adrnin", // r and n read as m
    ]) {
      const response = await as(mallory, "PATCH", "/api/account/profile", { displayName: name });
      expect(response.status, name).toBe(400);
      expect(await errorCode(response)).toBe("name_impersonates");
    }
    await expectStatus(
      await as(mallory, "PATCH", "/api/account/profile", { displayName: mallory.user.username.toUpperCase() }),
      200,
    );
    await expectStatus(await as(mallory, "PATCH", "/api/account/profile", { displayName: "Мэллори" }), 200);
    // Joiners that emoji and Persian names need stay allowed.
    await expectStatus(await as(mallory, "PATCH", "/api/account/profile", { displayName: "Mal 👩‍💻 🏳️‍🌈" }), 200);
    await expectStatus(await as(mallory, "PATCH", "/api/account/profile", { displayName: "می‌خواهم" }), 200);
  });
});

describe("cross-site forms", () => {
  const form = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(path, {
      method: "POST",
      headers: { "Content-Type": "text/plain", ...headers },
      body: JSON.stringify(body),
    });

  it("refuses a sign-in posted as text/plain, so a foreign page cannot sign a browser into its account", async () => {
    const mallory = await register(unique("mallory"));
    const response = await form("/api/auth/login", {
      username: mallory.user.username,
      password: "correct horse battery staple",
    });
    expect(response.status).toBe(415);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("refuses a registration posted as text/plain, and no account is created", async () => {
    const username = unique("ghost");
    const response = await form("/api/auth/register", { username, password: "correct horse battery staple" });
    expect(response.status).toBe(415);
    const signIn = await request(
      "/api/auth/login",
      json("POST", { username, password: "correct horse battery staple" }),
    );
    expect(signIn.status).toBe(401);
  });

  it("refuses a sign-in whose Origin is a foreign site, even as JSON", async () => {
    const mallory = await register(unique("mallory"));
    const response = await request("/api/auth/login", {
      ...json("POST", { username: mallory.user.username, password: "correct horse battery staple" }),
      headers: { "Content-Type": "application/json", Origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});
