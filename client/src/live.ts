/**
 * Live tenants: sign-in through VS Code's Microsoft authentication provider with read scopes
 * only, and the tokens the language server asks for while it reads Microsoft Graph. Tokens pass
 * from VS Code to the server in memory; nothing here stores or logs them.
 */
import * as vscode from 'vscode';
import { setting } from './settings';
import { GRAPH_READ_SCOPES, type GetTokenParams, type GetTokenResult, type LiveSelection } from '../../protocol/src/protocol';
import { GRAPH_ENDPOINTS } from '../../protocol/src/settings';

export function graphEndpoint(): string {
  return setting('graph.endpoint').replace(/\/+$/, '');
}

/** The authentication provider: Microsoft for the global cloud, the sovereign-cloud one otherwise. */
export function providerFor(endpoint: string): string {
  const configured = setting('graph.authenticationProvider');
  if (configured && vscode.workspace.isTrusted) return configured;
  return endpoint === GRAPH_ENDPOINTS.global ? 'microsoft' : 'microsoft-sovereign-cloud';
}

export function scopesFor(endpoint: string, tenant: string | undefined): string[] {
  const resource = new URL(endpoint).origin;
  return [...GRAPH_READ_SCOPES.map((s) => `${resource}/${s}`), ...(tenant ? [`VSCODE_TENANT:${tenant}`] : [])];
}

/** The user said no to signing in: the tenant in use stays in use (the server is told with RequestCancelled). */
export class SignInCancelled extends Error {}

/**
 * How VS Code reports a sign-in the user called off: a CancellationError ("Canceled") from the
 * provider's own flow, or this error when the "wants to sign in" dialog is dismissed.
 */
function isCancelled(e: unknown): boolean {
  return e instanceof vscode.CancellationError || (e instanceof Error && (e.name === 'Canceled' || e.message === 'Canceled' || e.message === 'User did not consent to login.'));
}

/** Answers the server's token requests. */
export async function provideToken(p: GetTokenParams): Promise<GetTokenResult> {
  if (!vscode.workspace.isTrusted) throw new Error(vscode.l10n.t('Live tenants are disabled in an untrusted workspace.'));
  let session: vscode.AuthenticationSession | undefined;
  try {
    session = await vscode.authentication.getSession(providerFor(p.endpoint), scopesFor(p.endpoint, p.tenant),
      p.forceRefresh ? { forceNewSession: { detail: vscode.l10n.t('Microsoft Graph refused the last token. Sign in again to keep reading the tenant.') } } : { createIfNone: true });
  } catch (e) {
    if (isCancelled(e)) throw new SignInCancelled(vscode.l10n.t('Sign-in was cancelled.'));
    throw e;
  }
  if (!session) throw new SignInCancelled(vscode.l10n.t('Sign-in was cancelled.'));
  return { token: session.accessToken };
}

/**
 * A new session for a live tenant, asked for by the user after Graph refused the last one (a
 * token it rejected, or one without a permission): VS Code lets them sign in again, with another
 * account or consenting anew. False when they called it off.
 */
export async function signInAgain(selection: LiveSelection): Promise<boolean> {
  try {
    const session = await vscode.authentication.getSession(providerFor(selection.endpoint), scopesFor(selection.endpoint, selection.tenant),
      { forceNewSession: { detail: vscode.l10n.t('Microsoft Graph refused the last sign-in. Sign in again to read the tenant.') } });
    return session !== undefined;
  } catch (e) {
    if (isCancelled(e)) return false;
    throw e;
  }
}

/** Asks which live tenant to read: the account's home tenant or another one by id or domain. */
export async function pickLive(other: boolean): Promise<LiveSelection | undefined> {
  const endpoint = graphEndpoint();
  if (!other) return { kind: 'live', endpoint, label: vscode.l10n.t('Live tenant') };
  const tenant = await vscode.window.showInputBox({
    title: vscode.l10n.t('Live tenant'),
    prompt: vscode.l10n.t('The tenant id or a verified domain of the tenant to read (for admins of several tenants).'),
    placeHolder: 'contoso.onmicrosoft.com',
    validateInput: (v) => (/^[0-9a-f-]{36}$/i.test(v.trim()) || /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(v.trim()) ? undefined : vscode.l10n.t('Enter a tenant id (GUID) or a domain.')),
  });
  if (!tenant) return undefined;
  return { kind: 'live', endpoint, tenant: tenant.trim(), label: tenant.trim() };
}
