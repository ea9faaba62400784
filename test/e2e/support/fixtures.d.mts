// Types for fixtures.mjs, which the runners (plain Node) and the suite (TypeScript) share.
export declare const smallTenant: { readonly folder: string; readonly users: number; readonly seed: number; readonly tenantName: string };
export declare const htmlUser: { readonly displayName: string };
export declare function generateSmallTenant(repoRoot: string, dir: string): Promise<void>;
export declare function prepareWorkspace(repoRoot: string, prefix: string): { root: string; workspace: string; ready: Promise<void> };
