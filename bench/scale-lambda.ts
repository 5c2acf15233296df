import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { factsFromAgentResult, planChange, runChangePrechecks } from '../shared/planner/index.js';
import { ChangeSpec } from '../shared/spec/index.js';
import { StoredFacts } from '../shared/workflow/documents.js';

// Child of bench/scale.ts: the pure work of the precheck and plan Lambdas (parse the stored facts,
// run every precheck; plan, embedding those results as the plan step does) on one change's facts document, in a fresh process so that its peak
// memory is this work's and not the dev stack's. Prints one JSON line.

const [factsFile, specFile] = process.argv.slice(2);
if (!factsFile || !specFile) throw new Error('usage: scale-lambda.ts FACTS.json SPEC.json');
const stored = StoredFacts.parse(JSON.parse(readFileSync(factsFile, 'utf8')));
const spec = ChangeSpec.parse(JSON.parse(readFileSync(specFile, 'utf8')));
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const prechecks = runChangePrechecks(spec, factsFromAgentResult(stored.gathered, spec));
const t1 = performance.now();
const planned = planChange(spec, factsFromAgentResult(stored.gathered, spec), prechecks);
const t2 = performance.now();
process.stdout.write(
  `${JSON.stringify({
    precheckMs: t1 - t0,
    planMs: t2 - t1,
    // maxRSS is in KiB: the peak of this whole process (Node itself, the modules, the facts and the work).
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baseRssMb: rssBefore / 1024 / 1024,
    prechecks: prechecks.length,
    failed: prechecks.filter((p) => p.verdict === 'fail').map((p) => p.id),
    unknown: prechecks.filter((p) => p.verdict === 'unknown').map((p) => p.id),
    ops: planned.ops.length,
  })}\n`,
);
