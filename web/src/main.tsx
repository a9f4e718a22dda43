/** The browser entry: the app-wide models, created once, and the root component. */
import { render } from "preact";
import { App } from "./app.tsx";
import { applyStoredAppearance } from "./models/appearance.ts";
import { RouterModel } from "./models/router.ts";
import { SessionModel } from "./models/session.ts";
import "./styles.css";
import "./appearance.css";

const session = new SessionModel();
const router = new RouterModel();

// Before the first render, so the page starts in the theme, density and text size chosen here.
applyStoredAppearance();
render(<App session={session} router={router} />, document.getElementById("app")!);
