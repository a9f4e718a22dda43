/** The browser page's entry: exposes the attachment encryption bench to bench/files/browser-encryption.ts. */
import { encryptionRate } from "./encryption-rate.ts";

(globalThis as unknown as { encryptionRate: typeof encryptionRate }).encryptionRate = encryptionRate;
