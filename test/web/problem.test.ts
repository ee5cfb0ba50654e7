/** API failures in the words the console shows. */
import { describe, expect, it } from 'vitest';
import { ApiError, asProblem, problemWords } from '../../web/src/problem.js';

describe('problem words', () => {
  it('asks to sign in again on 401, whatever the body says', () => {
    expect(problemWords(401, { type: 'about:blank', title: 'invalid_token', status: 401 })).toBe(
      'Your sign-in has ended. Sign in again to continue.',
    );
  });

  it("gives a 4xx problem's title and detail as sentences", () => {
    expect(problemWords(404, { type: 'about:blank', title: 'Not found', status: 404, detail: 'No customer c-9 in your plan' })).toBe(
      'Not found. No customer c-9 in your plan.',
    );
  });

  it('never shows a server error or an unreachable API as a code', () => {
    expect(problemWords(502, undefined)).toMatch(/problem on its side/);
    expect(problemWords(0, undefined)).toMatch(/could not be reached/);
  });

  it('reads the field errors of a 422', () => {
    const problem = asProblem({
      type: 'x',
      title: 'Invalid settings',
      status: 422,
      errors: [{ path: 'country', message: 'bad' }, { path: 3 }],
    });
    const error = new ApiError(422, problem);
    expect(error.fieldErrors).toEqual([{ path: 'country', message: 'bad' }]);
    expect(error.message).toBe('Invalid settings.');
  });

  it('takes a body that is no problem document as none', () => {
    expect(asProblem('<html>')).toBeUndefined();
    expect(asProblem({ hello: 1 })).toBeUndefined();
    expect(problemWords(400, undefined)).toBe('Some values need a fix.');
  });
});
