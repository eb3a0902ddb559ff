import type { ClientOut } from '../protocol/client-out.js';

/**
 * A room's versions as the client tracks them, a pure transition per frame with time passed in.
 * Versioned events come contiguous from a relay (`{"v":N}` stands for one this socket must not
 * see), so: an event at or below the current version is a repeat and is dropped; the next one is
 * delivered; one further ahead means something was missed: it is held, briefly, in case the gap
 * fills, and after that the client starts over from a whole new state (a resync). A snapshot
 * (`state` on a game, `seeks` on the lobby) sets the version outright.
 */
export type Frame = Exclude<ClientOut, 0>;

export type VersionState = {
  /** The latest version delivered (or counted); null before the first snapshot or event. */
  readonly v: number | null;
  /** Events past a gap, in version order, until it fills or the client resyncs. */
  readonly held: readonly Frame[];
  /** When the current gap was first seen. */
  readonly gapSince: number | null;
  /** After `resync` (or a gap given up on): only a snapshot may set the version now. */
  readonly awaitingSnapshot: boolean;
};

export type Step = {
  state: VersionState;
  /** Frames for the application, in order (`{"v":N}` placeholders are counted, not delivered). */
  deliver: Frame[];
  /** Placeholders counted and repeats dropped by this step. */
  skipped: number;
  dropped: number;
};

export const initialVersions = (v: number | null = null): VersionState => ({
  v,
  held: [],
  gapSince: null,
  awaitingSnapshot: false,
});

const SNAPSHOTS = new Set(['state', 'seeks']);

export const versionOf = (f: Frame): number | undefined => ('v' in f && typeof f.v === 'number' ? f.v : undefined);
const isSnapshot = (f: Frame) => 't' in f && SNAPSHOTS.has(f.t);
const isPlaceholder = (f: Frame) => !('t' in f);

export function receive(state: VersionState, frame: Frame, now: number): Step {
  const v = versionOf(frame);
  if (v === undefined) {
    // Unversioned frames (acks, errors, crowd...) are not ordered with the room's events.
    if ('t' in frame && frame.t === 'resync')
      return {
        state: { ...state, held: [], gapSince: null, awaitingSnapshot: true },
        deliver: [frame],
        skipped: 0,
        dropped: 0,
      };
    return { state, deliver: [frame], skipped: 0, dropped: 0 };
  }
  if (isSnapshot(frame)) {
    // An older snapshot than what is held is stale, unless one was asked for.
    if (!state.awaitingSnapshot && state.v !== null && v < state.v)
      return { state, deliver: [], skipped: 0, dropped: 1 };
    const after: VersionState = {
      v,
      held: state.held.filter((h) => versionOf(h)! > v),
      gapSince: null,
      awaitingSnapshot: false,
    };
    return flush(after, [frame], now);
  }
  if (state.awaitingSnapshot) return { state: hold(state, frame, null), deliver: [], skipped: 0, dropped: 0 };
  if (state.v === null)
    return flush({ ...state, v }, isPlaceholder(frame) ? [] : [frame], now, isPlaceholder(frame) ? 1 : 0);
  if (v <= state.v) return { state, deliver: [], skipped: 0, dropped: 1 };
  if (v > state.v + 1) return { state: hold(state, frame, state.gapSince ?? now), deliver: [], skipped: 0, dropped: 0 };
  return flush({ ...state, v }, isPlaceholder(frame) ? [] : [frame], now, isPlaceholder(frame) ? 1 : 0);
}

/** Held events that now follow on are delivered; the gap closes when none is left. */
function flush(state: VersionState, deliver: Frame[], now: number, skipped = 0): Step {
  let { v, held } = state;
  let dropped = 0;
  while (held.length && v !== null && versionOf(held[0])! <= v + 1) {
    const [next, ...rest] = held;
    held = rest;
    if (versionOf(next)! <= v) {
      dropped++;
      continue;
    }
    v = versionOf(next)!;
    if (isPlaceholder(next)) skipped++;
    else deliver.push(next);
  }
  const gapSince = held.length ? (state.gapSince ?? now) : null;
  return { state: { ...state, v, held, gapSince }, deliver, skipped, dropped };
}

function hold(state: VersionState, frame: Frame, gapSince: number | null): VersionState {
  const v = versionOf(frame)!;
  if (state.held.some((h) => versionOf(h) === v)) return state;
  const held = [...state.held, frame].sort((a, b) => versionOf(a)! - versionOf(b)!);
  return { ...state, held, gapSince };
}

/** Past `waitMs` with the gap still open, the client resyncs: held events go, a snapshot is awaited. */
export function gapExpired(state: VersionState, now: number, waitMs: number): boolean {
  return state.gapSince !== null && now - state.gapSince >= waitMs;
}

export const startResync = (state: VersionState): VersionState => ({
  ...state,
  held: [],
  gapSince: null,
  awaitingSnapshot: true,
});

/** The `?v=` to connect with: the last version seen, unless a whole new state is wanted. */
export const connectVersion = (state: VersionState): number | undefined =>
  state.awaitingSnapshot || state.v === null ? undefined : state.v;
