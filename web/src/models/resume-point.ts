/**
 * Where a reconnecting channel socket resumes: the highest event the client holds
 * completely. It moves only on `synced` and on live frames after `synced` on the
 * same connection. Before `synced`, a live frame may overtake catch-up pages still
 * on their way, so seeing event 90 then says nothing about 60 to 89.
 */
export interface ResumePoint {
  /** Null until a first catch-up completed: the caller decides where that one starts. */
  held(): number | null;
  /** A new connection said welcome: its live frames count only after its `synced`. */
  connected(): void;
  synced(lastEvent: number): void;
  /** A catch-up that stopped at its size limit: held up to there, the next resume goes on. */
  partlySynced(lastEvent: number): void;
  /** A message view that came live (message, ack, update, done). */
  live(event: number): void;
  isSynced(): boolean;
}

export function createResumePoint(): ResumePoint {
  let held: number | null = null;
  let isSynced = false;
  return {
    held: () => held,
    connected() {
      isSynced = false;
    },
    synced(lastEvent) {
      held = Math.max(held ?? 0, lastEvent);
      isSynced = true;
    },
    partlySynced(lastEvent) {
      held = Math.max(held ?? 0, lastEvent);
    },
    live(event) {
      if (isSynced && held !== null) held = Math.max(held, event);
    },
    isSynced: () => isSynced,
  };
}
