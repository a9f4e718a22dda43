/**
 * This participant's peer connections to every other one in the call (a mesh): one
 * link per participant the roster lists, opened and closed as the roster changes, with
 * the side that offers chosen by who joined later; signals for someone the roster has
 * not listed yet held until it does; what is received of each, and how each path is
 * doing. An SFU would replace this module with one connection (docs/calls.md).
 */
import { signal } from "@preact/signals";
import type { CallParticipantView } from "../../../../protocol/index.ts";
import { measureQuality, type ConnectionQuality, type PacketCounts } from "./connection-quality.ts";
import type { CallMediaEncryption } from "./media-encryption-seam.ts";
import type { MediaSlot } from "./media-slots.ts";
import { createPeerLink, type PeerLink, type PeerLinkOptions } from "./peer-link.ts";
import { createRemoteMedia, type RemoteMedia } from "./remote-media.ts";

const QUALITY_EVERY_MS = 2_000;

type Signal = Parameters<PeerLink["receive"]>[0];

export interface CallMeshOptions {
  configuration: RTCConfiguration;
  refreshConfiguration: PeerLinkOptions["refreshConfiguration"];
  encryption: CallMediaEncryption;
  /** What this participant may send (SPEAK, VIDEO) when a link is opened. */
  may(): { speak: boolean; video: boolean };
  trackOf(slot: MediaSlot): MediaStreamTrack | null;
  send(to: string, signal: Parameters<PeerLinkOptions["send"]>[0]): void;
  /** A link's received tracks came to be: its sound settings are due. */
  onRemoteMedia(): void;
}

export type CallMesh = ReturnType<typeof createCallMesh>;

export function createCallMesh(options: CallMeshOptions) {
  const links = new Map<string, PeerLink>();
  const remoteMedia = new Map<string, RemoteMedia>();
  const packetCounts = new Map<string, PacketCounts>();
  const early = new Map<string, Signal[]>();
  /** Bumped when a link changes state or gets its tracks: what is derived from links reads it. */
  const changes = signal(0);
  const quality = signal<ReadonlyMap<string, ConnectionQuality>>(new Map());

  /** Only the newer of a pair offers: by join time, then by participant id. */
  const isNewer = (mine: CallParticipantView, other: CallParticipantView) =>
    mine.joinedAt > other.joinedAt || (mine.joinedAt === other.joinedAt && mine.participantId > other.participantId);

  function open(mine: CallParticipantView, other: CallParticipantView): PeerLink {
    const id = other.participantId;
    const link = createPeerLink({
      remote: { participantId: id, deviceId: other.deviceId },
      isOfferer: isNewer(mine, other),
      configuration: options.configuration,
      refreshConfiguration: options.refreshConfiguration,
      may: options.may(),
      trackOf: options.trackOf,
      encryption: options.encryption,
      send: (signal) => options.send(id, signal),
      onChange: () => changed(id, link),
    });
    links.set(id, link);
    changed(id, link);
    for (const signal of early.get(id) ?? []) link.receive(signal);
    early.delete(id);
    return link;
  }

  /** A link's state moved, or its received tracks came to be (at once when offering, with the offer otherwise). */
  function changed(id: string, link: PeerLink): void {
    if (!remoteMedia.has(id) && links.get(id) === link) {
      const made = createRemoteMedia(link.receivedTrack);
      if (made) {
        remoteMedia.set(id, made);
        options.onRemoteMedia();
      }
    }
    changes.value++;
  }

  function close(id: string): void {
    links.get(id)?.close();
    links.delete(id);
    remoteMedia.get(id)?.close();
    remoteMedia.delete(id);
    packetCounts.delete(id);
    changes.value++;
  }

  function closeAll(): void {
    for (const id of [...links.keys()]) close(id);
    early.clear();
  }

  const qualityTimer = setInterval(() => {
    for (const [id, link] of links) {
      void measureQuality(link.connection, packetCounts.get(id) ?? null).then(
        ({ quality: measured, counts }) => {
          packetCounts.set(id, counts);
          if (measured && quality.peek().get(id) !== measured)
            quality.value = new Map(quality.peek()).set(id, measured);
        },
        () => {},
      );
    }
  }, QUALITY_EVERY_MS);

  return {
    changes,
    quality,
    /**
     * The roster changed: a link to each other participant, none to those gone; a
     * participant back from reconnecting gets its broken path mended by the offering side.
     */
    sync(mine: CallParticipantView, others: readonly CallParticipantView[], before: readonly CallParticipantView[]) {
      for (const id of [...links.keys()]) if (!others.some((other) => other.participantId === id)) close(id);
      for (const other of others) {
        const link = links.get(other.participantId) ?? open(mine, other);
        const was = before.find((participant) => participant.participantId === other.participantId);
        if (was?.isReconnecting && !other.isReconnecting) link.restartIceIfBroken();
      }
    },
    receive(from: string, signal: Signal): void {
      const link = links.get(from);
      if (link) return link.receive(signal);
      early.set(from, [...(early.get(from) ?? []), signal]);
    },
    replaceTrack(slot: MediaSlot, track: MediaStreamTrack | null): void {
      for (const link of links.values()) link.replaceTrack(slot, track);
    },
    /** After this page's socket came back: the offering side mends every path that broke meanwhile. */
    restartBrokenIce(): void {
      for (const link of links.values()) link.restartIceIfBroken();
    },
    stateOf: (id: string) => links.get(id)?.state() ?? "connecting",
    states: () => [...links.values()].map((link) => link.state()),
    remoteOf: (id: string): RemoteMedia | undefined => remoteMedia.get(id),
    /** Every link closed: this page has a new place in the call. */
    closeAll,
    /** The call is over for this page. */
    dispose(): void {
      clearInterval(qualityTimer);
      closeAll();
    },
  };
}
