/**
 * The call journeys read each page's WebRTC statistics through the page's own
 * RTCPeerConnections. The app exposes none (nothing test-only ships), so this init
 * script, run before the app's code, wraps the constructor and keeps every connection
 * made in `window.testPeerConnections`: the outer edge, like a browser extension would.
 * Passed to `page.addInitScript`, it is sent as source: it may use nothing outside itself.
 */
export function collectPeerConnections(): void {
  const Original = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as { testPeerConnections: RTCPeerConnection[] }).testPeerConnections = made;
  window.RTCPeerConnection = class extends Original {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      made.push(this);
    }
  } as typeof RTCPeerConnection;
}
