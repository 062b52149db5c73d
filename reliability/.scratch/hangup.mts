import { readFileSync } from 'node:fs';
import { BodyArchive } from '../lib/bodyArchive.ts';
import { operationsOf, generateRequest } from '../lib/fuzzRequests.ts';
import { ApiClient } from '../lib/http.ts';
import { Rng } from '../lib/rng.ts';
const info = JSON.parse(readFileSync('/tmp/relx/info.json', 'utf8'));
const archive = new BodyArchive('/tmp/relx/arch');
const api = new ApiClient(info.web, archive, { maxSockets: 1 });
const docs = await api.json('GET', '/api/docs', null);
const ops = operationsOf(JSON.parse(docs.body));
const rng = new Rng(7);
const t = { ownAccountIds: ['00000000-0000-4000-8000-000000000001'], foreignAccountIds: ['00000000-0000-4000-8000-000000000002'], publicOrigin: api.origin };
let prev: unknown = null; let prevStatus = 0;
const causes: Record<string, number> = {};
for (let i = 0; i < 1500; i++) {
  const op = ops[i % ops.length]!;
  if (op.template.includes('login')) continue;
  const req = generateRequest(rng, op, t);
  try {
    const res = await api.request({ method: req.method, path: req.path, headers: { ...req.headers, cookie: info.cookie }, ...(req.body !== undefined ? { body: req.body } : {}) });
    prev = req; prevStatus = res.status;
  } catch (err) {
    const p = prev as { method: string; path: string; headers: Record<string, string>; body?: unknown };
    const key = `${prevStatus} ${p.method} ${JSON.stringify(p.headers).slice(0, 150)} body=${String(p.body).slice(0, 60)}`;
    causes[key] = (causes[key] ?? 0) + 1;
    console.log('FAIL', String(err).slice(0, 60), '\n  after', prevStatus, p.method, p.path.slice(0, 80), JSON.stringify(p.headers).slice(0, 200), 'bodylen', p.body ? String(p.body).length : 0);
    prev = req;
  }
}
api.close();
