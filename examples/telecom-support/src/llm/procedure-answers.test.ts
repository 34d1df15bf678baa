import { describe, expect, it } from 'vitest';
import { decideTelecom } from './decide-telecom.js';
import { isProcedureSlot, readProcedureAnswer } from './procedure-answers.js';

const prompt = (message: string, pending?: string, intent = 'no_internet') =>
  [
    '## Current ticket',
    `- intent: ${intent}`,
    ...(pending ? [`- pending question: ${pending} (…)`] : []),
    '',
    '## Latest customer message (verbatim)',
    '<<<CUSTOMER_MESSAGE',
    message,
    'CUSTOMER_MESSAGE>>>',
  ].join('\n');

describe('reading answers to the troubleshooting questions', () => {
  it.each([
    ['status_bar', 'My status bar shows: "Status Bar: ✈️ Airplane Mode | 🔋 80%"', 'airplane_mode'],
    ['status_bar', 'My status bar shows: "Status Bar: 📵 No Signal | 📵 Data Disabled | 🔋 80%"', 'no_signal'],
    [
      'service_after_airplane_off',
      'I turned Airplane Mode off. Now my status bar shows: "Status Bar: 📶⁴ Excellent | 5G | 📱 Data Enabled | 🔋 80%"',
      'signal',
    ],
    ['status_bar', 'still no signal at all', 'no_signal'],
    ['status_bar', 'I have 3 bars now', 'signal'],
    ['status_bar', 'My status bar shows 📶³ Good | 5G | 📵 Data Disabled', 'signal'],
    ['speed_test', 'I ran the speed test: "Speed test failed: No Connection."', 'no_connection'],
    ['speed_after_data_on', 'I turned Mobile Data on. I ran the speed test: "Speed test result: 275.00 Mbps (Excellent). Very fast"', 'excellent'],
    ['speed_after_vpn_off', 'It says 0.12 Mbps (Very Poor)', 'very_poor'],
    ['speed_test', 'good I think', 'good'],
    ['sim_status', 'I checked the SIM card: "The SIM card is locked with a PUK code."', 'locked_puk'],
    ['sim_status', 'I checked the SIM card: "No SIM card detected in the phone."', 'missing'],
    ['sim_status', 'it says active and working', 'active'],
    ['data_roaming_on', 'My network status says: Data Roaming Enabled: No.', false],
    ['mobile_data_on', 'My network status says: Mobile Data Enabled: Yes.', true],
    ['data_saver_on', 'I checked: "Data Saver mode is ON."', true],
    ['wifi_calling_on', 'I checked: "Wi-Fi Calling is OFF."', false],
    ['vpn_connected', 'I checked: "VPN is ON and connected. Server: 192.168.1.1, protocol: OpenVPN, performance: poor."', true],
    ['vpn_connected', 'no', false],
    ['mmsc_url_set', 'I checked my APN settings: "APN Name: internet · MMSC URL: Not Set"', false],
    ['mmsc_url_set', 'I checked my APN settings: "APN Name: internet · MMSC URL: http://mms.carrier.com/mms/wapenc"', true],
    ['network_mode', 'I checked: "Network Mode Preference: 2g_only"', '2g_only'],
    ['network_mode', '3G only', '3g_only'],
    ['network_technology', 'My network status says: Cellular Network Type: 2G.', '2G'],
    ['messaging_permissions', 'I checked: "The messaging app has these permissions: storage, phone."', ['storage', 'phone']],
    ['messaging_permissions', 'I checked: "The messaging app has no permissions."', []],
    ['mms_works', 'I tried to send a picture message: "Your messaging app cannot send MMS messages."', false],
    ['mms_after_permissions', 'I tried to send a picture message: "Your messaging app can send MMS messages."', true],
    ['overdue_bill_paid', 'I accepted it: "Payment of $65.00 for bill B1 made." So yes, I paid it.', true],
    ['overdue_bill_paid', "I see the request, but I don't want to pay it right now.", false],
    ['abroad', 'Yes, I am abroad at the moment.', true],
    ['abroad', 'No, I am at home.', false],
    ['data_top_up_choice', "I'd like to refuel, I can take 2 GB.", 'refuel'],
    ['data_top_up_choice', "Neither, I don't want to refuel or change my plan.", 'neither'],
    ['data_top_up_choice', 'I would rather change my plan', 'change_plan'],
    ['refuel_amount_gb', '2.0 GB please.', 2],
    ['refuel_confirmed', 'Yes, that price is fine, go ahead.', true],
    ['refuel_confirmed', "No, I don't want that.", false],
  ])('%s ← %s', (slot, message, value) => {
    expect(readProcedureAnswer(slot, message)).toEqual(value);
  });

  it('says nothing when the message does not answer', () => {
    expect(readProcedureAnswer('speed_test', 'what do you mean?')).toBeUndefined();
    expect(readProcedureAnswer('sim_status', 'hmm')).toBeUndefined();
    expect(readProcedureAnswer('unknown_slot', 'yes')).toBeUndefined();
    expect(isProcedureSlot('phone')).toBe(false);
  });
});

describe('the offline LLM during a procedure', () => {
  it('reads only the awaited slot: words in an answer never switch the intent', () => {
    const roaming = decideTelecom(prompt('My network status says: Data Roaming Enabled: No.', 'data_roaming_on'));
    expect(roaming).toEqual({ intent: null, confidence: 0.2, entities: { data_roaming_on: false } });
    const noSignal = decideTelecom(prompt('My status bar shows: "Status Bar: 📵 No Signal | 📵 Data Disabled | 🔋 80%"', 'status_bar'));
    expect(noSignal).toEqual({ intent: null, confidence: 0.2, entities: { status_bar: 'no_signal' } });
  });

  it('reads the awaited answer the core names first in the prompt', () => {
    const awaited = [
      '## Current ticket',
      '- awaited answer: speed_test (Please run a speed test…) — the procedure waits for it',
      '- intent: no_internet',
      '',
      '<<<CUSTOMER_MESSAGE',
      'Speed test failed: No Connection.',
      'CUSTOMER_MESSAGE>>>',
    ].join('\n');
    expect(decideTelecom(awaited).entities).toEqual({ speed_test: 'no_connection' });
  });

  it('lets a clear new request through when the message does not answer the question', () => {
    expect(decideTelecom(prompt('forget it, let me talk to a human', 'speed_test'))).toMatchObject({ intent: 'talk_to_human' });
  });

  it.each([
    [
      "The user is experiencing issues with their mobile data. They are unable to use their phone to browse the internet, and the status bar shows 'No Service'. Customer name: John Smith, phone number: 555-123-2002, current location: abroad in France. They will not change their mobile data plan but they will refuel 2.0 GB of data if necessary.",
      'no_internet',
      { phone: '555-123-2002', abroad: true, service_type: 'mobile' },
    ],
    [
      "The user is experiencing issues with their phone service. They are unable to make or receive calls, and the status bar shows 'No Service'. Customer name: John Smith, phone number: 555-123-2002. They gave permission to pay all their overdue bills.",
      'no_service',
      { phone: '555-123-2002' },
    ],
    [
      'The user has been unable to send MMS messages using their messaging app for the past few hours. Customer name: Sarah Johnson, phone number: 555-123-2004, current location: at home in the United States.',
      'mms_issue',
      { phone: '555-123-2004', abroad: false },
    ],
    ['my phone shows no signal since this morning', 'no_service', {}],
    ['I cannot send picture messages', 'mms_issue', {}],
  ])('routes the opening "%s" to %s', (message, intent, entities) => {
    const decision = decideTelecom(prompt(message, undefined, 'none'));
    expect(decision).toMatchObject({ intent, confidence: 0.9 });
    expect(decision.entities).toMatchObject(entities);
  });
});
