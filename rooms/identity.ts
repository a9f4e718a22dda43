/**
 * How the verified identity travels from the upgrade route into a room: headers
 * on the forwarded request, set only by `forwardToRoom` after any client-sent copies
 * are removed, then kept in the connection's state (it survives hibernation).
 */
export interface Member {
  userId: string;
  username: string;
}

export const USER_ID_HEADER = "X-Chatalot-User-Id";
export const USERNAME_HEADER = "X-Chatalot-Username";

export function stampIdentity(request: Request, member: Member): Request {
  const headers = new Headers(request.headers);
  headers.set(USER_ID_HEADER, member.userId);
  headers.set(USERNAME_HEADER, member.username);
  return new Request(request, { headers });
}

export function readIdentity(request: Request): Member | null {
  const userId = request.headers.get(USER_ID_HEADER);
  const username = request.headers.get(USERNAME_HEADER);
  return userId && username ? { userId, username } : null;
}
