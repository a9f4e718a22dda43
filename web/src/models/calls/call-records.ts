/**
 * The record of each DM or group-DM call this person started, posted into the
 * conversation when the room says the call ended (`call.ended`, docs/calls.md): the
 * server never writes into an encrypted conversation, so the caller's client seals a
 * `call` message (answered, missed or declined; how long; voice or video) and sends
 * it like any other. Its client id is the call's, so the caller's devices that heard
 * the end post it once between them (the server stores a repeated client id once).
 */
import { createModel, effect, signal } from "@preact/signals";
import type { CallRecordContent } from "../../../../e2ee/index.ts";
import { CLIENT_ID_MAX_LENGTH, type ServerFrame } from "../../../../protocol/index.ts";
import { describeError } from "../api-client.ts";
import { openChannelSocket } from "../channel-socket.ts";
import type { Encryption } from "../encryption/encryption.ts";
import type { Session } from "../session.ts";
import type { CallEnded, Calls } from "./calls.ts";

/** The record goes out until the room acknowledges it, for at most this long (then it is given up). */
const POST_TIMEOUT_MS = 2 * 60_000;
/** After the room said `unavailable` or `rate_limited`, the record goes again after this. */
const RETRY_MS = 2_000;

export const CallRecordsModel = createModel((session: Session, encryption: Encryption, calls: Calls) => {
  const ownUserId = () => session.user.peek()?.id ?? "";
  /** Calls this person started whose caller showed a camera at some point: recorded as video calls. */
  const videoCalls = new Set<string>();
  /**
   * Calls this page was in. Only their ends count here: a call socket the room took out
   * of a call may still hear the room's later calls end.
   */
  const joinedCalls = new Set<string>();
  effect(() => {
    const callId = calls.current.value?.callId.value;
    if (callId) joinedCalls.add(callId);
  });

  effect(() => {
    for (const summary of calls.summaries.value.values()) {
      const caller = summary.participants.find((participant) => participant.userId === summary.startedBy);
      if (summary.startedBy === ownUserId() && caller?.camera) videoCalls.add(summary.callId);
    }
  });
  /** Why the last record could not be posted (the call happened; the conversation does not say so). */
  const problem = signal<{ channelId: string; message: string } | null>(null);
  /** The last call that ended while this page was in it, by conversation: shown until dismissed or another starts. */
  const recent = signal<ReadonlyMap<string, CallEnded>>(new Map());
  // A new call in the conversation replaces the news of the last one.
  effect(() => {
    const summaries = calls.summaries.value;
    const kept = [...recent.peek()].filter(([channelId, ended]) => {
      const summary = summaries.get(channelId);
      return summary === undefined || summary.callId === ended.callId;
    });
    if (kept.length < recent.peek().size) recent.value = new Map(kept);
  });
  effect(() =>
    calls.onEnded((ended) => {
      if (!joinedCalls.delete(ended.callId)) return;
      recent.value = new Map(recent.peek()).set(ended.channelId, ended);
      // The room took the page out first (`call.left`, "the call ended"): the end is news, not a problem.
      if (calls.problem.peek()?.channelId === ended.channelId) calls.dismissProblem();
      if (ended.startedBy !== ownUserId()) return;
      void post(ended).catch(
        (error: unknown) => (problem.value = { channelId: ended.channelId, message: describeError(error) }),
      );
    }),
  );

  async function post(ended: CallEnded): Promise<void> {
    const { channelId, callId } = ended;
    const content: CallRecordContent = {
      kind: "call",
      callId,
      outcome: ended.outcome,
      durationMs: Math.max(0, Math.round(ended.durationMs)),
      video: videoCalls.has(callId),
    };
    videoCalls.delete(callId);
    // Sealed in the epoch the group is in now: one the group left would be readable by whoever was removed since.
    const seal = () =>
      encryption.run(async (device) => {
        await device.catchUp(channelId);
        return device.seal(channelId, content);
      });
    const clientId = `call-${callId}`.slice(0, CLIENT_ID_MAX_LENGTH);
    let payload = await seal();
    await new Promise<void>((resolve, reject) => {
      let retry: ReturnType<typeof setTimeout> | undefined;
      const finish = (error?: Error) => {
        clearTimeout(retry);
        clearTimeout(giveUp);
        socket.close();
        if (error) reject(error);
        else resolve();
      };
      const giveUp = setTimeout(() => finish(new Error("the room did not answer")), POST_TIMEOUT_MS);
      const send = () => socket.send({ type: "send", clientId, payload });
      const receive = (frame: ServerFrame) => {
        if (frame.type === "welcome") send();
        else if (frame.type === "ack" && frame.clientId === clientId) finish();
        else if (frame.type === "error" && frame.clientId === clientId) {
          if (frame.code === "stale_epoch") {
            void seal().then((again) => {
              payload = again;
              send();
            }, finish);
          } else if (frame.code === "unavailable" || frame.code === "rate_limited") {
            retry = setTimeout(send, frame.retryAfterMs ?? RETRY_MS);
          } else finish(new Error(frame.message));
        }
      };
      const socket = openChannelSocket(channelId, session, {
        onFrame: receive,
        onStatus() {},
        onAccessRemoved: (reason) => finish(new Error(reason)),
      });
    });
  }

  return {
    problem,
    recent,
    dismissProblem() {
      problem.value = null;
    },
    dismissEnded(channelId: string) {
      const next = new Map(recent.peek());
      next.delete(channelId);
      recent.value = next;
    },
  };
});

export type CallRecords = InstanceType<typeof CallRecordsModel>;
