/**
 * The history keys a device holds for epochs of a channel it was not in: restored
 * from its own person's backup (only they could seal it, so trusted as is), and
 * offered by members' shares. Any member can send a share, so an offered key is
 * a candidate, not a fact: every candidate for an epoch is kept and tried, and one
 * that opens a message sealed in that epoch (the sender's signature and the AEAD
 * tag vouch for it) is kept as the epoch's key (and goes into the backup). A wrong
 * key shared first never blocks the right one: the others stay candidates.
 */
import { base64ToBytes } from "../protocol/base64.ts";
import { equalBytes } from "./mls-device.ts";

/** Candidates kept per epoch at most: a member flooding shares cannot make a reader try keys for ever. */
const CANDIDATES_PER_EPOCH_MAX = 8;

export class HistoryKeys {
  /** Proven or restored keys, by channel and epoch. */
  readonly restored = new Map<string, Map<bigint, Uint8Array>>();
  /** Keys offered by members' shares, not yet proven, by channel and epoch. */
  readonly offered = new Map<string, Map<bigint, Uint8Array[]>>();

  /** Keys from this person's own backup or groups this device left: trusted, kept where none is held. */
  keep(channelId: string, keys: Iterable<[bigint, Uint8Array]>): void {
    const kept = this.restored.get(channelId) ?? new Map<bigint, Uint8Array>();
    for (const [epoch, key] of keys) if (!kept.has(epoch)) kept.set(epoch, key);
    this.restored.set(channelId, kept);
  }

  /** Keys a member shared (base64 by decimal epoch): candidates for the epochs this device holds no key for. */
  offer(channelId: string, keys: Record<string, string>, isHeld: (epoch: bigint) => boolean): void {
    const offered = this.offered.get(channelId) ?? new Map<bigint, Uint8Array[]>();
    for (const [text, encoded] of Object.entries(keys)) {
      const epoch = BigInt(text);
      if (isHeld(epoch) || this.restored.get(channelId)?.has(epoch)) continue;
      const key = base64ToBytes(encoded);
      const candidates = offered.get(epoch) ?? [];
      if (candidates.length < CANDIDATES_PER_EPOCH_MAX && !candidates.some((known) => equalBytes(known, key))) {
        candidates.push(key);
      }
      offered.set(epoch, candidates);
    }
    this.offered.set(channelId, offered);
  }

  /** The keys to try for a message sealed in `epoch`: the restored or proven one first, then the other candidates. */
  candidates(channelId: string, epoch: bigint): Uint8Array[] {
    const restored = this.restored.get(channelId)?.get(epoch);
    const offered = this.offered.get(channelId)?.get(epoch) ?? [];
    return restored ? [restored, ...offered.filter((key) => !equalBytes(key, restored))] : offered;
  }

  /**
   * The keys of a channel's group that was founded again: kept under the pseudo channel
   * `${channelId}#g${generation}` (backups keep them apart by that name), since the new
   * group's epochs restart at 0. The channel's restored and offered keys were that
   * generation's too: they go with them.
   */
  archive(channelId: string, generation: number, keys: Iterable<[bigint, Uint8Array]>): void {
    const archived = archivedChannel(channelId, generation);
    this.keep(archived, keys);
    this.keep(archived, this.restored.get(channelId) ?? []);
    this.restored.delete(channelId);
    this.offered.delete(channelId);
  }

  /** The keys of earlier generations of the channel's group for `epoch`: an envelope names only its epoch. */
  archived(channelId: string, epoch: bigint): Uint8Array[] {
    return [...this.restored]
      .filter(([name]) => name.startsWith(`${channelId}#g`))
      .flatMap(([, keys]) => (keys.has(epoch) ? [keys.get(epoch)!] : []));
  }

  /** Whether this device keeps keys of an earlier generation of the channel's group. */
  hasArchived(channelId: string): boolean {
    return [...this.restored.keys()].some((name) => name.startsWith(`${channelId}#g`));
  }

  /** A candidate opened a message of its epoch: kept as that epoch's key (the backup holds it), the others still tried. */
  prove(channelId: string, epoch: bigint, key: Uint8Array): void {
    if (this.restored.get(channelId)?.has(epoch)) return;
    this.keep(channelId, [[epoch, key]]);
  }
}

/** Where the history keys of a channel's earlier group generation are kept. */
export function archivedChannel(channelId: string, generation: number): string {
  return `${channelId}#g${generation}`;
}
