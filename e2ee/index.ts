/**
 * End-to-end encryption for the browser and Node tests (simulated clients), runtime-
 * free (WebCrypto and ts-mls): attachments, verification codes, device certificates,
 * MLS devices with the app's authentication service, message envelopes, call media
 * frames and their keys, key backup, and the device itself (`E2eeDevice`: its state
 * and its steps with the server).
 */
export * from "./attachment-crypto.ts";
export * from "./channel-policy.ts";
export * from "./device.ts";
export * from "./device-groups.ts";
export * from "./device-keys.ts";
export * from "./device-backup.ts";
export * from "../protocol/device-certificate.ts";
export * from "./epoch-rotation.ts";
export * from "./group-roster.ts";
export * from "./history-keys.ts";
export * from "./key-backup.ts";
export * from "./recovery-code.ts";
export * from "./media-frame.ts";
export * from "./media-keys.ts";
export * from "./message-content.ts";
export * from "./message-crypto.ts";
export * from "./mls-codec.ts";
export * from "./mls-device.ts";
export * from "./safety-number.ts";
export * from "./sender-chain.ts";
export * from "./transport.ts";
