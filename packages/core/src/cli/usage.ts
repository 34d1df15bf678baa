/** What `ticketflow --help` prints. */
export const USAGE = `Usage: ticketflow replay <ticketId> --store <url> --agent <module> [options]

Re-runs a recorded ticket against your current definitions: each turn's recorded decision
replaces the LLM, each recorded tool output replaces the tool, approvals are replayed as
recorded. Nothing is written to the store; no tool and no model is called. Prints one line
per operation (SAME or DIFF, the recorded and the replayed action, what differs).

Options:
  --store <url>      where the ticket is recorded: sqlite:<file>, postgres://… or redis://…
                     (written like the example server's TICKETFLOW_STORE, which is not read
                     here; needs @ticketflow/adapter-sqlite, -postgres or -redis in your app)
  --agent <module>   a JavaScript module (TypeScript with tsx) exporting intents, workflows
                     and optionally slots, confidenceThreshold, maxClarifications, redact —
                     named exports or a default export object; relative to this directory
  --namespace <ns>   the store namespace your app writes to
  --schema <name>    the PostgreSQL schema of the tables (default public)
  --key-env <NAME>   the environment variable holding the agent's encryption key (or keys,
                     comma-separated, newest first) for sensitive slots; never the key itself
  --json             print the whole report as JSON
  -h, --help         print this help

Exit status: 0 every operation went the same way, 1 at least one went differently,
2 the replay could not run (bad arguments, missing ticket, store or module problems).

Example:
  npx ticketflow replay T-1042 --store sqlite:./data/tickets.db --agent ./dist/agent.js
`;
