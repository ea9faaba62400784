/**
 * Tokens for the CLI (the VS Code client uses VS Code's own Microsoft sign-in instead), first
 * match wins:
 *
 * 1. `DYNRULE_GRAPH_TOKEN`: a token acquired elsewhere, used as is (CI: `az account
 *    get-access-token --resource-type ms-graph`). It cannot be renewed: a 401 ends the fetch.
 * 2. An app registration from the environment (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and
 *    `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH`): scope `<graph>/.default`, i.e. the
 *    application permissions granted to it.
 * 3. The Azure CLI's signed-in account (`az login`): scope `<graph>/.default`.
 * 4. Device code sign-in, only when stdin is a terminal: the delegated read scopes
 *    `User.Read.All Group.Read.All Device.Read.All Organization.Read.All`.
 *
 * Tokens live in memory only; we never write or log them. `@azure/identity` is loaded only when
 * one of 2–4 is needed.
 */
import { GRAPH_READ_SCOPES } from '../../../protocol/src/protocol';
import { GRAPH_ENDPOINTS } from '../../../protocol/src/settings';
import { GraphError } from './errors';
import type { GetToken } from './http';
import { redact } from './secrets';

/** Graph endpoint → Entra authority of the same cloud. */
export const NATIONAL_CLOUDS: readonly { readonly graph: string; readonly authority: string; readonly name: string }[] = [
  { graph: GRAPH_ENDPOINTS.global, authority: 'https://login.microsoftonline.com', name: 'global' },
  { graph: GRAPH_ENDPOINTS.usGovL4, authority: 'https://login.microsoftonline.us', name: 'US Government L4' },
  { graph: GRAPH_ENDPOINTS.usGovL5, authority: 'https://login.microsoftonline.us', name: 'US Government L5 (DoD)' },
  { graph: GRAPH_ENDPOINTS.china, authority: 'https://login.chinacloudapi.cn', name: 'China (21Vianet)' },
];

export interface CliAuth {
  readonly getToken: GetToken;
  /** Where tokens come from, for messages ("DYNRULE_GRAPH_TOKEN", "Azure CLI", …); never the token. */
  readonly source: string;
}

export interface CliAuthOptions {
  readonly endpoint: string;
  readonly env: NodeJS.ProcessEnv;
  /** Device code sign-in is offered only when true (stdin is a terminal). */
  readonly interactive: boolean;
  /** Shows the device code instructions (to stderr). */
  readonly prompt: (message: string) => void;
}

interface AccessToken {
  readonly token: string;
  readonly expiresOnTimestamp: number;
}

interface Credential {
  getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal }): Promise<AccessToken | null>;
}

/** Picks the token source for the CLI. */
export async function cliAuth(options: CliAuthOptions): Promise<CliAuth> {
  const env = options.env;
  const fixed = env['DYNRULE_GRAPH_TOKEN']?.trim();
  if (fixed) {
    const token = fixed.replace(/^bearer\s+/i, '');
    return {
      source: 'DYNRULE_GRAPH_TOKEN',
      getToken: async ({ forceRefresh }) => {
        if (forceRefresh) {
          throw new GraphError('auth', 'Graph rejected the token in DYNRULE_GRAPH_TOKEN (expired, or for another resource?); get a new one, e.g. az account get-access-token --resource-type ms-graph --query accessToken -o tsv');
        }
        return token;
      },
    };
  }

  const graph = new URL(options.endpoint).origin;
  const cloud = NATIONAL_CLOUDS.find((c) => c.graph === graph);
  const authorityHost = env['AZURE_AUTHORITY_HOST'] ?? cloud?.authority;
  const identity = await import('@azure/identity');
  const appScope = `${graph}/.default`;

  if (env['AZURE_TENANT_ID'] && env['AZURE_CLIENT_ID'] && (env['AZURE_CLIENT_SECRET'] || env['AZURE_CLIENT_CERTIFICATE_PATH'])) {
    const credential = new identity.EnvironmentCredential(authorityHost ? { authorityHost } : {});
    return { source: `app registration ${env['AZURE_CLIENT_ID']} (environment)`, getToken: cached(credential, appScope) };
  }

  const cli = new identity.AzureCliCredential(env['AZURE_TENANT_ID'] ? { tenantId: env['AZURE_TENANT_ID'] } : {});
  try {
    const first = await cli.getToken(appScope);
    if (first) return { source: 'Azure CLI (az login)', getToken: cached(cli, appScope, first) };
  } catch (e) {
    if (!(e instanceof identity.CredentialUnavailableError)) throw authError('the Azure CLI could not get a token', e);
  }

  if (options.interactive) {
    const device = new identity.DeviceCodeCredential({
      tenantId: env['AZURE_TENANT_ID'] ?? 'organizations',
      ...(env['AZURE_CLIENT_ID'] ? { clientId: env['AZURE_CLIENT_ID'] } : {}),
      ...(authorityHost ? { authorityHost } : {}),
      userPromptCallback: (info) => options.prompt(info.message),
    });
    return { source: 'device code sign-in', getToken: cached(device, GRAPH_READ_SCOPES.map((s) => `${graph}/${s}`)) };
  }

  throw new GraphError('auth', 'no Graph credentials: set DYNRULE_GRAPH_TOKEN, or AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or sign in with az login (see docs/live-tenant.md)');
}

/** Reuses a token until two minutes before it expires, or until Graph rejects it. */
function cached(credential: Credential, scopes: string | string[], first?: AccessToken): GetToken {
  let current: AccessToken | undefined = first;
  return async ({ forceRefresh, signal }) => {
    if (!forceRefresh && current && current.expiresOnTimestamp - Date.now() > 120_000) return current.token;
    let next: AccessToken | null;
    try {
      next = await credential.getToken(scopes, signal ? { abortSignal: signal } : {});
    } catch (e) {
      throw authError('sign-in failed', e);
    }
    if (!next) throw new GraphError('auth', 'sign-in returned no token');
    current = next;
    return next.token;
  };
}

function authError(what: string, e: unknown): GraphError {
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  return new GraphError('auth', redact(`${what}: ${message}`), { cause: e });
}
