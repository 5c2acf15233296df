import { ChangeflowError } from '../../../../shared/errors.js';

// --test filters as cilium-cli reads them: each value is a regular expression (unanchored); a
// leading `!` makes it a skip filter. A test runs when a run filter matches its name or one of its
// `test/scenario` names and no skip filter matches its name; a filter with a `/` selects scenarios.

export class InvalidTestFilter extends ChangeflowError {
  override readonly name = 'InvalidTestFilter' as const;
}

export interface TestFilter {
  run: RegExp[];
  skip: RegExp[];
}

export function parseTestFilters(values: ReadonlyArray<string>): TestFilter {
  const filter: TestFilter = { run: [], skip: [] };
  for (const value of values.flatMap((v) => v.split(',')).filter((v) => v.length > 0)) {
    const negated = value.startsWith('!');
    const source = negated ? value.slice(1) : value;
    let re: RegExp;
    try {
      re = new RegExp(source);
    } catch (err) {
      throw new InvalidTestFilter(`test filter: error parsing regexp: ${(err as Error).message}`);
    }
    (negated ? filter.skip : filter.run).push(re);
  }
  return filter;
}

export function testEnabled(filter: TestFilter, test: string, scenarios: ReadonlyArray<string>): boolean {
  if (filter.skip.some((re) => re.test(test))) return false;
  if (filter.run.length === 0) return true;
  return filter.run.some((re) => re.test(test) || scenarios.some((s) => re.test(`${test}/${s}`)));
}

export function scenarioEnabled(filter: TestFilter, test: string, scenario: string): boolean {
  const full = `${test}/${scenario}`;
  if (filter.skip.some((re) => re.source.includes('/') && re.test(full))) return false;
  const scoped = filter.run.filter((re) => re.source.includes('/'));
  if (scoped.length === 0) return true;
  return scoped.some((re) => re.test(full)) || filter.run.some((re) => !re.source.includes('/') && re.test(test));
}
