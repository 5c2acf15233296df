import { ChangeflowError } from '../errors.js';

/** The cluster runs a Cilium too old (or too new) for what the spec asks. */
export class UnsupportedCiliumVersion extends ChangeflowError {
  override readonly name = 'UnsupportedCiliumVersion' as const;
}

