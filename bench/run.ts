import { availableParallelism, loadavg } from 'node:os';

// `npm run bench [-- NAME[,NAME…] [--flags]]`: runs the named benchmarks (default: all) one after
// another. Each entry imports its benchmark lazily and parses the flags it understands.

// Set before any handler module loads: their loggers read the level once, at import.
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const benches: Record<string, (argv: readonly string[]) => Promise<unknown>> = {
  change: async (argv) => {
    const { runChangeBench, parseChangeBenchArgs, zeroLatency } = await import('./change.js');
    return runChangeBench(parseChangeBenchArgs(argv, zeroLatency));
  },
  'change-latency': async (argv) => {
    const { runChangeBench, parseChangeBenchArgs, realisticLatency } = await import('./change.js');
    return runChangeBench(parseChangeBenchArgs(argv, realisticLatency));
  },
  intake: async (argv) => {
    const { runIntakeBench, parseIntakeBenchArgs } = await import('./intake.js');
    return runIntakeBench(parseIntakeBenchArgs(argv));
  },
  'many-tickets': async (argv) => {
    const { runManyTicketsBench, parseManyTicketsArgs } = await import('./many-tickets.js');
    return runManyTicketsBench(parseManyTicketsArgs(argv));
  },
  apic: async (argv) => {
    const { runApicBench, parseApicBenchArgs } = await import('./apic.js');
    return runApicBench(parseApicBenchArgs(argv));
  },
  scale: async (argv) => {
    const { runScaleBench, parseScaleBenchArgs } = await import('./scale.js');
    return runScaleBench(parseScaleBenchArgs(argv));
  },
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
    // Figures swing with whatever else the machine runs: say how busy it was.
    console.log(`== ${name} (load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores)`);
    await benches[name]?.(args);
  }
  // The local engine leaves the TimeoutSeconds timers of executions that were still waiting when
  // their stack closed (the intake bench's new changes); they would hold the process for a minute.
  process.exit();
}
