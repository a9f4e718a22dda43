/**
 * How the verified identity travels from the upgrade route into a room: headers
 * on the forwarded request, set only by `forwardToRoom` after any client-sent copies
 * are removed, then kept in the connection's state (it survives hibernation).
 */
export interface Member {
  userId: string;
  username: string;
  sessionId: string;
}

const HEADERS = {
  userId: "X-Chatalot-User-Id",
  username: "X-Chatalot-Username",
  sessionId: "X-Chatalot-Session-Id",
} as const satisfies Record<keyof Member, string>;

export function stampIdentity(request: Request, member: Member): Request {
  const headers = new Headers(request.headers);
  for (const [field, header] of Object.entries(HEADERS)) headers.set(header, member[field as keyof Member]);
  return new Request(request, { headers });
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
