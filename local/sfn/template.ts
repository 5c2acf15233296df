import * as z from 'zod';

// The slice of a synthesized CloudFormation template the local runtime reads.
export const TemplateResource = z.looseObject({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
});
export type TemplateResource = z.infer<typeof TemplateResource>;

export const CfnTemplate = z.looseObject({
  Resources: z.record(z.string(), TemplateResource).default({}),
});
export type CfnTemplate = z.infer<typeof CfnTemplate>;

/** Where the local "AWS account" lives; every ARN the runtime mints uses it. */
export const LocalAccount = z.object({
  region: z.string().default('us-east-1'),
  accountId: z.string().regex(/^\d{12}$/).default('000000000000'),
});
export type LocalAccount = z.infer<typeof LocalAccount>;
export const defaultLocalAccount: LocalAccount = { region: 'us-east-1', accountId: '000000000000' };
