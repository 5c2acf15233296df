import * as z from '../../shared/zod.js';

// The slice of a synthesized CloudFormation template the local runtime reads.
export const TemplateResource = z.looseObject({
  Type: z.string(),
  Properties: z.optional(z.record(z.string(), z.unknown())),
  Metadata: z.optional(z.record(z.string(), z.unknown())),
});
export type TemplateResource = z.infer<typeof TemplateResource>;

export const CfnTemplate = z.looseObject({
  Resources: z._default(z.record(z.string(), TemplateResource), {}),
});
export type CfnTemplate = z.infer<typeof CfnTemplate>;

/** Where the local "AWS account" lives; every ARN the runtime mints uses it. */
export const LocalAccount = z.object({
  region: z._default(z.string(), 'us-east-1'),
  accountId: z._default(z.string().check(z.regex(/^\d{12}$/)), '000000000000'),
});
export type LocalAccount = z.infer<typeof LocalAccount>;
export const defaultLocalAccount: LocalAccount = { region: 'us-east-1', accountId: '000000000000' };
