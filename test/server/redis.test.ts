// The demo service with JOT_REDIS_URL: two instances on different ports share one real redis-server (revocations,
// DPoP replay ids, used refresh tokens, the key ring). Tokens from one are used and revoked on the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, redisAvailable, startRedis } from '../revocation/_redis.js';
import { checkAfterRestart, expectNoSecretsIn, type FlowResult, walkFlow } from './_flow.js';
import { type Service, startService, tempDataDir } from './_server.js';

const available = redisAvailable();
const ISSUER = 'http://jot-demo.test';

describe.skipIf(!available)('demo service on Redis, two instances', () => {
  const data = tempDataDir();
  let redis: RedisServer;
  let a: Service;
  let b: Service;
  let output = '';
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedis();
    // Instances sharing a Redis ring share its encryption key: here, one data folder.
    env = { JOT_DATA_DIR: data.dir, JOT_REDIS_URL: redis.url, JOT_ISSUER: ISSUER };
    a = await startService(env);
    b = await startService(env);
  });

  afterAll(async () => {
    for (const s of [a, b]) {
      if (s !== undefined) {
        output += s.output();
        await s.stop();
      }
    }
    await redis?.stop();
    data.remove();
    expectNoSecretsIn(output);
  });

  let result: FlowResult;

  it('walks the whole flow with tokens crossing instances', async () => {
    expect(a.port).not.toBe(b.port);
    result = await walkFlow(a, b, ISSUER);
  });

  it('keeps the key ring and revocations in Redis across a restart', async () => {
    output += a.output() + b.output();
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
    a = await startService(env);
    b = await startService(env);
    await checkAfterRestart(a, result);
    await checkAfterRestart(b, result, false);
  });
});
