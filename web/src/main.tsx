/**
 * The browser entry: the app-wide models, created once, and the root component;
 * then, once the page has loaded, the service worker that lets the installed app
 * open offline (web/sw/sw.ts; built only by `vite build`).
 */
/// <reference types="vite/client" />
import { effect } from "@preact/signals";
import { render } from "preact";
import { App, rememberSignedIn } from "./app.tsx";
import { applyStoredAppearance } from "./models/appearance.ts";
import { recheckUntilReachable } from "./models/reachability.ts";
import { RouterModel } from "./models/router.ts";
import { SessionModel } from "./models/session.ts";
import "./styles.css";
import "./appearance.css";

const session = new SessionModel();
const router = new RouterModel();

// Before the first render, so the page starts in the theme, density and text size chosen here.
applyStoredAppearance();
render(<App session={session} router={router} />, document.getElementById("app")!);

if (import.meta.env.PROD && "serviceWorker" in navigator) {
  // After the load, so precaching the shell never competes with the first paint.
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch((error: unknown) => console.warn("no offline start:", error));
  });
}

effect(() => rememberSignedIn(session));

// A start that could not restore the saved session may have had no network (the installed
// app opened offline): once the server answers, start again so the session is restored
// (signing in anew would make this browser a new encryption device).
effect(() => {
  if (!session.isRestoring.value && !session.user.peek() && session.notice.peek()) {
    void recheckUntilReachable(() => location.reload());
  }
});
