/**
 * What a chat line may contain (issue #13). Control characters would corrupt logs and clients'
 * displays; bidirectional controls (overrides, embeddings, isolates, marks) let a line display
 * otherwise than it reads, reversing a link or a name, and leak into whatever follows it on the
 * page. Both are removed; line and paragraph breaks and tabs become spaces, since a chat line is
 * one line. Emoji joiners, and every script written right to left, are ordinary text and stay.
 */
const SPACING = /[\t\n\v\f\r\u2028\u2029]/gu;
const INVISIBLE = /[\p{Cc}\p{Bidi_Control}]/gu;

/** The line as it may be shown, or undefined when nothing is left of it (refused as empty). */
export function cleanChatLine(text: string): string | undefined {
  const clean = text.replace(SPACING, ' ').replace(INVISIBLE, '').trim();
  return clean.length ? clean : undefined;
}
