import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Layers point one way: lib ← db ← tokens ← workers ← roles, with alerts beside the workers
 * (the worker learns of alerts only through the hook the role entries pass). Product files only:
 * tests and test support may reach across to set things up.
 */

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** Top-level folders of src/ that each layer must not import from. */
const FORBIDDEN: Record<string, string[]> = {
  lib: ['tokens', 'workers', 'alerts', 'roles', 'http', 'app', 'cli', 'auth', 'logs', 'ebay', 'crypto'],
  db: ['lib', 'tokens', 'workers', 'alerts', 'roles', 'http', 'app', 'cli'],
  tokens: ['workers', 'alerts', 'roles', 'http', 'app', 'cli'],
  workers: ['alerts', 'roles', 'http', 'app', 'cli'],
  alerts: ['workers', 'roles', 'http', 'app', 'cli'],
};

const isProductFile = (file: string) =>
  file.endsWith('.ts') && !file.endsWith('.test.ts') && !/(^|\/)(test|testing)\//.test(file);

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), s)));
}

describe('layers', () => {
  it.each(Object.keys(FORBIDDEN))('nothing in %s/ imports from a layer above it', (layer) => {
    const files = readdirSync(path.join(SRC, layer), { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(layer, f))
      .filter(isProductFile);
    expect(files.length).toBeGreaterThan(0);
    const crossing = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => FORBIDDEN[layer]!.includes(target.split(path.sep)[0]!))
        .map((target) => `${file} → ${target}`),
    );
    expect(crossing).toEqual([]);
  });
});
