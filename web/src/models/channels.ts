/** The channels on this server: the list in the sidebar and creating new ones. */
import { createModel, effect, signal } from "@preact/signals";
import { channelNameSchema, type ChannelView } from "../../../protocol/index.ts";
import { describeError } from "./api-client.ts";
import type { Session } from "./session.ts";

const byName = (a: ChannelView, b: ChannelView) => a.name.localeCompare(b.name);

export const ChannelsModel = createModel((session: Session) => {
  const channels = signal<ChannelView[]>([]);
  const isLoading = signal(true);
  const loadError = signal<string | null>(null);
  const createError = signal<string | null>(null);
  const isCreating = signal(false);

  async function load(): Promise<void> {
    isLoading.value = true;
    loadError.value = null;
    try {
      const answer = await session.request<{ channels: ChannelView[] }>("/api/channels");
      channels.value = [...answer.channels].sort(byName);
    } catch (caught) {
      loadError.value = describeError(caught);
    } finally {
      isLoading.value = false;
    }
  }
  void load();
  // No socket announces new channels yet: coming back to the tab is when a stale list would show.
  effect(() => {
    const onFocus = () => void load();
    addEventListener("focus", onFocus);
    return () => removeEventListener("focus", onFocus);
  });

  return {
    channels,
    isLoading,
    loadError,
    createError,
    isCreating,
    load,
    /** The new channel, or null with `createError` saying why not. */
    async create(name: string): Promise<ChannelView | null> {
      const parsed = channelNameSchema.safeParse(name.trim());
      if (!parsed.success) {
        createError.value = parsed.error.issues[0]?.message ?? "check the channel name";
        return null;
      }
      isCreating.value = true;
      createError.value = null;
      try {
        const { channel } = await session.request<{ channel: ChannelView }>("/api/channels", {
          method: "POST",
          body: { name: parsed.data },
        });
        channels.value = [...channels.value.filter((known) => known.id !== channel.id), channel].sort(byName);
        return channel;
      } catch (caught) {
        createError.value = describeError(caught);
        return null;
      } finally {
        isCreating.value = false;
      }
    },
  };
});

export type Channels = InstanceType<typeof ChannelsModel>;
