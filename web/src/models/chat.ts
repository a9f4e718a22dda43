/**
 * One open channel: its settings, what the user may do in it, its messages, its
 * live socket, and the user's messages and changes on their way. Every view of a
 * message (history page, relay, catch-up, ack) goes into one store, where the view
 * with the highest `event` wins; after every welcome the model resumes from the
 * last event it holds completely, so a reconnect loses nothing and applies nothing
 * twice. Sends and changes not yet answered go out again under their client ids.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import {
  HISTORY_SHARE_CLIENT_ID_PREFIX,
  type ChannelView,
  type MessageView,
  type ServerFrame,
} from "../../../protocol/index.ts";
import { ApiError, describeError } from "./api-client.ts";
import { createChannelCrypto } from "./encryption/channel-crypto.ts";
import type { Encryption } from "./encryption/encryption.ts";
import { createFileCache } from "./files/file-cache.ts";
import { createMessagePages } from "./message-pages.ts";
import { openChannelSocket, type ConnectionStatus } from "./channel-socket.ts";
import { createHistoryBrowsing } from "./history-browsing.ts";
import { createMessageActions, REFUSED_CHANGE_WORDS, type ChangeRequest } from "./message-actions.ts";
import type { Person } from "./mentions.ts";
import { createOutgoingMessages, type Placement } from "./outgoing-messages.ts";
import { attachmentDraftsFor } from "./files/attachment-drafts.ts";
import type { OutgoingFile } from "./files/outgoing-files.ts";
import { createPendingRequests, newClientId, type Request } from "./pending-requests.ts";
import { createReadMarker } from "./read-marker.ts";
import { publishTimeline } from "./search/timeline-feed.ts";
import { createResumePoint } from "./resume-point.ts";
import type { Session } from "./session.ts";
import { createSidePanels } from "./side-panels.ts";
import {
  entryKey,
  findBySeq,
  mainListRows,
  mergeLive,
  mergeStored,
  storedEntry,
  timelineBounds,
  upsertEntries,
  type TimelineEntry,
} from "./timeline.ts";
import { createTypingAnnouncer, createTypingIndicator } from "./typing.ts";

/** After a catch-up that stopped part-way (the database was unreachable), ask again after this. */
const RESUME_RETRY_MS = 2_000;
/** How long a left channel's socket stays open for sends still on their way. */
const LINGER_MS = 10 * 60_000;

export interface ChatOptions {
  /** The channel as a list already knows it, so the title shows before the channel is read. */
  known?: ChannelView | null;
  /** What the user may do here changed, or they lost the channel: the lists around it are stale. */
  onAccessChanged?: () => void;
  /** Who can be @mentioned here: the community's members (a conversation's participants by default). */
  people?: () => readonly Person[];
}

export const ChatModel = createModel(
  (channelId: string, session: Session, encryption: Encryption, options: ChatOptions = {}) => {
    const ownUserId = session.user.peek()?.id ?? "";
    const channel = signal<ChannelView | null>(options.known ?? null);
    /** Permission names from the room (welcome, then each change); the channel's own until the socket says. */
    const permissions = signal<string[] | null>(options.known?.myPermissions ?? null);
    /** Set once the user cannot see this channel (any more): nothing more is sent or received. */
    const accessProblem = signal<string | null>(null);
    const entries = signal<TimelineEntry[]>([]);
    const status = signal<ConnectionStatus>("connecting");
    /** Something the user should know about: a failed history load, a refused change, a lost connection's cause. */
    const problem = signal<string | null>(null);
    const draft = signal("");
    /** The message the composer's next message replies to. */
    const replyingTo = signal<number | null>(null);
    const pages = createMessagePages(channelId, session);
    const resumePoint = createResumePoint();
    const typists = createTypingIndicator();
    const requests = createPendingRequests((frame) => void socket.send(frame));
    const typing = createTypingAnnouncer(() => socket.send({ type: "typing" }));
    const bounds = computed(() => timelineBounds(entries.value));
    const can = (name: string) => permissions.value?.includes(name) ?? false;
    const people = () => options.people?.() ?? channel.peek()?.participants ?? [];
    /** A sender's name by their user id (which the envelope's signature vouches for), not the server's string. */
    const nameOf = (userId: string) => people().find((person) => person.userId === userId)?.username;
    let lastResume = 0;
    let resumeTimer: ReturnType<typeof setTimeout> | undefined;
    /** The first welcome's lastEvent: where catching up starts until a first catch-up is done. */
    let firstWelcomeEvent: number | undefined;
    /** The channel was left: see the cleanup at the end. */
    let isLeaving = false;
    const crypto = createChannelCrypto(channelId, encryption, (reopened) => {
      // Keys arrived for messages that could not be read: show them now.
      const held = new Set(entries.peek().map((entry) => entry.key));
      const known = reopened.filter((message) => held.has(entryKey(message.senderId, message.clientId)));
      entries.value = upsertEntries(
        entries.peek(),
        known.map((message) => storedEntry(message, ownUserId, false, crypto.readingOf, nameOf)),
      );
    });
    const { seal, afterOpening } = crypto;
    const merge = (messages: readonly MessageView[], isInTimeline: boolean): Promise<void> =>
      afterOpening(messages, () => {
        if (messages.length > 0) {
          entries.value = mergeStored(entries.value, messages, ownUserId, isInTimeline, crypto.readingOf, nameOf);
        }
      });
    /** Socket views: see `mergeLive` for what is left out. */
    const receiveViews = (messages: readonly MessageView[]) =>
      void afterOpening(messages, () => {
        entries.value = mergeLive(entries.value, messages, ownUserId, crypto.readingOf, nameOf);
      });

    /** The room refused a payload sealed in an epoch the group has left: catch up, seal again, send again. */
    async function sealAgain(clientId: string): Promise<void> {
      const pending = requests.get(clientId);
      if (!pending || !("payload" in pending.frame)) return;
      try {
        const payload = await crypto.sealAgain(pending.frame.payload);
        if (payload) requests.replace({ ...pending.frame, payload });
      } catch (caught) {
        if (pending.frame.type === "send") outgoing.fail(clientId, describeError(caught));
      }
    }
    const find = (seq: number) => findBySeq(entries.peek(), seq);

    /** The channel's settings (name, archived, read-only, slow mode), re-read whenever permissions change. */
    async function loadChannel(): Promise<void> {
      try {
        const answer = await session.request<{ channel: ChannelView }>(
          `/api/channels/${encodeURIComponent(channelId)}`,
        );
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
      for (const clientId of requests.clientIds()) outgoing.fail(clientId, reason);
      options.onAccessChanged?.();
    }

    function resume(afterEvent: number): void {
      clearTimeout(resumeTimer);
      lastResume = afterEvent;
      socket.send({ type: "resume", afterEvent });
    }

    function refused(frame: Extract<ServerFrame, { type: "error" }>): void {
      const { clientId } = frame;
      if (!clientId) {
        // A catch-up that stopped part-way (or a refused resume) is asked for again from where it started.
        const isTransient = frame.code === "unavailable" || frame.code === "internal" || frame.code === "rate_limited";
        if (isTransient && !resumePoint.isSynced()) {
          clearTimeout(resumeTimer); // several such errors ask for one resume, not one each
          resumeTimer = setTimeout(() => resume(lastResume), RESUME_RETRY_MS);
        }
        // Typing and read frames are hints: one refused for going too fast is not worth a word.
        else if (frame.code !== "rate_limited") problem.value = frame.message;
        return;
      }
      const pending = requests.get(clientId);
      if (!pending) return;
      if (frame.code === "unavailable" || frame.code === "rate_limited") return requests.retryLater(clientId);
      if (frame.code === "stale_epoch") return void sealAgain(clientId);
      // missing_permission, slow_mode and the rest: resending by itself would only be refused again.
      if (pending.frame.type === "send") return outgoing.fail(clientId, frame.message);
      requests.settle(clientId);
      // A deletion repeated after a reconnect finds its message already gone: the first one worked.
      if (pending.frame.type === "delete" && pending.isRepeat && frame.code === "no_such_message") return;
      problem.value = `${REFUSED_CHANGE_WORDS[pending.frame.type]}: ${frame.message}`;
    }

    /** Once the channel is left, its socket only sees the person's requests through. */
    function receiveWhileLeaving(frame: ServerFrame): void {
      if (frame.type === "welcome") requests.resendAll();
      else if (frame.type === "ack" || frame.type === "done") requests.settle(frame.clientId);
      // Only answers to the person's requests: a catch-up is no longer wanted.
      else if (frame.type === "error" && frame.clientId) refused(frame);
      else if (frame.type === "frames") frame.frames.forEach(receiveWhileLeaving);
    }

    function receive(frame: ServerFrame): void {
      if (isLeaving) return receiveWhileLeaving(frame);
      switch (frame.type) {
        case "welcome": {
          // After a reconnect the room may tell of a change whose own frame was missed while offline.
          const previous = permissions.peek();
          permissions.value = frame.permissions;
          if (previous !== null && !isSameSet(previous, frame.permissions)) {
            void loadChannel();
            options.onAccessChanged?.();
          }
          resumePoint.connected();
          const held = resumePoint.held();
          // First connection: the newest page, read after the welcome, holds everything up to
          // its lastEvent; later changes come live. Every later connection catches up from what it
          // holds, or, when the first dropped before its catch-up was done, from that first welcome
          // (the changes since to messages older than the newest page are in no page read again).
          if (held === null) void history.loadNewest();
          firstWelcomeEvent ??= frame.lastEvent;
          resume(held ?? firstWelcomeEvent);
          requests.resendAll();
          reading.reconnected();
          // Commits may have been missed while offline; and the group may want this device's changes.
          void crypto.ensure();
          return;
        }
        case "permissions":
          // A role, a time-out or a channel setting changed: the reason may be in the channel's settings.
          permissions.value = frame.permissions;
          void loadChannel();
          options.onAccessChanged?.();
          void crypto.ensure();
          return;
        case "ack":
        case "done":
          requests.settle(frame.clientId);
          outgoing.stored(frame.clientId);
          resumePoint.live(frame.message.event);
          return receiveViews([frame.message]);
        case "message":
          typists.stopped(frame.message.senderId);
          resumePoint.live(frame.message.event);
          return receiveViews([frame.message]);
        case "update":
          resumePoint.live(frame.message.event);
          return receiveViews([frame.message]);
        case "sync":
          // Catch-up pages may be overtaken by live frames: they fill in, but only `synced` moves the resume point.
          return receiveViews(frame.messages);
        case "synced":
          if (frame.hasMore) {
            // Too far behind for one catch-up: go on from where this one stopped.
            resumePoint.partlySynced(frame.lastEvent);
            return resume(frame.lastEvent);
          }
          return resumePoint.synced(frame.lastEvent);
        case "typing":
          // The user's other tabs type too; that is not news to them.
          if (frame.userId !== ownUserId) typists.heard(frame.userId, frame.username);
          return;
        case "read":
          return reading.heard(frame.seq);
        case "error":
          return refused(frame);
        case "handshake":
          return void crypto.handshake(frame.commit, frame.epoch);
        case "call.joined":
        case "call.roster":
        case "call.signal":
        case "call.speaking":
        case "call.left":
        case "call.ended":
          // The call model keeps a socket of its own (models/calls/), so a call outlives the open channel.
          return;
        case "frames":
          // The socket unpacks batches (channel-socket.ts); one passed on whole is handled the same.
          return frame.frames.forEach(receive);
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
    const reading = createReadMarker(
      computed(() => bounds.value?.newest ?? null),
      (seq) => socket.send({ type: "read", seq }),
    );
    const actions = createMessageActions({
      ownUserId,
      find,
      request(change: ChangeRequest) {
        if (!accessProblem.peek()) requests.add({ ...change, clientId: newClientId() } as Request);
      },
      fail(reason) {
        problem.value = reason;
      },
      seal,
      // The proof readers check before saying "deleted by its sender".
      sealDeletion: (seq) => encryption.run((device) => device.sealDeletion(channelId, seq)),
    });
    const panels = createSidePanels({ pages, entries, merge });
    const history = createHistoryBrowsing({
      pages,
      entries,
      bounds,
      merge: (messages) => merge(messages, true),
      openThread: (rootSeq) => void panels.openThread(rootSeq),
      problem,
    });
    const outgoing = createOutgoingMessages({
      ownUserId,
      ownUsername: () => session.user.peek()?.username ?? "",
      entries,
      requests,
      people,
      canMentionEveryone: () => can("MENTION_EVERYONE"),
      problem,
      seal,
    });
    // History keys for newcomers go out like a message, under a client id of their own, and are not shown.
    crypto.onShareHistory((content) => {
      void seal(content).then(
        (payload) =>
          requests.add({ type: "send", clientId: `${HISTORY_SHARE_CLIENT_ID_PREFIX}${newClientId()}`, payload }),
        (caught: unknown) =>
          (problem.value = `earlier messages could not be shared with newcomers: ${describeError(caught)}`),
      );
    });
    // Another device was set up or signed out, a Welcome waits, the device was unlocked: look at the group again.
    effect(() => {
      void encryption.changes.value;
      void encryption.state.value;
      void crypto.ensure();
    });
    // The device's search index follows what arrives, is edited or deleted here (search/).
    effect(() => publishTimeline(channelId, entries.value));
    /** The files waiting in the composer: they outlive this model, as their uploads do. */
    const attachments = attachmentDraftsFor(session, channelId);
    const submit = (text: string, placement: Placement, files: readonly OutgoingFile[] = []) => {
      if (accessProblem.peek() || !outgoing.submit(text, placement, files)) return false;
      typing.sent();
      return true;
    };
    // Disposing the model (leaving the channel) runs this cleanup. What the person sent and has
    // not seen acknowledged goes on over this socket (again after every reconnect) until it is
    // answered, for up to LINGER_MS: leaving a channel while offline loses no message.
    effect(() => () => {
      isLeaving = true;
      typists.dispose();
      clearTimeout(resumeTimer);
      const close = () => {
        clearTimeout(lingering);
        clearTimeout(resumeTimer);
        socket.close();
        requests.dispose();
      };
      const lingering = setTimeout(close, LINGER_MS);
      // Messages still uploading their files are sent once they are stored, then answered.
      void outgoing
        .whenHandedOver()
        .then(() => requests.whenSettled())
        .then(close);
    });
    void loadChannel();
    // Shown at once; read again after the room's welcome, which is what the catch-up builds on.
    void history.loadNewest();

    return {
      channel,
      /** End-to-end encryption here: its status, how many may read, and what went wrong. */
      encryption: crypto,
      /** Whom the person verified, or saw change their account key, by user id. */
      trust: encryption.people,
      /** The people whose names this channel shows (the community's members, or the conversation's). */
      people,
      /** The name to show for a sender: the people list's, or the server's word for someone not in it. */
      senderNameOf: (entry: Pick<TimelineEntry, "senderId" | "senderName">) =>
        nameOf(entry.senderId) ?? entry.senderName,
      permissions,
      accessProblem,
      /** Until the room says otherwise, assume the user may write: the composer is not disabled on a guess. */
      canSend: computed(() => permissions.value?.includes("SEND_MESSAGES") ?? true),
      /** The same for files: the attach button is not disabled on a guess. */
      canAttach: computed(() => permissions.value?.includes("ATTACH_FILES") ?? true),
      canReact: computed(() => can("ADD_REACTIONS")),
      canManageMessages: computed(() => can("MANAGE_MESSAGES")),
      /** In a conversation both people may pin; in a community it takes MANAGE_MESSAGES. */
      canPin: computed(() => (channel.value?.communityId === null ? can("SEND_MESSAGES") : can("MANAGE_MESSAGES"))),
      entries,
      /** The files messages here carry, decrypted as they are shown; freed when the channel is left. */
      files: createFileCache(session),
      rows: computed(() => mainListRows(entries.value)),
      /** The files waiting in the composer, uploading as the caption is written. */
      attachments,
      /** The files of the person's messages still on their way, by client id, with their progress. */
      outgoingFiles: outgoing.files,
      status,
      problem,
      draft,
      replyingTo,
      typingNames: typists.names,
      history,
      actions,
      panels,
      setDraft(text: string) {
        draft.value = text;
        if (text.trim()) typing.typed();
      },
      /** Sends the draft and its files (as a reply, when one was chosen); false (with `problem` set) when it cannot go. */
      send(): boolean {
        // A file the server refused must be removed or tried again: the message would only fail.
        const blocker = attachments.blocker();
        if (blocker) {
          attachments.refuse(blocker);
          return false;
        }
        const placement = { replyToSeq: replyingTo.value, threadRootSeq: null };
        if (!submit(draft.value, placement, attachments.outgoing())) return false;
        attachments.clear();
        draft.value = "";
        replyingTo.value = null;
        return true;
      },
      replyTo(seq: number) {
        actions.closeMenus();
        replyingTo.value = seq;
      },
      cancelReply() {
        replyingTo.value = null;
      },
      setThreadDraft(text: string) {
        panels.threadDraft.value = text;
        if (text.trim()) typing.typed();
      },
      sendToThread(): boolean {
        const rootSeq = panels.threadRootSeq.value;
        if (rootSeq === null) return false;
        if (!submit(panels.threadDraft.value, { replyToSeq: null, threadRootSeq: rootSeq })) return false;
        panels.threadDraft.value = "";
        return true;
      },
      /** Sends a failed message again, under its old client id. */
      retry(clientId: string) {
        if (!accessProblem.peek()) outgoing.retry(clientId);
      },
      /** Takes back a message not sent (failed, or still uploading): its text returns to an empty composer. */
      discard(clientId: string) {
        const text = outgoing.discard(clientId);
        if (text && !draft.peek().trim()) draft.value = text;
      },
      dismissProblem() {
        problem.value = null;
      },
    };
  },
);

export type Chat = InstanceType<typeof ChatModel>;

function isSameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name));
}

function assertNever(value: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(value)}`);
}
