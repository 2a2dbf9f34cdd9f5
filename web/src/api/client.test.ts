import { describe, expect, it } from 'vitest';
import { sessionRejected } from './client';

describe('sessionRejected', () => {
  it('ends the session only for the auth middleware problem', () => {
    expect(sessionRejected(new Response('{}', { status: 401, headers: { 'Content-Type': 'application/problem+json' } }))).toBe(true);
    // GET /project/{id} for a project the user cannot see answers 401 "Unauthorized" as plain JSON.
    expect(sessionRejected(new Response('"Unauthorized"', { status: 401, headers: { 'Content-Type': 'application/json' } }))).toBe(false);
  });
});
