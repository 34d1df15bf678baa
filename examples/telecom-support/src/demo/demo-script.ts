import { DemoSession } from './demo-session.js';
import { describeSlots, printHeading, style } from './print-turn.js';

/**
 * The scripted conversation, in two processes on one SQLite file. Part 1 ends with a crash
 * (SIGKILL) in the middle of a tool call; part 2 is a fresh process that resumes the
 * tickets, including the one whose execution was interrupted.
 */
export async function runPartOne(filename: string): Promise<void> {
  const session = new DemoSession(filename, {
    onHang: (operation) => {
      session.note(`${operation} is running… and the power goes out: this process is killed with SIGKILL, mid-call.`);
      process.kill(process.pid, 'SIGKILL');
    },
  });

  printHeading('DEMO-FIBER', 'ask for the one missing slot, run the workflow, then switch intent keeping the stable facts');
  await session.say('DEMO-FIBER', 'Hi, my fiber internet has been down since this morning');
  await session.say('DEMO-FIBER', "I'm in Hamburg");
  await session.say('DEMO-FIBER', "Thanks! Even when it works it's really slow in the evenings");
  session.note('slow_internet reused service_type and region (stable facts): no question asked.');

  printHeading('DEMO-DSL', 'an inferred slot: the region comes from the landline area code, and follows a correction');
  await session.say('DEMO-DSL', 'My DSL line is dead, no internet at all. My landline is 030 5550123');
  await session.say('DEMO-DSL', "Sorry, wrong line, that's my office. Home is 0341 5550188");
  session.note('a changed phone re-inferred the region (Berlin → Leipzig) and re-ran the workflow with the new values.');

  printHeading('DEMO-PLAN', 'a confirmed plan change whose second step fails: the first one is compensated');
  await session.say('DEMO-PLAN', "I'd like to upgrade to the Unlimited plan, it's a personal account");
  session.backend.setFault('send_notification', 'fail');
  session.note('backend: send_notification now fails (switchable fault).');
  await session.say('DEMO-PLAN', 'yes please');
  session.note(`change_plan was undone: the account is back on "${session.backend.plans.get('ticket:DEMO-PLAN') ?? 'basic'}".`);
  session.backend.clearFaults();
  session.note('backend: faults cleared.');
  await session.say('DEMO-PLAN', 'yes, try again');

  printHeading('DEMO-CREDIT', 'a credit above 50 € waits for a supervisor, then runs');
  await session.say('DEMO-CREDIT', 'I was charged twice this month and want a refund of 80 euros, business account');
  await session.say('DEMO-CREDIT', 'yes');
  await session.say('DEMO-CREDIT', 'any news?');
  await session.approve('DEMO-CREDIT', 'supervisor-7', 'double charge confirmed');

  printHeading('DEMO-OUTAGE', 'the LLM is down: the turn degrades to a safe reply and the next one works');
  session.llm.failNext('unavailable', 3);
  session.note('LLM: the next 3 calls fail (the first try and its 2 retries).');
  await session.say('DEMO-OUTAGE', 'My mobile data is really slow in Munich');
  await session.say('DEMO-OUTAGE', 'Hello? My mobile data is really slow in Munich');

  printHeading('DEMO-SERVICE', 'a troubleshooting procedure: each question suspends it (awaiting_input), each answer resumes it');
  await session.say('DEMO-SERVICE', 'My phone shows No Service and I cannot make calls. My number is 555-123-2002');
  await session.say('DEMO-SERVICE', 'The status bar only shows ✈️ Airplane Mode and the battery');
  session.note('the procedure waits for the customer to switch airplane mode off: it is left suspended for the next process.');

  printHeading('DEMO-ROAMING', 'a conversation left half-way (continued by the next process)');
  await session.say('DEMO-ROAMING', "I'm travelling to the USA next week, I need roaming on my Galaxy S23");

  printHeading('DEMO-ESIM', 'a crash in the middle of a tool call');
  session.backend.setFault('activate_sim', 'hang');
  await session.say('DEMO-ESIM', 'Please activate my new eSIM on 0151 2345678');
  throw new Error('unreachable: the process should have been killed');
}

export async function runPartTwo(filename: string): Promise<void> {
  const session = new DemoSession(filename);
  DemoSession.banner(`A new process (pid ${process.pid}) opens the same SQLite file: every ticket is where it was.`);

  printHeading('DEMO-ROAMING', 'resumed after the restart');
  const roaming = await session.telecom.agent.getTicket('DEMO-ROAMING');
  console.log(
    `            ${style.dim('stored:')} status ${roaming?.status}, intent ${roaming?.intent}, pending ${roaming?.pending?.slot}; ${describeSlots(roaming!)}`,
  );
  await session.say('DEMO-ROAMING', '+49 151 9876543');
  await session.say('DEMO-ROAMING', 'yes');

  printHeading('DEMO-SERVICE', 'the suspended procedure, resumed after the restart');
  const service = await session.telecom.agent.getTicket('DEMO-SERVICE');
  console.log(`            ${style.dim('stored:')} status ${service?.status}, workflow ${service?.workflow}, waiting for ${service?.pending?.slot ?? '—'}`);
  await session.say('DEMO-SERVICE', 'Done, I turned it off. Now I see 📶 4 bars and 5G');
  session.note('run() started again from the top: the customer lookup was replayed from the journal, not called again.');

  printHeading('DEMO-ESIM', 'the interrupted execution is recovered: its started step is compensated');
  await session.say('DEMO-ESIM', 'Did it work? I still have no eSIM');
  await session.say('DEMO-ESIM', 'Great, thanks!');
  session.note('the workflow already ran with these values: a thanks acknowledges, it never activates twice.');

  const tickets = ['DEMO-FIBER', 'DEMO-DSL', 'DEMO-PLAN', 'DEMO-CREDIT', 'DEMO-OUTAGE', 'DEMO-SERVICE', 'DEMO-ROAMING', 'DEMO-ESIM'];
  let events = 0;
  for (const id of tickets) events += (await session.telecom.agent.inspect(id)).events.length;
  DemoSession.banner(`${tickets.length} tickets, ${events} event records in ${filename}`);
  console.log(
    `Every decision, slot change, tool step and compensation is in the event log: agent.inspect(id), or GET /tickets/:id/events with \`npm run serve\`.`,
  );
  await session.close();
}
