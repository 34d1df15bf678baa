import type { SeededRandom } from '../faults/seeded-random.js';

/**
 * A script entry that is not a message: the customer goes quiet for longer than the
 * profile's `inputTimeoutMs`, so the sweeper expires the procedure waiting for them (E7).
 */
export const QUIET = '\u0000quiet';

type Flow = (random: SeededRandom) => string[];

const line = (random: SeededRandom) => `line L-${random.between(1_000, 9_999)}`;
const day = (random: SeededRandom) => random.pick(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']);
const donor = (random: SeededRandom) => random.pick(['alpha', 'beta', 'gamma']);
const repair = (random: SeededRandom) => `my router is broken, ${line(random)}`;
const port = (random: SeededRandom) => `please port my number, ${line(random)}`;

/**
 * The customers of the procedures domain. Each answer carries everything the customer
 * knows, so whatever the procedure asks next is in it (the LLM reads only the awaited slot);
 * the procedure branches on the answers: a green light ends with a line test, an off light
 * that came back after a reboot with a port reset, a loose cable with an SMS, anything else
 * with a technician booked for a day. Customers also switch to another intent mid-procedure
 * (compensated or kept per `onAbandon`), cancel, go quiet past the input timeout (the sweeper
 * expires the procedure), and run the workflows with parallel and caught calls.
 */
const FLOWS: readonly Flow[] = [
  (random) => [repair(random), 'the light is green', 'thanks'],
  (random) => {
    const answer = `the light is red, the cable is ok, ${day(random)} would be great`;
    return [repair(random), answer, answer, answer];
  },
  (random) => [repair(random), 'the light is off, and the router came back after the reboot', 'the light is off, and the router came back after the reboot'],
  (random) => [repair(random), 'the light is red and the cable is loose', 'the light is red and the cable is loose'],
  (random) => {
    const answer = `it is with ${donor(random)}, ${day(random)} please`;
    return [port(random), answer, answer];
  },
  (random) => [repair(random), 'the light is red', `forget the router, set up my bundle, ${line(random)}`],
  (random) => [port(random), `it is with ${donor(random)}`, `leave a note on my line, ${line(random)}`],
  (random) => [repair(random), 'cancel it'],
  (random) => [repair(random), QUIET, 'the light is green'],
  (random) => [port(random), `it is with ${donor(random)}`, QUIET, `${day(random)} please`],
  // Two more quiet spells: an input expires only when the sweeper's clock sees it waited, which a
  // worker whose clock is ahead delays past the spell — with two spells in twelve flows, a loaded
  // run had none expire.
  (random) => [repair(random), 'the light is red', QUIET, `the cable is ok, ${day(random)} would be great`],
  (random) => [port(random), QUIET, `it is with ${donor(random)}, ${day(random)} please`],
  (random) => [`set up my bundle, ${line(random)}`, 'thanks'],
  (random) => [`leave a note on my line, ${line(random)}`, 'ok'],
];

/**
 * Builds `turns` customer messages spread over `tickets` tickets (as evenly as possible), each
 * ticket's script a seeded sequence of procedure conversations. {@link QUIET} entries are
 * pauses, not messages: they do not count towards `turns`.
 */
export function buildProcedureScripts(random: SeededRandom, tickets: number, turns: number): string[][] {
  return Array.from({ length: tickets }, (_unused, index) => {
    const length = Math.floor(turns / tickets) + (index < turns % tickets ? 1 : 0);
    const script: string[] = [];
    const messages = () => script.filter((entry) => entry !== QUIET).length;
    while (messages() < length) script.push(...random.pick(FLOWS)(random));
    while (messages() > length) script.pop();
    while (script.at(-1) === QUIET) script.pop();
    return script;
  });
}
