import type { FaultBook } from '../../local/lab/faults.js';

// A fault set at run time lands "somewhere around" the step it is meant for when a test sets it
// after polling for an event; the agent is faster than any poll. The tap sets it at an exact call
// instead: it sees every call an emulator counts in its fault book (FaultBook.take), and on the
// Nth call of a given COMPONENT.ACTION it does what POST /_lab/faults {faults:[F], replace:true}
// does — clear a book, counts included, and add F — either before that call is answered (`at`:
// the call itself meets F) or right after it (`after`: the next one does). F keeps the §3.5
// grammar: `apic.any=http503@1` set `at` the apply POST is "that POST, once".

export interface TappedCall {
  /** COMPONENT.ACTION as counted, e.g. `apic.post`. */
  readonly call: string;
  /** The fault mode that fired on it, if any. */
  readonly fired?: string;
}

interface Trigger {
  readonly call: string;
  readonly nth: number;
  readonly when: 'at' | 'after';
  readonly target: FaultBook;
  readonly fault: string;
}

export class FaultTap {
  readonly calls: TappedCall[] = [];
  private readonly counts = new Map<string, number>();
  private triggers: Trigger[] = [];
  /** Index in `calls` of the call a trigger fired on, when one has. */
  triggeredAt?: number;

  constructor(private readonly book: FaultBook) {
    const original = book.take.bind(book);
    book.take = (component: string, action: string): string | undefined => {
      const call = `${component}.${action}`;
      const n = (this.counts.get(call) ?? 0) + 1;
      this.counts.set(call, n);
      const due = this.triggers.filter((t) => t.call === call && t.nth === n);
      for (const t of due.filter((t) => t.when === 'at')) this.fire(t);
      const fired = original(component, action);
      this.calls.push({ call, fired });
      if (due.length > 0) this.triggeredAt = this.calls.length - 1;
      for (const t of due.filter((t) => t.when === 'after')) this.fire(t);
      return fired;
    };
  }

  /** On the nth `call` (COMPONENT.ACTION) from now, replace the faults of `target` with `fault`. */
  setAt(call: string, nth: number, when: 'at' | 'after', target: FaultBook, fault: string): void {
    this.triggers.push({ call, nth: (this.counts.get(call) ?? 0) + nth, when, target, fault });
  }

  /** Calls from the one a trigger fired on onwards (empty when none fired). */
  sinceTrigger(): TappedCall[] {
    return this.triggeredAt === undefined ? [] : this.calls.slice(this.triggeredAt);
  }

  /** Gives the book its own take() back. */
  detach(): void {
    Reflect.deleteProperty(this.book, 'take');
    this.triggers = [];
  }

  private fire(t: Trigger): void {
    t.target.clear();
    t.target.add(t.fault);
  }
}
