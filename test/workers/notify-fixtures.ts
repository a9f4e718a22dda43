/**
 * Helpers for the notification tests: an account socket (a person's open page) with
 * its frames, and the settings calls as a page makes them.
 */
import { expect } from "vitest";
import type { EventsServerFrame, NotificationSettings } from "../../protocol/index.ts";
import { as, expectStatus, upgrade, TestSocket, type Person } from "./fixtures.ts";

export type AccountSocket = Omit<TestSocket, "frames" | "next"> & {
  frames: EventsServerFrame[];
  next<T extends EventsServerFrame["type"]>(
    type: T,
    predicate?: (frame: Extract<EventsServerFrame, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<EventsServerFrame, { type: T }>>;
};

/** Opens an account socket for `person`, as a page does on load. */
export async function accountSocket(person: Person): Promise<AccountSocket> {
  const ticket = await expectStatus(await as(person, "POST", "/api/events/socket-ticket"), 200);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const response = await upgrade(`/api/events/socket?ticket=${value}`);
  expect(response.status).toBe(101);
  const events = new TestSocket(response.webSocket!) as unknown as AccountSocket;
  await events.next("presence");
  return events;
}

export async function settingsOf(person: Person): Promise<NotificationSettings> {
  return (await (
    await expectStatus(await as(person, "GET", "/api/notifications"), 200)
  ).json()) as NotificationSettings;
}

/** PUT a target's level and/or mute; expects `status` (200 unless told). */
export async function setTarget(
  person: Person,
  kind: "community" | "channel",
  id: string,
  body: Record<string, unknown>,
  status = 200,
): Promise<Response> {
  return expectStatus(await as(person, "PUT", `/api/notifications/targets/${kind}/${id}`, body), status);
}
