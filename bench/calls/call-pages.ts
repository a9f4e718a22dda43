/**
 * The people of the browser parts: one Debian Chromium with fake devices, each person
 * a page in a context of their own (their own device and client address), signed in
 * through the app's own form. The app's labels are all in CALL_UI, so a renamed button
 * is one line to change. What a page sends and receives is read from its own
 * RTCPeerConnections, collected by an init script that wraps the constructor (as the
 * call journeys in test/node/ do): nothing in the app exists for the bench.
 */
import type { Browser, Page } from "playwright-core";
import { FAKE_MEDIA_ARGS, launchChromium } from "../../test/support/browser.ts";
import { CALL_PASSWORD, COMMUNITY_NAME, VOICE_CHANNEL_NAME } from "./call-world.ts";

/** Joining, media starting and leaving take seconds with many pages on two busy cores. */
const PAGE_TIMEOUT_MS = 60_000;
/** How often a page being timed reads its connections' statistics (the timing's resolution). */
export const STATS_POLL_MS = 20;

/** Every place in the app the bench reaches for. */
export const CALL_UI = {
  communityLink: (page: Page) =>
    page.getByRole("navigation", { name: "Communities" }).getByRole("link", { name: COMMUNITY_NAME }),
  voiceChannelLink: (page: Page) =>
    page
      .getByRole("navigation", { name: "Channels" })
      .getByRole("link", { name: new RegExp(`^${VOICE_CHANNEL_NAME}`) }),
  joinButton: (page: Page, withVideo: boolean) =>
    page.getByRole("button", { name: withVideo ? "Join with video" : "Join voice", exact: true }),
  leaveButton: (page: Page) => page.getByRole("main").getByRole("button", { name: "Leave call" }),
  signIn: { username: "Username", password: "Password", button: "Sign in" },
} as const;

export interface CallPage {
  username: string;
  page: Page;
}

export interface JoinTiming {
  /** Milliseconds from the click to the first decoded frame of any peer, then of every peer. */
  firstVideo: number;
  allVideo: number;
  firstAudio: number;
  allAudio: number;
}

export interface OutboundSample {
  at: number;
  /** Per open connection: payload bytes and RTP header bytes sent, audio and video together. */
  connections: { bytes: number; headerBytes: number }[];
}

export async function launchCallBrowser(): Promise<Browser> {
  return launchChromium(FAKE_MEDIA_ARGS);
}

/** A fresh context from its own address (198.19.<n>.1, RFC 2544's range), signed in and on the voice channel. */
export async function openCallPage(browser: Browser, serverUrl: string, username: string, index: number) {
  const context = await browser.newContext({
    viewport: { width: 960, height: 600 },
    extraHTTPHeaders: { "X-Forwarded-For": `198.19.${index + 1}.1` },
  });
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const page = await context.newPage();
  await page.addInitScript(instrumentPeerConnections);
  await page.goto(`${serverUrl}/sign-in`);
  await page.getByLabel(CALL_UI.signIn.username).fill(username);
  await page.getByLabel(CALL_UI.signIn.password).fill(CALL_PASSWORD);
  await page.getByRole("button", { name: CALL_UI.signIn.button, exact: true }).click();
  await CALL_UI.communityLink(page).click();
  await CALL_UI.voiceChannelLink(page).click();
  await CALL_UI.joinButton(page, false).waitFor();
  return { username, page } satisfies CallPage;
}

/** Clicks join; resolves once it has `peers` connections (without timing anything). */
export async function join(person: CallPage, withVideo: boolean): Promise<void> {
  await CALL_UI.joinButton(person.page, withVideo).click();
  await CALL_UI.leaveButton(person.page).waitFor();
}

/**
 * Clicks join and times, in the page, from the click's event to the first decoded
 * video frame and audio samples on each of its `peers` new connections. A join that has
 * not received everything within PAGE_TIMEOUT_MS is a failed join: what its connections
 * had by then, instead of a timing.
 */
export async function timedJoin(
  person: CallPage,
  peers: number,
  withVideo: boolean,
): Promise<JoinTiming | { failure: string }> {
  await person.page.evaluate(
    ([expected, isVideo, pollMs]) => (window as unknown as BenchWindow).benchArmJoin(expected, isVideo, pollMs),
    [peers, withVideo, STATS_POLL_MS] as const,
  );
  await CALL_UI.joinButton(person.page, withVideo).click();
  try {
    const handle = await person.page.waitForFunction(() => (window as unknown as BenchWindow).benchJoinTiming, null, {
      timeout: PAGE_TIMEOUT_MS,
      polling: 100,
    });
    return (await handle.jsonValue()) as JoinTiming;
  } catch (error) {
    if (!/Timeout/.test((error as Error).message)) throw error;
    const connections = await person.page.evaluate(() => (window as unknown as BenchWindow).benchDescribe());
    return { failure: `nothing complete after ${PAGE_TIMEOUT_MS / 1000} s; its new connections: ${connections}` };
  }
}

export async function leave(person: CallPage): Promise<void> {
  await CALL_UI.leaveButton(person.page).click();
  await CALL_UI.joinButton(person.page, false).waitFor();
}

/** After a failed part: whoever is still in the call leaves, so the next part starts from an empty call. */
export async function leaveIfInCall(person: CallPage): Promise<void> {
  if ((await CALL_UI.leaveButton(person.page).count()) > 0) await leave(person);
}

/** Resolves once the page has exactly `peers` open connections, each receiving what it should. */
export async function waitForPeers(person: CallPage, peers: number, withVideo: boolean): Promise<void> {
  await person.page.waitForFunction(
    ([expected, isVideo]) => (window as unknown as BenchWindow).benchIsReceiving(expected, isVideo),
    [peers, withVideo] as const,
    { timeout: PAGE_TIMEOUT_MS, polling: 250 },
  );
}

export async function sampleOutbound(person: CallPage): Promise<OutboundSample> {
  return person.page.evaluate(() => (window as unknown as BenchWindow).benchOutbound());
}

interface BenchWindow {
  benchArmJoin(peers: number, isVideo: boolean, pollMs: number): void;
  benchJoinTiming: JoinTiming | undefined;
  benchIsReceiving(peers: number, isVideo: boolean): Promise<boolean>;
  benchOutbound(): Promise<OutboundSample>;
  /** The connections the last armed join made: state, video frames and audio samples received. */
  benchDescribe(): Promise<string>;
}

/** Runs in every page before the app: keeps each RTCPeerConnection and offers the readings above. */
function instrumentPeerConnections(): void {
  const Original = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  window.RTCPeerConnection = class extends Original {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      made.push(this);
    }
  } as typeof RTCPeerConnection;
  const isOpen = (connection: RTCPeerConnection) => connection.signalingState !== "closed";
  const inbound = async (connection: RTCPeerConnection) => {
    let frames = 0;
    let samples = 0;
    (await connection.getStats()).forEach((stat: Record<string, unknown>) => {
      if (stat.type !== "inbound-rtp") return;
      if (stat.kind === "video") frames += Number(stat.framesDecoded ?? 0);
      // Concealment (samples made up for packets that never decoded) is not audio received.
      if (stat.kind === "audio") samples += Number(stat.totalSamplesReceived ?? 0) - Number(stat.concealedSamples ?? 0);
    });
    return { frames, samples };
  };
  const bench = window as unknown as BenchWindow;
  bench.benchJoinTiming = undefined;
  let firstIndex = 0;
  bench.benchDescribe = async () => {
    const watched = made.slice(firstIndex);
    const readings = await Promise.all(watched.map(inbound));
    const lines = watched.map(
      (connection, index) =>
        `${connection.connectionState}/${connection.iceConnectionState} ` +
        `frames ${readings[index]!.frames} samples ${readings[index]!.samples}`,
    );
    return lines.length === 0 ? "none" : lines.join("; ");
  };
  bench.benchArmJoin = (peers, isVideo, pollMs) => {
    bench.benchJoinTiming = undefined;
    firstIndex = made.length;
    const video: number[] = [];
    const audio: number[] = [];
    let clickedAt = 0;
    // The click's own event: Playwright's hops before it are not part of the set-up time.
    document.addEventListener("click", () => (clickedAt = performance.now()), { capture: true, once: true });
    const poll = setInterval(async () => {
      if (clickedAt === 0) return;
      const watched = made.slice(firstIndex).filter(isOpen);
      const readings = await Promise.all(watched.map(inbound));
      const now = performance.now() - clickedAt;
      readings.forEach((reading, index) => {
        if (reading.frames > 0) video[index] ??= now;
        if (reading.samples > 0) audio[index] ??= now;
      });
      const count = (times: number[]) => times.filter((time) => time !== undefined).length;
      if (count(audio) < peers || (isVideo && count(video) < peers)) return;
      clearInterval(poll);
      const times = (list: number[]) => list.slice(0, peers);
      bench.benchJoinTiming = {
        firstVideo: isVideo ? Math.min(...times(video)) : NaN,
        allVideo: isVideo ? Math.max(...times(video)) : NaN,
        firstAudio: Math.min(...times(audio)),
        allAudio: Math.max(...times(audio)),
      };
    }, pollMs);
  };
  bench.benchIsReceiving = async (peers, isVideo) => {
    const open = made.filter(isOpen);
    if (open.length !== peers) return false;
    const readings = await Promise.all(open.map(inbound));
    return readings.every((reading) => reading.samples > 0 && (!isVideo || reading.frames > 0));
  };
  bench.benchOutbound = async () => {
    const connections = await Promise.all(
      made.filter(isOpen).map(async (connection) => {
        let bytes = 0;
        let headerBytes = 0;
        (await connection.getStats()).forEach((stat: Record<string, unknown>) => {
          if (stat.type !== "outbound-rtp") return;
          bytes += Number(stat.bytesSent ?? 0);
          headerBytes += Number(stat.headerBytesSent ?? 0);
        });
        return { bytes, headerBytes };
      }),
    );
    return { at: performance.now(), connections };
  };
}
