import type { VerifyPart } from '../kind.js';

// Not verified yet: the per-node config check comes with issue #15 part 5.
export const ciliumConfigVerify: VerifyPart = {
  pending: 'no check yet (issue #15 part 5: every agent runs with the new value)',
};
