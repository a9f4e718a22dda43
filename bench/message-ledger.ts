/**
 * What a session sent and what became of each message: acked or refused, and how
 * many other members it reached. From it come the integrity counts: every acked
 * message must reach every other member of its channel exactly once, and a refused
 * one nobody.
 */

interface Entry {
  sentAt: number;
  ackedAt: number | undefined;
  isFailed: boolean;
  channel: number;
  /** The sending member's index. */
  from: number;
  deliveries: number;
}

export interface LedgerCounts {
  sent: number;
  acked: number;
  failed: number;
  /** Neither acked nor refused (yet). */
  pending: number;
  /** Relays owed for acked messages: acked x (members per channel - 1). */
  expected: number;
  delivered: number;
  /** Relays of refused or unknown messages, duplicates, relays back to the sender. */
  unexpected: number;
}

export class MessageLedger {
  #entries = new Map<string, Entry>();
  /** Frames that matched no entry, counted as they arrive. */
  #strays = 0;

  recordSend(clientId: string, sentAt: number, channel: number, from: number): void {
    this.#entries.set(clientId, { sentAt, ackedAt: undefined, isFailed: false, channel, from, deliveries: 0 });
  }

  /** The send latency in ms, or undefined for an ack we did not expect. */
  recordAck(clientId: string, from: number, now: number): number | undefined {
    const entry = this.#entries.get(clientId);
    if (!entry || entry.from !== from || entry.ackedAt !== undefined || entry.isFailed) {
      this.#strays++;
      return undefined;
    }
    entry.ackedAt = now;
    return now - entry.sentAt;
  }

  /** Whether the refusal settled a message that was still waiting. */
  recordRefusal(clientId: string): boolean {
    const entry = this.#entries.get(clientId);
    if (!entry || entry.ackedAt !== undefined || entry.isFailed) return false;
    entry.isFailed = true;
    return true;
  }

  /** Whether the relay is one we expected (right channel, not back to its sender). */
  recordRelay(clientId: string, channel: number, receiver: number): boolean {
    const entry = this.#entries.get(clientId);
    if (!entry || entry.channel !== channel || entry.from === receiver) {
      this.#strays++;
      return false;
    }
    entry.deliveries++;
    return true;
  }

  counts(membersPerChannel: number): LedgerCounts {
    const others = membersPerChannel - 1;
    const counts: LedgerCounts = {
      ...{ sent: 0, acked: 0, failed: 0, pending: 0, expected: 0, delivered: 0 },
      unexpected: this.#strays,
    };
    for (const entry of this.#entries.values()) {
      counts.sent++;
      if (entry.isFailed) {
        counts.failed++;
        counts.unexpected += entry.deliveries; // a refused message must not be relayed
      } else if (entry.ackedAt === undefined) counts.pending++;
      else {
        counts.acked++;
        counts.expected += others;
        counts.delivered += Math.min(entry.deliveries, others);
        counts.unexpected += Math.max(0, entry.deliveries - others); // duplicates
      }
    }
    return counts;
  }

  /** Messages still waiting for an ack or an error frame, and how far they got. */
  describePending(limit: number): string[] {
    const now = performance.now();
    return [...this.#entries.entries()]
      .filter(([, entry]) => entry.ackedAt === undefined && !entry.isFailed)
      .slice(0, limit)
      .map(
        ([clientId, entry]) =>
          `no ack for ${clientId} after ${Math.round(now - entry.sentAt)} ms (relayed to ${entry.deliveries} others)`,
      );
  }
}
