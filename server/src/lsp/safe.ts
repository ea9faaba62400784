/**
 * Every request handler runs inside this wrapper: a handler that throws is logged and answered
 * with a neutral result, and a cancelled request stops and answers neutrally too. The server
 * never dies because one feature failed on one input. A neutral answer that holds text is made
 * per request (a function), so it is in the language the client asked for at initialize.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver';

export type Log = (message: string) => void;

export function safe<P, R>(
  log: Log,
  name: string,
  // The handler's result type is the answer's (the request type fixes it); the neutral answer must fit it.
  neutral: NoInfer<R> | (() => NoInfer<R>),
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  const fallback = (): R => (typeof neutral === 'function' ? (neutral as () => R)() : neutral);
  return async (params, token) => {
    if (token?.isCancellationRequested) return fallback();
    try {
      const result = await handler(params, token);
      return token?.isCancellationRequested ? fallback() : result;
    } catch (e) {
      log(`[error] ${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return fallback();
    }
  };
}

/** A logger that writes to the client's output channel (never tokens or tenant secrets). */
export function connectionLog(connection: Connection): Log {
  return (message) => {
    try {
      connection.console.log(`${new Date().toISOString()} ${message}`);
    } catch {
      // The connection is closed (the client went away): there is nobody left to tell.
    }
  };
}
