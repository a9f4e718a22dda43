/**
 * Whether a newer release exists, asked of UPDATE_CHECK_URL only when the operator set
 * it (no phone-home by default), at most once a day per server process, and never on a
 * person's behalf: only the admin page's overview reads it. The answer is kept in this
 * isolate's memory rather than in the database, because a missed cache (a restart, a
 * second isolate on Cloudflare) costs one more small request that day, nothing else.
 * Self-hosted, the app has no network of its own: the request leaves through
 * UPDATE_NETWORK (workerd/chatalot.capnp); on Cloudflare, through plain fetch.
 */
import { z } from "zod";
import { buildInfo } from "./build-info.ts";

export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 5_000;
/** A release feed is a few dozen bytes; anything past this is not one. */
const FEED_MAX_BYTES = 16 * 1024;

const feedSchema = z.object({ version: z.string().regex(/^v?\d{1,6}\.\d{1,6}\.\d{1,6}([-+][0-9A-Za-z.-]{1,40})?$/) });

export type UpdateCheckView =
  | { status: "off" }
  | { status: "current" | "newer"; latestVersion: string; checkedAt: string }
  | { status: "failed"; reason: string; checkedAt: string };

interface CachedCheck {
  url: string;
  atMs: number;
  view: UpdateCheckView;
}

let cached: CachedCheck | undefined;
/** One request at a time: overviews opened together share it. */
let inFlight: Promise<UpdateCheckView> | undefined;

export interface UpdateCheckEnv {
  UPDATE_NETWORK?: Fetcher;
}

/** The last answer if it is less than a day old, else a new one from the feed. */
export async function updateCheck(
  env: UpdateCheckEnv,
  url: string | null,
  nowMs = Date.now(),
): Promise<UpdateCheckView> {
  if (!url) return { status: "off" };
  if (cached && cached.url === url && nowMs - cached.atMs < UPDATE_CHECK_INTERVAL_MS) return cached.view;
  inFlight ??= askFeed(env, url, nowMs).then((view) => {
    cached = { url, atMs: nowMs, view };
    inFlight = undefined;
    return view;
  });
  return inFlight;
}

async function askFeed(env: UpdateCheckEnv, url: string, nowMs: number): Promise<UpdateCheckView> {
  const checkedAt = new Date(nowMs).toISOString();
  const failed = (reason: string): UpdateCheckView => ({ status: "failed", reason, checkedAt });
  const request = new Request(url, {
    headers: { Accept: "application/json", "User-Agent": "chatalot-update-check" },
    // A redirect is answered as a failure (3xx is not ok): the operator names the feed exactly.
    redirect: "manual",
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  let body: string;
  try {
    const response = await (env.UPDATE_NETWORK ? env.UPDATE_NETWORK.fetch(request) : fetch(request));
    if (!response.ok) {
      await response.body?.cancel();
      return failed(`the release feed answered HTTP ${response.status}`);
    }
    body = await readAtMost(response, FEED_MAX_BYTES);
  } catch {
    return failed("the release feed could not be reached");
  }
  let latest: string;
  try {
    latest = feedSchema.parse(JSON.parse(body)).version.replace(/^v/, "");
  } catch {
    return failed('the release feed did not answer {"version":"x.y.z"}');
  }
  return { status: isNewer(latest, buildInfo.version) ? "newer" : "current", latestVersion: latest, checkedAt };
}

async function readAtMost(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error("the release feed is too long");
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Semantic versions compared: major, minor, patch; a pre-release comes before its release. */
export function isNewer(candidate: string, running: string): boolean {
  const parts = (version: string) => {
    const [core = "", pre] = version.replace(/^v/, "").split(/-(.*)/s, 2);
    return { numbers: core.split("+")[0]!.split(".").map(Number), isPre: pre !== undefined };
  };
  const a = parts(candidate);
  const b = parts(running);
  for (let index = 0; index < 3; index++) {
    const difference = (a.numbers[index] ?? 0) - (b.numbers[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return !a.isPre && b.isPre;
}
