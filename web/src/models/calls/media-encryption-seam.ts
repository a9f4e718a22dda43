/**
 * What the call needs of its media encryption: a state to show, and one call per
 * transceiver to put a frame transform on its sender or receiver, made when the
 * transceiver is created (a transform attached later misses the first frames). The
 * implementation is media-encryption.ts (keys from the channel's MLS group), adapted in
 * end-to-end-media.ts; an SFU's or another browser's would fit the same four calls.
 */
import type { ReadonlySignal } from "@preact/signals";
import type { MediaSlot } from "./media-slots.ts";

/** Shown like the channel header: "End-to-end encrypted" / "Not end-to-end encrypted"; keys missing: frames cannot be read yet. */
export type CallEncryptionState = "end-to-end" | "not end-to-end" | "keys missing";

export interface CallMediaEncryption {
  readonly state: ReadonlySignal<CallEncryptionState>;
  /** This device's encryption device id, sent in `call.join` (null: the call's media is not encrypted). */
  readonly deviceId: string | null;
  /** Extra settings the peer connection needs (legacy encoded streams want `encodedInsertableStreams`). */
  readonly configuration?: Partial<RTCConfiguration>;
  attachSender(sender: RTCRtpSender, slot: MediaSlot): void;
  /** `deviceId`: the remote participant's encryption device, whose key decrypts its frames. */
  attachReceiver(
    receiver: RTCRtpReceiver,
    slot: MediaSlot,
    remote: { participantId: string; deviceId: string | null },
  ): void;
  /** The channel's room relayed a commit of its MLS group (a `handshake` frame): media keys may change. */
  onHandshake?(): void;
  close(): void;
}
