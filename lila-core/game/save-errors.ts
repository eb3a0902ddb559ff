/**
 * How a save can fail, as the sender of the action must hear it (round.ts): an action that was
 * not saved is refused `unavailable`; one whose outcome could not be learned is not answered yet
 * (a relay sends a move again, and the game settles the doubt before acting on it).
 */

/** The action was not saved, and never will be: the game is as it was before it. */
export class NotSaved extends Error {}

/**
 * A write of the action failed and the database could not be read to learn whether it landed:
 * the game keeps it in doubt, and settles it before its next action.
 */
export class SaveUnsettled extends Error {}

/** The journal already holds its bound of unwritten states: this one was refused before any write. */
export class JournalFull extends NotSaved {
  constructor(limit: number) {
    super(`${limit} game states already wait for the journal`);
  }
}

/** A write the database answered with an error, or not at all: it may or may not have landed. */
export class OutcomeUnknown extends Error {}
