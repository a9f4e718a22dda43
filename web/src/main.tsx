/** The browser entry: the app-wide models, created once, and the root component. */
import { render } from "preact";
import { App } from "./app.tsx";
import { RouterModel } from "./models/router.ts";
import { SessionModel } from "./models/session.ts";
import "./styles.css";

const session = new SessionModel();
const router = new RouterModel();

render(<App session={session} router={router} />, document.getElementById("app")!);
