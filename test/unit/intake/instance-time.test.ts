import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, parseInstanceTime } from '../../../shared/intake/instance-time.js';

describe('ServiceNow instance times', () => {
  it.each([
    ['2026-11-22 08:00:00', 'UTC', '2026-11-22T08:00:00.000Z'],
    ['2026-11-22 08:00:00', 'Europe/Paris', '2026-11-22T07:00:00.000Z'],
    ['2026-07-22 08:00:00', 'Europe/Paris', '2026-07-22T06:00:00.000Z'],
    ['2026-11-22 08:00:00', 'America/Los_Angeles', '2026-11-22T16:00:00.000Z'],
    ['2026-11-22 08:00:00', 'Asia/Kolkata', '2026-11-22T02:30:00.000Z'],
    ['2026-12-31 23:30:00', 'Pacific/Auckland', '2026-12-31T10:30:00.000Z'],
  ])('%s in %s is %s', (text, zone, iso) => {
    expect(parseInstanceTime(text, zone)).toMatchObject({ ok: true, iso });
  });

  it('reads a time in a spring-forward gap with the offset before the gap (02:30 → 03:30)', () => {
    expect(parseInstanceTime('2026-03-29 02:30:00', 'Europe/Paris')).toMatchObject({ iso: '2026-03-29T01:30:00.000Z' });
    expect(parseInstanceTime('2026-03-08 02:30:00', 'America/New_York')).toMatchObject({ iso: '2026-03-08T07:30:00.000Z' });
  });

  it('reads an ambiguous fall-back time as the earlier instant', () => {
    expect(parseInstanceTime('2026-10-25 02:30:00', 'Europe/Paris')).toMatchObject({ iso: '2026-10-25T00:30:00.000Z' });
    expect(parseInstanceTime('2026-11-01 01:30:00', 'America/New_York')).toMatchObject({ iso: '2026-11-01T05:30:00.000Z' });
  });

  it.each(['2026-11-22T08:00:00', '2026-11-22 08:00', '22/11/2026 08:00:00', '2026-02-30 08:00:00', '2026-11-22 24:00:00', ''])(
    'refuses "%s" and says which format it expects',
    (text) => {
      const r = parseInstanceTime(text, 'UTC');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/YYYY-MM-DD HH:mm:ss|not a real calendar date/);
    },
  );

  it('knows IANA zones and rejects made-up ones', () => {
    expect(isKnownTimeZone('Europe/Paris')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
