/**
 * The loader of /admin, public like the rest of web/dist: it holds no admin code.
 * The shell model decides whether to fetch that code; the view says what is happening.
 */
import { render } from "preact";
import { ShellModel } from "./shell-model.ts";
import { ShellView } from "./shell-view.tsx";
import "./shell.css";

const shell = new ShellModel(document.getElementById("admin")!);

render(<ShellView shell={shell} />, document.getElementById("shell")!);
