import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, requireChromium } from '../../../scripts/ensure-chromium.mjs';
import { operatorHeaders, request, startTestServer, TEST_OPERATOR, type TestServer } from './support/test-server.js';

// Issue 18.4: the inspector in a real browser (Debian's Chromium driven by playwright-core)
// against the example server, started for real on a port with a SQLite file. Without a
// Chromium: installed when root, a failure under CI=true, a loud skip otherwise.
const executablePath = requireChromium('the inspector browser tests');
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
/** Set TICKETFLOW_UPDATE_SCREENSHOTS=1 to refresh the README's screenshot in docs/. */
const docsScreenshot = fileURLToPath(new URL('../../../docs/inspector-rollback.png', import.meta.url));

describe.skipIf(!executablePath)('the inspector in Chromium', () => {
  const directory = mkdtempSync(join(tmpdir(), 'telecom-inspector-'));
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let inspectorUrl: string;
  const say = (id: string, message: string) => request(`${server.url}/v1/tickets/${id}/messages`, { body: { message } });

  beforeAll(async () => {
    server = await startTestServer({ store: new SqliteTicketStore({ filename: join(directory, 'tickets.db') }) });
    inspectorUrl = `${server.url}/inspector/`;
    // A plan change whose notification fails: the plan change is undone (compensation) and the ticket rolled back.
    await say('T-rollback', 'Upgrade me to the Unlimited plan, personal account');
    server.telecom.backend.setFault('send_notification', 'fail');
    const failed = await say('T-rollback', 'yes');
    server.telecom.backend.clearFaults();
    expect(failed.body.action).toMatchObject({ type: 'execute', workflow: 'plan_change', outcome: 'failed' });
    // A credit above the threshold, waiting for an operator.
    await say('T-credit', 'I was overcharged 80 euros, business account');
    expect((await say('T-credit', 'yes')).body.action).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'awaiting_approval' });
    await say('T-question', 'My fiber internet is down');

    mkdirSync(artifacts, { recursive: true });
    context = await chromium.launchPersistentContext(join(directory, 'profile'), {
      executablePath: executablePath!,
      headless: true,
      args: CHROMIUM_FLAGS.filter((flag) => flag !== '--headless'),
      viewport: { width: 1280, height: 900 },
      offline: false,
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Nothing may be fetched from anywhere but this server (no CDN, works offline).
    await context.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort('blockedbyclient')));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses without the operator credential: the page asks for it and the API answers 401', async () => {
    await page.goto(inspectorUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('needs an operator credential');
    await page.getByLabel('Operator token').fill('not-the-operator-token-000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That credential was refused.').waitFor();
    const api = await request(`${inspectorUrl}api/queues`);
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toContain('Bearer');
    expect((await request(`${inspectorUrl}api/approve/T-credit`, { body: {} })).status).toBe(401);
    expect((await request(`${server.url}/v1/tickets/T-credit`)).body.ticket.status).toBe('awaiting_approval');
  });

  it('opens the queue as an operator: those waiting for a person first, oldest first', async () => {
    await page.getByLabel('Operator token').fill(TEST_OPERATOR.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Queues', level: 1 }).waitFor();
    // The title shows before the queues' answer arrives: wait for the sections themselves.
    await page.getByRole('heading', { name: /Awaiting approval/, level: 2 }).waitFor();
    expect(await page.getByText(`Signed in as ${TEST_OPERATOR.name}`).isVisible()).toBe(true);
    const queues = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(queues[0]).toMatch(/Awaiting approval.*waits for a person/);
    const approval = page.locator('section', { has: page.getByRole('heading', { name: /Awaiting approval/ }) });
    expect(await approval.getByRole('link').allTextContents()).toEqual(['T-credit']);
    expect(await page.getByRole('link', { name: 'T-rollback' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'T-question' }).count()).toBe(1);
  });

  it('E3 opens a ticket that went through a compensation: its decision, its steps and the undo', async () => {
    await page.getByRole('link', { name: 'T-rollback' }).click();
    await page.getByRole('heading', { name: /Timeline/ }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    const decision = timeline.locator('[data-type="decision.made"]').first();
    expect(await decision.textContent()).toContain('plan_change');
    const change = page.getByRole('article', { name: /Tool step #\d+ change_plan/ });
    expect(await change.textContent()).toMatch(/completed.*undone \(compensated\)/);
    const notification = page.getByRole('article', { name: /Tool step #\d+ send_notification/ });
    expect(await notification.textContent()).toContain('failed');
    const undo = page.getByRole('region', { name: 'Compensation' }).first();
    expect(await undo.textContent()).toMatch(/Undo, in reverse order.*change_plan: undone \(compensated\)/s);
    expect(await timeline.locator('[data-type="ticket.rolled_back"]').textContent()).toContain('Ticket rolled back');
    expect(await timeline.locator('[data-type="execution.failed"]').textContent()).toContain('Execution failed — compensated');
    await undo.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'inspector-rollback.png'), fullPage: true });
    if (process.env.TICKETFLOW_UPDATE_SCREENSHOTS === '1') {
      await page.screenshot({ path: join(artifacts, 'inspector-rollback-readme.png'), fullPage: true, clip: await stepsClip(page) });
      copyFileSync(join(artifacts, 'inspector-rollback-readme.png'), docsScreenshot);
    }
  });

  it("approves a pending credit as the operator and shows the status change, recorded with the operator's name", async () => {
    await page.goto(`${inspectorUrl}#/tickets/T-credit`);
    await page.getByRole('heading', { name: 'Waiting for your approval' }).waitFor();
    expect(await page.locator('.summary .badge').textContent()).toContain('Awaiting approval');
    await page.getByLabel(/Note/).fill('goodwill, checked the invoice');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(/Approved\. Status: resolved/).waitFor();
    await expect.poll(() => page.locator('.summary .badge').textContent()).toContain('Resolved');
    expect(await page.locator('.group-operator h3').textContent()).toMatch(/^Approved by supervisor-1/);
    await page.screenshot({ path: join(artifacts, 'inspector-approved.png'), fullPage: true });
    const ticket = (await request(`${server.url}/v1/tickets/T-credit`, { headers: operatorHeaders() })).body.ticket;
    expect(ticket.status).toBe('resolved');
    const { events } = (await request(`${server.url}/v1/tickets/T-credit/events?limit=1000`)).body;
    expect(events.find((event: { type: string }) => event.type === 'approval.granted').data).toMatchObject({
      by: TEST_OPERATOR.name,
      note: 'goodwill, checked the invoice',
    });
  });

  it('works with the keyboard alone: open a ticket by id and land on its heading', async () => {
    await page.goto(inspectorUrl);
    await page.getByRole('heading', { name: 'Queues', level: 1 }).waitFor();
    await page.keyboard.press('Tab'); // the skip link
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.getByLabel('Open a ticket by id').focus();
    await page.keyboard.type('T-question');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ticket T-question' }).waitFor();
    // The page moves the focus to the heading once the ticket has rendered (an effect after the paint).
    await page.waitForFunction("document.activeElement?.tagName === 'H1'", undefined, { timeout: 5_000 }).catch(() => undefined);
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('H1');
  });

  it('fits a phone screen: no sideways scrolling on the queues and on a ticket', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    for (const hash of ['#/', '#/tickets/T-rollback']) {
      await page.goto(`${inspectorUrl}${hash}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByText('Loading…').waitFor({ state: 'detached' });
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, hash).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: join(artifacts, 'inspector-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

/** The customer turn that ran the steps and undid them, in page coordinates, for the README. */
async function stepsClip(page: Page) {
  const group = page.locator('li.group', { has: page.getByRole('article', { name: /Tool step/ }) }).first();
  const box = (await group.boundingBox())!;
  const scrollY = await page.evaluate<number>('window.scrollY');
  return { x: Math.max(0, box.x - 8), y: box.y + scrollY - 8, width: box.width + 16, height: box.height + 16 };
}
