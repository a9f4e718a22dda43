/**
 * The MLS group steps of an end-to-end encrypting device: membership the server
 * proposes becomes commits once this device's own rules allow it; what other members
 * committed is processed in order, and refused when it brings in someone this device
 * must not accept (a device of someone outside a conversation, a device only a
 * replaced account key vouches for, a stranger joining by External Commit).
 */
import {
  contentTypes,
  createCommit,
  createGroup,
  createGroupInfoWithExternalPubAndRatchetTree,
  defaultProposalTypes,
  joinGroup,
  joinGroupExternal,
  processMessage,
  protocolVersions,
  senderTypes,
  wireformats,
  type ClientState,
  type KeyPackage,
  type MlsMessage,
} from "ts-mls";
import { base64ToBytes, bytesToBase64 } from "../protocol/base64.ts";
import type { ChannelView } from "../protocol/channels.ts";
import type { MlsCommitView, MlsGroupView, MlsPendingView, MlsWelcomeView } from "../protocol/mls.ts";
import { factsOf, type ChannelFacts } from "./channel-policy.ts";
import { RefusedChange, rosterDiff, rosterOf, usersOf, type Refusal, type RosterChange } from "./group-roster.ts";
import type { DeviceGroup, DeviceKeys, DeviceSnapshot, Submitted } from "./device-keys.ts";
import type { HistoryKeys } from "./history-keys.ts";
import { decodeState, encodeState } from "./mls-codec.ts";
import { failureOf, isRequestError } from "./transport.ts";
import { isRotationDue } from "./epoch-rotation.ts";
import type { MessageContent } from "./message-content.ts";
import { historyKeyOf } from "./message-crypto.ts";
import { deviceStanding, isCredentialRefused, newKeyPackage } from "./mls-device.ts";
import { decodeMlsMessage, encodeMlsMessage } from "./mls-codec.ts";

/** Where this device stands in a channel's group. */
export type Membership = "member" | "waiting";

/**
 * A device's membership of its channels' MLS groups, with the delivery service:
 * joining (Welcome, a new group, External Commit) or waiting to be added, catching
 * up on the handshake log, committing what the server says the group lacks or holds
 * too many of, rotating epochs.
 */
export class DeviceGroups {
  readonly groups = new Map<string, DeviceGroup>();
  readonly submitted = new Map<string, Submitted>();
  /** What this device knows of each channel from the first time it saw it (a conversation's people, pinned). */
  readonly facts = new Map<string, ChannelFacts>();
  /** Steps refused per channel, newest last: shown to the person. */
  readonly refusals = new Map<string, Refusal[]>();
  /** Saves the device's state now: called before each step sent to the delivery service (the browser sets it). */
  checkpoint: () => Promise<void> = async () => undefined;
  /** Told of every change of a group's roster this device takes (the web shows them in the timeline). */
  onRosterChange: (change: RosterChange) => void = () => undefined;

  readonly keys: DeviceKeys;
  readonly history: HistoryKeys;
  constructor(keys: DeviceKeys, history: HistoryKeys) {
    this.keys = keys;
    this.history = history;
  }

  load(snapshot: DeviceSnapshot): void {
    for (const group of snapshot.groups) {
      this.groups.set(group.channelId, {
        state: decodeState(group.state),
        historyKeys: new Map(group.historyKeys.map(([epoch, key]) => [BigInt(epoch), key])),
        rosters: new Map((group.rosters ?? []).map(([epoch, users]) => [BigInt(epoch), users])),
        generation: group.generation ?? 0,
      });
    }
    for (const [channelId, facts] of snapshot.facts ?? []) this.facts.set(channelId, facts);
    for (const entry of snapshot.submitted ?? []) {
      this.submitted.set(entry.channelId, {
        epoch: entry.epoch,
        commit: entry.commit,
        state: decodeState(entry.state),
      });
    }
  }

  /** Its part of the device's snapshot. */
  snapshot(): Pick<DeviceSnapshot, "groups" | "submitted" | "facts"> {
    return {
      groups: [...this.groups].map(([channelId, group]) => ({
        channelId,
        state: encodeState(group.state),
        historyKeys: [...group.historyKeys].map(([epoch, key]): [string, Uint8Array] => [String(epoch), key]),
        rosters: [...group.rosters].map(([epoch, users]): [string, string[]] => [String(epoch), users]),
        generation: group.generation,
      })),
      facts: [...this.facts],
      submitted: [...this.submitted].map(([channelId, entry]) => ({
        channelId,
        epoch: entry.epoch,
        commit: entry.commit,
        state: encodeState(entry.state),
      })),
    };
  }

  /** Every history key this device holds for the channel by epoch: its group's, then restored ones. */
  historyKeysOf(channelId: string): Map<bigint, Uint8Array> {
    return new Map([
      ...(this.history.restored.get(channelId) ?? []),
      ...(this.groups.get(channelId)?.historyKeys ?? []),
    ]);
  }

  /** The channel's group as the delivery service holds it, with the handshake log from `fromEpoch`. */
  async groupOf(channelId: string, fromEpoch = 0n): Promise<{ group: MlsGroupView | null; commits: MlsCommitView[] }> {
    return this.keys.transport.request("GET", `/api/channels/${channelId}/mls?fromEpoch=${fromEpoch}`);
  }

  /** Whether this device is in the channel's group (an active member). */
  isMember(channelId: string): boolean {
    return this.groups.get(channelId)?.state.groupActiveState.kind === "active";
  }

  /** The epoch this device is in for the channel, or null. */
  epochOf(channelId: string): bigint | null {
    return this.groups.get(channelId)?.state.groupContext.epoch ?? null;
  }

  /**
   * What this device knows of the channel: on first sight read from the channel's view
   * and kept (a conversation's people are pinned then: the server cannot add anyone
   * later); afterwards what was kept, whatever the server says now.
   */
  async factsOf(channelId: string, options: { refresh?: boolean } = {}): Promise<ChannelFacts> {
    const known = this.facts.get(channelId);
    if (known && !options.refresh) return known;
    const { channel } = await this.keys.transport.request<{ channel: ChannelView }>(
      "GET",
      `/api/channels/${channelId}`,
    );
    const seen = factsOf(channel);
    // Whether it is a conversation, and its people, stay as first seen; a community
    // channel's newcomer setting is its managers' to change (docs/e2ee.md: what remains).
    const facts = known
      ? {
          ...known,
          history: known.isConversation ? known.history : seen.history,
          // A conversation's kind never changes; facts kept before it was noted take it once.
          // Not the server's word for facts kept before: a pin of more than two people is a group.
          isGroup: known.isGroup ?? (known.participants?.length ?? 0) > 2,
        }
      : seen;
    this.facts.set(channelId, facts);
    return facts;
  }

  /**
   * The person added these people to a group conversation from this device: its pinned
   * people grow by them, so this device adds their devices (`applyPending`) and the other
   * members take that commit, signed by a member, under `admit`'s rule. Only ever called
   * on the person's own action, never on the server's word.
   */
  async welcomeToConversation(channelId: string, userIds: readonly string[]): Promise<void> {
    const facts = await this.factsOf(channelId);
    if (!facts.isGroup || !facts.participants) throw new Error("people can only be added to a group conversation");
    this.facts.set(channelId, { ...facts, participants: [...new Set([...facts.participants, ...userIds])] });
  }

  /**
   * Makes this device a member of the channel's group when it can by itself: catches
   * up if it is one; joins by a Welcome waiting for it; starts the group when the
   * channel has none; joins by External Commit when another device of the same person
   * is a member (their backup holds the history; the members accept such a join from
   * a further device of someone already in the group, and no other). Otherwise it
   * waits for a member's device to add it (the pending list names it).
   */
  async ensureMember(channelId: string): Promise<Membership> {
    await this.factsOf(channelId);
    await this.resumeSubmitted(channelId);
    if (this.groups.has(channelId)) {
      await this.catchUp(channelId);
      if (this.isMember(channelId)) return "member";
      this.forget(channelId);
    }
    await this.acceptWelcomes();
    if (this.isMember(channelId)) return "member";
    const { group } = await this.groupOf(channelId);
    if (!group) {
      if (await this.startGroup(channelId)) return "member";
      return this.ensureMember(channelId);
    }
    const directory = await this.keys.directory(this.keys.userId);
    // Devices certified by a key the person replaced cannot vouch for this one: wait to be added instead.
    const ownDevices = new Set(
      directory?.devices.filter((device) => device.isSignedByCurrentKey).map((device) => device.deviceId) ?? [],
    );
    const hasOwnDevice = group.memberDeviceIds.some((id) => id !== this.keys.deviceId && ownDevices.has(id));
    if (!hasOwnDevice) return "waiting";
    await this.joinExternally(channelId);
    return "member";
  }

  /** Starts the channel's group with this device alone (epoch 0); false when another device started it first. */
  async startGroup(channelId: string): Promise<boolean> {
    const { state, groupInfo } = await this.newGroupAlone(channelId);
    try {
      await this.keys.transport.request("POST", `/api/channels/${channelId}/mls`, {
        groupInfo,
        memberDeviceIds: [this.keys.deviceId],
      });
    } catch (error) {
      // Refused for sure: the record goes. No answer at all (a network error): it stays, to look at on return.
      if (failureOf(error)) this.submitted.delete(channelId);
      if (failureOf(error)?.code === "group_exists") return false;
      throw error;
    }
    this.submitted.delete(channelId);
    await this.remember(channelId, state);
    return true;
  }

  /** Joins a channel's group by external commit from the GroupInfo the server keeps. */
  async joinExternally(channelId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { group } = await this.groupOf(channelId);
      if (!group) throw new Error("this channel has no group to join");
      const groupInfo = decodeMlsMessage(base64ToBytes(group.groupInfo));
      if (groupInfo.wireformat !== wireformats.mls_group_info) throw new Error("not a GroupInfo");
      const own = await newKeyPackage(this.keys.cipherSuite, this.keys.identity);
      const { publicMessage, newState } = await joinGroupExternal({
        context: this.keys.context,
        groupInfo: groupInfo.groupInfo,
        keyPackage: own.publicPackage,
        privateKeys: own.privatePackage,
        resync: false,
      });
      const commit = { version: protocolVersions.mls10, wireformat: wireformats.mls_public_message, publicMessage };
      const members = [...group.memberDeviceIds.filter((id) => id !== this.keys.deviceId), this.keys.deviceId];
      const isAccepted = await this.submitCommit(channelId, group.epoch, commit as MlsMessage, newState, members, {
        generation: group.generation,
      });
      if (isAccepted) return;
    }
    throw new Error("could not join the channel's group in five tries");
  }

  /**
   * When the group's epoch is 7 days old or holds 1,000 messages, commits an empty
   * commit (a fresh path, a new history key). Returns whether it rotated.
   */
  async rotateIfDue(channelId: string): Promise<boolean> {
    await this.catchUp(channelId);
    const { group } = await this.groupOf(channelId);
    if (!group || !this.isMember(channelId)) return false;
    if (!isRotationDue({ startedAt: new Date(group.epochStartedAt), messages: group.messagesInEpoch })) return false;
    const state = this.groups.get(channelId)!.state;
    const result = await createCommit({
      context: this.keys.context,
      // Never a proposal the log slipped in (see processCommit): only what this device chose.
      state: { ...state, unappliedProposals: {} },
      extraProposals: [],
      ratchetTreeExtension: true,
      wireAsPublicMessage: true,
    });
    return this.submitCommit(
      channelId,
      state.groupContext.epoch,
      result.commit,
      result.newState,
      group.memberDeviceIds,
    );
  }

  /** Processes the commits of the handshake log since this device's epoch, in order. */
  async catchUp(channelId: string): Promise<void> {
    return this.keys.withDirectoryCache(() => this.#catchUp(channelId));
  }

  async #catchUp(channelId: string): Promise<void> {
    await this.resumeSubmitted(channelId);
    if (!this.groups.has(channelId)) return;
    for (;;) {
      const from = this.epochOf(channelId)!;
      const { group: current, commits } = await this.groupOf(channelId, from);
      if (current && current.generation > this.groups.get(channelId)!.generation) {
        // A member founded the group again: this one is over. Join the new one (a Welcome
        // from the founder's commit), or wait to be added; the usual rules decide either.
        this.retire(channelId);
        await this.ensureMember(channelId);
        this.noteRefoundingBy(channelId);
        return;
      }
      const next = commits.filter((entry) => BigInt(entry.epoch) >= from);
      for (const entry of next) {
        if (!this.isMember(channelId)) return;
        if (BigInt(entry.epoch) !== this.epochOf(channelId)) continue;
        try {
          await this.processCommit(channelId, entry.commit, Date.parse(entry.createdAt));
        } catch (error) {
          // A step refused by this device's rules waits for its person (accepting a changed
          // key lets it through), and founding the group again would only bring the same step
          // back from the others; a failed request is tried again. A commit that cannot be
          // processed at all never will be: this device would stay in its epoch for ever.
          const isDecided = error instanceof RefusedChange || isCredentialRefused(error);
          if (isDecided || isRequestError(error) || !current) throw error;
          return this.refound(channelId, current.epoch, entry.committerDeviceId, (error as Error).message);
        }
      }
      // The log comes in pages: go on while this page moved the epoch forward.
      if (next.length === 0 || this.epochOf(channelId) === from || !this.isMember(channelId)) return;
    }
  }

  /**
   * Founds the channel's group again (a new generation, epoch 0, this device alone) in
   * place of one whose log this device cannot process, then adds everyone by its own rules
   * (`applyPending`): the others find the new generation and join by the Welcome. Another
   * member's re-founding or commit first: catch up on that instead.
   */
  private async refound(channelId: string, fromEpoch: number, committerDeviceId: string, why: string): Promise<void> {
    const { state, groupInfo } = await this.newGroupAlone(channelId);
    let founded: { group: MlsGroupView };
    try {
      founded = await this.keys.transport.request("POST", `/api/channels/${channelId}/mls/refound`, {
        fromEpoch,
        groupInfo,
        memberDeviceIds: [this.keys.deviceId],
      });
    } catch (error) {
      if (failureOf(error)) this.submitted.delete(channelId);
      if (failureOf(error)?.code === "stale_epoch") return this.#catchUp(channelId);
      throw error;
    }
    this.submitted.delete(channelId);
    this.retire(channelId);
    this.noteRefusal({
      channelId,
      userId: this.keys.userId,
      deviceId: committerDeviceId,
      reason: `this channel's encryption was started again, because this device could not process a change to it (${why})`,
      at: Date.now(),
      isRefounding: true,
    });
    await this.remember(channelId, state, { by: null, at: Date.now(), generation: founded.group.generation });
    await this.#applyPending(channelId);
  }

  /** Tells the person that another member's device founded the group again (its founder is at leaf 0 of the new tree). */
  private noteRefoundingBy(channelId: string): void {
    const group = this.groups.get(channelId);
    const founder = group && [...rosterOf(group.state).values()].find((entry) => entry.leaf === 0);
    if (!founder || founder.deviceId === this.keys.deviceId) return;
    this.noteRefusal({
      channelId,
      userId: founder.userId,
      deviceId: founder.deviceId,
      reason: "this channel's encryption was started again by a member's device that could not process a change to it",
      at: Date.now(),
      isRefounding: true,
    });
  }

  /** Applies a commit relayed as a `handshake` frame (or read from the log); an old one is skipped. */
  async processCommit(channelId: string, commit: string, at = Date.now()): Promise<void> {
    const group = this.groups.get(channelId);
    if (!group || !this.isMember(channelId)) return;
    const message = decodeMlsMessage(base64ToBytes(commit));
    // Only a commit, sent as a PublicMessage, changes the group here. ts-mls would keep a
    // proposal and sweep it into this device's next commit: a lying server's add proposal,
    // signed by a newcomer of its own, would ride in under a member's signature. Ignored, as
    // a commit the server withheld would be.
    const isCommit =
      message.wireformat === wireformats.mls_public_message &&
      message.publicMessage.content.contentType === contentTypes.commit;
    if (!isCommit) return;
    const sender = message.publicMessage.content.sender;
    const result = await processMessage({ context: this.keys.context, state: group.state, message: message as never });
    const isExternal = sender?.senderType === senderTypes.new_member_commit;
    const before = rosterOf(group.state);
    const by = sender?.senderType === senderTypes.member ? before.get(deviceAt(before, sender.leafIndex) ?? "") : null;
    await this.admit(channelId, group.state, result.newState, isExternal ? "external" : "commit", by?.userId ?? null);
    await this.remember(channelId, result.newState, {
      by: by ? { userId: by.userId, deviceId: by.deviceId } : null,
      at,
    });
  }

  /**
   * Whether this device takes a step another device made: every device it brings in must
   * be vouched for by its person's current account key (a replaced key, lost or stolen
   * perhaps, brings nobody in); in a conversation, only its pinned people; by External
   * Commit, only a further device of someone already in the group (a stranger or the
   * server's own device cannot join by itself). Refused: recorded, and thrown.
   */
  private async admit(
    channelId: string,
    before: ClientState | null,
    after: ClientState,
    how: "commit" | "external" | "welcome",
    committerId: string | null = null,
  ): Promise<void> {
    const facts = this.facts.get(channelId);
    const refuse = (userId: string, deviceId: string | null, reason: string): never => {
      throw new RefusedChange(this.noteRefusal({ channelId, userId, deviceId, reason, at: Date.now() }));
    };
    // In a group conversation, a member may add people (as the server lets them): a commit
    // signed by a pinned person's device brings its newcomers into the pin. The server alone
    // never can: it has no member device, and an External Commit never adds anyone new.
    const newlyPinned: string[] = [];
    if (facts?.participants) {
      const pinned = new Set(facts.participants);
      const isAddedByMember = how === "commit" && facts.isGroup === true && !!committerId && pinned.has(committerId);
      for (const userId of usersOf(after)) {
        if (pinned.has(userId)) continue;
        if (isAddedByMember) newlyPinned.push(userId);
        else refuse(userId, null, "someone who is not in this conversation was added to its encryption: refused");
      }
    }
    await this.admitDevices(channelId, before, after, how, refuse);
    if (newlyPinned.length > 0 && facts?.participants) {
      this.facts.set(channelId, { ...facts, participants: [...facts.participants, ...newlyPinned] });
    }
  }

  /** Every device a step brings in is vouched for by its person's current key (see `admit`). */
  private async admitDevices(
    channelId: string,
    before: ClientState | null,
    after: ClientState,
    how: "commit" | "external" | "welcome",
    refuse: (userId: string, deviceId: string | null, reason: string) => never,
  ): Promise<void> {
    if (how === "welcome") return;
    const previousUsers = before ? usersOf(before) : new Set<string>();
    for (const entry of rosterDiff(before, after).added) {
      if (how === "external" && !previousUsers.has(entry.userId)) {
        refuse(
          entry.userId,
          entry.deviceId,
          "a device of someone not in the group tried to join it by itself: refused",
        );
      }
      const listed = await this.keys.directory(entry.userId);
      const device = listed?.devices.find((candidate) => candidate.deviceId === entry.deviceId);
      const standing =
        listed && device
          ? await deviceStanding(this.keys.trust, entry.userId, listed, device, { currentKeyOnly: true })
          : "uncertified";
      // A device that joins by itself must also be under the key its person uses now (the
      // directory's word: a stolen device left under a replaced key cannot come back). Not
      // asked of past adds made by members: a device signed out since was fine when added.
      if (standing !== "trusted" || (how === "external" && !device?.isSignedByCurrentKey)) {
        refuse(
          entry.userId,
          entry.deviceId,
          "a device not vouched for by its person's current account key was added: refused",
        );
      }
    }
  }

  /**
   * Commits what the server says the group lacks (devices of people who may now read
   * the channel) or holds too many of (those who may not). Newcomers who may read the
   * channel's whole history get the past history keys in the new epoch: returned, to be
   * sent as a message (a commit adds them apart from newcomers who may not, so that
   * message never reaches someone not entitled to it). Losing the race to another
   * member's commit: catch up and look again.
   */
  async applyPending(channelId: string): Promise<{ committed: boolean; historyShares: MessageContent[] }> {
    return this.keys.withDirectoryCache(() => this.#applyPending(channelId));
  }

  async #applyPending(channelId: string): Promise<{ committed: boolean; historyShares: MessageContent[] }> {
    const historyShares: MessageContent[] = [];
    let committed = false;
    await this.factsOf(channelId, { refresh: true });
    for (let round = 0; round < 8; round++) {
      await this.catchUp(channelId);
      // Out of the group (its removal was in the log): others commit, not this device.
      if (!this.isMember(channelId)) return { committed, historyShares };
      const pending = await this.keys.transport.request<MlsPendingView>(
        "GET",
        `/api/channels/${channelId}/mls/pending`,
      );
      // This device is on its way out (its key was replaced, say): the remaining members commit that.
      if (pending.remove.includes(this.keys.deviceId)) return { committed, historyShares };
      const group = this.groups.get(channelId)!;
      const roster = rosterOf(group.state);
      // What the server lists for removal, and what this device finds itself: a device the
      // directory lists as signed out, or that its person's current key no longer vouches for.
      const leaving = new Set([...pending.remove, ...(await this.outdatedDevices(group.state))]);
      leaving.delete(this.keys.deviceId);
      const removals = [...leaving].flatMap((deviceId) => {
        const leaf = roster.get(deviceId)?.leaf;
        return leaf === undefined ? [] : [{ proposalType: defaultProposalTypes.remove, remove: { removed: leaf } }];
      });
      const toAdd = await this.vouchedAdds(channelId, pending.add);
      if (removals.length === 0 && toAdd.length === 0) return { committed, historyShares };
      const claimed = (await Promise.all(toAdd.map((entry) => this.claim(entry.userId, entry.deviceIds)))).flat();
      const additions = claimed.map((entry) => {
        const message = decodeMlsMessage(base64ToBytes(entry.keyPackage));
        if (message.wireformat !== wireformats.mls_key_package) throw new Error("not a KeyPackage");
        return { proposalType: defaultProposalTypes.add, add: { keyPackage: message.keyPackage } };
      });
      if (removals.length === 0 && additions.length === 0) return { committed, historyShares };
      const result = await createCommit({
        context: this.keys.context,
        state: { ...group.state, unappliedProposals: {} },
        extraProposals: [...removals, ...additions],
        ratchetTreeExtension: true,
        // In the clear framing (contents stay encrypted to the tree): the delivery service checks the sender and signature.
        wireAsPublicMessage: true,
      });
      const members = [
        ...[...roster.keys()].filter((deviceId) => !leaving.has(deviceId)),
        ...claimed.map((entry) => entry.deviceId),
      ];
      const accepted = await this.submitCommit(
        channelId,
        group.state.groupContext.epoch,
        result.commit,
        result.newState,
        members,
        result.welcome && { message: result.welcome, deviceIds: claimed.map((entry) => entry.deviceId) },
      );
      // Lost: another member's commit won this epoch; theirs is processed next round.
      if (!accepted) continue;
      committed = true;
      const share = this.historyShare(channelId);
      if (additions.length > 0 && Object.keys(share.keys).length > 0) historyShares.push(share);
    }
    return { committed, historyShares };
  }

  /** Keeps a refusal to show (the same one again only once; the last 20 per channel). */
  private noteRefusal(refusal: Refusal): Refusal {
    const known = this.refusals.get(refusal.channelId) ?? [];
    const isKnown = known.some(
      (entry) =>
        entry.userId === refusal.userId && entry.deviceId === refusal.deviceId && entry.reason === refusal.reason,
    );
    if (!isKnown) this.refusals.set(refusal.channelId, [...known, refusal].slice(-20));
    return refusal;
  }

  /**
   * The member devices the directory lists as signed out, or certified by a key their
   * person has replaced (or not listed at all): this device removes them whether or not
   * the server's pending list names them.
   */
  private async outdatedDevices(state: ClientState): Promise<string[]> {
    const byUser = new Map<string, string[]>();
    for (const entry of rosterOf(state).values()) {
      byUser.set(entry.userId, [...(byUser.get(entry.userId) ?? []), entry.deviceId]);
    }
    const outdated = await Promise.all(
      [...byUser].map(async ([userId, deviceIds]) => {
        const listed = await this.keys.directory(userId);
        return deviceIds.filter((deviceId) => {
          const device = listed?.devices.find((candidate) => candidate.deviceId === deviceId);
          return !device || device.isRevoked || !device.isSignedByCurrentKey;
        });
      }),
    );
    return outdated.flat();
  }

  /**
   * The pending adds whose devices an account key this device trusts certifies, of
   * people the channel may hold (in a conversation, only its pinned people: anyone
   * else is refused, visibly). A person whose key changed stays pending (and is
   * reported as changed) until it is accepted.
   */
  protected async vouchedAdds(channelId: string, adds: MlsPendingView["add"]): Promise<MlsPendingView["add"]> {
    const facts = this.facts.get(channelId);
    const participants = facts?.participants;
    const vouched = await Promise.all(
      adds.map(async (entry) => {
        if (participants && !participants.includes(entry.userId)) {
          // In a group, someone a member just added is listed before that member's device
          // commits the add: left to that device, not shown as a lie.
          if (facts?.isGroup) return { ...entry, deviceIds: [] };
          this.noteRefusal({
            channelId,
            userId: entry.userId,
            deviceId: null,
            reason: "the server asked to add someone who is not in this conversation: refused",
            at: Date.now(),
          });
          return { ...entry, deviceIds: [] };
        }
        const listed = await this.keys.directory(entry.userId);
        if (!listed) return { ...entry, deviceIds: [] };
        const standings = await Promise.all(
          entry.deviceIds.map(async (deviceId) => {
            const device = listed.devices.find((candidate) => candidate.deviceId === deviceId);
            const standing =
              device && (await deviceStanding(this.keys.trust, entry.userId, listed, device, { currentKeyOnly: true }));
            return standing === "trusted";
          }),
        );
        return { ...entry, deviceIds: entry.deviceIds.filter((_, index) => standings[index]) };
      }),
    );
    return vouched.filter((entry) => entry.deviceIds.length > 0);
  }

  /** Joins the groups whose Welcomes wait for this device; each Welcome is removed once used. */
  async acceptWelcomes(): Promise<string[]> {
    return this.keys.withDirectoryCache(() => this.#acceptWelcomes());
  }

  async #acceptWelcomes(): Promise<string[]> {
    const { welcomes } = await this.keys.transport.request<{ welcomes: MlsWelcomeView[] }>("GET", "/api/keys/welcomes");
    const joined: string[] = [];
    for (const entry of welcomes) {
      const message = decodeMlsMessage(base64ToBytes(entry.welcome));
      if (message.wireformat !== wireformats.mls_welcome) throw new Error("not a Welcome");
      const state = await this.joinWith(message.welcome);
      // A Welcome into an epoch older than the one held (a stale copy) changes nothing, unless
      // it is of a newer generation of the group; one into another channel's group (the
      // server relabelling it) is not this channel's.
      const generation = entry.generation ?? 0;
      const heldGroup = this.isMember(entry.channelId) ? this.groups.get(entry.channelId)! : null;
      const isNewGeneration = heldGroup !== null && generation > heldGroup.generation;
      const held = heldGroup && !isNewGeneration ? heldGroup.state.groupContext.epoch : -1n;
      const isThisChannel = state !== null && new TextDecoder().decode(state.groupContext.groupId) === entry.channelId;
      let isAdmitted = isThisChannel;
      if (state && isThisChannel && state.groupContext.epoch > held) {
        await this.factsOf(entry.channelId);
        isAdmitted = await this.admit(entry.channelId, null, state, "welcome").then(
          () => true,
          (error: unknown) => {
            if (error instanceof RefusedChange) return false;
            throw error;
          },
        );
      }
      if (state && isAdmitted && state.groupContext.epoch > held) {
        if (isNewGeneration) this.retire(entry.channelId);
        await this.remember(entry.channelId, state, { by: null, at: Date.now(), generation });
        if (isNewGeneration) this.noteRefoundingBy(entry.channelId);
        joined.push(entry.channelId);
      }
      await this.keys.transport.request("DELETE", `/api/keys/welcomes/${entry.id}`);
    }
    return joined;
  }

  /**
   * The history keys of earlier epochs that everyone in the group now may read, by this
   * device's own rule for the channel: in a channel whose newcomers read from its start,
   * every earlier epoch; otherwise only epochs whose roster (as this device saw it)
   * already held every person in the group now. A share is read by everyone in the
   * epoch it is sealed in, so it never holds a key one of them is not entitled to.
   */
  historyShare(channelId: string): Extract<MessageContent, { kind: "history-keys" }> {
    const shareable = this.shareableEpochs(channelId);
    const keys = Object.fromEntries(
      [...this.historyKeysOf(channelId)]
        .filter(([epoch]) => shareable.has(epoch))
        .map(([epoch, key]) => [String(epoch), bytesToBase64(key)]),
    );
    return { kind: "history-keys", keys };
  }

  /** A share about to be sealed, cut to what everyone in the group now may read (the group may have moved on since). */
  restrictShare(
    channelId: string,
    share: Extract<MessageContent, { kind: "history-keys" }>,
  ): Extract<MessageContent, { kind: "history-keys" }> {
    const shareable = this.shareableEpochs(channelId);
    return {
      kind: "history-keys",
      keys: Object.fromEntries(Object.entries(share.keys).filter(([epoch]) => shareable.has(BigInt(epoch)))),
    };
  }

  private shareableEpochs(channelId: string): Set<bigint> {
    const group = this.groups.get(channelId);
    const current = this.epochOf(channelId);
    if (!group || current === null) return new Set();
    const earlier = [...this.historyKeysOf(channelId).keys()].filter((epoch) => epoch < current);
    if (this.facts.get(channelId)?.history === "from_start") return new Set(earlier);
    const everyone = usersOf(group.state);
    return new Set(
      earlier.filter((epoch) => {
        const roster = group.rosters.get(epoch);
        return roster !== undefined && [...everyone].every((userId) => roster.includes(userId));
      }),
    );
  }

  /**
   * Drops a group that was founded again: its history keys (and the channel's restored
   * ones, of the same generation) are kept apart, as the new group's epochs restart at 0.
   */
  private retire(channelId: string): void {
    const group = this.groups.get(channelId);
    if (!group) return;
    this.history.archive(channelId, group.generation, group.historyKeys);
    this.groups.delete(channelId);
  }

  /** Forgets a group this device left or was removed from (its history keys stay readable). */
  forget(channelId: string): void {
    const group = this.groups.get(channelId);
    if (!group) return;
    this.history.keep(channelId, group.historyKeys);
    this.groups.delete(channelId);
  }

  private async claim(userId: string, deviceIds: string[]): Promise<{ deviceId: string; keyPackage: string }[]> {
    const answer = await this.keys.transport.request<{ keyPackages: { deviceId: string; keyPackage: string }[] }>(
      "POST",
      `/api/keys/users/${userId}/claim`,
      { deviceIds },
    );
    return answer.keyPackages;
  }

  /** The Welcome is sealed to one of this device's KeyPackages; null when none opens it. */
  private async joinWith(welcome: Parameters<typeof joinGroup>[0]["welcome"]): Promise<ClientState | null> {
    for (const pair of this.keys.keyPackages()) {
      try {
        return await joinGroup({
          context: this.keys.context,
          welcome,
          keyPackage: pair.publicPackage,
          privateKeys: pair.privatePackage,
        });
      } catch (error) {
        // A lookup that failed on the way (checking a member's credential) is no answer:
        // the Welcome must stay for the next try, not be taken as sealed to another key.
        if (isRequestError(error)) throw error;
        // sealed to another of this device's KeyPackages
      }
    }
    return null;
  }

  /**
   * Submits a commit built on `epoch` with the new epoch's GroupInfo, and remembers the
   * new state once the room accepted it. False when another member's commit won the epoch.
   */
  protected async submitCommit(
    channelId: string,
    epoch: bigint | number,
    commit: MlsMessage,
    newState: ClientState,
    memberDeviceIds: string[],
    welcome?: { message: MlsMessage; deviceIds: string[] } | { generation: number },
  ): Promise<boolean> {
    const joining = welcome && "generation" in welcome ? welcome : undefined;
    const adding = welcome && "message" in welcome ? welcome : undefined;
    const encoded = bytesToBase64(encodeMlsMessage(commit));
    const groupInfo = await this.groupInfoOf(newState);
    await this.beforeSubmitting(channelId, { epoch: Number(epoch), commit: encoded, state: newState });
    try {
      await this.keys.transport.request("POST", `/api/channels/${channelId}/mls/commits`, {
        epoch: Number(epoch),
        commit: encoded,
        groupInfo,
        memberDeviceIds,
        ...(adding
          ? { welcome: bytesToBase64(encodeMlsMessage(adding.message)), welcomeDeviceIds: adding.deviceIds }
          : {}),
      });
    } catch (error) {
      // Refused for sure: the record goes. No answer at all (a network error): it stays, to look at on return.
      if (failureOf(error)) this.submitted.delete(channelId);
      if (failureOf(error)?.code === "stale_epoch") return false;
      throw error;
    }
    this.submitted.delete(channelId);
    await this.remember(channelId, newState, { by: null, at: Date.now(), generation: joining?.generation });
    return true;
  }

  private async beforeSubmitting(channelId: string, step: Submitted): Promise<void> {
    this.submitted.set(channelId, step);
    await this.checkpoint();
  }

  /**
   * A step sent before the page went away, its outcome unsaved: when the delivery
   * service took it (the group this device started, or its commit in the log at that
   * epoch), the state it built is this device's now. Either way the record goes.
   */
  private async resumeSubmitted(channelId: string): Promise<void> {
    const step = this.submitted.get(channelId);
    if (!step) return;
    const held = this.epochOf(channelId);
    // (A group founded again restarts at epoch 0: the epoch held says nothing of it.)
    if (step.commit !== null && held !== null && held > BigInt(step.epoch))
      return void this.submitted.delete(channelId);
    const { group, commits } = await this.groupOf(channelId, BigInt(step.epoch));
    this.submitted.delete(channelId);
    const isTaken =
      step.commit === null
        ? group?.memberDeviceIds.includes(this.keys.deviceId) === true && commits.length === 0 && group.epoch === 0
        : commits.some((entry) => entry.epoch === step.epoch && entry.commit === step.commit);
    if (!isTaken) return;
    // A group this device started, or founded again in place of the one it holds.
    if (step.commit === null) this.retire(channelId);
    await this.remember(channelId, step.state, { by: null, at: Date.now(), generation: group?.generation });
  }

  /** A group of this device alone at epoch 0 and its GroupInfo, kept as the step about to be sent. */
  private async newGroupAlone(channelId: string): Promise<{ state: ClientState; groupInfo: string }> {
    const own = await newKeyPackage(this.keys.cipherSuite, this.keys.identity);
    const state = await createGroup({
      context: this.keys.context,
      groupId: new TextEncoder().encode(channelId),
      keyPackage: own.publicPackage,
      privateKeyPackage: own.privatePackage,
    });
    const groupInfo = await this.groupInfoOf(state);
    await this.beforeSubmitting(channelId, { epoch: 0, commit: null, state });
    return { state, groupInfo };
  }

  private async groupInfoOf(state: ClientState): Promise<string> {
    const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(state, [], this.keys.cipherSuite);
    return bytesToBase64(
      encodeMlsMessage({ version: protocolVersions.mls10, wireformat: wireformats.mls_group_info, groupInfo }),
    );
  }

  /** Takes `state` as the group's; a change of its roster is told (`onRosterChange`), `by` the committer when known. */
  private async remember(
    channelId: string,
    state: ClientState,
    { by, at, generation }: Pick<RosterChange, "by" | "at"> & { generation?: number } = { by: null, at: Date.now() },
  ): Promise<void> {
    const previous = this.groups.get(channelId);
    const group = previous ?? { state, historyKeys: new Map(), rosters: new Map(), generation: generation ?? 0 };
    const change = rosterDiff(previous ? previous.state : null, state);
    group.state = state;
    group.historyKeys.set(state.groupContext.epoch, await historyKeyOf(state, this.keys.cipherSuite));
    group.rosters.set(state.groupContext.epoch, [...usersOf(state)]);
    this.groups.set(channelId, group);
    if (change.added.length > 0 || change.removed.length > 0) {
      this.onRosterChange({ channelId, epoch: state.groupContext.epoch, by, at, ...change });
    }
  }
}

function deviceAt(roster: Map<string, { leaf: number }>, leaf: number): string | undefined {
  for (const [deviceId, entry] of roster) if (entry.leaf === leaf) return deviceId;
  return undefined;
}
