import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../shared/errors.js';
import { changeWalk } from '../../../shared/store/change-query.js';
import { decodeCursor, encodeCursor } from '../../../shared/store/cursor.js';
import { csvField, createTableInput, leaseTargetsOf, parseTargetRef, tableDefinition } from '../../../shared/store/index.js';

const bounds = { now: '2026-11-03T12:00:00.000Z', firstDay: '2026-11-01' };

describe('listing plans', () => {
  it('uses the ticket index with the target as a filter when both are given', () => {
    const walk = changeWalk({ ticket: 'jira:OPS-7', target: 'cluster:prod-a' }, 'desc', bounds);
    expect(walk.partition(0)).toEqual({ index: 'byTicket', value: 'jira#OPS-7' });
    expect(walk.partition(1)).toBeUndefined();
    expect(walk.filter?.expression).toBe('#target = :target');
    expect(walk.filter?.values).toEqual({ ':target': 'cluster#prod-a' });
  });

  it('looks a bare ticket number up in each ticketing system', () => {
    const walk = changeWalk({ ticket: 'CHG0030001' }, 'desc', bounds);
    expect([0, 1, 2].map((i) => walk.partition(i)?.value)).toEqual(['servicenow#CHG0030001', 'jira#CHG0030001', undefined]);
  });

  it('walks one byDay partition per day, newest first, bounded by since or the first day', () => {
    const walk = changeWalk({ status: 'FAILED' }, 'desc', bounds);
    expect([0, 1, 2, 3].map((i) => walk.partition(i)?.value)).toEqual(['change#2026-11-03', 'change#2026-11-02', 'change#2026-11-01', undefined]);
    const ranged = changeWalk({ since: '2026-11-02T23:00:00+02:00', until: '2026-11-03T01:00:00Z' }, 'asc', bounds);
    expect(ranged.range).toEqual({ from: '2026-11-02T21:00:00.000Z', to: '2026-11-03T01:00:00.000Z#~' });
    expect([0, 1, 2].map((i) => ranged.partition(i)?.value)).toEqual(['change#2026-11-02', 'change#2026-11-03', undefined]);
    expect(changeWalk({}, 'desc', { now: bounds.now }).partition(0)).toBeUndefined();
  });

  it('refuses an unknown status or a time that is not ISO 8601, naming the field', () => {
    expect(() => changeWalk({ status: 'DONE' as never }, 'desc', bounds)).toThrow(InvalidInput);
    const refused = (() => {
      try {
        changeWalk({ since: 'yesterday' }, 'desc', bounds);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(InvalidInput);
    expect((refused as InvalidInput).issues[0]?.path).toBe('since');
  });
});

describe('cursors', () => {
  it('round-trips a position and refuses it on another query', () => {
    const cursor = encodeCursor('f1', { partition: 2, startKey: { pk: 'CHANGE#a', sk: 'CHANGE' }, carry: { now: bounds.now } });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'f1')).toEqual({ partition: 2, startKey: { pk: 'CHANGE#a', sk: 'CHANGE' }, carry: { now: bounds.now } });
    expect(() => decodeCursor(cursor, 'f2')).toThrow(/different filters/);
    expect(() => decodeCursor('%%%', 'f1')).toThrow(InvalidInput);
  });
});

describe('table definition', () => {
  it('defines the pk/sk table with four ALL-projected GSIs, billed per request', () => {
    const input = createTableInput('t1');
    expect(input).toMatchObject({ TableName: 't1', BillingMode: 'PAY_PER_REQUEST' });
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.map((k) => k.AttributeName), i.Projection?.ProjectionType])).toEqual([
      ['byTicket', ['ticketPk', 'timeSk'], 'ALL'],
      ['byFabric', ['fabricPk', 'timeSk'], 'ALL'],
      ['byCluster', ['clusterPk', 'timeSk'], 'ALL'],
      ['byDay', ['dayPk', 'timeSk'], 'ALL'],
    ]);
    expect(input.AttributeDefinitions).toHaveLength(7);
    expect(createTableInput().TableName).toBe('changeflow');
    expect(tableDefinition.indexes.byDay.partitionKey).toBe('dayPk');
  });
});

describe('targets and CSV fields', () => {
  it('parses fabric:NAME and cluster#NAME and orders a change’s leases', () => {
    expect(parseTargetRef('fabric:dc1-aci').key).toBe('fabric#dc1-aci');
    expect(parseTargetRef('cluster#prod-a')).toEqual({ kind: 'cluster', name: 'prod-a', key: 'cluster#prod-a' });
    expect(() => parseTargetRef('dc1-aci')).toThrow(/fabric:dc1-aci/);
    expect(leaseTargetsOf({ site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' })).toEqual(['cluster#prod-a', 'fabric#dc1-aci']);
  });

  it('quotes CSV fields that hold commas, quotes or line breaks', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(3)).toBe('3');
  });
});
