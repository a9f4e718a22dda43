/**
 * End-to-end encryption primitives that need no MLS library: attachment encryption
 * and verification codes. Runtime-free (WebCrypto), for the browser and Node tests.
 */
export * from "./attachment-crypto.ts";
export * from "./device-certificate.ts";
export * from "./safety-number.ts";
