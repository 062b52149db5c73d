import pg from 'pg';
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', max: 8 });
for (let k = 0; k < 3; k++) {
const c0 = process.cpuUsage(); const t0 = performance.now();
const N = 4000;
await Promise.all(Array.from({ length: 8 }, async () => { for (let i = 0; i < N / 8; i++) await pool.query('select $1::int as x', [i]); }));
const c = process.cpuUsage(c0);
console.log('per query: wall', ((performance.now() - t0) / N).toFixed(3), 'ms; user', (c.user / 1000 / N).toFixed(3), 'sys', (c.system / 1000 / N).toFixed(3));
}
await pool.end();
