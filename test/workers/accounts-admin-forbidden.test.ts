import { beforeAll, describe, expect, it } from "vitest";
import { errorOf, statusWith } from "./accounts-fixtures.ts";
import { json, register, request, unique, type Person } from "./fixtures.ts";

// "admin" is ADMIN_USERNAME in this project and another test file registers it,
// so here only the refusals are tested; the admin's own actions run in test/node/accounts-admin.test.ts.
let mallory: Person;
let bob: Person;

beforeAll(async () => {
  [mallory, bob] = await Promise.all([register(unique("mallory")), register(unique("bob"))]);
});

const adminRoutes = (): [string, string, unknown][] => [
  ["GET", "/api/admin/registration-mode", undefined],
  ["PUT", "/api/admin/registration-mode", { mode: "open" }],
  ["GET", "/api/admin/invites", undefined],
  ["POST", "/api/admin/invites", { maxUses: 100 }],
  ["DELETE", `/api/admin/invites/${crypto.randomUUID()}`, undefined],
  ["POST", `/api/admin/users/${bob.user.id}/suspend`, { reason: "because I can" }],
  ["POST", `/api/admin/users/${bob.user.id}/unsuspend`, undefined],
  ["POST", `/api/admin/users/${bob.user.id}/reset-two-factor`, undefined],
  ["POST", `/api/admin/users/${bob.user.id}/revoke-sessions`, undefined],
  ["GET", "/api/admin/overview", undefined],
  ["GET", `/api/admin/users/${bob.user.id}`, undefined],
  ["GET", "/api/admin/communities", undefined],
  ["POST", `/api/admin/communities/${crypto.randomUUID()}/transfer`, { userId: bob.user.id }],
  ["DELETE", `/api/admin/communities/${crypto.randomUUID()}`, undefined],
  ["GET", "/api/admin/audit.csv", undefined],
  ["POST", "/api/admin/console", undefined],
];

describe("the admin API", () => {
  it("answers 403 forbidden to a signed-in person who is not an admin, and does nothing", async () => {
    expect(mallory.user.isAdmin).toBe(false);
    for (const [method, path, body] of adminRoutes()) {
      const init =
        body === undefined
          ? { method, headers: { Authorization: `Bearer ${mallory.token}` } }
          : json(method, body, mallory.token);
      const response = await request(path, init);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await errorOf(response)).toEqual({ code: "forbidden", message: expect.stringContaining("admin") });
    }
    // bob was neither suspended nor signed out.
    expect(await statusWith(bob.token)).toBe(200);
  });

  it("serves the admin page's code to nobody without the admin console cookie", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { Cookie: "chatalot_admin_console=forged" },
      { Authorization: `Bearer ${mallory.token}` },
    ];
    for (const headers of attempts) {
      const response = await request("/admin-assets/admin.js", { headers });
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain("function");
    }
  });

  it("answers 401 to anyone not signed in", async () => {
    for (const [method, path, body] of adminRoutes()) {
      const init = body === undefined ? { method } : json(method, body);
      const response = await request(path, init);
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });
});
