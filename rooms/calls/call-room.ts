/** What the call handlers use of the channel's room, beyond what chat uses. */
import type { Connection } from "partyserver";
import type { ChatRoom } from "../chat-room.ts";
import type { Member } from "../identity.ts";
import type { CallAnnouncer } from "./call-announcer.ts";
import type { CallBook } from "./call-book.ts";
import type { CallSettings } from "./call-settings.ts";

export interface CallRoom extends ChatRoom {
  calls: CallBook;
  callSettings: CallSettings;
  callAnnouncer: CallAnnouncer;
  /** An open socket of this room by its id, if it still exists. */
  connection(connectionId: string): Connection<Member> | undefined;
  /** Sets the room's alarm for the call's next deadline (shared with the access re-check). */
  scheduleAlarm(): void;
}
