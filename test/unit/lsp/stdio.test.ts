import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';

describe('the bundled server for any editor: node dist/server.js --stdio', () => {
  it('speaks LSP over stdin/stdout and publishes diagnostics', async () => {
    const child = spawn(process.execPath, ['dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const client = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => client.onNotification('textDocument/publishDiagnostics', resolve));
    client.listen();
    try {
      const init = await client.sendRequest<{ capabilities: { hoverProvider?: boolean }; serverInfo?: { name: string } }>('initialize', { processId: null, rootUri: null, capabilities: {} });
      assert.equal(init.capabilities.hoverProvider, true);
      assert.equal(init.serverInfo?.name, 'Entra Dynamic Rules language server');
      await client.sendNotification('initialized', {});
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///any/editor.dynrule', languageId: 'dynrule', version: 1, text: 'user.departmnt -eq "Sales"' } });
      const d = await diagnostics;
      assert.deepEqual(d.diagnostics.map((x) => x.code), ['type/unknown-property']);
      await client.sendRequest('shutdown');
      await client.sendNotification('exit');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0);
    } finally {
      client.dispose();
      child.kill();
    }
  });
});
