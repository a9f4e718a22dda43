/**
 * A test harness, never shipped (test/node/browser-call-encryption.test.ts builds it
 * with Vite): alice's and bob's peer connections in one page, each with its own
 * `createMediaEncryption` (its own worker, as two devices would), alice sending the
 * fake camera and microphone to bob. The test hands each side its media secrets and
 * reads what bob decodes from `getStats`.
 */
import { createMediaEncryption, type MediaEncryption } from "../../../web/src/models/calls/media-encryption.ts";
import { preferVp8 } from "../../../web/src/models/calls/media-slots.ts";
import type { MediaSecret, MediaSecretSource } from "../../../e2ee/media-keys.ts";

/** A secret as the test passes it: the epoch and the 32 bytes as numbers. */
export interface SecretInput {
  epoch: number;
  bytes: number[];
}

export interface CallInput {
  alice: SecretInput | null;
  bob: SecretInput | null;
  /** The device bob's receivers open alice's frames as (her own, or another). */
  aliceDeviceAsBobSees: string;
}

export interface CallReading {
  framesDecoded: number;
  totalAudioEnergy: number;
  totalSamplesReceived: number;
  sealedByAlice: number;
  openedByBob: number;
  droppedByBob: number;
}

/** A source the test drives: `set` is a new epoch's secret reaching the device. */
function testSource(initial: SecretInput | null) {
  let current: MediaSecret | null = null;
  const listeners = new Set<(secret: MediaSecret | null) => void>();
  const toSecret = (input: SecretInput | null) =>
    input ? { epoch: BigInt(input.epoch), secret: Uint8Array.from(input.bytes) } : null;
  current = toSecret(initial);
  const source: MediaSecretSource & { set(input: SecretInput | null): void } = {
    watch(listener) {
      listeners.add(listener);
      listener(current);
      return () => listeners.delete(listener);
    },
    set(input) {
      current = toSecret(input);
      for (const listener of listeners) listener(current);
    },
  };
  return source;
}

let running: {
  alice: { media: MediaEncryption; peer: RTCPeerConnection; secrets: ReturnType<typeof testSource> };
  bob: { media: MediaEncryption; peer: RTCPeerConnection; secrets: ReturnType<typeof testSource> };
  stream: MediaStream;
} | null = null;

async function start(input: CallInput): Promise<void> {
  stop();
  const side = (deviceId: string, secret: SecretInput | null) => {
    const secrets = testSource(secret);
    const media = createMediaEncryption({ channelId: "harness", ownDeviceId: deviceId, secrets });
    return { media, secrets, peer: new RTCPeerConnection(media.peerConnectionOptions) };
  };
  const alice = side("alice-device", input.alice);
  const bob = side("bob-device", input.bob);
  // Chromium pulls received audio through its jitter buffer only for a sink that plays it.
  bob.peer.ontrack = ({ track }) => {
    if (track.kind !== "audio") return;
    const player = new Audio();
    player.srcObject = new MediaStream([track]);
    void player.play();
  };
  alice.peer.onicecandidate = ({ candidate }) => candidate && void bob.peer.addIceCandidate(candidate);
  bob.peer.onicecandidate = ({ candidate }) => candidate && void alice.peer.addIceCandidate(candidate);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
  running = { alice, bob, stream };
  for (const track of stream.getTracks()) {
    const transceiver = alice.peer.addTransceiver(track, { direction: "sendonly" });
    if (track.kind === "video") preferVp8(transceiver);
    alice.media.attachSender(transceiver.sender, track.kind as "audio" | "video");
  }
  const offer = await alice.peer.createOffer();
  await alice.peer.setLocalDescription(offer);
  await bob.peer.setRemoteDescription(offer);
  // Before the answer: no frame can arrive until the transforms are on.
  for (const transceiver of bob.peer.getTransceivers()) {
    const kind = transceiver.receiver.track.kind as "audio" | "video";
    bob.media.attachReceiver(transceiver.receiver, kind, input.aliceDeviceAsBobSees);
  }
  const answer = await bob.peer.createAnswer();
  await bob.peer.setLocalDescription(answer);
  await alice.peer.setRemoteDescription(answer);
}

/** A new epoch's secret reaching alice's device, bob's, or both. */
function rotate(to: { alice?: SecretInput | null; bob?: SecretInput | null }): void {
  if (!running) throw new Error("no call");
  if (to.alice !== undefined) running.alice.secrets.set(to.alice);
  if (to.bob !== undefined) running.bob.secrets.set(to.bob);
}

async function read(): Promise<CallReading> {
  if (!running) throw new Error("no call");
  const reading: CallReading = {
    framesDecoded: 0,
    totalAudioEnergy: 0,
    totalSamplesReceived: 0,
    sealedByAlice: 0,
    openedByBob: 0,
    droppedByBob: 0,
  };
  const report = await running.bob.peer.getStats();
  report.forEach((entry: { type: string; kind?: string } & Record<string, unknown>) => {
    if (entry.type !== "inbound-rtp") return;
    if (entry.kind === "video") reading.framesDecoded += Number(entry.framesDecoded ?? 0);
    if (entry.kind === "audio") {
      reading.totalAudioEnergy += Number(entry.totalAudioEnergy ?? 0);
      reading.totalSamplesReceived += Number(entry.totalSamplesReceived ?? 0);
    }
  });
  const [alice, bob] = await Promise.all([running.alice.media.stats(), running.bob.media.stats()]);
  reading.sealedByAlice = alice.senders.reduce((sum, sender) => sum + sender.encrypted, 0);
  reading.openedByBob = bob.receivers.reduce((sum, receiver) => sum + receiver.decrypted, 0);
  reading.droppedByBob = bob.receivers.reduce((sum, receiver) => sum + receiver.failed, 0);
  return reading;
}

function stop(): void {
  if (!running) return;
  for (const track of running.stream.getTracks()) track.stop();
  for (const side of [running.alice, running.bob]) {
    side.peer.close();
    side.media.close();
  }
  running = null;
}

Object.assign(globalThis, { mediaHarness: { start, rotate, read, stop } });
