/**
 * A call's media keys, from the channel's MLS group (docs/e2ee.md, "Calls"): each
 * epoch yields a media secret (MLS-Exporter, label `chatalot media`, the group id as
 * context), and each sender device derives its own AES-GCM key from it (HKDF with its
 * device id). A receiver derives the sender's key from the device id the call's
 * roster names; if the server names another device, frames fail to open, never open
 * wrongly. A device removed from the group never learns a later epoch's exporter
 * secret, so it derives none of the keys that follow.
 */
import { mlsExporter, type CiphersuiteImpl, type ClientState } from "ts-mls";

const MEDIA_SECRET_LABEL = "chatalot media";
const MEDIA_SECRET_BYTES = 32;
const SENDER_KEY_INFO = "chatalot media sender ";

/** One epoch's media secret for a channel. */
export interface MediaSecret {
  epoch: bigint;
  /** 32 bytes every member of the epoch derives alike. */
  secret: Uint8Array;
}

/**
 * Where a call gets the channel's media secrets: `watch` calls `listener` with the
 * current one as soon as it is known, then with each new epoch's (someone joined or
 * left the group), and with null while this device is not in the group (nothing is
 * sent then). Returns a function that stops watching.
 */
export interface MediaSecretSource {
  watch(listener: (secret: MediaSecret | null) => void): () => void;
}

/** The epoch's media secret. */
export async function mediaSecretOf(state: ClientState, cipherSuite: CiphersuiteImpl): Promise<MediaSecret> {
  const secret = await mlsExporter(
    state.keySchedule.exporterSecret,
    MEDIA_SECRET_LABEL,
    state.groupContext.groupId,
    MEDIA_SECRET_BYTES,
    cipherSuite,
  );
  return { epoch: state.groupContext.epoch, secret };
}

/**
 * Which key a frame names: the epoch's low byte. A receiver holds the current epoch's
 * keys and the previous ones for a few seconds, so one byte tells them apart.
 */
export const mediaKeyIndex = (epoch: bigint): number => Number(epoch & 0xffn);

/** A sender device's AES-256-GCM media key in the epoch of `secret` (non-extractable). */
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
