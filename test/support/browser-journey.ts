/**
 * What every browser journey shares: its own database and production server,
 * Chromium, pages in separate contexts (separate devices, as the app sees them),
 * the page errors and CSP violations they printed, the server's output when a
 * step fails; and the places in the app the journeys reach for.
 */
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { HISTORY_SHARE_CLIENT_ID_PREFIX } from "../../protocol/index.ts";
import { launchChromium, openPage, waitUntilConnected } from "./browser.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { startServer, type RunningServer } from "./server.ts";

export interface BrowserJourney {
  readonly database: TestDatabase;
  readonly server: RunningServer;
  readonly browser: Browser;
  /** Page errors and CSP violations from every page: a journey ends by expecting none. */
  readonly problems: string[];
  /** A page in a fresh context: another device. */
  openPage(): Promise<Page>;
  query<Row extends object>(sql: string, values?: unknown[]): Promise<Row[]>;
  /** Messages a person wrote and the server stored (history-key shares left out). */
  textsFrom(username: string): Promise<number>;
}

/**
 * Registers the hooks that start and stop a journey's server and browser (before the file's own).
 * `chromiumArgs`: extra flags for the browser (FAKE_MEDIA_ARGS for calls).
 */
export function browserJourney(
  name: string,
  env: Record<string, string> = {},
  chromiumArgs: readonly string[] = [],
): BrowserJourney {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const problems: string[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the journey has not started: use it inside a test or a later hook");
    return value;
  };

  beforeAll(async () => {
    database = await createTestDatabase(name);
    server = await startServer({
      databaseUrl: database.url,
      // Embedded PGlite serves one connection reliably, not several.
      env: { DATABASE_POOL_SIZE: database.isEmbedded ? "1" : "4", ...env },
    });
    browser = await launchChromium(chromiumArgs);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.stop();
  });
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`server output:\n${server?.output()}\nbrowser problems:\n${problems.join("\n")}`));
  });

  const journey: BrowserJourney = {
    get database() {
      return started(database);
    },
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    problems,
    openPage: () => openPage(started(browser), problems),
    async query<Row extends object>(sql: string, values: unknown[] = []) {
      const client = new pg.Client({ connectionString: started(database).url });
      await client.connect();
      try {
        return (await client.query<Row>(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
    async textsFrom(username: string) {
      const [row] = await journey.query<{ count: number }>(
        `select count(*)::int as count from messages m join users u on u.id = m.sender_id
         where u.username = $1 and m.client_id not like $2`,
        [username, `${HISTORY_SHARE_CLIENT_ID_PREFIX}%`],
      );
      return row?.count ?? 0;
    },
  };
  return journey;
}

export const channelLink = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Channels" }).getByRole("link", { name, exact: true });
export const communityLink = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Communities" }).getByRole("link", { name, exact: true });
export const conversationLink = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Direct messages" }).getByRole("link", { name, exact: true });
export const memberList = (page: Page) => page.getByRole("region", { name: /^Members/ });
/** The message in the open channel's timeline holding `text`. */
export const messageItem = (page: Page, text: string) =>
  page.getByRole("log").getByRole("listitem").filter({ hasText: text });

/** Opens the app and creates an account from the sign-in page. */
export async function register(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByRole("link", { name: "Create an account" }).click();
  await fillRegistration(page, username, password);
  await page.getByRole("heading", { name: "Communities" }).waitFor();
}

/** The registration form, then "Save your recovery key": going on means saying it is saved. */
export async function fillRegistration(page: Page, username: string, password: string): Promise<void> {
  await fillRegistrationKeepingKey(page, username, password);
}

/** Making the recovery key writes the key backup: a device set up and its keys sealed, a few seconds. */
const RECOVERY_KEY_TIMEOUT_MS = 30_000;

/** Like `fillRegistration`, and returns the recovery key the step showed. */
export async function fillRegistrationKeepingKey(page: Page, username: string, password: string): Promise<string> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  return saveRecoveryKey(page);
}

/** The "Save your recovery key" step: reads the key it shows, says it is saved, continues. */
export async function saveRecoveryKey(page: Page): Promise<string> {
  const step = page.getByRole("dialog", { name: "Save your recovery key" });
  const key = step.getByRole("list", { name: "Recovery key" }).getByRole("listitem");
  await key.waitFor({ timeout: RECOVERY_KEY_TIMEOUT_MS });
  const recoveryKey = (await key.innerText()).trim();
  await step.getByLabel("I have saved my recovery key").check();
  await step.getByRole("button", { name: "Continue", exact: true }).click();
  await step.waitFor({ state: "detached" });
  return recoveryKey;
}

/** Signs in from the sign-in page; done once the community's #general is listed (one community open). */
export async function signInToGeneral(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await channelLink(page, "#general").waitFor();
}

/** Opens #general and waits for its socket: sends from here go straight out. */
export async function openGeneral(page: Page): Promise<void> {
  await channelLink(page, "#general").click();
  await page.getByRole("heading", { name: "#general", exact: true }).waitFor();
  await waitUntilConnected(page);
}

/** The sender's copy loses its "Sending…" mark once the server's ack arrives. */
export async function waitUntilDelivered(page: Page, timeout?: number): Promise<void> {
  await page.getByRole("log").getByText("Sending…").waitFor({ state: "detached", timeout });
}
