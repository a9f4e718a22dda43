/**
 * End-to-end encryption of a call's media (docs/e2ee.md, "Calls"): every encoded frame
 * a peer connection sends is sealed, in a worker, with this device's media key for the
 * channel's current MLS epoch, and every frame it receives is opened with its sender
 * device's key, or dropped. TURN (and an SFU later) relays only ciphertext.
 *
 * How the call model uses it (`end-to-end-media.ts` fits it to the call's seam), one per
 * call:
 *
 *   const media = createMediaEncryption({ channelId, ownDeviceId, secrets: mediaSecretsOf(encryption, channelId) });
 *   const peer = new RTCPeerConnection({ iceServers, ...media.peerConnectionOptions });
 *   // right when each of the four transceivers is created, before any negotiation:
 *   media.attachSender(transceiver.sender, "audio");
 *   media.attachReceiver(transceiver.receiver, "audio", participant.deviceId);
 *   media.setSenderDevice(receiver, deviceId); // the roster names (another) device for a peer
 *   await media.stats();                       // frames passed and dropped, per sender and receiver
 *   media.close();                             // the call ended
 *
 * Prefer VP8 for video (`transceiver.setCodecPreferences`, VP8 first): what stays in
 * clear is VP8's payload header; H.264's packetizer would need more of the frame.
 * `peerConnectionOptions` carries `encodedInsertableStreams: true` where the browser
 * lacks `RTCRtpScriptTransform` and the fallback needs it at construction.
 */
import { mediaKeyIndex } from "../../../../e2ee/media-frame.ts";
import type { MediaSecretSource } from "../../../../e2ee/media-keys.ts";
import type { FromFrameWorker, ToFrameWorker, TransformCounts, TransformOptions } from "./frame-crypto-worker.ts";

export type MediaKind = "audio" | "video";

export interface MediaEncryptionOptions {
  channelId: string;
  /** This device's id (its media key is derived for it; the call's `deviceId`). */
  ownDeviceId: string;
  secrets: MediaSecretSource;
}

export interface SenderCounts {
  sender: RTCRtpSender;
  kind: MediaKind;
  /** Frames sealed and sent. */
  encrypted: number;
  /** Frames not sent: no media key yet (this device is not in the group's current epoch). */
  dropped: number;
}

export interface ReceiverCounts {
  receiver: RTCRtpReceiver;
  kind: MediaKind;
  senderDeviceId: string | null;
  /** Frames opened and passed to the decoder. */
  decrypted: number;
  /** Frames dropped: sealed under a key this device does not hold (another device, an epoch it never had) or changed. */
  failed: number;
}

export interface MediaEncryptionStats {
  senders: SenderCounts[];
  receivers: ReceiverCounts[];
}

export interface MediaEncryption {
  readonly channelId: string;
  /** Spread into the `RTCPeerConnection` configuration. */
  readonly peerConnectionOptions: RTCConfiguration;
  attachSender(sender: RTCRtpSender, kind: MediaKind): void;
  attachReceiver(receiver: RTCRtpReceiver, kind: MediaKind, senderDeviceId: string | null): void;
  setSenderDevice(receiver: RTCRtpReceiver, senderDeviceId: string | null): void;
  stats(): Promise<MediaEncryptionStats>;
  close(): void;
}

/** The fallback's entry point (Chromium's encoded insertable streams), missing from the DOM types. */
interface WithEncodedStreams {
  createEncodedStreams(): { readable: ReadableStream; writable: WritableStream };
}

const hasScriptTransform = () => typeof RTCRtpScriptTransform === "function";

/** What `RTCPeerConnection` needs at construction for the frames to be encrypted here. */
export function peerConnectionOptionsForEncryption(): RTCConfiguration {
  // Chromium refuses createEncodedStreams() on a connection made without this flag.
  return hasScriptTransform() ? {} : ({ encodedInsertableStreams: true } as RTCConfiguration);
}

export function createMediaEncryption(options: MediaEncryptionOptions): MediaEncryption {
  const worker = new Worker(new URL("./frame-crypto-worker.ts", import.meta.url), {
    type: "module",
    name: "chatalot-frame-crypto",
  });
  const post = (message: ToFrameWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
  post({ type: "own-device", deviceId: options.ownDeviceId });
  const stopWatching = options.secrets.watch((secret) =>
    post(
      secret
        ? { type: "secret", keyIndex: mediaKeyIndex(secret.epoch), secret: new Uint8Array(secret.secret) }
        : { type: "no-secret" },
    ),
  );

  let nextId = 1;
  const senders = new Map<number, RTCRtpSender>();
  const receivers = new Map<number, RTCRtpReceiver>();
  const receiverIds = new WeakMap<RTCRtpReceiver, number>();
  let nextRequest = 1;
  const answers = new Map<number, (transforms: TransformCounts[]) => void>();
  worker.onmessage = ({ data }: MessageEvent<FromFrameWorker>) => {
    answers.get(data.requestId)?.(data.transforms);
    answers.delete(data.requestId);
  };

  function attach(target: RTCRtpSender | RTCRtpReceiver, transform: TransformOptions): void {
    if (hasScriptTransform()) {
      target.transform = new RTCRtpScriptTransform(worker, transform);
      return;
    }
    const { readable, writable } = (target as unknown as WithEncodedStreams).createEncodedStreams();
    post({ type: "streams", options: transform, readable, writable }, [readable, writable]);
  }

  return {
    channelId: options.channelId,
    peerConnectionOptions: peerConnectionOptionsForEncryption(),
    attachSender(sender, kind) {
      const id = nextId++;
      senders.set(id, sender);
      attach(sender, { id, role: "send", kind, senderDeviceId: null });
    },
    attachReceiver(receiver, kind, senderDeviceId) {
      const id = nextId++;
      receivers.set(id, receiver);
      receiverIds.set(receiver, id);
      attach(receiver, { id, role: "receive", kind, senderDeviceId });
    },
    setSenderDevice(receiver, senderDeviceId) {
      const id = receiverIds.get(receiver);
      if (id !== undefined) post({ type: "sender-device", id, deviceId: senderDeviceId });
    },
    async stats() {
      const requestId = nextRequest++;
      const transforms = await new Promise<TransformCounts[]>((resolve) => {
        answers.set(requestId, resolve);
        post({ type: "stats", requestId });
      });
      const result: MediaEncryptionStats = { senders: [], receivers: [] };
      for (const counts of transforms) {
        const sender = senders.get(counts.id);
        const receiver = receivers.get(counts.id);
        if (sender)
          result.senders.push({ sender, kind: counts.kind, encrypted: counts.passed, dropped: counts.dropped });
        if (receiver) {
          result.receivers.push({
            receiver,
            kind: counts.kind,
            senderDeviceId: counts.senderDeviceId,
            decrypted: counts.passed,
            failed: counts.dropped,
          });
        }
      }
      return result;
    },
    close() {
      stopWatching();
      worker.terminate();
      for (const resolve of answers.values()) resolve([]);
      answers.clear();
    },
  };
}
