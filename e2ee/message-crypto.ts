/**
 * Message content under end-to-end encryption. Each MLS epoch of a channel's group
 * yields a history key (MLS-Exporter); each sender device derives its own key from
 * it (HKDF with the device id), seals the message with AES-256-GCM and signs the
 * result with its device signature key. History keys, not MLS ratchets, protect the
 * content, so any device of a member that holds the epoch's history key (in the
 * member's encrypted backup) can read it later: the forward-secrecy trade-off
 * written down in docs/e2ee.md.
 *
 * Envelope (the message payload the server stores and relays, opaque to it):
 * version (1) | epoch (8, big-endian) | nonce (12) | signature (64) | ciphertext.
 */
import { mlsExporter, type CiphersuiteImpl, type ClientState } from "ts-mls";
import { ENVELOPE_HEADER_BYTES, ENVELOPE_VERSION } from "../protocol/mls.ts";

const VERSION = ENVELOPE_VERSION;
const HEADER_BYTES = ENVELOPE_HEADER_BYTES;
const HISTORY_KEY_LABEL = "chatalot history key v1";

/** The epoch's history key: 32 bytes every member of the epoch derives alike. */
export async function historyKeyOf(state: ClientState, cipherSuite: CiphersuiteImpl): Promise<Uint8Array> {
  return mlsExporter(state.keySchedule.exporterSecret, HISTORY_KEY_LABEL, state.groupContext.groupId, 32, cipherSuite);
}

export interface SealInput {
  channelId: string;
  epoch: bigint;
  historyKey: Uint8Array;
  senderDeviceId: string;
  signKey: Uint8Array;
  plaintext: Uint8Array;
}

export async function sealMessage(cipherSuite: CiphersuiteImpl, input: SealInput): Promise<Uint8Array> {
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const key = await senderKey(input.historyKey, input.senderDeviceId);
  const associated = associatedData(input.channelId, input.epoch, input.senderDeviceId);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce, additionalData: associated },
      key,
      new Uint8Array(input.plaintext),
    ),
  );
  const signature = await cipherSuite.signature.sign(input.signKey, signedBytes(associated, nonce, ciphertext));
  const envelope = new Uint8Array(HEADER_BYTES + ciphertext.length);
  envelope[0] = VERSION;
  new DataView(envelope.buffer).setBigUint64(1, input.epoch);
  envelope.set(nonce, 9);
  envelope.set(signature, 21);
  envelope.set(ciphertext, HEADER_BYTES);
  return envelope;
}

/** The epoch an envelope was sealed in (to find its history key), or null when it is not an envelope. */
export function envelopeEpoch(envelope: Uint8Array): bigint | null {
  if (envelope.length < HEADER_BYTES + 16 || envelope[0] !== VERSION) return null;
  return new DataView(envelope.buffer, envelope.byteOffset, envelope.byteLength).getBigUint64(1);
}

export interface OpenInput {
  channelId: string;
  historyKey: Uint8Array;
  /** Who the server says sent it; the signature must be this device's. */
  senderDeviceId: string;
  senderSignaturePublicKey: Uint8Array;
  envelope: Uint8Array;
}

/** The plaintext; throws when anything was changed, swapped or forged. */
export async function openMessage(cipherSuite: CiphersuiteImpl, input: OpenInput): Promise<Uint8Array> {
  const epoch = envelopeEpoch(input.envelope);
  if (epoch === null) throw new Error("not an encrypted message");
  const nonce = input.envelope.slice(9, 21);
  const signature = input.envelope.slice(21, HEADER_BYTES);
  const ciphertext = input.envelope.slice(HEADER_BYTES);
  const associated = associatedData(input.channelId, epoch, input.senderDeviceId);
  const isSigned = await cipherSuite.signature.verify(
    input.senderSignaturePublicKey,
    signedBytes(associated, nonce, ciphertext),
    signature,
  );
  if (!isSigned) throw new Error("the signature is not the sender device's");
  const key = await senderKey(input.historyKey, input.senderDeviceId);
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce, additionalData: associated }, key, ciphertext),
  );
}

/**
 * Refuses an envelope read before in another place: a server replaying a message
 * under a new sequence number (or in another channel) shows the same nonce from the
 * same device. Reading the same message again where it was (a reload, another view)
 * is not a replay. Only envelopes that opened are recorded, so a forgery cannot
 * block the genuine message.
 */
export class ReplayGuard {
  readonly log: ReplayLog;
  constructor(log: ReplayLog = new MemoryReplayLog()) {
    this.log = log;
  }

  /** `where`: the channel and sequence number the envelope came under. */
  async isFresh(senderDeviceId: string, envelope: Uint8Array, where = ""): Promise<boolean> {
    const seen = await this.log.get(replayId(senderDeviceId, envelope));
    return seen === undefined || seen === where;
  }

  /** After the envelope opened: later copies elsewhere are replays. */
  async record(senderDeviceId: string, envelope: Uint8Array, where = ""): Promise<void> {
    await this.log.set(replayId(senderDeviceId, envelope), where);
  }
}

/** Where each envelope was first read, by sender device and nonce: in memory, or kept (IndexedDB in the browser). */
export interface ReplayLog {
  get(id: string): Promise<string | undefined>;
  set(id: string, where: string): Promise<void>;
}

export class MemoryReplayLog implements ReplayLog {
  #read = new Map<string, string>();

  async get(id: string): Promise<string | undefined> {
    return this.#read.get(id);
  }

  async set(id: string, where: string): Promise<void> {
    this.#read.set(id, where);
  }
}

const replayId = (senderDeviceId: string, envelope: Uint8Array) =>
  `${senderDeviceId}:${Array.from(envelope.subarray(9, 21), (byte) => byte.toString(16).padStart(2, "0")).join("")}`;

async function senderKey(historyKey: Uint8Array, senderDeviceId: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new Uint8Array(historyKey), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: new TextEncoder().encode(`chatalot sender key v1\n${senderDeviceId}`),
    },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const associatedData = (channelId: string, epoch: bigint, senderDeviceId: string) =>
  new TextEncoder().encode(`chatalot message v1\n${channelId}\n${epoch}\n${senderDeviceId}`);

function signedBytes(associated: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(associated.length + nonce.length + ciphertext.length);
  bytes.set(associated);
  bytes.set(nonce, associated.length);
  bytes.set(ciphertext, associated.length + nonce.length);
  return bytes;
}
