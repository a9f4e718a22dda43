/**
 * The worker that seals every encoded frame a call sends and opens every frame it
 * receives (`media-encryption.ts` starts it, one per call). Frames reach it through
 * `RTCRtpScriptTransform` (the `rtctransform` event) or, where a browser lacks that,
 * as the streams of `createEncodedStreams()` posted here. It holds the channel's media
 * secrets by key index: a new epoch's opens frames at once and seals them after
 * MEDIA_KEY_SWITCH_DELAY_MS (the others take the same commit at about the same time);
 * the replaced ones still open frames for MEDIA_KEY_OVERLAP_MS after that. A frame that
 * does not open is dropped, never passed to the decoder; a frame is never sent in clear.
 */
// media-frame.ts alone: the worker needs no MLS, so its bundle stays small.
import {
  clearBytesOf,
  MEDIA_KEY_OVERLAP_MS,
  MEDIA_KEY_SWITCH_DELAY_MS,
  mediaFrameKeyIndex,
  mediaSenderKey,
  openMediaFrame,
  sealMediaFrame,
} from "../../../../e2ee/media-frame.ts";

/** What each transform is: set when it is attached. */
export interface TransformOptions {
  id: number;
  role: "send" | "receive";
  kind: "audio" | "video";
  /** For a receiver: whose frames these are (null until the roster names the device). */
  senderDeviceId: string | null;
}

/** From the page to the worker. */
export type ToFrameWorker =
  | { type: "own-device"; deviceId: string }
  /** The epoch's media secret (null: this device is not in the group: send nothing). */
  | { type: "secret"; keyIndex: number; secret: Uint8Array }
  | { type: "no-secret" }
  | { type: "sender-device"; id: number; deviceId: string | null }
  /** The encoded-streams fallback: the transform's streams, transferred. */
  | { type: "streams"; options: TransformOptions; readable: ReadableStream; writable: WritableStream }
  | { type: "stats"; requestId: number };

export interface TransformCounts {
  id: number;
  role: "send" | "receive";
  kind: "audio" | "video";
  senderDeviceId: string | null;
  /** Sealed (sender) or opened (receiver) and passed on. */
  passed: number;
  /** Dropped: no key to seal with, or a frame that did not open (wrong key, changed bytes, unknown epoch). */
  dropped: number;
}

/** From the worker to the page. */
export type FromFrameWorker = { type: "stats"; requestId: number; transforms: TransformCounts[] };

/** The frames a transform sees (`RTCEncodedAudioFrame` / `RTCEncodedVideoFrame`): only what is used here. */
interface EncodedFrame {
  data: ArrayBuffer;
  type?: string;
}

/** The parts of a dedicated worker's global scope used here (the web app is typed for the DOM). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToFrameWorker>) => void) | null;
  onrtctransform?:
    | ((event: {
        transformer: { options: TransformOptions; readable: ReadableStream; writable: WritableStream };
      }) => void)
    | null;
  postMessage(message: FromFrameWorker): void;
}

interface Epoch {
  secret: Uint8Array;
  /** Each sender device's key, derived once. */
  keys: Map<string, Promise<CryptoKey>>;
}

const scope = globalThis as unknown as WorkerScope;
let ownDeviceId = "";
const epochs = new Map<number, Epoch>();
let sendingIndex: number | null = null;
const transforms = new Map<number, TransformCounts>();
/** Sender devices named by the page, by transform: a name may come before the transform's first frame. */
const senderDevices = new Map<number, string | null>();

function keyOf(epoch: Epoch, deviceId: string): Promise<CryptoKey> {
  let key = epoch.keys.get(deviceId);
  if (!key) {
    key = mediaSenderKey(epoch.secret, deviceId);
    epoch.keys.set(deviceId, key);
  }
  return key;
}

let switchTimer: ReturnType<typeof setTimeout> | undefined;

/** A new epoch's key opens frames now and seals them shortly; null: nothing is sealed from now. */
function useSecret(keyIndex: number | null, secret: Uint8Array | null): void {
  clearTimeout(switchTimer);
  if (keyIndex === null || !secret) {
    sendingIndex = null;
    return retireAllBut(null);
  }
  epochs.set(keyIndex, { secret, keys: new Map() });
  if (sendingIndex === null || sendingIndex === keyIndex) {
    sendingIndex = keyIndex;
    return;
  }
  switchTimer = setTimeout(() => {
    sendingIndex = keyIndex;
    retireAllBut(keyIndex);
  }, MEDIA_KEY_SWITCH_DELAY_MS);
}

/** Every epoch's keys but `kept` stop opening frames after MEDIA_KEY_OVERLAP_MS (unless sealing with them again). */
function retireAllBut(kept: number | null): void {
  for (const [index, epoch] of epochs) {
    if (index === kept) continue;
    setTimeout(() => {
      if (epochs.get(index) === epoch && sendingIndex !== index) epochs.delete(index);
    }, MEDIA_KEY_OVERLAP_MS);
  }
}

async function seal(frame: EncodedFrame, counts: TransformCounts): Promise<boolean> {
  // Read once: a new epoch's secret may arrive while this frame's key is derived.
  const keyIndex = sendingIndex;
  const epoch = keyIndex === null ? undefined : epochs.get(keyIndex);
  if (keyIndex === null || !epoch || !ownDeviceId) return false;
  const key = await keyOf(epoch, ownDeviceId);
  const frameBytes = new Uint8Array(frame.data);
  const sealed = await sealMediaFrame(key, keyIndex, frameBytes, clearBytesOf(counts.kind, frame.type));
  frame.data = sealed.buffer;
  return true;
}

async function open(frame: EncodedFrame, counts: TransformCounts): Promise<boolean> {
  const data = new Uint8Array(frame.data);
  const keyIndex = mediaFrameKeyIndex(data);
  const epoch = keyIndex === null ? undefined : epochs.get(keyIndex);
  if (!epoch || counts.senderDeviceId === null) return false;
  try {
    frame.data = (await openMediaFrame(await keyOf(epoch, counts.senderDeviceId), data)).buffer as ArrayBuffer;
    return true;
  } catch {
    return false;
  }
}

function run(options: TransformOptions, readable: ReadableStream, writable: WritableStream): void {
  const senderDeviceId = senderDevices.has(options.id) ? senderDevices.get(options.id)! : options.senderDeviceId;
  const counts: TransformCounts = { ...options, senderDeviceId, passed: 0, dropped: 0 };
  transforms.set(options.id, counts);
  const step = options.role === "send" ? seal : open;
  void readable
    .pipeThrough(
      new TransformStream<EncodedFrame, EncodedFrame>({
        async transform(frame, controller) {
          if (await step(frame, counts).catch(() => false)) {
            counts.passed++;
            controller.enqueue(frame);
          } else counts.dropped++;
        },
      }),
    )
    .pipeTo(writable)
    .catch(() => undefined)
    .finally(() => transforms.delete(options.id));
}

scope.onrtctransform = (event) => {
  const { options, readable, writable } = event.transformer;
  run(options, readable, writable);
};

scope.onmessage = ({ data: message }) => {
  switch (message.type) {
    case "own-device":
      ownDeviceId = message.deviceId;
      return;
    case "secret":
      return useSecret(message.keyIndex, message.secret);
    case "no-secret":
      return useSecret(null, null);
    case "sender-device": {
      senderDevices.set(message.id, message.deviceId);
      const counts = transforms.get(message.id);
      if (counts) counts.senderDeviceId = message.deviceId;
      return;
    }
    case "streams":
      return run(message.options, message.readable, message.writable);
    case "stats":
      return scope.postMessage({
        type: "stats",
        requestId: message.requestId,
        transforms: [...transforms.values()].map((counts) => ({ ...counts })),
      });
  }
};
