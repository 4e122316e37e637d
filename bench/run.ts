// `pnpm bench <name> [flags]` (scripts/parley.mjs runs this from the test
// package, so the test fakes and helpers resolve their dependencies there).
export {};

const benches: Record<string, { about: string; load: () => Promise<{ main(argv: string[]): Promise<void> }> }> = {
  webhooks: { about: 'signed Slack, Twilio and SendGrid webhooks: acknowledgement latency at a fixed rate, and stored-message throughput vs raw pg INSERTs', load: () => import('./webhooks.ts') },
};

const [name, ...argv] = process.argv.slice(2);
const bench = name ? benches[name] : undefined;
if (!bench) {
  console.error(`usage: pnpm bench <name> [flags]\n\n${Object.entries(benches).map(([n, b]) => `  ${n.padEnd(10)} ${b.about}`).join('\n')}`);
  process.exit(name ? 1 : 0);
}
try {
  await (await bench.load()).main(argv);
  process.exit(0);
} catch (err) {
  console.error(`bench ${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
}
