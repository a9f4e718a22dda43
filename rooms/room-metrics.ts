/**
 * Open sockets and active rooms for /metrics: which connections each room of this isolate
 * admitted, in memory. Connection ids, not a bare count: a socket refused at admission
 * also closes, and must not take a count it never added.
 */
import { setGauge } from "../db/index.ts";

const openByRoom = new Map<string, Set<string>>();
let openSockets = 0;

export function socketAdmitted(roomName: string, connectionId: string): void {
  const open = openByRoom.get(roomName) ?? new Set<string>();
  openByRoom.set(roomName, open);
  if (open.has(connectionId)) return;
  open.add(connectionId);
  openSockets++;
  publish();
}

export function socketGone(roomName: string, connectionId: string): void {
  const open = openByRoom.get(roomName);
  if (!open?.delete(connectionId)) return;
  openSockets--;
  if (open.size === 0) openByRoom.delete(roomName);
  publish();
}

function publish(): void {
  setGauge("chatalot_open_sockets", {}, openSockets);
  setGauge("chatalot_active_rooms", {}, openByRoom.size);
}
