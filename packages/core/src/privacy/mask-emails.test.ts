import { describe, expect, it } from 'vitest';
import { maskEmails } from './mask-emails.js';

describe('maskEmails', () => {
  it('P2 masks an e-mail address entirely, keeping the punctuation around it', () => {
    expect(maskEmails('write to jane.doe+tickets@example.co.uk!')).toBe('write to ***@***!');
    expect(maskEmails('<max_mustermann@mail.example.de>, thanks.')).toBe('<***@***>, thanks.');
    expect(maskEmails('mailto:someone@example.org.')).toBe('mailto:***@***.');
    expect(maskEmails('a@b.co and c@d.io')).toBe('***@*** and ***@***');
  });

  it('P2 masks internationalised addresses', () => {
    expect(maskEmails('josé.garcía@correo.es')).toBe('***@***');
    expect(maskEmails('用户@例子.广告')).toBe('***@***');
    expect(maskEmails('иван@почта.рф')).toBe('***@***');
    expect(maskEmails('user@xn--bcher-kva.example')).toBe('***@***');
  });

  it('P2 leaves mentions, local hosts, prices and masks alone', () => {
    for (const text of ['@support please', 'user@localhost', 'at 5@ 3€', 'name@domain', 'x@-bad-.com', '***@***', 'email @ example.com', 'a@b.c']) {
      expect(maskEmails(text), text).toBe(text);
    }
  });

  it('P2 reads addresses written back to back the same way every time', () => {
    expect(maskEmails('a@b.co.a@b.co')).toBe('***@***.***@***');
    expect(maskEmails(maskEmails('a@b.co.a@b.co'))).toBe('***@***.***@***');
    expect(maskEmails('jane@example.com0.AD****0000')).toBe('jane@example.com0.AD****0000');
  });

  it('P2 cuts a domain at its last valid label', () => {
    expect(maskEmails('jane@example.com.123')).toBe('***@***.123');
    expect(maskEmails('jane@example.com..')).toBe('***@***..');
  });
});
