/**
 * The DM and group-DM calls ringing for this person, wherever they are in the app:
 * a call whose summary lists them in `ringing` (the room rings the others at the
 * first `call.join`, and stops when they answer or decline, when the ring times out
 * or when the caller hangs up). Accepting is joining; declining is the decline route.
 * While the page is hidden, a ringing call is also a system notification, once the
 * person allowed them (asked from a click: starting or accepting a call). It rings
 * aloud too, once the person interacted with the page (browsers allow no sound before).
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import type { CallSummary } from "../../../../protocol/index.ts";
import { conversationName, type DirectMessages } from "../direct-messages.ts";
import { dmPath, type Router } from "../router.ts";
import type { Session } from "../session.ts";
import type { Calls } from "./calls.ts";
import { createRingTone } from "./ring-tone.ts";

export interface IncomingCall {
  channelId: string;
  callId: string;
  callerName: string;
  /** The caller shows a camera; null when the caller is not in the call (any more). */
  isVideo: boolean;
  /** A group DM: who else is in it, for the bar's second line (null in a 1:1 DM). */
  groupName: string | null;
}

export const IncomingCallsModel = createModel(
  (session: Session, calls: Calls, conversations: DirectMessages, router: Router) => {
    const ownUserId = () => session.user.peek()?.id ?? "";
    /** Calls answered or declined on this page: gone from the bar before the room says they stopped ringing. */
    const answered = signal<ReadonlySet<string>>(new Set());
    const isPageHidden = signal(typeof document !== "undefined" && document.hidden);

    const ringing = computed((): IncomingCall[] =>
      [...calls.summaries.value.values()]
        .filter(
          (summary) =>
            summary.ringing.includes(ownUserId()) &&
            !answered.value.has(summary.callId) &&
            calls.current.value?.channelId !== summary.channelId,
        )
        .map((summary) => describe(summary)),
    );

    function describe(summary: CallSummary): IncomingCall {
      const conversation = conversations.conversations.value.find((channel) => channel.id === summary.channelId);
      const people = conversation?.participants ?? [];
      const caller = summary.participants.find((participant) => participant.userId === summary.startedBy);
      return {
        channelId: summary.channelId,
        callId: summary.callId,
        callerName: people.find((person) => person.userId === summary.startedBy)?.username ?? "Someone",
        isVideo: caller?.camera ?? false,
        groupName: conversation?.kind === "group_dm" ? conversationName(conversation, ownUserId()) : null,
      };
    }

    // A conversation someone else just started is not in the list yet: read it (once), for the caller's name.
    const askedFor = new Set<string>();
    effect(() => {
      const known = new Set(conversations.conversations.value.map((channel) => channel.id));
      const unknown = ringing.value.filter((call) => !known.has(call.channelId) && !askedFor.has(call.channelId));
      for (const call of unknown) askedFor.add(call.channelId);
      if (unknown.length > 0) void conversations.load();
    });

    effect(() => {
      const onVisibility = () => (isPageHidden.value = document.hidden);
      document.addEventListener("visibilitychange", onVisibility);
      return () => document.removeEventListener("visibilitychange", onVisibility);
    });

    /** Shown notifications by call id: closed once the call stops ringing or the page is looked at. */
    const notifications = new Map<string, Notification>();
    effect(() => {
      const calling = isPageHidden.value ? ringing.value : [];
      const callIds = new Set(calling.map((call) => call.callId));
      for (const [callId, notification] of notifications) {
        if (callIds.has(callId)) continue;
        notification.close();
        notifications.delete(callId);
      }
      if (!canNotify()) return;
      for (const call of calling) {
        if (notifications.has(call.callId)) continue;
        const notification = new Notification(`${call.callerName} is calling`, {
          body: [call.isVideo ? "Video call" : "Voice call", call.groupName].filter(Boolean).join(" · "),
          tag: `call-${call.callId}`,
          requireInteraction: true,
        });
        notification.onclick = () => {
          focus();
          router.navigate(dmPath(call.channelId));
          notification.close();
        };
        notifications.set(call.callId, notification);
      }
    });
    effect(() => () => {
      for (const notification of notifications.values()) notification.close();
    });

    const ringTone = createRingTone();
    effect(() => (ringing.value.length > 0 ? ringTone.start() : ringTone.stop()));
    effect(() => () => ringTone.stop());

    const markAnswered = (callId: string, isAnswered: boolean) => {
      const next = new Set(answered.peek());
      if (isAnswered) next.add(callId);
      else next.delete(callId);
      answered.value = next;
    };

    return {
      ringing,
      /** Joins the call (with the camera on for a video call) and opens its conversation. */
      accept(call: IncomingCall): void {
        askToNotify();
        markAnswered(call.callId, true);
        router.navigate(dmPath(call.channelId));
        void calls.join(call.channelId, { video: call.isVideo });
      },
      async decline(call: IncomingCall): Promise<void> {
        markAnswered(call.callId, true);
        await calls.decline(call.channelId);
        // Not declined (the network): the call rings here again.
        if (calls.problem.peek()?.channelId === call.channelId) markAnswered(call.callId, false);
      },
    };
  },
);

export type IncomingCalls = InstanceType<typeof IncomingCallsModel>;

const canNotify = () => typeof Notification !== "undefined" && Notification.permission === "granted";

/**
 * Asks once whether calls may show as notifications while the page is hidden. Browsers
 * only ask from a click, so this is called from one (starting or accepting a call).
 */
export function askToNotify(): void {
  if (typeof Notification !== "undefined" && Notification.permission === "default") {
    void Notification.requestPermission().catch(() => undefined);
  }
}
