/**
 * End-to-end encryption for the browser and Node tests (simulated clients), runtime-
 * free (WebCrypto and ts-mls): attachments, verification codes, device certificates,
 * MLS devices with the app's authentication service, message envelopes, and key backup.
 */
export * from "./attachment-crypto.ts";
export * from "./device-certificate.ts";
export * from "./epoch-rotation.ts";
export * from "./key-backup.ts";
export * from "./message-content.ts";
export * from "./message-crypto.ts";
export * from "./mls-device.ts";
export * from "./safety-number.ts";
