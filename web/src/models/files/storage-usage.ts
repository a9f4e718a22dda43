/**
 * The person's storage as the server counts it (`GET /api/me/storage`): read once
 * when they first attach a file, so a file over the server's limit is refused before
 * it is encrypted, and again after an over-quota refusal, whose words give the figures.
 */
import { signal } from "@preact/signals";
import type { StorageUsage } from "../../../../protocol/index.ts";
import type { Session } from "../session.ts";
import { storageUsage } from "./upload-requests.ts";

function createStorage(session: Session) {
  const usage = signal<StorageUsage | null>(null);
  let reading: Promise<StorageUsage | null> | null = null;

  /** Reads it now; null when it cannot be read (the server then still refuses what does not fit). */
  function read(): Promise<StorageUsage | null> {
    reading ??= storageUsage(session)
      .then((read) => (usage.value = read))
      .catch(() => usage.peek())
      .finally(() => (reading = null));
    return reading;
  }

  return {
    usage,
    read,
    /** Reads it unless it is known. */
    ensure: (): Promise<StorageUsage | null> => (usage.peek() ? Promise.resolve(usage.peek()) : read()),
  };
}

const storages = new WeakMap<Session, ReturnType<typeof createStorage>>();

export function storageOf(session: Session) {
  let storage = storages.get(session);
  if (!storage) storages.set(session, (storage = createStorage(session)));
  return storage;
}
