import { App } from 'aws-cdk-lib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChangeflowStack } from './changeflow-stack.js';

// `cdk deploy` entry (cdk.json): sites come from context, e.g. -c sites=dc1,dc2.
export function buildApp(app = new App()): { app: App; stack: ChangeflowStack } {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const sitesContext: unknown = app.node.tryGetContext('sites');
  const sites = typeof sitesContext === 'string' && sitesContext.length > 0 ? sitesContext.split(',') : ['dc1'];
  const stack = new ChangeflowStack(app, 'Changeflow', { sites, repoRoot });
  return { app, stack };
}
