/**
 * TURN spoken by hand over UDP (RFC 8656, with STUN's long-term credentials of RFC 8489),
 * so a test reads the relay's exact answers: the relayed address it granted or the error
 * code (401 a credential it does not accept, 442 a transport it does not relay), and
 * which peers it lets the allocation reach (403 for a denied one). turnutils_uclient
 * proves media flows; this says why something was refused.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";

const MAGIC_COOKIE = 0x2112a442;
const METHOD = { ALLOCATE: 0x0003, CREATE_PERMISSION: 0x0008 } as const;
/** A success response's type is the method with class bits 0b10 (0x0100). */
const SUCCESS_CLASS = 0x0100;
const ATTRIBUTE = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  XOR_PEER_ADDRESS: 0x0012,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
} as const;
const PROTOCOL_NUMBER = { udp: 17, tcp: 6 } as const;
const ANSWER_TIMEOUT_MS = 5_000;

export interface TurnSession {
  /** The relayed address granted, or the error code of the refusal. */
  allocation: { relayed: { address: string; port: number } } | { errorCode: number };
  /** Asks to reach `peer` (IPv4) through the allocation: 0 when allowed, else the error code. */
  permit(peer: string): Promise<number>;
  close(): void;
}

/** Allocates a relay at 127.0.0.1:`port` with `username` and `password`; close() the session after. */
export async function openTurnSession(
  port: number,
  username: string,
  password: string,
  transport: keyof typeof PROTOCOL_NUMBER = "udp",
): Promise<TurnSession> {
  const socket = createSocket("udp4");
  const requestedTransport = tlv(ATTRIBUTE.REQUESTED_TRANSPORT, Buffer.from([PROTOCOL_NUMBER[transport], 0, 0, 0]));
  try {
    // The first ask carries no credential: the relay answers 401 with its realm and a nonce.
    const challenge = await exchange(socket, port, request(METHOD.ALLOCATE, [requestedTransport]));
    if (errorCodeOf(challenge) !== 401) throw new Error(`expected a 401 challenge, got ${summary(challenge)}`);
    const realm = attribute(challenge, ATTRIBUTE.REALM)!;
    const nonce = attribute(challenge, ATTRIBUTE.NONCE)!;
    const key = createHash("md5")
      .update(`${username}:${realm.toString("utf8")}:${password}`)
      .digest();
    const credentials = [
      tlv(ATTRIBUTE.USERNAME, Buffer.from(username, "utf8")),
      tlv(ATTRIBUTE.REALM, realm),
      tlv(ATTRIBUTE.NONCE, nonce),
    ];
    const signed = (method: number, attributes: Buffer[]) => request(method, [...attributes, ...credentials], key);

    const answer = await exchange(socket, port, signed(METHOD.ALLOCATE, [requestedTransport]));
    const allocation =
      answer.readUInt16BE(0) === (METHOD.ALLOCATE | SUCCESS_CLASS)
        ? { relayed: xorAddress(attribute(answer, ATTRIBUTE.XOR_RELAYED_ADDRESS)!) }
        : { errorCode: errorCodeOrThrow(answer) };
    return {
      allocation,
      async permit(peer) {
        const peerAddress = tlv(ATTRIBUTE.XOR_PEER_ADDRESS, xorEncode(peer, 0));
        const permission = await exchange(socket, port, signed(METHOD.CREATE_PERMISSION, [peerAddress]));
        return permission.readUInt16BE(0) === (METHOD.CREATE_PERMISSION | SUCCESS_CLASS)
          ? 0
          : errorCodeOrThrow(permission);
      },
      close: () => socket.close(),
    };
  } catch (error) {
    socket.close();
    throw error;
  }
}

function request(method: number, attributes: Buffer[], integrityKey?: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(method, 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  randomBytes(12).copy(header, 8);
  let body = Buffer.concat(attributes);
  header.writeUInt16BE(body.length + (integrityKey ? 24 : 0), 2);
  if (integrityKey) {
    // MESSAGE-INTEGRITY covers everything before it, with the length already counting it.
    const mac = createHmac("sha1", integrityKey)
      .update(Buffer.concat([header, body]))
      .digest();
    body = Buffer.concat([body, tlv(ATTRIBUTE.MESSAGE_INTEGRITY, mac)]);
  }
  return Buffer.concat([header, body]);
}

function tlv(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function attribute(packet: Buffer, type: number): Buffer | undefined {
  for (let offset = 20; offset + 4 <= packet.length;) {
    const length = packet.readUInt16BE(offset + 2);
    if (packet.readUInt16BE(offset) === type) return packet.subarray(offset + 4, offset + 4 + length);
    offset += 4 + Math.ceil(length / 4) * 4;
  }
  return undefined;
}

function errorCodeOf(packet: Buffer): number | undefined {
  const value = attribute(packet, ATTRIBUTE.ERROR_CODE);
  return value ? (value[2]! & 0x07) * 100 + value[3]! : undefined;
}

function errorCodeOrThrow(packet: Buffer): number {
  const code = errorCodeOf(packet);
  if (code === undefined) throw new Error(`unexpected answer: ${summary(packet)}`);
  return code;
}

/** An IPv4 XOR-…-ADDRESS value: family 1, port and address XORed with the magic cookie. */
function xorEncode(address: string, port: number): Buffer {
  const value = Buffer.alloc(8);
  value[1] = 0x01;
  value.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 2);
  const numeric = address.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
  value.writeUInt32BE((numeric ^ MAGIC_COOKIE) >>> 0, 4);
  return value;
}

function xorAddress(value: Buffer): { address: string; port: number } {
  const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  const numeric = (value.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
  return { address: [24, 16, 8, 0].map((shift) => (numeric >>> shift) & 0xff).join("."), port };
}

const summary = (packet: Buffer) =>
  `type 0x${packet.readUInt16BE(0).toString(16)}, error ${errorCodeOf(packet) ?? "none"}`;

/** Sends `message` and waits for the answer with its transaction id (UDP: resent each second). */
function exchange(socket: Socket, port: number, message: Buffer): Promise<Buffer> {
  const transaction = message.subarray(8, 20);
  return new Promise((resolve, reject) => {
    const send = () => socket.send(message, port, "127.0.0.1");
    const resend = setInterval(send, 1_000);
    const timeout = setTimeout(() => finish(new Error(`no answer from the relay on port ${port}`)), ANSWER_TIMEOUT_MS);
    const onMessage = (packet: Buffer) => {
      if (packet.length >= 20 && packet.subarray(8, 20).equals(transaction)) finish(packet);
    };
    const finish = (result: Buffer | Error) => {
      clearInterval(resend);
      clearTimeout(timeout);
      socket.off("message", onMessage);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    socket.on("message", onMessage);
    send();
  });
}
