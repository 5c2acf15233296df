import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../build/build.js';

// The import boundaries of eslint.config.js, checked by running ESLint with the project's own
// config over small fixtures placed (virtually) where they would live: a forbidden import fails
// lint with the boundary's message, an allowed one passes.

const eslint = new ESLint({ cwd: repoRoot });

async function lint(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${repoRoot}/${filePath}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const staticImport = (from: string) => `import { thing } from '${from}';\nexport const used = thing;\n`;
const dynamicImport = (from: string) => `export async function load(): Promise<unknown> {\n  return import('${from}');\n}\n`;

describe('import boundaries (eslint no-restricted-imports)', () => {
  it.each([
    ['shared/kinds/egress-gateway/schema.ts', staticImport('../../../local/dev/dev-stack.js'), /shared\/ is the model and imports nothing outward/],
    ['shared/store/audit.ts', staticImport('../../functions/runtime/settings.js'), /may not import functions\//],
    ['shared/aci/dn.ts', staticImport('aws-cdk-lib/aws-iam'), /ships without this package/],
    ['shared/spec/addresses.ts', staticImport('ipaddr.js'), /ships without this package/],
    ['functions/plan.ts', staticImport('../local/sfn/index.js'), /a Lambda handler ships alone/],
    ['functions/plan.ts', dynamicImport('../local/dynamo/dynalite.js'), /a Lambda handler ships alone/],
    ['functions/runtime/http.ts', staticImport('dynalite'), /ships without this package/],
    ['agent/apic/client.ts', staticImport('../../local/lab/index.js'), /the bastion agent ships as one file/],
    ['agent/main.ts', staticImport('tsx/esm/api'), /ships without this package/],
    ['agent/config.ts', dynamicImport('esbuild'), /ships without this package/],
    ['cdk/changeflow-stack.ts', staticImport('../local/sfn/index.js'), /the CDK app describes AWS/],
    ['cli/commands/submit.ts', staticImport('../../local/dev/dev-stack.js'), /only through `dev` and `lab`/],
    ['cli/commands/status.ts', dynamicImport('../../local/lab/index.js'), /only through `dev` and `lab`/],
    ['cli/commands/audit.ts', staticImport('aws-local-stepfunctions'), /ships without this package/],
    ['cli/follow.ts', dynamicImport('../local/api/http-event.js'), /only through `dev` and `lab`/],
  ])('fails %s importing what it may not', async (file, source, message) => {
    const messages = await lint(file, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^no-restricted-(imports|syntax): /);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['shared/workflow/state.ts', staticImport('../agent-protocol/index.js')],
    ['functions/plan.ts', staticImport('../shared/plan/index.js')],
    ['agent/main.ts', staticImport('../shared/errors.js')],
    ['cdk/app.ts', staticImport('../workflows/lambda-steps.js')],
    ['cli/commands/dev.ts', dynamicImport('../../local/dev/dev-stack.js')],
    ['cli/commands/lab.ts', staticImport('../../local/lab/index.js')],
    ['cli/follow.ts', staticImport('./change-watch.js')],
    ['local/dev/dev-stack.ts', staticImport('../../cdk/changeflow-stack.js')],
    ['test/unit/x.test.ts', staticImport('../../local/dev/dev-stack.js')],
  ])('passes %s importing what it may', async (file, source) => {
    expect(await lint(file, source)).toEqual([]);
  });
});

// shared/zod.ts: every module takes zod/mini, with its English messages, from there.
describe('zod imports (eslint no-restricted-syntax)', () => {
  const zodUse = (line: string) => `${line}\nexport const Name = z.string();\n`;
  it.each([
    ['shared/spec/fields.ts', zodUse("import * as z from 'zod';"), /not from 'zod' itself/],
    ['functions/plan.ts', zodUse("import * as z from 'zod/mini';"), /not from 'zod' itself/],
    ['local/lab/apic/query.ts', zodUse("import { z } from 'zod';"), /not from 'zod' itself/],
    ['shared/spec/fields.ts', zodUse("import { z } from '../zod.js';"), /the named import `z` bundles all of zod/],
    ['test/unit/x.test.ts', zodUse("import { z } from '../../shared/zod.js';"), /the named import `z` bundles all of zod/],
  ])('fails %s importing zod another way', async (file, source, message) => {
    const messages = await lint(file, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^no-restricted-syntax: /);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['shared/spec/fields.ts', zodUse("import * as z from '../zod.js';")],
    ['agent/config.ts', zodUse("import * as z from '../shared/zod.js';")],
    ['shared/zod.ts', "import { config } from 'zod/mini';\nimport en from 'zod/v4/locales/en.js';\n\nconfig(en());\n\nexport * from 'zod/mini';\n"],
  ])('passes %s taking zod from shared/zod.ts', async (file, source) => {
    expect(await lint(file, source)).toEqual([]);
  });
});
