/** Command-line options of `npm run bench`. */
import type { Size } from './data';

export const SECTIONS = ['parse', 'eval', 'preview', 'load', 'lsp', 'ruletests', 'audit', 'whatif'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  readonly only: readonly Section[];
  readonly sizes: readonly Size[];
  readonly json: boolean;
  /** Timed runs per measurement (the median is reported). */
  readonly runs: number;
  /** Also check the engine against JSON.parse of the 100k users file (slow). */
  readonly verify: boolean;
  /** Worker threads for loading (default: the loader's own choice). */
  readonly workers: number | undefined;
  /** Run the AST interpreter on every one of the 1M users (slow) rather than every 10th; audit: every rule one by one rather than every 50th. */
  readonly fullBaseline: boolean;
}

export const USAGE = `usage: npm run bench -- [--only ${SECTIONS.join(',')}] [--sizes 100k,1m] [--runs N] [--json] [--no-verify] [--full-baseline] [--workers N]`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let only: Section[] = [...SECTIONS];
  let sizes: Size[] = ['100k', '1m'];
  let json = false;
  let runs = 7;
  let verify = true;
  let workers: number | undefined;
  let fullBaseline = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    const list = (): string[] => {
      if (!v) throw new Error(`${a} needs a value\n${USAGE}`);
      i++;
      return v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
    };
    switch (a) {
      case '--only': {
        const l = list();
        for (const x of l) if (!(SECTIONS as readonly string[]).includes(x)) throw new Error(`unknown section ${x}\n${USAGE}`);
        only = l as Section[];
        break;
      }
      case '--sizes': {
        const l = list();
        for (const x of l) if (x !== '100k' && x !== '1m') throw new Error(`unknown size ${x} (100k or 1m)\n${USAGE}`);
        sizes = l as Size[];
        break;
      }
      case '--runs': runs = Math.max(1, Number(list()[0])); break;
      case '--workers': workers = Number(list()[0]); break;
      case '--json': json = true; break;
      case '--no-verify': verify = false; break;
      case '--full-baseline': fullBaseline = true; break;
      case '-h': case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  return { only, sizes, json, runs, verify, workers, fullBaseline };
}
