/**
 * The client/server contract of protocol/src/protocol.ts against the real server over streams:
 * every message is declared once with the end that answers it, and the server handles exactly
 * the requests declared as its own.
 */
import assert from 'node:assert/strict';
import { ErrorCodes, RequestType0, ResponseError, type MessageSignature, type RequestType } from 'vscode-languageserver-protocol';
import * as protocol from '../../../protocol/src/protocol';
import { CLIENT_NOTIFICATIONS, CLIENT_REQUESTS, SERVER_REQUESTS } from '../../../protocol/src/protocol';
import { startHarness, type Harness } from '../../support/lsp';

const isMessage = (v: unknown): v is MessageSignature =>
  v !== null && typeof v === 'object' && typeof (v as MessageSignature).method === 'string' && typeof (v as MessageSignature).numberOfParams === 'number';

/** What a request answers, or the JSON-RPC error code it was refused with. */
async function answerOf(h: Harness, type: MessageSignature): Promise<{ answered: unknown } | { refused: number }> {
  try {
    const answered = type.numberOfParams === 0
      ? await h.client.sendRequest(type as RequestType0<unknown, void>)
      // Parameters the handler cannot read: it answers neutrally, but it answers.
      : await h.client.sendRequest(type as RequestType<unknown, unknown, void>, null);
    return { answered };
  } catch (e) {
    if (e instanceof ResponseError) return { refused: e.code };
    throw e;
  }
}

describe('protocol: one typed contract between client and server', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  it('declares each message once, under one method name, with the end that answers it', () => {
    const declared = (Object.values(protocol) as unknown[]).filter(isMessage).map((m) => m.method).sort();
    const listed = [...SERVER_REQUESTS, ...CLIENT_REQUESTS, ...CLIENT_NOTIFICATIONS].map((m) => m.method).sort();
    assert.deepEqual(listed, declared, 'a message is declared but not listed with the end that answers it');
    assert.equal(new Set(declared).size, declared.length, 'two messages share a method name');
    for (const m of declared) assert.match(m, /^dynrule\/[a-z][A-Za-z]+$/);
  });

  it('the server registers a handler for each request declared as its own, and for nothing else', () => {
    // vscode-languageserver registers some standard LSP methods through the same calls.
    const own = (methods: string[]) => methods.filter((m) => !/^(textDocument|workspace|window|\$)\//.test(m)).sort();
    assert.deepEqual(own(h.handled.requests), SERVER_REQUESTS.map((r) => r.method).sort());
    assert.deepEqual(own(h.handled.notifications), []);
  });

  it('the server answers each request declared as its own', async () => {
    for (const type of SERVER_REQUESTS) {
      const answer = await answerOf(h, type);
      assert.ok('answered' in answer, `${type.method} was refused with ${'refused' in answer ? answer.refused : ''}`);
    }
    // The same question about a method nobody declared is refused: the check above can fail.
    assert.deepEqual(await answerOf(h, new RequestType0('dynrule/undeclared')), { refused: ErrorCodes.MethodNotFound });
  });
});
