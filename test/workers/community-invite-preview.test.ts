/**
 * GET /api/community-invites/:code: the /join page names the community before the
 * invite is accepted. Only for someone signed in, only while the invite can be used.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CommunityInvitePreview, CommunityView } from "../../protocol/index.ts";
import { json, register, request, unique, type Person } from "./fixtures.ts";

let alice: Person, bob: Person;
let community: CommunityView;

const as = (person: Person | null, method: string, path: string, body?: unknown) =>
  request(
    path,
    body === undefined
      ? { method, headers: person ? { Authorization: `Bearer ${person.token}` } : {} }
      : json(method, body, person?.token),
  );

async function inviteCode(input: object = {}): Promise<string> {
  const response = await as(alice, "POST", `/api/communities/${community.id}/invites`, input);
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { code: string }).code;
}

beforeAll(async () => {
  [alice, bob] = (await Promise.all(["alice", "bob"].map((name) => register(unique(name))))) as [Person, Person];
  const created = await as(alice, "POST", "/api/communities", { name: "Zebra Club" });
  community = ((await created.json()) as { community: CommunityView }).community;
});

describe("an invite's preview", () => {
  it("names the community, its icon and how many are in it, and joins no one", async () => {
    const code = await inviteCode();
    const response = await as(bob, "GET", `/api/community-invites/${code}`);
    expect(response.status, await response.clone().text()).toBe(200);
    const preview = (await response.json()) as CommunityInvitePreview;
    expect(preview).toEqual({ community: { id: community.id, name: "Zebra Club", iconUrl: null }, memberCount: 1 });
    const members = await as(bob, "GET", `/api/communities/${community.id}`);
    expect(members.status).toBe(404);
  });

  it("is refused to someone not signed in", async () => {
    const code = await inviteCode();
    expect((await as(null, "GET", `/api/community-invites/${code}`)).status).toBe(401);
  });

  it("says an unknown or used-up invite is not valid, in the accept route's words", async () => {
    const unknown = await as(bob, "GET", "/api/community-invites/nope-nope-nope");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("invalid_invite");

    const once = await inviteCode({ maxUses: 1 });
    expect((await as(bob, "POST", "/api/community-invites/accept", { code: once })).status).toBe(200);
    expect((await as(bob, "GET", `/api/community-invites/${once}`)).status).toBe(404);
  });
});
