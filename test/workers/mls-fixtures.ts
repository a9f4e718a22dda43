/**
 * Real MLS for the delivery service's tests: each person's device registers an MLS
 * signature key, cross-signed by an account key, and builds genuine groups, commits
 * and GroupInfos with ts-mls as e2ee/ does (commits as PublicMessage), so the server's
 * checks see what clients send. A `ChannelGroup` keeps every member's state in step.
 */
import {
  createCommit,
  createGroup,
  createGroupInfoWithExternalPubAndRatchetTree,
  defaultProposalTypes,
  decode,
  defaultCapabilities,
  defaultCredentialTypes,
  defaultLifetime,
  encode,
  generateKeyPackageWithKey,
  getCiphersuiteImpl,
  joinGroup,
  joinGroupExternal,
  mlsMessageDecoder,
  mlsMessageEncoder,
  processMessage,
  protocolVersions,
  unsafeTestingAuthenticationService,
  wireformats,
  type CiphersuiteImpl,
  type ClientState,
  type MlsContext,
  type MlsMessage,
} from "ts-mls";
import { base64ToBytes, bytesToBase64, deviceCertificateMessage, type MlsGroupView } from "../../protocol/index.ts";
import { as, expectStatus, type Person } from "./fixtures.ts";

export interface MlsDevice {
  person: Person;
  signatureKeyPair: { signKey: Uint8Array; publicKey: Uint8Array };
  /** The device's state in the channel's group, once it is a member. */
  state: ClientState | null;
}

/** A commit built by a device, not yet posted, with the state it leads to. */
export interface BuiltCommit {
  commit: MlsMessage;
  newState: ClientState;
}

let cipherSuite: Promise<CiphersuiteImpl> | undefined;

export async function mlsContext(): Promise<MlsContext> {
  cipherSuite ??= getCiphersuiteImpl("MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519");
  // The server checks credentials against the key directory; these tests are about what it refuses.
  return { cipherSuite: await cipherSuite, authService: unsafeTestingAuthenticationService };
}

/** Sets an account key and registers the session's MLS signature key, as a client does once. */
export async function registerDevice(person: Person): Promise<MlsDevice> {
  const { cipherSuite } = await mlsContext();
  const account = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const accountKey = new Uint8Array((await crypto.subtle.exportKey("raw", account.publicKey)) as ArrayBuffer);
  await expectStatus(await as(person, "PUT", "/api/keys/account", { publicKey: bytesToBase64(accountKey) }), 201);
  const signatureKeyPair = await cipherSuite.signature.keygen();
  const crossSignature = await crypto.subtle.sign(
    { name: "Ed25519" },
    account.privateKey,
    new Uint8Array(deviceCertificateMessage(person.user.id, person.sessionId, signatureKeyPair.publicKey)),
  );
  await expectStatus(
    await as(person, "PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(signatureKeyPair.publicKey),
      crossSignature: bytesToBase64(new Uint8Array(crossSignature)),
    }),
    201,
  );
  return { person, signatureKeyPair, state: null };
}

export const encodeMessage = (message: MlsMessage): string => bytesToBase64(encode(mlsMessageEncoder, message));

export async function keyPackageOf(device: Pick<MlsDevice, "person" | "signatureKeyPair">) {
  const { person, signatureKeyPair } = device;
  return generateKeyPackageWithKey({
    credential: {
      credentialType: defaultCredentialTypes.basic,
      identity: new TextEncoder().encode(`${person.user.id}/${person.sessionId}`),
    },
    signatureKeyPair,
    cipherSuite: (await mlsContext()).cipherSuite,
    capabilities: defaultCapabilities(),
    lifetime: defaultLifetime(),
  });
}

/** A new group with the device alone, under `groupId` (a channel's: its id's UTF-8 bytes). */
export async function newGroup(device: Pick<MlsDevice, "person" | "signatureKeyPair">, groupId: string) {
  const own = await keyPackageOf(device);
  return createGroup({
    context: await mlsContext(),
    groupId: new TextEncoder().encode(groupId),
    keyPackage: own.publicPackage,
    privateKeyPackage: own.privatePackage,
  });
}

/** The GroupInfo of a state, with the ratchet tree and external key, as clients post it. */
export async function groupInfoOf(state: ClientState): Promise<string> {
  const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(state, [], (await mlsContext()).cipherSuite);
  return encodeMessage({ version: protocolVersions.mls10, wireformat: wireformats.mls_group_info, groupInfo });
}

/** An empty commit (a new path: an epoch rotation), as a PublicMessage. */
export async function rotation(
  state: ClientState,
  options: { authenticatedData?: Uint8Array } = {},
): Promise<BuiltCommit> {
  const { commit, newState } = await createCommit({
    context: await mlsContext(),
    state,
    extraProposals: [],
    ratchetTreeExtension: true,
    wireAsPublicMessage: true,
    ...options,
  });
  return { commit, newState };
}

/** Flips one bit of the last byte: a signature, when the encoding ends with one. */
export function tamperedLastByte(base64: string): string {
  const bytes = base64ToBytes(base64);
  bytes[bytes.length - 1]! ^= 1;
  return bytesToBase64(bytes);
}

/** A channel's MLS group through the delivery service, with each member device's state. */
export class ChannelGroup {
  readonly channelId: string;
  readonly members: MlsDevice[] = [];
  constructor(channelId: string) {
    this.channelId = channelId;
  }

  get epoch(): number {
    return Number(this.members[0]!.state!.groupContext.epoch);
  }

  /** Starts the group with the device alone; kept only when the server took it. */
  async start(device: MlsDevice): Promise<Response> {
    const state = await newGroup(device, this.channelId);
    const response = await as(device.person, "POST", `/api/channels/${this.channelId}/mls`, {
      groupInfo: await groupInfoOf(state),
      memberDeviceIds: [device.person.sessionId],
    });
    if (response.status === 201) this.#admit(device, state);
    return response;
  }

  /** Posts a commit built by `device` on the current epoch; once accepted, every member processes it. */
  async post(device: MlsDevice, built: BuiltCommit, extra: Record<string, unknown> = {}): Promise<Response> {
    const memberDeviceIds = [...new Set([...this.members, device].map((member) => member.person.sessionId))];
    const response = await as(device.person, "POST", `/api/channels/${this.channelId}/mls/commits`, {
      epoch: this.epoch,
      commit: encodeMessage(built.commit),
      groupInfo: await groupInfoOf(built.newState),
      memberDeviceIds,
      ...extra,
    });
    if (response.status === 201) await this.#accepted(device, built);
    return response;
  }

  /** A member's empty commit, posted. */
  async rotate(device: MlsDevice, extra: Record<string, unknown> = {}): Promise<Response> {
    return this.post(device, await rotation(device.state!), extra);
  }

  /**
   * The group's first member adds the device (its KeyPackage in a commit, a Welcome for
   * it), as clients do for a newcomer: only a further device of someone already in the
   * group may join by External Commit.
   */
  async join(device: MlsDevice): Promise<Response> {
    const adder = this.members[0]!;
    const own = await keyPackageOf(device);
    const { commit, newState, welcome } = await createCommit({
      context: await mlsContext(),
      state: adder.state!,
      extraProposals: [{ proposalType: defaultProposalTypes.add, add: { keyPackage: own.publicPackage } }],
      ratchetTreeExtension: true,
      wireAsPublicMessage: true,
    });
    const response = await this.post(adder, { commit, newState });
    if (response.status !== 201 || !welcome) return response;
    const joined = await joinGroup({
      context: await mlsContext(),
      welcome: welcome.welcome,
      keyPackage: own.publicPackage,
      privateKeys: own.privatePackage,
    });
    this.#admit(device, joined);
    return response;
  }

  async externalCommit(device: MlsDevice): Promise<BuiltCommit> {
    const { group } = (await (
      await expectStatus(await as(device.person, "GET", `/api/channels/${this.channelId}/mls`), 200)
    ).json()) as { group: MlsGroupView };
    const groupInfo = decode(mlsMessageDecoder, base64ToBytes(group.groupInfo));
    if (groupInfo?.wireformat !== wireformats.mls_group_info) throw new Error("the server holds no GroupInfo");
    const own = await keyPackageOf(device);
    const { publicMessage, newState } = await joinGroupExternal({
      context: await mlsContext(),
      groupInfo: groupInfo.groupInfo,
      keyPackage: own.publicPackage,
      privateKeys: own.privatePackage,
      resync: false,
    });
    return {
      commit: { version: protocolVersions.mls10, wireformat: wireformats.mls_public_message, publicMessage },
      newState,
    };
  }

  #admit(device: MlsDevice, state: ClientState): void {
    device.state = state;
    if (!this.members.includes(device)) this.members.push(device);
  }

  async #accepted(committer: MlsDevice, built: BuiltCommit): Promise<void> {
    const context = await mlsContext();
    for (const member of this.members) {
      if (member === committer) continue;
      const result = await processMessage({ context, state: member.state!, message: built.commit as never });
      member.state = result.newState;
    }
    this.#admit(committer, built.newState);
  }
}
