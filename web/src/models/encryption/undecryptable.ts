/**
 * Why a message cannot be read on this device, in the words the timeline shows: at
 * once, never an endless "Decrypting…". The cause is found from what the device knows
 * (locked until the recovery key is entered, no key and no backup, not yet added to
 * the channel's group, sent before it joined) and from the device's own reason for
 * anything else (a changed key, a failed integrity check, a replay).
 */
import type { EncryptionState } from "./encryption.ts";

export type UndecryptableCause =
  /** The account's keys are in the backup: the recovery key brings them (and the history) here. */
  | "locked"
  /** No device holds them and there is no backup. */
  | "lost"
  /** This device waits to be added to the channel's group by a member's device. */
  | "waiting"
  /** The device is in the group, and holds no key from before it joined. */
  | "before-joined"
  /** Encryption could not start on this device. */
  | "failed"
  /** The device's own reason (a changed key, a replay, an integrity check). */
  | "other";

export interface Undecryptable {
  cause: UndecryptableCause;
  /** What the timeline shows in place of the message. */
  words: string;
}

export interface UndecryptableContext {
  state: EncryptionState["kind"];
  /** The open channel's status: "waiting" while no member's device has added this one yet. */
  channelStatus: string;
  /** The device's reason, when it tried (null: it could not try yet). */
  deviceReason: string | null;
}

const NO_KEY = "this device holds no key for it";

const WORDS: Record<Exclude<UndecryptableCause, "other" | "failed">, string> = {
  locked: "Enter your recovery key to read your history",
  lost: "Cannot be read: the keys were lost (this account had no recovery key when it was sent)",
  waiting: "Waiting for a member’s device to share the keys: open Chatalot on a device that was here",
  "before-joined": "Sent before this device joined: a member’s device that was here shares the keys when it is online",
};

/** Why a message cannot be read here (null: it is still being opened, which takes moments). */
export function whyUndecryptable(context: UndecryptableContext): Undecryptable | null {
  if (context.state === "locked") return { cause: "locked", words: WORDS.locked };
  if (context.state === "unrecoverable") return { cause: "lost", words: WORDS.lost };
  if (context.state === "failed") return { cause: "failed", words: "Cannot be read: encryption could not start here" };
  if (context.channelStatus === "waiting") return { cause: "waiting", words: WORDS.waiting };
  if (context.deviceReason === NO_KEY) return { cause: "before-joined", words: WORDS["before-joined"] };
  if (context.deviceReason === null) return null;
  return { cause: "other", words: `This message cannot be read on this device: ${context.deviceReason}.` };
}

/** The cause behind words this module wrote (the timeline carries only the words). */
export function undecryptableCauseOf(words: string): UndecryptableCause {
  const known = Object.entries(WORDS).find(([, text]) => text === words);
  if (known) return known[0] as UndecryptableCause;
  return words.startsWith("Cannot be read: encryption") ? "failed" : "other";
}
