import { readFileSync } from 'node:fs';
import { z } from 'zod';

const initializationAction = z.object({
  env_type: z.enum(['user', 'assistant']),
  func_name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).default({}),
});
const expectedAction = z.object({
  action_id: z.string().optional(),
  requestor: z.enum(['user', 'assistant']),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).default({}),
  compare_args: z.array(z.string()).nullable().optional(),
});
const envAssertion = z.object({
  env_type: z.enum(['user', 'assistant']),
  func_name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).default({}),
  assert_value: z.boolean().default(true),
  message: z.string().nullable().optional(),
});

/** A τ²-bench telecom task, as in `tasks-dev.json` (the fields the harness reads). */
export const tau2TaskSchema = z.looseObject({
  id: z.string().min(1),
  ticket: z.string().min(1),
  user_scenario: z.looseObject({
    persona: z.string().nullable().optional(),
    instructions: z.looseObject({
      reason_for_call: z.string().nullable().optional(),
      known_info: z.string().nullable().optional(),
      unknown_info: z.string().nullable().optional(),
      task_instructions: z.string().nullable().optional(),
    }),
  }),
  initial_state: z
    .looseObject({ initialization_actions: z.array(initializationAction).nullable().optional() })
    .nullable()
    .optional(),
  evaluation_criteria: z.looseObject({
    actions: z.array(expectedAction).nullable().optional(),
    env_assertions: z.array(envAssertion).nullable().optional(),
    reward_basis: z.array(z.string()).nullable().optional(),
  }),
});

export type Tau2Task = z.infer<typeof tau2TaskSchema>;
export type ExpectedAction = z.infer<typeof expectedAction>;

/** A task file that cannot be used: not JSON, not a list, or tasks without the fields the harness needs. */
export class TaskFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskFileError';
  }
}

/**
 * Parses a task file: a JSON array of tasks (or `{ "tasks": [...] }`).
 * @throws {TaskFileError} listing every problem, by task index.
 */
export function parseTasks(text: string, source = 'tasks'): Tau2Task[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TaskFileError(`${source}: not JSON (${(error as Error).message})`);
  }
  const list = Array.isArray(raw) ? raw : (raw as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(list)) throw new TaskFileError(`${source}: expected a JSON array of tasks`);
  const problems: string[] = [];
  const tasks: Tau2Task[] = [];
  list.forEach((entry, index) => {
    const parsed = tau2TaskSchema.safeParse(entry);
    if (parsed.success) tasks.push(parsed.data);
    else problems.push(`task ${index}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(task)'} ${issue.message}`).join('; ')}`);
  });
  if (problems.length > 0) throw new TaskFileError(`${source}: ${problems.join('\n')}`);
  const ids = new Set<string>();
  for (const task of tasks) {
    if (ids.has(task.id)) throw new TaskFileError(`${source}: task id ${task.id} appears twice`);
    ids.add(task.id);
  }
  return tasks;
}

/** Reads and parses a task file. @throws {TaskFileError} */
export function loadTasks(path: string): Tau2Task[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TaskFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseTasks(text, path);
}
