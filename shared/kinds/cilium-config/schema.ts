import * as z from '../../zod.js';
import { configSettingProblem } from '../../spec/cilium-config-keys.js';

// ciliumConfig in ChangeSpec v1: keys of the cilium-config ConfigMap, each checked against the
// table of settable keys (spec/cilium-config-keys.ts).

export const CiliumConfig = z.strictObject({
  type: z.literal('ciliumConfig'),
  state: z._default(z.literal('present', { error: 'ciliumConfig has no absent state: set the previous values instead' }), 'present'),
  settings: z.record(z.string(), z.pipe(z.union([z.string(), z.number(), z.boolean()]), z.transform(String))).check(z.superRefine((settings, ctx) => {
      if (Object.keys(settings).length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one setting' });
      for (const [key, value] of Object.entries(settings)) {
        const problem = configSettingProblem(key, value);
        if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
      }
    })),
  restart: z._default(z.enum(['rolling', 'none']), 'rolling'),
});
export type CiliumConfig = z.infer<typeof CiliumConfig>;
