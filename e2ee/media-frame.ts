/**
 * One encoded audio or video frame of a call under end-to-end encryption (docs/e2ee.md,
 * "Calls"). The codec's first bytes stay in clear, as in the WebRTC encryption sample,
 * so the browser can still packetize the frame and tell key frames (VP8's payload
 * header, Opus's TOC byte); the rest is sealed with AES-GCM under the sender device's
 * media key (`media-keys.ts`). Pure functions over bytes and WebCrypto: the browser's
 * transform worker and the Node tests run the same code.
 *
 * A sealed frame: clear header | ciphertext with its 16-byte tag | IV (12) | clear
 * length (1) | key index (1). The trailer says how much stayed in clear, so a receiver
 * needs no codec knowledge, and which epoch's key sealed it (its low byte), so frames
 * sealed just before and just after a rotation both open. The clear header and the
 * two trailing bytes are the associated data: changing any of them fails the frame.
 *
 * The IV is 96 random bits per frame, not a counter. One key (a sender device in one
 * epoch) seals every frame of every transceiver towards every peer, in workers that do
 * not share memory, and a device that reloads mid-call comes back in the same epoch:
 * a counter would have to survive all of that to never repeat; random IVs need no
 * state. NIST SP 800-38D allows 2^32 frames per key with random IVs (the chance of any
 * IV repeating stays below 2^-32): a sender seals each frame once per peer, so at ~100
 * frames a second (audio, camera, screen) towards 24 peers that is 20 days of one call
 * in one epoch, while any join or leave of the channel moves the epoch on and rotation
 * is due after 7 days.
 */

/** What a sealed frame carries past its clear header: tag, IV, clear length and key index. */
export const MEDIA_FRAME_OVERHEAD_BYTES = 16 + 12 + 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DOMAIN = new TextEncoder().encode("chatalot media frame v1");
const SENDER_KEY_INFO = "chatalot media sender ";

/**
 * How long a device keeps sealing with the epoch it had after learning a new one: the
 * others open the new epoch's frames only once they processed the commit too, which
 * the room relays to everyone at once. Switching at once dropped a moment of every
 * receiver's media (its video then waits for a key frame) at each join or leave of the
 * channel; a removed member keeps this long at most, while its connections close.
 */
export const MEDIA_KEY_SWITCH_DELAY_MS = 1_000;
/** How long a replaced epoch's keys still open frames, for senders slower to process the commit. */
export const MEDIA_KEY_OVERLAP_MS = 5_000;

/**
 * Which key a frame names: its epoch's low byte. A receiver holds the current epoch's
 * keys and the previous ones for a few seconds, so one byte tells them apart.
 */
export const mediaKeyIndex = (epoch: bigint): number => Number(epoch & 0xffn);

/**
 * A sender device's AES-256-GCM media key in the epoch of `secret` (the epoch's media
 * secret, `media-keys.ts`): HKDF-SHA256 with the device id. Non-extractable.
 */
export async function mediaSenderKey(secret: Uint8Array, senderDeviceId: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new Uint8Array(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: new TextEncoder().encode(SENDER_KEY_INFO + senderDeviceId),
    },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * How many leading bytes of a frame stay in clear: VP8's payload header (10 bytes of a
 * key frame: the tag, start code and dimensions; 3 of a delta frame) and Opus's TOC
 * byte. Other video codecs' packetizers parse more of the frame (H.264's NAL units):
 * the call prefers VP8.
 */
export function clearBytesOf(kind: "audio" | "video", frameType?: string): number {
  if (kind === "audio") return 1;
  return frameType === "key" ? 10 : 3;
}

/** The frame sealed with `key` (the sender's media key of the epoch whose low byte is `keyIndex`). */
export async function sealMediaFrame(
  key: CryptoKey,
  keyIndex: number,
  frame: Uint8Array<ArrayBuffer>,
  clearBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const clear = Math.max(0, Math.min(clearBytes, frame.length, 255));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const trailer = Uint8Array.of(clear, keyIndex & 0xff);
  const header = frame.subarray(0, clear);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: associatedData(header, trailer) },
      key,
      frame.subarray(clear),
    ),
  );
  const sealed = new Uint8Array(clear + ciphertext.length + IV_BYTES + trailer.length);
  sealed.set(header);
  sealed.set(ciphertext, clear);
  sealed.set(iv, clear + ciphertext.length);
  sealed.set(trailer, clear + ciphertext.length + IV_BYTES);
  return sealed;
}

/** The key index a sealed frame names (the low byte of its epoch), or null when it is too short to be one. */
export function mediaFrameKeyIndex(sealed: Uint8Array): number | null {
  if (sealed.length < MEDIA_FRAME_OVERHEAD_BYTES) return null;
  return sealed[sealed.length - 1]!;
}

/** The frame as it was before sealing; throws when the key is not the one that sealed it or a byte changed. */
export async function openMediaFrame(
  key: CryptoKey,
  sealed: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  if (sealed.length < MEDIA_FRAME_OVERHEAD_BYTES) throw new Error("too short to be a sealed media frame");
  const trailer = sealed.subarray(sealed.length - 2);
  const clear = trailer[0]!;
  const ivStart = sealed.length - 2 - IV_BYTES;
  if (clear + TAG_BYTES > ivStart) throw new Error("a sealed media frame's clear length is past its end");
  const header = sealed.subarray(0, clear);
  const plaintext = new Uint8Array(
    await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: sealed.subarray(ivStart, ivStart + IV_BYTES),
        additionalData: associatedData(header, trailer),
      },
      key,
      sealed.subarray(clear, ivStart),
    ),
  );
  const frame = new Uint8Array(clear + plaintext.length);
  frame.set(header);
  frame.set(plaintext, clear);
  return frame;
}

function associatedData(header: Uint8Array, trailer: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(DOMAIN.length + header.length + trailer.length);
  bytes.set(DOMAIN);
  bytes.set(header, DOMAIN.length);
  bytes.set(trailer, DOMAIN.length + header.length);
  return bytes;
}
