import { readFileSync } from 'node:fs';

/**
 * Where a worker's CPU time went, from a V8 `.cpuprofile`: self time grouped by library
 * (the pg driver, drizzle, fetch, crypto, zod, app code, GC…) and the top functions.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const CATEGORIES: [RegExp, string][] = [
  [/\(garbage collector\)/, 'GC'],
  [/\(idle\)/, 'idle'],
  [/\(program\)/, 'V8/native (program)'],
  [/node_modules\/pg(-[a-z]+)?\//, 'pg driver'],
  [/node_modules\/drizzle-orm\//, 'drizzle-orm'],
  [/undici|node:internal\/deps\/undici|internal\/fetch/, 'fetch (undici)'],
  [/node_modules\/zod\//, 'zod'],
  [/node_modules\/pino/, 'pino'],
  [/node:internal\/crypto|node:crypto/, 'node crypto'],
  [/node:internal\/(net|stream|streams|http|tls|dns)|node:net|node:http/, 'node net/streams'],
  [/apps\/server\/src\/logs\//, 'app: logs/masking'],
  [/apps\/server\/src\/ebay\//, 'app: ebay client'],
  [/apps\/server\/src\/crypto\//, 'app: token cipher'],
  [/apps\/server\/src\/tokens\//, 'app: refresh core'],
  [/apps\/server\/src\/workers\//, 'app: worker'],
  [/apps\/server\/src\//, 'app: other'],
  [/node_modules\//, 'other libraries'],
  [/^node:|^internal|^$/, 'node internals'],
];

function categoryOf(node: ProfileNode): string {
  const key = node.callFrame.url || node.callFrame.functionName;
  for (const [pattern, name] of CATEGORIES) if (pattern.test(key)) return name;
  return 'other';
}

export interface ProfileSummary {
  totalMs: number;
  byCategory: { category: string; ms: number; pct: number }[];
  topFunctions: { fn: string; ms: number; pct: number }[];
}

export function summarizeProfile(file: string, perUnit = 1): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const cat = categoryOf(node);
    if (cat === 'idle') continue;
    total += us;
    cats.set(cat, (cats.get(cat) ?? 0) + us);
    const f = node.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/(node_modules|apps|packages)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    const name = `${f.functionName || '(anonymous)'} ${where}`.trim();
    fns.set(name, (fns.get(name) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({ k, ms: us / 1000 / perUnit, pct: (100 * us) / total }));
  return {
    totalMs: total / 1000 / perUnit,
    byCategory: rows(cats).map(({ k, ms, pct }) => ({ category: k, ms, pct })),
    topFunctions: rows(fns)
      .slice(0, 12)
      .map(({ k, ms, pct }) => ({ fn: k, ms, pct })),
  };
}
