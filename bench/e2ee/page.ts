/** The browser page's entry: exposes the envelope bench to bench/e2ee-browser.ts. */
import { envelopeRate } from "./envelope-rate.ts";

(globalThis as unknown as { envelopeRate: typeof envelopeRate }).envelopeRate = envelopeRate;
