// `npm run bench [-- NAME[,NAME…] [--flags]]`: runs the named benchmarks (default: all) one after
// another. Each entry imports its benchmark lazily and parses the flags it understands.
const benches: Record<string, (argv: readonly string[]) => Promise<unknown>> = {
  audit: async (argv) => {
    const { runAuditBench, parseAuditBenchArgs } = await import('./audit.js');
    return runAuditBench(parseAuditBenchArgs(argv));
  },
  bundles: async () => {
    const { runBundlesBench } = await import('./bundles.js');
    return runBundlesBench();
  },
};

const args = process.argv.slice(2);
const named = args[0] && !args[0].startsWith('--') ? (args.shift() as string).split(',') : Object.keys(benches);
const unknown = named.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exitCode = 3;
} else {
  for (const name of named) {
    console.log(`== ${name}`);
    await benches[name]?.(args);
  }
}
