// A tiny test harness for the widget's pure TypeScript logic. The Go test
// TestWidgetUnitJS (web/webbuild) bundles test/main.ts with esbuild and runs it
// with node; the last line printed is "N passed, N failed".

declare const process: { exitCode?: number };

type Case = { name: string; fn: () => void | Promise<void> };
const cases: Case[] = [];

export function test(name: string, fn: Case["fn"]) {
  cases.push({ name, fn });
}

export function eq(got: unknown, want: unknown, msg = "") {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) throw new Error(`${msg}\n   got: ${g}\n  want: ${w}`);
}

export function ok(cond: unknown, msg: string) {
  if (!cond) throw new Error(msg);
}

export async function run() {
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    try {
      await c.fn();
      passed++;
    } catch (e) {
      failed++;
      console.log(`FAIL ${c.name}: ${(e as Error).stack || e}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
}

// rng is a small deterministic PRNG (mulberry32) so property tests replay.
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: () => number, list: T[]): T {
  return list[Math.floor(r() * list.length)];
}
