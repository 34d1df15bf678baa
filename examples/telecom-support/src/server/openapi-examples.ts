import type { RecordedExamples } from './openapi-decorations.js';

/** Examples recorded from a real conversation by record-openapi-examples.ts (do not edit by hand). */
export const RECORDED_EXAMPLES: RecordedExamples = {
  responses: {
    sendMessage: {
      '200': {
        ask: {
          summary: 'One question for the one missing slot',
          value: {
            reply: 'Which city are you in?',
            action: {
              type: 'ask',
              slot: 'region',
              question: 'Which city are you in?',
              workflow: 'fiber_no_internet',
            },
            ticket: {
              id: 'T-1001',
              version: 1,
              status: 'collecting',
              intent: 'no_internet',
              workflow: 'fiber_no_internet',
              slots: {
                service_type: {
                  value: 'fiber',
                  source: 'user',
                  turn: 1,
                },
              },
              deferred: [],
              transcript: [
                {
                  role: 'user',
                  text: 'My fiber internet is down',
                  at: '2025-06-01T09:00:03.000Z',
                  turn: 1,
                  messageId: 'm-1',
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Which city are you in?',
                  at: '2025-06-01T09:00:04.000Z',
                  turn: 1,
                },
              ],
              turn: 1,
              createdAt: '2025-06-01T09:00:02.000Z',
              updatedAt: '2025-06-01T09:00:03.000Z',
              pending: {
                slot: 'region',
                workflow: 'fiber_no_internet',
              },
              confirmation: null,
              outcomes: {},
              execution: null,
              usage: {
                llmCalls: 1,
                inputTokens: 533,
                outputTokens: 20,
                estimatedCost: 0,
              },
            },
            decision: {
              intent: 'no_internet',
              confidence: 0.9,
              entities: {
                service_type: 'fiber',
              },
            },
            duplicate: false,
          },
        },
        execute: {
          summary: 'The last slot arrives: the workflow runs',
          value: {
            reply:
              'No outage in Berlin and your line tests fine, so I restarted your fiber modem remotely (RST-0001). Give it about 90 seconds, then try again.',
            action: {
              type: 'execute',
              workflow: 'fiber_no_internet',
              outcome: 'resolved',
            },
            ticket: {
              id: 'T-1001',
              version: 5,
              status: 'resolved',
              intent: 'no_internet',
              workflow: 'fiber_no_internet',
              slots: {
                service_type: {
                  value: 'fiber',
                  source: 'user',
                  turn: 1,
                },
                region: {
                  value: 'Berlin',
                  source: 'user',
                  turn: 2,
                },
              },
              deferred: ['phone', 'device_type'],
              transcript: [
                {
                  role: 'user',
                  text: 'My fiber internet is down',
                  at: '2025-06-01T09:00:03.000Z',
                  turn: 1,
                  messageId: 'm-1',
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Which city are you in?',
                  at: '2025-06-01T09:00:04.000Z',
                  turn: 1,
                },
                {
                  role: 'user',
                  text: 'Berlin',
                  at: '2025-06-01T09:00:07.000Z',
                  turn: 2,
                  messageId: 'm-2',
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'No outage in Berlin and your line tests fine, so I restarted your fiber modem remotely (RST-0001). Give it about 90 seconds, then try again.',
                  at: '2025-06-01T09:00:22.000Z',
                  turn: 2,
                },
              ],
              turn: 2,
              createdAt: '2025-06-01T09:00:02.000Z',
              updatedAt: '2025-06-01T09:00:21.000Z',
              pending: null,
              confirmation: null,
              outcomes: {
                fiber_no_internet: {
                  outcome: 'resolved',
                  turn: 2,
                  values: {
                    service_type: 'fiber',
                    region: 'Berlin',
                  },
                },
              },
              execution: null,
              usage: {
                llmCalls: 2,
                inputTokens: 1040,
                outputTokens: 36,
                estimatedCost: 0,
              },
            },
            decision: {
              intent: null,
              confidence: 0.2,
              entities: {
                region: 'Berlin',
              },
            },
            duplicate: false,
          },
        },
        duplicate: {
          summary: 'A resent messageId: the recorded result',
          value: {
            reply:
              'No outage in Berlin and your line tests fine, so I restarted your fiber modem remotely (RST-0001). Give it about 90 seconds, then try again.',
            action: {
              type: 'execute',
              workflow: 'fiber_no_internet',
              outcome: 'resolved',
            },
            ticket: {
              id: 'T-1001',
              version: 5,
              status: 'resolved',
              intent: 'no_internet',
              workflow: 'fiber_no_internet',
              slots: {
                service_type: {
                  value: 'fiber',
                  source: 'user',
                  turn: 1,
                },
                region: {
                  value: 'Berlin',
                  source: 'user',
                  turn: 2,
                },
              },
              deferred: ['phone', 'device_type'],
              transcript: [
                {
                  role: 'user',
                  text: 'My fiber internet is down',
                  at: '2025-06-01T09:00:03.000Z',
                  turn: 1,
                  messageId: 'm-1',
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Which city are you in?',
                  at: '2025-06-01T09:00:04.000Z',
                  turn: 1,
                },
                {
                  role: 'user',
                  text: 'Berlin',
                  at: '2025-06-01T09:00:07.000Z',
                  turn: 2,
                  messageId: 'm-2',
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'No outage in Berlin and your line tests fine, so I restarted your fiber modem remotely (RST-0001). Give it about 90 seconds, then try again.',
                  at: '2025-06-01T09:00:22.000Z',
                  turn: 2,
                },
              ],
              turn: 2,
              createdAt: '2025-06-01T09:00:02.000Z',
              updatedAt: '2025-06-01T09:00:21.000Z',
              pending: null,
              confirmation: null,
              outcomes: {
                fiber_no_internet: {
                  outcome: 'resolved',
                  turn: 2,
                  values: {
                    service_type: 'fiber',
                    region: 'Berlin',
                  },
                },
              },
              execution: null,
              usage: {
                llmCalls: 2,
                inputTokens: 1040,
                outputTokens: 36,
                estimatedCost: 0,
              },
            },
            decision: {
              intent: null,
              confidence: 0.2,
              entities: {
                region: 'Berlin',
              },
            },
            duplicate: true,
          },
        },
        awaitingApproval: {
          summary: 'A credit above 50 € waits for a supervisor',
          value: {
            reply: 'Your request needs the approval of a support agent. I will continue as soon as it is decided.',
            action: {
              type: 'execute',
              workflow: 'billing_credit',
              outcome: 'awaiting_approval',
            },
            ticket: {
              id: 'T-1002',
              version: 3,
              status: 'awaiting_approval',
              intent: 'billing_dispute',
              workflow: 'billing_credit',
              slots: {
                amount: {
                  value: 80,
                  source: 'user',
                  turn: 1,
                },
                account_type: {
                  value: 'business',
                  source: 'user',
                  turn: 1,
                },
              },
              deferred: ['phone'],
              transcript: [
                {
                  role: 'user',
                  text: 'I was overcharged 80 euros, business account',
                  at: '2025-06-01T09:00:27.000Z',
                  turn: 1,
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Please confirm: credit your account with account type: business, amount: 80. Shall I go ahead? (yes/no)',
                  at: '2025-06-01T09:00:28.000Z',
                  turn: 1,
                },
                {
                  role: 'user',
                  text: 'yes',
                  at: '2025-06-01T09:00:31.000Z',
                  turn: 2,
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Your request needs the approval of a support agent. I will continue as soon as it is decided.',
                  at: '2025-06-01T09:00:36.000Z',
                  turn: 2,
                },
              ],
              turn: 2,
              createdAt: '2025-06-01T09:00:26.000Z',
              updatedAt: '2025-06-01T09:00:34.000Z',
              pending: null,
              confirmation: null,
              outcomes: {},
              execution: {
                id: 'T-1002:2',
                workflow: 'billing_credit',
                steps: [
                  {
                    index: 0,
                    tool: 'issue_credit',
                    state: 'awaiting_approval',
                    key: 'T-1002:2:0',
                    input: {
                      account: 'ticket:T-1002',
                      amount: 80,
                      reason: 'billing dispute',
                    },
                    attempts: 0,
                  },
                ],
                turn: 2,
                owner: 'worker-1',
                leaseExpiresAt: null,
                resumeStatus: 'awaiting_confirmation',
                messageId: null,
              },
              usage: {
                llmCalls: 2,
                inputTokens: 1085,
                outputTokens: 39,
                estimatedCost: 0,
              },
            },
            decision: {
              intent: null,
              confidence: 0.2,
              entities: {
                confirm: true,
              },
            },
            duplicate: false,
          },
        },
      },
      '400': {
        emptyMessage: {
          summary: 'A message that breaks the schema',
          value: {
            error: {
              code: 'invalid_request',
              message: 'body/message Too small: expected string to have >=1 characters',
              details: {
                issues: [
                  {
                    path: 'body/message',
                    message: 'Too small: expected string to have >=1 characters',
                  },
                ],
              },
            },
          },
        },
      },
      '413': {
        tooLarge: {
          summary: 'A body over 64 KiB',
          value: {
            error: {
              code: 'payload_too_large',
              message: 'The request body is larger than 64 KiB.',
            },
          },
        },
      },
      '415': {
        notJson: {
          summary: 'A body that is not JSON',
          value: {
            error: {
              code: 'unsupported_media_type',
              message: 'Send the body as JSON with Content-Type: application/json.',
            },
          },
        },
      },
      '503': {
        storeUnavailable: {
          summary: 'The store did not answer: retry with the same messageId',
          value: {
            error: {
              code: 'store_unavailable',
              message:
                'The ticket store did not answer: the request may or may not have been applied. Retrying with the same messageId is safe (a message is processed at most once; an approval already applied answers 409).',
              details: {
                outcome: 'unknown',
                mayHaveBeenProcessed: true,
                safeToRetryWithSameMessageId: true,
              },
            },
          },
        },
      },
    },
    getTicket: {
      '200': {
        resolved: {
          summary: 'A resolved ticket',
          value: {
            ticket: {
              id: 'T-1001',
              version: 5,
              status: 'resolved',
              intent: 'no_internet',
              workflow: 'fiber_no_internet',
              slots: {
                service_type: {
                  value: 'fiber',
                  source: 'user',
                  turn: 1,
                },
                region: {
                  value: 'Berlin',
                  source: 'user',
                  turn: 2,
                },
              },
              deferred: ['phone', 'device_type'],
              transcript: [
                {
                  role: 'user',
                  text: 'My fiber internet is down',
                  at: '2025-06-01T09:00:03.000Z',
                  turn: 1,
                  messageId: 'm-1',
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Which city are you in?',
                  at: '2025-06-01T09:00:04.000Z',
                  turn: 1,
                },
                {
                  role: 'user',
                  text: 'Berlin',
                  at: '2025-06-01T09:00:07.000Z',
                  turn: 2,
                  messageId: 'm-2',
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'No outage in Berlin and your line tests fine, so I restarted your fiber modem remotely (RST-0001). Give it about 90 seconds, then try again.',
                  at: '2025-06-01T09:00:22.000Z',
                  turn: 2,
                },
              ],
              turn: 2,
              createdAt: '2025-06-01T09:00:02.000Z',
              updatedAt: '2025-06-01T09:00:21.000Z',
              pending: null,
              confirmation: null,
              outcomes: {
                fiber_no_internet: {
                  outcome: 'resolved',
                  turn: 2,
                  values: {
                    service_type: 'fiber',
                    region: 'Berlin',
                  },
                },
              },
              execution: null,
              usage: {
                llmCalls: 2,
                inputTokens: 1040,
                outputTokens: 36,
                estimatedCost: 0,
              },
            },
          },
        },
      },
      '404': {
        unknown: {
          summary: 'No such ticket',
          value: {
            error: {
              code: 'ticket_not_found',
              message: 'There is no ticket with this id.',
            },
          },
        },
      },
    },
    listTicketEvents: {
      '200': {
        first: {
          summary: 'The first events of a ticket',
          value: {
            events: [
              {
                seq: 1,
                type: 'message.received',
                at: '2025-06-01T09:00:03.000Z',
                data: {
                  turn: 1,
                  messageId: 'm-1',
                  text: 'My fiber internet is down',
                },
              },
              {
                seq: 2,
                type: 'llm.called',
                at: '2025-06-01T09:00:03.000Z',
                data: {
                  provider: 'mock',
                  purpose: 'decide',
                  latencyMs: 15.72,
                  model: 'telecom-rules-1',
                  usage: {
                    inputTokens: 533,
                    outputTokens: 20,
                  },
                  finishReason: 'stop',
                },
              },
              {
                seq: 3,
                type: 'intent.changed',
                at: '2025-06-01T09:00:03.000Z',
                data: {
                  from: null,
                  to: 'no_internet',
                  confidence: 0.9,
                },
              },
              {
                seq: 4,
                type: 'slot.set',
                at: '2025-06-01T09:00:03.000Z',
                data: {
                  slot: 'service_type',
                  value: 'fiber',
                  source: 'user',
                },
              },
            ],
          },
        },
      },
    },
    listTickets: {
      '200': {
        approvalQueue: {
          summary: 'The approval queue',
          value: {
            tickets: [
              {
                ticketId: 'T-1002',
                version: 3,
                status: 'awaiting_approval',
                updatedAt: '2025-06-01T09:00:34.000Z',
                claimExpiresAt: null,
              },
            ],
            cursor: null,
          },
        },
      },
    },
    approveTicket: {
      '200': {
        approved: {
          summary: 'The credit is approved and runs',
          value: {
            reply: 'Done: I credited 80 € to your business account (CRD-0002). It will show on your next bill.',
            action: {
              type: 'execute',
              workflow: 'billing_credit',
              outcome: 'resolved',
            },
            ticket: {
              id: 'T-1002',
              version: 7,
              status: 'resolved',
              intent: 'billing_dispute',
              workflow: 'billing_credit',
              slots: {
                amount: {
                  value: 80,
                  source: 'user',
                  turn: 1,
                  spent: true,
                },
                account_type: {
                  value: 'business',
                  source: 'user',
                  turn: 1,
                },
              },
              deferred: ['phone'],
              transcript: [
                {
                  role: 'user',
                  text: 'I was overcharged 80 euros, business account',
                  at: '2025-06-01T09:00:27.000Z',
                  turn: 1,
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Please confirm: credit your account with account type: business, amount: 80. Shall I go ahead? (yes/no)',
                  at: '2025-06-01T09:00:28.000Z',
                  turn: 1,
                },
                {
                  role: 'user',
                  text: 'yes',
                  at: '2025-06-01T09:00:31.000Z',
                  turn: 2,
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Your request needs the approval of a support agent. I will continue as soon as it is decided.',
                  at: '2025-06-01T09:00:36.000Z',
                  turn: 2,
                },
                {
                  role: 'agent',
                  text: 'Done: I credited 80 € to your business account (CRD-0002). It will show on your next bill.',
                  at: '2025-06-01T09:00:50.000Z',
                  turn: 2,
                },
              ],
              turn: 2,
              createdAt: '2025-06-01T09:00:26.000Z',
              updatedAt: '2025-06-01T09:00:49.000Z',
              pending: null,
              confirmation: null,
              outcomes: {
                billing_credit: {
                  outcome: 'resolved',
                  turn: 2,
                  values: {
                    account_type: 'business',
                    amount: 80,
                  },
                },
              },
              execution: null,
              usage: {
                llmCalls: 2,
                inputTokens: 1085,
                outputTokens: 39,
                estimatedCost: 0,
              },
            },
          },
        },
      },
      '401': {
        noToken: {
          summary: 'No operator token',
          value: {
            error: {
              code: 'operator_auth_required',
              message: 'This route is for operators: send Authorization: Bearer <operator token>.',
            },
          },
        },
      },
      '409': {
        notWaiting: {
          summary: 'Nothing waits for an approval',
          value: {
            error: {
              code: 'ticket_state',
              message: 'ticket "T-1002" is not awaiting approval (status resolved)',
              details: {
                status: 'resolved',
              },
            },
          },
        },
      },
    },
    rejectTicket: {
      '200': {
        rejected: {
          summary: 'The credit is refused: compensated and closed',
          value: {
            reply: 'A support agent did not approve this request, so nothing was changed.',
            action: {
              type: 'cancelled',
              workflow: 'billing_credit',
              reason: 'rejected',
            },
            ticket: {
              id: 'T-1003',
              version: 5,
              status: 'closed',
              intent: 'billing_dispute',
              workflow: 'billing_credit',
              slots: {
                amount: {
                  value: 120,
                  source: 'user',
                  turn: 1,
                },
                account_type: {
                  value: 'personal',
                  source: 'user',
                  turn: 1,
                },
              },
              deferred: ['phone'],
              transcript: [
                {
                  role: 'user',
                  text: 'Please refund 120 euros, I was charged twice. Personal account',
                  at: '2025-06-01T09:00:55.000Z',
                  turn: 1,
                  actedOn: true,
                },
                {
                  role: 'agent',
                  text: 'Please confirm: credit your account with account type: personal, amount: 120. Shall I go ahead? (yes/no)',
                  at: '2025-06-01T09:00:56.000Z',
                  turn: 1,
                },
                {
                  role: 'user',
                  text: 'yes',
                  at: '2025-06-01T09:00:59.000Z',
                  turn: 2,
                  actedOn: false,
                },
                {
                  role: 'agent',
                  text: 'Your request needs the approval of a support agent. I will continue as soon as it is decided.',
                  at: '2025-06-01T09:01:04.000Z',
                  turn: 2,
                },
                {
                  role: 'agent',
                  text: 'A support agent did not approve this request, so nothing was changed.',
                  at: '2025-06-01T09:01:10.000Z',
                  turn: 2,
                },
              ],
              turn: 2,
              createdAt: '2025-06-01T09:00:54.000Z',
              updatedAt: '2025-06-01T09:01:09.000Z',
              pending: null,
              confirmation: null,
              outcomes: {
                billing_credit: {
                  outcome: 'rejected',
                  turn: 2,
                  values: {
                    account_type: 'personal',
                    amount: 120,
                  },
                },
              },
              execution: null,
              usage: {
                llmCalls: 2,
                inputTokens: 1094,
                outputTokens: 40,
                estimatedCost: 0,
              },
            },
          },
        },
      },
    },
  },
  requests: {
    sendMessage: {
      first: {
        summary: 'The first message of a ticket',
        value: {
          message: 'My fiber internet is down',
          messageId: 'm-1',
        },
      },
      answer: {
        summary: 'The answer to the question asked',
        value: {
          message: 'Berlin',
          messageId: 'm-2',
        },
      },
    },
    approveTicket: {
      note: {
        summary: 'Approve with a note (who approves is the token)',
        value: {
          note: 'double charge confirmed on the invoice',
        },
      },
    },
  },
};
