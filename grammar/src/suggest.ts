/** "Did you mean" suggestions by edit distance (optimal string alignment, case-insensitive). */

export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur[j] = v;
    }
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[n]!;
}

/**
 * The closest candidates to `word`, best first. A candidate qualifies when its distance is at most
 * a third of the longer word (and at most 4), or when one contains the other.
 */
export function closest(word: string, candidates: readonly string[], max = 3): string[] {
  const w = word.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const limit = Math.min(4, Math.max(1, Math.floor(Math.max(w.length, lc.length) / 3)));
    const contains = w.length >= 4 && (lc.includes(w) || w.includes(lc));
    // The distance is at least the difference in length: skip the quadratic computation when
    // it cannot qualify (a 64 KB word against every property name took a second).
    if (!contains && Math.abs(w.length - lc.length) > limit) continue;
    const d = editDistance(w, lc);
    if (d <= limit || contains) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, max).map((s) => s.c);
}
