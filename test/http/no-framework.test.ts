// Importing jotjs/http (and even the adapters) loads no web framework: every framework module is replaced by one
// that throws when loaded, then the modules are imported for real.
import { describe, expect, it, vi } from 'vitest';

const loaded: string[] = [];
vi.mock('express', () => {
  loaded.push('express');
  throw new Error('express was loaded');
});
vi.mock('fastify', () => {
  loaded.push('fastify');
  throw new Error('fastify was loaded');
});
vi.mock('hono', () => {
  loaded.push('hono');
  throw new Error('hono was loaded');
});

describe('optional peer dependencies', () => {
  it.each(['index', 'express', 'fastify', 'hono'])('src/http/%s.ts loads without any framework', async (name) => {
    const m = (await import(`../../src/http/${name}.ts`)) as Record<string, unknown>;
    expect(Object.keys(m).length).toBeGreaterThan(0);
    expect(loaded).toEqual([]);
  });

  it('the mocks do fire when a framework is imported', async () => {
    await expect(import('express')).rejects.toThrow();
    expect(loaded).toContain('express');
  });
});
