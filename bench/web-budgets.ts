/**
 * The web app's budgets, measured on the built output (`npm run build` first) against
 * the production server, in Debian's Chromium: first-load scripts and styles of the
 * sign-in page and of an open channel (brotli as sent, gzip from the build's copies),
 * the time to an interactive sign-in form and to a channel's messages, Lighthouse's
 * scores, whether Chromium finds the app installable, and axe-core's violations on the
 * main screens. Prints figures beside the targets; never fails because of one.
 *
 *   npx node bench/web-budgets.ts [--runs 5] [--quick]
 */
import { parseArgs } from "node:util";
import type { BrowserContext, Page } from "playwright-core";
import { generalChannel, registerOn } from "../test/support/accounts.ts";
import { openGeneral, signInToGeneral, waitUntilDelivered } from "../test/support/browser-journey.ts";
import { startBenchServer } from "./bench-server.ts";
import { cleanUpOnAbnormalExit, cleanup } from "./cleanup.ts";
import { commandLine, machineLine, printTable } from "./report.ts";
import { axeViolations } from "./web-budgets/axe-violations.ts";
import { startDebuggableChromium } from "./web-budgets/debuggable-chromium.ts";
import { firstLoad, messageShown, signInFormReady, type FirstLoad } from "./web-budgets/first-load.ts";
import { lighthouseScores, type Scores } from "./web-budgets/lighthouse-scores.ts";

const { values } = parseArgs({
  options: { runs: { type: "string" }, quick: { type: "boolean", default: false } },
});
const runs = Number(values.runs ?? (values.quick ? 1 : 5));
const PASSWORD = "correct horse battery";
/** Messages alice sends to #general before its loads are timed; the last is waited for. */
const MESSAGES = values.quick ? 3 : 20;
const VIEWPORT = { width: 1280, height: 800 };
const TARGETS = { signInKb: 60, channelKb: 200, performance: 95, accessibility: 100 };

cleanUpOnAbnormalExit();
console.log(commandLine());
console.log(machineLine());
const bench = await startBenchServer("web_budgets", { poolSize: 4 });
const url = bench.server.url;
const admin = await registerOn(bench.server, "admin", PASSWORD);
const alice = await registerOn(bench.server, "alice", PASSWORD);
await generalChannel(bench.server, admin, [alice]);
const { browser, port } = await startDebuggableChromium();
process.env.CHROME_PATH = "/usr/bin/chromium";
console.log(`Chromium ${browser.version()}, ${runs} cold load(s) of each page, ${MESSAGES} messages in #general`);

// 1. First visits: a fresh context, no service worker, the cache emptied before each load.
const visitor = await browser.newContext({ serviceWorkers: "block", viewport: VIEWPORT });
const signInLoads: FirstLoad[] = [];
for (let run = 0; run < runs; run++) signInLoads.push(await firstLoad(visitor, `${url}/sign-in`, signInFormReady));
const { channelUrl, lastMessage } = await fillGeneral(visitor);
const channelLoads: FirstLoad[] = [];
for (let run = 0; run < runs; run++) channelLoads.push(await firstLoad(visitor, channelUrl, messageShown, lastMessage));
await visitor.close();

// 2. The installed app, in the profile's own (not off-the-record) context.
const profile = browser.contexts()[0]!;
const installabilityErrors = await installability(profile);
const lighthouse: { page: string; formFactor: string; scores: Scores }[] = [];
for (const formFactor of values.quick ? (["mobile"] as const) : (["mobile", "desktop"] as const)) {
  lighthouse.push({
    page: "sign-in",
    formFactor,
    scores: await lighthouseScores(`${url}/sign-in`, port, formFactor, false),
  });
}
const axe: { screen: string; findings: Awaited<ReturnType<typeof axeViolations>> }[] = [];
const page = await profile.newPage();
await page.setViewportSize(VIEWPORT);
await page.goto(`${url}/sign-in`);
await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
axe.push({ screen: "sign-in", findings: await axeViolations(page) });
await page.getByRole("link", { name: "Create an account" }).click();
await page.getByRole("button", { name: "Create account", exact: true }).waitFor();
axe.push({ screen: "create an account", findings: await axeViolations(page) });
await signInToGeneral(page, url, "alice", PASSWORD);
// This profile is another of alice's devices: the channel as it shows there (no one online adds
// the new device to the channel's encryption group, so her earlier messages wait for their keys).
await openGeneral(page);
await page.waitForLoadState("networkidle");
axe.push({ screen: "open channel", findings: await axeViolations(page) });
await page.goto(`${url}/settings/profile`);
await page.waitForLoadState("networkidle");
axe.push({ screen: "settings", findings: await axeViolations(page) });
if (!values.quick) {
  for (const formFactor of ["mobile", "desktop"] as const) {
    lighthouse.push({
      page: "open channel",
      formFactor,
      scores: await lighthouseScores(channelUrl, port, formFactor, true),
    });
  }
}
await page.close();
await browser.close();

report();
await cleanup();
process.exit(0);

/** Alice signs in, opens #general and sends MESSAGES messages; its address and the last message. */
async function fillGeneral(context: BrowserContext): Promise<{ channelUrl: string; lastMessage: string }> {
  const sender = await context.newPage();
  await signInToGeneral(sender, url, "alice", PASSWORD);
  await openGeneral(sender);
  let lastMessage = "";
  for (let index = 1; index <= MESSAGES; index++) {
    lastMessage = `budget message ${index}: how long until this one shows?`;
    await sender.getByLabel("Message #general").fill(lastMessage);
    await sender.getByLabel("Message #general").press("Enter");
    await waitUntilDelivered(sender);
  }
  const channelUrl = sender.url();
  await sender.close();
  return { channelUrl, lastMessage };
}

/** Chromium's reasons it would not install the app, once its service worker controls the page. */
async function installability(context: BrowserContext): Promise<string[]> {
  const installed: Page = await context.newPage();
  await installed.goto(url);
  await installed.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await installed.reload();
  const devtools = await context.newCDPSession(installed);
  const { installabilityErrors } = (await devtools.send("Page.getInstallabilityErrors")) as {
    installabilityErrors: { errorId: string }[];
  };
  await installed.close();
  return installabilityErrors.map((error) => error.errorId);
}

function report(): void {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
  const loadRow = (name: string, loads: FirstLoad[], targetKb: number) => {
    const first = loads[0]!;
    return [
      name,
      String(first.files.length),
      kb(first.brotliBytes),
      kb(first.gzipBytes),
      kb(first.transferredBytes),
      `< ${targetKb}`,
      `${Math.round(median(loads.map((load) => load.readyMs)))}`,
    ];
  };
  printTable(
    `First load, empty cache: scripts and styles (KB) and time until ready (ms, median of ${runs})`,
    ["page", "files", "brotli", "gzip", "sent", "target", "ready ms"],
    [
      loadRow("sign-in (form interactive)", signInLoads, TARGETS.signInKb),
      loadRow("open channel (messages shown)", channelLoads, TARGETS.channelKb),
    ],
  );
  for (const [name, loads] of [
    ["sign-in page", signInLoads],
    ["open channel", channelLoads],
  ] as const) {
    console.log(`${name} files: ${loads[0]!.files.join(" ")}`);
    if (loads[0]!.refused.length > 0) console.log(`${name} requests refused: ${loads[0]!.refused.join(", ")}`);
  }
  printTable(
    `Lighthouse ${lighthouse[0]?.scores.version} in Chromium ${browser.version()} (targets: performance ≥ ${TARGETS.performance}, accessibility ${TARGETS.accessibility})`,
    ["page", "form factor", "performance", "accessibility", "best practices"],
    lighthouse.map(({ page, formFactor, scores }) => [
      page,
      formFactor,
      String(scores.performance),
      String(scores.accessibility),
      String(scores["best-practices"]),
    ]),
  );
  for (const { page, formFactor, scores } of lighthouse) {
    if (scores.failing.length > 0) console.log(`${page} (${formFactor}) audits below 90: ${scores.failing.join(", ")}`);
    for (const error of scores.consoleErrors) console.log(`${page} (${formFactor}) console error: ${error}`);
    for (const problem of scores.problems) console.log(`${page} (${formFactor}) could not measure: ${problem}`);
  }
  console.log(
    `\nInstallable (Page.getInstallabilityErrors with the service worker in control): ${
      installabilityErrors.length === 0 ? "yes, no errors" : `no: ${installabilityErrors.join(", ")}`
    }`,
  );
  printTable(
    "axe-core violations on the main screens",
    ["screen", "rules", "elements"],
    axe.map(({ screen, findings }) => [
      screen,
      String(findings.violations.length),
      String(findings.violations.reduce((total, violation) => total + violation.nodes, 0)),
    ]),
  );
  for (const { screen, findings } of axe) {
    for (const violation of findings.violations) {
      console.log(`${screen}: ${violation.id} (${violation.impact}, ${violation.nodes} element(s))`);
    }
  }
}
