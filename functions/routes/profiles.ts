/**
 * /api/users/:userId: how a person presents themself (name, pronouns, bio, status,
 * picture), read by the profile card. Only those who share a community or a
 * conversation with them may read it; to anyone else the person does not exist (404).
 */
import { Hono } from "hono";
import { liveCustomStatus, query } from "../../db/index.ts";
import { uuidSchema } from "../../protocol/index.ts";
import type { ProfileView } from "../../protocol/moderation.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { customStatusView, pictureUrl } from "../views.ts";

export const profiles = new Hono<AppEnv>().use(requireUser).get("/:userId", async (c) => {
  const id = uuidSchema.safeParse(c.req.param("userId"));
  if (!id.success) throw notFound("that person");
  const viewerId = c.get("userId");
  const [user, isShared] = await Promise.all([
    query(c.env.DATABASE, "userById", { id: id.data }),
    query(c.env.DATABASE, "sharesPlaceWith", { viewerId, userId: id.data }),
  ]);
  if (!user || user.deletedAt || !isShared) throw notFound("that person");
  return c.json({
    profile: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      pronouns: user.pronouns,
      bio: user.bio,
      customStatus: customStatusView(liveCustomStatus(user)),
      avatarUrl: pictureUrl(user.avatarId),
      createdAt: user.createdAt.toISOString(),
    } satisfies ProfileView,
  });
});
