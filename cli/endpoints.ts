import type { Command } from 'commander';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from '../shared/zod.js';
import { ChangeflowError } from '../shared/errors.js';
import type { AuditAnchor } from '../shared/anchor/anchor.js';
import type { Store, WaitQueues } from '../shared/store/index.js';
import { parseJsonText } from '../shared/json-text.js';

// Where a CLI command finds the local stack or AWS: flags first, then `<data-dir>/endpoints.json`
// written by `changeflow dev`/`lab` (docs/architecture.md §3.5), else the real AWS account through the
// default credential chain. Other commands reuse this for their own endpoints.
export const defaultDataDir = '.changeflow';

export const EndpointsFile = z.looseObject({
  api: z.optional(z.string()),
  sfn: z.optional(z.string()),
  dynamodb: z.optional(z.string()),
});
export type EndpointsFile = z.infer<typeof EndpointsFile>;

export class EndpointsUnreadable extends ChangeflowError {
  override readonly name = 'EndpointsUnreadable' as const;
}

/** The endpoints file of a data dir, or undefined when there is none (no local stack running). */
export async function readEndpoints(dataDir: string = defaultDataDir): Promise<EndpointsFile | undefined> {
  const path = join(dataDir, 'endpoints.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = EndpointsFile.safeParse(parseJsonText(text));
  if (!parsed.success) {
    throw new EndpointsUnreadable(`expected ${path} to be the JSON that \`changeflow dev\` writes, found something else; delete it and restart the stack`);
  }
  return parsed.data;
}

export interface DynamoTarget {
  /** Absent means real AWS (region and credentials from the default chain). */
  readonly endpoint?: string;
  readonly tableName: string;
  readonly source: 'flag' | 'endpoints.json' | 'aws';
}

export async function resolveDynamo(options: { dynamodb?: string; table?: string; dataDir?: string }, defaultTable: string): Promise<DynamoTarget> {
  const tableName = options.table ?? defaultTable;
  if (options.dynamodb) return { endpoint: options.dynamodb, tableName, source: 'flag' };
  const endpoints = await readEndpoints(options.dataDir);
  if (endpoints?.dynamodb) return { endpoint: endpoints.dynamodb, tableName, source: 'endpoints.json' };
  return { tableName, source: 'aws' };
}


export interface OpenStore {
  readonly store: Store;
  /** The targets' wait queues (`unlock` hands a freed target to the first waiter). */
  readonly queues: WaitQueues;
  readonly target: DynamoTarget;
  close(): void;
}

export interface AnchorOptions {
  dataDir?: string;
  anchorBucket?: string;
  anchorKey?: string;
}

/**
 * The audit anchor to read (shared/anchor): the local stack's digest directory when the data dir
 * has its public key, else the S3 bucket and KMS key given by flags or CHANGEFLOW_ANCHOR_BUCKET /
 * CHANGEFLOW_ANCHOR_KMS_KEY_ID; undefined when there is none.
 */
export async function openAnchor(options: AnchorOptions): Promise<AuditAnchor | undefined> {
  const { anchorFromEnv } = await import('../functions/runtime/audit-anchor.js');
  const dataDir = options.dataDir ?? defaultDataDir;
  const publicKeyFile = join(dataDir, 'audit-anchor.pub.pem');
  if (await exists(publicKeyFile)) {
    return anchorFromEnv({ readOnly: true, env: { CHANGEFLOW_ANCHOR_DIR: join(dataDir, 'audit-anchor'), CHANGEFLOW_ANCHOR_PUBLIC_KEY_FILE: publicKeyFile } });
  }
  const bucket = options.anchorBucket ?? process.env['CHANGEFLOW_ANCHOR_BUCKET'];
  const key = options.anchorKey ?? process.env['CHANGEFLOW_ANCHOR_KMS_KEY_ID'];
  if (!bucket && !key) return undefined;
  return anchorFromEnv({ readOnly: true, env: { ...process.env, CHANGEFLOW_ANCHOR_DIR: '', CHANGEFLOW_ANCHOR_BUCKET: bucket, CHANGEFLOW_ANCHOR_KMS_KEY_ID: key } });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Connects to the table a command should read: `--dynamodb/--table`, endpoints.json, or AWS. */
export async function openStore(options: { dynamodb?: string; table?: string; dataDir?: string; anchor?: AuditAnchor }): Promise<OpenStore> {
  // Operators read this output; the SDK's Node-version notice is noise for them, not news.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { createStore, createWaitQueues, defaultTableName }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
    import('../shared/store/index.js'),
  ]);
  const target = await resolveDynamo(options, defaultTableName);
  const client = new DynamoDBClient(
    target.endpoint
      ? { endpoint: target.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  );
  const documents = DynamoDBDocumentClient.from(client);
  const store = createStore({ client: documents, tableName: target.tableName, now: () => new Date(), anchor: options.anchor });
  const queues = createWaitQueues({ client: documents, tableName: target.tableName, now: () => new Date() });
  return { store, queues, target, close: () => client.destroy() };
}

export interface TableOptions {
  dynamodb?: string;
  table?: string;
  dataDir: string;
}

/** The flags every command that reads the table takes. */
export function addTableOptions(command: Command): Command {
  return command
    .option('--dynamodb <url>', 'DynamoDB endpoint (default: endpoints.json of --data-dir, else AWS)')
    .option('--table <name>', 'table name (default: changeflow)')
    .option('--data-dir <dir>', 'local stack directory holding endpoints.json', defaultDataDir);
}

/** Says where the table was looked for when it cannot be reached: the usual 2 a.m. mistake. */
export function describeUnreachable(target: DynamoTarget, err: unknown): string | undefined {
  const code = err instanceof Error ? ((err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code) : undefined;
  const name = err instanceof Error ? err.name : '';
  if (code === 'ECONNREFUSED' || name === 'ECONNREFUSED') {
    return `cannot reach DynamoDB at ${target.endpoint ?? 'AWS'} (from ${target.source}); is \`changeflow dev\` running? pass --dynamodb URL otherwise`;
  }
  // A host that does not resolve or answer (a typo in --dynamodb, no route to AWS, the wrong
  // region): say which host, not a stack trace. It may be the anchor's bucket, hence the host name.
  if (typeof code === 'string' && ['ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
    const host = (err as { hostname?: unknown }).hostname;
    return `cannot reach ${typeof host === 'string' ? host : (target.endpoint ?? 'AWS')} (${code}) for the table at ${target.endpoint ?? 'AWS'} (from ${target.source}); check the URL, the network and the region, or pass --dynamodb URL for a local stack`;
  }
  if (name === 'ResourceNotFoundException') {
    return `table ${target.tableName} does not exist at ${target.endpoint ?? 'AWS'} (from ${target.source}); pass --table NAME`;
  }
  if (name === 'CredentialsProviderError' || (err instanceof Error && err.message === 'Region is missing')) {
    return (
      'found no local stack (no endpoints.json in --data-dir) and no usable AWS configuration (region or credentials); ' +
      'start `changeflow dev`, pass --dynamodb URL, or set AWS_REGION and credentials'
    );
  }
  return undefined;
}

/** The changeflow API: `--api URL`, else "api" in `<data-dir>/endpoints.json`; undefined when neither. */
export async function resolveApi(options: { api?: string; dataDir?: string }): Promise<string | undefined> {
  const url = options.api ?? (await readEndpoints(options.dataDir))?.api;
  return url?.replace(/\/$/, '');
}
