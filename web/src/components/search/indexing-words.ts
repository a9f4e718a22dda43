/** The device's index in a sentence: "Indexing 12,400 of 80,000 messages", or why search may miss some. */
import type { IndexingProgress } from "../../models/search/search-types.ts";

const count = new Intl.NumberFormat();
const messages = (n: number) => `${count.format(n)} ${n === 1 ? "message" : "messages"}`;

export function indexingInWords(progress: IndexingProgress): string {
  if (!progress.enabled) return "Search on this device is off: turn it on in Settings, Encryption.";
  if (progress.running) return `Indexing ${count.format(progress.indexed)} of ${messages(progress.total)}`;
  return `${messages(progress.indexed)} searchable on this device`;
}
