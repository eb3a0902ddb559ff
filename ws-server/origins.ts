import { z } from 'zod';

/**
 * Pages allowed to open a socket signed in by the `session` cookie. Browsers attach the cookie to
 * every WebSocket upgrade to our host, whichever site's page opens it, and always send that page's
 * `Origin`: only pages of our own site may use it (lila-ws checks the same, against its one site
 * origin). A token in the query is not ambient, and needs no such check.
 */
export type AllowedOrigins = {
  /** Any page served from this machine: http(s) on localhost, 127.0.0.0/8 or [::1], any port. */
  loopback: boolean;
  /** Exact origins (`https://host[:port]`), as browsers serialise them. */
  exact: ReadonlySet<string>;
};

/** The word for every loopback origin in ALLOWED_ORIGINS, and its default. */
export const LOOPBACK = 'loopback';

/** ALLOWED_ORIGINS: comma-separated origins and/or `loopback`; a malformed entry is a config error. */
export const AllowedOriginsEnv = z
  .string()
  .default(LOOPBACK)
  .transform((value, ctx): AllowedOrigins => {
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const exact = new Set<string>();
    for (const entry of entries) {
      if (entry === LOOPBACK) continue;
      const url = httpUrl(entry);
      if (!url || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not an origin: scheme, host and port only, as https://example.org or https://example.org:8443, or "${LOOPBACK}"`,
        });
        return z.NEVER;
      }
      exact.add(url.origin);
    }
    if (!entries.length) {
      ctx.addIssue({ code: 'custom', message: `at least one origin, or "${LOOPBACK}"` });
      return z.NEVER;
    }
    return { loopback: entries.includes(LOOPBACK), exact };
  });

/** An http(s) URL, else undefined. */
function httpUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL at all (`null`, from a sandboxed frame or a file, among others).
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

const isLoopbackHost = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/** Whether a page of `origin` (the upgrade's `Origin` header) may use the session cookie. */
export function originAllowed(origin: string, allowed: AllowedOrigins): boolean {
  const url = httpUrl(origin);
  if (!url) return false;
  // Compared as browsers serialise origins: lowercase host, no default port.
  if (allowed.exact.has(url.origin)) return true;
  return allowed.loopback && isLoopbackHost(url.hostname);
}
