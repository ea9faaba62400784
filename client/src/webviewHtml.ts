/**
 * The webviews' HTML (the preview and the audit report): a strict Content-Security-Policy (nothing
 * by default; styles, images and fonts only from the extension's own media folder; scripts only by
 * their nonce — no inline script, no eval, no remote content) and an empty <main> that the view's
 * script in client/media/ fills with tenant values as text. No `vscode` import, so the policy is
 * unit-tested.
 */

export interface WebviewHtmlOptions {
  /** The webview's `cspSource` (its own resource origin). */
  readonly cspSource: string;
  /** The scripts, in the order they run: the shared client/media/table.js, then the view's own. */
  readonly scriptUris: readonly string[];
  readonly styleUri: string;
  readonly nonce: string;
  readonly lang: string;
  readonly title: string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A nonce for the script: 128 random bits from the platform's cryptographic generator. */
export function newNonce(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('hex');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource}; script-src 'nonce-${nonce}'; img-src ${cspSource}; font-src ${cspSource};`;
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(o.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o.cspSource, o.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
${o.scriptUris.map((u) => `<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(u)}"></script>`).join('\n')}
</body>
</html>`;
}
