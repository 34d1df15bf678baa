import { defineIntent } from '@ticketflow/core';

/** The problems customers come with (DESIGN D1: intents are problems, workflows are our plans). */
export const noInternet = defineIntent({
  name: 'no_internet',
  label: 'internet or mobile data that does not work',
  description: 'Internet or mobile data does not work at all (fiber, DSL or mobile data)',
  examples: ['my internet is down', 'no connection since this morning', 'mobile data stopped working'],
});

export const slowInternet = defineIntent({
  name: 'slow_internet',
  label: 'a slow connection',
  description: 'Internet works but is slow or keeps dropping',
  examples: ['the internet is really slow', 'videos keep buffering', 'my connection drops every evening'],
});

export const billingDispute = defineIntent({
  name: 'billing_dispute',
  label: 'a wrong charge on your bill',
  description: 'A charge on the bill is wrong and the customer wants money back',
  examples: ['I was charged twice', 'my bill is 30 euros too high', 'I want a refund'],
});

export const simActivation = defineIntent({
  name: 'sim_activation',
  label: 'activating a SIM card or eSIM',
  description: 'Activate a new SIM card or eSIM',
  examples: ['activate my new SIM card', 'I want to set up an eSIM'],
});

export const planChange = defineIntent({
  name: 'plan_change',
  label: 'changing your plan',
  description: 'Switch to another tariff plan',
  examples: ['upgrade me to Unlimited', 'I want a cheaper plan'],
});

export const roaming = defineIntent({
  name: 'roaming',
  label: 'using your phone abroad',
  description: 'Use the phone abroad (roaming)',
  examples: ['I am travelling to Spain next week', 'enable roaming for my trip to the US'],
});

export const talkToHuman = defineIntent({
  name: 'talk_to_human',
  label: 'talking to a person',
  description: 'The customer asks for a human support agent',
  examples: ['let me talk to a person', 'I want a human'],
});

export const noService = defineIntent({
  name: 'no_service',
  label: 'a phone with no service',
  description: 'The phone has no service: it shows No Service or No Signal and cannot make or receive calls',
  examples: ['my phone says no service', 'I cannot make or receive calls', 'no signal on my phone since this morning'],
});

export const mmsIssue = defineIntent({
  name: 'mms_issue',
  label: 'picture messages (MMS)',
  description: 'Picture or group messages (MMS) cannot be sent or received',
  examples: ['I cannot send picture messages', 'MMS does not work', 'group texts with photos fail'],
});

export const TELECOM_INTENTS = [noInternet, slowInternet, noService, mmsIssue, billingDispute, simActivation, planChange, roaming, talkToHuman];
