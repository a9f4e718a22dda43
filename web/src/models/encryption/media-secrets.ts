/**
 * A channel's media secrets for a call (`e2ee/media-keys.ts`): the current epoch's as
 * soon as this device is in the group, then each new epoch's as the device takes it
 * (someone joined or left, a rotation), whatever brought the commit. Null while the
 * device is not in the group: the call then sends nothing rather than in clear.
 */
import { effect } from "@preact/signals";
import type { MediaSecretSource } from "../../../../e2ee/index.ts";
import type { Encryption } from "./encryption.ts";

export interface CallMediaSecrets extends MediaSecretSource {
  /**
   * Processes the commits the channel's group took since this device's epoch: a call
   * calls it on each `handshake` frame of its socket, as the channel's chat (which
   * does the same) may not be open while the call goes on.
   */
  catchUp(): void;
}

export function mediaSecretsOf(encryption: Encryption, channelId: string): CallMediaSecrets {
  const catchUp = () =>
    void encryption
      .run(async (device) => {
        if (device.isMember(channelId)) await device.catchUp(channelId);
      })
      // Not now (the network): the next handshake, or the chat when open, tries again.
      .catch(() => undefined);
  return {
    catchUp,
    watch(listener) {
      let isWatching = true;
      let told: string | null | undefined;
      const stop = effect(() => {
        const held = encryption.groupEpochs.value.get(channelId) ?? null;
        if (held === told) return;
        told = held;
        if (held === null) return listener(null);
        void encryption
          .run((device) => device.mediaSecret(channelId))
          // Told only while this epoch is still the one held: a later one's answer may come first.
          .then((secret) => {
            if (isWatching && told === held) listener(secret);
          })
          .catch(() => undefined);
      });
      // A call may start in a channel whose chat was not open: its epoch may be behind.
      catchUp();
      return () => {
        isWatching = false;
        stop();
      };
    },
  };
}
