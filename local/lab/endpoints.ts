import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as z from '../../shared/zod.js';
import { ChangeflowError } from '../../shared/errors.js';

// `<data-dir>/endpoints.json` (docs/architecture.md §3.5): how tools, tests and the agent find a running local
// stack. `changeflow lab` writes the emulators' part; `changeflow dev` adds api/sfn/dynamodb and
// the webhook secret. Written atomically (tmp + rename) so a reader never sees half a file.

export { ApicEndpoint, JiraEndpoint, KubernetesEndpoint, LabEndpoints, ServiceNowEndpoint, StackEndpoints, WorldEndpoint } from '../../shared/stack-endpoints.js';
import { StackEndpoints, type LabEndpoints } from '../../shared/stack-endpoints.js';

export const endpointsFileName = 'endpoints.json';

export class EndpointsFileInvalid extends ChangeflowError {
  override readonly name = 'EndpointsFileInvalid' as const;
}

/** Writes `<dataDir>/endpoints.json` atomically, readable by its owner only (it holds credentials); returns its path. */
export async function writeEndpoints(dataDir: string, endpoints: LabEndpoints | StackEndpoints): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, endpointsFileName);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
  return path;
}

/** Reads and validates `<dataDir>/endpoints.json` against the lab part or the full stack schema. */
export async function readEndpointsFile<S extends typeof LabEndpoints | typeof StackEndpoints>(dataDir: string, schema: S): Promise<z.infer<S>> {
  const path = join(dataDir, endpointsFileName);
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EndpointsFileInvalid(`expected ${path} to be the JSON \`changeflow lab\`/\`dev\` writes; it does not parse (${(err as Error).message}) — restart the stack`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new EndpointsFileInvalid(`expected ${path} to hold ${schema === StackEndpoints ? 'the full stack' : 'the lab'} endpoints; found ${issues} — restart the stack that wrote it`);
  }
  return parsed.data as z.infer<S>;
}
