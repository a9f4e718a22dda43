/** /join/<code> for a signed-in user: the invite being accepted, or why it was not. */
import type { Communities } from "../models/communities.ts";
import type { Router } from "../models/router.ts";
import { AppLink } from "./app-link.tsx";
import { sentence } from "./sentence.ts";

export function JoinView({ communities, router }: { communities: Communities; router: Router }) {
  const error = communities.joining.error.value;
  return (
    <section class="pane" aria-labelledby="join-heading">
      <AppLink href="/" router={router} class="back-link">
        ← Communities
      </AppLink>
      <h2 id="join-heading">Joining a community</h2>
      {error ? (
        <>
          <p class="error" role="alert">
            {sentence(error)}
          </p>
          <div class="button-row">
            <button type="button" onClick={() => communities.retryJoin()} disabled={communities.joining.isBusy.value}>
              Try again
            </button>
            <AppLink href="/" router={router} class="button">
              Back to your communities
            </AppLink>
          </div>
        </>
      ) : (
        <p class="placeholder" role="status">
          Accepting the invite…
        </p>
      )}
    </section>
  );
}
