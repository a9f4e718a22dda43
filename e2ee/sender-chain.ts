/**
 * Each sender device numbers its text messages in a channel, inside the sealed
 * content, so what a server does to their order shows to readers: a message left out
 * (a gap), two swapped (a reorder), one served again under another seq (a replay,
 * also to a device that never read the first copy).
 *
 * A link is (chain, counter, prior). The chain is random, new whenever a device
 * starts numbering a channel without saved state, so a lost count never looks like a
 * replay. `prior` is the highest counter of the chain the sender had seen stored when
 * it sealed: a message the server refused (slow mode, a send given up) was never
 * stored, so it is never reported missing. A reader reports a gap only when it saw
 * every seq between two messages of the device: pages loaded later, newest first,
 * never cry wolf; a lying server that closes the hole it made is caught.
 */
import { z } from "zod";
import { bytesToBase64 } from "../protocol/base64.ts";

export const chainLinkSchema = z.strictObject({
  chain: z.string().min(1).max(32),
  counter: z.number().int().positive(),
  prior: z.number().int().nonnegative(),
});
export type ChainLink = z.infer<typeof chainLinkSchema>;

/** A device's own numbering in one channel: kept with the device's saved state. */
export interface SendingState {
  chain: string;
  next: number;
  stored: number;
}
/** By channel id. */
export type SenderChainSnapshot = Record<string, SendingState>;

/** What a reader saw at one seq: the sender device and its link (null: not known, e.g. deleted). */
export interface SeenMessage {
  deviceId: string;
  link: ChainLink | null;
  /** False for messages outside the numbering (history keys shared with newcomers). */
  isCounted: boolean;
}

/** Past this many seqs between two messages, nobody claims to have seen them all. */
const GAP_CHECK_MAX_SEQS = 2000;

export class SenderChain {
  #sending = new Map<string, SendingState>();
  /** Content already given a link: sealed again (a stale epoch), it keeps it. */
  #stamped = new WeakMap<object, ChainLink>();
  #seen = new Map<string, Map<number, SeenMessage>>();

  snapshot(): SenderChainSnapshot {
    return Object.fromEntries([...this.#sending].map(([channelId, state]) => [channelId, { ...state }]));
  }

  load(snapshot: SenderChainSnapshot | undefined): void {
    for (const [channelId, state] of Object.entries(snapshot ?? {})) this.#sending.set(channelId, { ...state });
  }

  /** The next link of this device in the channel, for new text `content`. */
  next(channelId: string, content: object): ChainLink {
    const known = this.#stamped.get(content);
    if (known) return known;
    let sending = this.#sending.get(channelId);
    if (!sending) {
      sending = { chain: bytesToBase64(crypto.getRandomValues(new Uint8Array(9))), next: 1, stored: 0 };
      this.#sending.set(channelId, sending);
    }
    const link = { chain: sending.chain, counter: sending.next++, prior: sending.stored };
    this.#stamped.set(content, link);
    return link;
  }

  /** The link seen at `seq` from `deviceId` (an edit keeps its original's). */
  linkAt(channelId: string, deviceId: string, seq: number): ChainLink | null {
    const seen = this.#seen.get(channelId)?.get(seq);
    return seen?.deviceId === deviceId ? seen.link : null;
  }

  /**
   * Records what was seen at `seq` and returns what does not add up, in words.
   * `isOwn`: this device's own message, seen stored.
   */
  see(channelId: string, seq: number, seen: SeenMessage, isOwn = false): string[] {
    let here = this.#seen.get(channelId);
    if (!here) this.#seen.set(channelId, (here = new Map()));
    const before = here.get(seq);
    // A deletion or an unreadable edit does not forget where the message was.
    if (!seen.link && before?.link && before.deviceId === seen.deviceId) return [];
    here.set(seq, seen);
    const link = seen.link;
    if (!link) return [];
    const sending = this.#sending.get(channelId);
    if (isOwn && sending?.chain === link.chain) {
      sending.stored = Math.max(sending.stored, link.counter);
      sending.next = Math.max(sending.next, link.counter + 1);
    }
    const same = [...here]
      .filter(([other, message]) => other !== seq && message.deviceId === seen.deviceId)
      .flatMap(([other, message]) => (message.link?.chain === link.chain ? [{ seq: other, link: message.link }] : []));
    const warnings: string[] = [];
    for (const other of same) {
      if (other.link.counter === link.counter) {
        warnings.push("served again: a copy of a message its sender sent once, shown in another place");
      } else if (other.seq < seq !== other.link.counter < link.counter) {
        warnings.push(
          other.link.counter > link.counter
            ? "out of order: its sender sent it before a message the server shows ahead of it"
            : "out of order: its sender sent it after a message the server shows behind it",
        );
      }
    }
    if (warnings.length > 0) return [...new Set(warnings)];
    const previous = nearest(same, (other) => other.seq < seq, -1);
    if (previous && link.prior > previous.link.counter && this.#sawAllBetween(here, previous.seq, seq, seen.deviceId)) {
      warnings.push(`${missing(link.prior - previous.link.counter)} its sender sent before this one`);
    }
    const following = nearest(same, (other) => other.seq > seq, 1);
    if (
      following &&
      following.link.prior > link.counter &&
      this.#sawAllBetween(here, seq, following.seq, seen.deviceId)
    ) {
      warnings.push(`${missing(following.link.prior - link.counter)} its sender sent after this one`);
    }
    return warnings;
  }

  /** Every seq strictly between was seen, and none is one of the device's own of unknown place. */
  #sawAllBetween(here: Map<number, SeenMessage>, from: number, to: number, deviceId: string): boolean {
    if (to - from > GAP_CHECK_MAX_SEQS) return false;
    for (let seq = from + 1; seq < to; seq++) {
      const seen = here.get(seq);
      if (!seen || (seen.deviceId === deviceId && seen.isCounted && !seen.link)) return false;
    }
    return true;
  }
}

const missing = (count: number) =>
  count === 1 ? "missing: the server left out a message" : `missing: the server left out ${count} messages`;

/** The closest of `candidates` on one side (`direction` -1: below, 1: above). */
function nearest<T extends { seq: number }>(candidates: T[], isOnSide: (candidate: T) => boolean, direction: number) {
  return candidates.filter(isOnSide).sort((a, b) => direction * (a.seq - b.seq))[0];
}
