/**
 * One open channel's encryption: makes this device a member of the channel's MLS
 * group (and commits what the server says the group lacks or holds too many of),
 * seals what the user sends, and opens what arrives. Each envelope is opened once
 * and remembered; one that cannot be read yet is tried again when keys arrive.
 * Encryption is sticky: a conversation, or a channel that has (or had) a group, is
 * never sent to in clear whatever the server says; only a community channel that
 * never had a group and more readers than encryption supports carries plain
 * payloads, once the person confirmed it, and they are shown as not encrypted.
 */
import { computed, effect, signal } from "@preact/signals";
import { z } from "zod";
import {
  attachmentSchema,
  type Attachment,
  type CallRecordContent,
  type MessageContent,
  type Refusal,
} from "../../../../e2ee/index.ts";
import { base64ToBytes, bytesToBase64, type MessageView } from "../../../../protocol/index.ts";
import { describeError } from "../api-client.ts";
import { channelPolicyOf } from "./channel-policy-check.ts";
import type { Encryption } from "./encryption.ts";
import { whyUndecryptable } from "./undecryptable.ts";

export type ChannelCryptoStatus =
  | "starting"
  /** The device is in the group: messages are sealed and opened. */
  | "encrypted"
  /** The group exists, and no member's device has added this one yet. */
  | "waiting"
  /** More people may read the channel than end-to-end encryption supports, and it never had a group. */
  | "unencrypted"
  /** The device is locked (recovery key needed) or failed. */
  | "unavailable";

/** What the reader sees of a message: its text, or why it cannot be shown. */
export type Reading =
  | {
      kind: "text";
      text: string;
      /** The files it carries, as its sender sealed them (absent: none). */
      attachments?: readonly Attachment[];
      isEncrypted: boolean;
      /** The time its sender sealed (null: an older app's message, or not end-to-end). */
      sealedAt?: string | null;
      /** Where the server's account differs from what the sender sealed (reply, thread, order), in words. */
      warnings?: string[];
    }
  /** A call in a conversation, recorded by its caller's client when it ended: shown as a call line. */
  | { kind: "call"; call: CallRecordContent }
  /** History keys shared with newcomers: not shown. */
  | { kind: "hidden" }
  /** A deleted message: who removed it, as far as this device can tell (`E2eeDevice.open`), in words. */
  | { kind: "removed"; removedBy: RemovedBy; words: string }
  | { kind: "unreadable"; reason: string }
  | { kind: "opening" };

export type RemovedBy = "sender" | "moderator" | "someone else";

const OPENING: Reading = { kind: "opening" };

export function createChannelCrypto(
  channelId: string,
  encryption: Encryption,
  onReopened: (messages: readonly MessageView[]) => void,
) {
  const status = signal<ChannelCryptoStatus>("starting");
  const readers = signal<number | null>(null);
  const problem = signal<string | null>(null);
  /** In a channel that is not end-to-end encrypted: the person said to send in clear anyway. */
  const isPlainConfirmed = signal(false);
  /** Changes of the group's roster taken here, from the commits themselves (the timeline shows them). */
  const rosterChanges = computed(() =>
    encryption.rosterChanges.value.filter((change) => change.channelId === channelId),
  );
  /** Steps this device refused (someone added it must not accept). */
  const refusals = signal<readonly Refusal[]>([]);
  /** Who is in the group by its tree: each person's devices. */
  const roster = signal<readonly { userId: string; deviceId: string }[]>([]);
  /**
   * Readings by payload; the seq that first carried each payload (a copy under another
   * seq is a replay), and the reply and thread the server showed it with: the warnings
   * compare those with what the sender sealed, so a view that moves it is opened again.
   */
  const readings = new Map<string, { seq: number; reading: Reading; placement: string }>();
  const isOpened = (message: MessageView) => {
    const known = readings.get(message.payload);
    return known !== undefined && (known.seq !== message.seq || known.placement === placementOf(message));
  };
  /** Who removed each deleted message, by seq (a tombstone's payload is its proof, or empty). */
  const removals = new Map<number, Reading>();
  const unreadable = new Map<string, MessageView>();
  /** The content behind each payload sealed here: sealed again if the epoch moves on before it is stored. */
  const sealedContent = new Map<string, MessageContent>();
  /** Opening messages and applying commits, one after another in the order they came. */
  let order: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(work: () => Promise<T>): Promise<T> => {
    const step = order.then(work);
    order = step.catch(() => undefined);
    return step;
  };
  let isEnsuring = false;
  let isEnsureWanted = false;

  const isEndToEnd = () => status.peek() !== "unencrypted";
  const isSealable = () =>
    status.peek() === "encrypted" || (status.peek() === "unencrypted" && isPlainConfirmed.peek());
  /**
   * Resolves once messages can be sealed here: a message written while this device
   * waits to be added (or is locked) stays pending, shown as sending, until then.
   */
  const sealable = () =>
    new Promise<void>((resolve) => {
      const stop = effect(() => {
        void status.value;
        void isPlainConfirmed.value;
        if (!isSealable()) return;
        queueMicrotask(() => stop());
        resolve();
      });
    });

  /** Joins or starts the group, then commits what is pending; repeats if asked again meanwhile. */
  async function ensure(): Promise<void> {
    if (isEnsuring) {
      isEnsureWanted = true;
      return;
    }
    isEnsuring = true;
    try {
      do {
        isEnsureWanted = false;
        try {
          await ensureOnce();
        } catch (error) {
          // Asked again meanwhile (a Welcome, a commit arrived): that try goes ahead.
          problem.value = failure("encryption could not be set up for this channel", error);
        }
      } while (isEnsureWanted);
    } finally {
      isEnsuring = false;
    }
  }

  async function ensureOnce(): Promise<void> {
    if (encryption.state.peek().kind !== "ready") {
      status.value = encryption.state.peek().kind === "starting" ? "starting" : "unavailable";
      // Locked, or keys lost: what waits says why at once, not "Decrypting…".
      await reopen();
      return;
    }
    const shares = await encryption.run(async (device) => {
      const policy = await channelPolicyOf(device, channelId);
      readers.value = policy.readers;
      if (!policy.isEncrypted) {
        status.value = "unencrypted";
        return [];
      }
      try {
        const membership = await device.ensureMember(channelId);
        status.value = membership === "member" ? "encrypted" : "waiting";
        if (membership !== "member") return [];
        const { historyShares } = await device.applyPending(channelId);
        await device.rotateIfDue(channelId);
        return historyShares;
      } finally {
        refusals.value = device.refusalsOf(channelId);
        roster.value = device.rosterOf(channelId);
      }
    });
    problem.value = null;
    for (const share of shares) shareHistory(share);
    await reopen();
  }

  /** History keys for newcomers go out as a message like any other (hidden when read). */
  let shareHistory: (content: MessageContent) => void = () => undefined;

  /** Tries again every message that could not be read, now that keys may have arrived. */
  async function reopen(): Promise<void> {
    if (unreadable.size === 0) return;
    const messages = [...unreadable.values()];
    for (const message of messages) readings.delete(message.payload);
    unreadable.clear();
    await open(messages);
    onReopened(messages);
  }

  async function open(messages: readonly MessageView[]): Promise<void> {
    const deleted = messages.filter((message) => message.deletedAt !== null && !removals.has(message.seq));
    const fresh = messages.filter((message) => message.deletedAt === null && !isOpened(message));
    if (fresh.length === 0 && deleted.length === 0) return;
    if (encryption.state.peek().kind !== "ready") {
      const why = whyUndecryptable({
        state: encryption.state.peek().kind,
        channelStatus: status.peek(),
        deviceReason: null,
      });
      for (const message of fresh) {
        unreadable.set(message.payload, message);
        if (why) {
          const reading: Reading = { kind: "unreadable", reason: why.words };
          readings.set(message.payload, { seq: message.seq, reading, placement: placementOf(message) });
        }
      }
      for (const message of deleted) unreadable.set(tombstoneKey(message), message);
      return;
    }
    if (deleted.length > 0) await judgeRemovals(deleted);
    if (fresh.length === 0) return;
    /** Not opened now (the network, storage): shown as unreadable, and tried again with the rest. */
    const notYet = (message: MessageView, error: unknown) => {
      const reason = `This message could not be opened just now (${describeError(error)}): it is tried again.`;
      const reading: Reading = { kind: "unreadable", reason };
      readings.set(message.payload, { seq: message.seq, reading, placement: placementOf(message) });
      unreadable.set(message.payload, message);
    };
    await encryption
      .run(async (device) => {
        let sharedKeys = false;
        for (const message of fresh) {
          if (isOpened(message)) continue;
          let reading: Reading;
          if (!isEndToEnd()) reading = plainReading(message.payload);
          else {
            let opened: Awaited<ReturnType<typeof device.open>>;
            try {
              opened = await device.open(message);
            } catch (error) {
              notYet(message, error);
              continue;
            }
            if (opened.ok && opened.content.kind === "text") {
              reading = {
                kind: "text",
                text: opened.content.text,
                attachments: opened.content.attachments,
                isEncrypted: true,
                sealedAt: opened.context.sealed?.sentAt ?? null,
                warnings: opened.context.warnings,
              };
            } else if (opened.ok && opened.content.kind === "call") {
              reading = { kind: "call", call: opened.content };
            } else if (opened.ok) {
              reading = { kind: "hidden" };
              sharedKeys = true;
            } else {
              const why = whyUndecryptable({
                state: "ready",
                channelStatus: status.peek(),
                deviceReason: opened.reason,
              });
              reading = { kind: "unreadable", reason: why?.words ?? opened.reason };
              unreadable.set(message.payload, message);
            }
          }
          readings.set(message.payload, { seq: message.seq, reading, placement: placementOf(message) });
        }
        return sharedKeys;
      })
      .then(
        (sharedKeys) => (sharedKeys ? reopen() : undefined),
        (error: unknown) => {
          for (const message of fresh) if (!isOpened(message)) notYet(message, error);
        },
      );
  }

  /**
   * Who removed each deleted message. The device believes "its sender" only with the
   * deletion the sender's device sealed; in a channel that is not end to end there is
   * no seal to check, and the server's word is all there is.
   */
  async function judgeRemovals(deleted: readonly MessageView[]): Promise<void> {
    if (!isEndToEnd()) {
      for (const message of deleted) {
        const removedBy = message.deletedBy === message.senderId ? "sender" : "moderator";
        removals.set(message.seq, removal(removedBy, REMOVAL_WORDS[removedBy]));
      }
      return;
    }
    await encryption
      .run(async (device) => {
        for (const message of deleted) {
          const opened = await device.open(message);
          if (!opened.ok && opened.removedBy) removals.set(message.seq, removal(opened.removedBy, opened.reason));
        }
      })
      // Not judged now (the network, storage): the tombstone says only "deleted", and it is tried again.
      .catch(() => {
        for (const message of deleted) if (!removals.has(message.seq)) unreadable.set(tombstoneKey(message), message);
      });
  }

  /**
   * Why a step failed, in words. A member whose key changed and is not accepted yet
   * fails group steps that involve their new devices (on purpose: the key is not
   * trusted until compared), so that is what the person is told.
   */
  function failure(what: string, error: unknown): string {
    const refused = (error as { refusal?: Refusal } | null)?.refusal;
    if (refused) return `${refused.reason}. Messages here stay unsent until this is sorted out.`;
    if ([...encryption.people.peek().values()].includes("changed")) {
      return "a member’s account key changed (marked “key changed” beside their name): compare safety numbers with them in a conversation and accept it, then this channel goes on";
    }
    return `${what}: ${describeError(error)}`;
  }

  /** The payload for a `send` or `edit` frame: sealed in the group's current epoch, or plain when not end-to-end. */
  async function seal(content: MessageContent): Promise<string> {
    if (!isSealable()) void ensure();
    await sealable();
    const payload =
      status.peek() === "unencrypted"
        ? plainPayload(content)
        : await encryption.run((device) => device.seal(channelId, content));
    sealedContent.set(payload, content);
    return payload;
  }

  return {
    status,
    readers,
    problem,
    rosterChanges,
    refusals,
    roster,
    isPlainConfirmed,
    /** The person chose to send in clear in a channel that is not end-to-end encrypted. */
    confirmPlain() {
      isPlainConfirmed.value = true;
    },

    isReady: computed(() => status.value === "encrypted" || status.value === "unencrypted"),
    ensure,
    /** Where the history keys this device shares with newcomers are sent. */
    onShareHistory(send: (content: MessageContent) => void) {
      shareHistory = send;
    },
    /** Opens the messages (each payload once); resolves when their readings are known. */
    open,
    /** The reading of a message already opened. */
    readingOf(message: MessageView): Reading {
      if (message.deletedAt !== null) return removals.get(message.seq) ?? OPENING;
      const known = readings.get(message.payload);
      if (!known) return OPENING;
      if (known.seq !== message.seq)
        return {
          kind: "unreadable",
          reason: "This message cannot be read on this device: a replayed copy of another message.",
        };
      return known.reading;
    },
    seal,
    /**
     * The room refused `payload` as sealed in an epoch the group has left: the same
     * content sealed again once this device caught up (null when not sealed here).
     */
    async sealAgain(payload: string): Promise<string | null> {
      const content = sealedContent.get(payload);
      if (!content) return null;
      await ensure();
      return seal(content);
    },
    /** Opens the messages, then `apply` (merging them): in order with everything else opened or committed. */
    afterOpening: (messages: readonly MessageView[], apply: () => void): Promise<void> =>
      inOrder(async () => {
        // Merged whatever happened: a message that cannot be opened is shown as such, never dropped.
        try {
          await open(messages);
        } finally {
          apply();
        }
      }),
    /** A commit relayed by the room: applied before anything sealed after it is read; a gap is filled from the log. */
    handshake: (commit: string | undefined, epoch: number): Promise<void> =>
      inOrder(async () => {
        try {
          await encryption.run(async (device) => {
            if (!device.isMember(channelId)) return;
            // A large commit comes without its bytes: read from the log like a gap.
            if (commit && BigInt(epoch) === device.epochOf(channelId)) await device.processCommit(channelId, commit);
            else await device.catchUp(channelId);
            if (!device.isMember(channelId)) device.forget(channelId);
            roster.value = device.rosterOf(channelId);
          });
        } catch (error) {
          problem.value = failure("a change to this channel's encryption could not be applied", error);
          await encryption.run(async (device) => void (refusals.value = device.refusalsOf(channelId)));
        }
        await ensure();
      }),
  };
}

export type ChannelCrypto = ReturnType<typeof createChannelCrypto>;

/** A tombstone's words when the device did not give its own. */
const REMOVAL_WORDS: Record<RemovedBy, string> = {
  sender: "deleted by its sender",
  moderator: "removed by a moderator",
  "someone else": "removed by someone other than its sender",
};

/** Where the server shows a message: what it replies to and its thread. */
const placementOf = (message: MessageView) => `${message.replyToSeq}/${message.threadRootSeq}`;

/** Tombstones wait beside unreadable payloads under a key of their own (their payloads may all be empty). */
const tombstoneKey = (message: MessageView) => `deleted#${message.seq}`;

const removal = (removedBy: RemovedBy, words: string): Reading => ({ kind: "removed", removedBy, words });

/** A channel that is not end-to-end encrypted carries its content as UTF-8 JSON. */
function plainPayload(content: MessageContent): string {
  return bytesToBase64(new TextEncoder().encode(JSON.stringify(content)));
}

const plainAttachmentsSchema = z.array(attachmentSchema).min(1).max(10);

export function plainReading(payload: string): Reading {
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64ToBytes(payload))) as {
      kind?: unknown;
      text?: unknown;
      attachments?: unknown;
    };
    if (typeof value.text === "string") {
      // Files in a plain message are its sender's word as the server relayed it: checked like sealed ones.
      const files = plainAttachmentsSchema.safeParse(value.attachments);
      return {
        kind: "text",
        text: value.text,
        attachments: files.success ? files.data : undefined,
        isEncrypted: false,
      };
    }
  } catch {
    // an encrypted envelope in a channel that is no longer end-to-end encrypted
  }
  return { kind: "unreadable", reason: "This message is not in a form this app reads." };
}
