import { Room } from '../../protocol/channels.js';
import type { ClientOutOf, SeekJson } from '../../protocol/client-out.js';
import type { Publisher } from '../publish.js';

/**
 * The seeks in the lobby, and the lobby room's versions: a socket joining gets the whole list at a
 * version (`seeks`), then each change alone as a versioned `seekAdd` or `seekRemove`.
 */
export function createSeeks(publish: Publisher) {
  // Lobby versions go on across lila-core restarts (relays keep the lobby's recent events): they
  // start from the wall clock in ms, so they only grow, unless a second saw 1,000 lobby events.
  let v = Date.now();
  const seeks = new Map<string, SeekJson>();

  const remove = async (id: string): Promise<void> => {
    if (seeks.delete(id)) await publish.event(Room.lobby, { frame: { t: 'seekRemove', v: ++v, d: { id } } });
  };

  return {
    /** The version of the latest lobby event. */
    get version(): number {
      return v;
    },

    /** The first frame of a lobby socket: every seek, at the latest version. */
    list: (): ClientOutOf<'seeks'> => ({ t: 'seeks', v, d: [...seeks.values()] }),

    get: (id: string): SeekJson | undefined => seeks.get(id),

    countOf(user: string): number {
      let n = 0;
      for (const seek of seeks.values()) if (seek.user.id === user) n++;
      return n;
    },

    add(seek: SeekJson): Promise<unknown> {
      seeks.set(seek.id, seek);
      return publish.event(Room.lobby, { frame: { t: 'seekAdd', v: ++v, d: seek } });
    },

    /** Removes the seek, if it is still there, and tells the lobby. */
    remove,

    /** A user's seeks die (they started a game, or left the lobby). */
    async removeOf(user: string): Promise<void> {
      for (const seek of [...seeks.values()]) if (seek.user.id === user) await remove(seek.id);
    },

    /**
     * A new lila-core knows no seek: relays holding a lobby from before are told, with the whole
     * (empty) list as a versioned event that starts the lobby's versions afresh.
     */
    restarted(): Promise<unknown> {
      return publish.event(Room.lobby, { frame: { t: 'seeks', v: ++v, d: [] }, reset: true });
    },
  };
}
export type Seeks = ReturnType<typeof createSeeks>;
