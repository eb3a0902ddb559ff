/**
 * What every page of the web UI is given by the shell (web/src/main.ts): who is signed in, the
 * JSON API, and navigation without a reload. Pages open their own sockets with the client library
 * (client/): same origin, so the `session` cookie authenticates them.
 */

/** The signed-in account or anonymous session, or null before either. */
export type Me = { id: string; name: string; anonymous: boolean } | null;

export type ApiAnswer<T> = { status: number; json: T };

export type PageContext = {
  me: Me;
  /** Calls the JSON API on this origin; the `session` cookie authenticates the call. */
  api: <T = unknown>(method: string, path: string, body?: unknown) => Promise<ApiAnswer<T>>;
  /** Shows another page of the app without reloading (history.pushState). */
  navigate: (path: string) => void;
  /** `ws://` or `wss://` and this page's host: where sockets go (nginx passes them to a relay). */
  socketBase: string;
};

/** A page: draws itself into `root`; the returned function closes its sockets and timers. */
export type Page = (root: HTMLElement, ctx: PageContext) => () => void;
