import type { Tau2Task } from '../task.js';

/** What the scripted customer knows and wants, read from the task's user scenario and ticket. */
export interface CustomerProfile {
  name: string | null;
  phone: string | null;
  /** From "You are currently abroad in …" / "at home"; null when the task does not say. */
  abroad: boolean | null;
  /** GB the customer is willing to refuel (0: not willing). */
  refuelGb: number;
  /** Whether the customer accepts a plan change. */
  acceptsPlanChange: boolean;
  /** Whether the customer pays a bill the agent asks them to pay. */
  paysBills: boolean;
  /** The opening message: the task's ticket. */
  opening: string;
}

/**
 * Reads the customer's facts and preferences from a task. The phrasing is the benchmark's
 * ("You are willing to refuel 2.0 GB of data if necessary, but you do not want to change your
 * mobile data plan", "If the agent asks you to pay a bill, you accept").
 */
export function customerProfile(task: Tau2Task): CustomerProfile {
  const instructions = task.user_scenario.instructions;
  const text = [instructions.known_info, instructions.task_instructions, instructions.reason_for_call, task.ticket].filter(Boolean).join('\n');
  const known = instructions.known_info ?? task.ticket;
  const refuel = /willing to refuel\s+(\d+(?:\.\d+)?)\s*GB/i.exec(text) ?? /will refuel\s+(\d+(?:\.\d+)?)\s*GB/i.exec(text);
  const noRefuel = /(?:not willing|do not want|don'?t want|unwilling) to refuel/i.test(text);
  return {
    name: /You are ([A-Z][\w'-]+(?: [A-Z][\w'-]+)+)/.exec(known)?.[1] ?? /Customer name: ([^,.]+)/.exec(task.ticket)?.[1]?.trim() ?? null,
    phone: /(\+?\d[\d -]{5,}\d)/.exec(known)?.[1] ?? /phone number:?\s*(\+?\d[\d -]{5,}\d)/i.exec(task.ticket)?.[1] ?? null,
    abroad: /\babroad\b|\btravell?ing\b/i.test(known) ? true : /\bat home\b/i.test(known) ? false : null,
    refuelGb: refuel && !noRefuel ? Number(refuel[1]) : 0,
    acceptsPlanChange:
      /willing to change (?:your |their )?(?:mobile data )?plan/i.test(text) &&
      !/(?:do not|don'?t|not) (?:want|willing) to change (?:your |their )?(?:mobile data )?plan/i.test(text),
    paysBills: /asks you to pay a bill, you accept|permission to pay (?:all )?(?:their |your )?overdue bills|willing to pay/i.test(text),
    opening: task.ticket,
  };
}
