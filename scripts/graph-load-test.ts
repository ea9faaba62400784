/**
 * The live-tenant client against a large tenant with throttling, end to end over HTTP:
 *
 *     npx tsx scripts/graph-load-test.ts [--users 100000] [--dynamic-groups 5000] [--units 20] [--throttle 0.01]
 *         [--retry-after 0.5] [--tenant <dir>] [--keep]
 *
 * 1. generates a tenant with scripts/generate-tenant.ts (JSON Lines), unless --tenant names one,
 *    and adds `--dynamic-groups` dynamic groups (0–59 members each) and `--units` dynamic
 *    administrative units to it;
 * 2. serves it with the Graph test server in its own process, a fraction of list pages answered
 *    429 with a fractional Retry-After;
 * 3. takes a snapshot with fetchSnapshot (the real client, default retry policy), with every
 *    dynamic group and unit (`snapshot --all`);
 * 4. verifies it is complete: every user, device, group and unit, field by field, in order;
 * 5. changes 1,000 users, creates 10 dynamic groups, refreshes the snapshot by delta, and checks
 *    the result.
 *
 * Prints the figures (time, requests, throttled pages, retries). Too slow for the unit tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fetchSnapshot, refreshSnapshot, type SnapshotProgress } from '../server/src/graph/index';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const users = Number(flag('--users', '100000'));
const dynamicGroups = Number(flag('--dynamic-groups', '5000'));
const unitCount = Number(flag('--units', '20'));
const fraction = Number(flag('--throttle', '0.01'));
const retryAfter = flag('--retry-after', '0.5');
const keep = args.includes('--keep');
const work = mkdtempSync(path.join(tmpdir(), 'dynrule-load-'));
const tenant = args.includes('--tenant') ? path.resolve(flag('--tenant', '')) : path.join(work, 'tenant');

const say = (s: string): void => console.log(s);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function run(cmd: string, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${argv.join(' ')} exited with ${code}`))));
  });
}

/** Lines of a child's stdout, awaited one pattern at a time; rejects if the child exits first. */
function lines(child: ChildProcess): (re: RegExp) => Promise<RegExpExecArray> {
  const seen: string[] = [];
  const waiting: { re: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const w = waiting.findIndex((x) => x.re.test(l));
    if (w >= 0) {
      const { re, resolve } = waiting.splice(w, 1)[0]!;
      resolve(re.exec(l)!);
    } else seen.push(l);
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`the Graph test server exited (${code})`));
  });
  return (re) => new Promise((resolve, reject) => {
    const i = seen.findIndex((l) => re.test(l));
    if (i >= 0) resolve(re.exec(seen.splice(i, 1)[0]!)!);
    else waiting.push({ re, resolve, reject });
  });
}

async function* objects(file: string): AsyncGenerator<Record<string, unknown>> {
  for await (const line of createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
  }
}

/** Compares two JSON Lines files object by object, in order, over the given fields. */
async function compare(expectedFile: string, actualFile: string, fields: (o: Record<string, unknown>) => string[]): Promise<number> {
  const a = objects(actualFile);
  let n = 0;
  for await (const e of objects(expectedFile)) {
    const { value: got, done } = await a.next();
    if (done) throw new Error(`${path.basename(actualFile)}: ends after ${n} objects`);
    for (const f of fields(e)) {
      if (JSON.stringify(got[f] ?? null) !== JSON.stringify(e[f] ?? null)) throw new Error(`${path.basename(actualFile)}: object ${n + 1} (${String(e['id'])}) differs in ${f}`);
    }
    n++;
  }
  if (!(await a.next()).done) throw new Error(`${path.basename(actualFile)}: more objects than the tenant has`);
  return n;
}

const t0 = Date.now();
if (!args.includes('--tenant')) {
  say(`Generating a tenant of ${users.toLocaleString('en-US')} users…`);
  await run(process.execPath, ['--import', 'tsx', 'scripts/generate-tenant.ts', '--users', String(users), '--format', 'jsonl', '--out', tenant, '--quiet']);
  say(`  ${secs(Date.now() - t0)}`);
}
const namedGroupIds: string[] = [];
for await (const g of objects(path.join(tenant, 'groups.jsonl'))) namedGroupIds.push(String(g['id']));
if (!args.includes('--tenant') && (dynamicGroups || unitCount)) {
  say(`Adding ${dynamicGroups.toLocaleString('en-US')} dynamic groups and ${unitCount} dynamic administrative units…`);
  await addDynamic(tenant);
}

/** Dynamic groups and units added to the generated tenant: members drawn from its users. */
async function addDynamic(dir: string): Promise<void> {
  const ids: string[] = [];
  const departments = new Map<string, string[]>();
  for await (const u of objects(path.join(dir, 'users.jsonl'))) {
    ids.push(String(u['id']));
    const d = String(u['department'] ?? '');
    departments.set(d, [...(departments.get(d) ?? []), String(u['id'])]);
  }
  const hex = (kind: string, n: number): string => `00000000-0000-4000-${kind}-${n.toString(16).padStart(12, '0')}`;
  const lines: string[] = [];
  for (let i = 0; i < dynamicGroups; i++) {
    const members = Array.from({ length: Math.min(i % 60, ids.length) }, (_, k) => ids[(i * 37 + k * 101) % ids.length]!);
    lines.push(JSON.stringify({
      id: hex('b000', i), displayName: `Load Dynamic ${i}`, groupTypes: ['DynamicMembership'], securityEnabled: true, mailEnabled: false,
      membershipRule: `user.jobTitle -eq "Title ${i}"`, membershipRuleProcessingState: 'On', assignedLicenses: [], members: [...new Set(members)],
    }));
  }
  await fs.appendFile(path.join(dir, 'groups.jsonl'), `${lines.join('\n')}\n`);
  const depts = [...departments];
  const units = Array.from({ length: unitCount }, (_, i) => {
    const [name, members] = depts[i % depts.length]!;
    return { id: hex('d000', i), displayName: `AU ${i} ${name}`, membershipType: 'Dynamic', membershipRule: `user.department -eq "${name}"`, membershipRuleProcessingState: 'On', members };
  });
  await fs.writeFile(path.join(dir, 'administrativeUnits.json'), JSON.stringify({ value: units }));
}

say(`Serving it (${(fraction * 100).toFixed(1)} % of list pages throttled, Retry-After ${retryAfter})…`);
const server = spawn(process.execPath, ['--max-old-space-size=12000', '--import', 'tsx', 'scripts/graph-test-server.ts', '--tenant', tenant, '--port', '0', '--throttle', String(fraction), '--retry-after', retryAfter], { cwd: repo, stdio: ['pipe', 'pipe', 'inherit'] });
const next = lines(server);
try {
  const url = (await next(/^URL:\s+(\S+)/))[1]!;
  const token = (await next(/^Token:\s+(\S+)/))[1]!;

  const out = path.join(work, 'snapshot');
  let throttled = 0;
  let lastPrint = Date.now();
  const onProgress = (p: SnapshotProgress): void => {
    if (p.kind === 'retry' && p.notice.reason === 'throttled') throttled++;
    if (p.kind === 'count' && Date.now() - lastPrint > 5000) {
      lastPrint = Date.now();
      say(`  … ${p.collection} ${p.count.toLocaleString('en-US')} (${p.pages} pages)`);
    }
  };
  say(`Snapshot of ${users.toLocaleString('en-US')} users with the ${namedGroupIds.length} generated groups by name and every dynamic group and unit…`);
  const f0 = Date.now();
  const full = await fetchSnapshot({ endpoint: url, getToken: async () => token, out, groups: namedGroupIds, allDynamicGroups: true, onProgress });
  const fullMs = Date.now() - f0;
  say(`  ${secs(fullMs)}: ${full.meta.counts.users} users, ${full.meta.counts.devices} devices, ${full.meta.counts.groups} groups, ${full.meta.counts.administrativeUnits ?? 0} units; ${full.requests} requests, ${throttled} throttled, ${full.retries} retries`);

  say('Verifying completeness, field by field…');
  const userCount = await compare(path.join(tenant, 'users.jsonl'), path.join(out, 'users.jsonl'), (o) => Object.keys(o).filter((k) => k !== 'memberOf'));
  const deviceFields = full.meta.select.devices;
  const deviceCount = await compare(path.join(tenant, 'devices.jsonl'), path.join(out, 'devices.jsonl'), (o) => Object.keys(o).filter((k) => deviceFields.includes(k)));
  const groups = JSON.parse(await fs.readFile(path.join(out, 'groups.json'), 'utf8')) as { value: Record<string, unknown>[] };
  const byId = new Map(groups.value.map((g) => [String(g['id']), g]));
  for await (const g of objects(path.join(tenant, 'groups.jsonl'))) {
    const got = byId.get(String(g['id']));
    if (!got) throw new Error(`group ${String(g['displayName'])} is missing`);
    const want = [...((g['members'] as string[] | undefined) ?? [])].sort();
    if (JSON.stringify([...(got['members'] as string[])].sort()) !== JSON.stringify(want)) throw new Error(`group ${String(g['displayName'])}: members differ`);
  }
  if (userCount !== users) throw new Error(`${userCount} users, expected ${users}`);
  const unitFile = path.join(tenant, 'administrativeUnits.json');
  const wantUnits = await fs.readFile(unitFile, 'utf8').then((t) => (JSON.parse(t) as { value: Record<string, unknown>[] }).value, () => []);
  const gotUnits = await fs.readFile(path.join(out, 'administrativeUnits.json'), 'utf8').then((t) => (JSON.parse(t) as { value: Record<string, unknown>[] }).value, () => []);
  const dynamicUnits = wantUnits.filter((u) => u['membershipType'] === 'Dynamic');
  if (gotUnits.length !== dynamicUnits.length) throw new Error(`${gotUnits.length} administrative units, expected ${dynamicUnits.length}`);
  for (const [i, u] of dynamicUnits.entries()) {
    if (JSON.stringify(gotUnits[i]!['members']) !== JSON.stringify(u['members'])) throw new Error(`administrative unit ${String(u['displayName'])}: members differ`);
  }
  say(`  complete: ${userCount.toLocaleString('en-US')} users, ${deviceCount} devices, ${groups.value.length} groups, ${gotUnits.length} units identical to the tenant`);

  server.stdin.write('stats\n');
  const stats = JSON.parse((await next(/^stats (.*)$/))[1]!) as { requests: number; methods: Record<string, number>; status: Record<string, number>; paths: Record<string, number> };
  say(`  server saw ${stats.requests} requests, methods ${JSON.stringify(stats.methods)}, statuses ${JSON.stringify(stats.status)}`);
  say(`  by request: ${JSON.stringify(stats.paths)}`);
  if (Object.keys(stats.methods).join() !== 'GET') throw new Error('a request other than GET reached the server');

  say('Changing 1,000 users and refreshing by delta…');
  server.stdin.write('mutate 1000\n');
  await next(/^changed 1000 users/);
  server.stdin.write('groups 10\n');
  await next(/^created 10 dynamic groups/);
  const d0 = Date.now();
  const delta = await refreshSnapshot(out, { getToken: async () => token });
  say(`  ${secs(Date.now() - d0)}: ${delta.mode}, users ${JSON.stringify(delta.changes?.users)}, groups ${JSON.stringify(delta.changes?.groups)}; ${delta.requests} requests`);
  if (delta.mode !== 'delta' || delta.changes?.users.updated !== 1000) throw new Error('the refresh did not report the 1,000 changes');
  if (delta.changes?.groups.added !== 10) throw new Error('the refresh did not add the 10 new dynamic groups');

  say('');
  say(`RESULT: ${users.toLocaleString('en-US')} users, ${dynamicGroups.toLocaleString('en-US')} dynamic groups, ${unitCount} units, ${(fraction * 100).toFixed(1)} % of pages throttled (${throttled} throttled responses): snapshot in ${secs(fullMs)} (${full.requests} requests), complete; delta refresh of 1,000 changes and 10 new groups in ${secs(Date.now() - d0)} (${delta.requests} requests).`);
} finally {
  server.kill('SIGINT');
  if (!keep) await fs.rm(work, { recursive: true, force: true });
  else say(`kept ${work}`);
}
