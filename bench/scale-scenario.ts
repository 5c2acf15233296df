import { measureScenario } from './scale.js';

// Child of bench/scale.ts: one scenario's stack and changes in a process of its own; the figures
// go out as the last stdout line (JSON), progress lines before it.

process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const scenario = process.argv[2];
if (scenario !== 'default' && scenario !== 'scale') throw new Error(`expected the scenario default or scale, found ${String(scenario)}`);
const figures = await measureScenario(scenario, (line) => process.stdout.write(`${line}\n`));
process.stdout.write(`${JSON.stringify({ figures })}\n`);
// The local engine leaves timers of its executions behind; they would hold the process.
process.exit(0);
