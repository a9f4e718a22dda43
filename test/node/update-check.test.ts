/**
 * The admin page says which version runs, with the commit it was built from, and,
 * only when the operator sets UPDATE_CHECK_URL, whether a newer release is out. A
 * local HTTP server plays the release feed (the outer edge); the server asks it at
 * most once a day however often the overview is read, keeps serving the overview when
 * the feed answers nonsense, and asks nobody when the setting is unset.
 */
import { execFileSync } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { call, registerOn, signInOn, type Account } from "../support/accounts.ts";
import { browserJourney } from "../support/browser-journey.ts";
import { root, startServer, type RunningServer } from "../support/server.ts";

const ADMIN_PASSWORD = "a long passphrase for tests";
const NEWER = "99.0.0";

/** The release feed: `/latest.json` names a newer release, `/nonsense` is not a feed. */
const feedRequests: IncomingMessage[] = [];
const feed = createServer((request, response) => {
  feedRequests.push(request);
  if (request.url === "/latest.json") {
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ version: NEWER }));
  } else {
    response.writeHead(200, { "Content-Type": "text/html" });
    response.end("<html>not a release feed</html>");
  }
});
await new Promise<void>((resolve) => feed.listen(0, "127.0.0.1", resolve));
const feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => feed.close(() => resolve())));

const journey = browserJourney("update_check", { UPDATE_CHECK_URL: `${feedUrl}/latest.json` });
const overviewOf = async (server: RunningServer, admin: Account) => {
  const response = await call(server, "/api/admin/overview", { token: admin.token });
  expect(response.status).toBe(200);
  return response.body;
};

describe("the version on the admin page", () => {
  let admin: Account;

  it("shows the running version, the commit it was built from, and that a newer release is out", async () => {
    admin = await registerOn(journey.server, "admin", ADMIN_PASSWORD);
    const page = await journey.openPage();
    await page.goto(`${journey.server.url}/sign-in`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "Communities" }).waitFor();
    await page.goto(`${journey.server.url}/admin`);

    const version = page.getByRole("region", { name: "Version" });
    await version.getByText(`${NEWER} is available`).waitFor();
    const text = await version.innerText();
    expect(text).toContain(`Running\n${packageJson.version}`);
    const commit = /Commit\n([0-9a-f]{12})\n/.exec(text)?.[1];
    // The build baked in a commit of this repository (others may have committed since).
    expect(commit).toBeDefined();
    execFileSync("git", ["cat-file", "-e", `${commit}^{commit}`], { cwd: root });
    await page
      .getByRole("region", { name: /your attention/ })
      .getByText(`Chatalot ${NEWER} is out (this server runs ${packageJson.version})`)
      .waitFor();
    expect(feedRequests.map((request) => [request.method, request.url])).toEqual([["GET", "/latest.json"]]);
    expect(journey.problems).toEqual([]);
  });

  it("asks the feed once a day, not on every overview, and tells it nothing about the instance", async () => {
    const answers = [];
    for (let index = 0; index < 3; index++) answers.push((await overviewOf(journey.server, admin)).release);
    expect(feedRequests).toHaveLength(1);
    expect(new Set(answers.map((release) => release.update.checkedAt)).size).toBe(1);
    expect(answers[0].update).toMatchObject({ status: "newer", latestVersion: NEWER });
    const headers = feedRequests[0]!.headers;
    expect(headers["user-agent"]).toBe("chatalot-update-check");
    expect(headers.cookie).toBeUndefined();
    expect(headers.referer).toBeUndefined();
  });

  it("keeps no version check for anyone but an admin", async () => {
    const bob = await registerOn(journey.server, "bob", "correct horse battery");
    expect((await call(journey.server, "/api/admin/overview", { token: bob.token })).status).toBe(403);
    expect((await call(journey.server, "/health")).body).not.toHaveProperty("commit");
  });
});

describe("a feed that is not one, and no feed at all", () => {
  let server: RunningServer | undefined;
  afterAll(() => server?.stop());

  it("says it could not check when the feed answers something else, and serves the overview anyway", async () => {
    server = await startServer({ databaseUrl: journey.database.url, env: { UPDATE_CHECK_URL: `${feedUrl}/nonsense` } });
    const admin = await signInOn(server, "admin", ADMIN_PASSWORD);
    const { release, warnings } = await overviewOf(server, admin);
    expect(release.update).toMatchObject({
      status: "failed",
      reason: 'the release feed did not answer {"version":"x.y.z"}',
    });
    expect(warnings.map((warning: { code: string }) => warning.code)).not.toContain("update_available");
    await server.stop();
  });

  it("asks nobody when UPDATE_CHECK_URL is unset", async () => {
    const before = feedRequests.length;
    server = await startServer({ databaseUrl: journey.database.url });
    const admin = await signInOn(server, "admin", ADMIN_PASSWORD);
    const { release } = await overviewOf(server, admin);
    expect(release.update).toEqual({ status: "off" });
    expect(release.version).toBe(packageJson.version);
    expect(feedRequests.length).toBe(before);
  });

  it("refuses to start with an update check URL that is not http(s)", async () => {
    const refused = await startServer({
      databaseUrl: journey.database.url,
      env: { UPDATE_CHECK_URL: "ftp://user:hunter2@example.com/latest.json" },
      waitForReady: false,
    });
    expect(await refused.exited).not.toBe(0);
    expect(refused.output()).toContain("UPDATE_CHECK_URL must be an http(s) URL");
    expect(refused.output()).not.toContain("hunter2");
  });
});
