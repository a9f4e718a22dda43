/** The public part of /admin: a word while the admin page loads, or why it will not. */
import type { ComponentChildren } from "preact";
import { sentence } from "../../src/components/sentence.ts";
import type { Shell } from "./shell-model.ts";

export function ShellView({ shell }: { shell: Shell }) {
  const state = shell.state.value;
  switch (state.name) {
    case "open":
      return null;
    case "loading":
      return (
        <p class="shell-status" role="status">
          Opening the admin page…
        </p>
      );
    case "refused":
      return (
        <Notice title="This page is for instance admins">
          <p>
            You are signed in as {state.username}, who is not an instance admin, so the admin page was not loaded. If
            you run this server, sign in with the admin account.
          </p>
          <a href="/">Back to Chatalot</a>
        </Notice>
      );
    case "signed-out":
      return (
        <Notice title="Sign in to open the admin page">
          <p>The admin page is for instance admins. Sign in with an admin account, then open /admin again.</p>
          <a href="/sign-in">Sign in</a>
        </Notice>
      );
    case "ended":
      return (
        <Notice title="Your session has ended">
          <p role="alert">{sentence(state.reason)}</p>
          <a href="/sign-in">Sign in again</a>
        </Notice>
      );
    case "failed":
      return (
        <Notice title="The admin page could not be opened">
          <p role="alert">{sentence(state.reason)}</p>
          <button type="button" onClick={() => shell.reload()}>
            Try again
          </button>
        </Notice>
      );
  }
}

function Notice({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main class="shell-notice">
      <h1>{title}</h1>
      {children}
    </main>
  );
}
