/**
 * Managing a group conversation: its name, adding people, and the people one may
 * start a conversation with. Both the web app and the server import these shapes.
 */
import { z } from "zod";
import { GROUP_DM_MAX_MEMBERS } from "./channels.ts";
import { lineText, nameText } from "./text.ts";

/** A group DM's name, as Discord allows: short enough for the sidebar and a title. */
export const GROUP_DM_NAME_MAX_LENGTH = 64;
/** What a new group DM is called until someone names it (and what clearing a name stores). */
export const UNNAMED_GROUP_DM = "group";
/** At most this many people come back from one search of the new-conversation picker. */
export const DM_CANDIDATES_MAX = 25;
export const DM_CANDIDATE_QUERY_MAX_LENGTH = 64;

/** Renaming: a name, or null (or empty) to go back to being named by its people. */
export const renameDmSchema = z.strictObject({
  name: nameText(GROUP_DM_NAME_MAX_LENGTH).nullable(),
});

export const addDmParticipantsSchema = z.strictObject({
  userIds: z
    .array(z.uuid())
    .min(1, "name at least one person to add")
    .max(GROUP_DM_MAX_MEMBERS - 1, `a group DM holds at most ${GROUP_DM_MAX_MEMBERS} people`),
});

export const dmCandidatesQuerySchema = lineText(DM_CANDIDATE_QUERY_MAX_LENGTH).default("");

/** Someone the caller may start a conversation with (they share a community). */
export interface DmCandidateView {
  userId: string;
  username: string;
  displayName: string | null;
  avatarUrl: string | null;
}

/** A person the caller blocked, as Settings > Privacy & safety lists them. */
export interface BlockedPersonView {
  userId: string;
  username: string;
  createdAt: string;
}
