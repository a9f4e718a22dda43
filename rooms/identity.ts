/**
 * How the verified identity travels from the upgrade route into a room: headers
 * on the forwarded request, set only by `forwardToRoom` after any client-sent copies
 * are removed, then kept in the connection's state (it survives hibernation).
 */
export interface Member {
  userId: string;
  username: string;
  sessionId: string;
  /** What the person may do here, as last told to this socket (kept in the connection's state). */
  permissions?: number;
}

/** What the upgrade route verified and stamps: who, and through which session. */
type IdentityField = "userId" | "username" | "sessionId";

const HEADERS = {
  userId: "X-Chatalot-User-Id",
  username: "X-Chatalot-Username",
  sessionId: "X-Chatalot-Session-Id",
} as const satisfies Record<IdentityField, string>;

export function stampIdentity(request: Request, member: Member): Request {
  const headers = new Headers(request.headers);
  for (const [field, header] of Object.entries(HEADERS)) headers.set(header, member[field as IdentityField]);
  // partyserver takes a connection's id from `_pk` when present: a client must not choose
  // it (taking someone else's id would hide their messages from them), so the room makes one.
  const url = new URL(request.url);
  url.searchParams.delete("_pk");
  return new Request(url, new Request(request, { headers }));
}

export function readIdentity(request: Request): Member | null {
  const userId = request.headers.get(HEADERS.userId);
  const username = request.headers.get(HEADERS.username);
  const sessionId = request.headers.get(HEADERS.sessionId);
  return userId && username && sessionId ? { userId, username, sessionId } : null;
}

/** Connection tags, so a room can find every socket of a user or of a session. */
export const userTag = (userId: string) => `user:${userId}`;
export const sessionTag = (sessionId: string) => `session:${sessionId}`;
