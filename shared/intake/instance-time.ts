// ServiceNow's Table API returns glide_date_time values as "YYYY-MM-DD HH:mm:ss" in the time zone of
// the integration user (often the instance's, not UTC). Converting them needs the zone's offset at
// that wall-clock time, which Intl knows (DST included) without extra packages.
const day24h = 24 * 3600 * 1000;
const utcZones = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']);
const wallClock = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export type InstanceTime = { ok: true; iso: string; epochMs: number } | { ok: false; message: string };

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

/**
 * The instant a wall-clock "YYYY-MM-DD HH:mm:ss" denotes in `timeZone`. In a DST gap (a time that
 * never happened) the later offset applies, so 02:30 on a spring-forward night reads as 03:30; in an
 * overlap the earlier instant wins — a window then opens early rather than late.
 */
export function parseInstanceTime(text: string, timeZone: string): InstanceTime {
  const m = wallClock.exec(text);
  if (!m) return { ok: false, message: `expected "YYYY-MM-DD HH:mm:ss", found "${text.slice(0, 40)}"` };
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `"${text}" is not a real calendar date and time` };
  }
  // UTC has no offset and no DST: no formatting at all (ServiceNow's default for an integration user).
  if (utcZones.has(timeZone)) return { ok: true, iso: check.toISOString(), epochMs: asUtc };
  // The zone's offsets a day either side cover both sides of any DST change near this time.
  const offsets = [offsetMs(asUtc - day24h, timeZone), offsetMs(asUtc, timeZone), offsetMs(asUtc + day24h, timeZone)];
  const valid = offsets.map((o) => asUtc - o).filter((t) => wallTimeAt(t, timeZone) === asUtc);
  // No valid instant means a DST gap: read the time with the offset in force before the gap.
  const epochMs = valid.length > 0 ? Math.min(...valid) : asUtc - offsets[0]!;
  return { ok: true, iso: new Date(epochMs).toISOString(), epochMs };
}

/** Offset of `timeZone` from UTC at instant `epochMs`, in milliseconds (east positive). */
function offsetMs(epochMs: number, timeZone: string): number {
  return wallTimeAt(epochMs, timeZone) - epochMs;
}

/** The wall-clock reading in `timeZone` at `epochMs`, expressed as if it were UTC. */
function wallTimeAt(epochMs: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}
