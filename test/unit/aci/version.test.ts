import { describe, expect, it } from 'vitest';
import {
  AciVersion,
  aciVersionAtLeast,
  compareAciVersions,
  formatAciVersion,
  formatApicEquivalent,
  parseAciVersion,
} from '../../../shared/aci/version.js';

function parsed(text: string): AciVersion {
  const v = parseAciVersion(text);
  if (v === undefined) throw new Error(`test setup: ${text} should parse`);
  return v;
}

describe('parseAciVersion', () => {
  const cases: ReadonlyArray<[string, Omit<AciVersion, 'raw'>]> = [
    ['6.0(2h)', { major1: 6, major2: 0, maint: 2, patchKind: 'letter', patchLetter: 'h', platform: 'apic' }],
    ['6.0(10a)', { major1: 6, major2: 0, maint: 10, patchKind: 'letter', patchLetter: 'a', platform: 'apic' }],
    ['5.2(7.123a)', { major1: 5, major2: 2, maint: 7, patchKind: 'numeric', patchNumber: 123, patchLetter: 'a', platform: 'apic' }],
    ['5.2(7.123)', { major1: 5, major2: 2, maint: 7, patchKind: 'numeric', patchNumber: 123, patchLetter: '', platform: 'apic' }],
    ['6.0.2h', { major1: 6, major2: 0, maint: 2, patchKind: 'letter', patchLetter: 'h', platform: 'apic' }],
    ['5.2.7.123a', { major1: 5, major2: 2, maint: 7, patchKind: 'numeric', patchNumber: 123, patchLetter: 'a', platform: 'apic' }],
    ['6.1(2)', { major1: 6, major2: 1, maint: 2, patchKind: 'letter', patchLetter: '', platform: 'apic' }],
    ['n9000-16.1(2f)', { major1: 6, major2: 1, maint: 2, patchKind: 'letter', patchLetter: 'f', platform: 'switch' }],
    ['16.0(2h)', { major1: 6, major2: 0, maint: 2, patchKind: 'letter', patchLetter: 'h', platform: 'switch' }],
    ['15.2(7g)', { major1: 5, major2: 2, maint: 7, patchKind: 'letter', patchLetter: 'g', platform: 'switch' }],
    ['dk9.6.0.2h', { major1: 6, major2: 0, maint: 2, patchKind: 'letter', patchLetter: 'h', platform: 'apic' }],
    [' 6.1(1A) ', { major1: 6, major2: 1, maint: 1, patchKind: 'letter', patchLetter: 'a', platform: 'apic' }],
  ];
  it.each(cases)('reads %s', (text, expected) => {
    expect(parseAciVersion(text)).toEqual({ ...expected, raw: text });
  });

  it.each(['', 'latest', '6', '6.1', 'abc-16.1(2f)', '6.1(2h', '6.1.2h)', '6.1(2hh)', '6.1(2h)x', 'v6.1(2h)'])(
    'refuses %j',
    (text) => {
      expect(parseAciVersion(text)).toBeUndefined();
    },
  );

  it('produces values its own schema accepts', () => {
    expect(AciVersion.parse(parsed('n9000-16.1(2f)')).platform).toBe('switch');
  });
});

describe('compareAciVersions', () => {
  // [a, b, expected]: each row names the rule it exercises.
  const cases: ReadonlyArray<[string, string, -1 | 0 | 1, string]> = [
    ['6.0(2h)', '6.0(2h)', 0, 'equal releases'],
    ['5.2(7g)', '6.0(1a)', -1, 'major1 first'],
    ['6.1(1a)', '6.0(9z)', 1, 'major2 before maint and patch'],
    ['6.0(9a)', '6.0(10a)', -1, 'maint is numeric, not textual'],
    ['6.0(3a)', '6.0(2z)', 1, 'maint before patch'],
    ['6.0(2h)', '6.0(2.1a)', -1, 'letter patch older than QA patch'],
    ['5.2(7.123a)', '5.2(7z)', 1, 'QA patch newer than any letter patch'],
    ['6.0(2a)', '6.0(2b)', -1, 'letters alphabetically'],
    ['6.0(2z)', '6.0(2y)', 1, 'letters alphabetically, reversed'],
    ['5.2(7.9a)', '5.2(7.123a)', -1, 'QA numbers numerically, not textually'],
    ['5.2(7.123)', '5.2(7.123a)', -1, 'QA without trailing letter is older'],
    ['5.2(7.123b)', '5.2(7.123a)', 1, 'QA trailing letters alphabetically'],
    ['5.2(7.124)', '5.2(7.123z)', 1, 'QA number before trailing letter'],
    ['6.1(2)', '6.1(2a)', -1, 'missing patch is the lowest patch'],
    ['6.1(2)', '6.1(2)', 0, 'missing patch equals itself'],
    ['6.1(1z)', '6.1(2)', -1, 'missing patch still above the previous maint'],
    ['n9000-16.1(2f)', '6.1(2f)', 0, 'switch 16.x maps to APIC 6.x'],
    ['n9000-16.0(9a)', '6.1(2)', -1, 'switch in APIC terms below the gate'],
    ['16.1(2f)', 'n9000-16.1(2e)', 1, 'two switch versions'],
    ['6.0.2h', '6.0(2h)', 0, 'dotted form equals bracket form'],
    ['5.2.7.123a', '5.2(7.123a)', 0, 'dotted QA form equals bracket form'],
    ['15.2(7g)', '6.0(1a)', -1, 'switch 15.x is APIC 5.x'],
  ];
  it.each(cases)('%s vs %s → %i (%s)', (a, b, expected) => {
    expect(compareAciVersions(parsed(a), parsed(b))).toBe(expected);
    expect(compareAciVersions(parsed(b), parsed(a))).toBe(-expected || 0);
  });
});

describe('aciVersionAtLeast', () => {
  const cases: ReadonlyArray<[string, string, boolean | undefined]> = [
    ['6.1(2a)', '6.1(2)', true],
    ['6.1(2)', '6.1(2)', true],
    ['6.1(1j)', '6.1(2)', false],
    ['n9000-16.1(2f)', '6.1(2)', true],
    ['n9000-16.1(1a)', '6.1(2)', false],
    ['6.0(2h)', '6.1(2)', false],
    ['6.2(1a)', '6.1(2)', true],
    ['garbage', '6.1(2)', undefined],
    ['6.1(2f)', 'soon', undefined],
  ];
  it.each(cases)('%s ≥ %s is %s', (text, min, expected) => {
    expect(aciVersionAtLeast(text, min)).toBe(expected);
  });
});

describe('formatAciVersion', () => {
  it.each([
    ['6.0.2h', '6.0(2h)', '6.0(2h)'],
    ['n9000-16.1(2f)', '16.1(2f)', '6.1(2f)'],
    ['5.2.7.123a', '5.2(7.123a)', '5.2(7.123a)'],
    ['6.1(2)', '6.1(2)', '6.1(2)'],
  ])('writes %s as %s (APIC form %s)', (text, own, apic) => {
    expect(formatAciVersion(parsed(text))).toBe(own);
    expect(formatApicEquivalent(parsed(text))).toBe(apic);
  });
});
