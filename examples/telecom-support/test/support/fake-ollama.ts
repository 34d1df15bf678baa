import { createServer, type Server } from 'node:http';
import { decideTelecom } from '../../src/llm/decide-telecom.js';

/**
 * A loopback stand-in for Ollama's `/api/chat` that answers like a real model would, after
 * `delayMs`, with the offline rules' decision. Lets a test hold a turn in flight.
 */
export async function startFakeOllama(delayMs: number): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      state.requests += 1;
      const { messages } = JSON.parse(body) as { messages: { content: string }[] };
      const prompt = messages.map((message) => message.content).join('\n');
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            model: 'phi3',
            created_at: new Date().toISOString(),
            message: { role: 'assistant', content: JSON.stringify(decideTelecom(prompt)) },
            done: true,
            done_reason: 'stop',
            prompt_eval_count: 100,
            eval_count: 20,
          }),
        );
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
