/**
 * A call's media keys, from the channel's MLS group (docs/e2ee.md, "Calls"): each
 * epoch yields a media secret (MLS-Exporter, label `chatalot media`, the group id as
 * context), and each sender device derives its own AES-GCM key from it (HKDF with its
 * device id: `mediaSenderKey` in `media-frame.ts`, which the transform worker loads
 * without MLS). A receiver derives the sender's key from the device id the call's
 * roster names; if the server names another device, frames fail to open, never open
 * wrongly. A device removed from the group never learns a later epoch's exporter
 * secret, so it derives none of the keys that follow.
 */
import { mlsExporter, type CiphersuiteImpl, type ClientState } from "ts-mls";

const MEDIA_SECRET_LABEL = "chatalot media";
const MEDIA_SECRET_BYTES = 32;

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
