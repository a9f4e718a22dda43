/**
 * Pictures through the API (docs/files.md, "Pictures"): alice sets, replaces and
 * removes her avatar; bob, in her community, sees its address and loads it without
 * signing in; olivia, an owner, sets her community's icon and banner while bob (a
 * member) and mallory (an outsider) cannot. Bytes that are not a PNG, JPEG, WebP or
 * GIF of the declared type, SVG above all, are refused and change nothing; a replaced
 * or removed picture is gone, row and object.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  PICTURE_MAX_BYTES,
  type ChannelView,
  type CommunityView,
  type MemberView,
  type UserView,
} from "../../protocol/index.ts";
import { as, createCommunity, errorCode, expectStatus, register, request, unique, type Person } from "./fixtures.ts";

const base64 = (text: string) => Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
/** A 1×1 PNG and a 1×1 GIF, whole and valid. */
const PNG = base64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
const GIF = base64("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
/** The start of a JPEG and of a WebP: the server tells pictures by their first bytes. */
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode("JFIF\0"), 1, 1);
const WEBP = new TextEncoder().encode(
  "RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0\x2f\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0",
);
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

function upload(person: Person, path: string, bytes: Uint8Array, type: string): Promise<Response> {
  return request(path, {
    method: "PUT",
    headers: { Authorization: `Bearer ${person.token}`, "Content-Type": type },
    body: bytes,
  });
}

const idOf = (url: string) => url.split("/").pop()!;
/** Whether the file store still holds the picture's object. */
const isStored = async (url: string) => (await env.UPLOADS_BUCKET.head(`pictures/${idOf(url)}`)) !== null;

async function myAvatar(person: Person): Promise<string | null> {
  const response = await expectStatus(await as(person, "GET", "/api/me"), 200);
  return ((await response.json()) as { user: UserView }).user.avatarUrl;
}

async function setAvatar(person: Person, bytes: Uint8Array, type: string): Promise<string> {
  const response = await expectStatus(await upload(person, "/api/me/avatar", bytes, type), 200);
  const { user } = (await response.json()) as { user: UserView };
  expect(user.avatarUrl).toMatch(/^\/api\/pictures\/[0-9a-f-]{36}$/);
  return user.avatarUrl!;
}

describe("an avatar", () => {
  let alice: Person, bob: Person;
  let community: CommunityView;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([register(unique("alice")), register(unique("bob"))]);
    community = await createCommunity(alice, bob);
  });

  it("is set by its owner, shown to the people who see her, and loaded without signing in", async () => {
    expect(await myAvatar(alice)).toBeNull();
    const url = await setAvatar(alice, PNG, "image/png");
    expect(await myAvatar(alice)).toBe(url);

    const members = (await (await as(bob, "GET", `/api/communities/${community.id}/members`)).json()) as {
      members: MemberView[];
    };
    expect(members.members.find((member) => member.userId === alice.user.id)?.avatarUrl).toBe(url);
    expect(members.members.find((member) => member.userId === bob.user.id)?.avatarUrl).toBeNull();
    const dm = (await (await as(bob, "POST", "/api/dms", { userIds: [alice.user.id] })).json()) as {
      channel: ChannelView;
    };
    expect(dm.channel.participants?.find((person) => person.userId === alice.user.id)?.avatarUrl).toBe(url);

    const served = await expectStatus(await request(url), 200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(served.headers)).toMatchObject({
      "content-type": "image/png",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${idOf(url)}"`,
    });
    const again = await request(url, { headers: { "If-None-Match": `"${idOf(url)}"` } });
    expect(again.status).toBe(304);
  });

  it("is replaced whole: the old picture's address and object are gone", async () => {
    const first = await setAvatar(alice, PNG, "image/png");
    const second = await setAvatar(alice, GIF, "image/gif");
    expect(second).not.toBe(first);
    expect((await request(first)).status).toBe(404);
    expect(await isStored(first)).toBe(false);
    const served = await expectStatus(await request(second), 200);
    expect(served.headers.get("Content-Type")).toBe("image/gif");
    expect(await isStored(second)).toBe(true);
  });

  it("is removed with its object", async () => {
    const url = await setAvatar(alice, JPEG, "image/jpeg");
    const removed = await expectStatus(await as(alice, "DELETE", "/api/me/avatar"), 200);
    expect(((await removed.json()) as { user: UserView }).user.avatarUrl).toBeNull();
    expect(await myAvatar(alice)).toBeNull();
    expect((await request(url)).status).toBe(404);
    expect(await isStored(url)).toBe(false);
  });

  it("refuses SVG, bytes of another type, text, nothing and too much, and keeps the picture it had", async () => {
    const carol = await register(unique("carol"));
    const kept = await setAvatar(carol, WEBP, "image/webp");
    const tooLarge = new Uint8Array(PICTURE_MAX_BYTES + 1);
    tooLarge.set(PNG);
    const refused: [Uint8Array, string][] = [
      [SVG, "image/svg+xml"],
      [SVG, "image/png"],
      [PNG, "image/jpeg"],
      [GIF, "image/webp"],
      [new TextEncoder().encode("just words"), "image/png"],
      [new Uint8Array(0), "image/png"],
      [PNG, "application/octet-stream"],
      [tooLarge, "image/png"],
    ];
    for (const [bytes, type] of refused) {
      const response = await upload(carol, "/api/me/avatar", bytes, type);
      expect(response.status, `${type}, ${bytes.length} bytes`).toBe(400);
      expect(await errorCode(response)).toBe("invalid_picture");
    }
    expect(await myAvatar(carol)).toBe(kept);
    expect(await isStored(kept)).toBe(true);
  });

  it("needs a signed-in person to change it", async () => {
    const response = await request("/api/me/avatar", {
      method: "PUT",
      headers: { "Content-Type": "image/png" },
      body: PNG,
    });
    expect(response.status).toBe(401);
  });

  it("is changed at most ten times a minute by one person", async () => {
    const dan = await register(unique("dan"));
    for (let change = 0; change < 9; change++) await setAvatar(dan, PNG, "image/png");
    await expectStatus(await as(dan, "DELETE", "/api/me/avatar"), 200);
    const eleventh = await upload(dan, "/api/me/avatar", PNG, "image/png");
    expect(eleventh.status).toBe(429);
    expect(await errorCode(eleventh)).toBe("rate_limited");
    expect((await as(dan, "DELETE", "/api/me/avatar")).status).toBe(429);
  });
});

describe("a community's icon and banner", () => {
  let olivia: Person, bob: Person, mallory: Person;
  let community: CommunityView;
  const path = (what: string) => `/api/communities/${community.id}/${what}`;

  beforeAll(async () => {
    [olivia, bob, mallory] = (await Promise.all(
      ["olivia", "bob", "mallory"].map((name) => register(unique(name))),
    )) as [Person, Person, Person];
    community = await createCommunity(olivia, bob);
  });

  async function setPicture(what: "icon" | "banner", bytes: Uint8Array, type: string): Promise<CommunityView> {
    const response = await expectStatus(await upload(olivia, path(what), bytes, type), 200);
    return ((await response.json()) as { community: CommunityView }).community;
  }

  it("are set by the owner and shown to members in the community and their list of communities", async () => {
    const withIcon = await setPicture("icon", PNG, "image/png");
    const withBanner = await setPicture("banner", JPEG, "image/jpeg");
    expect(withIcon.iconUrl).toMatch(/^\/api\/pictures\//);
    expect(withBanner).toMatchObject({
      iconUrl: withIcon.iconUrl,
      bannerUrl: expect.stringMatching(/^\/api\/pictures\//),
    });

    const mine = (await (await as(bob, "GET", "/api/communities")).json()) as { communities: CommunityView[] };
    expect(mine.communities.find((listed) => listed.id === community.id)).toMatchObject({
      iconUrl: withIcon.iconUrl,
      bannerUrl: withBanner.bannerUrl,
    });
    expect((await request(withBanner.bannerUrl!)).headers.get("Content-Type")).toBe("image/jpeg");
  });

  it("cannot be changed by a member without MANAGE_COMMUNITY (403) nor by an outsider (404)", async () => {
    const before = (await (await as(olivia, "GET", path("").slice(0, -1))).json()) as { community: CommunityView };
    for (const what of ["icon", "banner"]) {
      const byMember = await upload(bob, path(what), PNG, "image/png");
      expect(byMember.status).toBe(403);
      expect(await errorCode(byMember)).toBe("missing_permission");
      expect((await as(bob, "DELETE", path(what))).status).toBe(403);
      const byOutsider = await upload(mallory, path(what), PNG, "image/png");
      expect(byOutsider.status).toBe(404);
      expect(await errorCode(byOutsider)).toBe("not_found");
      expect((await as(mallory, "DELETE", path(what))).status).toBe(404);
    }
    const after = (await (await as(olivia, "GET", path("").slice(0, -1))).json()) as { community: CommunityView };
    expect(after.community).toEqual(before.community);
  });

  it("replaces the old inline icon, and a replaced or removed picture is gone", async () => {
    // A community from before pictures: its icon inline, nothing uploaded.
    await expectStatus(await as(olivia, "DELETE", path("icon")), 200);
    const inline = `data:image/png;base64,${btoa(String.fromCharCode(...PNG))}`;
    const patched = await expectStatus(await as(olivia, "PATCH", path("").slice(0, -1), { icon: inline }), 200);
    const old = ((await patched.json()) as { community: CommunityView }).community;
    expect(old.iconUrl).toBe(inline);

    const uploaded = await setPicture("icon", GIF, "image/gif");
    expect(uploaded.icon).toBeNull();
    expect(uploaded.iconUrl).toMatch(/^\/api\/pictures\//);
    const replaced = await setPicture("icon", PNG, "image/png");
    expect((await request(uploaded.iconUrl!)).status).toBe(404);
    expect(await isStored(uploaded.iconUrl!)).toBe(false);

    const removed = await expectStatus(await as(olivia, "DELETE", path("icon")), 200);
    expect(((await removed.json()) as { community: CommunityView }).community).toMatchObject({
      icon: null,
      iconUrl: null,
    });
    expect(await isStored(replaced.iconUrl!)).toBe(false);
    const banner = (await setPicture("banner", PNG, "image/png")).bannerUrl!;
    await expectStatus(await as(olivia, "DELETE", path("banner")), 200);
    expect((await request(banner)).status).toBe(404);
  });

  it("refuses an SVG icon", async () => {
    const response = await upload(olivia, path("icon"), SVG, "image/svg+xml");
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_picture");
  });
});

describe("a picture's address", () => {
  it("finds nothing for an unknown or malformed id", async () => {
    expect((await request(`/api/pictures/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await request("/api/pictures/not-an-id")).status).toBe(404);
    expect(await errorCode(await request(`/api/pictures/${crypto.randomUUID().toUpperCase()}x`))).toBe("not_found");
  });
});
