/**
 * Who is in a channel's MLS group, read from the group's own ratchet tree (which every
 * member agrees on), not from what the server says: the roster by device, what a step
 * changed, and the refusals a device makes when a step brings in someone it must not
 * accept. The server can still propose anything; a member's device decides.
 */
import { nodeTypes, type ClientState } from "ts-mls";
import { credentialOwner } from "./mls-device.ts";

/** A device in a group and the person it belongs to. */
export interface RosterEntry {
  userId: string;
  deviceId: string;
}

/** One change of a group's roster, as its commit made it: shown in the channel's timeline. */
export interface RosterChange {
  channelId: string;
  /** The epoch the change led to. */
  epoch: bigint;
  /** When it was committed (the log's time; the time it arrived for a live one), ms. */
  at: number;
  /** Who made it (the committing device), when this device knows. */
  by: RosterEntry | null;
  added: RosterEntry[];
  removed: RosterEntry[];
}

/** A step this device refused to take or take part in, and why, in words a person understands. */
export interface Refusal {
  channelId: string;
  userId: string;
  deviceId: string | null;
  reason: string;
  at: number;
  /** Set when this device founded the group again because of it (the channel goes on). */
  isRefounding?: boolean;
}

/** Thrown when a commit or Welcome brings in someone this device must not accept: the step is not taken. */
export class RefusedChange extends Error {
  readonly refusal: Refusal;
  constructor(refusal: Refusal) {
    super(refusal.reason);
    this.refusal = refusal;
  }
}

/** Every member device of the group, by device id, with its person (from the credentials in the tree). */
export function rosterOf(state: ClientState): Map<string, RosterEntry & { leaf: number }> {
  const roster = new Map<string, RosterEntry & { leaf: number }>();
  state.ratchetTree.forEach((node, index) => {
    if (node?.nodeType !== nodeTypes.leaf) return;
    const owner = credentialOwner(node.leaf.credential);
    if (owner) roster.set(owner.deviceId, { ...owner, leaf: index / 2 });
  });
  return roster;
}

/** The people in the group. */
export function usersOf(state: ClientState): Set<string> {
  return new Set([...rosterOf(state).values()].map((entry) => entry.userId));
}

/** What a step changed between two states of one group. */
export function rosterDiff(
  before: ClientState | null,
  after: ClientState,
): { added: RosterEntry[]; removed: RosterEntry[] } {
  const old = before ? rosterOf(before) : new Map<string, RosterEntry>();
  const now = rosterOf(after);
  const plain = ({ userId, deviceId }: RosterEntry): RosterEntry => ({ userId, deviceId });
  return {
    added: [...now.values()].filter((entry) => !old.has(entry.deviceId)).map(plain),
    removed: [...old.values()].filter((entry) => !now.has(entry.deviceId)).map(plain),
  };
}
