/** The call's settings: microphone, camera and speaker, push-to-talk and its key, relay only. */
import type { ActiveCall, Calls } from "../../models/calls/calls.ts";

export function CallSettingsPanel({ calls, call }: { calls: Calls; call: ActiveCall | null }) {
  const { settings } = calls;
  const preferences = settings.preferences.value;
  const devices = settings.devices.value;
  const picker = (kind: MediaDeviceKind, label: string, value: string, choose: (deviceId: string) => void) => (
    <label>
      {label}
      <select value={value} onChange={(event) => choose(event.currentTarget.value)}>
        <option value="">Default</option>
        {devices
          .filter((device) => device.kind === kind && device.deviceId && device.deviceId !== "default")
          .map((device, index) => (
            <option key={device.deviceId} value={device.deviceId}>
              {device.label || `${label} ${index + 1}`}
            </option>
          ))}
      </select>
    </label>
  );
  return (
    <form class="call-settings" aria-label="Call settings" onSubmit={(event) => event.preventDefault()}>
      {picker("audioinput", "Microphone", preferences.microphoneId, (id) =>
        call ? void call.useMicrophone(id) : settings.change({ microphoneId: id }),
      )}
      {picker("videoinput", "Camera", preferences.cameraId, (id) =>
        call ? void call.useCamera(id) : settings.change({ cameraId: id }),
      )}
      {settings.canPickSpeaker() &&
        picker("audiooutput", "Speaker", preferences.speakerId, (id) =>
          call ? call.useSpeaker(id) : settings.change({ speakerId: id }),
        )}
      <label class="checkbox">
        <input
          type="checkbox"
          checked={preferences.isPushToTalk}
          onChange={(event) => {
            settings.change({ isPushToTalk: event.currentTarget.checked });
            call?.settingsChanged();
          }}
        />
        Push to talk (hold {preferences.pushToTalkKey === "Space" ? "Space" : preferences.pushToTalkKey} outside a text
        field)
      </label>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={preferences.isRelayOnly}
          onChange={(event) => settings.change({ isRelayOnly: event.currentTarget.checked })}
        />
        Relay only: hide my IP address from the others (takes effect on the next join)
      </label>
    </form>
  );
}
