import * as z from '../../shared/zod.js';

// Fault injection grammar of docs/architecture.md §3.5: COMPONENT.ACTION=MODE[@N]. Without @N a fault fires
// on every matching call; with @N only on the Nth (1-based). ACTION `any` matches every action.
export const FaultSpec = z.object({
  component: z.string().check(z.minLength(1)),
  action: z.string().check(z.minLength(1)),
  mode: z.string().check(z.minLength(1)),
  nth: z.optional(z.int().check(z.positive())),
});
export type FaultSpec = z.infer<typeof FaultSpec>;

// MODE may carry dots: agent.crash=apply.aci names the step the agent dies in.
const pattern = /^([a-z][a-z0-9-]*)\.([a-zA-Z][\w-]*)=([\w][\w.-]*)(?:@(\d+))?$/;

export function parseFault(text: string): FaultSpec {
  const m = pattern.exec(text.trim());
  if (!m) {
    throw new Error(`fault "${text}" is not COMPONENT.ACTION=MODE[@N] (e.g. apic.post=error@2)`);
  }
  const [, component, action, mode, nth] = m;
  return FaultSpec.parse({ component, action, mode, nth: nth === undefined ? undefined : Number(nth) });
}

/** Counts calls per component.action and answers which fault, if any, fires on this call. */
export class FaultBook {
  private faults: FaultSpec[] = [];
  private calls = new Map<string, number>();

  constructor(initial: ReadonlyArray<FaultSpec | string> = []) {
    for (const f of initial) this.add(f);
  }

  add(fault: FaultSpec | string): void {
    this.faults.push(typeof fault === 'string' ? parseFault(fault) : FaultSpec.parse(fault));
  }

  clear(): void {
    this.faults = [];
    this.calls.clear();
  }

  list(): FaultSpec[] {
    return [...this.faults];
  }

  /** Records one call of component.action and returns the mode of the fault that fires, if any. */
  take(component: string, action: string): string | undefined {
    const key = `${component}.${action}`;
    const n = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, n);
    const anyKey = `${component}.any`;
    const anyN = (this.calls.get(anyKey) ?? 0) + (action === 'any' ? 0 : 1);
    if (action !== 'any') this.calls.set(anyKey, anyN);
    for (const f of this.faults) {
      if (f.component !== component) continue;
      if (f.action === action && (f.nth === undefined || f.nth === n)) return f.mode;
      if (f.action === 'any' && (f.nth === undefined || f.nth === anyN)) return f.mode;
    }
    return undefined;
  }

  /**
   * Records one occurrence of component.action inside a call take() already counted (the token
   * check of an authenticated request) and returns the mode of the fault that fires on it, if any.
   * Counted since the last clear(), like take(), but not toward component.any.
   */
  takeCheck(component: string, action: string): string | undefined {
    const key = `${component}.${action}`;
    const n = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, n);
    return this.faults.find((f) => f.component === component && f.action === action && (f.nth === undefined || f.nth === n))?.mode;
  }

  /** True when a fault for component.action exists, without counting a call (for state checks). */
  has(component: string, action: string, mode?: string): boolean {
    return this.faults.some(
      (f) => f.component === component && (f.action === action || f.action === 'any') && (mode === undefined || f.mode === mode),
    );
  }
}
