import { BackendError, type BackendFault, type CallFault } from './backend-fault.js';
import { type BackendCall, type BackendEffect, type EffectLedger, MemoryEffectLedger } from './effect-ledger.js';
import { BoundedMap } from './bounded-map.js';
import { DEFAULT_OUTAGES, diagnoseLine, type LineDiagnostics, type Outage } from './network-state.js';

export type { BackendCall, BackendEffect } from './effect-ledger.js';

/** Service kinds the network knows. */
export type ServiceKind = 'fiber' | 'mobile' | 'dsl';

/** Options of {@link TelecomBackend}. */
export interface TelecomBackendOptions {
  /** Simulated latency per call in ms: a number or a `[min, max]` range. Default `[15, 60]`. */
  latencyMs?: number | readonly [number, number];
  /** Regional incidents. Default: a fiber outage in Hamburg and a mobile one in Leipzig. */
  outages?: Readonly<Record<string, Outage>>;
  /** Clock for effect timestamps. */
  now?: () => Date;
  /** Called when a call starts hanging (fault `hang`), e.g. to stage a crash at that point. */
  onHang?: (operation: string, key: string) => void;
  /**
   * Where effects are recorded, once per idempotency key. Default: a {@link MemoryEffectLedger}
   * in this process. Give a shared one (e.g. a database table) when several processes must
   * act on one backend: then a recovery in any process can undo any process's effects.
   */
  ledger?: EffectLedger;
  /**
   * Chooses a fault for each call (null: none), e.g. random faults in a soak test. A fault
   * switched on with {@link TelecomBackend.setFault} takes precedence.
   */
  faultPlan?: (call: { operation: string; key: string; kind: 'run' | 'undo' }) => CallFault | null | undefined;
  /**
   * Bounds on what the simulation keeps, so its memory does not grow with traffic: the
   * latest `calls` (default 1,000; {@link TelecomBackend.callCount} counts them all), the
   * newest `cases` in the human queue (default 1,000; the oldest count as handled) and the
   * state of the newest `accounts` (plans, roaming, SIMs; default 10,000). The default
   * ledger keeps its newest 10,000 effects.
   */
  limits?: { calls?: number; cases?: number; accounts?: number };
}

/**
 * A simulated telecom backend (OSS/BSS): network status, line tests, provisioning,
 * billing and a human support queue. Like a real one it is slow, fails on cue and applies
 * each effect once per idempotency key: a call repeated with the same key returns the
 * recorded result without acting again, and undoing is idempotent, harmless for a key
 * that never took effect, and final: a call arriving after its key was undone is refused
 * (DESIGN E4).
 *
 * Faults are switched per operation with {@link setFault} or chosen per call by a
 * `faultPlan`; every effect and call is kept for inspection ({@link effects}, {@link calls}).
 * Effects live in an {@link EffectLedger}: in this process by default, or shared.
 */
export class TelecomBackend {
  /** Where effects are recorded. */
  readonly ledger: EffectLedger;
  /** The latest calls this instance received, in order (the newest 1,000 to 1,250 by default; see `limits.calls`). */
  readonly calls: BackendCall[] = [];
  /** Current plan per account. */
  readonly plans: Map<string, string>;
  /** Roaming destinations enabled per line. */
  readonly roaming: Map<string, Set<string>>;
  /** Active SIM profiles per line. */
  readonly activeSims: Map<string, string>;
  /** The human support queue: open cases in order. */
  readonly queue: { caseId: string; queue: string; summary: string; key: string }[] = [];
  private readonly maxCalls: number;
  private readonly maxCases: number;
  private droppedCalls = 0;
  private readonly faults = new Map<string, BackendFault>();
  private readonly latency: readonly [number, number];
  private readonly outages: Readonly<Record<string, Outage>>;
  private readonly now: () => Date;
  private readonly onHang: ((operation: string, key: string) => void) | undefined;
  private readonly faultPlan: TelecomBackendOptions['faultPlan'];
  private sequence = 0;

  constructor(options: TelecomBackendOptions = {}) {
    const latency = options.latencyMs ?? [15, 60];
    this.latency = typeof latency === 'number' ? [latency, latency] : latency;
    this.outages = options.outages ?? DEFAULT_OUTAGES;
    this.now = options.now ?? (() => new Date());
    this.onHang = options.onHang;
    this.ledger = options.ledger ?? new MemoryEffectLedger();
    this.faultPlan = options.faultPlan;
    const limits = options.limits ?? {};
    this.maxCalls = limits.calls ?? 1_000;
    this.maxCases = limits.cases ?? 1_000;
    const accounts = limits.accounts ?? 10_000;
    this.plans = new BoundedMap(accounts);
    this.roaming = new BoundedMap(accounts);
    this.activeSims = new BoundedMap(accounts);
  }

  /** How many calls this instance received in all (`calls` keeps the latest only). */
  get callCount(): number {
    return this.droppedCalls + this.calls.length;
  }

  /** The calls received after the first `count` ones (e.g. those of one turn: `callsSince(countBefore)`). */
  callsSince(count: number): BackendCall[] {
    return this.calls.slice(Math.max(0, count - this.droppedCalls));
  }

  /** Effects by idempotency key (a snapshot of the ledger). */
  get effects(): Map<string, BackendEffect> {
    return new Map(this.ledger.list().map((effect) => [effect.key, effect]));
  }

  /** Switches a fault on for one operation (e.g. `change_plan`), or off with `null`. */
  setFault(operation: string, fault: BackendFault | null): void {
    if (fault === null) this.faults.delete(operation);
    else this.faults.set(operation, fault);
  }

  /** Switches every fault off. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** The faults currently switched on. */
  activeFaults(): Record<string, BackendFault> {
    return Object.fromEntries(this.faults);
  }

  /** Effects that took place and were not undone. */
  liveEffects(): BackendEffect[] {
    return this.ledger.list().filter((effect) => effect.undoneAt === undefined);
  }

  // --- network --------------------------------------------------------------------------

  checkOutage(input: { region: string; service: ServiceKind }, key: string, signal?: AbortSignal) {
    return this.perform('check_outage', key, input, signal, () => {
      const outage = this.outages[input.region];
      if (!outage || !outage.services.includes(input.service)) return { outage: false as const };
      return { outage: true as const, incidentId: outage.incidentId, cause: outage.cause, eta: outage.eta };
    });
  }

  runLineDiagnostics(input: { line: string; service: ServiceKind; region?: string }, key: string, signal?: AbortSignal): Promise<LineDiagnostics> {
    return this.perform('run_line_diagnostics', key, input, signal, () => diagnoseLine(input.service, input.line, input.region, this.outages));
  }

  resetModem(input: { line: string }, key: string, signal?: AbortSignal) {
    return this.perform('reset_modem', key, input, signal, () => ({ resetId: this.nextId('RST'), rebootSeconds: 90 }));
  }

  resetSpeedProfile(input: { line: string }, key: string, signal?: AbortSignal) {
    return this.perform('reset_speed_profile', key, input, signal, () => ({ profile: 'full-rate' as const }));
  }

  refreshMobileProfile(input: { region: string; device: string }, key: string, signal?: AbortSignal) {
    return this.perform('refresh_mobile_profile', key, input, signal, () => ({ apn: 'internet.ticketflow.example', pushed: true }));
  }

  // --- provisioning and billing ------------------------------------------------------------

  changePlan(input: { account: string; plan: string }, key: string, signal?: AbortSignal) {
    return this.perform('change_plan', key, input, signal, () => {
      const previousPlan = this.plans.get(input.account) ?? 'basic';
      this.plans.set(input.account, input.plan);
      return { changeId: this.nextId('CHG'), previousPlan };
    });
  }

  revertPlanChange(key: string, signal?: AbortSignal) {
    return this.undo('change_plan', key, signal, (effect) => {
      const { account } = effect.input as { account: string };
      this.plans.set(account, (effect.output as { previousPlan: string }).previousPlan);
    });
  }

  issueCredit(input: { account: string; amount: number; reason: string }, key: string, signal?: AbortSignal) {
    return this.perform('issue_credit', key, input, signal, () => ({ creditId: this.nextId('CRD'), amount: input.amount }));
  }

  reverseCredit(key: string, signal?: AbortSignal) {
    return this.undo('issue_credit', key, signal, () => undefined);
  }

  enableRoaming(input: { line: string; destination: string }, key: string, signal?: AbortSignal) {
    return this.perform('enable_roaming', key, input, signal, () => {
      const destinations = this.roaming.get(input.line) ?? new Set<string>();
      destinations.add(input.destination);
      this.roaming.set(input.line, destinations);
      return { passId: this.nextId('ROAM'), dailyPrice: 4.99 };
    });
  }

  disableRoaming(key: string, signal?: AbortSignal) {
    return this.undo('enable_roaming', key, signal, (effect) => {
      const { line, destination } = effect.input as { line: string; destination: string };
      this.roaming.get(line)?.delete(destination);
    });
  }

  activateSim(input: { line: string; format: 'esim' | 'physical'; iccid?: string }, key: string, signal?: AbortSignal) {
    return this.perform('activate_sim', key, input, signal, () => {
      const profile = input.format === 'esim' ? this.nextId('ESIM') : (input.iccid ?? this.nextId('SIM'));
      this.activeSims.set(input.line, profile);
      return { profile, activationCode: input.format === 'esim' ? `LPA:1$sm-dp.ticketflow.example$${profile}` : null };
    });
  }

  deactivateSim(key: string, signal?: AbortSignal) {
    return this.undo('activate_sim', key, signal, (effect) => {
      this.activeSims.delete((effect.input as { line: string }).line);
    });
  }

  sendNotification(input: { to: string; channel: 'sms' | 'email'; text: string }, key: string, signal?: AbortSignal) {
    return this.perform('send_notification', key, input, signal, () => ({ notificationId: this.nextId('MSG') }));
  }

  // --- human support -----------------------------------------------------------------------

  openCase(input: { queue: string; summary: string; priority: 'normal' | 'high' }, key: string, signal?: AbortSignal) {
    return this.perform('open_case', key, input, signal, () => {
      const caseId = this.nextId('CASE');
      this.queue.push({ caseId, queue: input.queue, summary: input.summary, key });
      if (this.queue.length > this.maxCases) this.queue.splice(0, this.queue.length - this.maxCases);
      return { caseId, position: this.queue.length };
    });
  }

  withdrawCase(key: string, signal?: AbortSignal) {
    return this.undo('open_case', key, signal, () => {
      const index = this.queue.findIndex((entry) => entry.key === key);
      if (index >= 0) this.queue.splice(index, 1);
    });
  }

  // --- machinery ----------------------------------------------------------------------------

  /** Runs an operation once per key: faults, latency, then the effect (or the recorded one). */
  private async perform<T>(operation: string, key: string, input: unknown, signal: AbortSignal | undefined, effect: () => T): Promise<T> {
    const fault = this.faultFor(operation, key, 'run');
    if (fault === 'hang') {
      this.record({ operation, key, kind: 'run', result: 'hung' });
      this.onHang?.(operation, key);
      return hang(operation, signal);
    }
    await this.delay(signal);
    if (fault === 'fail' || fault === 'fail-once' || fault === 'refuse') {
      if (fault === 'fail-once') this.faults.delete(operation);
      this.record({ operation, key, kind: 'run', result: 'failed' });
      if (fault === 'refuse') throw new BackendError(operation, 'the service answered 422 Unprocessable Entity', { retryable: false });
      throw new BackendError(operation, 'the service answered 503 Service Unavailable');
    }
    const applied = this.ledger.apply({ operation, key, input, at: this.now().toISOString() }, effect);
    if (applied.status === 'cancelled') {
      this.record({ operation, key, kind: 'run', result: 'failed' });
      throw new BackendError(operation, 'the call was cancelled: its idempotency key was already compensated', { retryable: false });
    }
    this.record({ operation, key, kind: 'run', result: applied.status === 'replayed' ? 'replayed' : 'ok' });
    if (fault === 'lose-reply') throw new BackendError(operation, 'the connection dropped before the answer arrived');
    return applied.output as T;
  }

  /** Undoes the effect recorded under `key`; a key that never took effect is a no-op. */
  private async undo(operation: string, key: string, signal: AbortSignal | undefined, revert: (effect: BackendEffect) => void): Promise<void> {
    const fault = this.faultFor(operation, key, 'undo');
    if (fault === 'hang') {
      this.record({ operation, key, kind: 'undo', result: 'hung' });
      return hang(operation, signal);
    }
    await this.delay(signal);
    if (fault === 'fail-compensation' || fault === 'fail' || fault === 'refuse') {
      this.record({ operation, key, kind: 'undo', result: 'failed' });
      throw new BackendError(operation, 'undo refused: the record is locked by another process');
    }
    const undone = this.ledger.undo({ operation, key, at: this.now().toISOString() }, revert);
    this.record({ operation, key, kind: 'undo', result: undone ? 'ok' : 'noop' });
    if (fault === 'lose-reply') throw new BackendError(operation, 'the connection dropped before the answer arrived');
  }

  /** The switched-on fault of an operation, else the plan's choice for this call. */
  private faultFor(operation: string, key: string, kind: 'run' | 'undo'): BackendFault | CallFault | null {
    const switched = this.faults.get(operation);
    if (switched === 'fail-compensation') return kind === 'undo' ? switched : (this.faultPlan?.({ operation, key, kind }) ?? null);
    if (switched !== undefined) return kind === 'run' ? switched : null;
    return this.faultPlan?.({ operation, key, kind }) ?? null;
  }

  private record(call: BackendCall): void {
    this.calls.push(call);
    // Trimmed in chunks, so a busy backend does not shift the array on every call.
    if (this.calls.length > this.maxCalls + Math.ceil(this.maxCalls / 4)) {
      const excess = this.calls.length - this.maxCalls;
      this.calls.splice(0, excess);
      this.droppedCalls += excess;
    }
    this.ledger.recordCall?.(call);
  }

  private delay(signal: AbortSignal | undefined): Promise<void> {
    const [min, max] = this.latency;
    const ms = min + Math.random() * (max - min);
    if (ms <= 0) return signal?.aborted ? Promise.reject(abortError(signal)) : Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      function onAbort() {
        clearTimeout(timer);
        reject(abortError(signal!));
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${String(this.sequence).padStart(4, '0')}`;
  }
}

function hang(operation: string, signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (!signal) return;
    if (signal.aborted) return reject(abortError(signal, operation));
    signal.addEventListener('abort', () => reject(abortError(signal, operation)), { once: true });
  });
}

function abortError(signal: AbortSignal, operation = 'call'): Error {
  return signal.reason instanceof Error ? signal.reason : new BackendError(operation, 'aborted by the caller');
}
