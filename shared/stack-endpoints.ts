import * as z from './zod.js';

// The schema of `<data-dir>/endpoints.json` (docs/architecture.md §3.5), the contract between the
// stack that writes it (local/lab, local/dev) and the tools that read it (the CLI's `submit`
// creating a lab ticket, tests, the agent config of `dev --agent external`).

export const ApicEndpoint = z.object({ url: z.url(), username: z.string(), password: z.string() });
export const KubernetesEndpoint = z.object({ url: z.url(), token: z.string(), kubeconfig: z.string() });
export const ServiceNowEndpoint = z.object({ url: z.url(), username: z.string(), password: z.string() });
export const JiraEndpoint = z.object({ url: z.url(), email: z.string(), token: z.string() });

/** The lab world: its /_lab/faults takes bgp.* and cilium.* faults at run time (bgp.session=down). */
export const WorldEndpoint = z.object({ url: z.url() });

export const LabEndpoints = z.object({
  apic: ApicEndpoint,
  kubernetes: KubernetesEndpoint,
  servicenow: ServiceNowEndpoint,
  jira: JiraEndpoint,
  world: WorldEndpoint,
});
export type LabEndpoints = z.infer<typeof LabEndpoints>;

export const StackEndpoints = z.extend(LabEndpoints, {
  api: z.url(),
  sfn: z.url(),
  dynamodb: z.url(),
  webhookSecret: z.string().check(z.minLength(1)),
});
export type StackEndpoints = z.infer<typeof StackEndpoints>;
