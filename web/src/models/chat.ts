/**
 * One open channel: its settings, what the user may do in it, its history, its
 * live socket and the user's outgoing messages. A sent message shows at once as
 * pending and becomes stored when the ack arrives; until then it stays in the
 * outbox and is resent after every reconnect with the same client id, which the
 * server deduplicates. A refusal that waiting cannot fix (no permission, slow
 * mode) marks the message failed with the server's reason: only the user resends it.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import type { ChannelView, MessageView, ServerFrame } from "../../../protocol/index.ts";
import { ApiError, describeError } from "./api-client.ts";
import { openChannelSocket, type ConnectionStatus } from "./channel-socket.ts";
import { encodeContent } from "./content.ts";
import type { Session } from "./session.ts";
import { entryKey, oldestSeq, storedEntry, updateEntry, upsertEntries, type TimelineEntry } from "./timeline.ts";

const HISTORY_PAGE_SIZE = 50;
/** Backoff for sends the server could not store yet (`unavailable`) or asked to slow down (`rate_limited`). */
const RETRY_FIRST_DELAY_MS = 1_000;
const RETRY_MAX_DELAY_MS = 30_000;

interface Outgoing {
  payload: string;
  attempts: number;
  /** Refused for good (not `unavailable`): only the user's retry sends it again. */
  isFailed: boolean;
  retryTimer?: ReturnType<typeof setTimeout>;
}

export interface ChatOptions {
  /** The channel as a list already knows it, so the title shows before the channel is read. */
  known?: ChannelView | null;
  /** What the user may do here changed, or they lost the channel: the lists around it are stale. */
  onAccessChanged?: () => void;
}

export const ChatModel = createModel((channelId: string, session: Session, options: ChatOptions = {}) => {
  const ownUserId = session.user.peek()?.id ?? "";
  const channel = signal<ChannelView | null>(options.known ?? null);
  /** Permission names from the room (welcome, then each change); the channel's own until the socket says. */
  const permissions = signal<string[] | null>(options.known?.myPermissions ?? null);
  /** Set once the user cannot see this channel (any more): nothing more is sent or received. */
  const accessProblem = signal<string | null>(null);
  const entries = signal<TimelineEntry[]>([]);
  const status = signal<ConnectionStatus>("connecting");
  /** Something the user should know about: a failed history load, a lost connection's cause. */
  const problem = signal<string | null>(null);
  const hasOlder = signal(false);
  const isLoadingOlder = signal(false);
  const draft = signal("");
  const outbox = new Map<string, Outgoing>();
  let localOrder = 0;

  const historyPath = (before?: number) =>
    `/api/channels/${encodeURIComponent(channelId)}/messages?limit=${HISTORY_PAGE_SIZE}${before ? `&before=${before}` : ""}`;

  const merge = (messages: readonly MessageView[]) => {
    entries.value = upsertEntries(
      entries.value,
      messages.map((message) => storedEntry(message, ownUserId)),
    );
  };

  /** The channel's settings (name, archived, read-only, slow mode), re-read whenever permissions change. */
  async function loadChannel(): Promise<void> {
    try {
      const answer = await session.request<{ channel: ChannelView }>(`/api/channels/${encodeURIComponent(channelId)}`);
      channel.value = answer.channel;
      if (permissions.peek() === null) permissions.value = answer.channel.myPermissions;
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404)
        loseAccess("this channel does not exist, or you cannot see it");
      else problem.value = `this channel's settings could not be loaded: ${describeError(caught)}`;
    }
  }

  function loseAccess(reason: string): void {
    if (accessProblem.peek()) return;
    accessProblem.value = reason;
    socket.close();
    for (const clientId of outbox.keys()) fail(clientId, reason);
    options.onAccessChanged?.();
  }

  /** The newest page, merged by seq: after a reconnect it fills what the socket missed. */
  async function refreshHistory(): Promise<void> {
    try {
      const { messages } = await session.request<{ messages: MessageView[] }>(historyPath());
      if (entries.peek().every((entry) => entry.seq === null)) hasOlder.value = messages.length === HISTORY_PAGE_SIZE;
      merge(messages);
    } catch (caught) {
      problem.value = `the history could not be loaded: ${describeError(caught)}`;
    }
  }

  function transmit(clientId: string): void {
    const outgoing = outbox.get(clientId);
    if (outgoing) socket.send({ type: "send", clientId, payload: outgoing.payload });
  }

  function retryLater(clientId: string): void {
    const outgoing = outbox.get(clientId);
    if (!outgoing) return;
    outgoing.attempts += 1;
    clearTimeout(outgoing.retryTimer);
    const delay = Math.min(RETRY_MAX_DELAY_MS, RETRY_FIRST_DELAY_MS * 2 ** (outgoing.attempts - 1));
    outgoing.retryTimer = setTimeout(() => transmit(clientId), delay);
  }

  function fail(clientId: string, reason: string): void {
    const outgoing = outbox.get(clientId);
    if (!outgoing) return;
    clearTimeout(outgoing.retryTimer);
    outgoing.isFailed = true;
    entries.value = updateEntry(entries.value, entryKey(ownUserId, clientId), (entry) =>
      entry.state === "stored" ? entry : { ...entry, state: "failed", failure: reason },
    );
  }

  function receive(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome": {
        // After a reconnect the room may tell of a change whose own frame was missed while offline.
        const previous = permissions.peek();
        permissions.value = frame.permissions;
        if (previous !== null && !isSameSet(previous, frame.permissions)) {
          void loadChannel();
          options.onAccessChanged?.();
        }
        for (const [clientId, outgoing] of outbox) if (!outgoing.isFailed) transmit(clientId);
        void refreshHistory();
        return;
      }
      case "permissions":
        // A role, a time-out or a channel setting changed: the reason may be in the channel's settings.
        permissions.value = frame.permissions;
        void loadChannel();
        options.onAccessChanged?.();
        return;
      case "ack":
        clearTimeout(outbox.get(frame.clientId)?.retryTimer);
        outbox.delete(frame.clientId);
        return merge([frame.message]);
      case "message":
        return merge([frame.message]);
      case "error":
        if (frame.clientId && (frame.code === "unavailable" || frame.code === "rate_limited"))
          return retryLater(frame.clientId);
        // missing_permission, slow_mode and the rest: resending by itself would only be refused again.
        if (frame.clientId) return fail(frame.clientId, frame.message);
        problem.value = frame.message;
        return;
      case "done":
      case "update":
      case "typing":
      case "read":
      case "sync":
      case "synced":
        // Edits, reactions, typing and read positions are not shown by this client yet (the socket drops them).
        return;
      default:
        return assertNever(frame);
    }
  }

  const socket = openChannelSocket(channelId, session, {
    onFrame: receive,
    onStatus(next, reason) {
      status.value = next;
      if (reason) problem.value = reason;
      else if (next === "online") problem.value = null;
    },
    onAccessRemoved: loseAccess,
  });
  // Disposing the model (leaving the channel) runs this cleanup.
  effect(() => () => {
    socket.close();
    for (const outgoing of outbox.values()) clearTimeout(outgoing.retryTimer);
  });
  void loadChannel();
  void refreshHistory();

  return {
    channel,
    permissions,
    accessProblem,
    /** Until the room says otherwise, assume the user may write: the composer is not disabled on a guess. */
    canSend: computed(() => permissions.value?.includes("SEND_MESSAGES") ?? true),
    entries,
    status,
    problem,
    hasOlder,
    isLoadingOlder,
    draft,
    setDraft(text: string) {
      draft.value = text;
    },
    /** Sends the draft; false (with `problem` set) when there is nothing or too much to send. */
    send(): boolean {
      const text = draft.value.trim();
      if (!text || accessProblem.peek()) return false;
      let payload: string;
      try {
        payload = encodeContent({ text });
      } catch (caught) {
        problem.value = describeError(caught);
        return false;
      }
      const clientId = newClientId();
      outbox.set(clientId, { payload, attempts: 0, isFailed: false });
      entries.value = upsertEntries(entries.value, [
        {
          key: entryKey(ownUserId, clientId),
          clientId,
          seq: null,
          senderName: session.user.value?.username ?? "",
          isOwn: true,
          text,
          sentAt: null,
          state: "pending",
          failure: null,
          localOrder: ++localOrder,
        },
      ]);
      draft.value = "";
      transmit(clientId);
      return true;
    },
    /** Sends a failed message again, under its old client id. */
    retry(clientId: string) {
      const outgoing = outbox.get(clientId);
      if (!outgoing || accessProblem.peek()) return;
      outgoing.attempts = 0;
      outgoing.isFailed = false;
      entries.value = updateEntry(entries.value, entryKey(ownUserId, clientId), (entry) => ({
        ...entry,
        state: "pending",
        failure: null,
      }));
      transmit(clientId);
    },
    async loadOlder(): Promise<void> {
      const before = oldestSeq(entries.value);
      if (before === null || isLoadingOlder.value) return;
      isLoadingOlder.value = true;
      try {
        const { messages } = await session.request<{ messages: MessageView[] }>(historyPath(before));
        hasOlder.value = messages.length === HISTORY_PAGE_SIZE;
        merge(messages);
      } catch (caught) {
        problem.value = `older messages could not be loaded: ${describeError(caught)}`;
      } finally {
        isLoadingOlder.value = false;
      }
    },
  };
});

export type Chat = InstanceType<typeof ChatModel>;

/** 128 random bits in hex; getRandomValues, unlike randomUUID, also works on plain-http origins. */
function newClientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function isSameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name));
}

function assertNever(value: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(value)}`);
}
