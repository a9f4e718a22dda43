/**
 * What the MLS delivery service can check of a commit and a GroupInfo without the
 * group's secrets: that they parse, name the channel's group and epoch, come from the
 * committing device's leaf, and carry its signature (RFC 9420 §6.1, §12.4.3). The
 * server refuses anything else, so nobody can post bytes that no member could apply.
 *
 * ts-mls decodes the messages; its signature implementation verifies. Its own
 * verification functions (verifyFramedContentSignature, verifyGroupInfoSignature) and
 * the ratchet tree decoder are not exported by the package, so the signed bytes are
 * cut here from its encoders' output, and the ratchet tree is read by a small reader
 * below; the honest commits of the tests check both against the library's own.
 */
import {
  contentTypes,
  decode,
  defaultCredentialTypes,
  defaultExtensionTypes,
  encode,
  getCiphersuiteImpl,
  mlsMessageDecoder,
  mlsMessageEncoder,
  protocolVersions,
  senderTypes,
  wireformats,
  type CiphersuiteImpl,
  type Credential,
  type GroupInfo,
  type MlsMessage,
  type MlsPublicMessage,
} from "ts-mls";

/** The one ciphersuite Chatalot's groups use (its id in RFC 9420 §17.1 is 1). */
const CIPHERSUITE_ID = 1;
/** A group of MLS_GROUP_DEVICES_MAX devices has fewer nodes than this; a longer tree is no group of ours. */
const TREE_NODES_MAX = 16_384;
const LEAF_NODE = 1;
const PARENT_NODE = 2;
const EMPTY = new Uint8Array(0);

/** A commit or GroupInfo the delivery service refuses: `subject` names which, the message what is wrong. */
export class MlsWireError extends Error {
  override name = "MlsWireError";
  readonly subject: "commit" | "group_info";
  constructor(subject: "commit" | "group_info", message: string) {
    super(message);
    this.subject = subject;
  }
}

/** The device committing, as the key directory lists it. */
export interface Committer {
  userId: string;
  deviceId: string;
  signaturePublicKey: Uint8Array;
}

/** The user and device a credential names (`userId/deviceId`, a basic credential), or null when it is not one of ours. */
export function credentialOwner(credential: Credential): { userId: string; deviceId: string } | null {
  if (credential.credentialType !== defaultCredentialTypes.basic || !("identity" in credential)) return null;
  const match = /^([0-9a-f-]{36})\/([0-9a-f-]{36})$/.exec(new TextDecoder().decode(credential.identity));
  return match ? { userId: match[1]!, deviceId: match[2]! } : null;
}

/**
 * The GroupInfo that starts a channel's group: epoch 0 of the channel's group id, the
 * creating device its single leaf, signed by that leaf's key, the device's key.
 */
export async function checkGroupStart(input: {
  channelId: string;
  groupInfo: Uint8Array;
  committer: Committer;
}): Promise<void> {
  const { groupInfo, leaves } = readGroupInfo(input.groupInfo);
  checkGroupContext(groupInfo, input.channelId, 0n);
  if (leaves.size !== 1 || !leaves.has(0) || groupInfo.signer !== 0)
    throw new MlsWireError("group_info", "a new group holds the creating device alone, at leaf 0");
  await checkGroupInfoSigner(groupInfo, leaves, input.committer);
}

/**
 * A commit built on `epoch` of the channel's group, against the group's current
 * GroupInfo (the epoch's group context and ratchet tree), with the new epoch's GroupInfo.
 *
 * Not verifiable here: the membership tag (a MAC under the epoch's membership key) and
 * the confirmation tag (under its confirmation key) need the group's secrets, and so
 * does the update path's content. A member can still send a commit the others reject;
 * it is then signed by their device's key, which names them.
 */
export async function checkCommit(input: {
  channelId: string;
  epoch: number;
  commit: Uint8Array;
  groupInfo: Uint8Array;
  currentGroupInfo: Uint8Array;
  committer: Committer;
}): Promise<void> {
  const message = decodeCanonical(input.commit, "commit");
  if (message.wireformat !== wireformats.mls_public_message)
    throw new MlsWireError("commit", "a commit is sent as an MLS PublicMessage");
  const { content, auth } = message.publicMessage;
  if (content.contentType !== contentTypes.commit || auth.contentType !== contentTypes.commit)
    throw new MlsWireError("commit", "the message is not a commit");
  if (!equalBytes(content.groupId, groupIdOf(input.channelId)))
    throw new MlsWireError("commit", "the commit is for another group than this channel's");
  if (content.epoch !== BigInt(input.epoch))
    throw new MlsWireError("commit", `the commit was built on epoch ${content.epoch}, not ${input.epoch}`);

  let current: ReturnType<typeof readGroupInfo>;
  try {
    current = readGroupInfo(input.currentGroupInfo);
    checkGroupContext(current.groupInfo, input.channelId, BigInt(input.epoch));
  } catch {
    // The stored GroupInfo was accepted before these checks existed: nothing can be verified against it.
    throw new MlsWireError("commit", "the group's current GroupInfo cannot be read: the commit cannot be verified");
  }

  let leaf: TreeLeaf;
  if (content.sender.senderType === senderTypes.member) {
    const sender = current.leaves.get(content.sender.leafIndex);
    if (!sender) throw new MlsWireError("commit", "the commit's sender is no member of the group");
    leaf = sender;
  } else if (content.sender.senderType === senderTypes.new_member_commit) {
    // An External Commit: the joiner's new leaf is in the commit's update path.
    const path = content.commit.path;
    if (!path) throw new MlsWireError("commit", "an External Commit carries an update path");
    leaf = { signaturePublicKey: path.leafNode.signaturePublicKey, credential: path.leafNode.credential };
  } else {
    throw new MlsWireError("commit", "a commit comes from a member or from a device joining by External Commit");
  }
  checkLeafIsCommitter(leaf, input.committer, "commit", "the commit's sender leaf");
  if (content.sender.senderType === senderTypes.new_member_commit) {
    // As the members' devices rule: only a further device of someone already in the group
    // joins by itself (their backup holds the history); anyone else waits to be added.
    const isPersonInGroup = [...current.leaves.values()].some(
      (member) => member.credential !== null && credentialOwner(member.credential)?.userId === input.committer.userId,
    );
    if (!isPersonInGroup) {
      throw new MlsWireError(
        "commit",
        "a device joins by External Commit only when its person already has a device in the group: wait to be added",
      );
    }
  }
  const signed = concat(
    uint16(current.groupInfo.groupContext.version),
    uint16(wireformats.mls_public_message),
    framedContentBytes(message),
    groupContextBytes(current.groupInfo),
  );
  if (!(await verifyWithLabel(leaf.signaturePublicKey, "FramedContentTBS", signed, auth.signature)))
    throw new MlsWireError("commit", "the commit's signature does not verify under the committing device's key");

  const next = readGroupInfo(input.groupInfo);
  checkGroupContext(next.groupInfo, input.channelId, BigInt(input.epoch) + 1n);
  await checkGroupInfoSigner(next.groupInfo, next.leaves, input.committer);
}

/** The group id of a channel's group, as the clients create it: the channel id's UTF-8 bytes. */
const groupIdOf = (channelId: string): Uint8Array => new TextEncoder().encode(channelId);

interface TreeLeaf {
  signaturePublicKey: Uint8Array;
  credential: Credential | null;
}

function decodeCanonical(bytes: Uint8Array, subject: MlsWireError["subject"]): MlsMessage {
  let message: MlsMessage | undefined;
  try {
    message = decode(mlsMessageDecoder, bytes);
  } catch {
    message = undefined; // ts-mls throws on some truncated lengths, returns undefined on others
  }
  const what = subject === "commit" ? "a commit" : "a GroupInfo";
  if (!message || message.version !== protocolVersions.mls10)
    throw new MlsWireError(subject, `not ${what}: not an MLS message`);
  // Only the exact encoding: the signed bytes are cut from it, and nothing may trail.
  if (!equalBytes(encode(mlsMessageEncoder, message), bytes))
    throw new MlsWireError(subject, `not ${what}: bytes beyond or outside the MLS encoding`);
  return message;
}

function readGroupInfo(bytes: Uint8Array): { groupInfo: GroupInfo; leaves: Map<number, TreeLeaf> } {
  const message = decodeCanonical(bytes, "group_info");
  if (message.wireformat !== wireformats.mls_group_info) throw new MlsWireError("group_info", "not a GroupInfo");
  const tree = message.groupInfo.extensions.find(
    (extension) => extension.extensionType === defaultExtensionTypes.ratchet_tree,
  );
  if (!tree || !(tree.extensionData instanceof Uint8Array))
    throw new MlsWireError("group_info", "the GroupInfo carries no ratchet tree (the ratchet_tree extension)");
  let leaves: Map<number, TreeLeaf>;
  try {
    leaves = leavesOfTree(tree.extensionData);
  } catch {
    throw new MlsWireError("group_info", "the GroupInfo's ratchet tree does not parse");
  }
  return { groupInfo: message.groupInfo, leaves };
}

function checkGroupContext(groupInfo: GroupInfo, channelId: string, epoch: bigint): void {
  const context = groupInfo.groupContext;
  if (context.version !== protocolVersions.mls10 || context.cipherSuite !== CIPHERSUITE_ID)
    throw new MlsWireError("group_info", "the GroupInfo is not of MLS 1.0 with Chatalot's ciphersuite");
  if (!equalBytes(context.groupId, groupIdOf(channelId)))
    throw new MlsWireError("group_info", "the GroupInfo is of another group than this channel's");
  if (context.epoch !== epoch)
    throw new MlsWireError("group_info", `the GroupInfo is of epoch ${context.epoch}, not ${epoch}`);
}

/** The GroupInfo is signed by its signer leaf, and that leaf is the committing device. */
async function checkGroupInfoSigner(
  groupInfo: GroupInfo,
  leaves: Map<number, TreeLeaf>,
  committer: Committer,
): Promise<void> {
  const signer = leaves.get(groupInfo.signer);
  if (!signer) throw new MlsWireError("group_info", "the GroupInfo's signer is no leaf of its tree");
  checkLeafIsCommitter(signer, committer, "group_info", "the GroupInfo's signer");
  if (
    !(await verifyWithLabel(
      signer.signaturePublicKey,
      "GroupInfoTBS",
      groupInfoTbsBytes(groupInfo),
      groupInfo.signature,
    ))
  )
    throw new MlsWireError("group_info", "the GroupInfo's signature does not verify under the committing device's key");
}

function checkLeafIsCommitter(leaf: TreeLeaf, committer: Committer, subject: MlsWireError["subject"], what: string) {
  const owner = leaf.credential && credentialOwner(leaf.credential);
  if (owner?.userId !== committer.userId || owner.deviceId !== committer.deviceId)
    throw new MlsWireError(subject, `${what} is not this device`);
  if (!equalBytes(leaf.signaturePublicKey, committer.signaturePublicKey))
    throw new MlsWireError(subject, `${what} holds another key than this device's in the key directory`);
}

/** FramedContent, as encoded: the message's encoding with empty signature and tags, less those one-byte fields. */
function framedContentBytes(message: MlsPublicMessage): Uint8Array {
  const { publicMessage } = message;
  const isMember = publicMessage.senderType === senderTypes.member;
  const emptied = {
    ...message,
    publicMessage: {
      ...publicMessage,
      auth: { ...publicMessage.auth, signature: EMPTY, confirmationTag: EMPTY },
      ...(isMember ? { membershipTag: EMPTY } : {}),
    },
  } as MlsPublicMessage;
  const encoded = encode(mlsMessageEncoder, emptied);
  return encoded.subarray(4, encoded.length - (isMember ? 3 : 2)); // after version and wireformat
}

/** GroupContext, as encoded: a GroupInfo emptied of extensions, tag and signature is it and 7 bytes. */
function groupContextBytes(groupInfo: GroupInfo): Uint8Array {
  const encoded = encodeGroupInfo({ ...groupInfo, extensions: [], confirmationTag: EMPTY, signature: EMPTY });
  return encoded.subarray(4, encoded.length - 7); // extensions (1), confirmation tag (1), signer (4), signature (1)
}

/** GroupInfoTBS, as encoded: the GroupInfo less its (emptied, one-byte) signature. */
function groupInfoTbsBytes(groupInfo: GroupInfo): Uint8Array {
  const encoded = encodeGroupInfo({ ...groupInfo, signature: EMPTY });
  return encoded.subarray(4, encoded.length - 1);
}

const encodeGroupInfo = (groupInfo: GroupInfo) =>
  encode(mlsMessageEncoder, { version: protocolVersions.mls10, wireformat: wireformats.mls_group_info, groupInfo });

let cipherSuite: Promise<CiphersuiteImpl> | undefined;

/** RFC 9420 §5.1.2 VerifyWithLabel, with ts-mls' signature implementation. */
async function verifyWithLabel(
  publicKey: Uint8Array,
  label: string,
  content: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  cipherSuite ??= getCiphersuiteImpl("MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519");
  const signContent = concat(withLength(new TextEncoder().encode(`MLS 1.0 ${label}`)), withLength(content));
  try {
    return await (await cipherSuite).signature.verify(publicKey, signContent, signature);
  } catch {
    return false; // not an Ed25519 key or signature
  }
}

/**
 * The leaves of a ratchet tree (RFC 9420 §12.4.3.3, `optional<Node> ratchet_tree<V>`)
 * by leaf index, with the signature key and credential of each. Throws when it does not parse.
 */
function leavesOfTree(data: Uint8Array): Map<number, TreeLeaf> {
  const outer = new Reader(data);
  const nodes = new Reader(outer.vector());
  outer.end();
  const leaves = new Map<number, TreeLeaf>();
  for (let index = 0; !nodes.isDone; index++) {
    if (index >= TREE_NODES_MAX) throw new RangeError("too many nodes");
    const presence = nodes.uint8();
    if (presence === 0) continue;
    if (presence !== 1) throw new RangeError("not an optional node");
    const nodeType = nodes.uint8();
    if (nodeType === LEAF_NODE && index % 2 === 0) leaves.set(index / 2, readLeafNode(nodes));
    else if (nodeType === PARENT_NODE && index % 2 === 1)
      nodes.skipVectors(3); // key, parent hash, unmerged leaves
    else throw new RangeError("a node of the wrong type for its place");
  }
  return leaves;
}

function readLeafNode(reader: Reader): TreeLeaf {
  reader.vector(); // encryption key
  const signaturePublicKey = reader.vector();
  const credentialType = reader.uint16();
  const credentialData = reader.vector(); // a basic identity, X.509 certificates or a custom credential: one vector each
  reader.skipVectors(5); // capabilities: versions, ciphersuites, extensions, proposals, credentials
  const source = reader.uint8();
  if (source === 1)
    reader.skip(16); // key_package: its lifetime
  else if (source === 3)
    reader.vector(); // commit: its parent hash
  else if (source !== 2) throw new RangeError("an unknown leaf node source");
  reader.skipVectors(2); // extensions, signature
  const credential =
    credentialType === defaultCredentialTypes.basic
      ? { credentialType: defaultCredentialTypes.basic, identity: credentialData }
      : null;
  return { signaturePublicKey, credential };
}

/** Reads TLS presentation language (RFC 9420 §2.1.2: vectors with variable-size lengths). */
class Reader {
  readonly bytes: Uint8Array;
  #offset = 0;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get isDone(): boolean {
    return this.#offset === this.bytes.length;
  }

  end(): void {
    if (!this.isDone) throw new RangeError("bytes after the end");
  }

  skip(count: number): void {
    if (this.#offset + count > this.bytes.length) throw new RangeError("truncated");
    this.#offset += count;
  }

  uint8(): number {
    this.skip(1);
    return this.bytes[this.#offset - 1]!;
  }

  uint16(): number {
    return (this.uint8() << 8) | this.uint8();
  }

  vector(): Uint8Array {
    const first = this.uint8();
    const size = first >> 6;
    if (size === 3) throw new RangeError("a length of 8 bytes");
    let length = first & 0x3f;
    for (let extra = size === 0 ? 0 : size === 1 ? 1 : 3; extra > 0; extra--) length = length * 256 + this.uint8();
    const start = this.#offset;
    this.skip(length);
    return this.bytes.subarray(start, start + length);
  }

  skipVectors(count: number): void {
    for (let index = 0; index < count; index++) this.vector();
  }
}

function withLength(bytes: Uint8Array): Uint8Array {
  const length = bytes.length;
  const prefix =
    length < 0x40
      ? [length]
      : length < 0x4000
        ? [0x40 | (length >> 8), length & 0xff]
        : [0x80 | (length >>> 24), (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
  return concat(new Uint8Array(prefix), bytes);
}

const uint16 = (value: number) => new Uint8Array([value >> 8, value & 0xff]);

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}
