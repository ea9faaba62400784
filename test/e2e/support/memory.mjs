// Peak memory of process trees (code-server and Chromium), sampled from /proc: proportional set
// size (PSS), so pages shared between the processes of a tree are not counted twice.
import { readdirSync, readFileSync } from 'node:fs';

function childrenByParent() {
  const map = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!map.has(ppid)) map.set(ppid, []);
      map.get(ppid).push(Number(entry));
    } catch { /* the process ended */ }
  }
  return map;
}

function tree(root, map) {
  const pids = [root];
  for (let i = 0; i < pids.length; i++) pids.push(...(map.get(pids[i]) ?? []));
  return pids;
}

function pssMiB(pids) {
  let kib = 0;
  for (const pid of pids) {
    try {
      kib += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))[1]);
    } catch { /* the process ended */ }
  }
  return kib / 1024;
}

/** The Chromium process that this Node process started (playwright's browser), if any. */
export function findChromiumChild() {
  return (childrenByParent().get(process.pid) ?? []).find((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium'); } catch { return false; }
  });
}

/**
 * Samples the trees rooted at the pids `roots()` returns (name -> pid) every `intervalMs`.
 * stop() returns the peak PSS per tree and of their sum, in MiB.
 */
export function sampleMemory(roots, intervalMs = 250) {
  const peak = { total: 0 };
  const sample = () => {
    const map = childrenByParent();
    let total = 0;
    for (const [name, pid] of Object.entries(roots())) {
      if (!pid) continue;
      const mib = pssMiB(tree(pid, map));
      peak[name] = Math.max(peak[name] ?? 0, mib);
      total += mib;
    }
    peak.total = Math.max(peak.total, total);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v)]));
    },
  };
}
