/**
 * The call limits an operator may set (wrangler.toml [vars], workerd's environment);
 * each falls back to protocol/calls.ts's default when unset or not a positive number.
 */
import {
  CALL_CANDIDATES_PER_MINUTE,
  CALL_MAX_PARTICIPANTS_DEFAULT,
  CALL_RECONNECT_GRACE_MS,
  CALL_RING_MS,
} from "../../protocol/index.ts";

export interface CallSettings {
  maxParticipants: number;
  candidatesPerMinute: number;
  ringMs: number;
  reconnectGraceMs: number;
}

type CallVars = Partial<
  Record<"CALL_MAX_PARTICIPANTS" | "CALL_CANDIDATES_PER_MINUTE" | "CALL_RING_MS" | "CALL_RECONNECT_GRACE_MS", string>
>;

export function callSettings(env: object): CallSettings {
  const vars = env as CallVars;
  const positive = (value: string | undefined, fallback: number) => {
    const number = Number(value);
    return Number.isFinite(number) && number > 0 ? Math.floor(number) : fallback;
  };
  return {
    maxParticipants: positive(vars.CALL_MAX_PARTICIPANTS, CALL_MAX_PARTICIPANTS_DEFAULT),
    candidatesPerMinute: positive(vars.CALL_CANDIDATES_PER_MINUTE, CALL_CANDIDATES_PER_MINUTE),
    ringMs: positive(vars.CALL_RING_MS, CALL_RING_MS),
    reconnectGraceMs: positive(vars.CALL_RECONNECT_GRACE_MS, CALL_RECONNECT_GRACE_MS),
  };
}
