/**
 * A channel's media secrets for a call (`e2ee/media-keys.ts`): the current epoch's as
 * soon as this device is in the group, then each new epoch's as the device takes it
 * (someone joined or left, a rotation), whatever brought the commit. Null while the
 * device is not in the group: the call then sends nothing rather than in clear.
 */
import { effect } from "@preact/signals";
import type { MediaSecretSource } from "../../../../e2ee/index.ts";
import type { Encryption } from "./encryption.ts";

export function mediaSecretsOf(encryption: Encryption, channelId: string): MediaSecretSource {
  return {
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
      return () => {
        isWatching = false;
        stop();
      };
    },
  };
}
