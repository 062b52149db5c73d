import { parseArgs } from 'node:util';
import { startEbaySim } from './server.ts';

/**
 * Standalone simulator: `tsx packages/ebay-sim/src/main.ts --port 4001`.
 * The client secret and the control API's secret (`/__sim/*` needs it in X-Sim-Control-Secret)
 * are printed only with --print-secret, so a shared terminal or CI log
 * does not collect it by default.
 */

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4001' },
    host: { type: 'string', default: '127.0.0.1' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'ru-name': { type: 'string' },
    'control-secret': { type: 'string' },
    'accept-url': { type: 'string' },
    'decline-url': { type: 'string' },
    'print-secret': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be an integer 0..65535, got "${values.port}"`);
  process.exit(2);
}

const sim = await startEbaySim({
  port,
  host: values.host,
  ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
  ...(values['client-secret'] ? { clientSecret: values['client-secret'] } : {}),
  ...(values['ru-name'] ? { ruName: values['ru-name'] } : {}),
  ...(values['control-secret'] ? { controlSecret: values['control-secret'] } : {}),
  ...(values['accept-url'] ? { acceptUrl: values['accept-url'] } : {}),
  ...(values['decline-url'] ? { declineUrl: values['decline-url'] } : {}),
});

console.log(`eBay simulator listening on ${sim.url}`);
console.log(`  EBAY_AUTH_BASE_URL=${sim.url} EBAY_API_BASE_URL=${sim.url} EBAY_APIZ_BASE_URL=${sim.url}`);
console.log(`  EBAY_CLIENT_ID=${sim.clientId}`);
console.log(`  EBAY_RU_NAME=${sim.ruName}`);
if (values['print-secret']) console.log(`  EBAY_CLIENT_SECRET=${sim.clientSecret}`);
else console.log('  client secret hidden (use --print-secret, or pass --client-secret)');
console.log(`  control: ${sim.url}/__sim/* (counters, faults, fail-next, grants, ...)`);
if (values['print-secret']) console.log(`  X-Sim-Control-Secret: ${sim.controlSecret}`);
else if (!values['control-secret'])
  console.log('  control secret hidden (use --print-secret, or pass --control-secret)');

function shutdown(): void {
  sim.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
