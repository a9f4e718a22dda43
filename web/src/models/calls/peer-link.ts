/**
 * One participant's peer connection to one other: four transceivers in the fixed
 * order, the offer/answer exchange in which only the newer of the two offers (for the
 * first negotiation and every ICE restart, so offers never cross), ICE candidates held
 * until the remote description is set, and an ICE restart by the offering side when
 * the path stays broken for a few seconds.
 */
import type { CallCandidate, CallDescription } from "../../../../protocol/index.ts";
import type { CallMediaEncryption } from "./media-encryption-seam.ts";
import { MEDIA_SLOTS, preferVp8, slotDirection, slotKind, type MediaSlot } from "./media-slots.ts";

/** ICE "disconnected" often heals by itself within a second or two; past this the offerer restarts it. */
const ICE_RESTART_AFTER_MS = 3_000;
/** A restart that has not connected after this long is tried again. */
const ICE_RESTART_RETRY_MS = 6_000;

export interface PeerLinkOptions {
  remote: { participantId: string; deviceId: string | null };
  isOfferer: boolean;
  configuration: RTCConfiguration;
  /** The configuration with fresh TURN credentials, for an ICE restart (they expire; null: keep the current one). */
  refreshConfiguration(): Promise<RTCConfiguration | null>;
  may: { speak: boolean; video: boolean };
  /** The track each slot sends now (null: nothing, e.g. the camera is off). */
  trackOf(slot: MediaSlot): MediaStreamTrack | null;
  encryption: CallMediaEncryption;
  send(signal: { description: CallDescription } | { candidate: CallCandidate }): void;
  onChange(): void;
}

export type PeerLink = ReturnType<typeof createPeerLink>;

export function createPeerLink(options: PeerLinkOptions) {
  const { remote, isOfferer, encryption } = options;
  const connection = new RTCPeerConnection(options.configuration);
  /** By slot, once created: at once on the offering side, by the offer on the other. */
  const transceivers = new Map<MediaSlot, RTCRtpTransceiver>();
  const pendingCandidates: RTCIceCandidateInit[] = [];
  let restartTimer: ReturnType<typeof setTimeout> | undefined;
  let isClosed = false;
  /** Signaling steps run one after another: a candidate must not overtake the description it belongs to. */
  let queue: Promise<void> = Promise.resolve();
  const inOrder = (step: () => Promise<void>) => {
    queue = queue.then(step).catch((error: unknown) => {
      if (!isClosed) console.warn(`call: signaling with ${remote.participantId} failed`, error);
    });
    return queue;
  };

  /** Directions, VP8, the track, the frame transforms: all when the transceiver comes to be. */
  function setUp(slot: MediaSlot, transceiver: RTCRtpTransceiver): void {
    transceivers.set(slot, transceiver);
    transceiver.direction = slotDirection(slot, options.may);
    if (slotKind(slot) === "video") preferVp8(transceiver);
    encryption.attachSender(transceiver.sender, slot);
    encryption.attachReceiver(transceiver.receiver, slot, remote);
    if (transceiver.direction === "sendrecv") void transceiver.sender.replaceTrack(options.trackOf(slot));
  }

  connection.addEventListener("icecandidate", ({ candidate }) => {
    if (!candidate || !candidate.candidate) return;
    const { sdpMid, sdpMLineIndex, usernameFragment } = candidate;
    options.send({ candidate: { candidate: candidate.candidate, sdpMid, sdpMLineIndex, usernameFragment } });
  });
  connection.addEventListener("iceconnectionstatechange", () => {
    watchIce();
    options.onChange();
  });
  connection.addEventListener("connectionstatechange", () => options.onChange());

  /** Before gathering again (a restart, either side): the relay credentials of the first gathering may have expired. */
  async function refresh(): Promise<void> {
    const configuration = await options.refreshConfiguration().catch(() => null);
    try {
      if (configuration && !isClosed) connection.setConfiguration(configuration);
    } catch (error) {
      console.warn("call: the connection kept its relay settings", error); // the restart goes ahead with them
    }
  }

  async function offer(iceRestart: boolean): Promise<void> {
    if (isClosed || connection.signalingState !== "stable") return;
    if (iceRestart) await refresh();
    const description = await connection.createOffer({ iceRestart });
    await connection.setLocalDescription(description);
    options.send({ description: { type: "offer", sdp: connection.localDescription!.sdp } });
  }

  async function addBufferedCandidates(): Promise<void> {
    for (const candidate of pendingCandidates.splice(0)) await connection.addIceCandidate(candidate).catch(() => {});
  }

  function watchIce(): void {
    const state = connection.iceConnectionState;
    clearTimeout(restartTimer);
    if (!isOfferer || isClosed) return;
    if (state === "failed") restartIce();
    else if (state === "disconnected") restartTimer = setTimeout(restartIce, ICE_RESTART_AFTER_MS);
  }

  function restartIce(): void {
    if (isClosed) return;
    void inOrder(() => offer(true));
    // Until it connects again, keep trying: the other side may have been unreachable for the first one.
    clearTimeout(restartTimer);
    restartTimer = setTimeout(() => {
      if (!isConnected()) restartIce();
    }, ICE_RESTART_RETRY_MS);
  }

  const isConnected = () =>
    connection.iceConnectionState === "connected" || connection.iceConnectionState === "completed";

  if (isOfferer) {
    for (const slot of MEDIA_SLOTS) setUp(slot, connection.addTransceiver(slotKind(slot), { direction: "recvonly" }));
    void inOrder(() => offer(false));
  }

  return {
    remote,
    connection,
    isOfferer,
    /** The track receiving `slot` from the other participant (null until the offer created it). */
    receivedTrack: (slot: MediaSlot): MediaStreamTrack | null => transceivers.get(slot)?.receiver.track ?? null,
    /** "connecting" until media can flow, "reconnecting" while the path is broken. */
    state(): "connecting" | "connected" | "reconnecting" {
      if (isConnected()) return "connected";
      const state = connection.iceConnectionState;
      return state === "disconnected" || state === "failed" ? "reconnecting" : "connecting";
    },
    /** What `slot` sends now: the camera turned on or off, another microphone picked. */
    replaceTrack(slot: MediaSlot, track: MediaStreamTrack | null): void {
      const transceiver = transceivers.get(slot);
      if (transceiver?.direction === "sendrecv") void transceiver.sender.replaceTrack(track).catch(() => {});
    },
    receive(signal: { description?: CallDescription; candidate?: CallCandidate }): void {
      if (signal.candidate) {
        const candidate = signal.candidate;
        return void inOrder(async () => {
          if (connection.remoteDescription) await connection.addIceCandidate(candidate).catch(() => {});
          else pendingCandidates.push(candidate);
        });
      }
      const description = signal.description;
      if (!description) return;
      void inOrder(async () => {
        if (description.type === "answer") {
          if (!isOfferer || connection.signalingState !== "have-local-offer") return;
          await connection.setRemoteDescription(description);
          return addBufferedCandidates();
        }
        if (isOfferer) return; // the older side never takes an offer: offers must not cross
        const isFirst = transceivers.size === 0;
        if (!isFirst) await refresh();
        await connection.setRemoteDescription(description);
        if (isFirst) {
          connection.getTransceivers().forEach((transceiver, index) => setUp(MEDIA_SLOTS[index]!, transceiver));
          options.onChange(); // the received tracks exist now
        }
        await addBufferedCandidates();
        await connection.setLocalDescription(await connection.createAnswer());
        options.send({ description: { type: "answer", sdp: connection.localDescription!.sdp } });
      });
    },
    /** After this side's socket came back, or the other's: mend the path if it broke meanwhile. */
    restartIceIfBroken(): void {
      if (isOfferer && !isConnected() && connection.remoteDescription) restartIce();
    },
    close(): void {
      isClosed = true;
      clearTimeout(restartTimer);
      connection.close();
    },
  };
}
