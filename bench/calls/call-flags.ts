/**
 * Command-line flags of the calls bench. Defaults are the calls issue's sizes (20 joins
 * into calls of 2 and 6, a 6-person video mesh and a 25-person audio mesh held 20 s,
 * signaling among 6 and 25); `--quick` shrinks everything so the bench smoke-tests
 * itself in well under a minute.
 */
import { parseArgs } from "node:util";

export const CALL_PARTS = ["setup", "mesh", "signaling"] as const;
export type CallPart = (typeof CALL_PARTS)[number];

export interface CallBenchOptions {
  isQuick: boolean;
  parts: CallPart[];
  /** Set-up time: call sizes (the last person of each joins, is timed, leaves). */
  setupSizes: number[];
  /** Set-up time: timed joins per size. */
  joins: number;
  /** Pages in the video mesh, then in the audio mesh. */
  videoMesh: number;
  audioMesh: number;
  /** How long each mesh is held once everyone receives everyone. */
  holdSeconds: number;
  /** Signaling: participants (Node sockets) per run. */
  signalingSizes: number[];
  signalingSeconds: number;
  /** Signaling: speaking toggles a sender may have on the way before its watcher saw them. */
  window: number;
}

export const CALL_USAGE = `usage: npx node bench/calls.ts [--quick] [--part ${CALL_PARTS.join(",")}]
         setup: [--setup-sizes 2,6] [--joins 20]
          mesh: [--video-mesh 6] [--audio-mesh 25] [--hold 20]
     signaling: [--signaling-sizes 6,25] [--signaling-seconds 10] [--window 4]`;

const QUICK = {
  setupSizes: "2,3",
  joins: "2",
  videoMesh: "3",
  audioMesh: "3",
  hold: "3",
  signalingSizes: "3,6",
  signalingSeconds: "2",
} as const;
const FULL = {
  setupSizes: "2,6",
  joins: "20",
  videoMesh: "6",
  audioMesh: "25",
  hold: "20",
  signalingSizes: "6,25",
  signalingSeconds: "10",
} as const;

export function parseCallFlags(argv: string[]): CallBenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      part: { type: "string", default: CALL_PARTS.join(",") },
      "setup-sizes": { type: "string" },
      joins: { type: "string" },
      "video-mesh": { type: "string" },
      "audio-mesh": { type: "string" },
      hold: { type: "string" },
      "signaling-sizes": { type: "string" },
      "signaling-seconds": { type: "string" },
      window: { type: "string", default: "4" },
    },
  });
  const sizes = values.quick ? QUICK : FULL;
  const parts = values.part.split(",").map((part) => part.trim());
  const unknown = parts.filter((part) => !(CALL_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`unknown --part ${unknown.join(",")}\n${CALL_USAGE}`);
  const options: CallBenchOptions = {
    isQuick: values.quick,
    parts: parts as CallPart[],
    setupSizes: list(values["setup-sizes"] ?? sizes.setupSizes, 2),
    joins: whole(values.joins ?? sizes.joins, 1),
    videoMesh: whole(values["video-mesh"] ?? sizes.videoMesh, 2),
    audioMesh: whole(values["audio-mesh"] ?? sizes.audioMesh, 2),
    holdSeconds: whole(values.hold ?? sizes.hold, 1),
    signalingSizes: list(values["signaling-sizes"] ?? sizes.signalingSizes, 2),
    signalingSeconds: whole(values["signaling-seconds"] ?? sizes.signalingSeconds, 1),
    window: whole(values.window, 1),
  };
  return values.help ? "help" : options;
}

/** Pages the browser parts need at once: the largest call any of them holds. */
export function pagesNeeded(options: CallBenchOptions): number {
  const sizes = [
    ...(options.parts.includes("setup") ? options.setupSizes : []),
    ...(options.parts.includes("mesh") ? [options.videoMesh, options.audioMesh] : []),
  ];
  return Math.max(0, ...sizes);
}

function whole(text: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`expected a whole number >= ${minimum}, got ${text}`);
  return value;
}

function list(text: string, minimum: number): number[] {
  return text.split(",").map((part) => whole(part.trim(), minimum));
}
