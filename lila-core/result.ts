import type { ErrorCode } from '../protocol/client-out.js';

/**
 * What lila-core answers wherever it may say no: the value, or a refusal saying why. A refusal's
 * code is one of the protocol's error codes, the ones a socket hears in an `error` frame. The HTTP
 * API names its refusals in its own words (`not_found`, `forbidden`...): those take their codes
 * as the second parameter, the shape stays the same (challenges.ts).
 */
export type Refusal<Code extends string = ErrorCode> = { ok: false; code: Code; message: string };
export type Result<T, Code extends string = ErrorCode> = { ok: true; value: T } | Refusal<Code>;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const refuse = <Code extends string = ErrorCode>(code: Code, message: string): Refusal<Code> => ({
  ok: false,
  code,
  message,
});
