/**
 * Tells clients that end-to-end encryption has work for them: a person's devices
 * changed (a device set up, a session signed out or revoked), so members' open
 * clients commit the pending adds or removes; or a Welcome waits for someone's device.
 * Best effort (a failure is logged, never the caller's): a client also looks again
 * whenever it opens a channel.
 */
import { errorText, log, query } from "../db/index.ts";
import type { EventsServerFrame } from "../protocol/index.ts";

const E2EE_CHANGED: EventsServerFrame = { type: "changed", scope: "e2ee" };

/** Everyone sharing a community or a conversation with the person, and the person's own other devices. */
export async function announceDeviceChange(env: Env, userId: string): Promise<void> {
  const work = (async () => {
    const peers = await query(env.DATABASE, "devicePeersOf", { userId });
    await Promise.allSettled([
      ...peers.communityIds.map((communityId) =>
        env.COMMUNITY_HUB.getByName(communityId).changed({ type: "changed", scope: "e2ee", communityId }),
      ),
      ...[userId, ...peers.userIds].map((peer) => env.USER_SOCKETS.getByName(peer).push(E2EE_CHANGED)),
    ]);
  })().catch((error: unknown) => log.error("device_change_not_announced", { error: errorText(error) }));
  await work;
}

/** The people whose devices have a Welcome waiting. */
export async function announceWelcomes(env: Env, deviceIds: string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  const work = (async () => {
    const owners = await query(env.DATABASE, "ownersOfDevices", { deviceIds });
    await Promise.allSettled(owners.map((userId) => env.USER_SOCKETS.getByName(userId).push(E2EE_CHANGED)));
  })().catch((error: unknown) => log.error("welcomes_not_announced", { error: errorText(error) }));
  await work;
}
