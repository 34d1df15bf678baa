import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTasks } from '../task.js';
import { findTau2Directory } from '../world/load-data.js';
import { driveTask } from './drive-task.js';

const devTasks = loadTasks(join(findTau2Directory(), 'tasks-dev.json'));
const extraTasks = loadTasks(new URL('../tasks/tasks-extra.json', import.meta.url).pathname);

describe('the procedures on the τ² dev tasks (engine stand-in, replay checked)', () => {
  it.each(devTasks.map((task) => [task.id, task] as const))('%s passes', async (_id, task) => {
    const driven = await driveTask(task);
    expect(driven.evaluation.reasons).toEqual([]);
    expect(driven.turns).toBeLessThanOrEqual(30);
  });
});

describe('the procedures on our own tasks of other branches (engine stand-in)', () => {
  it.each(extraTasks.map((task) => [task.id, task] as const))('%s passes', async (_id, task) => {
    const driven = await driveTask(task);
    expect(driven.evaluation.reasons).toEqual([]);
    expect(driven.turns).toBeLessThanOrEqual(30);
  });

  it('the extra tasks cover every assertion the shipped tasks use and a transfer in each path', () => {
    const assertions = new Set(extraTasks.flatMap((task) => (task.evaluation_criteria.env_assertions ?? []).map((assertion) => assertion.func_name)));
    expect([...assertions].sort()).toEqual([
      'assert_can_send_mms',
      'assert_data_refueling_amount',
      'assert_internet_speed',
      'assert_mobile_data_status',
      'assert_no_overdue_bill',
      'assert_service_status',
    ]);
    const transfers = extraTasks
      .filter((task) => (task.evaluation_criteria.actions ?? []).some((action) => action.name === 'transfer_to_human_agents'))
      .map((task) => task.id.slice(1, task.id.indexOf(']')));
    expect(new Set(transfers)).toEqual(new Set(['extra:service', 'extra:data']));
  });
});
