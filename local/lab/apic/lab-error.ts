import { ChangeflowError } from '../../../shared/errors.js';

/** An APIC error reply: HTTP status plus the `imdata[0].error` code and text a real APIC sends. */
export class ApicLabError extends ChangeflowError {
  override readonly name = 'ApicLabError' as const;
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    readonly text: string,
  ) {
    super(text);
  }
}

export const apicErrors = {
  unknownClass: (cls: string) => new ApicLabError(400, '122', `unknown managed object class ${cls}`),
  unresolvedClass: (cls: string) => new ApicLabError(400, '122', `unresolved class for ${cls}`),
  unknownAttribute: (attr: string, cls: string) => new ApicLabError(400, '400', `unknown attribute '${attr}' in element '${cls}'`),
  badJson: (detail: string) => new ApicLabError(400, '400', `JSON parsing failed - ${detail}`),
  badXml: (detail: string) => new ApicLabError(400, '400', `XML parsing failed - ${detail}`),
  exists: (dn: string) => new ApicLabError(400, '103', `Cannot create object ${dn}: object already exists`),
  notFound: (dn: string) => new ApicLabError(400, '102', `configured object ((Dn0)) not found Dn0=${dn}, `),
  immutable: (cls: string, prop: string) =>
    new ApicLabError(400, '400', `Create-only and naming props cannot be modified after creation, class=${cls}, prop=${prop}`),
  badValue: (value: string, prop: string, cls: string, dn: string) =>
    new ApicLabError(400, '120', `unknown property value ${value}, name ${prop}, class ${cls} [(Dn0)] Dn0=${dn}, `),
  /** 120 (a value the type cannot hold) or 801 (a string outside its length or pattern). */
  validation: (code: '120' | '801', text: string) => new ApicLabError(400, code, text),
  namingUnset: (cls: string, prop: string) => new ApicLabError(400, '822', `naming property ('${cls}.${prop}') is not set.`),
  invalidConfig: (detail: string) => new ApicLabError(400, '1', `Invalid Configuration - ${detail}`),
  badFilter: (detail: string) => new ApicLabError(400, '107', detail),
  /** Signature auth refused (cisco.aci #50913, terraform-provider-aci #1148 quote the APIC's 403 texts). */
  badSignature: (detail: string) => new ApicLabError(403, '403', `invalid padding / bad signature - ${detail}`),
  tokenTimeout: () => new ApicLabError(403, '403', 'Token was invalid (Error: Token timeout)'),
  badLogin: () => new ApicLabError(401, '401', 'Username or password is incorrect - FAILED local authentication'),
  badRequest: (detail: string) => new ApicLabError(400, '400', detail),
};
