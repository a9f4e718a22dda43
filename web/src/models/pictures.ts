/**
 * Pictures (docs/files.md, "Pictures"): the signed-in person's avatar, a community's
 * icon and banner. The page crops and resizes them (components/picture-cropper.tsx);
 * here they are sent as the body of a PUT, bytes and their type, and the answer (the
 * person or community with the new address) replaces what the page showed.
 */
import { createModel } from "@preact/signals";
import type { CommunityView, UserView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { ApiError, apiErrorOf } from "./api-client.ts";
import type { Session } from "./session.ts";

export type CommunityPictureKind = "icon" | "banner";

/** PUT `path` with the picture as its body; the server's JSON answer, or an ApiError. */
async function putPicture<T>(session: Session, path: string, picture: Blob): Promise<T> {
  return session.authorized(async (accessToken) => {
    let response: Response;
    try {
      response = await fetch(path, {
        method: "PUT",
        headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": picture.type, Accept: "application/json" },
        body: picture,
        credentials: "same-origin",
      });
    } catch {
      throw new ApiError(0, "network", "the server could not be reached: check your connection and try again");
    }
    const json: unknown = await response.json().catch(() => null);
    if (response.ok) return json as T;
    throw apiErrorOf(response.status, response.statusText, response.headers.get("Retry-After"), json);
  });
}

/** The signed-in person's avatar: set from a cropped picture, or removed. */
export const AvatarModel = createModel((session: Session) => {
  const saving = createAction();
  const adopt = (answer: { user: UserView } | null) => {
    if (answer) session.updateUser(answer.user);
    return answer !== null;
  };
  return {
    saving,
    save: async (picture: Blob) =>
      adopt(await saving.run(() => putPicture<{ user: UserView }>(session, "/api/me/avatar", picture))),
    remove: async () =>
      adopt(await saving.run(() => session.request<{ user: UserView }>("/api/me/avatar", { method: "DELETE" }))),
  };
});

export type AvatarEditing = InstanceType<typeof AvatarModel>;

/** A community's icon or banner, for those who may manage it; `onChange` gets the community as it is now. */
export const CommunityPicturesModel = createModel(
  (session: Session, communityId: string, onChange: (community: CommunityView) => void) => {
    const saving = createAction();
    const path = (kind: CommunityPictureKind) => `/api/communities/${encodeURIComponent(communityId)}/${kind}`;
    const adopt = (answer: { community: CommunityView } | null) => {
      if (answer) onChange(answer.community);
      return answer !== null;
    };
    return {
      saving,
      save: async (kind: CommunityPictureKind, picture: Blob) =>
        adopt(await saving.run(() => putPicture<{ community: CommunityView }>(session, path(kind), picture))),
      remove: async (kind: CommunityPictureKind) =>
        adopt(await saving.run(() => session.request<{ community: CommunityView }>(path(kind), { method: "DELETE" }))),
    };
  },
);

export type CommunityPictures = InstanceType<typeof CommunityPicturesModel>;
