import { defineIntent, defineSlot, defineWorkflow, type IntentDefinition, type SlotDefinition, type WorkflowDefinition } from '@ticketflow/core';
import { z } from 'zod';
import type { ProcedureTools } from './procedure-tools.js';

/** The problems customers bring to the procedures domain. */
export const PROCEDURE_INTENTS = {
  repairRouter: defineIntent({ name: 'repair_router', description: 'The home router does not work', examples: ['my router is broken'] }),
  portNumber: defineIntent({ name: 'port_number', description: 'Bring a phone number over from another carrier', examples: ['port my number to you'] }),
  setupBundle: defineIntent({ name: 'setup_bundle', description: 'Set up the home bundle (port, credit, case) at once', examples: ['set up my bundle'] }),
  leaveNote: defineIntent({ name: 'leave_note', description: 'Leave a note on the line and check it', examples: ['leave a note on my line'] }),
};

const yesNo = z.preprocess((value) => (value === 'yes' ? true : value === 'no' ? false : value), z.boolean());

/** The slots: the line (required everywhere) and the questions the procedures ask mid-run (E6). */
export const PROCEDURE_SLOTS = {
  line: defineSlot({ name: 'line', schema: z.string().regex(/^L-\d{4}$/), question: 'Which line is it (L-1234)?', stable: true }),
  light: defineSlot({ name: 'light', schema: z.enum(['green', 'red', 'off']), question: 'What colour is the light on the router: green, red or off?' }),
  rebooted: defineSlot({ name: 'rebooted', schema: yesNo, question: 'Please unplug the router for ten seconds and plug it in again. Did it come back?' }),
  cable: defineSlot({ name: 'cable', schema: z.enum(['ok', 'loose']), question: 'Is the grey cable firmly in the wall socket (ok or loose)?' }),
  visitDay: defineSlot({
    name: 'visit_day',
    schema: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']),
    question: 'Which weekday suits a technician visit?',
  }),
  donor: defineSlot({ name: 'donor', schema: z.enum(['alpha', 'beta', 'gamma']), question: 'Which carrier is the number with now (alpha, beta or gamma)?' }),
};

const { line, light, rebooted, cable, visitDay, donor } = PROCEDURE_SLOTS;

/**
 * The workflows of the procedures domain, each one of the classes the audits found:
 * - `router_repair`: a procedure that asks up to four questions and branches on each answer
 *   (`onAbandon: 'compensate'`);
 * - `port_in`: a procedure with calls in parallel (`Promise.all`) before and after its asks
 *   (`onAbandon: 'keep'`);
 * - `bundle_setup`: three calls in parallel, one failure fails them all;
 * - `careful_note`: failed calls it catches and goes on after (an empty note refused before it
 *   runs, a line test that may fail), then a credit.
 */
export function createProcedureWorkflows(tools: ProcedureTools): WorkflowDefinition[] {
  const routerRepair = defineWorkflow({
    name: 'router_repair',
    intent: PROCEDURE_INTENTS.repairRouter,
    required: [line],
    asks: [light, rebooted, cable, visitDay],
    tools: [tools.openCase, tools.runLineTest, tools.resetPort, tools.sendSms, tools.bookTechnician],
    onAbandon: 'compensate',
    run: async (ctx) => {
      const ref = { line: ctx.slots.line };
      await ctx.call(tools.openCase, ref);
      const seen = await ctx.ask(light);
      if (seen === 'green') {
        const test = await ctx.call(tools.runLineTest, ref);
        return { status: 'resolved', reply: `The line test says ${test.status}.` };
      }
      if (seen === 'off' && (await ctx.ask(rebooted))) {
        await ctx.call(tools.resetPort, ref);
        return { status: 'resolved', reply: 'I reset your port: it should be back.' };
      }
      if ((await ctx.ask(cable)) === 'loose') {
        await ctx.call(tools.sendSms, { ...ref, text: 'Push the grey cable in until it clicks.' });
        return { status: 'resolved', reply: 'I sent you the instructions by SMS.' };
      }
      const day = await ctx.ask(visitDay);
      await ctx.call(tools.bookTechnician, { ...ref, day });
      return { status: 'resolved', reply: `A technician comes on ${day}.` };
    },
  });
  const portIn = defineWorkflow({
    name: 'port_in',
    intent: PROCEDURE_INTENTS.portNumber,
    required: [line],
    asks: [donor, visitDay],
    tools: [tools.openCase, tools.runLineTest, tools.bookTechnician, tools.sendSms],
    onAbandon: 'keep',
    run: async (ctx) => {
      const ref = { line: ctx.slots.line };
      const [opened] = await Promise.all([ctx.call(tools.openCase, ref), ctx.call(tools.runLineTest, ref)]);
      const from = await ctx.ask(donor);
      const day = await ctx.ask(visitDay);
      await Promise.all([
        ctx.call(tools.bookTechnician, { ...ref, day }),
        ctx.call(tools.sendSms, { ...ref, text: `Porting from ${from}, case ${opened.caseId}.` }),
      ]);
      return { status: 'resolved', reply: `Your number moves over on ${day}.` };
    },
  });
  const bundleSetup = defineWorkflow({
    name: 'bundle_setup',
    intent: PROCEDURE_INTENTS.setupBundle,
    required: [line],
    tools: [tools.resetPort, tools.addCredit, tools.openCase],
    run: async (ctx) => {
      const ref = { line: ctx.slots.line };
      await Promise.all([ctx.call(tools.resetPort, ref), ctx.call(tools.addCredit, { ...ref, amount: 10 }), ctx.call(tools.openCase, ref)]);
      return { status: 'resolved', reply: 'Your bundle is set up.' };
    },
  });
  const carefulNote = defineWorkflow({
    name: 'careful_note',
    intent: PROCEDURE_INTENTS.leaveNote,
    required: [line],
    tools: [tools.writeNote, tools.runLineTest, tools.addCredit],
    run: async (ctx) => {
      const ref = { line: ctx.slots.line };
      await ctx.call(tools.writeNote, { text: '' }).catch(() => null);
      const test = await ctx.call(tools.runLineTest, ref).catch(() => null);
      await ctx.call(tools.addCredit, { ...ref, amount: 5 });
      return {
        status: 'resolved',
        reply: `Noted. Line test: ${test ? `${test.status} (${test.note})` : 'not available'}.`,
        data: { note: test?.note ?? null },
      };
    },
  });
  return [routerRepair, portIn, bundleSetup, carefulNote];
}

/** The domain's intents and slots as `createAgent` takes them. */
export const PROCEDURE_DEFINITIONS: { intents: IntentDefinition[]; slots: SlotDefinition<any>[] } = {
  intents: Object.values(PROCEDURE_INTENTS),
  slots: Object.values(PROCEDURE_SLOTS),
};
