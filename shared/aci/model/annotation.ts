// Objects changeflow creates carry this annotation (the cisco.aci and Terraform convention:
// `orchestrator:<tool>`), so that `state: absent` and pruning touch only what changeflow made.

export const changeflowAnnotation = 'orchestrator:changeflow';

export function ownedByChangeflow(attrs: Readonly<Record<string, string>> | undefined): boolean {
  return attrs?.annotation === changeflowAnnotation;
}
