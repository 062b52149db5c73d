import { runQueriesSuite } from './suites/queries.ts';
const r = await runQueriesSuite({ quick: process.env.FULL ? false : true, runs: 1, profile: false, resultsDir: '/work/main/bench/results', log: console.log });
for (const m of r.metrics) console.log(m.label, m.value, m.pass);
for (const n of r.notes) console.log(n);
