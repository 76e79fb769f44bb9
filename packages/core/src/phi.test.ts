import { describe, it, expect } from 'vitest';
import { inspect } from 'node:util';
import { phi } from './phi.ts';

describe('Phi', () => {
  it('redacts in every string form and reveals only on request', () => {
    const name = phi('Jane Doe');
    expect(String(name)).toBe('[PHI]');
    expect(`${name.toString()}`).toBe('[PHI]');
    expect(JSON.stringify({ name })).toBe('{"name":"[PHI]"}');
    expect(inspect({ name })).not.toContain('Jane');
    expect(inspect(name)).toBe('[PHI]');
    expect(Object.keys(name)).toEqual([]);
    expect(name.reveal()).toBe('Jane Doe');
    expect(name.map((s) => s.length).reveal()).toBe(8);
  });
});
