import { createServer, type Server } from 'node:http';
import { decideTelecom } from '../../llm/decide-telecom.js';

/** A loopback stand-in for a model server, answering like the offline telecom LLM would. */
export interface FakeLLMServer {
  url: string;
  /** Requests answered, by provider. */
  readonly requests: { gemini: number; ollama: number };
  close(): Promise<void>;
}

/**
 * Serves Gemini's `…:generateContent` and Ollama's `/api/chat` on 127.0.0.1, each answered
 * with the offline rules' decision for the prompt it carries, in that provider's wire format.
 * Lets the harness run `--llm gemini|ollama` through the real adapters without a model.
 */
export async function startFakeLLMServer(): Promise<FakeLLMServer> {
  const requests = { gemini: 0, ollama: 0 };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const parsed = JSON.parse(body || '{}') as {
        contents?: { parts?: { text?: string }[] }[];
        systemInstruction?: { parts?: { text?: string }[] };
        messages?: { content: string }[];
      };
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.url?.includes(':generateContent')) {
        requests.gemini += 1;
        const parts = [...(parsed.systemInstruction?.parts ?? []), ...(parsed.contents ?? []).flatMap((content) => content.parts ?? [])];
        const text = JSON.stringify(decideTelecom(parts.map((part) => part.text ?? '').join('\n')));
        return send(200, {
          candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
          modelVersion: 'fake-gemini',
          usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 },
        });
      }
      if (request.url === '/api/chat') {
        requests.ollama += 1;
        const prompt = (parsed.messages ?? []).map((message) => message.content).join('\n');
        return send(200, {
          model: 'fake-ollama',
          created_at: new Date().toISOString(),
          message: { role: 'assistant', content: JSON.stringify(decideTelecom(prompt)) },
          done: true,
          done_reason: 'stop',
          prompt_eval_count: 100,
          eval_count: 20,
        });
      }
      send(404, { error: `no route ${request.method} ${request.url}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
