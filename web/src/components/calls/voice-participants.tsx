/** Under a voice channel in the list: who is in its call (for everyone who may view it), with a ring on whoever speaks. */
import type { CallSummary } from "../../../../protocol/index.ts";
import type { Calls } from "../../models/calls/calls.ts";

interface VoiceParticipantsProps {
  calls: Calls;
  channelId: string;
  channelName: string;
  nameOf(userId: string): string;
}

export function VoiceParticipants({ calls, channelId, channelName, nameOf }: VoiceParticipantsProps) {
  const summary: CallSummary | undefined = calls.summaries.value.get(channelId);
  const current = calls.current.value;
  // The page's own call knows who speaks; the summaries do not carry it.
  const live = current?.channelId === channelId ? current.participants.value : null;
  const people = live
    ? live.map((participant) => ({
        userId: participant.userId,
        muted: participant.muted,
        speaking: participant.speaking,
      }))
    : (summary?.participants ?? []).map((person) => ({ ...person, speaking: false }));
  if (people.length === 0) return null;
  return (
    <li class="voice-people-item">
      <ul class="voice-people" aria-label={`In ${channelName}`}>
        {people.map((person, index) => (
          <li key={`${person.userId}-${index}`} class={person.speaking ? "voice-person is-speaking" : "voice-person"}>
            <span class="call-avatar is-small" aria-hidden="true">
              {nameOf(person.userId).slice(0, 1).toUpperCase()}
            </span>
            <span>{nameOf(person.userId)}</span>
            {person.speaking && <span class="visually-hidden">, speaking</span>}
            {person.muted && <span class="tag">muted</span>}
          </li>
        ))}
      </ul>
    </li>
  );
}
