/**
 * Above a DM or group DM's messages: the call, when the page is in it (the same
 * stage as a voice channel's), with whom it is still ringing; who is in a call the
 * page is not in; or how the last call ended while the page was in it. Problems
 * (joining failed, the record could not be posted) are said here too.
 */
import type { CallRecords } from "../../models/calls/call-records.ts";
import type { Calls } from "../../models/calls/calls.ts";
import { sentence } from "../sentence.ts";
import { durationInWords } from "./call-record-line.tsx";
import { CallStage } from "./call-stage.tsx";

interface DmCallPanelProps {
  channelId: string;
  calls: Calls;
  records: CallRecords;
  nameOf(userId: string): string;
}

const ENDED_WORDS = {
  answered: (durationMs: number) => `Call ended after ${durationInWords(durationMs)}`,
  missed: () => "Call ended: nobody answered",
  declined: () => "Call ended: declined",
} as const;

export function DmCallPanel({ channelId, calls, records, nameOf }: DmCallPanelProps) {
  const current = calls.current.value;
  const call = current?.channelId === channelId ? current : null;
  const summary = calls.summaries.value.get(channelId) ?? null;
  const ended = summary || call ? null : (records.recent.value.get(channelId) ?? null);
  const joinProblem = calls.problem.value?.channelId === channelId ? calls.problem.value.message : null;
  const recordProblem = records.problem.value?.channelId === channelId ? records.problem.value.message : null;
  const names = (userIds: readonly string[]) => userIds.map(nameOf).join(", ");
  if (!call && !summary && !ended && !joinProblem && !recordProblem) return null;

  return (
    <section class="dm-call" aria-label="Call">
      {call ? (
        <>
          {summary && summary.ringing.length > 0 && <p class="dm-call-ringing">Ringing {names(summary.ringing)}…</p>}
          <CallStage calls={calls} call={call} nameOf={nameOf} />
        </>
      ) : summary ? (
        <p class="dm-call-summary">
          {summary.participants.length > 0
            ? `In the call: ${names(summary.participants.map((person) => person.userId))}.`
            : "A call is starting."}
          {summary.ringing.length > 0 && ` Ringing ${names(summary.ringing)}.`}
        </p>
      ) : (
        ended && (
          <p class="dm-call-ended" role="status">
            {ENDED_WORDS[ended.outcome](ended.durationMs)}.{" "}
            <button type="button" class="link-button" onClick={() => records.dismissEnded(channelId)}>
              Dismiss
            </button>
          </p>
        )
      )}
      {joinProblem && (
        <p class="error" role="alert">
          {sentence(joinProblem)}{" "}
          <button type="button" class="link-button" onClick={() => calls.dismissProblem()}>
            Dismiss
          </button>
        </p>
      )}
      {recordProblem && (
        <p class="error" role="alert">
          The call could not be recorded in this conversation: {sentence(recordProblem)}{" "}
          <button type="button" class="link-button" onClick={() => records.dismissProblem()}>
            Dismiss
          </button>
        </p>
      )}
    </section>
  );
}
