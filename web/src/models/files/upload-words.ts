/**
 * Files in words: sizes as people read them ("25 MB", counted in 1,024s as most
 * systems show file sizes) and why an upload was refused, with the figures that
 * explain it ("Your files use 980 MB of 1 GB: …").
 */
import type { StorageUsage } from "../../../../protocol/index.ts";
import { ApiError, describeError } from "../api-client.ts";

const UNITS = ["KB", "MB", "GB", "TB"] as const;
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // "2.4 MB", but "980 MB": a decimal only where it says something.
  return `${(value < 10 ? oneDecimal : whole).format(value)} ${UNITS[unit]}`;
}

export const tooLargeInWords = (name: string, maxBytes: number) =>
  `${name} is larger than ${sizeInWords(maxBytes)}, the most this server accepts`;

export const emptyFileInWords = (name: string) => `${name} is empty: there is nothing in it to send`;

/**
 * Why the server refused an upload of `name` (`plainBytes` long), in words; `storage`
 * (when it could be read) gives the figures of a full quota.
 */
export function refusalInWords(error: unknown, name: string, plainBytes: number, storage: StorageUsage | null) {
  if (!(error instanceof ApiError)) return `${name} could not be uploaded: ${describeError(error)}`;
  switch (error.code) {
    case "over_quota":
      return storage
        ? `Your files use ${sizeInWords(storage.usedBytes)} of ${sizeInWords(storage.quotaBytes)}: ` +
            `${name} (${sizeInWords(plainBytes)}) does not fit. Delete messages with files you no longer need, or ask an admin for more space`
        : `${name} (${sizeInWords(plainBytes)}) does not fit in the space your files may take. Delete messages with files you no longer need, or ask an admin for more space`;
    case "file_too_large":
      return storage
        ? tooLargeInWords(name, storage.fileMaxBytes)
        : `${name} is larger than the most this server accepts`;
    case "empty_file":
      return emptyFileInWords(name);
    case "storage_full":
      return `The server's disk is full, so ${name} was not stored. Try again later`;
    case "too_many_uploads":
      return `You have too many files waiting to be sent: send or remove some before adding ${name}`;
    case "missing_permission":
      return `You cannot attach files here`;
    default:
      return `${name} could not be uploaded: ${describeError(error)}`;
  }
}

/**
 * Whether trying the same request again later may work: the network, a timeout, the
 * server busy or briefly failing. A full disk is not among them: it says so and waits
 * for the person.
 */
export function isPassing(error: unknown): boolean {
  if (!(error instanceof ApiError)) return error instanceof TypeError;
  if (error.code === "storage_full") return false;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}
