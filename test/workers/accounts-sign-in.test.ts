import { beforeAll, describe, expect, it } from "vitest";
import { errorOf } from "./accounts-fixtures.ts";
import { json, register, request, unique, type Person } from "./fixtures.ts";

let alice: Person;

beforeAll(async () => {
  alice = await register(unique("alice"));
});

async function timedLogin(username: string, password: string): Promise<{ ms: number; status: number; error: unknown }> {
  const started = performance.now();
  const response = await request("/api/auth/login", json("POST", { username, password }));
  const error = await errorOf(response);
  // workerd advances its clock only across I/O; reading the body above was I/O.
  return { ms: performance.now() - started, status: response.status, error };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("a failed sign-in", () => {
  it("looks the same for an unknown user and a wrong password: same status, same body, similar time", async () => {
    const wrongPassword: number[] = [];
    const unknownUser: number[] = [];
    // Interleaved, so machine load affects both alike; three failures each stays under the lockout.
    for (let round = 0; round < 3; round++) {
      const wrong = await timedLogin(alice.user.username, "not the right password");
      const unknown = await timedLogin(unique("nobody"), "not the right password");
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.error).toEqual(unknown.error);
      wrongPassword.push(wrong.ms);
      unknownUser.push(unknown.ms);
    }
    // Both pay for a full password hash; neither is a fast "no such user".
    const ratio = median(unknownUser) / median(wrongPassword);
    expect(
      ratio,
      `unknown user ${median(unknownUser)} ms vs wrong password ${median(wrongPassword)} ms`,
    ).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 30_000);
});
