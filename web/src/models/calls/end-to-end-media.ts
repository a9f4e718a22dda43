/**
 * The call's media encryption (media-encryption.ts) seen through the seam the call
 * uses: frames sealed with this device's key from the channel's MLS group, opened with
 * each sender device's. Until this device holds the group's current media secret the
 * call says "keys missing": nothing is sent, and nothing received can be opened.
 */
import { signal } from "@preact/signals";
import type { Encryption } from "../encryption/encryption.ts";
import { mediaSecretsOf } from "../encryption/media-secrets.ts";
import type { Session } from "../session.ts";
import { createMediaEncryption } from "./media-encryption.ts";
import type { CallEncryptionState, CallMediaEncryption } from "./media-encryption-seam.ts";
import { slotKind } from "./media-slots.ts";

export function endToEndMedia(channelId: string, session: Session, encryption: Encryption): CallMediaEncryption {
  const ownDeviceId = session.sessionId.peek() ?? "";
  const secrets = mediaSecretsOf(encryption, channelId);
  const media = createMediaEncryption({ channelId, ownDeviceId, secrets });
  const state = signal<CallEncryptionState>("keys missing");
  const stopWatching = secrets.watch((secret) => (state.value = secret ? "end-to-end" : "keys missing"));
  return {
    state,
    deviceId: ownDeviceId,
    configuration: media.peerConnectionOptions,
    attachSender: (sender, slot) => media.attachSender(sender, slotKind(slot)),
    attachReceiver: (receiver, slot, remote) => media.attachReceiver(receiver, slotKind(slot), remote.deviceId),
    onHandshake: () => secrets.catchUp(),
    close() {
      stopWatching();
      media.close();
    },
  };
}
