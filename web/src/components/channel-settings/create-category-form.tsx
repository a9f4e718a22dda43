/** The sidebar's "Create a category" button and its small form, for those who may manage channels. */
import type { ChannelAdmin } from "../../models/channel-admin.ts";
import { describedBy, FormError } from "../form-error.tsx";
import { Popover } from "../shell/popover.tsx";

export function CreateCategoryButton({ admin }: { admin: ChannelAdmin }) {
  const error = admin.categoryAction.error.value;
  return (
    <Popover
      label="Create a category"
      title="Create a category"
      button={<FolderPlus />}
      buttonClass="icon-button is-small"
      placement="end"
      onOpen={() => admin.categoryAction.reset()}
    >
      {(close) => (
        <form
          class="stack"
          noValidate
          onSubmit={async (event) => {
            event.preventDefault();
            const name = String(new FormData(event.currentTarget).get("name") ?? "");
            if (await admin.createCategory(name)) close();
          }}
        >
          <label for="new-category-name">Category name</label>
          <input
            id="new-category-name"
            name="name"
            maxLength={64}
            placeholder="Projects"
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(error && "new-category-error")}
          />
          <FormError id="new-category-error" error={error} />
          <button type="submit" class="primary" disabled={admin.categoryAction.isBusy.value}>
            Create category
          </button>
        </form>
      )}
    </Popover>
  );
}

/** A folder with a plus, drawn as the shell's icons are (shell/icons.tsx). */
function FolderPlus() {
  return (
    <svg
      class="icon"
      width={16}
      height={16}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width={1.8}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zM12 10v6M9 13h6" />
    </svg>
  );
}
