/**
 * The call this page is in: its own socket to the channel's room (so the call goes on
 * while the person reads other channels), the participants as the room lists them,
 * one peer connection to each other participant, this person's microphone, camera and
 * screen, and what the page plays of everyone else. The socket's resume sends
 * `call.join` with `rejoin`: the place in the call and the peer connections are kept,
 * and the offering side of each pair restarts ICE where the path broke.
 *
 * Longer than most files: the call's own state (place, roster, what this person shows)
 * and the verbs on it share every signal; the peer connections live in call-mesh.ts,
 * the devices in local-media.ts.
 */
import { computed, effect, signal } from "@preact/signals";
import {
  CALL_VIDEO_TILES_MAX,
  type CallMediaState,
  type CallParticipantView,
  type CallServerFrame,
  type CallView,
  type ClientFrame,
  type ServerFrame,
} from "../../../../protocol/index.ts";
import { openChannelSocket } from "../channel-socket.ts";
import { newClientId } from "../pending-requests.ts";
import type { Session } from "../session.ts";
import type { CallSettings } from "./call-settings.ts";
import { createCallMesh } from "./call-mesh.ts";
import { fetchIceServers } from "./ice-servers.ts";
import type { ConnectionQuality } from "./connection-quality.ts";
import type { LocalMedia } from "./local-media.ts";
import type { CallEncryptionState, CallMediaEncryption } from "./media-encryption-seam.ts";
import { leftInWords, mediaErrorInWords } from "./call-words.ts";
import { listenForPushToTalk } from "./push-to-talk.ts";
import { detectSpeaking } from "./speaking-detector.ts";

/** A restart within this long of the last one reuses its TURN credentials (they last hours). */
const ICE_SERVERS_REUSE_MS = 60_000;

/** After the room takes the page out of a call, its socket stays this long to hear `call.ended`. */
const TAKEN_OUT_LINGER_MS = 3_000;

export type CallStatus = "connecting" | "connected" | "reconnecting";

/** One person in the call as the page shows them (this person too, with `isSelf`). */
export interface CallParticipant extends CallParticipantView {
  isSelf: boolean;
  /** How the media path to them is doing (null for oneself, or before anything was measured). */
  quality: ConnectionQuality | null;
  connection: CallStatus;
  /** Their camera and screen as received (one's own: the local preview); null while off. */
  cameraStream: MediaStream | null;
  screenStream: MediaStream | null;
  /** Past CALL_VIDEO_TILES_MAX videos, the rest are paused on this page. */
  isVideoPaused: boolean;
  /** The volume this page plays them at, 0..1. */
  volume: number;
}

export interface ActiveCallOptions {
  channelId: string;
  /** What the page calls this call (a channel's name). */
  title: string;
  session: Session;
  settings: CallSettings;
  media: LocalMedia;
  encryption: CallMediaEncryption;
  iceServers: RTCIceServer[];
  state: CallMediaState;
  /** The room took this page out of the call, or it could not join: `reason` in words (null: the person left). */
  onFinished(reason: string | null): void;
  onEnded(frame: Extract<CallServerFrame, { type: "call.ended" }>): void;
}

export type ActiveCall = ReturnType<typeof createActiveCall>;

export function createActiveCall(options: ActiveCallOptions) {
  const { channelId, session, settings, media, encryption } = options;
  const callId = signal<string | null>(null);
  const participantId = signal<string | null>(null);
  const view = signal<CallView | null>(null);
  const maxParticipants = signal<number | null>(null);
  const isSocketOnline = signal(false);
  const muted = signal(options.state.muted);
  const deafened = signal(options.state.deafened);
  const camera = signal(options.state.camera);
  const screen = signal(options.state.screen);
  const speaking = signal(false);
  const permissions = signal<readonly string[]>([]);
  const speakingOf = signal<ReadonlyMap<string, boolean>>(new Map());
  const volumeOf = signal<ReadonlyMap<string, number>>(new Map());
  const focusedId = signal<string | null>(null);
  /** Something the person should know that does not end the call (a refused camera, a refused frame). */
  const problem = signal<string | null>(null);
  let joinClientId = "";
  let isRejoining = false;
  let isFinished = false;
  let isPushToTalkHeld = false;
  let wasMutedBeforeDeafening = false;

  const may = () => ({ speak: permissions.peek().includes("SPEAK"), video: permissions.peek().includes("VIDEO") });
  const self = computed(() => view.value?.participants.find((p) => p.participantId === participantId.value) ?? null);
  const isServerMuted = computed(() => self.value?.isServerMuted ?? false);
  const state = (): CallMediaState => ({
    muted: muted.peek(),
    deafened: deafened.peek(),
    camera: camera.peek(),
    screen: screen.peek(),
  });
  const send = (frame: ClientFrame) => socket.send(frame);
  const sendState = () => void send({ type: "call.state", state: state() });
  const configurationWith = (iceServers: RTCIceServer[]): RTCConfiguration => ({
    iceServers,
    iceTransportPolicy: settings.preferences.peek().isRelayOnly ? "relay" : "all",
    ...encryption.configuration,
  });
  /** TURN credentials asked for again at most this often, however many links restart at once. */
  let freshServers: { at: number; servers: Promise<RTCIceServer[]> } | null = null;
  const mesh = createCallMesh({
    configuration: configurationWith(options.iceServers),
    async refreshConfiguration() {
      if (!freshServers || Date.now() - freshServers.at > ICE_SERVERS_REUSE_MS) {
        const servers = fetchIceServers(session);
        freshServers = { at: Date.now(), servers };
        // Offline (often why ICE restarts): the next restart asks again.
        servers.catch(() => (freshServers = freshServers?.servers === servers ? null : freshServers));
      }
      return configurationWith(await freshServers.servers);
    },
    encryption,
    may,
    trackOf: media.trackOf,
    send: (to, signal) => void send({ type: "call.signal", to, ...signal }),
    onRemoteMedia: () => applySound(),
  });

  /** The microphone sends only when unmuted, not server-muted, and (with push-to-talk) while the key is held. */
  function applyMicrophone(): void {
    const track = media.microphone.peek();
    const isOpen =
      !muted.peek() && !isServerMuted.peek() && (!settings.preferences.peek().isPushToTalk || isPushToTalkHeld);
    if (track) track.enabled = isOpen;
  }

  function join(): void {
    joinClientId = newClientId();
    const rejoin = participantId.peek() ?? undefined;
    isRejoining = rejoin !== undefined;
    send({ type: "call.join", clientId: joinClientId, deviceId: encryption.deviceId, state: state(), rejoin });
  }

  function joined(frame: Extract<CallServerFrame, { type: "call.joined" }>): void {
    if (frame.clientId !== joinClientId) return;
    if (participantId.peek() !== frame.participantId) mesh.closeAll(); // a new place: everyone is new to us
    participantId.value = frame.participantId;
    callId.value = frame.call.callId;
    maxParticipants.value = frame.maxParticipants;
    isRejoining = false;
    applyView(frame.call);
    // Back after a drop: the paths that broke meanwhile are mended by whoever offers.
    mesh.restartBrokenIce();
  }

  function applyView(next: CallView | null): void {
    const previous = view.peek();
    view.value = next;
    const me = participantId.peek();
    if (!next || !me) return;
    const mine = next.participants.find((p) => p.participantId === me);
    if (!mine) return;
    speakingOf.value = new Map(next.participants.map((p) => [p.participantId, p.speaking]));
    const others = next.participants.filter((p) => p.participantId !== me);
    mesh.sync(mine, others, previous?.participants ?? []);
    applyMicrophone();
    applySound();
  }

  /** Each other participant's audio at their volume; silent when deafened or muted for everyone. */
  function applySound(): void {
    const speakerId = settings.preferences.peek().speakerId;
    for (const participant of view.peek()?.participants ?? []) {
      mesh.remoteOf(participant.participantId)?.update({
        volume: volumeOf.peek().get(participant.participantId) ?? 1,
        isSilent: deafened.peek() || participant.isServerMuted,
        speakerId,
      });
    }
  }

  /** SPEAK or VIDEO taken away mid-call: stop what the room would refuse now. */
  function permissionsChanged(next: readonly string[]): void {
    permissions.value = next;
    if (!participantId.peek()) return;
    if (!next.includes("VIDEO") && camera.peek()) void setCamera(false);
    if (!next.includes("VIDEO") && screen.peek()) void setScreen(false);
    if (!next.includes("SPEAK") && !muted.peek()) setMuted(true);
  }

  function finish(reason: string | null): void {
    if (isFinished) return;
    isFinished = true;
    mesh.dispose();
    stopSpeaking();
    stopPushToTalk();
    stopVideoPausing();
    media.stop();
    encryption.close();
    options.onFinished(reason);
  }

  function receive(frame: ServerFrame): void {
    // A left call's socket lingers only to hear how the call ended: a roster sent before the
    // leave arrived must not open connections again.
    if (isFinished && frame.type !== "call.ended") return;
    switch (frame.type) {
      case "welcome":
      case "permissions":
        return permissionsChanged(frame.permissions);
      case "call.joined":
        return joined(frame);
      case "call.roster":
        if (frame.channelId === channelId && participantId.peek() && !isRejoining) applyView(frame.call);
        return;
      // The channel's chat, which applies commits, may not be open: the media keys follow here.
      case "handshake":
        return encryption.onHandshake?.();
      case "call.signal":
        return mesh.receive(frame.from, frame);
      case "call.speaking":
        speakingOf.value = new Map(speakingOf.peek()).set(frame.participantId, frame.speaking);
        return;
      case "call.left": {
        if (frame.callId !== callId.peek()) return;
        // A call that ended, or a leave, is no problem to show; the rest are said in words.
        const isQuiet = frame.reason === "left" || frame.reason === "ended";
        finish(isQuiet ? null : leftInWords(frame.reason));
        // The room took the page out: its socket stays a moment for the `call.ended` that follows.
        setTimeout(() => socket.close(), TAKEN_OUT_LINGER_MS);
        return;
      }
      case "call.ended":
        return options.onEnded(frame);
      case "error":
        if (frame.clientId && frame.clientId === joinClientId) {
          // The place kept for this page is gone (the grace period passed): join afresh.
          if (isRejoining && frame.code === "not_in_call") {
            participantId.value = null;
            return join();
          }
          return finish(frame.message);
        }
        if (frame.code.startsWith("call_") || frame.code === "not_in_call" || frame.code === "missing_permission")
          problem.value = frame.message;
        return;
      default:
        return;
    }
  }

  const socket = openChannelSocket(channelId, session, {
    onFrame: receive,
    onStatus(status) {
      isSocketOnline.value = status === "online";
      if (status === "online") join();
    },
    onAccessRemoved: (reason) => finish(reason),
  });

  const stopSpeaking = (() => {
    let stop = () => {};
    const watch = (track: MediaStreamTrack | null) => {
      stop();
      stop = track
        ? detectSpeaking(track, (isSpeaking) => {
            speaking.value = isSpeaking;
            send({ type: "call.speaking", speaking: isSpeaking });
          })
        : () => {};
    };
    watch(media.microphone.peek());
    const unsubscribe = media.microphone.subscribe(watch);
    return () => {
      unsubscribe();
      stop();
    };
  })();
  const stopPushToTalk = listenForPushToTalk(
    () => (settings.preferences.peek().isPushToTalk ? settings.preferences.peek().pushToTalkKey : null),
    (isHeld) => {
      isPushToTalkHeld = isHeld;
      applyMicrophone();
      muted.value = !isHeld;
      sendState();
    },
  );
  applyMicrophone();

  const participants = computed((): CallParticipant[] => {
    void mesh.changes.value;
    const me = participantId.value;
    const list = view.value?.participants ?? [];
    const videos = list
      .filter((p) => p.participantId !== me && (p.camera || p.screen))
      .sort((a, b) => Number(b.participantId === focusedId.value) - Number(a.participantId === focusedId.value))
      .map((p) => p.participantId);
    const paused = new Set(videos.slice(CALL_VIDEO_TILES_MAX));
    return list.map((p) => {
      const isSelf = p.participantId === me;
      const remote = mesh.remoteOf(p.participantId);
      return {
        ...p,
        ...(isSelf ? { muted: muted.value, deafened: deafened.value, camera: camera.value, screen: screen.value } : {}),
        speaking: isSelf ? speaking.value && !muted.value : (speakingOf.value.get(p.participantId) ?? p.speaking),
        isSelf,
        quality: isSelf ? null : (mesh.quality.value.get(p.participantId) ?? null),
        connection: isSelf ? (isSocketOnline.value ? "connected" : "reconnecting") : mesh.stateOf(p.participantId),
        cameraStream: isSelf ? media.cameraPreview.value : p.camera && remote ? remote.camera : null,
        screenStream: isSelf ? media.screenPreview.value : p.screen && remote ? remote.screen : null,
        isVideoPaused: paused.has(p.participantId),
        volume: volumeOf.value.get(p.participantId) ?? 1,
      };
    });
  });

  // Paused tiles are not drawn: their received video tracks are disabled.
  const stopVideoPausing = effect(() => {
    for (const participant of participants.value) {
      mesh.remoteOf(participant.participantId)?.setVideoShown(!participant.isVideoPaused);
    }
  });

  async function setCamera(isOn: boolean): Promise<void> {
    if (isOn && !may().video) return void (problem.value = "you may not use video in this channel");
    try {
      if (isOn) await media.openCamera(settings.preferences.peek().cameraId);
      else media.closeCamera();
    } catch (caught) {
      return void (problem.value = `the camera could not be opened: ${mediaErrorInWords(caught)}`);
    }
    mesh.replaceTrack("camera", media.camera.peek());
    camera.value = isOn;
    sendState();
  }

  async function setScreen(isOn: boolean): Promise<void> {
    if (isOn && !may().video) return void (problem.value = "you may not share your screen in this channel");
    try {
      if (isOn) await media.openScreen(() => void setScreen(false));
      else media.closeScreen();
    } catch (caught) {
      return void (problem.value = `the screen could not be shared: ${mediaErrorInWords(caught)}`);
    }
    mesh.replaceTrack("screen", media.screen.peek());
    mesh.replaceTrack("screenAudio", media.screenAudio.peek());
    screen.value = isOn && media.screen.peek() !== null;
    sendState();
  }

  function setMuted(isMuted: boolean): void {
    if (!isMuted && (isServerMuted.peek() || !may().speak)) return;
    muted.value = isMuted;
    // Unmuting while deafened undeafens too: hearing nothing while talking is never wanted.
    if (!isMuted && deafened.peek()) deafened.value = false;
    applyMicrophone();
    applySound();
    sendState();
  }

  return {
    channelId,
    title: options.title,
    callId,
    participantId,
    /** "connecting" until joined and linked; "reconnecting" while the socket or a media path is broken. */
    status: computed((): CallStatus => {
      void mesh.changes.value;
      if (!participantId.value) return "connecting";
      if (!isSocketOnline.value) return "reconnecting";
      const states = mesh.states();
      if (states.includes("reconnecting")) return "reconnecting";
      return states.every((s) => s === "connected") ? "connected" : "connecting";
    }),
    encryption: encryption.state as { readonly value: CallEncryptionState },
    participants,
    maxParticipants,
    muted,
    deafened,
    camera,
    screen,
    speaking,
    isServerMuted,
    canSpeak: computed(() => permissions.value.includes("SPEAK")),
    canVideo: computed(() => permissions.value.includes("VIDEO")),
    /** Mute for everyone or disconnect: KICK_MEMBERS, or MANAGE_CHANNELS here. */
    canModerate: computed(
      () => permissions.value.includes("KICK_MEMBERS") || permissions.value.includes("MANAGE_CHANNELS"),
    ),
    focusedId,
    problem,
    setMuted,
    setDeafened(isDeafened: boolean) {
      if (isDeafened === deafened.peek()) return;
      deafened.value = isDeafened;
      // Deafening mutes too (others would hear someone who cannot hear them); undeafening gives back the mute as it was.
      if (isDeafened) {
        wasMutedBeforeDeafening = muted.peek();
        muted.value = true;
      } else muted.value = wasMutedBeforeDeafening;
      applyMicrophone();
      applySound();
      sendState();
    },
    setCamera,
    setScreen,
    setVolume(id: string, volume: number) {
      volumeOf.value = new Map(volumeOf.peek()).set(id, volume);
      applySound();
    },
    /** Shows one tile large; null (or the same one again) goes back to the grid. */
    focus(id: string | null) {
      focusedId.value = focusedId.peek() === id ? null : id;
    },
    moderate(id: string, action: "mute" | "disconnect") {
      send({ type: "call.moderate", participantId: id, action });
    },
    /** Another microphone or camera from the pickers; the choice is remembered. */
    async useMicrophone(deviceId: string) {
      settings.change({ microphoneId: deviceId });
      try {
        const track = await media.openMicrophone(deviceId);
        mesh.replaceTrack("microphone", track);
        applyMicrophone();
      } catch (caught) {
        problem.value = `that microphone could not be opened: ${mediaErrorInWords(caught)}`;
      }
    },
    async useCamera(deviceId: string) {
      settings.change({ cameraId: deviceId });
      if (camera.peek()) await setCamera(true);
    },
    useSpeaker(deviceId: string) {
      settings.change({ speakerId: deviceId });
      applySound();
    },
    /** Push-to-talk turned on or off in the settings: the microphone follows at once. */
    settingsChanged() {
      if (settings.preferences.peek().isPushToTalk && !muted.peek()) muted.value = true;
      applyMicrophone();
      sendState();
    },
    dismissProblem() {
      problem.value = null;
    },
    /** Sends `call.leave` and stops everything; the socket stays a moment to hear `call.ended`. */
    leave(lingerMs: number) {
      send({ type: "call.leave" });
      finish(null);
      setTimeout(() => socket.close(), lingerMs);
    },
    /** Ends this page's part without a word to the room (the room already took it out). */
    close() {
      finish(null);
      socket.close();
    },
  };
}
