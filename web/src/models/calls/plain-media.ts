/**
 * A call whose media is not end-to-end encrypted: in a community channel that more
 * people may read than end-to-end encryption supports and that never had a group (the
 * same rule as its chat, web/src/models/encryption/channel-policy-check.ts). Frames go
 * as the browser sends them (DTLS-SRTP to each peer, readable by an SFU or a relay that
 * terminates it); the call says so in words.
 */
import { signal } from "@preact/signals";
import type { CallMediaEncryption } from "./media-encryption-seam.ts";

export function plainMedia(): CallMediaEncryption {
  return {
    state: signal("not end-to-end"),
    deviceId: null,
    attachSender() {},
    attachReceiver() {},
    close() {},
  };
}
