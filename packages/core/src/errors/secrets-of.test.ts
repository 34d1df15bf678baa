import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';
import { httpCredentials } from './http-credentials.js';
import { secretsOfHeaders } from './secrets-of-headers.js';
import { secretsOfUrl, stripUrlCredentials } from './secrets-of-url.js';

describe('secretsOfUrl', () => {
  it('O4 finds the password raw and decoded, user:password, and credential parameters', () => {
    expect(secretsOfUrl('postgres://app:s3cr%40t@db:5432/app?sslmode=require&password=other')).toEqual(['s3cr%40t', 's3cr@t', 'app:s3cr@t', 'other']);
    expect(secretsOfUrl('redis://:hunter22@127.0.0.1:6379/0')).toEqual(['hunter22', ':hunter22']);
    expect(secretsOfUrl('https://ghp_token123456@gateway.example/v1')).toEqual(['ghp_token123456']);
    expect(secretsOfUrl('https://api.example/v1?key=AIza-123&alt=json')).toEqual(['AIza-123']);
  });

  it('O4 reads a host without a scheme, and a URL that does not parse', () => {
    expect(secretsOfUrl('admin:pw-123456@localhost:11434')).toEqual(['pw-123456', 'admin:pw-123456']);
    expect(secretsOfUrl('postgres://u:p%zz-secret@[bad')).toEqual(['p%zz-secret']);
    expect(secretsOfUrl('http://127.0.0.1:11434')).toEqual([]);
    expect(secretsOfUrl(undefined)).toEqual([]);
    expect(secretsOfUrl(new URL('http://u:pass-word@h/'))).toEqual(['pass-word', 'u:pass-word']);
  });

  it('O4 what it finds scrubs the connection string from a driver message, in every form', () => {
    const url = 'postgres://app:p%40ss-w0rd!@db.internal:5432/app';
    const message = `getaddrinfo ENOTFOUND for ${url}; config {"password":"p@ss-w0rd!"}; basic ${Buffer.from('app:p@ss-w0rd!').toString('base64')}`;
    const scrubbed = redactSecrets(message, secretsOfUrl(url));
    expect(scrubbed).not.toContain('p@ss-w0rd!');
    expect(scrubbed).not.toContain('p%40ss-w0rd!');
    expect(scrubbed).not.toContain(Buffer.from('app:p@ss-w0rd!').toString('base64').slice(0, 12));
  });
});

describe('stripUrlCredentials', () => {
  it('moves userinfo into a Basic authorization and keeps the rest of the URL', () => {
    expect(stripUrlCredentials('http://user:p%40ss@proxy.example:8080/ollama')).toEqual({
      url: 'http://proxy.example:8080/ollama',
      authorization: `Basic ${Buffer.from('user:p@ss').toString('base64')}`,
    });
    expect(stripUrlCredentials('https://token@gw.example')).toEqual({
      url: 'https://gw.example',
      authorization: `Basic ${Buffer.from('token:').toString('base64')}`,
    });
    expect(stripUrlCredentials('u:p@localhost:11434')).toEqual({ url: 'localhost:11434', authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
    expect(stripUrlCredentials('https://gw.example/v1/')).toEqual({ url: 'https://gw.example/v1/', authorization: undefined });
    expect(stripUrlCredentials('http://[bad')).toBeUndefined();
  });
});

describe('secretsOfHeaders', () => {
  it('O4 takes every value, the credentials of a scheme, Basic user:password and cookie values', () => {
    const basic = Buffer.from('gw-user:gw-pass-123').toString('base64');
    expect(
      secretsOfHeaders({
        Authorization: 'Bearer tok-123456',
        'x-tenant': 'acme',
        'proxy-authorization': `Basic ${basic}`,
        cookie: 'sid=abc123456; theme=dark',
      }),
    ).toEqual([
      'Bearer tok-123456',
      'tok-123456',
      'acme',
      `Basic ${basic}`,
      basic,
      'gw-user:gw-pass-123',
      'gw-pass-123',
      'sid=abc123456; theme=dark',
      'abc123456',
      'dark',
    ]);
    expect(secretsOfHeaders(new Headers({ 'x-api-key': 'k-987654' }))).toEqual(['k-987654']);
    expect(secretsOfHeaders([['x-api-key', 'k-987654']])).toEqual(['k-987654']);
    expect(secretsOfHeaders(undefined)).toEqual([]);
  });
});

describe('httpCredentials', () => {
  it('O4 moves URL userinfo into Authorization: Basic and lists every secret', () => {
    const credentials = httpCredentials({
      url: 'https://gw-user:p%40ss@gateway.example/v1',
      headers: { 'x-gateway-key': 'gwk-123456' },
      secrets: ['AIza-key-1', undefined],
    });
    expect(credentials.url).toBe('https://gateway.example/v1');
    expect(credentials.headers).toEqual({ 'x-gateway-key': 'gwk-123456', Authorization: `Basic ${Buffer.from('gw-user:p@ss').toString('base64')}` });
    expect(credentials.secrets).toEqual(
      expect.arrayContaining(['AIza-key-1', 'p@ss', 'gw-user:p@ss', 'gwk-123456', Buffer.from('gw-user:p@ss').toString('base64')]),
    );
    expect(credentials.issues).toEqual([]);
  });

  it('refuses userinfo together with an Authorization header, without printing either', () => {
    const credentials = httpCredentials({ url: 'http://u:pw-secret-1@h:1', headers: { authorization: 'Bearer tok-secret-2' }, urlOption: 'host' });
    expect(credentials.issues).toEqual(['host carries user:password and headers carry an Authorization header: give one credential, not both']);
    expect(credentials.headers).toEqual({ authorization: 'Bearer tok-secret-2' });
  });

  it('leaves a URL without credentials as it is', () => {
    expect(httpCredentials({ url: 'http://127.0.0.1:11434' })).toEqual({ url: 'http://127.0.0.1:11434', headers: {}, secrets: [], issues: [] });
  });
});
