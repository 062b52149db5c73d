import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Procfile, Dockerfile and compose.yaml stay true to the repository and to each other. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

function procfile(): Map<string, string> {
  const entries = read('Procfile')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()] as const);
  return new Map(entries);
}

describe('deploy files', () => {
  it('Procfile runs the web, worker and release npm scripts that exist', () => {
    const entries = procfile();
    expect([...entries.keys()].sort()).toEqual(['release', 'web', 'worker']);
    expect(entries.get('release')).toBe('npm run db:migrate');
    for (const command of entries.values()) {
      const script = /^npm run ([\w:-]+)$/.exec(command)?.[1];
      expect(script && scripts[script], command).toBeTruthy();
    }
  });

  it('every path the Dockerfile copies exists, and its commands are the Procfile ones', () => {
    const lines = read('Dockerfile').split('\n');
    const copies = lines.filter((l) => /^COPY\s/.test(l) && !l.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const line of copies) {
      const parts = line.trim().split(/\s+/).slice(1);
      for (const source of parts.slice(0, -1)) expect(existsSync(path.join(ROOT, source)), line).toBe(true);
    }
    const built = lines.find((l) => l.includes('--from=build'));
    expect(built).toContain('apps/web/dist');
    const procCommands = new Set(procfile().values());
    const cmd = lines.find((l) => l.startsWith('CMD '));
    expect(procCommands.has((JSON.parse(cmd!.slice(4)) as string[]).join(' '))).toBe(true);
    expect(lines.some((l) => /^USER\s+(?!root)\w+/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('npm ci --omit=dev'))).toBe(true);
    // compose.yaml runs the same commands: migrate, web, and two worker replicas.
    const compose = read('compose.yaml');
    const composeCommands = [...compose.matchAll(/command: (\[.*\])/g)].map((m) =>
      (JSON.parse(m[1]!) as string[]).join(' '),
    );
    expect(new Set(composeCommands)).toEqual(procCommands);
    expect(compose).toMatch(/worker:[\s\S]*replicas: 2/);
  });
});
