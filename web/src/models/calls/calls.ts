/**
 * Calls, for the signed-in page: one CallsModel per workspace, created beside the
 * other workspace models. Components only render it. Its public surface (others build
 * on it, e.g. the DM call UI; names are stable):
 *
 * - `summaries`: signal, Map channelId -> CallSummary of every call in a channel the
 *   person may view (GET /api/calls on load and after a reconnect, then `call` events).
 * - `current`: signal, the ActiveCall this page is in, or null (see active-call.ts):
 *   `channelId`, `participants` (signal of CallParticipant), `status` ("connecting" |
 *   "connected" | "reconnecting"), `encryption` ("end-to-end" | "not end-to-end" |
 *   "keys missing"), `muted`/`deafened`/`camera`/`screen`/`speaking` signals and
 *   `setMuted`, `setDeafened`, `setCamera`, `setScreen`, `setVolume`, `focus`, device
 *   pickers, `problem`.
 * - `join(channelId, { video, title? })`: leaves the current call first (one call per page).
 * - `leave()`, `decline(channelId)` (POST /api/channels/:id/call/decline).
 * - `onEnded(listener)`: every `call.ended` frame the page's call socket hears, with
 *   its channel (a DM call's caller records the outcome in the conversation).
 * - `problem`: why the last join failed or the room took the page out, per channel.
 * - `settings`: devices, push-to-talk and "relay only", kept in localStorage.
 */
import { createModel, effect, signal } from "@preact/signals";
import type { CallMediaState, CallOutcome, CallSummary } from "../../../../protocol/index.ts";
import type { AccountEvents } from "../account-events.ts";
import { describeError } from "../api-client.ts";
import type { Encryption } from "../encryption/encryption.ts";
import type { Session } from "../session.ts";
import { createActiveCall, type ActiveCall } from "./active-call.ts";
import { createCallSettings } from "./call-settings.ts";
import { channelPolicyOf } from "../encryption/channel-policy-check.ts";
import { endToEndMedia } from "./end-to-end-media.ts";
import { fetchIceServers } from "./ice-servers.ts";
import { createLocalMedia } from "./local-media.ts";
import { plainMedia } from "./plain-media.ts";

export type { ActiveCall, CallParticipant, CallStatus } from "./active-call.ts";
export type { CallEncryptionState } from "./media-encryption-seam.ts";

/** After `call.leave` the socket stays this long, to hear the `call.ended` a DM caller records. */
const LEAVE_LINGER_MS = 3_000;

export interface CallEnded {
  channelId: string;
  callId: string;
  startedBy: string;
  outcome: CallOutcome;
  durationMs: number;
}

export const CallsModel = createModel((session: Session, events: AccountEvents, encryption: Encryption) => {
  /**
   * A call's media is end-to-end encrypted with keys from its channel's MLS group, unless
   * its chat is not either (a channel too large for it, that never had a group): then it
   * goes in clear, and says so. When the answer cannot be had, it is encrypted.
   */
  async function isPlainChannel(channelId: string): Promise<boolean> {
    if (encryption.state.peek().kind !== "ready") return false;
    return encryption
      .run((device) => channelPolicyOf(device, channelId))
      .then(
        (policy) => !policy.isEncrypted,
        () => false,
      );
  }
  const summaries = signal<ReadonlyMap<string, CallSummary>>(new Map());
  const current = signal<ActiveCall | null>(null);
  /** Why joining failed, or why the room took the page out of the call; per channel, cleared by the next join. */
  const problem = signal<{ channelId: string; message: string } | null>(null);
  /** The channel being joined (asking for devices and relay servers) before `current` is set. */
  const joining = signal<string | null>(null);
  const settings = createCallSettings();
  const endedListeners = new Set<(ended: CallEnded) => void>();
  let attempt = 0;

  async function loadSummaries(): Promise<void> {
    try {
      const { calls } = await session.request<{ calls: CallSummary[] }>("/api/calls");
      summaries.value = new Map(calls.map((call) => [call.channelId, call]));
    } catch {
      // The list fills in from `call` events; the next reconnect asks again.
    }
  }
  void loadSummaries();
  effect(() =>
    events.listen((news) => {
      if (news.type === "reconnected") return void loadSummaries();
      if (news.type !== "call") return;
      const next = new Map(summaries.peek());
      if (news.call) next.set(news.channelId, news.call);
      else next.delete(news.channelId);
      summaries.value = next;
    }),
  );

  function leave(): void {
    const call = current.peek();
    attempt++;
    joining.value = null;
    if (!call) return;
    current.value = null;
    call.leave(LEAVE_LINGER_MS);
  }

  /** `title`: what the "Voice connected" bar calls the call (the channel's name, the other person's). */
  async function join(channelId: string, { video, title = "" }: { video: boolean; title?: string }): Promise<void> {
    leave();
    const thisAttempt = ++attempt;
    problem.value = null;
    joining.value = channelId;
    const media = createLocalMedia();
    const preferences = settings.preferences.peek();
    const state: CallMediaState = { muted: preferences.isPushToTalk, deafened: false, camera: false, screen: false };
    let iceServers: RTCIceServer[];
    let isPlain: boolean;
    try {
      // The microphone first: the browser's question comes while the person is looking.
      const [servers, plain] = await Promise.all([
        fetchIceServers(session),
        isPlainChannel(channelId),
        media.openMicrophone(preferences.microphoneId).catch(() => {
          // No microphone, or not allowed: join muted and listen.
          state.muted = true;
        }),
      ]);
      iceServers = servers;
      isPlain = plain;
      if (video) {
        await media.openCamera(preferences.cameraId).then(
          () => (state.camera = true),
          () => {},
        );
      }
    } catch (caught) {
      media.stop();
      if (thisAttempt === attempt) {
        joining.value = null;
        problem.value = { channelId, message: `the call could not be joined: ${describeError(caught)}` };
      }
      return;
    }
    if (thisAttempt !== attempt) return media.stop(); // left, or joined another, meanwhile
    void settings.listDevices(); // labels show once a device was allowed
    joining.value = null;
    const call = createActiveCall({
      channelId,
      title,
      session,
      settings,
      media,
      // Made only now, as the call starts: it catches the device's groups up (media-secrets.ts).
      encryption: isPlain ? plainMedia() : endToEndMedia(channelId, session, encryption),
      iceServers,
      state,
      onFinished(reason) {
        if (current.peek() === call) current.value = null;
        if (reason) problem.value = { channelId, message: reason };
      },
      onEnded(frame) {
        const { callId, startedBy, outcome, durationMs } = frame;
        for (const listener of endedListeners) listener({ channelId, callId, startedBy, outcome, durationMs });
      },
    });
    current.value = call;
  }

  effect(() => () => {
    attempt++;
    current.peek()?.close();
  });

  return {
    summaries,
    current,
    joining,
    problem,
    settings,
    join,
    leave,
    async decline(channelId: string): Promise<void> {
      try {
        await session.request(`/api/channels/${encodeURIComponent(channelId)}/call/decline`, { method: "POST" });
      } catch (caught) {
        problem.value = { channelId, message: `the call could not be declined: ${describeError(caught)}` };
      }
    },
    /** Calls `listener` with every call.ended this page hears, until the returned function is called. */
    onEnded(listener: (ended: CallEnded) => void): () => void {
      endedListeners.add(listener);
      return () => endedListeners.delete(listener);
    },
    dismissProblem() {
      problem.value = null;
    },
  };
});

export type Calls = InstanceType<typeof CallsModel>;
