import { describe, it, expect } from 'vitest';
import { coreError, isRetryable, OpenRcmError, registerErrors, registeredErrors } from './errors.ts';

describe('error registry', () => {
  it('carries code, flags and cause', () => {
    const cause = new Error('socket hang up');
    const e = coreError('db.locked', 'database is locked', { cause, details: { pid: 12 } });
    expect(e).toBeInstanceOf(OpenRcmError);
    expect(e.code).toBe('db.locked');
    expect(e.retryable).toBe(true);
    expect(e.usage).toBe(false);
    expect(e.cause).toBe(cause);
    expect(isRetryable(e)).toBe(true);
    expect(isRetryable(new Error('x'))).toBe(false);
    expect(coreError('cli.usage', 'bad').usage).toBe(true);
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      code: 'db.locked',
      message: 'database is locked',
      retryable: true,
      details: { pid: 12 },
    });
  });

  it('lets packages register their own codes, once', () => {
    const err = registerErrors({ 'test.timeout': { retryable: true, summary: 'a test timeout' } });
    expect(err('test.timeout', 'x').retryable).toBe(true);
    expect(registeredErrors().has('test.timeout')).toBe(true);
    // Same spec again is fine (module reloaded); a different one is a bug.
    registerErrors({ 'test.timeout': { retryable: true, summary: 'a test timeout' } });
    expect(() => registerErrors({ 'test.timeout': { retryable: false, summary: 'other' } })).toThrow();
  });

  it('maps an unregistered code to core.internal', () => {
    expect(new OpenRcmError('nope.never', 'x').code).toBe('core.internal');
  });
});

describe('registered codes', () => {
  it('are dotted names with a one-line summary', () => {
    for (const [code, spec] of registeredErrors()) {
      expect(code).toMatch(/^[a-z0-9]+(\.[a-z0-9_]+)+$/);
      expect(spec.summary.length).toBeGreaterThan(5);
      expect(spec.summary).not.toContain('\n');
    }
  });
});
