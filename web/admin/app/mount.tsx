/**
 * The admin bundle's entry, web/dist/admin-assets/admin.js: only an instance
 * admin's browser ever receives it. `mount` renders the admin page for the
 * signed-in admin the shell passes in, and returns the way to take it down again.
 */
import { render } from "preact";
import type { MountAdmin } from "../admin-host.ts";
import { AdminApp } from "./components/admin-app.tsx";
import { AdminModel } from "./models/admin-model.ts";
// Built into one admin.css beside admin.js; on top of the shell's base (shell.css).
import "./styles/layout.css";
import "./styles/text.css";
import "./styles/panels.css";
import "./styles/forms.css";
import "./styles/tables.css";

/** Beside admin.js, behind the same cookie; loaded before the first render so nothing shows unstyled. */
const STYLESHEET_PATH = "/admin-assets/admin.css";

export const mount: MountAdmin = async (element, host) => {
  await loadStylesheet(STYLESHEET_PATH);
  const admin = new AdminModel(host);
  render(<AdminApp admin={admin} user={host.user} />, element);
  return () => {
    render(null, element);
    admin[Symbol.dispose]();
  };
};

function loadStylesheet(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = () => resolve();
    link.onerror = () => reject(new Error("the admin page's styles could not be loaded: reload the page"));
    document.head.append(link);
  });
}
