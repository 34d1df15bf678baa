import { AGENT_OPERATIONS } from './agent-operations.js';
import { CarrierRecords, TAU2_TODAY, WorldToolError } from './carrier-records.js';
import { loadTau2Data, type Tau2Data } from './load-data.js';
import { syncWorld } from './sync.js';
import type { Device, Surroundings, WorldAction } from './types.js';
import { USER_TOOLS } from './user-tools.js';

/** Options of {@link Tau2World}. */
export interface Tau2WorldOptions {
  /** The starting data. Default: `db.toml` and `user_db.toml` ({@link loadTau2Data}). */
  data?: Tau2Data;
  /** Folder of the TOML files when `data` is not given. */
  directory?: string;
  /** The world's date (ISO). Default 2025-02-25, the benchmark's. */
  today?: string;
  /** How many actions the log keeps (the oldest are dropped first). Default 10,000. */
  maxActions?: number;
  /**
   * How many idempotency keys of agent writes are remembered (replays and undos need them;
   * the oldest are forgotten first). Default 10,000.
   */
  maxRememberedKeys?: number;
}

interface KeyedEffect {
  name: string;
  output: unknown;
  undo: (() => void) | undefined;
  undone: boolean;
  action: WorldAction | undefined;
}

/** The result of a user tool: what the phone showed, and whether the call was refused. */
export interface UserToolResult {
  ok: boolean;
  output: string;
}

const initialSurroundings = (): Surroundings => ({
  name: null,
  phone_number: null,
  is_abroad: false,
  roaming_allowed: false,
  signal_strength: { '2G': 'poor', '3G': 'fair', '4G': 'good', '5G': 'excellent' },
  mobile_data_usage_exceeded: false,
  line_active: true,
  payment_request: null,
});

/**
 * The τ²-bench telecom world (MODEL.md): the customer's phone and surroundings, the
 * carrier's records, and the sync between them. The customer acts through {@link userTool},
 * the agent through {@link agentTool}; both are logged in order ({@link actions}) with their
 * side, and a successful call is followed by a sync, as in the benchmark.
 *
 * Agent writes carry an idempotency key: a repeated key returns the recorded output without
 * acting twice, {@link undoAgentTool} restores exactly what the call changed, and a key undone
 * before it took effect can no longer take effect. Memory is bounded: the log and the keys
 * keep their latest entries only.
 */
export class Tau2World {
  readonly device: Device;
  readonly surroundings: Surroundings;
  readonly records: CarrierRecords;
  readonly today: string;
  private readonly log: WorldAction[] = [];
  private readonly keys = new Map<string, KeyedEffect>();
  private readonly maxActions: number;
  private readonly maxKeys: number;
  private droppedActions = 0;

  constructor(options: Tau2WorldOptions = {}) {
    const data = options.data ? structuredClone(options.data) : loadTau2Data(options.directory);
    this.device = data.device;
    this.surroundings = initialSurroundings();
    this.records = new CarrierRecords(data.carrier);
    this.today = options.today ?? TAU2_TODAY;
    this.maxActions = options.maxActions ?? 10_000;
    this.maxKeys = options.maxRememberedKeys ?? 10_000;
  }

  /** The actions logged so far, oldest first (copies). */
  actions(): WorldAction[] {
    return this.log.map((action) => ({ ...action, arguments: structuredClone(action.arguments) }));
  }

  /** How many actions the log has dropped to stay bounded. */
  get dropped(): number {
    return this.droppedActions;
  }

  /** How many idempotency keys are remembered. */
  get rememberedKeys(): number {
    return this.keys.size;
  }

  /** Forgets the action log (e.g. after a task's set-up). */
  clearActions(): void {
    this.log.length = 0;
  }

  /** The carrier → phone sync (MODEL §3.8). */
  sync(): void {
    syncWorld(this.records, this.surroundings);
  }

  /**
   * The customer runs a tool on their phone (MODEL §4). A refused call (invalid arguments)
   * answers `Error: …` and changes nothing; an unknown tool name likewise.
   */
  userTool(name: string, args: Record<string, unknown> = {}): UserToolResult {
    const tool = USER_TOOLS[name];
    if (!tool) return this.record({ requestor: 'user', name, arguments: args, ok: false }, `Error: unknown tool ${name}`);
    try {
      const output = tool.run({ device: this.device, surroundings: this.surroundings }, args);
      this.sync();
      return this.record({ requestor: 'user', name, arguments: args, ok: true }, output);
    } catch (error) {
      if (!(error instanceof WorldToolError)) throw error;
      return this.record({ requestor: 'user', name, arguments: args, ok: false }, `Error: ${error.message}`);
    }
  }

  /**
   * The agent runs a tool on the carrier's records (MODEL §5) and the world syncs.
   * @param key an idempotency key: a repeat returns the recorded output without acting again.
   * @throws {WorldToolError} when refused (nothing changed, no sync), or when `key` was undone.
   */
  agentTool(name: string, args: Record<string, unknown>, key?: string): unknown {
    const operation = AGENT_OPERATIONS[name];
    if (!operation) throw new WorldToolError(`unknown tool ${name}`);
    const known = key === undefined ? undefined : this.keys.get(key);
    if (known?.undone) throw new WorldToolError(`the call ${key} was cancelled: it was undone before it took effect`);
    if (known && known.name === name) return structuredClone(known.output);
    const action: WorldAction = { requestor: 'assistant', name, arguments: structuredClone(args), ok: false };
    try {
      const { output, undo } = operation.run(this.records, args, this.today);
      action.ok = true;
      this.sync();
      if (key !== undefined && operation.kind === 'write') this.remember(key, { name, output: structuredClone(output), undo, undone: false, action });
      return output;
    } finally {
      this.append(action);
    }
  }

  /**
   * Undoes the agent write recorded under `key` (a compensation) and syncs. Idempotent; a
   * key that never took effect is remembered as undone, so a late call with it is refused.
   * @returns true when something was undone.
   */
  undoAgentTool(name: string, key: string): boolean {
    const effect = this.keys.get(key);
    if (!effect) {
      this.remember(key, { name, output: undefined, undo: undefined, undone: true, action: undefined });
      return false;
    }
    if (effect.undone || effect.name !== name) return false;
    effect.undone = true;
    effect.undo?.();
    if (effect.action) effect.action.undone = true;
    this.withdrawStalePaymentRequest();
    this.sync();
    return effect.undo !== undefined;
  }

  /** A withdrawn payment request (its bill no longer awaits payment) leaves the phone too. */
  private withdrawStalePaymentRequest(): void {
    const request = this.surroundings.payment_request;
    if (!request || request.paid) return;
    const bill = this.records.data.bills.find((candidate) => candidate.bill_id === request.bill_id);
    if (bill?.status !== 'Awaiting Payment') this.surroundings.payment_request = null;
  }

  private remember(key: string, effect: KeyedEffect): void {
    this.keys.delete(key);
    this.keys.set(key, effect);
    while (this.keys.size > this.maxKeys) this.keys.delete(this.keys.keys().next().value as string);
  }

  private record(action: WorldAction, output: string): UserToolResult {
    this.append(action);
    return { ok: action.ok, output };
  }

  private append(action: WorldAction): void {
    this.log.push(action);
    if (this.log.length > this.maxActions) {
      const excess = this.log.length - this.maxActions;
      this.log.splice(0, excess);
      this.droppedActions += excess;
    }
  }
}
