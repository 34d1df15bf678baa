import { useState } from 'preact/hooks';

/** Asks for the operator credential after the API refused the request (401). */
export function SignIn({ reason, onToken }: { reason: string | null; onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <main id="main" class="sign-in">
      <h1>Sign in</h1>
      <p role="alert" class="result error">
        ✗ {reason ?? 'The inspector needs an operator credential.'}
      </p>
      <form
        onSubmit={(submit) => {
          submit.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <label for="token">Operator token</label>
        <input
          id="token"
          type="password"
          autoComplete="current-password"
          value={token}
          onInput={(input) => setToken((input.target as HTMLInputElement).value)}
          required
        />
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">The token is kept in this tab only and sent as a bearer token.</p>
    </main>
  );
}
