/**
 * Pictures (docs/files.md, "Pictures"; docs/api.md, "Pictures"): a person sets their
 * avatar (/api/me/avatar), a community's managers its icon and banner
 * (/api/communities/:communityId/icon and /banner), and anyone shown a picture's
 * address loads it (/api/pictures/:pictureId). Pictures are not end-to-end encrypted:
 * everyone who sees the person or community sees them.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import { uuidSchema } from "../../protocol/index.ts";
import { userRateLimit } from "../abuse.ts";
import { communityAccess, requirePermission } from "../community-access.ts";
import { communityView } from "../community-views.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { changePicture } from "../picture-changes.ts";
import { limitPictureSize, readPicture } from "../picture-bytes.ts";
import { fileStoreOf, pictureKey } from "../storage/file-store.ts";
import { userView } from "../views.ts";

/**
 * Picture changes one person may make per minute: a few changes of mind, not a flood of
 * stored objects, nor of the notices each change sends to every community's members.
 */
const PICTURE_CHANGES_PER_MINUTE = 10;
const pictureChanges = userRateLimit("picture-changes", PICTURE_CHANGES_PER_MINUTE, 60);

/** The headers a picture is served with: an image and nothing more, cached for good (an id never changes). */
const PICTURE_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Cache-Control": "public, max-age=31536000, immutable",
  // Pictures are shown on other people's pages of this instance only, as `<img>`.
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** /api/me/avatar: the signed-in person's own picture. */
export const avatar = new Hono<AppEnv>()
  .put("/", requireUser, pictureChanges, limitPictureSize, async (c) => {
    const picture = await readPicture(c);
    const avatarId = await changePicture(c, { kind: "avatar", userId: c.get("userId") }, picture);
    return c.json({ user: userView({ ...c.get("user"), avatarId }) });
  })
  .delete("/", requireUser, pictureChanges, async (c) => {
    await changePicture(c, { kind: "avatar", userId: c.get("userId") }, null);
    return c.json({ user: userView({ ...c.get("user"), avatarId: null }) });
  });

/** A community's icon or banner: its managers set and remove them; others find nothing to change. */
async function changeCommunityPicture(c: Context<AppEnv>, kind: "icon" | "banner", isRemoval: boolean) {
  const access = await communityAccess(c, c.req.param("communityId")!);
  requirePermission(access, "MANAGE_COMMUNITY", `change the community's ${kind}`);
  const picture = isRemoval ? null : await readPicture(c);
  const community = access.record.community;
  const pictureId = await changePicture(c, { kind, communityId: community.id }, picture);
  const changed = kind === "icon" ? { iconId: pictureId, icon: null } : { bannerId: pictureId };
  return c.json({ community: communityView({ ...community, ...changed }) });
}

/** Mounted inside /api/communities, behind its requireUser. */
export const communityPictures = new Hono<AppEnv>()
  .put("/:communityId/icon", pictureChanges, limitPictureSize, (c) => changeCommunityPicture(c, "icon", false))
  .delete("/:communityId/icon", pictureChanges, (c) => changeCommunityPicture(c, "icon", true))
  .put("/:communityId/banner", pictureChanges, limitPictureSize, (c) => changeCommunityPicture(c, "banner", false))
  .delete("/:communityId/banner", pictureChanges, (c) => changeCommunityPicture(c, "banner", true));

/**
 * /api/pictures/:pictureId, with no sign-in: the random id is the capability, as with
 * Discord's and Slack's picture addresses. Served as the image type its bytes were
 * checked to be, never sniffed, and sandboxed should anyone open it as a page.
 */
export const pictures = new Hono<AppEnv>().get("/:pictureId", async (c) => {
  const id = uuidSchema.safeParse(c.req.param("pictureId"));
  const picture = id.success ? await query(c.env.DATABASE, "pictureById", { id: id.data }) : null;
  if (!picture) throw notFound("that picture");
  const etag = `"${picture.id}"`;
  const headers = { ...PICTURE_HEADERS, ETag: etag };
  if (c.req.header("If-None-Match")?.includes(etag)) return c.body(null, 304, headers);
  const object = await fileStoreOf(c.env).get(pictureKey(picture.id));
  // A row whose object is gone (a backup restored without its files): as good as no picture.
  if (!object) throw notFound("that picture");
  return c.body(object.body, 200, {
    ...headers,
    "Content-Type": picture.type,
    "Content-Length": String(picture.bytes),
  });
});
