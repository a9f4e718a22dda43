/**
 * One HTTP `Range` (RFC 9110, 14.2) over a file of known size: what a video's seek
 * asks for. Several ranges in one header are answered with the whole file, which the
 * RFC allows and no player needs otherwise.
 */
import type { ByteRange } from "./storage/file-store.ts";

export type RangeAnswer = { kind: "whole" } | { kind: "part"; range: ByteRange } | { kind: "unsatisfiable" };

const SINGLE_RANGE = /^bytes=(\d{0,16})-(\d{0,16})$/;

export function rangeOf(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: "whole" };
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: "whole" };
  const [, start = "", end = ""] = match;
  if (start === "" && end === "") return { kind: "whole" };
  if (start === "") {
    // A suffix: the last `end` bytes.
    const length = Number(end);
    if (length === 0) return { kind: "unsatisfiable" };
    return { kind: "part", range: { first: Math.max(0, size - length), last: size - 1 } };
  }
  const first = Number(start);
  const last = end === "" ? size - 1 : Math.min(Number(end), size - 1);
  if (first >= size || first > last) return { kind: "unsatisfiable" };
  return { kind: "part", range: { first, last } };
}
