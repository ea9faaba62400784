/**
 * Generates a synthetic tenant snapshot folder in Microsoft Graph v1.0 shapes.
 *
 *     npx tsx scripts/generate-tenant.ts [--seed N] [--users N] [--devices N] [--out <dir>] [--format json|jsonl] [--dynamic-groups N]
 *
 * With no options it rewrites the committed sample, samples/tenant/contoso. The same options give
 * byte-identical files. Large tenants (--users 1000000 --format jsonl) are streamed to disk in
 * constant memory. See samples/tenant/README.md for the folder format.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setDefaultRegexEngine } from '../grammar/src/index';
import { linearRegexEngine } from '../server/src/regex/engine';
import { DEFAULT_OPTIONS, generateTenant, type GenerateOptions } from './tenant/generate';

// The group rules are evaluated as the CLI evaluates them: -match on the linear-time engine.
setDefaultRegexEngine(linearRegexEngine);

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: generate-tenant [--seed N] [--users N] [--devices N] [--out <dir>] [--format json|jsonl] [--dynamic-groups N] [--quiet]';

function parseArgs(argv: string[]): GenerateOptions & { quiet: boolean } {
  const o = { ...DEFAULT_OPTIONS, dynamicGroups: 0, out: path.join(repo, 'samples/tenant/contoso'), quiet: false };
  const int = (flag: string, v: string | undefined): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${flag} needs a non-negative integer`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    switch (a) {
      case '--seed': o.seed = int(a, v); i++; break;
      case '--users': o.users = int(a, v); i++; break;
      case '--devices': o.devices = int(a, v); i++; break;
      case '--dynamic-groups': o.dynamicGroups = int(a, v); i++; break;
      case '--out': if (!v) throw new Error('--out needs a folder'); o.out = path.resolve(v); i++; break;
      case '--format': if (v !== 'json' && v !== 'jsonl') throw new Error('--format is json or jsonl'); o.format = v; i++; break;
      case '--quiet': o.quiet = true; break;
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (o.seed > 0xffffffff) throw new Error('--seed must fit in 32 bits');
  return o;
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const progress = options.quiet ? undefined : (what: string, n: number): void => { process.stderr.write(`  ${what}: ${n.toLocaleString('en-US')}\n`); };
  const s = await generateTenant({ ...options, onProgress: progress });
  if (options.quiet) return;
  const out = path.relative(process.cwd(), options.out) || '.';
  console.log(`${out}: ${s.users} users (${s.guests} guests, ${s.disabled} disabled, ${s.withoutUsageLocation} without usageLocation), ${s.devices} devices, ${s.groups.length} groups, ${s.skus.length} SKUs in ${(s.ms / 1000).toFixed(1)} s`);
  for (const f of s.files) console.log(`  ${f.name.padEnd(20)} ${f.bytes.toLocaleString('en-US').padStart(14)} bytes`);
  console.log('groups:');
  for (const g of s.groups) {
    console.log(`  ${g.id}  ${g.displayName}  [${g.members} ${g.object === 'user' ? 'users' : 'devices'}]${g.licenses.length ? `  licenses: ${g.licenses.join(', ')}` : ''}`);
    if (g.membershipRule) console.log(`      rule: ${g.membershipRule}`);
    if (g.drift) console.log(`      drift: ${g.drift}: ${g.driftIds?.join(', ')}`);
    for (const w of g.warnings) console.log(`      ${w}`);
  }
  if (s.dynamicGroups) console.log(`  and ${s.dynamicGroups} generated dynamic groups (--dynamic-groups)`);
  console.log('administrative units:');
  for (const g of s.administrativeUnits) {
    console.log(`  ${g.id}  ${g.displayName}  [${g.members} users]`);
    if (g.membershipRule) console.log(`      rule: ${g.membershipRule}`);
  }
  console.log('subscriptions:');
  for (const k of s.skus) {
    console.log(`  ${k.skuPartNumber.padEnd(24)} enabled ${String(k.enabled).padStart(7)}  consumed ${String(k.consumed).padStart(7)}  available ${String(k.enabled - k.consumed).padStart(5)}${k.errors ? `  CountViolation ${k.errors}` : ''}`);
  }
}

await main();
