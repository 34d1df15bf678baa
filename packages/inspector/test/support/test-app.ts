import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { inspector, type AuthorizeContext, type InspectorOptions } from '../../src/index.js';
import { createTestAgent, type TestAgent } from './test-agent.js';

/** The operator token the test apps accept. */
export const OPERATOR = { authorization: 'Bearer operator-secret' };
/** A token with read-only access. */
export const VIEWER = { authorization: 'Bearer viewer-secret' };

/** What `authorize` was asked, in order. */
export type AuthorizeCall = AuthorizeContext & { url: string };

/** A Fastify app with the inspector at /inspector around a fresh test agent. */
export async function createTestApp(options: Partial<InspectorOptions> = {}, testAgent: TestAgent = createTestAgent()) {
  const app: FastifyInstance = Fastify({ logger: false });
  const calls: AuthorizeCall[] = [];
  await app.register(inspector, {
    agent: testAgent.agent,
    prefix: '/inspector',
    authorize: (request: FastifyRequest, context: AuthorizeContext) => {
      calls.push({ ...context, url: request.url });
      if (request.headers.authorization === OPERATOR.authorization) return { by: 'operator-1' };
      return request.headers.authorization === VIEWER.authorization;
    },
    ...options,
  });
  await app.ready();
  return { app, calls, ...testAgent };
}

/** Sends customer messages in order. */
export async function converse(testAgent: TestAgent, ticketId: string, ...messages: string[]) {
  let last;
  for (const message of messages) last = await testAgent.agent.handle({ ticketId, message });
  return last!;
}
