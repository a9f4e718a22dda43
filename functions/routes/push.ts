/**
 * /api/push: Web Push subscriptions (issue #23). The VAPID public key browsers
 * subscribe with, and one subscription per signed-in browser, which lives as long as
 * its session. Delivery itself is rooms/push/.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import {
  pushSubscriptionSchema,
  pushUnsubscribeSchema,
  PUSH_SUBSCRIPTIONS_PER_USER_MAX,
  type VapidPublicKeyView,
} from "../../protocol/push.ts";
import { vapidKeys } from "../../rooms/index.ts";
import { rateLimit } from "../abuse.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { endpointProblem } from "../push-endpoint.ts";
import { parseJson } from "../validation.ts";

/** A browser subscribes once per sign-in or key change; a few a minute is plenty. */
const SUBSCRIBE_LIMIT = rateLimit("push-subscriptions", 120, 60);

function vapidPrivateKey(c: Context<AppEnv>): string {
  const key = c.get("config").VAPID_PRIVATE_KEY;
  if (!key) {
    throw new AppError(
      404,
      "push_off",
      "this server sends no push notifications: its operator has not set a VAPID key",
    );
  }
  return key;
}

export const push = new Hono<AppEnv>()
  .get("/vapid-public-key", async (c) => {
    const { publicKey } = await vapidKeys(vapidPrivateKey(c));
    return c.json({ publicKey } satisfies VapidPublicKeyView);
  })
  .post("/subscriptions", requireUser, SUBSCRIBE_LIMIT, limitBody, async (c) => {
    vapidPrivateKey(c);
    const subscription = await parseJson(c, pushSubscriptionSchema);
    const problem = endpointProblem(subscription.endpoint, c.get("config"));
    if (problem) throw new AppError(400, "invalid_endpoint", problem);
    await query(c.env.DATABASE, "savePushSubscription", {
      userId: c.get("userId"),
      sessionId: c.get("sessionId"),
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      maxPerUser: PUSH_SUBSCRIPTIONS_PER_USER_MAX,
    });
    return c.body(null, 204);
  })
  .delete("/subscriptions", requireUser, SUBSCRIBE_LIMIT, limitBody, async (c) => {
    const { endpoint } = await parseJson(c, pushUnsubscribeSchema);
    if (!(await query(c.env.DATABASE, "deletePushSubscription", { userId: c.get("userId"), endpoint })))
      throw notFound("that push subscription");
    return c.body(null, 204);
  });
