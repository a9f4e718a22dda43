/**
 * The STUN and TURN servers a call's peer connections use, with short-lived TURN
 * credentials, from `GET /api/calls/ice-servers` (asked for at every join: the
 * credentials expire). A server without the route (404) gets none: calls then
 * connect directly, which works on one network but not through most NATs.
 */
import type { IceServerView } from "../../../../protocol/index.ts";
import { ApiError } from "../api-client.ts";
import type { Session } from "../session.ts";

export async function fetchIceServers(session: Session): Promise<RTCIceServer[]> {
  try {
    const answer = await session.request<{ iceServers: IceServerView[] } | IceServerView[]>("/api/calls/ice-servers");
    const servers = Array.isArray(answer) ? answer : answer.iceServers;
    return servers.map(({ urls, username, credential }) => ({ urls, username, credential }));
  } catch (caught) {
    if (caught instanceof ApiError && caught.status === 404) return [];
    throw caught;
  }
}
